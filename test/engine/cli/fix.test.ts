import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureBuilt, msol, onlyRules, tempDir, writeFiles } from './cliHarness';

/**
 * `msol check --fix` on real files: a page moved into a folder and a mojibake
 * sequence, in a file with a BOM and CRLF line ends. Only the edited bytes
 * change, files without fixes are not written, suggestions are not applied,
 * and a second run changes nothing.
 */

before(ensureBuilt);
after(cleanup);

const mojibake = '\u00e2\u20ac\u201d'; // `â€”`: an em dash's UTF-8 bytes read as Windows-1252
const bom = '\uFEFF';

const before_ = {
  '.msolrc.json': onlyRules(['link-missing-file', 'encoding-mojibake']),
  'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Intro](guides/intro.md)\n',
  'articles/proposal.md': '# Proposal\n\nMicrosolidarity is a set of practices.\n',
  'README.md': `${bom}# Home\r\n\r\nRead the [proposal](proposal.md) ${mojibake} it is short.\r\nA [gone](nowhere.md) link and a [todo](todo.md) stay.  \r\nNo newline at the end`,
  'a/todo.md': '# Todo A\n',
  'b/todo.md': '# Todo B\n',
  'guides/intro.md': '# Intro\r\n\r\nSee [the proposal](../proposal.md).\r\n',
  'untouched.md': '# Untouched\r\n\r\nNothing to fix here.\r\n',
};

const after_ = {
  ...before_,
  'README.md': `${bom}# Home\r\n\r\nRead the [proposal](articles/proposal.md) \u2014 it is short.\r\nA [gone](nowhere.md) link and a [todo](todo.md) stay.  \r\nNo newline at the end`,
  'guides/intro.md': '# Intro\r\n\r\nSee [the proposal](../articles/proposal.md).\r\n',
};

const old = new Date('2001-02-03T04:05:06Z');

function ageAll(site: string): void {
  for (const p of Object.keys(before_)) utimesSync(join(site, p), old, old);
}

function snapshot(site: string) {
  return Object.fromEntries(
    Object.keys(before_).map((p) => [
      p,
      { bytes: readFileSync(join(site, p)), mtime: statSync(join(site, p)).mtimeMs },
    ]),
  );
}

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

test('--fix applies safe fixes with the smallest edits, keeps BOM and CRLF, writes only changed files; a second --fix is a no-op', () => {
  const site = writeFiles(tempDir(), before_);
  const filesBefore = listAll(site);
  ageAll(site);

  const first = msol(['check', '--fix'], { cwd: site });
  assert.match(first.stderr, /applied 3 fixes in 2 files/);
  // What is left: the missing file without a candidate, and the ambiguous one (two todo.md: suggestions, never applied).
  assert.equal(first.code, 1, first.stderr);
  assert.match(
    first.stdout,
    /^README\.md\n {2}4:\d+ +error +Unexpected link to missing file `nowhere\.md`.*\n {2}4:\d+ +error +Unexpected link to missing file `todo\.md`/m,
  );
  assert.match(first.stdout, /\u2716 2 problems \(2 errors, 0 warnings\)/);

  const fixed = snapshot(site);
  for (const [path, content] of Object.entries(after_)) {
    assert.ok(
      fixed[path]!.bytes.equals(Buffer.from(content, 'utf8')),
      `${path} is byte for byte as expected:\n${fixed[path]!.bytes.toString('utf8')}`,
    );
  }
  assert.deepEqual([...fixed['README.md']!.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is still there');
  for (const path of ['SUMMARY.md', 'articles/proposal.md', 'a/todo.md', 'b/todo.md', 'untouched.md']) {
    assert.equal(fixed[path]!.mtime, old.getTime(), `${path} was not written`);
  }
  for (const path of ['README.md', 'guides/intro.md'])
    assert.notEqual(fixed[path]!.mtime, old.getTime(), `${path} was written`);
  assert.deepEqual(listAll(site), filesBefore, 'no temporary or backup files are left behind');

  ageAll(site);
  const second = msol(['check', '--fix'], { cwd: site });
  assert.match(second.stderr, /no fixes applied/);
  assert.equal(second.code, 1);
  assert.equal(second.stdout, first.stdout, 'the same problems are left');
  const again = snapshot(site);
  for (const path of Object.keys(before_)) {
    assert.ok(again[path]!.bytes.equals(fixed[path]!.bytes), `${path} unchanged by the second run`);
    assert.equal(again[path]!.mtime, old.getTime(), `${path} not written by the second run`);
  }
});

test('--fix on a single file fixes that file only', () => {
  const site = writeFiles(tempDir(), before_);
  const r = msol(['check', 'guides/intro.md', '--fix'], { cwd: site });
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stderr, /applied 1 fix in 1 file/);
  assert.equal(readFileSync(join(site, 'guides/intro.md'), 'utf8'), after_['guides/intro.md']);
  assert.equal(readFileSync(join(site, 'README.md'), 'utf8'), before_['README.md']);
});

test('without --fix nothing is written', () => {
  const site = writeFiles(tempDir(), before_);
  ageAll(site);
  const r = msol(['check'], { cwd: site });
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /fix/);
  for (const [path, s] of Object.entries(snapshot(site))) assert.equal(s.mtime, old.getTime(), path);
});
