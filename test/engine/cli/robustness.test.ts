import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { bin, cleanup, ensureBuilt, msol, onlyRules, repoRoot, tempDir, writeFiles } from './cliHarness';
import { userCacheFolder } from '../../../server/src/node/cache';

/**
 * Bad input never crashes the CLI and never makes it read outside the site:
 * binary and non-UTF-8 pages, an oversize page, symbolic-link loops and links
 * out of the site, links climbing to /etc/passwd. A preloaded module records
 * every file and folder the process reads.
 */

before(ensureBuilt);
after(cleanup);

/** Loaded with `node --require` before the CLI: logs each path handed to a reading fs function. */
const recorder = `'use strict';
const fs = require('fs');
const path = require('path');
const seen = [];
// The real location: a read through a symbolic link to outside the site must show as outside.
const realpath = fs.realpathSync.native;
const real = (p) => {
  try {
    return realpath(p);
  } catch {
    return path.resolve(p);
  }
};
const note = (p) => {
  if (typeof p === 'string') seen.push(real(p));
  else if (p instanceof URL) seen.push(real(p.pathname));
  else if (Buffer.isBuffer(p)) seen.push(real(p.toString()));
};
const wrap = (obj, name) => {
  const original = obj[name];
  if (typeof original !== 'function') return;
  obj[name] = function (p, ...rest) { note(p); return original.call(this, p, ...rest); };
};
for (const n of ['readFile', 'readFileSync', 'open', 'openSync', 'readdir', 'readdirSync', 'opendir', 'opendirSync', 'createReadStream']) wrap(fs, n);
for (const n of ['readFile', 'open', 'readdir', 'opendir']) wrap(fs.promises, n);
const write = fs.writeFileSync;
process.on('exit', () => write(process.env.MSOL_READ_LOG, seen.join('\\n')));
`;

function inside(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

test('binary, non-UTF-8 and huge pages, symlink loops and links out of the site: reported, no crash, nothing outside read', () => {
  const tmp = tempDir();
  const outside = join(tmp, 'outside');
  const site = join(tmp, 'site');
  writeFiles(outside, { 'secret.md': '# Secret\n\nA \u00e2\u20ac\u201d would be reported if this were read.\n' });
  writeFiles(site, {
    '.msolrc.json': onlyRules(['link-missing-file', 'encoding-mojibake']),
    'README.md': [
      '# Home',
      '',
      '* [passwd](../../../etc/passwd)',
      '* [secret](../outside/secret.md)',
      '* [linked](linked.md)',
      '* [loop](loop.md)',
      '* [binary](binary.md)',
      '',
    ].join('\n'),
    'binary.md': new Uint8Array([0x23, 0x20, 0x00, 0x01, 0xff, 0x0a]),
    'latin1.md': new Uint8Array([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]), // "# Café" in Latin-1
    'huge.md': '# Huge\n\n' + 'All work and no play. '.repeat(120_000),
    'sub/page.md': '# Sub\n',
  });
  symlinkSync(join(outside, 'secret.md'), join(site, 'linked.md')); // a file link out of the site
  symlinkSync('loop.md', join(site, 'loop.md')); // a link to itself
  symlinkSync('..', join(site, 'sub', 'up')); // a folder loop
  symlinkSync(outside, join(site, 'outdir')); // a folder link out of the site

  const preload = join(tmp, 'record-reads.cjs');
  writeFileSync(preload, recorder);
  const log = join(tmp, 'reads.log');
  // The one documented place outside the site msol reads and writes: its cache folder (the user's, as the site has no node_modules).
  const cacheHome = join(tmp, 'cache-home');
  const r = msol(['check', '--format', 'json'], {
    cwd: site,
    env: { NODE_OPTIONS: `--require ${preload}`, MSOL_READ_LOG: log, XDG_CACHE_HOME: cacheHome, MSOL_CACHE_KEY: '' },
  });

  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|TypeError|RangeError|at .*\.js:\d+/);
  const files = JSON.parse(r.stdout) as Array<{
    path: string;
    messages: Array<{ ruleId: string; reason: string; line: number; column: number }>;
  }>;
  const byPath = new Map(files.map((f) => [f.path, f.messages]));
  for (const p of ['binary.md', 'latin1.md', 'huge.md']) {
    const m = byPath.get(p);
    assert.equal(m?.length, 1, `${p} is reported`);
    assert.equal(m![0]!.ruleId, 'file-unreadable');
    assert.equal(m![0]!.line, 1);
  }
  assert.match(byPath.get('binary.md')![0]!.reason, /binary/);
  assert.match(byPath.get('latin1.md')![0]!.reason, /UTF-8/);
  assert.match(byPath.get('huge.md')![0]!.reason, /MB/);
  const readme = byPath.get('README.md')!.map((m) => m.reason);
  assert.equal(readme.filter((m) => /`\.\.\/\.\.\/\.\.\/etc\/passwd` that leaves the site/.test(m)).length, 1);
  assert.equal(readme.filter((m) => /`\.\.\/outside\/secret\.md` that leaves the site/.test(m)).length, 1);
  // Links out of the site and loops are not files of the site.
  assert.ok(readme.some((m) => /missing file `linked\.md`/.test(m)));
  assert.ok(readme.some((m) => /missing file `loop\.md`/.test(m)));
  assert.ok(
    !files.some((f) => /secret|outdir|sub\/up/.test(f.path)),
    'nothing behind a link out of the site or a loop is listed',
  );

  const reads = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  assert.ok(
    reads.some((p) => p === join(site, 'README.md')),
    'the recorder saw the pages being read',
  );
  const cacheFolder = userCacheFolder({ XDG_CACHE_HOME: cacheHome });
  const strays = reads.filter(
    (p) => !inside(site, p) && !inside(repoRoot, p) && !inside(cacheFolder, p) && p !== preload,
  );
  assert.deepEqual(strays, [], 'nothing outside the site (and the tool itself) was read');
});

test(
  'an unreadable page is reported and the rest is still checked',
  { skip: process.getuid?.() === 0 ? 'root reads any file' : false },
  () => {
    const site = writeFiles(tempDir(), {
      '.msolrc.json': onlyRules(['link-missing-file']),
      'README.md': '# Home\n\n[x](gone.md)\n',
      'locked.md': '# Locked\n',
    });
    chmodSync(join(site, 'locked.md'), 0o000);
    const r = msol(['check', '--format', 'json'], { cwd: site });
    chmodSync(join(site, 'locked.md'), 0o644);
    assert.equal(r.code, 1);
    const files = JSON.parse(r.stdout) as Array<{ path: string; messages: Array<{ ruleId: string }> }>;
    assert.equal(files.find((f) => f.path === 'locked.md')!.messages[0]!.ruleId, 'file-unreadable');
    assert.equal(files.find((f) => f.path === 'README.md')!.messages[0]!.ruleId, 'link-missing-file');
  },
);

test('a closed stdout pipe (`msol check | head`) ends the process without an error', async () => {
  const site = writeFiles(tempDir(), {
    '.msolrc.json': onlyRules(['link-missing-file']),
    'README.md': '# Home\n\n' + '[x](gone.md)\n'.repeat(5_000),
  });
  const child = spawn(process.execPath, [bin, 'check'], { cwd: site, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // Read one chunk (the report is far larger than a pipe's buffer), then hang up like `head` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.doesNotMatch(stderr, /EPIPE|internal error|Error/);
  assert.ok(code === 0 || code === 1, `exit code ${code}`);
});
