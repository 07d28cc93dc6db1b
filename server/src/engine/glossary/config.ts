import { defineConfigSection } from '../config/config';
import type { JsonSchema } from '../config/validate';

/**
 * The `glossary` section of `.msolrc.json`: where terms are read from, and
 * terms declared by hand. Defaults fit the Microsolidarity handbook, so the
 * real site needs no section at all.
 */

/**
 * How a term's capitalisation is checked in prose (headings and sentence
 * starts always follow ordinary capitalisation):
 * - `as-defined`: written as the glossary writes it (Crew, Crews, Crew's).
 * - `lower-in-prose`: lower-case mid-sentence (microsolidarity), capitalised only at a sentence start or as part of a title ("Microsolidarity Part 2").
 * - `consistent-per-page`: each page picks one case (its majority) and keeps it.
 * - `off`: not checked.
 */
export type CasePolicy = 'as-defined' | 'lower-in-prose' | 'consistent-per-page' | 'off';
export const casePolicies: readonly CasePolicy[] = ['as-defined', 'lower-in-prose', 'consistent-per-page', 'off'];

export interface TermConfig {
  readonly term: string;
  /** More forms than the automatic plural and possessives (an irregular plural, an abbreviation). */
  readonly forms?: readonly string[];
  readonly case?: CasePolicy;
  /** Synonyms to avoid where this term is meant ("pod" for Crew). */
  readonly avoid?: readonly string[];
  /** A short definition, used when no page defines the term. */
  readonly definition?: string;
}

export interface GlossaryConfig {
  /** GitBook's glossary file (`## Term` + definition), relative to the content root; `""` for none. */
  readonly file: string;
  /**
   * Pages whose definitions are read, relative to the content root. Default:
   * every page that defines terms by its structure (a "Definition of terms"
   * section, a heading naming a term followed by its definition, the home
   * page's title defined by its first sentence).
   */
  readonly pages?: readonly string[];
  /** Globs of pages whose definitions are archived (beside the table of contents' "Archive" part): current pages' definitions come first. */
  readonly archived?: readonly string[];
  /** The heading of the section that defines terms (compared without case). */
  readonly sectionHeading: string;
  /** The case policy of terms that do not set one; `inferred` reads it from how the site's source pages write each term. */
  readonly defaultCase: CasePolicy | 'inferred';
  readonly terms: readonly TermConfig[];
}

const policy: JsonSchema = { type: 'string', enum: casePolicies };
const stringList: JsonSchema = { type: 'array', items: { type: 'string' } };

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Where glossary terms are read from, and terms declared here.',
  properties: {
    file: {
      type: 'string',
      description:
        'GitBook glossary file (`## Term` followed by its definition), relative to the content root; "" for none.',
      default: 'GLOSSARY.md',
    },
    pages: {
      ...stringList,
      description:
        'Pages whose definitions are read, relative to the content root. Default: every page that defines terms by its structure (a "Definition of terms" section, a heading naming a term followed by its definition, the home page\'s title defined by its first sentence).',
    },
    archived: {
      ...stringList,
      description:
        'Globs of pages whose definitions are archived, besides those the table of contents lists under a part or an entry named like "Archive": hovers show current definitions first, and only current pages\' definitions must agree.',
    },
    sectionHeading: {
      type: 'string',
      description: 'Heading of the section that defines terms (compared without case).',
      default: 'Definition of terms',
    },
    defaultCase: {
      type: 'string',
      enum: ['inferred', ...casePolicies],
      default: 'inferred',
      description:
        "Case policy of terms that do not set one. `inferred`: each page keeps one case for a term, as it writes it nearly everywhere, unless that case differs from how the pages defining the term write it; an author's consistent choice is never rewritten.",
    },
    terms: {
      type: 'array',
      description: 'Terms declared here, or settings for terms the pages define.',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          term: { type: 'string', description: 'The canonical form, e.g. `Crew`.' },
          forms: { ...stringList, description: 'More forms than the automatic plural and possessives.' },
          case: { ...policy, description: 'How the term is capitalised in prose.' },
          avoid: { ...stringList, description: 'Synonyms to avoid where this term is meant (`term-avoid`).' },
          definition: { type: 'string', description: 'A short definition, used when no page defines the term.' },
        },
      },
    },
  },
};

export const glossarySection = defineConfigSection<GlossaryConfig>({
  key: 'glossary',
  schema,
  defaults: { file: 'GLOSSARY.md', sectionHeading: 'Definition of terms', defaultCase: 'inferred', terms: [] },
});
