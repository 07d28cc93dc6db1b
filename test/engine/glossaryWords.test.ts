/**
 * The glossary's word scanning is written for speed (a term pattern grouped
 * by first letter, a backwards scan for the word before a term). Each must
 * find exactly what the plain regular expression it replaces finds: checked
 * here against that expression, on hand-made and random text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveForms, mayMatchWholeWords, wholeWordPattern, wordBefore } from '../../server/src/engine/glossary/words';
import { startsWithDefinitionOf } from '../../server/src/engine/glossary/pageFacts';

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

test('the quick look before compiling a whole-word pattern says no only where the pattern finds nothing', () => {
  const vocabularies = [
    ['Crew', 'crews', "Crew's", 'Crews’'],
    ['Self Organising', 'self-organising'],
    ['Kin', 'Sisters', 'Dyad 2'],
    ['Café', 'cafés'],
  ];
  // Pieces that the expression's case folding and white space make equal to the words' letters, and near misses.
  const pieces = [
    'Crew',
    'CREW',
    'crews',
    'crew’s',
    "crew's",
    'Self',
    'self',
    ' ',
    '\u00a0',
    '\n ',
    'Organising',
    'organisinG',
    '-',
    'ſisters',
    'ſ',
    'Sister',
    's',
    '\u212Ain',
    'KIN',
    'kin',
    'dyad',
    ' 2',
    'Dyad',
    'café',
    'CAFÉ',
    'cafe',
    'x',
    '. ',
    'é',
  ];
  let says = { no: 0, yes: 0 };
  for (const words of vocabularies) {
    const pattern = wholeWordPattern(words)!;
    for (let i = 0; i < 500; i++) {
      let text = '';
      const n = 1 + Math.floor(random() * 12);
      for (let j = 0; j < n; j++) text += pick(pieces);
      pattern.lastIndex = 0;
      const found = pattern.test(text);
      const maybe = mayMatchWholeWords(text, words);
      if (found) assert.ok(maybe, `${JSON.stringify(text)} matches ${words.join('|')}`);
      says = maybe ? { ...says, yes: says.yes + 1 } : { ...says, no: says.no + 1 };
    }
  }
  // The look saves something: it says no often on this mix.
  assert.ok(says.no > 200 && says.yes > 200, JSON.stringify(says));
  assert.equal(mayMatchWholeWords('ſelf organising', ['Self Organising']), true, 'ſ is an s to the pattern');
  assert.equal(mayMatchWholeWords('a \u212Ain', ['kin']), true, 'the Kelvin sign is a k to the pattern');
  assert.equal(
    mayMatchWholeWords('A crew of\u00a0two', ['crew of two']),
    true,
    'any white space run is a space to the pattern',
  );
  assert.equal(mayMatchWholeWords('Nothing here', ['Crew']), false);
});

test('a definition’s first sentence is found as when every form was derived for every heading', () => {
  // The check before the quick looks on the first letters: every form of the term compared.
  const oracle = (text: string, term: string): boolean => {
    const t = text.trimStart();
    const rest = t.slice(/^["“*_]*(?:(?:an?|the)\s+)?["“*_]*/i.exec(t)![0].length);
    for (const form of deriveForms(term).map((x) => x.text.toLowerCase().replace(/’/g, "'"))) {
      if (rest.length < form.length || rest.slice(0, form.length).toLowerCase().replace(/’/g, "'") !== form) continue;
      if (/^["”*_]*\s+(?:is|are|means|refers\s+to|denotes)\b/i.test(rest.slice(form.length))) return true;
    }
    return false;
  };
  const terms = ['Crew', 'City', 'Wolf', 'Class', 'Bus', "Maker's Mark", 'DAO', 'K', 'Self Organising', 'Café', 'ok'];
  const pieces = [
    'A ',
    'the ',
    '"',
    '*',
    ' ',
    'crew',
    'Crews',
    "crew's",
    'crew’s',
    'citie',
    'cities',
    'city',
    'wolves',
    'wolf',
    'classes',
    'class',
    'buses',
    'bus',
    "maker's mark",
    'maker’s marks',
    'dao',
    'DAOS',
    '\u212A',
    'k',
    'self organising',
    'café',
    'CAFÉS',
    'ok',
    'is ',
    ' is a group',
    ' are ',
    ' means x',
    'x',
    'İ',
  ];
  let agreed = { yes: 0, no: 0 };
  for (let i = 0; i < 6000; i++) {
    const term = pick(terms);
    let text = '';
    // Half the texts shaped like a definition (a lead-in, a form of the term or a piece, a verb), half of random pieces.
    if (i % 2 === 0) {
      const form = random() < 0.5 ? pick(deriveForms(term)).text : pick(pieces);
      const cased = random() < 0.3 ? form.toUpperCase() : random() < 0.5 ? form.toLowerCase() : form;
      text =
        pick(['', 'A ', 'the ', '"', '*', ' ']) +
        cased +
        pick(['', 's', 'x']) +
        pick([' is a group', ' are many', ' means x', ' x']);
    } else for (let j = 1 + Math.floor(random() * 6); j > 0; j--) text += pick(pieces);
    const expected = oracle(text, term);
    assert.equal(startsWithDefinitionOf(text, term), expected, `${JSON.stringify(text)} defines ${term}?`);
    agreed = expected ? { ...agreed, yes: agreed.yes + 1 } : { ...agreed, no: agreed.no + 1 };
  }
  assert.ok(agreed.yes > 300 && agreed.no > 300, JSON.stringify(agreed));
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
