/**
 * A table of contents in GitBook's plainest shape is built without micromark
 * (server/src/engine/parse/outline.ts): the tree must be remark's (with GFM),
 * node for node and position for position, and any other shape must go to
 * micromark. Checked on every SUMMARY.md at hand, the bench sites' tables of
 * contents, and generated outlines made of the shapes and characters the
 * shortcut depends on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parsersForTest } from '../../server/src/engine/parse/markdown';
import { parseOutline } from '../../server/src/engine/parse/outline';
import { generateSite } from '../../scripts/bench/generate-site.mjs';
import { samplePages } from './util';

const repo = resolve(__dirname, '..', '..');

/** The outline's tree when it takes the text, which must be remark's; whether it took it. */
function same(text: string, what: string): boolean {
  const outline = parseOutline(text);
  if (outline) assert.deepEqual(outline, parsersForTest.full(text), what);
  return outline !== undefined;
}

test("every SUMMARY.md at hand: the outline's tree is remark's, or the text goes to micromark", () => {
  const summaries = samplePages(repo).filter((p) => basename(p) === 'SUMMARY.md');
  assert.ok(summaries.length >= 3, `tables of contents found: ${summaries.length}`);
  let taken = 0;
  for (const p of summaries) if (same(readFileSync(p, 'utf8'), p)) taken++;
  assert.ok(taken >= 1, 'at least one real table of contents takes the shortcut');
});

test("a generated site's table of contents (2,000 entries) takes the shortcut, and parseDocument's parser gives remark's tree", () => {
  const out = mkdtempSync(join(tmpdir(), 'msol-outline-'));
  try {
    generateSite({ pages: 2000, out, seed: 3 });
    const text = readFileSync(join(out, 'SUMMARY.md'), 'utf8');
    assert.ok(text.length >= 8 * 1024);
    assert.ok(same(text, 'generated SUMMARY.md'), 'the generated table of contents is of the plain shape');
    assert.deepEqual(parsersForTest.fast(text), parsersForTest.full(text));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/** A small seeded generator (mulberry32): the same outlines on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('generated outlines, plain and with every shape and character the shortcut must refuse: its trees are always remark’s', () => {
  const next = random(16);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  // Labels: plain words, and pieces that inline syntax reads (escapes, emphasis, code, references, autolinks, HTML).
  const words = ['Crew', 'Dyad', 'Five scales', 'Café', 'A & B', 'Why?', '“Quoted”', 'x’s', '1. First', '(aside)'];
  const risky = [
    'Q&A;',
    '# 1',
    '\\#1',
    '*em*',
    '_u_',
    '`code`',
    '&amp;',
    'www.example.com',
    'a@b.cc',
    'http://x.y',
    '<b>',
    '~s~',
    '[^1]',
    ' lead',
    'trail ',
  ];
  const urls = ['a.md', 'part-1/b.md', 'c/README.md#anchor', 'd%20e.md', 'f.md?x=1', 'g_h.md'];
  const riskyUrls = ['a b.md', '<a.md>', 'a.md "title"', 'a(b).md', 'a\\b.md', '&amp;.md'];
  let taken = 0;
  let refused = 0;
  for (let round = 0; round < 600; round++) {
    const lines: string[] = [];
    // Half the outlines are plain (the shortcut's shape); the others may hold anything it must refuse.
    const noisy = next() < 0.5;
    const odd = (p: number) => noisy && next() < p;
    const bullet = next() < 0.5 ? '*' : '-';
    let depth = -1;
    const n = 1 + Math.floor(next() * 25);
    for (let i = 0; i < n; i++) {
      const r = next();
      if (r < 0.08) {
        // A heading ends the list: the next item starts a new one at the top level.
        if (!odd(0.5)) lines.push('');
        lines.push(`${'#'.repeat(1 + Math.floor(next() * 3))} ${odd(0.3) ? pick(risky) : pick(words)}`);
        if (!odd(0.5)) lines.push('');
        depth = -1;
      } else if (odd(0.05)) lines.push('');
      else if (odd(0.03))
        lines.push(pick(['   ', '\t* [t](t.md)', '* [a](a.md)\r', 'text', '1. [o](o.md)', '---', '> [q](q.md)']));
      else {
        // The indent a child or a sibling needs; in noisy outlines, sometimes one that is off by one or jumps.
        const d = odd(0.1)
          ? Math.floor(next() * 4)
          : Math.max(0, Math.min(depth + 1, depth + 1 - Math.floor(next() * 3)));
        depth = d;
        const indent = ' '.repeat(2 * d + (odd(0.05) ? 1 : 0));
        const mark = odd(0.03) ? (bullet === '*' ? '-' : '*') : bullet;
        const label = odd(0.1) ? pick(risky) : pick(words);
        const url = odd(0.07) ? pick(riskyUrls) : pick(urls);
        lines.push(`${indent}${mark} [${label}](${url})`);
      }
    }
    const text = lines.join('\n').replace(/^\n+/, pick(['', '\n'])) + pick(['\n', '', '\n\n']);
    if (same(text, JSON.stringify(text))) taken++;
    else refused++;
  }
  // Both paths were exercised.
  assert.ok(taken >= 100, `outlines taken: ${taken}`);
  assert.ok(refused >= 100, `outlines refused: ${refused}`);
});

test('refused: the shapes remark reads otherwise', () => {
  for (const text of [
    '* [a](a.md)\n\n* [b](b.md)\n', // loose list
    '* [a](a.md)\n - [b](b.md)\n', // another bullet, odd indent
    '* [a](a.md)\n      * [b](b.md)\n', // a paragraph's continuation, not a child
    '  * [a](a.md)\n', // indented first item
    '* [a](a.md "title")\n',
    '* [\\#1](a.md)\n',
    '# Title #\n',
    '* [a](a.md)\r\n',
  ])
    assert.equal(parseOutline(text), undefined, JSON.stringify(text));
});
