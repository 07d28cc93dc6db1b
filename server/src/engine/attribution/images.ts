import type { Nodes, Paragraph, Parents, PhrasingContent, RootContent } from 'mdast';
import type { Span } from '../types';
import type { ParsedDocument } from '../parse/markdown';
import { hasCreditSignal, parseCredit, type Credit, type RichLink, type RichText } from './credit';
import { creditPhrases } from './phrases';
import { htmlText, isEmphasisOnly, richText, richTextOf, spanOf } from './richText';
import { thirdPartySignals, type Signal } from './signals';
import type { FigureInfo, Walker } from './page';

/**
 * Images and the credits standing near them: a `<figcaption>`, a credit line
 * (the rest of the image's paragraph on a new line, or the next paragraph
 * when it reads as a credit), footnotes referenced there, and the alt text
 * (read apart: most readers never see it).
 */

/** Whether a paragraph after an image reads as its credit line. */
function isCreditLine(p: Paragraph, rich: RichText): boolean {
  const t = rich.text.trim();
  if (t === '' || t.length > 400) return false;
  if (!hasCreditSignal(t, rich.links)) return false;
  if (creditPhrases.creditLine.pattern.test(t)) return true;
  // An italic line with "by Name" or a license: "_Weaving, by Jane Doe (CC BY 2.0)_".
  return isEmphasisOnly(p) && t.split(/\s+/).length <= 40;
}

export function footnoteCredits(w: Walker, ids: readonly string[]): Credit[] {
  const out: Credit[] = [];
  for (const id of ids) {
    const def = w.footnotes.get(id);
    if (!def) continue;
    const c = parseCredit(richText(def.children as Nodes[], w.definitions), 'footnote', spanOf(def));
    if (c) out.push(c);
  }
  return out;
}

function dedupe(signals: readonly Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter((s) => (seen.has(s.reason) ? false : (seen.add(s.reason), true)));
}

function altCreditOf(alt: string, span: Span): Credit | undefined {
  if (!alt) return undefined;
  return parseCredit({ text: alt, links: [] }, 'alt', span, { force: thirdPartySignals(alt).length > 0 });
}

/** The credit line in the rest of an image's paragraph, when it starts on a new line: "![x](y)\n_Photo by …_". */
function restOfParagraph(w: Walker, p: Paragraph, index: number): { credits: Credit[]; creditLine?: Span } {
  const rest = p.children.slice(index + 1) as PhrasingContent[];
  const first = rest.find((c) => !(c.type === 'text' && c.value.trim() === '') && c.type !== 'break');
  if (!first) return { credits: [] };
  const restRich = richText(rest as Nodes[], w.definitions);
  const gap = w.doc.text.slice(spanOf(p.children[index]!).end, spanOf(first).start);
  const firstText = first.type === 'text' ? first.value : '';
  const onNewLine = /\n/.test(gap) || rest.some((c) => c.type === 'break') || /^\s*\n/.test(firstText);
  const credits: Credit[] = [];
  let creditLine: Span | undefined;
  if (onNewLine && hasCreditSignal(restRich.text, restRich.links)) {
    const restSpan = {
      start: spanOf(first).start + (firstText.length - firstText.trimStart().length),
      end: spanOf(p).end,
    };
    const c = parseCredit(restRich, 'credit-line', restSpan);
    if (c) {
      credits.push(c);
      creditLine = restSpan;
    }
  }
  credits.push(...footnoteCredits(w, restRich.footnotes));
  return { credits, ...(creditLine ? { creditLine } : {}) };
}

/** Markdown images of a paragraph (also inside links), with the credits after them. */
export function paragraphImages(w: Walker, p: Paragraph, next: RootContent | undefined): void {
  const images: { node: Nodes; index: number }[] = [];
  p.children.forEach((c, index) => {
    if (c.type === 'image') images.push({ node: c, index });
    else if (c.type === 'link' && c.children.some((x) => x.type === 'image'))
      images.push({ node: c.children.find((x) => x.type === 'image')!, index });
  });
  if (images.length === 0) return;
  const nextRich = next?.type === 'paragraph' ? richTextOf(next, w.definitions) : undefined;
  const nextIsCredit = next?.type === 'paragraph' && nextRich !== undefined && isCreditLine(next, nextRich);
  images.forEach(({ node, index }, k) => {
    if (node.type !== 'image') return;
    const span = spanOf(node);
    const credits: Credit[] = [];
    let creditLine: Span | undefined;
    // Only the last image of a paragraph has the text after it.
    if (k === images.length - 1) {
      const rest = restOfParagraph(w, p, index);
      credits.push(...rest.credits);
      creditLine = rest.creditLine;
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
    const altCredit = altCreditOf(alt, span);
    w.items.push({
      kind: 'image',
      refKind: 'image',
      url: node.url,
      span,
      line: w.doc.lines.positionAt(span.start).line,
      alt,
      credits,
      ...(altCredit ? { altCredit } : {}),
      signals: dedupe([...thirdPartySignals(alt), ...credits.flatMap((c) => thirdPartySignals(c.text))]),
      ...(creditLine ? { creditLine } : {}),
      insertAt: spanOf(p).end,
    });
  });
}

/** `<img>` tags (GitBook's figures and hand-written HTML), with the figure's caption and a credit line after. */
export function htmlImages(w: Walker): void {
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
      figure = {
        span: fig.span,
        closeAt: closeAt >= fig.span.start ? closeAt : fig.span.end,
        ...(fig.caption ? { captionSpan: fig.caption.span } : {}),
      };
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
      const rich = richTextOf(after, w.definitions);
      if (isCreditLine(after, rich) && !w.claimed.has(spanOf(after).start)) {
        const c = parseCredit(rich, 'credit-line', spanOf(after));
        if (c) {
          credits.push(c);
          creditLine = spanOf(after);
        }
      }
    }
    const altCredit = altCreditOf(alt, el.attributes['alt']?.span ?? el.span);
    w.items.push({
      kind: 'image',
      refKind: 'html-img',
      url: src.value,
      span: el.span,
      line: doc.lines.positionAt(el.span.start).line,
      alt,
      ...(figure ? { figure } : {}),
      credits,
      ...(altCredit ? { altCredit } : {}),
      signals: dedupe([...thirdPartySignals(alt), ...credits.flatMap((c) => thirdPartySignals(c.text))]),
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
