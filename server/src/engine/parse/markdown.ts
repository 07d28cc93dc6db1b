import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root } from 'mdast';
import { walkTree } from './walk';
import type { Span } from '../types';
import { LineIndex } from '../text';
import { scanGitbook, type GitbookLayer } from './gitbook';
import { scanHtml, type HtmlLayer } from './html';
import { parseOutline } from './outline';

/** One parse of one version of one document, shared by every rule and feature. */
export interface ParsedDocument {
  readonly path: string;
  readonly text: string;
  readonly tree: Root;
  readonly lines: LineIndex;
  /** Code (fenced, indented, inline), front matter and HTML comments, sorted: where prose rules and tag scanners must not look. */
  readonly excluded: readonly Span[];
  readonly gitbook: GitbookLayer;
  readonly html: HtmlLayer;
  /** HTML comments, for inline suppressions. */
  readonly comments: readonly { readonly text: string; readonly span: Span }[];
}

// Frozen once: unified copies a processor's configuration on every use otherwise.
const fullParser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();

/**
 * Faster parsers that give the very same tree, chosen per text. micromark
 * tries GFM's literal autolink constructs at many places where they cannot
 * match: the email one at the start of every word (it needs an `@`), the
 * `www.` and `http` ones at every `w` and `h` (they need those very letters
 * ahead), and the table construct at the start of every line (it needs a
 * `|`, and a delimiter row under its head row). Together that is about a
 * third of parsing. So: the email construct is left out of text without an
 * `@`, the table construct out of text without a `|`, and the others are
 * guarded by a look at the source text ahead, before micromark starts an
 * attempt. micromark offsets are indices into the
 * string parsed (CRLF counts two, tabs one), so the look is exact. The
 * transform that finds literal autolinks in text nodes after parsing runs
 * only on trees where a text node could hold one.
 * If remark-gfm's constructs ever change shape, the full parser is used.
 */
type Tokenize = (
  this: { now(): { offset: number }; events: readonly (readonly [string, { type: string }, unknown])[] },
  effects: unknown,
  ok: unknown,
  nok: (code: number | null) => unknown,
) => unknown;
interface Construct {
  readonly name?: string;
  readonly tokenize?: Tokenize;
}
type ConstructMap = Record<string, Construct | Construct[]>;

/** The text micromark is parsing now (parsing is synchronous): what the guards look at. */
let parsing = '';

const lower = (code: number) => code | 0x20;
/** `www.`, any case, at an offset of the text being parsed. */
const wwwAhead = (o: number) =>
  lower(parsing.charCodeAt(o)) === 0x77 &&
  lower(parsing.charCodeAt(o + 1)) === 0x77 &&
  lower(parsing.charCodeAt(o + 2)) === 0x77 &&
  parsing.charCodeAt(o + 3) === 0x2e;
/** `http`, any case. */
const httpAhead = (o: number) =>
  lower(parsing.charCodeAt(o)) === 0x68 &&
  lower(parsing.charCodeAt(o + 1)) === 0x74 &&
  lower(parsing.charCodeAt(o + 2)) === 0x74 &&
  lower(parsing.charCodeAt(o + 3)) === 0x70;

function guarded(construct: Construct, ahead: (offset: number) => boolean): Construct {
  const tokenize = construct.tokenize!;
  return {
    ...construct,
    tokenize(effects, ok, nok) {
      return ahead(this.now().offset) ? tokenize.call(this, effects, ok, nok) : nok;
    },
  };
}

/** micromark's line endings: `\n`, `\r` and `\r\n`. */
const isLineEnding = (code: number) => code === 10 || code === 13;

/**
 * Whether the raw line after the one holding `offset` could be a table's
 * delimiter row. micromark-extension-gfm-table accepts there, after the
 * containers' prefixes, only spaces, tabs, `|`, `:` and `-`, with at least
 * one `-` and one `|` or `:`. The prefixes of the containers the row can
 * sit in (block quotes, list items) are made of `>`, spaces and tabs, so
 * they are skipped first: a superset of what micromark accepts, never less.
 */
function delimiterRowAhead(offset: number): boolean {
  const text = parsing;
  const n = text.length;
  let i = offset;
  while (i < n && !isLineEnding(text.charCodeAt(i))) i++;
  if (i >= n) return false;
  i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 0x3e && c !== 0x20 && c !== 9) break;
    i++;
  }
  let dash = false;
  let edge = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isLineEnding(c)) break;
    if (c === 0x2d) dash = true;
    else if (c === 0x7c || c === 0x3a) edge = true;
    else if (c !== 0x20 && c !== 9) return false;
  }
  return dash && edge;
}

/**
 * The table construct is tried at the start of every line of a page with a
 * `|`. A body row continues a table already open (micromark looks at the
 * last events, as here); a head row needs a delimiter row on the next line.
 */
function guardedTable(construct: Construct): Construct {
  const tokenize = construct.tokenize!;
  return {
    ...construct,
    tokenize(effects, ok, nok) {
      const events = this.events;
      let i = events.length - 1;
      while (i > -1) {
        const type = events[i]![1].type;
        if (type === 'lineEnding' || type === 'linePrefix') i--;
        else break;
      }
      const tail = i > -1 ? events[i]![1].type : null;
      return tail === 'tableHead' || tail === 'tableRow' || delimiterRowAhead(this.now().offset)
        ? tokenize.call(this, effects, ok, nok)
        : nok;
    },
  };
}

function fastVariant(withEmail: boolean, withTable: boolean): typeof fullParser {
  const data = fullParser.data() as {
    micromarkExtensions?: Record<string, unknown>[];
    fromMarkdownExtensions?: unknown[];
  };
  let guards = 0;
  const micromarkExtensions = (data.micromarkExtensions ?? []).map((ext) => {
    const out: Record<string, unknown> = { ...ext };
    for (const field of ['text', 'flow'] as const) {
      const map = ext[field] as ConstructMap | undefined;
      if (!map) continue;
      const next: ConstructMap = {};
      for (const [code, value] of Object.entries(map)) {
        const list: Construct[] = [];
        for (const c of Array.isArray(value) ? value : [value]) {
          if ((c.name === 'emailAutolink' && !withEmail) || (c.name === 'table' && !withTable)) continue;
          if (c.name === 'table' && typeof c.tokenize === 'function') {
            list.push(guardedTable(c));
            guards++;
          } else if ((c.name === 'wwwAutolink' || c.name === 'protocolAutolink') && typeof c.tokenize === 'function') {
            list.push(guarded(c, c.name === 'wwwAutolink' ? wwwAhead : httpAhead));
            guards++;
          } else list.push(c);
        }
        if (list.length) next[code] = list;
      }
      out[field] = next;
    }
    return out;
  });
  // remark-gfm registers each of the two guarded autolink constructs under two letters (lower and upper case), and the table construct once.
  if (guards !== 4 + (withTable ? 1 : 0)) return fullParser;
  let transforms = 0;
  const fromMarkdownExtensions = (data.fromMarkdownExtensions ?? []).map((ext) => {
    const list = (Array.isArray(ext) ? ext : [ext]) as {
      transforms?: ((tree: Root) => void)[];
      enter?: Record<string, unknown>;
    }[];
    return list.map((e) => {
      // mdast-util-gfm-autolink-literal's extension, known by the tokens it handles (function names do not survive minification).
      if (!(e.enter && 'literalAutolink' in e.enter && e.transforms?.length === 1)) return e;
      const transform = e.transforms[0]!;
      transforms++;
      return { ...e, transforms: [(tree: Root) => (hasLiteralCandidate(tree) ? transform(tree) : undefined)] };
    });
  });
  if (transforms !== 1) return fullParser;
  return unified()
    .use(remarkParse)
    .data('micromarkExtensions', micromarkExtensions as never)
    .data('fromMarkdownExtensions', fromMarkdownExtensions as never)
    .freeze();
}

/**
 * Whether mdast-util-gfm-autolink-literal's transform could find anything:
 * it runs four regular expressions over every text node outside links, and
 * each needs `http://`, `https://`, `www.` or an `@`.
 */
function hasLiteralCandidate(node: { type: string; value?: unknown; children?: unknown[] }): boolean {
  if (node.type === 'link' || node.type === 'linkReference') return false;
  if (node.type === 'text') return typeof node.value === 'string' && literalCandidate.test(node.value);
  if (!node.children) return false;
  for (const child of node.children) if (hasLiteralCandidate(child as typeof node)) return true;
  return false;
}
const literalCandidate = /@|https?:\/\/|www\./i;

/** Indexed by (has `@`) * 2 + (has `|`). */
const fastParsers = [
  fastVariant(false, false),
  fastVariant(false, true),
  fastVariant(true, false),
  fastVariant(true, true),
];

/** Below this, a table of contents parses fast enough with micromark (and the outline's shortcut is not worth its risk). */
const outlineMinLength = 8 * 1024;

function parseMarkdown(text: string): Root {
  // A large table of contents in GitBook's plainest shape: the same tree without micromark (outline.ts).
  const outline = text.length >= outlineMinLength ? parseOutline(text) : undefined;
  if (outline) return outline;
  parsing = text;
  try {
    return fastParsers[(text.includes('@') ? 2 : 0) + (text.includes('|') ? 1 : 0)]!.parse(text) as Root;
  } finally {
    parsing = '';
  }
}

const commentPattern = /<!--([\s\S]*?)-->/g;

export function parseDocument(path: string, text: string): ParsedDocument {
  const tree = parseTree(text);
  const excluded: Span[] = [];
  walkTree(tree, (node) => {
    if ((node.type === 'code' || node.type === 'inlineCode' || node.type === 'yaml') && node.position) {
      excluded.push({ start: node.position.start.offset ?? 0, end: node.position.end.offset ?? 0 });
    }
  });
  const comments: { text: string; span: Span }[] = [];
  if (text.includes('<!--')) {
    const inCode = spanTester(sortSpans(excluded));
    commentPattern.lastIndex = 0;
    for (let m = commentPattern.exec(text); m; m = commentPattern.exec(text)) {
      if (inCode(m.index)) continue;
      const span = { start: m.index, end: m.index + m[0].length };
      comments.push({ text: m[1]!, span });
      excluded.push(span);
    }
  }
  const sorted = sortSpans(excluded);
  const isExcluded = spanTester(sorted);
  return {
    path,
    text,
    tree,
    lines: new LineIndex(text),
    excluded: sorted,
    gitbook: scanGitbook(text, sorted),
    html: scanHtml(text, isExcluded),
    comments,
  };
}

/**
 * micromark skips a leading byte-order mark without counting it, but the
 * engine's offsets address the text as read (BOM included, so that fixes
 * apply to the file). Shift the tree's positions back by that one character.
 */
function parseTree(text: string): Root {
  if (text.charCodeAt(0) !== 0xfeff) return parseMarkdown(text);
  const tree = parseMarkdown(text.slice(1));
  const seen = new Set<object>();
  const shift = (p: { line: number; column: number; offset?: number | undefined } | undefined) => {
    if (!p || seen.has(p)) return;
    seen.add(p);
    if (p.offset !== undefined) p.offset += 1;
    if (p.line === 1) p.column += 1;
  };
  walkTree(tree, (node) => {
    shift(node.position?.start);
    shift(node.position?.end);
  });
  return tree;
}

function sortSpans(spans: Span[]): Span[] {
  return spans.sort((a, b) => a.start - b.start);
}

/** A fast membership test over sorted, possibly nested spans. */
export function spanTester(sorted: readonly Span[]): (offset: number) => boolean {
  // Merge nested/overlapping spans so that a binary search over starts is exact.
  const merged: Span[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else merged.push(s);
  }
  return (offset: number) => {
    let low = 0;
    let high = merged.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const s = merged[mid]!;
      if (offset < s.start) high = mid - 1;
      else if (offset >= s.end) low = mid + 1;
      else return true;
    }
    return false;
  };
}

/**
 * Finds the raw destination of an inline link or image in the source:
 * `[text](dest "title")` or `![alt](<dest>)`. Returns undefined for reference
 * links and autolinks, whose destination is elsewhere or is the text itself.
 */
export function findInlineDestination(text: string, nodeStart: number, nodeEnd: number): Span | undefined {
  let i = nodeStart;
  if (text[i] === '!') i++;
  if (text[i] !== '[') return undefined;
  let depth = 0;
  for (; i < nodeEnd; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      // Skip a code span inside link text: brackets in it do not count.
      let n = 0;
      while (text[i + n] === '`') n++;
      const close = text.indexOf('`'.repeat(n), i + n);
      if (close > 0 && close < nodeEnd) i = close + n - 1;
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth === 0) break;
    }
  }
  if (text[i] !== ']' || text[i + 1] !== '(') return undefined;
  i += 2;
  while (i < nodeEnd && /[ \t\r\n]/.test(text[i]!)) i++;
  if (text[i] === '<') {
    const close = text.indexOf('>', i + 1);
    if (close < 0 || close > nodeEnd) return undefined;
    return { start: i + 1, end: close };
  }
  const start = i;
  let parens = 0;
  for (; i < nodeEnd; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '(') parens++;
    else if (c === ')') {
      if (parens === 0) break;
      parens--;
    } else if (/[ \t\r\n]/.test(c)) break;
  }
  return { start, end: Math.min(i, nodeEnd) };
}

/** The raw destination of a definition `[label]: dest "title"`. */
export function findDefinitionDestination(text: string, nodeStart: number, nodeEnd: number): Span | undefined {
  const colon = text.indexOf(']:', nodeStart);
  if (colon < 0 || colon >= nodeEnd) return undefined;
  let i = colon + 2;
  while (i < nodeEnd && /[ \t\r\n]/.test(text[i]!)) i++;
  if (text[i] === '<') {
    const close = text.indexOf('>', i + 1);
    return close < 0 || close > nodeEnd ? undefined : { start: i + 1, end: close };
  }
  const start = i;
  while (i < nodeEnd && !/[ \t\r\n]/.test(text[i]!)) i++;
  return { start, end: i };
}

/** For tests: the fast parsers parseDocument chooses between must give the full parser's trees. */
export const parsersForTest = {
  full: (text: string) => fullParser.parse(text) as Root,
  fast: parseMarkdown,
  /** False when remark-gfm's constructs changed shape and the full parser is used instead. */
  shortcutsInEffect: fastParsers.every((p) => p !== fullParser),
};
