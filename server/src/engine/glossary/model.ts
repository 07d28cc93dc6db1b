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
  /** A heading naming the term in such a section: `#### 3: the Crew`. */
  | 'heading'
  /** `glossary.terms` in `.msolrc.json`. */
  | 'config';

export interface TermDefinition {
  readonly kind: DefinitionKind;
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
  /** Synonyms to avoid, each with its forms. */
  readonly avoid: readonly { readonly synonym: string; readonly forms: readonly TermForm[] }[];
  /** The first definition in source order: the one hovers show and links point at. */
  readonly definition: TermDefinition;
  /** Every definition, in source order (GLOSSARY.md, README, proposal, config). */
  readonly definitions: readonly TermDefinition[];
}

export interface Glossary {
  readonly terms: readonly GlossaryTerm[];
  /** The site's name (the home page's title): term-case lets a term that is the site's name keep its capital. Part of the fingerprint. */
  readonly siteName?: string;
}

export const emptyGlossary: Glossary = Object.freeze({ terms: Object.freeze([]) as readonly GlossaryTerm[] });
