/**
 * parseDocument parses with faster parsers (performance shortcuts): GFM's
 * email autolink construct left out of text without an `@`, the table
 * construct out of text without a `|` (and, with one, tried only above a
 * possible delimiter row), the `www.` and `http` autolink constructs guarded
 * by a look at the text ahead. They must give the very
 * same tree as the full parser: every fixture, example and corpus page (as
 * is and without `@`/`|`), a generated site, hand-made edge cases and
 * random text made of the characters the shortcuts depend on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsersForTest } from '../../server/src/engine/parse/markdown';
import { generateSite } from '../../scripts/bench/generate-site.mjs';
import { samplePages } from './util';

const repo = resolve(__dirname, '..', '..');

test('the shortcuts are in effect (remark-gfm still has the constructs they rely on)', () => {
  assert.equal(parsersForTest.shortcutsInEffect, true);
});

test('the shortcuts survive minification (the product bundles keep no function names)', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'msol-minified-'));
  try {
    const entry = join(tmp, 'entry.ts');
    writeFileSync(
      entry,
      `export { parsersForTest } from ${JSON.stringify(join(repo, 'server', 'src', 'engine', 'parse', 'markdown.ts'))};\n`,
    );
    const out = join(tmp, 'parser.cjs');
    // The options of scripts/build.mjs that can change names and shapes.
    await build({
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      keepNames: false,
      mainFields: ['module', 'main'],
      supported: { 'regexp-unicode-property-escapes': true },
      nodePaths: [join(repo, 'node_modules')],
      logLevel: 'error',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = (require(out) as { parsersForTest: typeof parsersForTest }).parsersForTest;
    assert.equal(bundled.shortcutsInEffect, true);
    const text = 'www.a.com and a@b.co | x\n\n| a |\n| - |\n';
    assert.equal(JSON.stringify(bundled.fast(text)), JSON.stringify(parsersForTest.full(text)));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('identical trees: fixtures, examples, the corpus, a generated site and edge cases', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'msol-parse-'));
  try {
    generateSite({ pages: 60, out: tmp, seed: 11 });
    const files = samplePages(repo, tmp);
    const originals = files.map((f) => readFileSync(f, 'utf8'));
    const texts = [
      ...originals,
      ...originals.map((t) => t.replace(/@/g, '(at)')),
      ...originals.map((t) => t.replace(/[@|]/g, '-')),
    ];
    texts.push(
      'www.example.com and http://example.com/a_b, https://x.y/z?q=1#f, ftp://nope, mailto:someone',
      'a.b-c_d+e f contact.example.org foo_bar.baz x+y',
      '**bold**_under_ ~~strike~~ [link](url) <https://auto.link> `code` www.',
      '| a | b |\n| - | - |\n| www.x.com | c+d.e |\n',
      'Text with trailing dot. And a-dash, and_underscore, and.dot.words.',
      'WWW.EXAMPLE.COM, Www.x.org, wWw.y.net, HTTP://A.B, HttpS://c.d/e, xwww.no, xhttp://no, http:/no, httpx://no, www.\nwww',
      'tab\twww.a.com\r\nCRLF http://b.c/d\r\n\r\n* item https://e.f\r\n  > quote www.g.h\r\n',
      'a@b.c www.d.e http://f.g | not a table\n\n| h | i |\n|---|---|\n| www.j.k | l@m.n |',
      '[http://in.link](http://x.y) ![www.alt.text](www.img.z) `http://code` <http://auto> **www.bold.x**',
      '    indented http://code\n\n```\nwww.fenced.x\n```\n\nafter www.x.y.',
      'entities: a&#64;b.co, &#119;ww.c.d, http&#58;//e.f, [link www.g.h](x) [ref http://i.j][r]\n\n[r]: http://k.l',
      // Tables: the head row needs a delimiter row on the next raw line, after any container prefix.
      'a\n-|\n\nb\n:-\n\nc\n|-\n\nd | e\n-|-\nf | g\nh\n\ni | j\n- | -\n',
      '> | a | b |\n> | - | - |\n> | c | d |\n\n- | e | f |\n  |:-:|--:|\n  | g | h |\n\n1. x | y\n   ---|---\n',
      '| a | b |\r\n| - | - |\r\n| c | d |\r\rnot | a table\r| - |\n| x |\n\n| a |\n|   -   |\n\ttab | row\n\t-|-\n',
      'text | with pipe\nno delimiter | here\n\n| a |\n| b |\n\n| a |\n|-x-|\n\n| a |\n> | - |\n\n| a |\n\n| - |\n\n| a |\n    | - |\n',
    );
    // Random text over the characters the shortcuts depend on (seeded, reproducible).
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pieces = [
      'w',
      'W',
      'h',
      'H',
      'ttp',
      'ww',
      '.',
      ':',
      '//',
      's',
      '|',
      '|',
      '-|-',
      '@',
      ' ',
      '\t',
      '\n',
      '\r\n',
      '-',
      '*',
      '[',
      ']',
      '(',
      ')',
      '<',
      '>',
      '`',
      '~',
      '_',
      'a',
      'x.y',
      '> ',
      '# ',
      '1. ',
    ];
    for (let i = 0; i < 400; i++) {
      let t = '';
      const n = 5 + Math.floor(random() * 80);
      for (let j = 0; j < n; j++) t += pieces[Math.floor(random() * pieces.length)];
      texts.push(t);
    }
    let compared = 0;
    for (const t of texts) {
      assert.equal(
        JSON.stringify(parsersForTest.fast(t)),
        JSON.stringify(parsersForTest.full(t)),
        JSON.stringify(t.slice(0, 200)),
      );
      compared++;
    }
    assert.ok(compared > 100, `compared ${compared} texts`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
