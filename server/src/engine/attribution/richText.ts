import type { Nodes, Paragraph } from 'mdast';
import type { Span } from '../types';
import { decodeEntities } from '../parse/html';
import type { RichLink, RichText } from './credit';

/** Plain text and links of inline content, as credits are read from it. */

export const spanOf = (n: Nodes): Span => ({ start: n.position?.start.offset ?? 0, end: n.position?.end.offset ?? 0 });

export type RichParagraph = RichText & { readonly footnotes: readonly string[] };

/** A page's link definitions (`[1]: https://…`), by identifier: reference links (`[Title][1]`) are links too. */
export type LinkDefinitions = ReadonlyMap<string, string>;
const none: LinkDefinitions = new Map();

/** richText of a paragraph's children, computed once per paragraph (several readers ask; nobody mutates it). */
const paragraphRich = new WeakMap<Paragraph, RichParagraph>();
export function richTextOf(p: Paragraph, definitions: LinkDefinitions = none): RichParagraph {
  let r = paragraphRich.get(p);
  if (!r) paragraphRich.set(p, (r = richText(p.children as Nodes[], definitions)));
  return r;
}

export function richText(nodes: readonly Nodes[], definitions: LinkDefinitions = none): RichParagraph {
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
      case 'link':
      case 'linkReference': {
        const start = text.length;
        for (const c of n.children) walk(c as Nodes);
        const url = n.type === 'link' ? n.url : definitions.get(n.identifier);
        if (url !== undefined) links.push({ text: text.slice(start), url, start, end: text.length });
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
  const pattern =
    /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>|\[([^\]]*)\]\(([^)\s]+)[^)]*\)|<[^>]*>|([^<[]+|[<[])/gi;
  for (let m = pattern.exec(html); m; m = pattern.exec(html)) {
    if (m[1] !== undefined || m[2] !== undefined) {
      const t = decodeEntities(m[3]!.replace(/<[^>]*>/g, ''));
      links.push({
        text: t,
        url: decodeEntities(m[1] ?? m[2] ?? ''),
        start: offset + out.length,
        end: offset + out.length + t.length,
      });
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

/** The part of a rich text from `start` to `end`, its links moved with it. */
export function richSlice(rich: RichText, start: number, end = rich.text.length): RichText {
  return {
    text: rich.text.slice(start, end),
    links: rich.links
      .filter((l) => l.start >= start && l.end <= end)
      .map((l) => ({ ...l, start: l.start - start, end: l.end - start })),
  };
}

/** A paragraph of nothing but emphasis (and links holding only emphasis): "_Credit: …_". */
export function isEmphasisOnly(p: Paragraph): boolean {
  // White space and HTML comments aside.
  const kids = p.children.filter(
    (c) =>
      !(c.type === 'text' && c.value.trim() === '') && !(c.type === 'html' && /^<!--[^]*-->$/.test(c.value.trim())),
  );
  return (
    kids.length > 0 &&
    kids.every(
      (c) =>
        c.type === 'emphasis' ||
        c.type === 'strong' ||
        (c.type === 'link' && c.children.every((x) => x.type === 'emphasis' || x.type === 'strong')),
    )
  );
}
