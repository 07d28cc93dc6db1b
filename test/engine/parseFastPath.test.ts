/**
 * parseDocument parses text without an `@` with a parser that leaves out
 * GFM's email autolink construct (a performance shortcut). It must give the
 * very same tree as the full parser: every fixture, example and corpus page,
 * a generated site, and hand-made edge cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsersForTest } from '../../server/src/engine/parse/markdown';
import { generateSite } from '../../scripts/bench/generate-site.mjs';

const repo = resolve(__dirname, '..', '..');

function markdownFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir)) {
    if (n === 'node_modules' || n === 'out') continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) markdownFiles(p, out);
    else if (n.endsWith('.md')) out.push(p);
  }
  return out;
}

test('the parser without email autolinks is a different parser (the shortcut is in effect)', () => {
  assert.notEqual(parsersForTest.withoutEmailAutolinks, parsersForTest.full);
});

test('identical trees on text without @: fixtures, examples, the corpus, a generated site and edge cases', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'msol-parse-'));
  try {
    generateSite({ pages: 60, out: tmp, seed: 11 });
    const files = [
      ...markdownFiles(join(repo, 'server', 'src', 'engine', 'rules')),
      ...markdownFiles(join(repo, 'examples')),
      ...markdownFiles(join(repo, '..', 'shared', 'corpus')),
      ...markdownFiles(join(repo, 'test')),
      ...markdownFiles(tmp),
    ];
    const texts = files.map((f) => readFileSync(f, 'utf8').replace(/@/g, '(at)'));
    texts.push(
      'www.example.com and http://example.com/a_b, https://x.y/z?q=1#f, ftp://nope, mailto:someone',
      'a.b-c_d+e f contact.example.org foo_bar.baz x+y',
      '**bold**_under_ ~~strike~~ [link](url) <https://auto.link> `code` www.',
      '| a | b |\n| - | - |\n| www.x.com | c+d.e |\n',
      'Text with trailing dot. And a-dash, and_underscore, and.dot.words.',
    );
    let compared = 0;
    for (const t of texts) {
      assert.equal(JSON.stringify(parsersForTest.withoutEmailAutolinks.parse(t)), JSON.stringify(parsersForTest.full.parse(t)), t.slice(0, 200));
      compared++;
    }
    assert.ok(compared > 100, `compared ${compared} texts`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
