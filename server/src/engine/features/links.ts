import GithubSlugger from 'github-slugger';
import type { Project } from '../project';
import type { FileFacts, Heading, Reference } from '../facts';
import { extractFacts } from '../facts';
import { parseDocument, spanTester } from '../parse/markdown';
import { rangeOf } from '../linter';
import type { Range, Span, TextEdit } from '../types';
import type { WorkspaceIndex } from '../workspace';
import { encodeLinkPath } from '../workspace';
import { basename, dirname, isMarkdownPath, relativePath, resolvePath } from '../paths';
import { safeDecodeUri, unescapeMarkdown } from '../text';
import { fragmentMatches, linkGraph, linkTarget, type LinkRecord } from '../links/graph';
import { fragmentSpanOf, writePathLike } from '../links/urls';
import type {
  CodeLensEntry,
  CompletionEntry,
  DocumentLinkEntry,
  HoverResult,
  Location,
  SymbolEntry,
  WorkspaceEdits,
} from './types';

export { linksReport, formatLinksText, formatLinksJson } from '../links/report';

/**
 * Cross-link editor features as engine data: pure functions of a Project, a
 * page and an offset into the page's current text. The language server
 * converts the results to LSP; nothing here knows LSP or does I/O.
 *
 * Features that need a page's text (completion, heading rename) read the text
 * of the page open in the editor (`Project.openDocument`), or ask the
 * optional `TextSource` the host passes (for a page that is not open).
 */

/** The current text of a page, when the host has it; undefined otherwise. */
export type TextSource = (path: string) => string | undefined;

function textOf(project: Project, path: string, getText?: TextSource): string | undefined {
  return getText?.(path) ?? project.parsed(path)?.text;
}

const zeroRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function locationIn(index: WorkspaceIndex, path: string, span: Span): Location {
  const facts = index.facts(path);
  return { path, span, range: facts ? rangeOf(facts.lineStarts, span) : zeroRange };
}

/** The reference under the cursor: its destination first, then the whole construct. */
function referenceAt(facts: FileFacts, offset: number): Reference | undefined {
  return (
    facts.references.find((r) => r.urlSpan.start <= offset && offset <= r.urlSpan.end) ??
    facts.references.find((r) => r.span.start <= offset && offset < r.span.end)
  );
}

function headingAt(facts: FileFacts, offset: number): number {
  return facts.headings.findIndex((h) => h.span.start <= offset && offset <= h.span.end);
}

function headingFor(facts: FileFacts | undefined, fragment: string | undefined): Heading | undefined {
  if (!facts || fragment === undefined) return undefined;
  return facts.headings.find((h) => fragmentMatches(fragment, h.slug));
}

// ---------------------------------------------------------------------------
// Completion

type DestinationStyle = 'markdown' | 'raw';

interface DestinationContext {
  /** Where the destination is written: a Markdown link or definition, an HTML attribute, a GitBook tag. */
  readonly kind: 'markdown' | 'html' | 'gitbook';
  /** What is typed of the destination, from its start to the cursor. */
  readonly value: string;
  readonly valueStart: number;
  readonly style: DestinationStyle;
  readonly image: boolean;
}

const htmlAttribute = /<(img|a)\b[^>]*?\s(?:src|href)\s*=\s*["']([^"']*)$/i;
const gitbookAttribute = /\{%-?\s*(content-ref|file|page-ref)\b[^%]*?\b(?:url|src|page)\s*=\s*["']([^"']*)$/;
const definitionDestination = /^ {0,3}\[[^\]]+\]:[ \t]*(<?)([^\s>]*)$/;
const inlineDestination = /\]\((<[^>\n]*|(?:[^\s()\\]|\\.)*)$/;

/** Whether the cursor stands in a link destination, `<img src>`, `<a href>` or a GitBook tag's path, and what is typed so far. */
export function destinationAt(text: string, offset: number): DestinationContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  let m = htmlAttribute.exec(prefix);
  if (m)
    return {
      kind: 'html',
      value: m[2]!,
      valueStart: offset - m[2]!.length,
      style: 'raw',
      image: m[1]!.toLowerCase() === 'img',
    };
  m = gitbookAttribute.exec(prefix);
  if (m)
    return { kind: 'gitbook', value: m[2]!, valueStart: offset - m[2]!.length, style: 'raw', image: m[1] === 'file' };
  m = definitionDestination.exec(prefix);
  if (m)
    return {
      kind: 'markdown',
      value: m[2]!,
      valueStart: offset - m[2]!.length,
      style: m[1] ? 'raw' : 'markdown',
      image: false,
    };
  m = inlineDestination.exec(prefix);
  if (m) {
    const angle = m[1]!.startsWith('<');
    const value = angle ? m[1]!.slice(1) : m[1]!;
    const bracket = prefix.lastIndexOf('[', m.index);
    return {
      kind: 'markdown',
      value,
      valueStart: offset - value.length,
      style: angle ? 'raw' : 'markdown',
      image: bracket > 0 && prefix[bracket - 1] === '!',
    };
  }
  return undefined;
}

/** The children of a folder of the site: [name, isFolder]. Hidden entries are left out, except `.gitbook` (assets live there). */
function childrenOf(index: WorkspaceIndex, dir: string): Array<[string, boolean]> {
  const prefix = dir === '' ? '' : dir + '/';
  const out = new Map<string, boolean>();
  for (const f of index.files) {
    if (!f.startsWith(prefix)) continue;
    const rest = f.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    if (name.startsWith('.') && name !== '.gitbook') continue;
    if (slash >= 0) out.set(name, true);
    else if (!out.has(name)) out.set(name, false);
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b));
}

/** Which written forms of a link a feature answers for (a host leaves to an editor what the editor does itself). */
export interface LinkFeatureScope {
  /** Markdown links, images and reference definitions. Default true. */
  readonly markdown?: boolean;
  /** `<a href>`, `<img src>`. Default true. */
  readonly html?: boolean;
}

const markdownKinds: ReadonlySet<string> = new Set(['link', 'image', 'definition']);
const htmlKinds: ReadonlySet<string> = new Set(['html-img', 'html-link']);

function inScope(kind: Reference['kind'] | DestinationContext['kind'], scope: LinkFeatureScope): boolean {
  if (kind === 'markdown' || markdownKinds.has(kind)) return scope.markdown !== false;
  if (kind === 'html' || htmlKinds.has(kind)) return scope.html !== false;
  return true;
}

/**
 * Completion inside a link destination, `<img src>`, `<a href>`, or a
 * `content-ref`/`file`/`page-ref` path: the pages, folders and assets of the
 * folder typed so far, and after `#` the anchors (headings) of the current
 * or the target page, e.g. the proposal's headings after `proposal.md#`.
 * `scope` leaves out the written forms another provider completes.
 */
export function linkCompletions(
  project: Project,
  path: string,
  offset: number,
  getText?: TextSource,
  scope: LinkFeatureScope = {},
): CompletionEntry[] {
  const text = textOf(project, path, getText);
  if (text === undefined) return [];
  const doc = project.parsed(path);
  if (doc && doc.text === text && spanTester(doc.excluded)(offset)) return [];
  const ctx = destinationAt(text, offset);
  if (!ctx || !inScope(ctx.kind, scope)) return [];
  const index = project.index;
  const hash = ctx.value.indexOf('#');
  if (hash >= 0) return anchorCompletions(index, path, ctx, hash, offset);
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(ctx.value)) return [];
  const slash = ctx.value.lastIndexOf('/');
  const dirTyped = ctx.value.slice(0, slash + 1);
  const typed = ctx.value.slice(slash + 1);
  const decodedDir = safeDecodeUri(unescapeMarkdown(dirTyped));
  const root = index.config.site.root;
  const base = decodedDir.startsWith('/')
    ? resolvePath(root, decodedDir.replace(/^\/+/, ''))
    : resolvePath(dirname(path), decodedDir);
  if (base === undefined || (base !== '' && !index.hasDirectory(base))) return [];
  const replace: Span = { start: offset - typed.length, end: offset };
  const encode = (name: string) => (ctx.style === 'markdown' ? encodeLinkPath(name) : name);
  const rank = (kind: 'page' | 'folder' | 'asset') =>
    (ctx.image ? { asset: '1', folder: '2', page: '3' } : { page: '1', folder: '2', asset: '3' })[kind];
  const entries: CompletionEntry[] = [];
  if (ctx.value === '' && !ctx.image && index.hasFile(index.proposalPath) && path !== index.proposalPath) {
    const url = index.linkBetween(path, index.proposalPath);
    const title = index.facts(index.proposalPath)?.title;
    entries.push({
      label: url,
      kind: 'page',
      insertText: ctx.style === 'markdown' ? url : relativePath(dirname(path), index.proposalPath),
      replace,
      detail: `The proposal${title ? `: ${title}` : ''}`,
      sortText: '0',
    });
  }
  if (base !== '' && resolvePath(base, '..') !== undefined)
    entries.push({
      label: '../',
      kind: 'folder',
      insertText: '../',
      replace,
      detail: 'Parent folder',
      sortText: `${rank('folder')}../`,
    });
  for (const [name, isFolder] of childrenOf(index, base)) {
    const full = base === '' ? name : `${base}/${name}`;
    if (isFolder) {
      const readme = index.facts(`${full}/README.md`);
      entries.push({
        label: `${name}/`,
        kind: 'folder',
        insertText: `${encode(name)}/`,
        replace,
        ...(readme?.title ? { detail: readme.title } : {}),
        sortText: `${rank('folder')}${name}`,
      });
    } else if (isMarkdownPath(name)) {
      if (full === path) continue;
      const facts = index.facts(full);
      const description = facts?.frontMatter?.['description'];
      entries.push({
        label: name,
        kind: 'page',
        insertText: encode(name),
        replace,
        ...(facts?.title ? { detail: facts.title } : {}),
        ...(typeof description === 'string' ? { documentation: description.trim() } : {}),
        sortText: `${rank('page')}${name}`,
      });
    } else {
      entries.push({
        label: name,
        kind: 'asset',
        insertText: encode(name),
        replace,
        detail: full,
        sortText: `${rank('asset')}${name}`,
      });
    }
  }
  return entries;
}

function anchorCompletions(
  index: WorkspaceIndex,
  path: string,
  ctx: DestinationContext,
  hash: number,
  offset: number,
): CompletionEntry[] {
  const pathPart = ctx.value.slice(0, hash);
  let target = path;
  if (pathPart !== '') {
    const res = index.resolve(path, pathPart);
    if (res.kind !== 'local' || !res.page) return [];
    target = res.page;
  }
  const facts = index.facts(target);
  if (!facts) return [];
  const replace: Span = { start: ctx.valueStart + hash + 1, end: offset };
  const entries: CompletionEntry[] = facts.headings.map((h, i) => ({
    label: h.slug,
    kind: 'heading' as const,
    insertText: h.slug,
    replace,
    detail: `${'#'.repeat(h.depth)} ${h.text}`,
    ...(target !== path ? { documentation: `${facts.title ?? target} › ${h.text}` } : {}),
    sortText: String(i).padStart(5, '0'),
  }));
  const slugs = new Set(facts.headings.map((h) => h.slug));
  for (const a of new Set(facts.anchors)) {
    if (!slugs.has(a))
      entries.push({ label: a, kind: 'heading', insertText: a, replace, detail: 'HTML anchor', sortText: `z${a}` });
  }
  return entries;
}

// ---------------------------------------------------------------------------
// Document links, hover, definition

/** Every local link, image and GitBook path of a page that reaches a file of the site (missing targets are left to diagnostics). */
export function linkDocumentLinks(project: Project, path: string, scope: LinkFeatureScope = {}): DocumentLinkEntry[] {
  const index = project.index;
  const facts = index.facts(path);
  if (!facts) return [];
  const out: DocumentLinkEntry[] = [];
  for (const ref of facts.references) {
    if (!inScope(ref.kind, scope)) continue;
    const res = index.resolve(path, ref.url);
    if (res.kind !== 'local' || (res.exists !== 'file' && res.exists !== 'directory-readme')) continue;
    const targetPath = res.page ?? res.path;
    const fragment = res.target.fragment;
    const title = index.facts(targetPath)?.title;
    out.push({
      span: ref.urlSpan,
      range: rangeOf(facts.lineStarts, ref.urlSpan),
      targetPath,
      ...(fragment !== undefined && fragment !== '' ? { fragment } : {}),
      tooltip: title ? `${title} (${targetPath})` : targetPath,
    });
  }
  return out;
}

/** Hover on a link: the target's title, its front matter description and the heading its anchor names. */
export function linkHover(project: Project, path: string, offset: number): HoverResult | undefined {
  const index = project.index;
  const facts = index.facts(path);
  if (!facts) return undefined;
  const ref = referenceAt(facts, offset);
  if (!ref) return undefined;
  const res = index.resolve(path, ref.url);
  if (res.kind === 'outside') return { markdown: `Outside the site: \`${ref.url}\``, span: ref.span };
  if (res.kind === 'local' && res.exists !== 'file' && res.exists !== 'directory-readme') {
    return {
      markdown: res.exists === 'directory' ? `Folder \`${res.path}\` has no README.md` : `Missing file \`${res.path}\``,
      span: ref.span,
    };
  }
  const t = linkTarget(index, path, ref);
  if (!t) return undefined;
  const target = index.facts(t.target);
  const lines: string[] = [];
  if (t.via === 'copy') lines.push(`*An external copy of the proposal; the local page is \`${t.target}\`.*`);
  if (t.via === 'site-url') lines.push(`*This site's own URL, served from \`${t.target}\`.*`);
  if (!target) {
    lines.push(`\`${t.target}\``);
    return { markdown: lines.join('\n\n'), span: ref.span };
  }
  lines.push(`**${escapeMarkdown(target.title ?? basename(t.target))}**`);
  const description = target.frontMatter?.['description'];
  if (typeof description === 'string' && description.trim())
    lines.push(escapeMarkdown(description.trim().replace(/\s+/g, ' ')));
  if (t.fragment !== undefined) {
    const h = headingFor(target, t.fragment);
    lines.push(h ? `§ ${escapeMarkdown(h.text)}` : `No heading \`#${t.fragment}\` on this page`);
  }
  lines.push(`\`${t.target}\``);
  return { markdown: lines.join('\n\n'), span: ref.span };
}

function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>#])/g, '\\$1');
}

/** Go to definition from a link: its file, at the heading its anchor names. */
export function linkDefinition(
  project: Project,
  path: string,
  offset: number,
  scope: LinkFeatureScope = {},
): Location[] {
  const index = project.index;
  const facts = index.facts(path);
  if (!facts) return [];
  const ref = referenceAt(facts, offset);
  if (!ref || !inScope(ref.kind, scope)) return [];
  const t = linkTarget(index, path, ref);
  if (!t) return [];
  const h = headingFor(index.facts(t.target), t.fragment);
  return [locationIn(index, t.target, h ? h.span : { start: 0, end: 0 })];
}

// ---------------------------------------------------------------------------
// References and code lenses

/** What a position names: a page, or one heading of a page. */
interface Referent {
  readonly page: string;
  readonly heading?: Heading;
}

function referentAt(index: WorkspaceIndex, path: string, offset: number): Referent | undefined {
  const facts = index.facts(path);
  if (!facts) return undefined;
  const h = headingAt(facts, offset);
  if (h >= 0) return { page: path, heading: facts.headings[h]! };
  const ref = referenceAt(facts, offset);
  if (ref) {
    const t = linkTarget(index, path, ref);
    if (!t) return undefined;
    const heading = headingFor(index.facts(t.target), t.fragment);
    return { page: t.target, ...(heading ? { heading } : {}) };
  }
  return { page: path };
}

function linksTo(index: WorkspaceIndex, referent: Referent): LinkRecord[] {
  const all = linkGraph(index).incoming.get(referent.page) ?? [];
  return referent.heading ? all.filter((r) => fragmentMatches(r.fragment, referent.heading!.slug)) : [...all];
}

function recordLocation(index: WorkspaceIndex, r: LinkRecord): Location {
  return locationIn(index, r.from, r.ref.span);
}

/**
 * Find references: every link to the heading under the cursor, to the page
 * or heading a link under the cursor points at, or else to the page itself,
 * across the workspace (SUMMARY.md and the page's own `#anchor` links included).
 */
export function linkReferences(
  project: Project,
  path: string,
  offset: number,
  options: { readonly includeDeclaration?: boolean } = {},
): Location[] {
  const index = project.index;
  const referent = referentAt(index, path, offset);
  if (!referent) return [];
  const out = linksTo(index, referent).map((r) => recordLocation(index, r));
  if (options.includeDeclaration)
    out.unshift(locationIn(index, referent.page, referent.heading ? referent.heading.span : { start: 0, end: 0 }));
  return out;
}

/**
 * Code lens data on each heading of the proposal: "N pages link here", with
 * the links as locations. The title heading counts links to the page (with
 * or without its anchor); other headings count links to their anchor. The
 * proposal's own links and SUMMARY.md (the menu) are not counted.
 */
export function proposalCodeLenses(project: Project, path: string): CodeLensEntry[] {
  const index = project.index;
  if (path !== index.proposalPath) return [];
  const facts = index.facts(path);
  if (!facts) return [];
  const incoming = (linkGraph(index).incoming.get(path) ?? []).filter(
    (r) => r.from !== path && r.from !== index.summaryPath,
  );
  const titleIndex = facts.headings.findIndex((h) => h.depth === 1);
  return facts.headings.map((h, i) => {
    const records = incoming.filter(
      (r) => fragmentMatches(r.fragment, h.slug) || (i === titleIndex && r.fragment === undefined),
    );
    const pages = new Set(records.map((r) => r.from)).size;
    return {
      span: h.span,
      range: rangeOf(facts.lineStarts, h.span),
      title: pages === 0 ? 'No pages link here' : `${pages} ${pages === 1 ? 'page links' : 'pages link'} here`,
      locations: records.map((r) => recordLocation(index, r)),
    };
  });
}

// ---------------------------------------------------------------------------
// Heading rename

/** Where a heading's text stands in its source (without `#`s, closing `#`s or the setext underline). */
export function headingTextSpan(text: string, heading: Heading): Span | undefined {
  const source = text.slice(heading.span.start, heading.span.end);
  const atx = /^ {0,3}#{1,6}(?:[ \t]+|$)/.exec(source);
  if (atx) {
    let end = source.length;
    const closing = /(?:[ \t]+#+)?[ \t]*$/.exec(source);
    if (closing) end = closing.index;
    const start = atx[0].length;
    return end > start ? { start: heading.span.start + start, end: heading.span.start + end } : undefined;
  }
  const firstLine = source.split(/\r?\n/)[0] ?? '';
  const lead = /^\s*/.exec(firstLine)![0].length;
  const body = firstLine.trimEnd();
  return body.length > lead ? { start: heading.span.start + lead, end: heading.span.start + body.length } : undefined;
}

interface RenameTarget {
  readonly page: string;
  readonly headingIndex: number;
  /** The span the rename was asked on (the heading text, or a link's fragment). */
  readonly span: Span;
  readonly placeholder: string;
  readonly text: string;
  readonly textSpan: Span;
}

function renameTarget(project: Project, path: string, offset: number, getText?: TextSource): RenameTarget | undefined {
  const index = project.index;
  const facts = index.facts(path);
  if (!facts) return undefined;
  let page = path;
  let headingIndex = headingAt(facts, offset);
  let span: Span | undefined;
  if (headingIndex < 0) {
    const ref = referenceAt(facts, offset);
    const fragmentSpan = ref ? fragmentSpanOf(ref) : undefined;
    if (!ref || !fragmentSpan || offset < fragmentSpan.start - 1) return undefined;
    const t = linkTarget(index, path, ref);
    const targetFacts = t ? index.facts(t.target) : undefined;
    const h = headingFor(targetFacts, t?.fragment);
    if (!t || !h || !targetFacts) return undefined;
    page = t.target;
    headingIndex = targetFacts.headings.indexOf(h);
    span = fragmentSpan;
  }
  const pageFacts = index.facts(page)!;
  const heading = pageFacts.headings[headingIndex]!;
  const text = textOf(project, page, getText);
  if (text === undefined) return undefined;
  const textSpan = headingTextSpan(text, heading);
  if (!textSpan) return undefined;
  return {
    page,
    headingIndex,
    span: span ?? textSpan,
    placeholder: text.slice(textSpan.start, textSpan.end),
    text,
    textSpan,
  };
}

/** Whether a heading can be renamed at the cursor (on a heading, or on a link's `#anchor`), with the span and the current text. */
export function prepareHeadingRename(
  project: Project,
  path: string,
  offset: number,
  getText?: TextSource,
): { readonly span: Span; readonly range: Range; readonly placeholder: string } | undefined {
  const t = renameTarget(project, path, offset, getText);
  if (!t) return undefined;
  const facts = project.index.facts(path)!;
  return { span: t.span, range: rangeOf(facts.lineStarts, t.span), placeholder: t.placeholder };
}

/** The slug every heading of a page would get with heading `i` renamed (GitBook numbers duplicates: `x`, `x-1`). */
function slugsAfterRename(headings: readonly Heading[], i: number, newPlainText: string): string[] {
  const slugger = new GithubSlugger();
  return headings.map((h, j) => slugger.slug(j === i ? newPlainText : h.text));
}

/**
 * Renames a heading: the heading's text, and every `#anchor` across the
 * workspace that pointed at a heading whose anchor changes (the renamed one,
 * and any duplicate whose number shifts). One WorkspaceEdits, keyed by path.
 */
export function renameHeading(
  project: Project,
  path: string,
  offset: number,
  newName: string,
  getText?: TextSource,
): WorkspaceEdits | undefined {
  const t = renameTarget(project, path, offset, getText);
  if (!t) return undefined;
  const index = project.index;
  const facts = index.facts(t.page)!;
  const name = newName.replace(/[\r\n]+/g, ' ').trim();
  if (name === '') return undefined;
  const plain = extractFacts(parseDocument('rename.md', `# ${name}`)).headings[0]?.text ?? name;
  const before = facts.headings.map((h) => h.slug);
  const after = slugsAfterRename(facts.headings, t.headingIndex, plain);
  const changes = new Map<string, TextEdit[]>();
  const add = (p: string, e: TextEdit) => {
    let list = changes.get(p);
    if (!list) changes.set(p, (list = []));
    if (!list.some((x) => x.start === e.start && x.end === e.end)) list.push(e);
  };
  if (t.placeholder !== name) add(t.page, { start: t.textSpan.start, end: t.textSpan.end, newText: name });
  const incoming = linkGraph(index).incoming.get(t.page) ?? [];
  for (const r of incoming) {
    const j = before.findIndex((slug) => fragmentMatches(r.fragment, slug));
    if (j < 0 || before[j] === after[j]) continue;
    const span = fragmentSpanOf(r.ref);
    if (span) add(r.from, { start: span.start, end: span.end, newText: after[j]! });
  }
  for (const list of changes.values()) list.sort((a, b) => a.start - b.start);
  return { changes };
}

/**
 * The line/character ranges of a WorkspaceEdits' offsets, from each page's
 * facts (the texts the edits were computed on), for hosts that speak
 * positions. A path the index has no facts for is left out.
 */
export function workspaceEditRanges(
  project: Project,
  edits: WorkspaceEdits,
): Map<string, Array<TextEdit & { readonly range: Range }>> {
  const out = new Map<string, Array<TextEdit & { readonly range: Range }>>();
  for (const [path, list] of edits.changes) {
    const facts = project.index.facts(path);
    if (!facts) continue;
    out.set(
      path,
      list.map((e) => ({ ...e, range: rangeOf(facts.lineStarts, e) })),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------
// Moves and renames of files

export interface FileMove {
  readonly from: string;
  readonly to: string;
}

/**
 * Edits that keep links working when pages, assets or folders move
 * (`workspace/willRenameFiles`): links to a moved file from every page, and
 * the relative links inside a moved page. Edits are keyed by each page's
 * path before the move (they apply to the texts the index holds now).
 * Broken links, external URLs and `#anchor`-only links are left alone.
 */
export function linkEditsForMoves(project: Project, moves: readonly FileMove[]): WorkspaceEdits {
  const index = project.index;
  const folderMoves = moves.filter((m) => !index.hasFile(m.from) && index.hasDirectory(m.from));
  const fileMoves = new Map(moves.filter((m) => index.hasFile(m.from)).map((m) => [m.from, m.to] as const));
  const moved = (p: string): string | undefined => {
    const direct = fileMoves.get(p);
    if (direct !== undefined) return direct;
    for (const m of folderMoves) {
      if (p === m.from) return m.to;
      if (m.from === '' || p.startsWith(m.from + '/')) return m.to + p.slice(m.from.length);
    }
    return undefined;
  };
  const root = index.config.site.root;
  const changes = new Map<string, TextEdit[]>();
  for (const facts of index.allFacts()) {
    const page = facts.path;
    if (!index.hasFile(page)) continue;
    const newPage = moved(page) ?? page;
    for (const ref of facts.references) {
      const res = index.resolve(page, ref.url);
      if (res.kind !== 'local' || res.target.path === '') continue;
      if (res.exists === 'missing') continue;
      const folderLink = res.exists === 'directory' || res.exists === 'directory-readme';
      let target = res.path;
      let newTarget = moved(target);
      if (newTarget === undefined && res.exists === 'directory-readme' && res.page && moved(res.page) !== undefined) {
        // Only the folder's README.md moves: link the file itself.
        target = res.page;
        newTarget = moved(res.page);
      }
      newTarget ??= target;
      const isFolder = folderLink && target === res.path;
      if (newPage === page && newTarget === target) continue;
      const rooted = res.target.path.startsWith('/');
      let newPath: string;
      if (rooted) newPath = '/' + (root ? newTarget.slice(root.length + 1) : newTarget);
      else if (isFolder) newPath = relativeFolder(dirname(newPage), newTarget);
      else newPath = newTarget === newPage ? basename(newPage) : relativePath(dirname(newPage), newTarget);
      if (isFolder && /\/$/.test(res.target.path) && !newPath.endsWith('/')) newPath += '/';
      const raw = ref.rawUrl;
      const cut = raw.search(/[?#]/);
      const tail = cut < 0 ? '' : raw.slice(cut);
      const dotSlash = raw.startsWith('./') && !newPath.startsWith('../') && !newPath.startsWith('/') ? './' : '';
      const newUrl =
        dotSlash +
        writePathLike(ref, cut < 0 ? raw : raw.slice(0, cut), newPath, basename(target) === basename(newTarget)) +
        tail;
      if (newUrl === raw) continue;
      let list = changes.get(page);
      if (!list) changes.set(page, (list = []));
      list.push({ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: newUrl });
    }
  }
  for (const list of changes.values()) list.sort((a, b) => a.start - b.start);
  return { changes };
}

/** The relative path from a folder to another folder ('.' when it is the same one). */
function relativeFolder(fromDir: string, toDir: string): string {
  if (fromDir === toDir) return '.';
  const a = fromDir.split('/').filter(Boolean);
  const b = toDir.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.length - i;
  const rest = b.slice(i).join('/');
  return up === 0 ? rest : '../'.repeat(up) + rest;
}

// ---------------------------------------------------------------------------
// Symbols

function headingSymbol(facts: FileFacts, h: Heading): SymbolEntry {
  return {
    name: h.text,
    kind: 'heading',
    path: facts.path,
    span: h.span,
    range: rangeOf(facts.lineStarts, h.span),
    depth: h.depth,
    detail: `#${h.slug}`,
  };
}

/** The outline of a page: its headings, nested by depth. */
export function headingDocumentSymbols(project: Project, path: string): SymbolEntry[] {
  const index = project.index;
  const facts = index.facts(path);
  if (!facts) return [];
  interface Node {
    entry: SymbolEntry;
    children: Node[];
  }
  const roots: Node[] = [];
  const stack: Node[] = [];
  for (const h of facts.headings) {
    const node: Node = { entry: headingSymbol(facts, h), children: [] };
    while (stack.length && stack[stack.length - 1]!.entry.depth! >= h.depth) stack.pop();
    (stack.length ? stack[stack.length - 1]!.children : roots).push(node);
    stack.push(node);
  }
  const freeze = (n: Node): SymbolEntry =>
    n.children.length ? { ...n.entry, children: n.children.map(freeze) } : n.entry;
  return roots.map(freeze);
}

/** Every heading of every page whose text (or anchor) matches the query: its characters in order, any case. */
export function headingWorkspaceSymbols(project: Project, query: string): SymbolEntry[] {
  const index = project.index;
  const q = query.toLowerCase().replace(/\s+/g, '');
  const matches = (s: string) => {
    let i = 0;
    for (const c of s.toLowerCase()) if (c === q[i]) i++;
    return i === q.length;
  };
  const out: SymbolEntry[] = [];
  for (const path of index.pages()) {
    const facts = index.facts(path);
    if (!facts) continue;
    for (const h of facts.headings)
      if (matches(h.text) || matches(h.slug)) out.push({ ...headingSymbol(facts, h), detail: `${path}#${h.slug}` });
  }
  return out;
}

// ---------------------------------------------------------------------------
// "Insert link to the proposal…"

export interface ProposalLinkChoice {
  /** The page title or the heading text. */
  readonly label: string;
  /** Heading depth; 0 for the whole page. */
  readonly depth: number;
  readonly slug?: string;
  /** The relative URL from the page being edited. */
  readonly url: string;
  /** A ready Markdown link: `[label](url)`. */
  readonly markdown: string;
  /** Pages that already link there (for a quick pick's description). */
  readonly linkedFrom: number;
}

/**
 * The proposal and each of its sections, with the right relative link from
 * `fromPath`. `proposal` defaults to the config's; an editor setting may name
 * another page. Empty when that page does not exist.
 */
export function proposalLinkChoices(
  project: Project,
  fromPath: string,
  proposal = project.index.proposalPath,
): ProposalLinkChoice[] {
  const index = project.index;
  const facts = index.facts(proposal);
  if (!facts || !index.hasFile(proposal)) return [];
  const pageUrl = fromPath === proposal ? '' : index.linkBetween(fromPath, proposal);
  const incoming = (linkGraph(index).incoming.get(proposal) ?? []).filter(
    (r) => r.from !== proposal && r.from !== index.summaryPath,
  );
  const label = (s: string) => s.replace(/([\\[\]])/g, '\\$1');
  const title = facts.title ?? basename(proposal);
  const choices: ProposalLinkChoice[] = [
    {
      label: title,
      depth: 0,
      url: pageUrl || basename(proposal),
      markdown: `[${label(title)}](${pageUrl || basename(proposal)})`,
      linkedFrom: new Set(incoming.map((r) => r.from)).size,
    },
  ];
  const titleHeading = facts.headings.find((h) => h.depth === 1);
  for (const h of facts.headings) {
    if (h === titleHeading) continue;
    const url = `${pageUrl}#${h.slug}`;
    choices.push({
      label: h.text,
      depth: h.depth,
      slug: h.slug,
      url,
      markdown: `[${label(h.text)}](${url})`,
      linkedFrom: new Set(incoming.filter((r) => fragmentMatches(r.fragment, h.slug)).map((r) => r.from)).size,
    });
  }
  return choices;
}
