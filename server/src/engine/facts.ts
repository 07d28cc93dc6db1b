import type { Heading as MdHeading, Nodes, Parents, Strong } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { walkTree } from './parse/walk';
import GithubSlugger from 'github-slugger';
import { parseFrontMatter } from './parse/frontMatter';
import type { Span } from './types';
import type { ParsedDocument } from './parse/markdown';
import { findDefinitionDestination, findInlineDestination } from './parse/markdown';
import { lineOf, safeDecodeUri } from './text';

/**
 * Phase one of every check: what one document says about itself, as plain
 * serialisable data. Facts are all that cross-file rules and editor features
 * read about other files, so a file's tree can be dropped once its facts exist.
 */

export type ReferenceKind =
  'link' | 'image' | 'definition' | 'html-img' | 'html-link' | 'content-ref' | 'file' | 'page-ref' | 'embed';

export interface Reference {
  readonly kind: ReferenceKind;
  /** The destination with Markdown escapes and entities resolved, percent-escapes kept. */
  readonly url: string;
  /** The destination exactly as written, and where. */
  readonly rawUrl: string;
  readonly urlSpan: Span;
  /** The whole construct (link, image, tag). */
  readonly span: Span;
  /** Link text or alt text. */
  readonly text?: string;
  /** How deep in nested lists the reference stands (0: not in a list). SUMMARY.md's tree is built from this. */
  readonly listDepth: number;
  /** Index of the heading this reference stands under, -1 before the first. */
  readonly section: number;
}

export interface Heading {
  readonly depth: number;
  readonly text: string;
  /** The anchor GitBook gives the heading. */
  readonly slug: string;
  readonly span: Span;
  /** Index in `FileFacts.blocks` of the first paragraph after the heading (before the next heading), when there is one. */
  readonly firstBlock?: number;
}

export interface BoldPhrase {
  readonly text: string;
  readonly span: Span;
  /** The paragraph (or list item text) it stands in. */
  readonly blockSpan: Span;
  readonly section: number;
  /** Index in `FileFacts.blocks` of the paragraph's plain text, and where the phrase starts in it. */
  readonly block?: number;
  readonly blockOffset?: number;
}

/**
 * The plain text (Markdown, images, HTML and GitBook tags removed, white
 * space collapsed) of a paragraph that holds a bold phrase or directly follows
 * a heading: what a glossary reads definitions from. At most 2000 characters.
 */
export interface TextBlock {
  readonly span: Span;
  readonly text: string;
}

export type DirectiveKind = 'disable' | 'enable' | 'disable-next-line' | 'disable-line';

/** `<!-- msol-disable rule-a rule-b -->` and friends. An empty rule list means every rule. */
export interface Directive {
  readonly kind: DirectiveKind;
  readonly rules: readonly string[];
  readonly offset: number;
  readonly line: number;
}

export interface FileFacts {
  readonly path: string;
  readonly title?: string;
  readonly headings: readonly Heading[];
  readonly references: readonly Reference[];
  /** Every anchor a link may point at: heading slugs and HTML id/name values. */
  readonly anchors: readonly string[];
  readonly frontMatter?: Readonly<Record<string, unknown>>;
  readonly frontMatterError?: { readonly message: string; readonly span: Span };
  readonly bold: readonly BoldPhrase[];
  /** Paragraph texts that bold phrases and headings point at (`block`, `firstBlock`). */
  readonly blocks?: readonly TextBlock[];
  readonly directives: readonly Directive[];
  /** Offsets where lines start: enough to turn spans into ranges without the text. */
  readonly lineStarts: readonly number[];
  /** What registered extractors (`registerFactsExtension`) found, by key: plain data, like the rest. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Paragraph texts and bold phrases were left out (phaseOne.ts `leanFacts`): `Project.fullFacts` analyses the page again. */
  readonly lean?: true;
}

type FactsExtractor = (doc: ParsedDocument, facts: FileFacts) => unknown;
const extractors = new Map<string, FactsExtractor>();

/**
 * Lets an area (attribution: credits, bylines) add its own per-page facts in
 * phase one, so phase-two rules and features can read them once the tree is
 * gone. Call once per key, at module load.
 */
export function registerFactsExtension(key: string, extract: FactsExtractor): void {
  extractors.set(key, extract);
}

const directivePattern = /^\s*msol-(disable-next-line|disable-line|disable|enable)\b([^]*)$/;

/**
 * How the generator turns a heading into its anchor: `github` (GitBook, and
 * GitBook 2/3 through github-slugid) or `mdbook` (mdBook's `normalize_id`:
 * letters, digits, `_` and `-` kept, ASCII lower-cased, whitespace to `-`,
 * the rest dropped; repeats get `-1`, `-2`; `{#id}` at the end sets it).
 */
export type AnchorStyle = 'github' | 'mdbook';

/** mdBook's heading ids, one counter per page. */
export class MdbookSlugger {
  readonly #seen = new Map<string, number>();
  slug(text: string): string {
    const id = [...text.trim()]
      .map((c) => (/[\p{L}\p{N}_-]/u.test(c) ? c.replace(/[A-Z]/g, (x) => x.toLowerCase()) : /\s/.test(c) ? '-' : ''))
      .join('');
    const n = this.#seen.get(id) ?? 0;
    this.#seen.set(id, n + 1);
    return n === 0 ? id : `${id}-${n}`;
  }
}

/** An mdBook heading's own id (`## Title {#my-id}`) and its text without it. */
function mdbookHeadingId(text: string): { text: string; id?: string } {
  const m = /\s*\{#([^\s}]+)[^}]*\}\s*$/.exec(text);
  return m ? { text: text.slice(0, m.index), id: m[1]! } : { text };
}

/** A page's facts; `extensions: false` leaves out what the rules' extractors add (for a caller that reads only the core, such as the title). */
export function extractFacts(
  doc: ParsedDocument,
  anchorStyle: AnchorStyle = 'github',
  options: { readonly extensions?: boolean } = {},
): FileFacts {
  const { text, tree } = doc;
  const slugger = anchorStyle === 'mdbook' ? new MdbookSlugger() : new GithubSlugger();
  const headings: Heading[] = [];
  const references: Reference[] = [];
  const bold: BoldPhrase[] = [];
  const blocks: TextBlock[] = [];
  const blockIndex = new Map<Nodes, { index: number; starts: Map<Nodes, number> }>();
  const blockOf = (node: Parents) => {
    let b = blockIndex.get(node);
    if (!b) {
      const { text: t, starts } = plainText(node);
      b = { index: blocks.push({ span: spanOf(node), text: t }) - 1, starts };
      blockIndex.set(node, b);
    }
    return b;
  };
  let frontMatter: Record<string, unknown> | undefined;
  let frontMatterError: FileFacts['frontMatterError'];

  const spanOf = (node: Nodes): Span => ({
    start: node.position?.start.offset ?? 0,
    end: node.position?.end.offset ?? 0,
  });
  const listDepthOf = (ancestors: readonly Parents[]) => ancestors.filter((a) => a.type === 'list').length;

  walkTree(tree, (node, ancestors) => {
    switch (node.type) {
      case 'yaml': {
        try {
          const value: unknown = parseFrontMatter(node.value);
          if (value && typeof value === 'object' && !Array.isArray(value))
            frontMatter = value as Record<string, unknown>;
        } catch (error) {
          frontMatterError = {
            message: error instanceof Error ? error.message.split('\n')[0]! : String(error),
            span: spanOf(node),
          };
        }
        return 'skip';
      }
      case 'heading': {
        const h = node as MdHeading;
        const t = toString(h).trim();
        const parent = ancestors[ancestors.length - 1];
        let firstBlock: number | undefined;
        if (parent) {
          for (const next of (parent.children as Nodes[]).slice((parent.children as Nodes[]).indexOf(h) + 1)) {
            if (next.type === 'heading') break;
            if (next.type !== 'paragraph') continue;
            const b = blockOf(next);
            if (blocks[b.index]!.text === '') continue;
            firstBlock = b.index;
            break;
          }
        }
        const own = anchorStyle === 'mdbook' ? mdbookHeadingId(t) : { text: t };
        headings.push({
          depth: h.depth,
          text: own.text,
          slug: own.id ?? slugger.slug(own.text),
          span: spanOf(h),
          ...(firstBlock !== undefined ? { firstBlock } : {}),
        });
        break;
      }
      case 'link':
      case 'image': {
        const span = spanOf(node);
        const urlSpan = findInlineDestination(text, span.start, span.end);
        // Autolinks (<https://…>, bare URLs) have no separate destination: they are never local.
        if (!urlSpan) break;
        references.push({
          kind: node.type,
          url: node.url,
          rawUrl: text.slice(urlSpan.start, urlSpan.end),
          urlSpan,
          span,
          text: node.type === 'image' ? (node.alt ?? '') : toString(node),
          listDepth: listDepthOf(ancestors),
          section: headings.length - 1,
        });
        break;
      }
      case 'definition': {
        const span = spanOf(node);
        const urlSpan = findDefinitionDestination(text, span.start, span.end);
        if (!urlSpan) break;
        references.push({
          kind: 'definition',
          url: node.url,
          rawUrl: text.slice(urlSpan.start, urlSpan.end),
          urlSpan,
          span,
          listDepth: listDepthOf(ancestors),
          section: headings.length - 1,
        });
        break;
      }
      case 'strong': {
        const block = [...ancestors]
          .reverse()
          .find((a) => a.type === 'paragraph' || a.type === 'heading' || a.type === 'tableCell');
        const b = block?.type === 'paragraph' ? blockOf(block) : undefined;
        const at = b?.starts.get(node);
        bold.push({
          text: toString(node as Strong).trim(),
          span: spanOf(node),
          blockSpan: block ? spanOf(block) : spanOf(node),
          section: headings.length - 1,
          ...(b && at !== undefined ? { block: b.index, blockOffset: at } : {}),
        });
        break;
      }
      default:
        break;
    }
    return undefined;
  });

  const sectionAt = (offset: number) => {
    let s = -1;
    for (let i = 0; i < headings.length && headings[i]!.span.start <= offset; i++) s = i;
    return s;
  };
  for (const el of doc.html.elements) {
    const attr = el.name === 'img' ? el.attributes['src'] : el.name === 'a' ? el.attributes['href'] : undefined;
    if (!attr) continue;
    references.push({
      kind: el.name === 'img' ? 'html-img' : 'html-link',
      url: attr.value,
      rawUrl: text.slice(attr.span.start, attr.span.end),
      urlSpan: attr.span,
      span: el.span,
      ...(el.name === 'img' ? { text: el.attributes['alt']?.value ?? '' } : {}),
      listDepth: 0,
      section: sectionAt(el.span.start),
    });
  }
  for (const tag of doc.gitbook.tags) {
    if (tag.closing) continue;
    const attribute =
      tag.name === 'content-ref'
        ? tag.attributes['url']
        : tag.name === 'file'
          ? tag.attributes['src']
          : tag.name === 'page-ref'
            ? tag.attributes['page']
            : tag.name === 'embed'
              ? tag.attributes['url']
              : undefined;
    if (!attribute) continue;
    references.push({
      kind: tag.name as ReferenceKind,
      url: attribute.value,
      rawUrl: text.slice(attribute.span.start, attribute.span.end),
      urlSpan: attribute.span,
      span: tag.span,
      listDepth: 0,
      section: sectionAt(tag.span.start),
    });
  }
  references.sort((a, b) => a.span.start - b.span.start);

  // A copy: facts are plain data that cross worker threads and the cache.
  const lineStarts = [...doc.lines.lineStarts];
  const directives: Directive[] = [];
  for (const c of doc.comments) {
    const m = directivePattern.exec(c.text);
    if (!m) continue;
    const line = lineOf(lineStarts, c.span.start);
    directives.push({
      kind: m[1] as DirectiveKind,
      rules: m[2]!.split(/[\s,]+/).filter(Boolean),
      offset: c.span.start,
      line,
    });
  }

  const h1 = headings.find((h) => h.depth === 1);
  const fmTitle =
    frontMatter && typeof frontMatter['title'] === 'string' ? (frontMatter['title'] as string) : undefined;
  const title = fmTitle ?? h1?.text;
  const facts: FileFacts = {
    path: doc.path,
    ...(title !== undefined ? { title } : {}),
    headings,
    references,
    anchors: [...headings.map((h) => h.slug), ...doc.html.anchors],
    ...(frontMatter ? { frontMatter } : {}),
    ...(frontMatterError ? { frontMatterError } : {}),
    bold,
    ...(blocks.length ? { blocks } : {}),
    directives,
    lineStarts,
  };
  if (extractors.size === 0) return facts;
  if (options.extensions === false) return facts;
  const extensions: Record<string, unknown> = {};
  for (const [key, extract] of extractors) extensions[key] = extract(doc, facts);
  return { ...facts, extensions };
}

const maxBlockText = 2000;
const gitbookTagPattern = /\{%[^]*?%\}/g;
/** White space other than a single space. */
const collapsible = /[^\S ]| {2}/;

/** The white space of JavaScript's `\s` (what the collapsed text treats as a gap between words). */
export function isWhiteSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    (c >= 0x80 &&
      (c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000 ||
        c === 0xfeff))
  );
}

/** A paragraph's plain text, and where each strong node inside it starts in that text. */
export function plainText(block: Parents): { text: string; starts: Map<Nodes, number> } {
  let out = '';
  // Whether `out` ends with the collapsed space: tested on a flag, since reading the end of a string built by `+=` flattens it.
  let endsWithSpace = false;
  const starts = new Map<Nodes, number>();
  // White space collapsed to one space, GitBook tags to white space, at most maxBlockText units (checked before each word or gap).
  const append = (value: string) => {
    const v = value.includes('{%') ? value.replace(gitbookTagPattern, ' ') : value;
    const n = v.length;
    // Most text has single spaces only and fits: nothing to collapse but a space after a space.
    if (out.length + n <= maxBlockText && !collapsible.test(v)) {
      const t = v.charCodeAt(0) === 32 && (out === '' || endsWithSpace) ? v.slice(1) : v;
      if (t === '') return;
      out += t;
      endsWithSpace = t.charCodeAt(t.length - 1) === 32;
      return;
    }
    let i = 0;
    while (i < n) {
      if (out.length >= maxBlockText) return;
      const start = i;
      if (isWhiteSpace(v.charCodeAt(i))) {
        while (i < n && isWhiteSpace(v.charCodeAt(i))) i++;
        if (out !== '' && !endsWithSpace) {
          out += ' ';
          endsWithSpace = true;
        }
        continue;
      }
      while (i < n && !isWhiteSpace(v.charCodeAt(i))) i++;
      endsWithSpace = false;
      if (out.length + (i - start) <= maxBlockText) out += v.slice(start, i);
      else {
        for (const ch of v.slice(start, i)) {
          if (out.length >= maxBlockText) return;
          out += ch;
        }
      }
    }
  };
  const walk = (node: Nodes) => {
    switch (node.type) {
      case 'text':
      case 'inlineCode':
        append(node.value);
        return;
      case 'break':
        append(' ');
        return;
      case 'image':
      case 'imageReference':
      case 'html':
      case 'footnoteReference':
        return;
      default:
        if (node.type === 'strong') starts.set(node, out.length);
        if ('children' in node) for (const c of node.children) walk(c as Nodes);
    }
  };
  walk(block);
  return { text: out.trimEnd(), starts };
}

// The one line lookup lives with LineIndex; re-exported for the rules and reports that read facts.
export { lineOf } from './text';

/** A local target named by a URL: a site path ("" for the same file) and an optional fragment. */
export interface LocalTarget {
  readonly path: string;
  readonly fragment?: string;
}

/** undefined for external URLs (any scheme, protocol-relative) and empty ones. */
export function parseLocalUrl(url: string): LocalTarget | undefined {
  const u = url.trim();
  if (u === '' || /^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('//')) return undefined;
  const hash = u.indexOf('#');
  const beforeHash = hash < 0 ? u : u.slice(0, hash);
  const query = beforeHash.indexOf('?');
  const rawPath = query < 0 ? beforeHash : beforeHash.slice(0, query);
  const path = safeDecodeUri(rawPath);
  return hash < 0 ? { path } : { path, fragment: safeDecodeUri(u.slice(hash + 1)) };
}
