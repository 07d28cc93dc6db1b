import type { TextEdit } from '../types';
import type { Glossary, GlossaryTerm } from './model';
import type { TermUse } from './scan';
import { matcherOf } from './knowledge';
import { correspondingForm, isAllCaps, startsUpper, upperFirst } from './words';
import { code, message as fit, quoted, words } from '../message';

/**
 * What `term-case` and `term-avoid` find in a page's term uses, as plain
 * data with the text each word should become. Shared by the rules and by the
 * "fix all in this file" edit list.
 */

export interface CaseProblem {
  readonly use: TermUse;
  readonly term: GlossaryTerm;
  /** The word as it should be written. */
  readonly expected: string;
  readonly message: string;
  /** Why: the term's case policy (the finding's note). */
  readonly note: string;
}

/** Gives `text` the letter case of `model` (same letters; apostrophes and spacing as written). */
export function recase(text: string, model: string): string {
  const letters = [...model].filter((c) => /\p{L}/u.test(c));
  let i = 0;
  return [...text].map((c) => (/\p{L}/u.test(c) && i < letters.length ? letters[i++]! : c)).join('');
}

function lower(s: string): string {
  return s.toLowerCase();
}

const where = (t: GlossaryTerm) => (t.definition.kind === 'config' ? '.msolrc.json' : t.definition.path);

/**
 * `siteName` is the home page's title. A term that is also the site's name
 * ("Microsolidarity") is right capitalised mid-sentence when it names the site
 * ("the Microsolidarity website"), so an inferred `lower-in-prose` policy
 * accepts the capital for it; a policy set in the config is applied strictly.
 */
export function caseProblems(uses: readonly TermUse[], glossary: Glossary, options: { readonly siteName?: string | undefined } = {}): CaseProblem[] {
  const siteName = options.siteName?.trim().toLowerCase();
  const matcher = matcherOf(glossary);
  const out: CaseProblem[] = [];
  const eligible = (u: TermUse) => !u.synonym && !u.heading && !u.quoted && !isAllCaps(u.text);
  // consistent-per-page: the page's majority, counted over mid-sentence uses outside titles.
  const majority = new Map<string, boolean>();
  const counts = new Map<string, { upper: number; lower: number }>();
  for (const u of uses) {
    if (!eligible(u) || u.sentenceStart || u.title) continue;
    const c = counts.get(u.term) ?? { upper: 0, lower: 0 };
    if (startsUpper(u.text)) c.upper++;
    else c.lower++;
    counts.set(u.term, c);
  }
  for (const [term, c] of counts) majority.set(term, c.upper === c.lower ? startsUpper(term) : c.upper > c.lower);

  for (const u of uses) {
    if (!eligible(u)) continue;
    const term = matcher.termNamed(u.term);
    if (!term) continue;
    let expected: string | undefined;
    let message = '';
    let note = '';
    switch (term.case) {
      case 'as-defined': {
        const want = recase(u.text, u.form);
        if (u.text === want || (u.sentenceStart && u.text === upperFirst(want))) break;
        expected = u.sentenceStart ? upperFirst(want) : want;
        message = fit`Unexpected ${code(u.text)}, expected ${code(expected)} as the glossary writes it`;
        note = `The glossary term ${term.term} is written as ${where(term)} defines it.`;
        break;
      }
      case 'lower-in-prose': {
        if (u.sentenceStart || u.title) break;
        if (siteName === term.term.toLowerCase() && startsUpper(u.text) && !term.caseReason.includes('.msolrc.json')) break;
        const want = recase(u.text, lower(u.form));
        if (u.text === want) break;
        expected = want;
        message = fit`Unexpected ${code(u.text)} mid-sentence, expected ${code(expected)}: the term is lower-case in prose`;
        note = `The glossary term ${term.term} is written in lower case in prose, and capitalised only at a sentence start, in headings and in titles.`;
        break;
      }
      case 'consistent-per-page': {
        if (u.sentenceStart || u.title) break;
        const upper = majority.get(u.term) ?? startsUpper(term.term);
        if (startsUpper(u.text) === upper) break;
        expected = recase(u.text, upper ? upperFirst(u.form) : lower(u.form));
        const c = counts.get(u.term)!;
        message = fit`Unexpected ${code(u.text)}, expected ${code(expected)} as elsewhere on this page (${upper ? c.upper : c.lower} of ${c.upper + c.lower} uses)`;
        note = `The glossary term ${term.term} keeps one case per page: the case most of its uses on the page have.`;
        break;
      }
      case 'off':
        break;
    }
    if (expected !== undefined && expected !== u.text) out.push({ use: u, term, expected, message, note });
  }
  return out;
}

export interface AvoidProblem {
  readonly use: TermUse;
  readonly term: GlossaryTerm;
  /** The preferred term in the synonym's form and in the case its policy asks for here. */
  readonly replacement: string;
  readonly edits: readonly TextEdit[];
  readonly message: string;
  /** Why: the glossary's preferred term (the finding's note). */
  readonly note: string;
}

/** "a" or "an" before a word (by its first sound, roughly). */
export function articleFor(word: string): 'a' | 'an' {
  const w = word.toLowerCase();
  if (/^(?:hour|honest|honou?r|heir)/.test(w)) return 'an';
  if (/^(?:uni|use|usu|eu|one|once|ur[aeiou])/.test(w)) return 'a';
  return /^[aeiou]/.test(w) ? 'an' : 'a';
}

export function avoidProblems(uses: readonly TermUse[], glossary: Glossary, text: string): AvoidProblem[] {
  const matcher = matcherOf(glossary);
  const out: AvoidProblem[] = [];
  for (const u of uses) {
    // Quotations and names ("Care Pod", "Pod Mapping") are someone else's words.
    if (!u.synonym || u.quoted || u.title) continue;
    const term = matcher.termNamed(u.term);
    if (!term) continue;
    const form = correspondingForm(term.forms, { text: u.form, kind: u.formKind }).text;
    let replacement = term.case === 'lower-in-prose' && !u.heading ? lower(form) : form;
    if (u.sentenceStart || u.heading ? startsUpper(u.text) : false) replacement = upperFirst(replacement);
    if (isAllCaps(u.text)) replacement = replacement.toUpperCase();
    const edits: TextEdit[] = [];
    if (u.article) {
      const written = text.slice(u.article.start, u.article.end);
      const want = articleFor(replacement);
      if (written.toLowerCase() !== want) edits.push({ start: u.article.start, end: u.article.end, newText: startsUpper(written) ? upperFirst(want) : want });
    }
    edits.push({ start: u.span.start, end: u.span.end, newText: replacement });
    out.push({
      use: u,
      term,
      replacement,
      edits,
      message: fit`Unexpected ${code(u.text)}, expected ${code(replacement)}: the glossary prefers ${words(term.term)} to ${quoted(u.synonym ?? u.text)}`,
      note: `The glossary lists “${u.synonym ?? u.text}” as a word to avoid for ${term.term}: one word for one thing keeps the handbook's vocabulary consistent.`,
    });
  }
  return out;
}
