// Runs the test layers and prints one closing line: "N passed, N failed".
//   node scripts/run-tests.mjs [engine|lsp|vscode ...]
// engine: in-memory engine, rule fixtures and CLI tests (node:test via tsx)
// lsp:    spawns the bundled server over stdio and speaks the protocol (node:test)
// vscode: the bundled extension in a real VS Code extension host (@vscode/test-electron + mocha)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const all = ['engine', 'lsp', 'vscode'];
const layers = process.argv.slice(2).filter((a) => all.includes(a));
const run = layers.length ? layers : all;

function findTests(dir) {
  const out = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (n === 'fixtures' || n === 'out' || n === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (n.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function exec(cmd, args, env = {}) {
  return new Promise((resolve) => {
    let tail = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      tail = (tail + d.toString()).slice(-20000);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

let passed = 0;
let failed = 0;
let exitCode = 0;
for (const layer of run) {
  console.log(`\n=== ${layer} tests ===`);
  if (layer === 'vscode') {
    const r = await exec('node', ['test/vscode/runTest.js']);
    // runTest.js may run mocha more than once (with a folder, without one): add up every summary.
    const sum = (re) => [...r.tail.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
    const p = sum(/(\d+) passing/g);
    const f = sum(/(\d+) failing/g);
    passed += p;
    failed += f;
    if (r.code !== 0) {
      exitCode = 1;
      if (f === 0) failed += 1; // the host itself failed: count it, never hide it
    }
    continue;
  }
  const files = findTests(join('test', layer));
  if (files.length === 0) {
    console.log(`no ${layer} tests found`);
    exitCode = 1;
    failed += 1;
    continue;
  }
  const r = await exec('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  const p = /ℹ pass (\d+)/.exec(r.tail);
  const f = /ℹ fail (\d+)/.exec(r.tail);
  passed += p ? +p[1] : 0;
  failed += f ? +f[1] : 0;
  if (r.code !== 0) {
    exitCode = 1;
    if (!f || +f[1] === 0) failed += 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode);
