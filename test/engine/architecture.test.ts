import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Architecture invariant: the engine does no I/O and knows nothing of LSP or
 * VS Code. Hosts hand it a FileSystem, a Logger and cancellation. This test
 * reads every engine source file's imports and fails on a forbidden one.
 */
const forbidden = [
  /^(node:)?fs(\/|$)/,
  /^(node:)?child_process$/,
  /^(node:)?net$/,
  /^(node:)?http/,
  /^(node:)?worker_threads$/,
  /^vscode$/,
  /^vscode-languageserver/,
  /^vscode-languageclient/,
  /^vscode-jsonrpc/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === 'fixtures' || n === 'fixtures-fixed') return [];
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('engine modules import no file system, process, network, VS Code or LSP module', () => {
  const files = sources(join(__dirname, '..', '..', 'server', 'src', 'engine'));
  assert.ok(files.length > 10, 'engine sources were found');
  const offenders: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g,
    )) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
      if (forbidden.some((r) => r.test(spec))) offenders.push(`${f}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the engine imports nothing outside its own folder but packages', () => {
  const engineDir = join(__dirname, '..', '..', 'server', 'src', 'engine');
  const offenders: string[] = [];
  for (const f of sources(engineDir)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from\s*|import\s*|import\(\s*)['"](\.[^'"]+)['"]/g)) {
      const target = resolve(dirname(f), m[1]!);
      if (!target.startsWith(engineDir)) offenders.push(`${f}: ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, []);
});
