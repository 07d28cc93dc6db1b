/**
 * Helpers for the CLI tests: build the bundle when it is missing or older than
 * its sources, write throw-away sites, and run `node bin/msol.js` the way a
 * user or CI does (a real process, real files, real exit codes).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ruleIds } from '../../../server/src/engine/index';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const bin = join(repoRoot, 'bin', 'msol.js');
const bundle = join(repoRoot, 'server', 'out', 'msol.js');

function newestSource(): number {
  let newest = statSync(join(repoRoot, 'package.json')).mtimeMs;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'fixtures' && e.name !== 'fixtures-fixed') walk(p);
      } else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['cli', 'engine', 'node'])
    if (existsSync(join(repoRoot, 'server', 'src', d))) walk(join(repoRoot, 'server', 'src', d));
  return newest;
}

const isFresh = () => existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource();

/** `npm test` builds first; a bare `run-tests.mjs engine` may not have: build the bundles then. */
export function ensureBuilt(): void {
  if (isFresh()) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  // The build script builds every entry; judge by the CLI bundle, not by other entries' failures.
  assert.ok(isFresh(), `server/out/msol.js could not be built:\n${r.stderr}`);
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const testCacheHome = join(tmpdir(), `msol-test-cache-${process.pid}`);

/** Runs `node bin/msol.js …args` in `cwd`. Colour variables of the test's own environment are dropped. */
export function msol(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): RunResult {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    MSOL_LOG: undefined,
    NODE_OPTIONS: undefined,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  // msol's cache goes to the user's cache folder for sites without node_modules: keep the tests' out of the real one.
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { XDG_CACHE_HOME: testCacheHome, ...env, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];

/** A fresh temporary folder (real path: the CLI reports real paths). Removed by `cleanup()`. */
export function tempDir(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'msol-cli-')));
  temps.push(d);
  return d;
}

export type SiteSpec = Readonly<Record<string, string | Uint8Array>>;

/** Writes files (site-relative POSIX paths) under `dir`, creating folders. */
export function writeFiles(dir: string, files: SiteSpec): string {
  for (const [p, content] of Object.entries(files)) {
    const abs = join(dir, ...p.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return dir;
}

export function cleanup(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * A `.msolrc.json` that leaves on only the given rules. CLI tests are about
 * the CLI: rules added to the registry later must not change what they see.
 */
export function onlyRules(keep: readonly string[], severities: Readonly<Record<string, string>> = {}): string {
  for (const id of keep) assert.ok(ruleIds.includes(id), `rule ${id} is in the registry`);
  const rules: Record<string, string> = {};
  for (const id of ruleIds) if (!keep.includes(id)) rules[id] = 'off';
  // The test sites are GitBook sites, most without a SUMMARY.md: say so (a plain folder gets link checks only).
  return JSON.stringify({ site: { kind: 'gitbook' }, rules: { ...rules, ...severities } }, null, 2) + '\n';
}

export const ansi = /\u001b\[/;
