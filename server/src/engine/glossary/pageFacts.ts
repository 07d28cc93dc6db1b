import type { Heading as MdHeading, Nodes, Parents, RootContent } from 'mdast';
import type { FileFacts, TextBlock } from '../facts';
import { plainText, registerFactsExtension } from '../facts';
import type { ParsedDocument } from '../parse/markdown';
import type { Span } from '../types';
import type { Glossary, GlossaryTerm } from './model';
import { definitionShape } from './define';
import { isCaseEvidence } from './casing';
import { scanTermUses } from './scan';
import { deriveForms, isTermShaped, startsUpper, termOfHeading } from './words';

/**
 * What a page's own structure says about the terms it defines, read in phase
 * one without the glossary (so it is cached with the page's other facts):
 * the sections that define terms ("Definition of terms", "Glossary"), the
 * headings that name a term and are followed by its definition (`## 3: the
 * Crew`, or `## Dyad` then "A dyad is…"), the page title its first sentence
 * defines ("# Microsolidarity" then "Microsolidarity is a…"), and how the
 * page writes those terms in running prose. The glossary is read from the
 * pages where this finds something (`derive.ts`).
 */

export interface HeadingTerm {
  /** Index in `FileFacts.headings`. */
  readonly heading: number;
  readonly term: string;
  /** Inside a definitions section (a sub-heading naming one term). */
  readonly inSection: boolean;
  /** The first paragraphs of its section (up to three, before any sub-heading): the definition. */
  readonly paragraphs: readonly TextBlock[];
}

export interface LeadTerm {
  readonly term: string;
  /** The page's title heading. */
  readonly span: Span;
  /** The heading or paragraph right after the title that defines it. */
  readonly block: TextBlock;
}

export interface PageGlossaryFacts {
  /** Headings that open a definitions section, by their usual names. */
  readonly sections: readonly number[];
  readonly headings: readonly HeadingTerm[];
  readonly lead?: LeadTerm;
  /** For each term the page defines: how often running prose writes it capitalised and lower-case. */
  readonly practice: Readonly<Record<string, { readonly upper: number; readonly lower: number }>>;
}

export const glossaryFactsKey = 'glossary';

const none: PageGlossaryFacts = Object.freeze({ sections: [], headings: [], practice: {} });

export function pageGlossaryFacts(facts: FileFacts | undefined): PageGlossaryFacts {
  return (facts?.extensions?.[glossaryFactsKey] as PageGlossaryFacts | undefined) ?? none;
}

/** Whether a page defines terms by its structure. */
export function definesTerms(facts: FileFacts): boolean {
  const g = pageGlossaryFacts(facts);
  return g.sections.length > 0 || g.headings.length > 0 || g.lead !== undefined;
}

/** The usual names of a section that defines terms ("Definition of terms", "Glossary", "Key terms"). */
const definitionsHeading =
  /^(?:(?:a\s+|some\s+)?(?:short\s+)?(?:definitions?(?:\s+of\s+(?:terms|key\s+terms))?|glossary(?:\s+of\s+terms)?|key\s+(?:terms|concepts)|terminology|vocabulary|(?:the\s+)?terms\s+(?:used|we\s+use))\s*:?)$/i;

export function isDefinitionsHeading(text: string): boolean {
  return definitionsHeading.test(text.replace(/[*_]/g, '').trim());
}

/** `3: the Crew`, `#4. The Congregation`, `II. the Dyad`: a numbered heading naming one thing with an article. */
const numberedArticle = /^(?:#?\d+(?:\.\d+)*[.:)]|[ivxlc]+[.:)])\s+(?:the|a|an)\s+\S/i;

/** The lower-case forms of a term (Crew → crew, crews, crew's…), apostrophes straight; remembered, since every page asks for the same few. */
const formsOf = new Map<string, readonly string[]>();
function lowerForms(term: string): readonly string[] {
  let f = formsOf.get(term);
  if (!f) {
    if (formsOf.size > 4096) formsOf.clear();
    formsOf.set(term, (f = deriveForms(term).map((x) => x.text.toLowerCase().replace(/’/g, "'"))));
  }
  return f;
}

const asciiOnly = /^[\x00-\x7f]*$/;

/** Whether `text` starts with `prefix` (ASCII) as `startsWithDefinitionOf` compares forms: lower-cased, apostrophes straight. */
function startsLike(text: string, prefix: string): boolean {
  return text.slice(0, prefix.length).toLowerCase().replace(/’/g, "'") === prefix.toLowerCase();
}

const leadIn = /^["“*_]*(?:(?:an?|the)\s+)?["“*_]*/i;
const definingVerb = /^["”*_]*\s+(?:is|are|means|refers\s+to|denotes)\b/i;

/** Whether a text's first sentence is "(A|The) term is/are/means …" (no expression built per term: every heading of every page asks). */
export function startsWithDefinitionOf(text: string, term: string): boolean {
  const t = text.trimStart();
  const rest = t.slice(leadIn.exec(t)![0].length);
  // Every form of a term starts with its first letter: most headings of most pages stop here, before any form is derived.
  const a = rest.charCodeAt(0) | 0x20;
  const b = term.charCodeAt(0) | 0x20;
  if (a !== b && a >= 0x61 && a <= 0x7a && b >= 0x61 && b <= 0x7a) return false;
  // Every form of an ASCII term starts with the term less its last letter (crew → crews, city → cities): most
  // headings whose first letter matches stop here, before forms are derived for a term no other heading has.
  if (asciiOnly.test(term) && !startsLike(rest, term.slice(0, -1))) return false;
  for (const form of lowerForms(term)) {
    if (rest.length < form.length || rest.slice(0, form.length).toLowerCase().replace(/’/g, "'") !== form) continue;
    if (definingVerb.test(rest.slice(form.length))) return true;
  }
  return false;
}

const maxParagraphs = 3;
const maxSectionText = 1500;

const spanOf = (n: Nodes): Span => ({ start: n.position?.start.offset ?? 0, end: n.position?.end.offset ?? 0 });

function toBlock(node: Parents): TextBlock | undefined {
  const { text } = plainText(node);
  return text === '' ? undefined : { span: spanOf(node), text };
}

/** The paragraphs after a heading, up to the next heading: at most three, at most 1500 characters. */
function sectionParagraphs(siblings: readonly RootContent[], from: number): TextBlock[] {
  const out: TextBlock[] = [];
  let length = 0;
  for (let i = from; i < siblings.length && out.length < maxParagraphs && length < maxSectionText; i++) {
    const n = siblings[i]!;
    if (n.type === 'heading') break;
    if (n.type !== 'paragraph') continue;
    const b = toBlock(n);
    if (!b) continue;
    out.push(b);
    length += b.text.length;
  }
  return out;
}

function extract(doc: ParsedDocument, facts: FileFacts): PageGlossaryFacts {
  const headings = facts.headings;
  if (headings.length === 0) return none;
  // Heading nodes by where they start: facts.headings are in document order, one per node.
  const nodes = new Map<number, { node: MdHeading; siblings: RootContent[]; at: number }>();
  const visit = (parent: Parents) => {
    const kids = parent.children as RootContent[];
    kids.forEach((n, at) => {
      if (n.type === 'heading') nodes.set(spanOf(n).start, { node: n, siblings: kids, at });
      else if (n.type === 'blockquote' || n.type === 'list' || n.type === 'listItem') visit(n);
    });
  };
  visit(doc.tree);

  const sections: number[] = [];
  const terms: HeadingTerm[] = [];
  let sectionDepth: number | undefined;
  headings.forEach((h, i) => {
    if (sectionDepth !== undefined && h.depth <= sectionDepth) sectionDepth = undefined;
    if (isDefinitionsHeading(h.text)) {
      sections.push(i);
      sectionDepth = h.depth;
      return;
    }
    const term = termOfHeading(h.text.replace(/[*_]/g, ''));
    // "Call 1", "Level 2", "Part IV": a step of a sequence, not a word of the site's vocabulary.
    if (!term || !isTermShaped(term) || term.split(/\s+/).length > 3 || /\s(?:\d+|[ivxlc]+)$/i.test(term)) return;
    const where = nodes.get(h.span.start);
    // A heading that is a link (an index of pages: "### [#1: The Original Proposal](proposal.md)") introduces another page, and a term needs its definition.
    if (where && where.node.children.length === 1 && where.node.children[0]!.type === 'link') return;
    const paragraphs = where ? sectionParagraphs(where.siblings, where.at + 1) : [];
    if (paragraphs.length === 0) return;
    const inSection = sectionDepth !== undefined;
    const defined =
      inSection ||
      (h.depth >= 2 &&
        (numberedArticle.test(h.text.replace(/[*_]/g, '').trim()) ||
          (paragraphs[0] !== undefined && startsWithDefinitionOf(paragraphs[0].text, term))));
    if (defined) terms.push({ heading: i, term, inSection, paragraphs });
  });

  // "# Microsolidarity" then "Microsolidarity is a community-building practice…" (a paragraph or a heading).
  let lead: LeadTerm | undefined;
  const title = headings[0];
  if (title && title.depth === 1 && isTermShaped(title.text) && title.text.split(/\s+/).length <= 3) {
    const where = nodes.get(title.span.start);
    const next = where?.siblings.slice(where.at + 1).find((n) => n.type === 'paragraph' || n.type === 'heading');
    const block = next && (next.type === 'paragraph' || next.type === 'heading') ? toBlock(next) : undefined;
    if (block && startsWithDefinitionOf(block.text, title.text))
      lead = { term: title.text.trim(), span: title.span, block };
  }

  const defined = new Set<string>([...terms.map((t) => t.term), ...(lead ? [lead.term] : [])]);
  for (const s of sections) for (const t of sectionBoldTerms(facts, s)) defined.add(t);
  return { sections, headings: terms, ...(lead ? { lead } : {}), practice: practiceOf(doc, [...defined]) };
}

/** The index after the last heading of a section that starts at heading `s`. */
export function sectionEnd(headings: FileFacts['headings'], s: number): number {
  const depth = headings[s]!.depth;
  let e = s + 1;
  while (e < headings.length && headings[e]!.depth > depth) e++;
  return e;
}

/** Bold phrases of a definitions section that introduce a term ("a **Crew**: …", "**Microsolidarity** is …"). */
export function sectionBoldTerms(facts: FileFacts, s: number): string[] {
  const e = sectionEnd(facts.headings, s);
  const out: string[] = [];
  for (const b of facts.bold) {
    if (b.section < s || b.section >= e || b.block === undefined || b.blockOffset === undefined) continue;
    const term = b.text.replace(/:$/, '').trim();
    if (!isTermShaped(term)) continue;
    const block = facts.blocks?.[b.block];
    if (block && definitionShape(block.text, b.blockOffset, b.text.length)?.loose) out.push(term);
  }
  return out;
}

/** How the page writes each of `terms` in running prose (the uses term-case weighs). */
function practiceOf(doc: ParsedDocument, terms: readonly string[]): Record<string, { upper: number; lower: number }> {
  if (terms.length === 0) return {};
  const entries: GlossaryTerm[] = terms.map((term) => {
    const definition = {
      kind: 'config' as const,
      standing: 'declared' as const,
      path: '',
      text: '',
      sentence: '',
      cites: [],
    };
    return {
      term,
      forms: deriveForms(term),
      case: 'off' as const,
      caseReason: '',
      avoid: [],
      definition,
      definitions: [definition],
    };
  });
  const glossary: Glossary = { terms: entries };
  const out: Record<string, { upper: number; lower: number }> = {};
  for (const u of scanTermUses(doc, glossary)) {
    if (!isCaseEvidence(u)) continue;
    const c = (out[u.term] ??= { upper: 0, lower: 0 });
    if (startsUpper(u.text)) c.upper++;
    else c.lower++;
  }
  return out;
}

registerFactsExtension(glossaryFactsKey, extract);

/**
 * Whether a page's raw text may define terms: a superset of `definesTerms`
 * on its facts, cheap enough to run on every page before any is parsed, so
 * that such pages are analysed first (they are the glossary's sources; every
 * other page's term checks read them). Only heading lines and the text right
 * after them are looked at: a page's bytes need no decoding (`headingsOf`).
 */
export function mayDefineTerms(page: string | Uint8Array): boolean {
  for (const { level, text, after } of headingsOf(page)) {
    const heading = text
      .replace(/[ \t]+#+[ \t]*$/, '')
      .replace(/[*_]/g, '')
      .trim();
    if (isDefinitionsHeading(heading)) return true;
    if (level === 1) {
      if (isTermShaped(heading) && heading.split(/\s+/).length <= 3 && leadFollows(after, heading)) return true;
      continue;
    }
    if (numberedArticle.test(heading)) return true;
    const term = termOfHeading(heading);
    if (term && isTermShaped(term) && leadFollows(after, term)) return true;
  }
  return false;
}

/** What follows a heading that `mayDefineTerms` reads: enough for a first sentence. */
const lookAhead = 600;

/** ATX heading lines (`## Title`), with the text right after each. */
function* headingsOf(page: string | Uint8Array): Iterable<{ level: number; text: string; after: string }> {
  if (typeof page === 'string') {
    // A byte order mark is no text: the first line is a heading all the same.
    if (page.charCodeAt(0) === 0xfeff) page = page.slice(1);
    for (const m of page.matchAll(/^ {0,3}(#{1,6})[ \t]+([^\r\n]*)$/gm))
      yield {
        level: m[1]!.length,
        text: m[2]!,
        after: page.slice(m.index + m[0].length, m.index + m[0].length + lookAhead),
      };
    return;
  }
  const decoder = new TextDecoder();
  const n = page.length;
  for (let i = page[0] === 0xef && page[1] === 0xbb && page[2] === 0xbf ? 3 : 0; i < n;) {
    // A line: up to three spaces, then `#`.
    let j = i;
    while (j < n && j - i < 3 && page[j] === 0x20) j++;
    let end = page.indexOf(0x0a, i);
    if (end < 0) end = n;
    if (page[j] === 0x23) {
      let level = 0;
      while (page[j + level] === 0x23) level++;
      const gap = page[j + level];
      if (level <= 6 && (gap === 0x20 || gap === 0x09)) {
        const lineEnd = end > i && page[end - 1] === 0x0d ? end - 1 : end;
        yield {
          level,
          text: decoder.decode(page.subarray(j + level + 1, lineEnd)),
          after: decoder.decode(page.subarray(end, Math.min(n, end + lookAhead))),
        };
      }
    }
    i = end + 1;
  }
}

/** Whether the first text of `after` (blank lines, heading markers and images aside) starts with a definition of `term`. */
function leadFollows(after: string, term: string): boolean {
  const rest = after.replace(/^(?:\s|!\[[^\]]*\]\([^)]*\)|<[^>]+>|#+[ \t])*/, '');
  return startsWithDefinitionOf(rest, term);
}
