/**
 * Helpers of the LSP reliability and stress suites: the server's memory as
 * the kernel sees it, a garbage collection on demand (test-only: a preload
 * module, never part of the product), a fresh server's view of the same
 * site for comparison, and a recorder of every file the server reads or
 * writes.
 */
import { readFileSync, watch, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { TestClient, type Site } from './harness';

export const seed = Number(process.env['FUZZ_SEED'] ?? 20261126);

/** VmRSS of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/**
 * A preload (node --require) for the server under test. SIGUSR2 runs a full
 * garbage collection (the server is started with --expose-gc) and then
 * writes a marker file, so a test can wait for the collection, not for time.
 * With MSOL_TEST_THROW_RULE set, the bundled server's rule runner throws for
 * that rule (a buggy rule, made without a special build).
 * With MSOL_IO_LOG set, every path the process opens, reads, lists, stats or
 * writes is recorded (its real path, links resolved) and written to that file
 * at exit.
 */
const preloadSource = `'use strict';
const fs = require('fs');
const path = require('path');
const write = fs.writeFileSync;
const rename = fs.renameSync;
let gcs = 0;
if (process.env.MSOL_GC_MARKER) {
  process.on('SIGUSR2', () => {
    global.gc();
    global.gc();
    const marker = process.env.MSOL_GC_MARKER + '.' + (++gcs);
    // Written beside, then renamed: the marker appears whole.
    write(marker + '.tmp', JSON.stringify(process.memoryUsage()));
    rename(marker + '.tmp', marker);
  });
}
if (process.env.MSOL_TEST_THROW_RULE) {
  // Test only: the bundled server's rule runner throws for one rule, as a buggy rule would.
  // Found by the crash message the runner writes; the test fails if the patch finds nothing.
  const Module = require('module');
  const readText = fs.readFileSync;
  const original = Module._extensions['.js'];
  Module._extensions['.js'] = function (module, filename) {
    if (!filename.endsWith(path.join('server', 'out', 'server.js'))) return original(module, filename);
    let src = readText(filename, 'utf8');
    const i = src.indexOf('Unexpected crash of rule ');
    const open = i < 0 ? -1 : src.indexOf('\${', i);
    const close = open < 0 ? -1 : src.indexOf('}', open);
    // The rule's metadata: meta.id, possibly inside the message helpers' calls, k(c(meta.id)).
    const meta = close < 0 ? '' : (/([A-Za-z_$][\\w$]*)\\.id\\)*$/.exec(src.slice(open + 2, close)) ?? [])[1] ?? '';
    const at = i < 0 ? -1 : src.lastIndexOf('try{', i);
    if (at < 0 || !/^[A-Za-z_$][\\w$]*$/.test(meta)) throw new Error('test preload: the rule runner was not found in the bundle');
    src = src.slice(0, at + 4) + 'if(' + meta + '.id===process.env.MSOL_TEST_THROW_RULE)throw new TypeError("a test-only crash");' + src.slice(at + 4);
    module._compile(src, filename);
  };
}
if (process.env.MSOL_IO_LOG) {
  const seen = [];
  const realpath = fs.realpathSync.native;
  // The real location: a read through a symbolic link to outside must show as outside.
  const real = (p) => {
    try {
      return realpath(p);
    } catch {
      return path.resolve(p);
    }
  };
  const note = (kind, p) => {
    if (typeof p === 'string') seen.push(kind + ' ' + real(p));
    else if (p instanceof URL) seen.push(kind + ' ' + real(p.pathname));
    else if (Buffer.isBuffer(p)) seen.push(kind + ' ' + real(p.toString()));
  };
  const wrap = (obj, name, kind) => {
    const original = obj[name];
    if (typeof original !== 'function') return;
    obj[name] = function (p, ...rest) {
      let k = kind;
      // fs.open with a writing flag is a write.
      if (kind === 'read' && /^open/.test(name) && rest[0] !== undefined && !/^r$|^rs$/.test(String(rest[0])) && typeof rest[0] === 'string') k = 'write';
      if (kind === 'read' && /^open/.test(name) && typeof rest[0] === 'number' && (rest[0] & 3) !== 0) k = 'write';
      note(k, p);
      return original.call(this, p, ...rest);
    };
  };
  for (const n of ['readFile', 'readFileSync', 'open', 'openSync', 'readdir', 'readdirSync', 'opendir', 'opendirSync', 'createReadStream']) wrap(fs, n, 'read');
  for (const n of ['readFile', 'open', 'readdir', 'opendir']) wrap(fs.promises, n, 'read');
  // Metadata only (what a path is, where a link points): recorded apart from reads of content.
  for (const n of ['stat', 'statSync', 'lstat', 'lstatSync', 'realpath', 'realpathSync']) wrap(fs, n, 'meta');
  for (const n of ['stat', 'lstat', 'realpath']) wrap(fs.promises, n, 'meta');
  for (const n of ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'rename', 'renameSync', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'mkdir', 'mkdirSync', 'copyFile', 'copyFileSync', 'symlink', 'symlinkSync', 'truncate', 'truncateSync', 'chmod', 'chmodSync']) wrap(fs, n, 'write');
  for (const n of ['writeFile', 'appendFile', 'rename', 'unlink', 'rm', 'mkdir', 'copyFile', 'symlink', 'truncate', 'chmod']) wrap(fs.promises, n, 'write');
  process.on('exit', () => write(process.env.MSOL_IO_LOG, seen.join('\\n')));
}
`;

export interface Instrumented {
  readonly dir: string;
  readonly gcMarker: string;
  readonly ioLog: string;
  /** Runs a full GC in the server and resolves with its RSS in MB (VmRSS, read after the collection). */
  collect(client: TestClient): Promise<number>;
  /** process.memoryUsage() of the server right after the last collect() (bytes). */
  lastHeap(): { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
  /** Every path the server touched, once it has exited: `read /abs/path` (content), `meta /abs/path` (stat, realpath) or `write /abs/path`; real paths (links resolved). */
  io(): string[];
  dispose(): void;
}

/**
 * Makes the next TestClient.start() in this process run its server with the
 * preload and --expose-gc (through NODE_OPTIONS, which the spawned server
 * inherits). Call restore() after starting.
 */
export function instrument(options: { throwInRule?: string } = {}): Instrumented & { restore(): void } {
  const dir = mkdtempSync(nodePath.join(tmpdir(), 'msol-instr-'));
  const preload = nodePath.join(dir, 'preload.cjs');
  writeFileSync(preload, preloadSource);
  const gcMarker = nodePath.join(dir, 'gc');
  const ioLog = nodePath.join(dir, 'io.log');
  const saved = {
    NODE_OPTIONS: process.env['NODE_OPTIONS'],
    MSOL_GC_MARKER: process.env['MSOL_GC_MARKER'],
    MSOL_IO_LOG: process.env['MSOL_IO_LOG'],
    MSOL_TEST_THROW_RULE: process.env['MSOL_TEST_THROW_RULE'],
  };
  process.env['NODE_OPTIONS'] = `--expose-gc --require ${preload}`;
  if (options.throwInRule) process.env['MSOL_TEST_THROW_RULE'] = options.throwInRule;
  else delete process.env['MSOL_TEST_THROW_RULE'];
  process.env['MSOL_GC_MARKER'] = gcMarker;
  process.env['MSOL_IO_LOG'] = ioLog;
  let collections = 0;
  return {
    dir,
    gcMarker,
    ioLog,
    restore() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
    async collect(client: TestClient): Promise<number> {
      const marker = `${gcMarker}.${++collections}`;
      const done = new Promise<void>((resolve, reject) => {
        const watcher = watch(dir, () => {
          if (existsSync(marker)) {
            watcher.close();
            clearTimeout(timer);
            resolve();
          }
        });
        const timer = setTimeout(() => {
          watcher.close();
          reject(new Error('the server did not report a garbage collection'));
        }, 15_000);
      });
      client.child.kill('SIGUSR2');
      await done;
      return rssMb(client.child.pid!);
    },
    lastHeap(): { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number } {
      return JSON.parse(readFileSync(`${gcMarker}.${collections}`, 'utf8')) as {
        rss: number;
        heapUsed: number;
        heapTotal: number;
        external: number;
        arrayBuffers: number;
      };
    },
    io(): string[] {
      return existsSync(ioLog) ? readFileSync(ioLog, 'utf8').split('\n').filter(Boolean) : [];
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Diagnostics as compared across servers: the document version in `data` differs by construction. */
export function normalize(ds: readonly Diagnostic[]): unknown[] {
  return ds
    .map((d) => {
      const data = (d.data ?? {}) as Record<string, unknown>;
      const { version: _version, ...rest } = data;
      return { ...d, data: rest };
    })
    .sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        String(a.code).localeCompare(String(b.code)),
    );
}

/**
 * Pulls a document until two consecutive answers are equal: the server has
 * settled (no queued work changes what it says any more).
 */
export async function settledPull(client: TestClient, uri: string): Promise<Diagnostic[]> {
  let last = JSON.stringify(normalize(await client.pull(uri)));
  for (let i = 0; i < 50; i++) {
    const now = await client.pull(uri);
    const key = JSON.stringify(normalize(now));
    if (key === last) return now;
    last = key;
  }
  throw new Error(`diagnostics of ${uri} never settled`);
}

/** What a fresh server says about the same site, with the given documents open. */
export async function freshDiagnostics(
  site: Site,
  open: Readonly<Record<string, string>>,
  pull: readonly string[],
): Promise<Map<string, Diagnostic[]>> {
  const client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'fresh' }] });
  try {
    for (const [path, text] of Object.entries(open)) await client.open(site.uri(path), text);
    const out = new Map<string, Diagnostic[]>();
    for (const path of pull) out.set(path, await settledPull(client, site.uri(path)));
    return out;
  } finally {
    await client.dispose();
  }
}

/** A path is inside a folder (or is it). */
export function inside(dir: string, p: string): boolean {
  const rel = nodePath.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel));
}
