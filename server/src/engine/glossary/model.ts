import type { Span } from '../types';
import type { CasePolicy } from './config';

/**
 * The glossary as plain data: serialisable, so it can be fingerprinted,
 * shown by `msol glossary` and sent over the wire.
 */

/** Where and how one source defines a term. */
export type DefinitionKind =
  /** `## Term` in GLOSSARY.md. */
  | 'glossary-file'
  /** A bold phrase in a "Definition of terms" section: "a **Crew**: a small group…". */
  | 'bold'
  /** A heading naming the term, in such a section or followed by its definition anywhere: `## 3: the Crew`. */
  | 'heading'
  /** The home page's title defined by its first sentence: "# Microsolidarity" then "Microsolidarity is a …". */
  | 'lead'
  /** `glossary.terms` in `.msolrc.json`. */
  | 'config';

/**
 * How current a definition is: `declared` (GLOSSARY.md, the config), `current`
 * (a page the table of contents publishes), `archived` (a page under a part of
 * the table of contents named like "Archive", or `glossary.archived`).
 */
export type DefinitionStanding = 'declared' | 'current' | 'archived';

/** A group size a definition states ("about 3, 4, 5 or 6 people", "between 30 and 200 people"). */
export interface GroupSize {
  /** Undefined for "up to 8 people". */
  readonly min?: number;
  readonly max: number;
  /** The words that state it. */
  readonly text: string;
}

/** "3–8 people", "up to 8 people". */
export function sizeText(s: GroupSize): string {
  return s.min === undefined
    ? `up to ${s.max} people`
    : s.min === s.max
      ? `${s.max} people`
      : `${s.min}–${s.max} people`;
}

export interface TermDefinition {
  readonly kind: DefinitionKind;
  readonly standing: DefinitionStanding;
  /** Site path of the defining page, or `.msolrc.json`. */
  readonly path: string;
  /** The bold phrase or the heading; absent for config terms. */
  readonly span?: Span;
  /** The paragraph holding the definition. */
  readonly blockSpan?: Span;
  /** The heading to link to for this definition (GitBook's anchor). */
  readonly anchor?: string;
  /** The text of the heading the anchor belongs to, for link titles. */
  readonly sectionTitle?: string;
  /** The defining paragraph, Markdown removed. */
  readonly text: string;
  /** The sentence that defines the term. */
  readonly sentence: string;
  /** What follows "X is" or "X:" in that sentence ("a small group up to about 8 people…"), when the sentence has that shape. */
  readonly gloss?: string;
  /** Pages the defining section links to: a definition that cites another source's page restates it rather than competing with it. */
  readonly cites: readonly string[];
  /** The group size the definition states, when it states one. */
  readonly size?: GroupSize;
}

/** The grammatical role of a form, so a synonym's form maps onto the term's same form. */
export type FormKind = 'base' | 'plural' | 'possessive' | 'plural-possessive' | 'other';

export interface TermForm {
  /** In the canonical case ("Crews", "Crew’s"). */
  readonly text: string;
  readonly kind: FormKind;
}

export interface GlossaryTerm {
  /** The canonical form, as the first definition writes it. */
  readonly term: string;
  /** Every form matched in prose, the canonical one first. */
  readonly forms: readonly TermForm[];
  readonly case: CasePolicy;
  /** Why this case policy applies, for reports and hovers. */
  readonly caseReason: string;
  /**
   * How the pages that define the term write it mid-sentence, when they agree
   * (at least four uses in five): a `consistent-per-page` term never asks a
   * page to leave the site's practice.
   */
  readonly practice?: 'lower' | 'upper';
  /** Synonyms to avoid, each with its forms. */
  readonly avoid: readonly { readonly synonym: string; readonly forms: readonly TermForm[] }[];
  /** The most current definition (declared, then current pages, then archived; source order within): the one hovers show and links point at. */
  readonly definition: TermDefinition;
  /** Every definition, the most current first. */
  readonly definitions: readonly TermDefinition[];
}

export interface Glossary {
  readonly terms: readonly GlossaryTerm[];
  /** The site's name (the home page's title): term-case lets a term that is the site's name keep its capital. Part of the fingerprint. */
  readonly siteName?: string;
}

export const emptyGlossary: Glossary = Object.freeze({ terms: Object.freeze([]) as readonly GlossaryTerm[] });
