import { modify } from 'jsonc-parser';
import type { Project } from '../project';
import type { FileFacts } from '../facts';
import { parseDocument } from '../parse/markdown';
import { spanTester } from '../parse/markdown';
import { rangeOf } from '../linter';
import { configFileName, sectionOf } from '../config/config';
import type { Range, Span, TextEdit } from '../types';
import type { WorkspaceIndex } from '../workspace';
import type { Glossary, GlossaryTerm, TermDefinition } from '../glossary/model';
import { sizeText } from '../glossary/model';
import { glossarySection, type CasePolicy } from '../glossary/config';
import { glossaryFingerprint, glossaryOf, matcherOf } from '../glossary/knowledge';
import { cachedTermUses, scanTermUses, termUsesOf, type TermUse } from '../glossary/scan';
import { caseProblems } from '../glossary/casing';
import { definitionShape } from '../glossary/define';
import { isSentenceStart, isTermShaped, upperFirst, wholeWordPattern } from '../glossary/words';
import type { CompletionEntry, HoverResult, Location, SymbolEntry, WorkspaceEdits } from './types';
import type { TextSource } from './links';

/**
 * Glossary editor features as engine data: pure functions of a Project, a
 * page and an offset into the page's current text. The language server and
 * the CLI convert the results; nothing here knows LSP or does I/O.
 *
 * Term uses: a page's uses depend on the glossary, which is derived from
 * other pages' facts, so they are not part of facts. They are computed from
 * a parsed page and memoised on the page's facts and the glossary's
 * fingerprint (`termUsesOf`). Phase one fills that memo for every page as
 * the glossary rules run, so references, counts and hovers on closed pages
 * usually parse nothing; otherwise the page is parsed from the open
 * document, or from the text the host's optional `TextSource` gives.
 */

export type { TextSource };

const zeroRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function locationIn(index: WorkspaceIndex, path: string, span: Span): Location {
  const facts = index.facts(path);
  return { path, span, range: facts ? rangeOf(facts.lineStarts, span) : zeroRange };
}

function definitionLocation(index: WorkspaceIndex, d: TermDefinition): Location {
  return d.span ? locationIn(index, d.path, d.span) : { path: d.path, span: { start: 0, end: 0 }, range: zeroRange };
}

/** A relative link from a page to a definition's heading; undefined for a definition in the config. */
export function definitionLink(index: WorkspaceIndex, fromPath: string, d: TermDefinition): string | undefined {
  if (d.kind === 'config') return undefined;
  const page = d.path === fromPath ? '' : index.linkBetween(fromPath, d.path);
  return d.anchor ? `${page}#${d.anchor}` : page || undefined;
}

/** Forms without the curly-apostrophe duplicates: Crew, Crews, Crew's, Crews'. */
function shownForms(t: GlossaryTerm): string[] {
  return t.forms.map((f) => f.text).filter((f) => !f.includes('’'));
}

// ---------------------------------------------------------------------------
// Term uses

const readMemo = new WeakMap<
  FileFacts,
  { readonly fingerprint: string; readonly hash: number; readonly uses: readonly TermUse[] }
>();

function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A page's term uses: from the open document, the memo, or the host's text; undefined when none is at hand. */
export function termUsesIn(project: Project, path: string, getText?: TextSource): readonly TermUse[] | undefined {
  const glossary = glossaryOf(project.index);
  const facts = project.index.facts(path);
  const doc = project.parsed(path);
  if (doc) return termUsesOf(doc, glossary, facts);
  if (!facts) return undefined;
  const cached = cachedTermUses(facts, glossary);
  if (cached) return cached;
  const text = getText?.(path);
  if (text === undefined) return undefined;
  const fingerprint = glossaryFingerprint(glossary);
  const hash = hashOf(text);
  const hit = readMemo.get(facts);
  if (hit && hit.fingerprint === fingerprint && hit.hash === hash) return hit.uses;
  const uses = scanTermUses(parseDocument(path, text), glossary);
  readMemo.set(facts, { fingerprint, hash, uses });
  return uses;
}

/** Every page's term uses. Pages whose uses could not be computed (closed, not memoised, no text) are listed in `unread`. */
export function collectTermUses(
  project: Project,
  getText?: TextSource,
): { readonly uses: ReadonlyMap<string, readonly TermUse[]>; readonly unread: readonly string[] } {
  const uses = new Map<string, readonly TermUse[]>();
  const unread: string[] = [];
  for (const page of project.index.pages()) {
    if (!project.index.facts(page)) continue;
    const u = termUsesIn(project, page, getText);
    if (u) uses.set(page, u);
    else unread.push(page);
  }
  return { uses, unread };
}

export interface TermAt {
  readonly term: GlossaryTerm;
  /** The use under the cursor. */
  readonly use: TermUse;
}

/** The glossary term (or synonym) under the cursor, in prose or a heading. */
export function termAt(project: Project, path: string, offset: number, getText?: TextSource): TermAt | undefined {
  const uses = termUsesIn(project, path, getText);
  const use = uses?.find((u) => u.span.start <= offset && offset <= u.span.end);
  if (!use) return undefined;
  const term = matcherOf(glossaryOf(project.index)).termNamed(use.term);
  return term ? { term, use } : undefined;
}

function isDefinitionSite(t: GlossaryTerm, path: string, span: Span): boolean {
  return t.definitions.some((d) => d.path === path && d.span && d.span.start <= span.start && span.end <= d.span.end);
}

// ---------------------------------------------------------------------------
// Hover, definition, references, symbols

function policyText(p: CasePolicy): string {
  switch (p) {
    case 'as-defined':
      return 'written as defined';
    case 'lower-in-prose':
      return 'lower-case mid-sentence';
    case 'consistent-per-page':
      return 'each page keeps one case';
    default:
      return 'not checked';
  }
}

function definitionPlace(index: WorkspaceIndex, fromPath: string, d: TermDefinition): string {
  if (d.kind === 'config') return `\`${configFileName}\``;
  const link = definitionLink(index, fromPath, d);
  const label = `${d.path}${d.sectionTitle ? ` › ${d.sectionTitle}` : ''}`;
  return link !== undefined ? `[${label}](${link})` : label;
}

/** "current", "archived" or "declared in GLOSSARY.md": how current a definition is, for hovers. */
function standingText(d: TermDefinition): string {
  if (d.standing === 'archived') return 'archived';
  if (d.standing === 'declared') return d.kind === 'config' ? 'declared' : 'the glossary';
  return 'current';
}

/**
 * Markdown for a term: the most current definition, then every page that
 * defines it (how current each is, and the group size an older one states),
 * its forms and case policy.
 */
export function termMarkdown(index: WorkspaceIndex, fromPath: string, t: GlossaryTerm): string {
  const d = t.definition;
  const parts = [`**${t.term}** — glossary term`];
  if (d.text) parts.push(d.text);
  const others = t.definitions.filter((x) => x !== d && x.kind !== 'config');
  const onlyArchived = d.standing === 'archived';
  parts.push(
    `${onlyArchived ? 'Defined only in the archive: ' : 'Defined in '}${definitionPlace(index, fromPath, d)}${onlyArchived ? '' : ` (${standingText(d)})`}`,
  );
  if (others.length) {
    const said = (x: TermDefinition) =>
      x.size && (x.size.min !== d.size?.min || x.size.max !== d.size?.max) ? `, ${sizeText(x.size)}` : '';
    parts.push(
      `Also defined in ${others.map((x) => `${definitionPlace(index, fromPath, x)} (${standingText(x)}${said(x)})`).join('; ')}`,
    );
  }
  parts.push(
    `Forms: ${shownForms(t).join(', ')} · Case: ${policyText(t.case)}${t.avoid.length ? ` · Avoid: ${t.avoid.map((a) => a.synonym).join(', ')}` : ''}`,
  );
  return parts.join('\n\n');
}

/** Hover on a use of a term: its definition, where it is defined, its forms. */
export function termHover(
  project: Project,
  path: string,
  offset: number,
  getText?: TextSource,
): HoverResult | undefined {
  const at = termAt(project, path, offset, getText);
  if (!at) return undefined;
  const body = termMarkdown(project.index, path, at.term);
  const markdown = at.use.synonym
    ? `“${at.use.text}” is a synonym to avoid: write **${at.term.term}**.\n\n${body}`
    : body;
  return { markdown, span: at.use.span };
}

/** Where the term under the cursor is defined: the first definition (the one hovers show). */
export function termDefinition(
  project: Project,
  path: string,
  offset: number,
  getText?: TextSource,
): Location | undefined {
  const at = termAt(project, path, offset, getText);
  return at ? definitionLocation(project.index, at.term.definition) : undefined;
}

/** Every definition of the term under the cursor, the first one first. */
export function termDefinitions(project: Project, path: string, offset: number, getText?: TextSource): Location[] {
  const at = termAt(project, path, offset, getText);
  return at ? at.term.definitions.map((d) => definitionLocation(project.index, d)) : [];
}

/** Every use of the term under the cursor across the site, in path order; the defining words themselves too unless `includeDeclaration` is false. */
export function termReferences(
  project: Project,
  path: string,
  offset: number,
  options: { readonly includeDeclaration?: boolean; readonly getText?: TextSource } = {},
): Location[] {
  const at = termAt(project, path, offset, options.getText);
  if (!at) return [];
  return termUseLocations(project, at.term, options);
}

/** Every use of a term across the site. */
export function termUseLocations(
  project: Project,
  term: GlossaryTerm,
  options: { readonly includeDeclaration?: boolean; readonly getText?: TextSource } = {},
): Location[] {
  const out: Location[] = [];
  const { uses } = collectTermUses(project, options.getText);
  for (const [page, list] of uses) {
    for (const u of list) {
      if (u.term !== term.term || u.synonym) continue;
      if (options.includeDeclaration === false && isDefinitionSite(term, page, u.span)) continue;
      out.push(locationIn(project.index, page, u.span));
    }
  }
  return out;
}

function matchesQuery(name: string, query: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (const c of n) if (c === q[i]) i++;
  return i === q.length;
}

function short(s: string, max = 100): string {
  return s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s;
}

/** Workspace symbols: one per term, at its first definition. */
export function termSymbols(project: Project, query = ''): SymbolEntry[] {
  return glossaryOf(project.index)
    .terms.filter((t) => matchesQuery(t.term, query))
    .map((t) => {
      const loc = definitionLocation(project.index, t.definition);
      return {
        name: t.term,
        kind: 'term' as const,
        path: loc.path,
        span: loc.span,
        range: loc.range,
        detail: short(t.definition.gloss ?? t.definition.sentence),
      };
    });
}

// ---------------------------------------------------------------------------
// Completion

/** How a term should be written at a place, by its case policy. */
function casedFor(t: GlossaryTerm, sentenceStart: boolean): string {
  if ((t.case === 'lower-in-prose' || (t.case === 'consistent-per-page' && t.practice === 'lower')) && !sentenceStart)
    return t.term.toLowerCase();
  return sentenceStart ? upperFirst(t.term) : t.term;
}

function paragraphStart(text: string, offset: number): number {
  const blank = /\n[ \t]*\n/g;
  let start = 0;
  for (let m = blank.exec(text); m && m.index + m[0].length <= offset; m = blank.exec(text))
    start = m.index + m[0].length;
  return start;
}

/**
 * Terms to complete at the cursor: in prose after two letters of a term's
 * form, and in the text of a link (`[` then any letters). Inserts the
 * canonical form, cased as the term's policy asks at that place (lower-case
 * mid-sentence for a `lower-in-prose` term). Nothing in code, front matter,
 * comments or link destinations.
 */
export function termCompletions(
  project: Project,
  path: string,
  offset: number,
  getText?: TextSource,
): CompletionEntry[] {
  const doc = project.parsed(path);
  const text = doc?.text ?? getText?.(path);
  if (text === undefined) return [];
  const parsed = doc ?? parseDocument(path, text);
  if (spanTester(parsed.excluded)(offset) || spanTester(parsed.excluded)(offset - 1)) return [];
  const facts = project.index.facts(path);
  if (facts?.references.some((r) => r.urlSpan.start <= offset && offset <= r.urlSpan.end)) return [];
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  // A destination being typed: `[text](…`.
  if (/\]\([^)\s]*$/.test(before)) return [];
  const prefix = /[\p{L}\p{M}'’-]*$/u.exec(before)![0];
  const start = offset - prefix.length;
  const open = before.lastIndexOf('[');
  const inLinkText = open >= 0 && !before.slice(open).includes(']') && before[open - 1] !== '!';
  if (!inLinkText && prefix.replace(/[^\p{L}]/gu, '').length < 2) return [];
  const glossary = glossaryOf(project.index);
  const p = prefix.toLowerCase();
  const sentenceStart = isSentenceStart(text, start, paragraphStart(text, start));
  const out: CompletionEntry[] = [];
  for (const t of glossary.terms) {
    if (p && !t.forms.some((f) => f.text.toLowerCase().startsWith(p))) continue;
    const insert = casedFor(t, sentenceStart);
    out.push({
      label: t.term,
      kind: 'term',
      insertText: insert,
      replace: { start, end: offset },
      detail: short(t.definition.gloss ?? t.definition.sentence, 80),
      documentation: termMarkdown(project.index, path, t),
      sortText: `0-${t.term.toLowerCase()}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Insert term definition

export type InsertionKind = 'sentence' | 'link' | 'hint';

export interface TermInsertion {
  readonly kind: InsertionKind;
  /** For a quick pick: "Definition as a sentence", "Link to the definition", "GitBook hint". */
  readonly label: string;
  /** Plain text to insert at the cursor (no snippet syntax). */
  readonly text: string;
}

function sentenceEnd(s: string): string {
  const t = s.trim();
  return /[.!?…]["”’)]*$/.test(t) ? t : `${t}.`;
}

/** The definition as a sentence with the term in bold: "**Crew**: a small group …". */
export function definitionSentence(t: GlossaryTerm): string {
  const d = t.definition;
  if (d.gloss) return `**${t.term}**: ${sentenceEnd(d.gloss)}`;
  if (d.sentence) {
    const p = wholeWordPattern(t.forms.map((f) => f.text));
    if (p) {
      const m = new RegExp(p.source, 'iu').exec(d.sentence);
      if (m) return sentenceEnd(d.sentence.slice(0, m.index) + `**${m[0]}**` + d.sentence.slice(m.index + m[0].length));
    }
    return `**${t.term}**: ${sentenceEnd(d.sentence)}`;
  }
  return `**${t.term}**`;
}

/**
 * What "Insert term definition…" may insert for a term at a page: the
 * definition as a sentence with the bold term, a relative link to the
 * definition, or a GitBook hint holding the definition and the link. A term
 * defined only in `.msolrc.json` has no link variant.
 */
export function termDefinitionInsertions(project: Project, fromPath: string, termName: string): TermInsertion[] {
  const t = matcherOf(glossaryOf(project.index)).termNamed(termName);
  if (!t) return [];
  const sentence = definitionSentence(t);
  const link = definitionLink(project.index, fromPath, t.definition);
  const out: TermInsertion[] = [{ kind: 'sentence', label: 'Definition as a sentence', text: sentence }];
  if (link !== undefined) out.push({ kind: 'link', label: 'Link to the definition', text: `[${t.term}](${link})` });
  const source = link !== undefined ? ` ([definition](${link}))` : '';
  out.push({
    kind: 'hint',
    label: 'GitBook hint with the definition',
    text: `{% hint style="info" %}\n${sentence}${source}\n{% endhint %}\n`,
  });
  return out;
}

export interface TermChoice {
  readonly term: string;
  /** One line for the quick pick. */
  readonly detail: string;
  readonly insertions: readonly TermInsertion[];
}

/** The quick pick of "Insert term definition…": every term, alphabetically, with what each variant inserts. */
export function termDefinitionChoices(project: Project, fromPath: string): TermChoice[] {
  return [...glossaryOf(project.index).terms]
    .sort((a, b) => a.term.localeCompare(b.term))
    .map((t) => ({
      term: t.term,
      detail: short(t.definition.gloss ?? t.definition.sentence ?? '', 120),
      insertions: termDefinitionInsertions(project, fromPath, t.term),
    }));
}

/** "Insert term definition" as snippets, one per term (label `Crew definition`), replacing `replace`. */
export function termDefinitionSnippets(project: Project, fromPath: string, replace: Span): CompletionEntry[] {
  return glossaryOf(project.index).terms.map((t) => {
    const text = definitionSentence(t);
    return {
      label: `${t.term} definition`,
      kind: 'snippet' as const,
      insertText: text.replace(/[$}\\]/g, (c) => `\\${c}`),
      snippet: true,
      replace,
      detail: 'Insert the glossary definition',
      documentation: termMarkdown(project.index, fromPath, t),
      sortText: `1-${t.term.toLowerCase()}`,
    };
  });
}

// ---------------------------------------------------------------------------
// Fix all in this file

/** The edits of every safe `term-case` problem in a page: "Fix all term-case problems in this file" (offered changes stay offered). */
export function fixAllTermCaseEdits(project: Project, path: string, getText?: TextSource): TextEdit[] {
  const uses = termUsesIn(project, path, getText);
  if (!uses) return [];
  const glossary = glossaryOf(project.index);
  const facts = project.index.facts(path);
  return caseProblems(uses, glossary, { siteName: glossary.siteName, ...(facts ? { facts } : {}) })
    .filter((p) => p.safe)
    .map((p) => ({ start: p.use.span.start, end: p.use.span.end, newText: p.expected }));
}

// ---------------------------------------------------------------------------
// Add to glossary (term-undefined's quick fix)

export type GlossaryTarget = 'glossary-file' | 'config';

export interface UndefinedTerm {
  readonly term: string;
  /** The definition to record: the gloss, capitalised, or the defining sentence. */
  readonly definition: string;
}

/** The term a `term-undefined` finding is about (its span is the bold phrase), with the definition to record. */
export function undefinedTermAt(project: Project, path: string, offset: number): UndefinedTerm | undefined {
  const facts = project.index.facts(path);
  const b = facts?.bold.find((x) => x.span.start <= offset && offset <= x.span.end);
  if (!facts || !b || b.block === undefined || b.blockOffset === undefined) return undefined;
  const term = b.text
    .replace(/:$/, '')
    .trim()
    .replace(/^(?:the|a|an)\s+/i, '');
  if (!isTermShaped(term)) return undefined;
  const shape = definitionShape(facts.blocks![b.block]!.text, b.blockOffset, b.text.length);
  const definition = shape?.gloss ? upperFirst(sentenceEnd(shape.gloss)) : sentenceEnd(shape?.sentence.text ?? '');
  return { term, definition };
}

export interface GlossaryAddition extends UndefinedTerm {
  /** The file to edit: GLOSSARY.md (site path) or `.msolrc.json`. */
  readonly path: string;
  /** True when the file does not exist yet: the host creates it with the edits' text. */
  readonly create: boolean;
  readonly edits: readonly TextEdit[];
  /** The same edits as WorkspaceEdits. */
  readonly workspaceEdits: WorkspaceEdits;
  readonly title: string;
}

/**
 * "Add to glossary" for the term of a `term-undefined` finding at
 * `path`/`offset`: edits to GLOSSARY.md (`## Term` and the definition,
 * appended) or to `.msolrc.json` (`glossary.terms`). `targetText` is the
 * target file's current text, undefined when it does not exist.
 */
export function glossaryAdditionEdits(
  project: Project,
  path: string,
  offset: number,
  target: GlossaryTarget,
  targetText: string | undefined,
): GlossaryAddition | undefined {
  const found = undefinedTermAt(project, path, offset);
  if (!found) return undefined;
  return glossaryAddition(project, found, target, targetText);
}

/** Edits that add a term to GLOSSARY.md or `.msolrc.json`. */
export function glossaryAddition(
  project: Project,
  entry: UndefinedTerm,
  target: GlossaryTarget,
  targetText: string | undefined,
): GlossaryAddition {
  const { term, definition } = entry;
  let file: string;
  let edits: TextEdit[];
  if (target === 'glossary-file') {
    file = project.index.sitePath(sectionOf(project.config, glossarySection).file || 'GLOSSARY.md');
    const block = `## ${term}\n\n${definition}\n`;
    if (targetText === undefined) edits = [{ start: 0, end: 0, newText: `# Glossary\n\n${block}` }];
    else {
      const sep = targetText === '' || targetText.endsWith('\n\n') ? '' : targetText.endsWith('\n') ? '\n' : '\n\n';
      edits = [{ start: targetText.length, end: targetText.length, newText: `${sep}${block}` }];
    }
  } else {
    file = configFileName;
    const value = { term, ...(definition ? { definition } : {}) };
    const base = targetText === undefined || targetText.trim() === '' ? '{}' : targetText;
    const mods = modify(base, ['glossary', 'terms', -1], value, {
      formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' },
    });
    edits =
      targetText === undefined || targetText.trim() === ''
        ? [{ start: 0, end: targetText?.length ?? 0, newText: applyJsonEdits(base, mods) + '\n' }]
        : mods.map((m) => ({ start: m.offset, end: m.offset + m.length, newText: m.content }));
  }
  // A quick-fix menu shows its titles as plain text.
  const title =
    target === 'glossary-file' ? `Add “${term}” to ${file}` : `Add “${term}” to glossary.terms in ${configFileName}`;
  return {
    term,
    definition,
    path: file,
    create: targetText === undefined,
    edits,
    workspaceEdits: { changes: new Map([[file, edits]]) },
    title,
  };
}

function applyJsonEdits(text: string, mods: readonly { offset: number; length: number; content: string }[]): string {
  let out = text;
  for (const m of [...mods].sort((a, b) => b.offset - a.offset))
    out = out.slice(0, m.offset) + m.content + out.slice(m.offset + m.length);
  return out;
}

// ---------------------------------------------------------------------------
// msol glossary

export interface GlossaryReportEntry {
  readonly term: string;
  readonly forms: readonly string[];
  readonly case: CasePolicy;
  readonly caseReason: string;
  readonly definition: string;
  readonly gloss?: string;
  /** Where the first definition stands (1-based line and column); `.msolrc.json` for config terms. */
  readonly source: {
    readonly path: string;
    readonly line: number;
    readonly column: number;
    readonly anchor?: string;
    readonly kind: TermDefinition['kind'];
  };
  readonly alsoDefinedIn: readonly { readonly path: string; readonly line: number; readonly column: number }[];
  readonly avoid: readonly string[];
  /** Uses in prose and headings across the site, the defining words themselves not counted. */
  readonly uses: number;
  /** Pages using the term, sorted. */
  readonly pages: readonly string[];
}

export interface GlossaryReport {
  readonly sources: readonly string[];
  readonly terms: readonly GlossaryReportEntry[];
  /** Pages whose uses could not be counted (not open, not analysed, no text given). */
  readonly unread: readonly string[];
}

/** The glossary the engine read, with how often and where each term is used: `msol glossary`. */
export function glossaryReport(project: Project, getText?: TextSource): GlossaryReport {
  const glossary: Glossary = glossaryOf(project.index);
  const { uses, unread } = collectTermUses(project, getText);
  const pos = (d: TermDefinition) => {
    const loc = definitionLocation(project.index, d);
    return { path: d.path, line: loc.range.start.line + 1, column: loc.range.start.character + 1 };
  };
  const terms = glossary.terms.map((t): GlossaryReportEntry => {
    let n = 0;
    const pages = new Set<string>();
    for (const [page, list] of uses) {
      for (const u of list) {
        if (u.term !== t.term || u.synonym || isDefinitionSite(t, page, u.span)) continue;
        n++;
        pages.add(page);
      }
    }
    const d = t.definition;
    return {
      term: t.term,
      forms: shownForms(t),
      case: t.case,
      caseReason: t.caseReason,
      definition: d.text,
      ...(d.gloss ? { gloss: d.gloss } : {}),
      source: { ...pos(d), ...(d.anchor ? { anchor: d.anchor } : {}), kind: d.kind },
      alsoDefinedIn: t.definitions.slice(1).map(pos),
      avoid: t.avoid.map((a) => a.synonym),
      uses: n,
      pages: [...pages].sort(),
    };
  });
  const sources = [...new Set(glossary.terms.flatMap((t) => t.definitions.map((d) => d.path)))];
  return { sources, terms, unread };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `msol glossary --format md`: a summary table, then each term with its definition, forms, policy and uses. */
export function formatGlossaryMarkdown(report: GlossaryReport): string {
  const lines: string[] = ['# Glossary', ''];
  const n = report.terms.length;
  lines.push(
    n === 0
      ? 'No terms found. Add a `## Definition of terms` section to README.md, a GLOSSARY.md, or `glossary.terms` to .msolrc.json.'
      : `${n} term${n === 1 ? '' : 's'} read from ${report.sources.join(', ')}.`,
    '',
  );
  if (n > 0) {
    lines.push('| Term | Forms | Case | Uses | Pages | Defined in |', '| --- | --- | --- | ---: | ---: | --- |');
    for (const t of report.terms) {
      lines.push(
        `| ${cell(t.term)} | ${cell(t.forms.join(', '))} | ${t.case} | ${t.uses} | ${t.pages.length} | ${cell(`${t.source.path}:${t.source.line}`)} |`,
      );
    }
    lines.push('');
  }
  for (const t of report.terms) {
    lines.push(`## ${t.term}`, '');
    if (t.definition) lines.push(`> ${t.definition}`, '');
    lines.push(
      `- Defined in ${t.source.path}:${t.source.line}:${t.source.column}${t.source.anchor ? ` (#${t.source.anchor})` : ''}${t.alsoDefinedIn.length ? `; also in ${t.alsoDefinedIn.map((a) => `${a.path}:${a.line}`).join(', ')}` : ''}`,
    );
    lines.push(`- Forms: ${t.forms.join(', ')}`);
    lines.push(`- Case: ${t.case} (${t.caseReason})`);
    if (t.avoid.length) lines.push(`- Avoid: ${t.avoid.join(', ')}`);
    lines.push(
      `- Used ${t.uses} time${t.uses === 1 ? '' : 's'} on ${t.pages.length} page${t.pages.length === 1 ? '' : 's'}${t.pages.length ? `: ${t.pages.join(', ')}` : ''}`,
    );
    lines.push('');
  }
  if (report.unread.length)
    lines.push(
      `Uses not counted in ${report.unread.length} page(s) that could not be read: ${report.unread.join(', ')}.`,
      '',
    );
  return lines.join('\n');
}

/** `msol glossary --format json`: the report as pretty JSON, one trailing newline. */
export function formatGlossaryJson(report: GlossaryReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
