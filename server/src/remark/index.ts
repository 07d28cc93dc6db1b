import * as nodePath from 'node:path';
import type { Processor } from 'unified';
import type { VFile } from 'vfile';
import { version } from '../../../package.json';
import type { Finding, Logger } from '../engine/index';
import { Project } from '../engine/index';
import { BulkPhaseOne, defaultWorkerCount, defaultWorkerPath } from '../node/bulk';
import { cacheSigning, defaultCacheLocation, PhaseOneCache } from '../node/cache';
import { placeOf, type FileReport } from '../cli/report';
import { findSiteRoot } from '../cli/sites';
import { applyGitHistory } from '../node/gitHistory';
import { NodeFileSystem } from '../node/nodeFileSystem';

/**
 * `microsolidarity-authoring/remark`: the rules as a unified preset, for
 * remark-cli, remark-language-server and any unified-engine host.
 *
 * The rules are unified-lint-rule plugins, but each reads site knowledge
 * (the glossary, the license, other pages' headings) that one file alone does
 * not have. So the preset is one plugin that runs the engine the way
 * `msol check` does: over a folder it waits for the whole file set
 * (unified-engine's completer, as remark-validate-links does), finds each
 * file's site (the nearest folder with `.msolrc.json`, `SUMMARY.md` or
 * `.gitbook.yaml`), reads that site from disk with the set's own texts in
 * place of the disk's (an editor's unsaved buffer), and gives each file of the
 * set the findings `msol check` gives it: the same rule ids, messages,
 * places, `url` to the rule's docs, `.msolrc.json` severities (`fatal` for an
 * error, a warning, an info for info and hint), with `source` `msol`.
 * Problems of `.msolrc.json` itself, which remark does not process, go on the
 * first file of the site at 1:1, with the config's own place in the message.
 * Fixes stay with `msol check --fix` and the editor: unified has no fix protocol.
 */

interface FileSetLike {
  use(completer: (set: FileSetLike, done: (error?: Error) => void) => void): FileSetLike;
  valueOf(): VFile[];
}

const logger: Logger = {
  log(level, message, data) {
    // remark reports messages, not logs; a warning about the site (an unreadable folder) goes to stderr like unified's own.
    if (level === 'warn' || level === 'error')
      process.stderr.write(`msol: ${message}${data ? ` ${JSON.stringify(data)}` : ''}\n`);
  },
};

/** The disk of a site, with some files' texts replaced (the texts remark read, possibly unsaved). */
class OverlayFileSystem extends NodeFileSystem {
  readonly #overlay: ReadonlyMap<string, Uint8Array>;

  constructor(root: string, overlay: ReadonlyMap<string, Uint8Array>) {
    super(root, logger);
    this.#overlay = overlay;
  }

  override async readFile(path: string): Promise<Uint8Array | undefined> {
    return this.#overlay.get(path) ?? super.readFile(path);
  }

  override async stat(path: string) {
    const bytes = this.#overlay.get(path);
    return bytes ? { type: 'file' as const, size: bytes.length } : super.stat(path);
  }

  override async readFiles(paths: readonly string[], maxSize: number) {
    const out = await super.readFiles(
      paths.filter((p) => !this.#overlay.has(p)),
      maxSize,
    );
    for (const p of paths) {
      const bytes = this.#overlay.get(p);
      if (bytes) out.set(p, bytes.length > maxSize ? { size: bytes.length } : { size: bytes.length, bytes });
    }
    return out;
  }

  // The disk's stat says nothing of a file's text in memory: an overlaid file is always read (and hashed).
  override statFiles(paths: readonly string[]) {
    const out = super.statFiles(paths.filter((p) => !this.#overlay.has(p)));
    for (const p of paths) if (this.#overlay.has(p)) out.set(p, undefined);
    return out;
  }
}

const encoder = new TextEncoder();

function bytesOf(file: VFile): Uint8Array | undefined {
  const value = file.value as unknown;
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  return undefined;
}

function absolutePath(file: VFile): string | undefined {
  return file.path ? nodePath.resolve(file.cwd, file.path) : undefined;
}

/** The files of a set grouped by the site each belongs to (as `msol check <file>` finds it). */
function bySite(files: readonly VFile[]): Map<string, Map<string, VFile>> {
  const sites = new Map<string, Map<string, VFile>>();
  for (const file of files) {
    const abs = absolutePath(file);
    if (!abs) continue;
    const root = findSiteRoot(nodePath.dirname(abs)) ?? nodePath.resolve(file.cwd);
    const rel = nodePath.relative(root, abs);
    if (rel.startsWith('..') || nodePath.isAbsolute(rel)) continue;
    let site = sites.get(root);
    if (!site) sites.set(root, (site = new Map()));
    site.set(rel.split(nodePath.sep).join('/'), file);
  }
  return sites;
}

/** One site, checked as `msol check` checks it (phase one in bulk with the same cache), its findings put on the set's files. */
async function checkSite(root: string, files: ReadonlyMap<string, VFile>): Promise<void> {
  const overlay = new Map<string, Uint8Array>();
  for (const [path, file] of files) {
    const bytes = bytesOf(file);
    if (bytes) overlay.set(path, bytes);
  }
  const fs = new OverlayFileSystem(root, overlay);
  const project = new Project({ fs, logger });
  const env = process.env;
  const signing = cacheSigning(env, logger);
  const cache = signing
    ? new PhaseOneCache(defaultCacheLocation(root, process.cwd(), env), root, logger, signing)
    : undefined;
  const bulk = new BulkPhaseOne(fs, {
    workers: defaultWorkerCount(env),
    workerPath: defaultWorkerPath(),
    version,
    logger,
    ...(cache ? { cache } : {}),
  });
  try {
    void cache?.load();
    await project.initialize(undefined, undefined, bulk);
  } finally {
    await bulk.close();
  }
  await applyGitHistory(project, root, logger);
  await project.refreshStale();
  const pages = new Set(project.index.pages());
  let first = true;
  for (const [path, file] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (first && pages.has(path)) {
      first = false;
      for (const f of project.configFindings)
        report(
          file,
          { path, absolutePath: absolutePath(file)!, siteRoot: root, findings: [], checked: true },
          configOnPage(f),
        );
    }
    if (!pages.has(path)) continue;
    const text = overlay.has(path) ? new TextDecoder().decode(overlay.get(path)) : undefined;
    const fileReport: FileReport = {
      path,
      absolutePath: absolutePath(file)!,
      siteRoot: root,
      findings: [],
      checked: true,
      ...(text !== undefined ? { text } : {}),
    };
    for (const finding of project.check(path)) report(file, fileReport, finding);
  }
  await bulk.store(project, new Set());
}

/** A problem of `.msolrc.json` (or `.gitbook.yaml`), shown on a page remark processed: 1:1, the config's place in the message. */
function configOnPage(f: Finding): Finding {
  const at = `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
  const origin = { line: 0, character: 0 };
  return { ...f, message: `${at}: ${f.message}`, span: { start: 0, end: 0 }, range: { start: origin, end: origin } };
}

function report(file: VFile, fileReport: FileReport, finding: Finding): void {
  const place = placeOf(fileReport, finding);
  const message = file.message(finding.message, { place, ruleId: finding.ruleId, source: 'msol' });
  // vfile: true is an error, false a warning, undefined an info (msol's info and hint).
  message.fatal = finding.severity === 'error' ? true : finding.severity === 'warning' ? false : undefined;
  if (finding.url) message.url = finding.url;
}

async function checkFiles(files: readonly VFile[]): Promise<void> {
  for (const [root, siteFiles] of bySite(files)) await checkSite(root, siteFiles);
}

/** unified-engine runs this once the whole set is parsed: every file's findings need every other page. */
function msolCompleter(set: FileSetLike, done: (error?: Error) => void): void {
  checkFiles(set.valueOf()).then(() => done(), done);
}

/**
 * The plugin. In a unified-engine host (remark-cli, remark-language-server)
 * the file set is the second argument: the check runs once for the set. Used
 * on its own (`unified().use(...)`), each file is checked in its site alone.
 */
function remarkMsol(this: Processor, _options?: unknown, fileSet?: FileSetLike) {
  if (fileSet) {
    fileSet.use(msolCompleter);
    return undefined;
  }
  return async (_tree: unknown, file: VFile) => {
    await checkFiles([file]);
  };
}

const preset = { plugins: [remarkMsol] };

// `module.exports = preset` in the CommonJS bundle: what `import()` hands unified-engine as the default export.
export = preset;
