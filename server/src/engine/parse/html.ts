import type { Span } from '../types';
import { unescapeMarkdown } from '../text';

/**
 * The HTML GitBook writes into Markdown: `<img src alt>`, `<a href>`,
 * `<figure>…<figcaption>…</figcaption></figure>`, and anchors (`id`, `name`).
 * Found in the source outside code and comments, with exact offsets.
 */

export interface HtmlAttribute {
  readonly value: string;
  readonly span: Span;
}

export interface HtmlElement {
  readonly name: 'img' | 'a' | 'figure' | 'figcaption';
  readonly span: Span;
  readonly attributes: Readonly<Record<string, HtmlAttribute>>;
}

export interface HtmlFigure {
  readonly span: Span;
  readonly caption?: { readonly text: string; readonly span: Span };
}

export interface HtmlLayer {
  readonly elements: readonly HtmlElement[];
  readonly figures: readonly HtmlFigure[];
  /** Values of id= and name= attributes on any element: link targets. */
  readonly anchors: readonly string[];
}

const elementPattern = /<(img|a|figure|figcaption)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const attrPattern = /([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
const anchorPattern = /<[A-Za-z][\w-]*\b[^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/g;
const figurePattern = /<figure\b[^>]*>([\s\S]*?)<\/figure>/gi;
const captionPattern = /<figcaption\b[^>]*>([\s\S]*?)<\/figcaption>/i;

export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (m, e: string) => {
    const l = e.toLowerCase();
    if (l === 'amp') return '&';
    if (l === 'lt') return '<';
    if (l === 'gt') return '>';
    if (l === 'quot') return '"';
    if (l === 'apos') return "'";
    if (l === 'nbsp') return '\u00a0';
    const code = l.startsWith('#x') ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

export function scanHtml(text: string, isExcluded: (offset: number) => boolean): HtmlLayer {
  const elements: HtmlElement[] = [];
  const figures: HtmlFigure[] = [];
  const anchors: string[] = [];
  if (!text.includes('<')) return { elements, figures, anchors };
  // Markdown never sees a tag that runs over a blank line or into code or a comment: its "attribute"
  // would be page text (a fix of its src would delete the lines in between).
  const seenAsTag = (start: number, source: string): boolean => {
    if (/\n[ \t]*\r?\n/.test(source)) return false;
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1))
      if (isExcluded(start + i + 1)) return false;
    return true;
  };
  elementPattern.lastIndex = 0;
  for (let m = elementPattern.exec(text); m; m = elementPattern.exec(text)) {
    if (isExcluded(m.index) || !seenAsTag(m.index, m[0])) continue;
    const body = m[2] ?? '';
    const bodyStart = m.index + 1 + m[1]!.length;
    const attributes: Record<string, HtmlAttribute> = {};
    attrPattern.lastIndex = 0;
    for (let a = attrPattern.exec(body); a; a = attrPattern.exec(body)) {
      const raw = a[2] ?? a[3] ?? a[4] ?? '';
      const start = bodyStart + a.index + a[0].length - raw.length - (a[4] === undefined ? 1 : 0);
      attributes[a[1]!.toLowerCase()] = {
        value: decodeEntities(unescapeMarkdown(raw)),
        span: { start, end: start + raw.length },
      };
    }
    elements.push({
      name: m[1]!.toLowerCase() as HtmlElement['name'],
      span: { start: m.index, end: m.index + m[0].length },
      attributes,
    });
  }
  anchorPattern.lastIndex = 0;
  for (let m = anchorPattern.exec(text); m; m = anchorPattern.exec(text)) {
    if (!isExcluded(m.index)) anchors.push(decodeEntities(m[1]!));
  }
  figurePattern.lastIndex = 0;
  for (let m = figurePattern.exec(text); m; m = figurePattern.exec(text)) {
    if (isExcluded(m.index)) continue;
    const inner = m[1] ?? '';
    const c = captionPattern.exec(inner);
    const span = { start: m.index, end: m.index + m[0].length };
    if (c) {
      const start = m.index + m[0].indexOf(inner) + c.index + c[0].indexOf(c[1]!, 11);
      figures.push({
        span,
        caption: {
          text: decodeEntities(c[1]!.replace(/<[^>]*>/g, '')).trim(),
          span: { start, end: start + c[1]!.length },
        },
      });
    } else figures.push({ span });
  }
  return { elements, figures, anchors };
}
