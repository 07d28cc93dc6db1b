import type { FormKind, TermForm } from './model';

/**
 * Word-level helpers shared by the glossary's reader and its rules: forms of
 * a term, whole-word matching, sentence starts and capitalisation.
 */

const apostrophes = ["'", '’'] as const;

/** The plural of a term (its last word): Crew → Crews, Assembly → Assemblies, Self → Selves. */
export function pluralOf(term: string): string {
  const i = term.lastIndexOf(' ');
  const head = term.slice(0, i + 1);
  const w = term.slice(i + 1);
  const caps = isUpper(w) && w.length > 1;
  const suffix = (s: string) => (caps ? s.toUpperCase() : s);
  if (/[^aeiou]y$/i.test(w)) return head + w.slice(0, -1) + suffix('ies');
  if (/(?:s|x|z|ch|sh)$/i.test(w)) return head + w + suffix('es');
  if (/lf$/i.test(w)) return head + w.slice(0, -1) + suffix('ves');
  return head + w + suffix('s');
}

/** A term's forms: itself, its plural and the possessives with both apostrophes, then any extra forms. */
export function deriveForms(term: string, extra: readonly string[] = []): TermForm[] {
  const out: TermForm[] = [];
  const add = (text: string, kind: FormKind) => {
    if (text && !out.some((f) => f.text.toLowerCase() === text.toLowerCase())) out.push({ text, kind });
  };
  add(term, 'base');
  // Terms already plural or with an irregular form come through `extra`.
  const plural = /s$/i.test(term) && !/(?:ss|us|is)$/i.test(term) ? term : pluralOf(term);
  add(plural, 'plural');
  if (plural !== term) for (const a of apostrophes) add(`${term}${a}s`, 'possessive');
  for (const a of apostrophes) add(/s$/i.test(plural) ? `${plural}${a}` : `${plural}${a}s`, 'plural-possessive');
  for (const e of extra) add(e.trim(), 'other');
  return out;
}

/** The form of `forms` with the same role (and apostrophe) as `like`; the base form otherwise. */
export function correspondingForm(forms: readonly TermForm[], like: TermForm): TermForm {
  const apostrophe = like.text.includes('’') ? '’' : "'";
  return (
    forms.find(
      (f) => f.kind === like.kind && like.kind !== 'other' && (!/['’]/.test(f.text) || f.text.includes(apostrophe)),
    ) ??
    forms.find((f) => f.kind === like.kind && like.kind !== 'other') ??
    forms[0]!
  );
}

export function isUpper(s: string): boolean {
  return s !== s.toLowerCase() && s === s.toUpperCase();
}

/** "Crew" → true, "crew" → false: the case of the first letter. */
export function startsUpper(s: string): boolean {
  const m = /\p{L}/u.exec(s);
  return !!m && isUpper(m[0]);
}

export function upperFirst(s: string): string {
  return s.replace(/\p{L}/u, (c) => c.toUpperCase());
}

/** A word of two or more letters written in capitals only (shouting, an acronym): never "corrected". */
export function isAllCaps(s: string): boolean {
  const letters = s.replace(/[^\p{L}]/gu, '');
  return letters.length > 1 && isUpper(letters);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A quick look that tells, before `wholeWordPattern(words)` is compiled (its
 * Unicode classes take about a millisecond each), that the expression cannot
 * match a text: false only when it cannot. Words of ASCII letters, digits,
 * spaces, hyphens and apostrophes are sought as lower-case substrings, white
 * space runs and apostrophe styles made one (as the expression does); the
 * expression's case folding makes only two other characters equal to such
 * letters (ſ to s, the Kelvin sign to k, which `toLowerCase` already does).
 * Any other word: true.
 */
export function mayMatchWholeWords(text: string, words: readonly string[]): boolean {
  const sought: string[] = [];
  for (const w of words) {
    if (!w) continue;
    if (!/^[A-Za-z0-9 '’-]+$/.test(w)) return true;
    sought.push(w.toLowerCase().replace(/’/g, "'").replace(/ +/g, ' '));
  }
  if (sought.length === 0) return false;
  const plain = text.toLowerCase().replace(/ſ/g, 's').replace(/’/g, "'").replace(/\s+/gu, ' ');
  return sought.some((w) => plain.includes(w));
}

/**
 * One case-insensitive regular expression for whole words: never a part of
 * a longer word (crewing, crewmates), of a hyphenated compound
 * (self-organising, proto-congregations), of a hashtag, a handle, a domain or
 * a path. Longer alternatives first, so "Crew's" wins over "Crew".
 */
export function wholeWordPattern(words: readonly string[]): RegExp | undefined {
  // Two spellings that differ only in their apostrophe are one alternative (the later copy could never match first).
  const alts = [
    ...new Set(
      [...new Set(words.filter(Boolean))]
        .sort((a, b) => b.length - a.length || a.localeCompare(b))
        .map((w) => escape(w).replace(/['’]/g, "['’]").replace(/ /g, '\\s+')),
    ),
  ];
  if (alts.length === 0) return undefined;
  // A first-character test before the look-behind: the look-behind's Unicode
  // classes cost at every position of the text, the character class rejects
  // nearly all of them first (same flags, so the same case folding).
  const firsts = new Set<string>();
  for (const w of words) {
    const first = [...w][0];
    if (first === undefined) continue;
    if (first === "'" || first === '’') firsts.add("'").add('’');
    else if (/\s/u.test(first)) firsts.add('\\s');
    else firsts.add(first.replace(/[\]\\^-]/g, '\\$&'));
  }
  return new RegExp(
    `(?=[${[...firsts].join('')}])(?<![\\p{L}\\p{N}\\p{M}_\\-@#\\\\/]|[\\p{L}\\p{N}]\\.)(?:${byFirstLetter(alts)})(?![\\p{L}\\p{N}\\p{M}_\\-@/]|\\\\[\\p{L}\\p{N}]|['’]\\p{L}|\\.[\\p{L}\\p{N}])`,
    'giu',
  );
}

/**
 * The alternatives grouped by their first letter, `c(?:rew['’]s|rew|…)|…`,
 * so that the engine tries one group where it tried every word. Same
 * matches: at any position only the group of that letter can match (two
 * ASCII letters never fold to each other, even case-insensitively), and
 * each group keeps the order of its words. Words that start with anything
 * but an ASCII letter keep the plain list.
 */
function byFirstLetter(alts: readonly string[]): string {
  if (!alts.every((a) => /^[A-Za-z]/.test(a))) return alts.join('|');
  const groups = new Map<string, string[]>();
  for (const a of alts) {
    const key = a[0]!.toLowerCase();
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(a.slice(1));
  }
  return [...groups].map(([letter, rests]) => `${letter}(?:${rests.join('|')})`).join('|');
}

/** Opening punctuation and markup that may stand between a sentence end and the next word. */
const opener = /[\s"“”‘'’([*_~`>\\\p{Extended_Pictographic}\uFE0F\u200D]/u;

/**
 * Whether the word at `index` starts a sentence in `text`, where `from` is
 * the start of its block (paragraph, list item, table cell): nothing but
 * openers since the block start, or a sentence end (. ! ? … :) just before.
 */
export function isSentenceStart(text: string, index: number, from = 0): boolean {
  let i = index - 1;
  while (i >= from && opener.test(text[i]!)) i--;
  if (i < from) return true;
  return /[.!?…:]/.test(text[i]!);
}

/** A capitalised use that belongs to a title or a name: a capitalised word or a number right next to it ("Microsolidarity Part 2", "Economic Microsolidarity"). */
export function isInTitle(text: string, start: number, end: number, from = 0): boolean {
  const after = /^[ \t]+([\p{L}\p{N}])/u.exec(text.slice(end, end + 4));
  if (after && (isUpper(after[1]!) || /\p{N}/u.test(after[1]!))) return true;
  const before = wordBefore(text, start, Math.max(from, start - 40));
  if (before && startsUpper(before.word) && !isAllCaps(before.word)) {
    return !isSentenceStart(text, before.start, from) && !/^(?:I|I['’]\w+)$/.test(before.word);
  }
  return false;
}

const wordCharacter = /^[\p{L}\p{M}'’-]$/u;
const letter = /^\p{L}$/u;

/**
 * The word right before `at`, separated from it by spaces or tabs, within
 * text[lo, at): what `/(?:^|[^\p{L}\p{M}'’-])([\p{L}][\p{L}\p{M}'’-]*)[ \t]+$/u`
 * finds in that slice, by a scan backwards (the expression tries every start
 * in the slice, and each runs to its end).
 */
export function wordBefore(text: string, at: number, lo: number): { word: string; start: number } | undefined {
  let i = at;
  while (i > lo && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  const end = i;
  if (end === at) return undefined;
  let first = '';
  while (i > lo) {
    // One code point back; a surrogate pair split by the slice start counts as a lone unit, as in the slice.
    const low = text.charCodeAt(i - 1);
    const pair =
      low >= 0xdc00 &&
      low <= 0xdfff &&
      i - 2 >= lo &&
      text.charCodeAt(i - 2) >= 0xd800 &&
      text.charCodeAt(i - 2) <= 0xdbff;
    const unit = text.slice(pair ? i - 2 : i - 1, i);
    if (!wordCharacter.test(unit)) break;
    first = unit;
    i -= unit.length;
  }
  if (i === end || !letter.test(first)) return undefined;
  return { word: text.slice(i, end), start: i };
}

/**
 * Spans of double quotations in a text (“…” and "…"): quoted words are someone
 * else's (or a word mentioned as a word) and are not restyled, unless the
 * quotation holds nothing but the term itself (scare quotes: “crews”).
 */
export function quotationSpans(text: string, from = 0, to = text.length): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let open = -1;
  let straight = -1;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '“') open = i;
    else if (c === '”' && open >= 0) {
      out.push({ start: open + 1, end: i });
      open = -1;
    } else if (c === '"') {
      if (straight < 0) straight = i;
      else {
        out.push({ start: straight + 1, end: i });
        straight = -1;
      }
    } else if (c === '\n' && text[i + 1] === '\n') {
      open = -1;
      straight = -1;
    }
  }
  return out;
}

/** The plain-text sentences of a paragraph, with their offsets. */
export function sentences(text: string): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  const push = (from: number, to: number) => {
    const raw = text.slice(from, to);
    const s = raw.trim();
    if (s)
      out.push({
        start: from + raw.length - raw.trimStart().length,
        end: to - (raw.length - raw.trimEnd().length),
        text: s,
      });
  };
  let start = 0;
  for (const m of text.matchAll(/[.!?…]+["”’)\]]*(?=\s+[^\p{Ll}\s])/gu)) {
    const end = m.index + m[0].length;
    // Abbreviations (e.g., i.e., etc., initials) do not end a sentence.
    if (
      /(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|Dr|Mr|Mrs|Ms|St)|(?:^|\s)\p{L})\.$/u.test(
        text.slice(Math.max(0, m.index - 6), m.index + 1),
      )
    )
      continue;
    push(start, end);
    start = end;
  }
  push(start, text.length);
  return out;
}

/** A phrase that can be a term: one to four words of letters, no sentence punctuation. */
export function isTermShaped(phrase: string): boolean {
  const p = phrase.trim();
  // ASCII letters and digits first (most headings): the Unicode classes cost more at every character.
  if (!/^[A-Za-z][A-Za-z0-9'’\- ]*$/.test(p) && !/^\p{L}[\p{L}\p{M}\p{N}'’\- ]*$/u.test(p)) return false;
  if (p.length > 40 || p.split(/\s+/).length > 4) return false;
  return !/^(?:note|nb|warning|tip|important|example|examples|update|edit|tl;dr|caution|see also)$/i.test(p);
}

/** Strips numbering and a leading article from a heading that names a term: "3: the Crew" → "Crew", "#4. The Congregation" → "Congregation". */
export function termOfHeading(heading: string): string {
  return heading
    .trim()
    .replace(/^(?:#?\d+(?:\.\d+)*[.:)]?|[ivxlc]+[.:)]|[a-z][.)])\s+/i, '')
    .replace(/^(?:the|a|an)\s+/i, '')
    .replace(/[.:]$/, '')
    .trim();
}

/** How forms are compared: case, apostrophe style and runs of white space do not matter. */
export function formKey(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').replace(/’/g, "'");
}
