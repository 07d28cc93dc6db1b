/**
 * The glossary's word scanning is written for speed (a term pattern grouped
 * by first letter, a backwards scan for the word before a term). Each must
 * find exactly what the plain regular expression it replaces finds: checked
 * here against that expression, on hand-made and random text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wholeWordPattern, wordBefore } from '../../server/src/engine/glossary/words';

let seed = 5;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** The pattern as it was before grouping: every word (both apostrophe spellings) in one flat list. */
function flatPattern(words: readonly string[]): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alts = [...new Set(words.filter(Boolean))]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map((w) => escape(w).replace(/['’]/g, "['’]").replace(/ /g, '\\s+'));
  return new RegExp(
    `(?<![\\p{L}\\p{N}\\p{M}_\\-@#\\\\/]|[\\p{L}\\p{N}]\\.)(?:${alts.join('|')})(?![\\p{L}\\p{N}\\p{M}_\\-@/]|\\\\[\\p{L}\\p{N}]|['’]\\p{L}|\\.[\\p{L}\\p{N}])`,
    'giu',
  );
}

const matches = (pattern: RegExp, text: string) => [...text.matchAll(pattern)].map((m) => `${m.index}:${m[0]}`);

test('the term pattern grouped by first letter matches exactly what the flat list matched', () => {
  const vocabularies = [
    [
      'Crew',
      'Crews',
      "Crew's",
      'Crew’s',
      "Crews'",
      'Congregation',
      'Congregations',
      'Self',
      'Selves',
      'Microsolidarity',
      'Assembly',
      'Assemblies',
      'Dyad',
      'Guild',
      'Weaver',
      'Kin',
    ],
    ['Mutual aid', 'Mutual', 'aid', 'A', 'I', 'Ask'],
    // Groups must fold case: a short word of one spelling may not win over a longer one of another.
    ['crew assembly extra', 'crew', 'Crew council'],
    // A word that does not start with an ASCII letter keeps the flat list.
    ['Élan', 'Elan', 'crew', '’Tis'],
  ];
  const pieces = [
    'Crew council',
    'crew assembly extra',
    'Crew',
    'crew',
    'CREW',
    'Crews',
    "Crew's",
    'Crew’s',
    'crews’',
    'Congregation',
    'congregations',
    'self',
    'ſelf',
    'Selves',
    'KIN',
    'Kin',
    'mutual  aid',
    'Mutual\naid',
    'a',
    'A',
    'I',
    'ask',
    'Élan',
    'elan',
    '’tis',
    ' ',
    ' ',
    '. ',
    '-',
    '_',
    '@',
    '#',
    '/',
    '\\',
    "'",
    '’',
    'x',
    '1',
    '.',
    'microsolidarity',
    'Assembly',
    'assemblies',
    'dyad',
    'guild',
    'weaver',
  ];
  let compared = 0;
  for (const words of vocabularies) {
    const grouped = wholeWordPattern(words)!;
    const flat = flatPattern(words);
    for (let i = 0; i < 400; i++) {
      let text = '';
      const n = 1 + Math.floor(random() * 30);
      for (let j = 0; j < n; j++) text += pick(pieces);
      assert.deepEqual(matches(grouped, text), matches(flat, text), JSON.stringify(text));
      compared++;
    }
  }
  assert.equal(compared, 1600);
  assert.deepEqual(matches(wholeWordPattern(vocabularies[2]!)!, 'A Crew council'), ['2:Crew council']);
  assert.deepEqual(matches(wholeWordPattern(vocabularies[0]!)!, "A Crew's crews, self-made Crews’ selves"), [
    "2:Crew's",
    '9:crews',
    '26:Crews’',
    '33:selves',
  ]);
});

test('the word before a position: what the regular expression finds in the slice', () => {
  const oracle = (text: string, at: number, lo: number) => {
    const slice = text.slice(lo, at);
    const m = /(?:^|[^\p{L}\p{M}'’-])([\p{L}][\p{L}\p{M}'’-]*)[ \t]+$/u.exec(slice);
    return m ? { word: m[1]!, start: at - m[0].length + m[0].indexOf(m[1]!) } : undefined;
  };
  const pieces = [
    'Crew',
    'the',
    'Économie',
    'naïve',
    'e\u0301',
    '’s',
    "'",
    '-',
    ' ',
    '  ',
    '\t',
    '\n',
    '.',
    ',',
    '1',
    '2nd',
    '𝐀',
    '😀',
    '_',
    'x',
    'A',
  ];
  let found = 0;
  for (let i = 0; i < 6000; i++) {
    let text = '';
    const n = 1 + Math.floor(random() * 12);
    for (let j = 0; j < n; j++) text += pick(pieces);
    const at = Math.floor(random() * (text.length + 1));
    const lo = Math.max(0, at - Math.floor(random() * 45));
    const expected = oracle(text, at, lo);
    assert.deepEqual(wordBefore(text, at, lo), expected, JSON.stringify([text, at, lo]));
    if (expected) found++;
  }
  assert.ok(found > 100, `found ${found}`);
});
