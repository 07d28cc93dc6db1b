/**
 * Front matter has a fast path (parse/frontMatter.ts) for the shape GitBook
 * writes. Whenever it answers, the answer must be the `yaml` package's; it
 * must answer for that common shape (or it saves nothing); anything else goes
 * to `yaml`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseFrontMatter, simpleFrontMatter } from '../../server/src/engine/parse/frontMatter';
import { generateSite } from '../../scripts/bench/generate-site.mjs';
import { samplePages } from './util';

const repo = resolve(__dirname, '..', '..');

function yamlOrError(text: string): unknown {
  try {
    return { value: parseYaml(text) as unknown };
  } catch (error) {
    return { error: String(error) };
  }
}

/** The fast path answers only with yaml's value. */
function check(text: string): boolean {
  const fast = simpleFrontMatter(text);
  if (fast === undefined) return false;
  assert.deepEqual({ value: fast }, yamlOrError(text), JSON.stringify(text));
  assert.equal(Object.getPrototypeOf(fast), Object.prototype);
  return true;
}

test("the fast path gives yaml's value for every front matter of the fixtures, examples, corpus and a generated site", () => {
  const tmp = mkdtempSync(join(tmpdir(), 'msol-fm-'));
  try {
    generateSite({ pages: 80, out: tmp, seed: 3 });
    const files = samplePages(repo, tmp);
    let found = 0;
    let answered = 0;
    for (const f of files) {
      const m = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(readFileSync(f, 'utf8'));
      if (!m) continue;
      found++;
      if (check(m[1]!)) answered++;
    }
    assert.ok(found > 60, `front matters found: ${found}`);
    assert.ok(answered > found * 0.8, `the fast path answered ${answered} of ${found}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("variations: either yaml's value or no answer (then yaml reads it)", () => {
  const cases = [
    'description: >-\n  One line.',
    'description: >-\n  Two\n  lines: with # and : inside.',
    'description: >-\n    Deeper indent\n    kept',
    'description: >-\n  a\n   more indented',
    'description: >-\n  a\n\n  blank line',
    'description: >-\n  trailing space \n  b',
    'description: >-',
    'title: Plain text, with commas [and] {braces}',
    'title: 12',
    'title: 1.5',
    'title: .5',
    'title: 1e3',
    'title: 0x1F',
    'title: 0o17',
    'title: +3',
    'title: -3',
    'title: .inf',
    'title: .NaN',
    'title: true',
    'title: False',
    'title: NULL',
    'title: ~',
    'title: yes',
    'title: on',
    'title: 2020-01-01',
    'title: 1.2.3',
    'title: a: b',
    'title: a #comment',
    'title: a#b',
    'title: "quoted"',
    "title: 'single'",
    'title: *alias',
    'title: &anchor x',
    'title: !tag x',
    'title: |',
    'title: >',
    'title: - item',
    'title: [a, b]',
    'title: {a: 1}',
    'title: ends with colon:',
    'title: x\n  continued',
    'title:',
    'title: ',
    'title: x\ntitle: y',
    '__proto__: x',
    'constructor: x',
    'null: x',
    'True: x',
    'Null: x',
    'a: one\nb: >-\n  two\n  three\nc: four',
    '%YAML 1.1\n---\nx: yes',
    'a: b\n...',
    'a: b\r\nc: d',
    'a:\tb',
    'k-e_y9: v',
    '9key: v',
    'description: >-\n  Ünïcödé — “quotes” and emoji 🙂',
  ];
  let answered = 0;
  for (const c of cases) if (check(c)) answered++;
  assert.ok(answered >= 10, `answered ${answered}`);
  // Random lines made of the characters that matter.
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces = [
    'key',
    'x',
    ': ',
    ':',
    ' ',
    '  ',
    '\n',
    '\n  ',
    '>-',
    '#',
    '-',
    '"',
    "'",
    '1',
    '.',
    'true',
    'null',
    '[',
    '{',
    'a b',
    ',',
    '~',
    '|',
  ];
  for (let i = 0; i < 2000; i++) {
    let t = 'k: ';
    const n = 1 + Math.floor(random() * 12);
    for (let j = 0; j < n; j++) t += pieces[Math.floor(random() * pieces.length)];
    check(t);
  }
  // parseFrontMatter is yaml for everything else: errors included.
  assert.throws(() => parseFrontMatter('a: b\na: c'));
  assert.deepEqual(parseFrontMatter('title: 12'), { title: 12 });
});
