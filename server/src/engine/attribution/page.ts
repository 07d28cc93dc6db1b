import type { Blockquote, FootnoteDefinition, Nodes, Paragraph, Parents, PhrasingContent, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Span } from '../types';
import type { FileFacts } from '../facts';
import { lineOf, registerFactsExtension } from '../facts';
import type { ParsedDocument } from '../parse/markdown';
import { decodeEntities } from '../parse/html';
import { hasCreditSignal, namePattern, parseCredit, wholeName, type Credit, type RichLink, type RichText } from './credit';
import { findLicenseIn, licenseFromUrl, normaliseLicense, type License } from './license';
import { thirdPartySignals, type Signal } from './signals';

/**
 * Phase one of attribution: what one page says about who made what. Images
 * with the credits standing near them (figcaption, a credit line, a footnote,
 * alt text), long block quotes and adapted passages, the page's declared
 * authors and hints of other authors, and license statements. Stored in the
 * page's facts (`extensions.attribution`) so that phase-two rules, the report
 * and hovers can read it once the tree is gone.
 */

export interface FigureInfo {
  readonly span: Span;
  /** The caption's inner text span, when the figure has a `<figcaption>`. */
  readonly captionSpan?: Span;
  /** Where `</figure>` starts: a new caption goes there. */
  readonly closeAt: number;
}

export interface ImageItem {
  readonly kind: 'image';
  readonly refKind: 'image' | 'html-img';
  readonly url: string;
  readonly span: Span;
  readonly line: number;
  readonly alt: string;
  readonly figure?: FigureInfo;
  /** Credits near the image, best first: caption, credit line, footnote. Alt text is apart. */
  readonly credits: readonly Credit[];
  /** The alt text read as a credit, when it names a maker or source. */
  readonly altCredit?: Credit;
  /** Signals of third-party material in the alt text, caption and credit line. */
  readonly signals: readonly Signal[];
  /** An existing credit line (replaced by "Add attribution"), or where a new one goes. */
  readonly creditLine?: Span;
  readonly insertAt: number;
}

export interface QuoteItem {
  readonly kind: 'quote';
  readonly span: Span;
  readonly line: number;
  readonly words: number;
  /** The quote's first words, for reports. */
  readonly excerpt: string;
  readonly credits: readonly Credit[];
}

export interface AdaptedItem {
  readonly kind: 'adapted';
  /** The phrase ("adapted from"). */
  readonly span: Span;
  readonly line: number;
  readonly phrase: string;
  /** The sentence, read as a credit (forced: it names its source or nothing). */
  readonly credit: Credit;
  /** The sentence speaks of the site's own work ("my article"). */
  readonly ownWork: boolean;
}

export type AttributedItem = ImageItem | QuoteItem | AdaptedItem;

export interface DeclaredAuthor {
  readonly name: string;
  readonly origin: 'front-matter' | 'byline' | 'statement';
  readonly span: Span;
}

export interface AuthorHint {
  readonly name: string;
  /** The words that suggest the author. */
  readonly text: string;
  readonly span: Span;
}

export interface LicenseStatement {
  readonly span: Span;
  readonly text: string;
  /** The license a link in the statement points at, and the link. */
  readonly linked?: License;
  readonly linkUrlSpan?: Span;
  readonly linkUrl?: string;
  /** The license the words name. */
  readonly named?: License;
  /** "Unless stated otherwise, assume the author is …". */
  readonly defaultAuthor?: { readonly name: string; readonly span: Span };
  /** "This story is published by X with …": the author it names. */
  readonly author?: string;
}

export interface PageAttribution {
  readonly items: readonly AttributedItem[];
  readonly authors: readonly DeclaredAuthor[];
  readonly hints: readonly AuthorHint[];
  /** The page's own license (front matter `license:`, or a statement on the page). */
  readonly license?: { readonly license: License; readonly origin: 'front-matter' | 'statement'; readonly span: Span };
  readonly statements: readonly LicenseStatement[];
  /** The front matter block, for edits that add `author:`. */
  readonly frontMatter?: Span;
}

export const attributionKey = 'attribution';

const emptyPage: PageAttribution = Object.freeze({ items: [], authors: [], hints: [], statements: [] });

/** The attribution facts of a page (empty when the extractor did not run). */
export function pageAttribution(facts: FileFacts | undefined): PageAttribution {
  return (facts?.extensions?.[attributionKey] as PageAttribution | undefined) ?? emptyPage;
}

registerFactsExtension(attributionKey, (doc, facts) => extractAttribution(doc, facts));

const spanOf = (n: Nodes): Span => ({ start: n.position?.start.offset ?? 0, end: n.position?.end.offset ?? 0 });

/** Plain text and links of inline content. */
/** richText of a paragraph's children, computed once per paragraph (several extractors read it; nobody mutates it). */
const paragraphRich = new WeakMap<Paragraph, RichText & { footnotes: string[] }>();
function richTextOf(p: Paragraph): RichText & { footnotes: string[] } {
  let r = paragraphRich.get(p);
  if (!r) paragraphRich.set(p, (r = richText(p.children as Nodes[])));
  return r;
}

export function richText(nodes: readonly Nodes[]): RichText & { footnotes: string[] } {
  let text = '';
  const links: RichLink[] = [];
  const footnotes: string[] = [];
  const walk = (n: Nodes) => {
    switch (n.type) {
      case 'text':
      case 'inlineCode':
        text += n.value;
        return;
      case 'break':
        text += ' ';
        return;
      case 'html':
        text += htmlText(n.value, links, text.length);
        return;
      case 'image':
        return;
      case 'footnoteReference':
        footnotes.push(n.identifier);
        return;
      case 'link': {
        const start = text.length;
        for (const c of n.children) walk(c as Nodes);
        links.push({ text: text.slice(start), url: n.url, start, end: text.length });
        return;
      }
      default:
        if ('children' in n) for (const c of n.children as Nodes[]) walk(c);
    }
  };
  for (const n of nodes) walk(n);
  return { text, links, footnotes };
}

/** Text of an HTML fragment, with `<a href>` links and Markdown links recorded. */
export function htmlText(html: string, links: RichLink[] = [], offset = 0): string {
  let out = '';
  const pattern = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>|\[([^\]]*)\]\(([^)\s]+)[^)]*\)|<[^>]*>|([^<[]+|[<[])/gi;
  for (let m = pattern.exec(html); m; m = pattern.exec(html)) {
    if (m[1] !== undefined || m[2] !== undefined) {
      const t = decodeEntities(m[3]!.replace(/<[^>]*>/g, ''));
      links.push({ text: t, url: decodeEntities(m[1] ?? m[2] ?? ''), start: offset + out.length, end: offset + out.length + t.length });
      out += t;
    } else if (m[4] !== undefined) {
      const t = decodeEntities(m[4]);
      links.push({ text: t, url: m[5]!, start: offset + out.length, end: offset + out.length + t.length });
      out += t;
    } else if (m[6] !== undefined) out += decodeEntities(m[6]);
    else if (/^<(?:br|\/p|p)\b/i.test(m[0])) out += ' ';
  }
  return out;
}

function isEmphasisOnly(p: Paragraph): boolean {
  const kids = p.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  return kids.length > 0 && kids.every((c) => c.type === 'emphasis' || c.type === 'strong' || (c.type === 'link' && c.children.every((x) => x.type === 'emphasis' || x.type === 'strong')));
}

const creditStart = /^\s*(?:[—–-]{1,2}\s*)?(?:(?:photo(?:graph)?|image|picture|illustration|drawing|painting|artwork|cartoon|still|screenshot|graphic|header|cover)\s*(?:credits?|by|from|:)|credits?\b|source\s*:|courtesy\b|via\b|©|\(c\)|copyright\b|licen[cs]e\s*:)/i;

/** Whether a paragraph after an image reads as its credit line. */
function isCreditLine(p: Paragraph, rich: RichText): boolean {
  const t = rich.text.trim();
  if (t === '' || t.length > 400) return false;
  if (!hasCreditSignal(t, rich.links)) return false;
  if (creditStart.test(t)) return true;
  // An italic line with "by Name" or a license: "_Weaving, by Jane Doe (CC BY 2.0)_".
  return isEmphasisOnly(p) && t.split(/\s+/).length <= 40;
}

interface Walker {
  readonly doc: ParsedDocument;
  readonly footnotes: Map<string, FootnoteDefinition>;
  readonly items: AttributedItem[];
  readonly claimed: Set<number>;
}

export function extractAttribution(doc: ParsedDocument, facts: FileFacts): PageAttribution {
  const footnotes = new Map<string, FootnoteDefinition>();
  const collect = (n: Nodes) => {
    if (n.type === 'footnoteDefinition') footnotes.set(n.identifier, n);
    if ('children' in n) for (const c of n.children as Nodes[]) collect(c);
  };
  collect(doc.tree);
  const w: Walker = { doc, footnotes, items: [], claimed: new Set() };
  walkFlow(w, doc.tree);
  htmlImages(w, facts);
  const items = w.items.sort((a, b) => a.span.start - b.span.start);
  const { authors, hints, frontMatter } = authorsOf(doc, facts);
  const statements = statementsOf(doc);
  const license = pageLicense(doc, facts, statements);
  for (const s of statements) if (s.author) authors.push({ name: s.author, origin: 'statement', span: s.span });
  return {
    items,
    authors,
    hints,
    ...(license ? { license } : {}),
    statements,
    ...(frontMatter ? { frontMatter } : {}),
  };
}

function walkFlow(w: Walker, parent: Parents): void {
  const kids = parent.children as RootContent[];
  kids.forEach((node, i) => {
    if (node.type === 'paragraph') paragraphImages(w, node, kids[i + 1]);
    if (node.type === 'blockquote') quote(w, node, kids[i - 1], kids[i + 1]);
    if (node.type === 'paragraph') adapted(w, node);
    if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table') walkFlow(w, node as Parents);
  });
}

function footnoteCredits(w: Walker, ids: readonly string[]): Credit[] {
  const out: Credit[] = [];
  for (const id of ids) {
    const def = w.footnotes.get(id);
    if (!def) continue;
    const c = parseCredit(richText(def.children as Nodes[]), 'footnote', spanOf(def));
    if (c) out.push(c);
  }
  return out;
}

function paragraphImages(w: Walker, p: Paragraph, next: RootContent | undefined): void {
  const images: { node: Nodes; index: number }[] = [];
  p.children.forEach((c, index) => {
    if (c.type === 'image') images.push({ node: c, index });
    else if (c.type === 'link' && c.children.some((x) => x.type === 'image')) images.push({ node: c.children.find((x) => x.type === 'image')!, index });
  });
  if (images.length === 0) return;
  const text = w.doc.text;
  const nextRich = next?.type === 'paragraph' ? richTextOf(next) : undefined;
  const nextIsCredit = next?.type === 'paragraph' && nextRich !== undefined && isCreditLine(next, nextRich);
  images.forEach(({ node, index }, k) => {
    if (node.type !== 'image') return;
    const span = spanOf(node);
    const credits: Credit[] = [];
    let creditLine: Span | undefined;
    // The rest of the paragraph after the last image, when it starts on a new line: "![x](y)\n_Photo by …_".
    const isLast = k === images.length - 1;
    if (isLast) {
      const rest = p.children.slice(index + 1) as PhrasingContent[];
      const restRich = richText(rest as Nodes[]);
      const first = rest.find((c) => !(c.type === 'text' && c.value.trim() === '') && c.type !== 'break');
      if (first) {
        const gap = text.slice(spanOf(p.children[index]!).end, spanOf(first).start);
        const firstText = first.type === 'text' ? first.value : '';
        const lineStart = /\n/.test(gap) || rest.some((c) => c.type === 'break') || /^\s*\n/.test(firstText);
        const restSpan = { start: spanOf(first).start + (first.type === 'text' ? first.value.length - first.value.trimStart().length : 0), end: spanOf(p).end };
        if (lineStart && hasCreditSignal(restRich.text, restRich.links)) {
          const c = parseCredit(restRich, 'credit-line', restSpan);
          if (c) {
            credits.push(c);
            creditLine = restSpan;
          }
        }
        credits.push(...footnoteCredits(w, restRich.footnotes));
      }
      if (!creditLine && nextIsCredit && next && nextRich) {
        const c = parseCredit(nextRich, 'credit-line', spanOf(next));
        if (c) {
          credits.push(c);
          creditLine = spanOf(next);
          w.claimed.add(spanOf(next).start);
        }
        credits.push(...footnoteCredits(w, nextRich.footnotes));
      }
    }
    const alt = node.alt ?? '';
    const altSignals = thirdPartySignals(alt);
    const altCredit = alt ? parseCredit({ text: alt, links: [] }, 'alt', span, { force: altSignals.length > 0 }) : undefined;
    const signals = [...altSignals, ...credits.flatMap((c) => thirdPartySignals(c.text))];
    w.items.push({
      kind: 'image',
      refKind: 'image',
      url: node.url,
      span,
      line: w.doc.lines.positionAt(span.start).line,
      alt,
      credits,
      ...(altCredit ? { altCredit } : {}),
      signals: dedupe(signals),
      ...(creditLine ? { creditLine } : {}),
      insertAt: spanOf(p).end,
    });
  });
}


function dedupe(signals: readonly Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter((s) => (seen.has(s.reason) ? false : (seen.add(s.reason), true)));
}

/** `<img>` tags (GitBook's figures and hand-written HTML). */
function htmlImages(w: Walker, facts: FileFacts): void {
  const { doc } = w;
  for (const el of doc.html.elements) {
    if (el.name !== 'img') continue;
    const src = el.attributes['src'];
    if (!src) continue;
    const alt = el.attributes['alt']?.value ?? '';
    const fig = doc.html.figures.find((f) => f.span.start <= el.span.start && el.span.end <= f.span.end);
    const credits: Credit[] = [];
    let figure: FigureInfo | undefined;
    let creditLine: Span | undefined;
    let insertAt = el.span.end;
    if (fig) {
      const closeAt = doc.text.lastIndexOf('</figure', fig.span.end);
      figure = { span: fig.span, closeAt: closeAt >= fig.span.start ? closeAt : fig.span.end, ...(fig.caption ? { captionSpan: fig.caption.span } : {}) };
      if (fig.caption) {
        const links: RichLink[] = [];
        const t = htmlText(doc.text.slice(fig.caption.span.start, fig.caption.span.end), links);
        const c = parseCredit({ text: t, links }, 'caption', fig.caption.span);
        if (c) credits.push(c);
      }
      insertAt = fig.span.end;
    }
    // A credit line after the figure or tag: the next block in the tree.
    const after = blockAfter(doc, fig ? fig.span.end : el.span.end);
    if (after && after.type === 'paragraph') {
      const rich = richTextOf(after);
      if (isCreditLine(after, rich) && !w.claimed.has(spanOf(after).start)) {
        const c = parseCredit(rich, 'credit-line', spanOf(after));
        if (c) {
          credits.push(c);
          creditLine = spanOf(after);
        }
      }
    }
    const altSignals = thirdPartySignals(alt);
    const altCredit = alt ? parseCredit({ text: alt, links: [] }, 'alt', el.attributes['alt']!.span, { force: altSignals.length > 0 }) : undefined;
    w.items.push({
      kind: 'image',
      refKind: 'html-img',
      url: src.value,
      span: el.span,
      line: lineOf(facts.lineStarts, el.span.start),
      alt,
      ...(figure ? { figure } : {}),
      credits,
      ...(altCredit ? { altCredit } : {}),
      signals: dedupe([...altSignals, ...credits.flatMap((c) => thirdPartySignals(c.text))]),
      ...(creditLine ? { creditLine } : {}),
      insertAt,
    });
  }
}

/** The first flow block that starts at or after an offset, anywhere in the tree (not inside paragraphs). */
function blockAfter(doc: ParsedDocument, offset: number): RootContent | undefined {
  let best: RootContent | undefined;
  const visit = (parent: Parents) => {
    for (const c of parent.children as RootContent[]) {
      const s = spanOf(c);
      if (s.end <= offset) continue;
      if (s.start >= offset) {
        if (!best || s.start < spanOf(best).start) best = c;
        return;
      }
      if ('children' in c && c.type !== 'paragraph') visit(c as Parents);
    }
  };
  visit(doc.tree);
  return best;
}

const quoteLead = new RegExp(String.raw`(${namePattern})\s*(?:\([^)]*\)\s*)?(?:writes|wrote|said|says|puts it|explains|observed|observes|notes|argues)\b`, 'u');

function quote(w: Walker, q: Blockquote, before: RootContent | undefined, after: RootContent | undefined): void {
  const text = toString(q);
  const words = text.split(/\s+/).filter(Boolean).length;
  const credits: Credit[] = [];
  const last = q.children[q.children.length - 1];
  if (last?.type === 'paragraph') {
    const rich = richTextOf(last);
    const lines = rich.text.split('\n');
    const lastLine = lines[lines.length - 1]!.trim();
    if (/^(?:[—–―~]|--|-\s)/.test(lastLine) || /^source\s*:/i.test(lastLine) || /<cite\b/i.test(w.doc.text.slice(spanOf(last).start, spanOf(last).end))) {
      const offset = rich.text.lastIndexOf(lastLine);
      const links = rich.links.filter((l) => l.start >= offset).map((l) => ({ ...l, start: l.start - offset, end: l.end - offset }));
      const c = parseCredit({ text: lastLine.replace(/^(?:[—–―~]|--|-)\s*/, ''), links }, 'credit-line', spanOf(last), { force: true });
      if (c) credits.push(withLeadingName(c));
    }
  }
  if (after?.type === 'paragraph') {
    const rich = richTextOf(after);
    if (/^\s*(?:[—–―~]|--)/.test(rich.text)) {
      const c = parseCredit({ text: rich.text.replace(/^\s*(?:[—–―~]|--)\s*/, ''), links: rich.links.map((l) => ({ ...l })) }, 'credit-line', spanOf(after), { force: true });
      if (c) credits.push(withLeadingName(c));
    }
  }
  if (before?.type === 'paragraph') {
    const rich = richTextOf(before);
    const t = rich.text.trim();
    if (/:\s*$/.test(t)) {
      const lead = quoteLead.exec(t.replace(/^(?:As|Here|Like|In|According to|Then)\s+(?=\p{Lu})/u, ''));
      const c = parseCredit(rich, 'lead-in', spanOf(before), { force: true });
      if (c && (lead || rich.links.length)) {
        credits.push({ ...c, ...(lead && !c.author ? { author: lead[1]! } : {}), ...(lead && c.author && c.author !== lead[1] ? { author: lead[1]! } : {}) });
      }
    }
  }
  credits.push(...footnoteCredits(w, richText(q.children as Nodes[]).footnotes));
  const span = spanOf(q);
  w.items.push({ kind: 'quote', span, line: w.doc.lines.positionAt(span.start).line, words, excerpt: text.replace(/\s+/g, ' ').trim().slice(0, 80), credits });
}

/** "— Jane Doe, Weaving Notes": a quote's attribution line starts with who said it. */
function withLeadingName(c: Credit): Credit {
  if (c.author) return c;
  const first = c.text.split(/[,;(]/)[0]!.trim();
  return wholeName.test(first) ? { ...c, author: first, ...(c.title === first ? { title: undefined as never } : {}) } : c;
}

const byName = new RegExp(String.raw`\bby\s+${namePattern}`, 'u');
const adaptedPattern = /\b(?:adapted|reproduced|reprinted|translated|excerpted)\s+(?:(?:with\s+(?:kind\s+)?permission\s+)?from|after)\b|\bbased\s+on\b/gi;

function adapted(w: Walker, p: Paragraph): void {
  const rich = richTextOf(p);
  const source = w.doc.text.slice(spanOf(p).start, spanOf(p).end);
  adaptedPattern.lastIndex = 0;
  for (let m = adaptedPattern.exec(rich.text); m; m = adaptedPattern.exec(rich.text)) {
    const sentenceStart = Math.max(rich.text.lastIndexOf('. ', m.index) + 1, 0);
    const endMatch = /[.!?](?:\s|$)/.exec(rich.text.slice(m.index + m[0].length));
    const sentenceEnd = endMatch ? m.index + m[0].length + endMatch.index + 1 : rich.text.length;
    const sentence = rich.text.slice(sentenceStart, sentenceEnd);
    const after = rich.text.slice(m.index + m[0].length, sentenceEnd);
    const links = rich.links.filter((l) => l.start >= sentenceStart && l.end <= sentenceEnd).map((l) => ({ ...l, start: l.start - sentenceStart, end: l.end - sentenceStart }));
    // "based on" only counts when a work follows it: a link or "by Name" soon after.
    if (/^based/i.test(m[0])) {
      const soon = after.slice(0, 100);
      const linkSoon = links.some((l) => l.start + sentenceStart >= m!.index && l.start + sentenceStart - m!.index < 100);
      if (!linkSoon && !byName.test(soon)) continue;
    }
    const credit = parseCredit({ text: after, links: links.filter((l) => l.start + sentenceStart >= m!.index).map((l) => ({ ...l, start: l.start - (m!.index + m![0].length - sentenceStart), end: l.end - (m!.index + m![0].length - sentenceStart) })) }, 'credit-line', spanOf(p), { force: true }) ?? { origin: 'credit-line' as const, text: after };
    const at = locate(source, m[0], spanOf(p).start);
    const span = at ?? spanOf(p);
    w.items.push({ kind: 'adapted', span, line: w.doc.lines.positionAt(span.start).line, phrase: m[0], credit, ownWork: /\b(?:my|our|I|me)\b/.test(sentence) });
  }
}

/** Where a phrase stands in a block's source (first case-insensitive match). */
function locate(source: string, phrase: string, base: number): Span | undefined {
  const re = new RegExp(phrase.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(String.raw`\s+`), 'i');
  const m = re.exec(source);
  return m ? { start: base + m.index, end: base + m.index + m[0].length } : undefined;
}

// ---------------------------------------------------------------- authors

const bylinePattern = new RegExp(String.raw`^(?:(?:written|words|text|story|article|post|guest\s+post|essay|interview|translated|translation)\s+)?by\s+(${namePattern}(?:\s*(?:,|&|\band\b)\s*${namePattern})*)\s*\.?$`, 'iu');
const authorLabel = new RegExp(String.raw`^(?:authors?|written by|by)\s*:\s*(${namePattern}(?:\s*(?:,|&|\band\b)\s*${namePattern})*)\s*\.?$`, 'iu');
const hintPatterns: RegExp[] = [
  new RegExp(String.raw`^(${namePattern})(?:\s*\([^)]*\))?(?:,?\s+(?:from|of|at)\s+[^.]{0,160}?)?,?\s+(?:wrote|authored|created|compiled|prepared|developed|put together|published)\b`, 'u'),
  new RegExp(String.raw`\b(?:this|these|the following)\s+(?:[\p{L}-]+\s+){0,3}(?:was|were|is|are)\s+(?:originally\s+)?(?:written|authored|created|contributed|compiled|prepared)\s+by\s+(${namePattern})`, 'u'),
  new RegExp(String.raw`\b(?:a\s+)?(?:guest\s+post|note|contribution|story|essay)\s+(?:from|by)\s+(${namePattern})`, 'iu'),
  new RegExp(String.raw`\b(?:written|published|authored)\s+by\s+(${namePattern})`, 'u'),
];

/** The line of a top-level key in the front matter (`license: …`), or the whole block. */
function yamlKeySpan(doc: ParsedDocument, yaml: Span, key: string): Span {
  const src = doc.text.slice(yaml.start, yaml.end);
  const m = new RegExp(`^${key}[ \\t]*:[^\\r\\n]*`, 'm').exec(src);
  return m ? { start: yaml.start + m.index, end: yaml.start + m.index + m[0].length } : yaml;
}

function splitNames(s: string): string[] {
  return s.split(/\s*(?:,|&|\band\b)\s*/).map((n) => n.trim()).filter(Boolean);
}

function authorsOf(doc: ParsedDocument, facts: FileFacts): { authors: DeclaredAuthor[]; hints: AuthorHint[]; frontMatter?: Span } {
  const authors: DeclaredAuthor[] = [];
  const hints: AuthorHint[] = [];
  const yaml = doc.tree.children.find((c) => (c.type as string) === 'yaml');
  const fmSpan = yaml ? spanOf(yaml as Nodes) : undefined;
  const fm = facts.frontMatter;
  if (fm && fmSpan) {
    for (const key of ['author', 'authors']) {
      const v = fm[key];
      const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
      for (const a of list) {
        const name = typeof a === 'string' ? a : a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string' ? (a as { name: string }).name : undefined;
        if (name) for (const n of typeof a === 'string' ? splitNames(name) : [name]) authors.push({ name: n, origin: 'front-matter', span: yamlKeySpan(doc, fmSpan, key) });
      }
    }
    const description = fm['description'];
    if (typeof description === 'string') {
      for (const re of hintPatterns) {
        const m = re.exec(description.replace(/\s+/g, ' ').trim());
        if (m) {
          hints.push({ name: m[1]!.replace(/[.,]+$/, ''), text: m[0], span: yamlKeySpan(doc, fmSpan, 'description') });
          break;
        }
      }
    }
  }
  // The top of the page: the first two paragraphs after the front matter and leading headings.
  let seen = 0;
  for (const node of doc.tree.children) {
    if ((node.type as string) === 'yaml' || node.type === 'heading' || node.type === 'html' || node.type === 'definition') continue;
    if (node.type !== 'paragraph' || seen >= 2) break;
    seen++;
    const t = richText(node.children as Nodes[]).text.replace(/\s+/g, ' ').trim();
    const byline = bylinePattern.exec(t) ?? authorLabel.exec(t);
    if (byline) {
      for (const name of splitNames(byline[1]!)) authors.push({ name: name.replace(/[.,]+$/, ''), origin: 'byline', span: spanOf(node) });
      continue;
    }
    for (const re of hintPatterns) {
      const m = re.exec(t);
      if (m) {
        hints.push({ name: m[1]!.replace(/[.,]+$/, ''), text: m[0], span: spanOf(node) });
        break;
      }
    }
  }
  return { authors, hints, ...(fmSpan ? { frontMatter: fmSpan } : {}) };
}

// ---------------------------------------------------------------- license statements

const defaultAuthorPattern = new RegExp(String.raw`(?:assume|presume)\s+(?:that\s+)?the\s+author\s+is\s+(${namePattern})|(?:default|unless stated otherwise)[^.]{0,60}?author\s+is\s+(${namePattern})`, 'iu');

function statementsOf(doc: ParsedDocument): LicenseStatement[] {
  const out: LicenseStatement[] = [];
  const visit = (parent: Parents) => {
    for (const node of parent.children as RootContent[]) {
      if (node.type === 'paragraph') {
        const st = statementOf(doc, node);
        if (st) out.push(st);
      } else if ('children' in node && node.type !== 'heading' && node.type !== 'table') visit(node as Parents);
    }
  };
  visit(doc.tree);
  return out;
}

function statementOf(doc: ParsedDocument, p: Paragraph): LicenseStatement | undefined {
  const rich = richTextOf(p);
  const licenseLink = rich.links.find((l) => licenseFromUrl(l.url));
  // On the text as it is: `\s+` where the collapsed text has one space, so the answer is the same.
  const speaksOfPublishing = /\b(?:published|licen[cs]ed|released|available|content|shared|rights\s+reserved|public\s+domain)\b/i.test(rich.text);
  // Most paragraphs are neither: skip collapsing the text and searching it for a license name.
  if (!licenseLink && !speaksOfPublishing) return undefined;
  const text = rich.text.replace(/\s+/g, ' ').trim();
  const mention = findLicenseIn(text);
  if (!licenseLink && !(mention && speaksOfPublishing)) return undefined;
  // Find the link's URL span in the source: the first link node whose url matches.
  let linkUrlSpan: Span | undefined;
  if (licenseLink) {
    const ref = findLinkNode(p, licenseLink.url);
    if (ref) {
      const s = spanOf(ref);
      const src = doc.text.slice(s.start, s.end);
      const at = src.lastIndexOf(rawUrlGuess(src));
      if (at >= 0) linkUrlSpan = { start: s.start + at, end: s.start + at + rawUrlGuess(src).length };
    }
  }
  const named = mention ? (mention.license.kind === 'unknown' && licenseLink ? normaliseLicense(licenseLink.text) : mention.license) : licenseLink ? normaliseLicense(licenseLink.text) : undefined;
  const d = defaultAuthorPattern.exec(text);
  let defaultAuthor: LicenseStatement['defaultAuthor'];
  if (d) {
    const name = (d[1] ?? d[2]!).replace(/[.,]+$/, '');
    const src = doc.text.slice(spanOf(p).start, spanOf(p).end);
    const at = src.indexOf(name);
    defaultAuthor = { name, span: at >= 0 ? { start: spanOf(p).start + at, end: spanOf(p).start + at + name.length } : spanOf(p) };
  }
  const publishedBy = new RegExp(String.raw`\b(?:published|written|released|shared)\s+by\s+(${namePattern})`, 'u').exec(text);
  return {
    span: spanOf(p),
    text,
    ...(licenseLink ? { linked: licenseFromUrl(licenseLink.url)!, linkUrl: licenseLink.url } : {}),
    ...(linkUrlSpan ? { linkUrlSpan } : {}),
    ...(named && named.kind !== 'unknown' ? { named } : named ? { named } : {}),
    ...(defaultAuthor ? { defaultAuthor } : {}),
    ...(publishedBy ? { author: publishedBy[1]!.replace(/[.,]+$/, '') } : {}),
  };
}

function findLinkNode(p: Parents, url: string): Nodes | undefined {
  for (const c of p.children as Nodes[]) {
    if (c.type === 'link' && c.url === url) return c;
    if ('children' in c) {
      const f = findLinkNode(c as Parents, url);
      if (f) return f;
    }
  }
  return undefined;
}

/** The destination as written in `[text](dest)`. */
function rawUrlGuess(linkSource: string): string {
  const m = /\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)\s*$/.exec(linkSource);
  return m ? m[1]! : linkSource;
}

function pageLicense(doc: ParsedDocument, facts: FileFacts, statements: readonly LicenseStatement[]): PageAttribution['license'] {
  const fm = facts.frontMatter?.['license'];
  const yaml = doc.tree.children.find((c) => (c.type as string) === 'yaml');
  if (typeof fm === 'string' && yaml) return { license: normaliseLicense(fm), origin: 'front-matter', span: yamlKeySpan(doc, spanOf(yaml as Nodes), 'license') };
  // A page's own statement ("This story is published … with no rights reserved"), not the site's (which says "this site").
  const own = statements.find((s) => /\b(?:this|the)\s+(?:story|article|post|page|essay|text|chapter|piece)\b/i.test(s.text) && (s.named || s.linked));
  if (own) return { license: own.linked ?? own.named!, origin: 'statement', span: own.span };
  return undefined;
}
