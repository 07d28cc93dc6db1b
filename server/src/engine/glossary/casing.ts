import type { TextEdit } from '../types';
import type { Glossary, GlossaryTerm } from './model';
import type { TermUse } from './scan';
import type { FileFacts } from '../facts';
import { pageGlossaryFacts } from './pageFacts';
import { matcherOf } from './knowledge';
import { correspondingForm, formKey, isAllCaps, startsUpper, upperFirst } from './words';
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
  /**
   * Whether `--fix` and "fix all" may apply the change without asking: the
   * policy was set in the config, or the page and the pages defining the
   * term agree on the case. Otherwise the change is only offered.
   */
  readonly safe: boolean;
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
 * A use that shows how a page writes a term in running prose: mid-sentence,
 * not in a heading, a title or a name, not mentioned as a word or quoted,
 * not the subject of its own definition, not in capitals only.
 */
export function isCaseEvidence(u: TermUse): boolean {
  return (
    !u.synonym &&
    !u.heading &&
    !u.quoted &&
    !u.mention &&
    !u.name &&
    !u.title &&
    !u.introduced &&
    !u.sentenceStart &&
    !isAllCaps(u.text)
  );
}

/** A page keeps one case for a term when it writes it so at least this share of the time, over at least `minimumUses` uses. */
export const pageMajorityShare = 0.75;
export const minimumUses = 4;

/**
 * `siteName` is the home page's title. A term that is also the site's name
 * ("Microsolidarity") is right capitalised mid-sentence when it names the
 * site or the project ("the Microsolidarity website"): an inferred policy
 * accepts the capital for it; a policy set in the config is applied strictly.
 */
export function caseProblems(
  uses: readonly TermUse[],
  glossary: Glossary,
  options: { readonly siteName?: string | undefined; readonly facts?: FileFacts } = {},
): CaseProblem[] {
  const siteName = options.siteName?.trim().toLowerCase();
  const matcher = matcherOf(glossary);
  // A page that defines a term makes it its term there: before, the word is still everyday English ("getting people into crews… #### 3: the Crew").
  const definedAt = options.facts ? definitionOffsets(options.facts, glossary) : new Map<string, number>();
  const beforeDefinition = (u: TermUse) => u.span.start < (definedAt.get(u.term) ?? -1);
  const out: CaseProblem[] = [];
  const counts = new Map<string, { upper: number; lower: number }>();
  const isSiteName = (u: TermUse) => siteName !== undefined && formKey(u.term) === siteName;
  for (const u of uses) {
    // The site's name capitalised names the site or the project ("the Microsolidarity website"): no evidence of how prose writes it.
    if (!isCaseEvidence(u) || beforeDefinition(u) || (isSiteName(u) && startsUpper(u.text))) continue;
    const c = counts.get(u.term) ?? { upper: 0, lower: 0 };
    if (startsUpper(u.text)) c.upper++;
    else c.lower++;
    counts.set(u.term, c);
  }

  for (const u of uses) {
    if (!isCaseEvidence(u) || beforeDefinition(u)) continue;
    const term = matcher.termNamed(u.term);
    if (!term) continue;
    const configured = !term.caseReason.startsWith(inferredReason);
    let expected: string | undefined;
    let message = '';
    let safe = true;
    let note = '';
    switch (term.case) {
      case 'as-defined': {
        const want = recase(u.text, u.form);
        if (u.text === want) break;
        expected = want;
        message = fit`Unexpected ${code(u.text)}, expected ${code(expected)} as the glossary writes it`;
        note = `The glossary term ${term.term} is written as ${where(term)} defines it (\`case\` in ${configured ? '.msolrc.json' : 'the glossary'}).`;
        break;
      }
      case 'lower-in-prose': {
        if (!configured && siteName === term.term.toLowerCase() && startsUpper(u.text)) break;
        const want = recase(u.text, lower(u.form));
        if (u.text === want) break;
        expected = want;
        message = fit`Unexpected ${code(u.text)} mid-sentence, expected ${code(expected)}: the term is lower-case in prose`;
        note = `The glossary term ${term.term} is written in lower case in prose, and capitalised only at a sentence start, in headings and in titles.`;
        break;
      }
      case 'consistent-per-page': {
        const c = counts.get(u.term) ?? { upper: 0, lower: 0 };
        const total = c.upper + c.lower;
        const upper = c.upper > c.lower;
        if (total < minimumUses || Math.max(c.upper, c.lower) / total < pageMajorityShare) break;
        if (startsUpper(u.text) === upper) break;
        if (!configured && isSiteName(u) && startsUpper(u.text)) break;
        const majority = upper ? 'upper' : 'lower';
        // The use follows the pages that define the term, the page does not: the author's choice, not a slip.
        if (term.practice && term.practice !== majority) break;
        expected = recase(u.text, upper ? upperFirst(u.form) : lower(u.form));
        safe = configured || term.practice === majority;
        message = fit`Unexpected ${code(u.text)}, expected ${code(expected)} as in ${upper ? c.upper : c.lower} of ${total} uses on this page`;
        note =
          `This page writes ${term.term} ${upper ? 'capitalised' : 'in lower case'} in ${upper ? c.upper : c.lower} of its ${total} uses in running prose; this one differs. ` +
          (term.practice === majority
            ? `The pages that define the term write it so too, so the fix is safe.`
            : `The pages that define the term do not say how to write it, so the change is offered, not applied by --fix.`) +
          ` Names ("Enspiral Crew"), titles, headings, quotations, bold or quoted mentions and sentence starts are never counted.`;
        break;
      }
      case 'off':
        break;
    }
    if (expected !== undefined && expected !== u.text) out.push({ use: u, term, expected, message, safe, note });
  }
  return out;
}

/** Where a page first defines each term it defines: the glossary's definitions on it, and its own term headings (a copy of a defining page defines as much). */
function definitionOffsets(facts: FileFacts, glossary: Glossary): Map<string, number> {
  const out = new Map<string, number>();
  const mark = (term: string | undefined, at: number) => {
    if (term !== undefined && at < (out.get(term) ?? Infinity)) out.set(term, at);
  };
  const matcher = matcherOf(glossary);
  for (const t of glossary.terms)
    for (const d of t.definitions) if (d.path === facts.path && d.span) mark(t.term, d.span.start);
  const own = pageGlossaryFacts(facts);
  for (const h of own.headings)
    mark(matcher.termNamed(h.term)?.term, facts.headings[h.heading]?.span.start ?? Infinity);
  if (own.lead) mark(matcher.termNamed(own.lead.term)?.term, own.lead.span.start);
  return out;
}

/** How an inferred policy's reason starts (a configured one names the config). */
export const inferredReason = 'inferred';

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
    // Quotations, mentions and names ("Care Pod", "Pod Mapping") are someone else's words.
    if (!u.synonym || u.quoted || u.mention || u.name || u.title) continue;
    const term = matcher.termNamed(u.term);
    if (!term) continue;
    const form = correspondingForm(term.forms, { text: u.form, kind: u.formKind }).text;
    const writesLower =
      term.case === 'lower-in-prose' || (term.case === 'consistent-per-page' && term.practice === 'lower');
    let replacement = writesLower && !u.heading ? lower(form) : form;
    if (u.sentenceStart || u.heading ? startsUpper(u.text) : false) replacement = upperFirst(replacement);
    if (isAllCaps(u.text)) replacement = replacement.toUpperCase();
    const edits: TextEdit[] = [];
    if (u.article) {
      const written = text.slice(u.article.start, u.article.end);
      const want = articleFor(replacement);
      if (written.toLowerCase() !== want)
        edits.push({
          start: u.article.start,
          end: u.article.end,
          newText: startsUpper(written) ? upperFirst(want) : want,
        });
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
