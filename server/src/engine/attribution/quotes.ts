import type { Blockquote, Nodes, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parseCredit, wholeName, type Credit } from './credit';
import { captured, creditPhrases, notAName } from './phrases';
import { richSlice, richText, richTextOf, spanOf } from './richText';
import { footnoteCredits } from './images';
import type { Walker } from './page';

/**
 * Block quotes and their credits, where writers put them: a last line
 * starting with a dash, a dash and a name after the closing quotation mark
 * at the end of the last paragraph ("… – Riane Eisler, [Partnership
 * 101](…)"), the paragraph after the quote, the sentence that introduces it
 * ("As X writes in [Y](…):"), footnotes. A block quote used as a callout
 * ("> **Note:** …") holds the site's own words and is no quotation.
 */

/** "— Jane Doe, Weaving Notes": a quote's attribution line starts with who said it. */
function withLeadingName(c: Credit): Credit {
  if (c.author) return c;
  const first = c.text.split(/[,;(]/)[0]!.trim();
  return wholeName.test(first)
    ? { ...c, author: first, ...(c.title === first ? { title: undefined as never } : {}) }
    : c;
}

function stripDash(text: string): string {
  return text.replace(/^\s*(?:[—–―~]|--|-)\s*/, '');
}

/** The credit at the end of the quote's last paragraph: a last line starting with a dash, or a dash after the closing quotation mark. */
function endCredit(w: Walker, q: Blockquote): Credit | undefined {
  const last = q.children[q.children.length - 1];
  if (last?.type !== 'paragraph') return undefined;
  const rich = richTextOf(last, w.definitions);
  const text = rich.text.trimEnd();
  const lineStart = text.lastIndexOf('\n') + 1;
  const lastLine = text.slice(lineStart);
  const source = w.doc.text.slice(spanOf(last).start, spanOf(last).end);
  let from: number | undefined;
  if (
    creditPhrases.quoteAttributionLine.pattern.test(lastLine) ||
    /^\s*source\s*:/i.test(lastLine) ||
    /<cite\b/i.test(source)
  ) {
    from = lineStart + lastLine.length - stripDash(lastLine).length;
  } else {
    const trailing = creditPhrases.quoteTrailingAttribution.pattern.exec(text);
    if (trailing) from = trailing.index + trailing[0].length - trailing[1]!.length;
  }
  if (from === undefined) return undefined;
  const c = parseCredit(richSlice(rich, from, text.length), 'credit-line', spanOf(last), { force: true });
  return c ? withLeadingName(c) : undefined;
}

/** The paragraph after the quote, when it starts with a dash. */
function afterCredit(w: Walker, after: RootContent | undefined): Credit | undefined {
  if (after?.type !== 'paragraph') return undefined;
  const rich = richTextOf(after, w.definitions);
  if (!/^\s*(?:[—–―~]|--)/.test(rich.text)) return undefined;
  const dash = rich.text.length - stripDash(rich.text).length;
  const c = parseCredit(richSlice(rich, dash), 'credit-line', spanOf(after), { force: true });
  return c ? withLeadingName(c) : undefined;
}

/** The sentence before the quote, ending with ":", that names the author or links the source. */
function leadInCredit(w: Walker, before: RootContent | undefined): Credit | undefined {
  if (before?.type !== 'paragraph') return undefined;
  const rich = richTextOf(before, w.definitions);
  const t = rich.text.trim();
  if (!/:\s*$/.test(t)) return undefined;
  const lead = creditPhrases.quoteLeadIn.pattern.exec(
    t.replace(/^(?:As|Here|Like|In|According to|Then)\s+(?=\p{Lu})/u, ''),
  );
  const author = lead && !notAName.test(captured(lead)!) ? captured(lead) : undefined;
  const c = parseCredit(rich, 'lead-in', spanOf(before), { force: true });
  if (!c || (!author && !rich.links.length)) return undefined;
  return author ? { ...c, author } : c;
}

export function isCallout(w: Walker, q: Blockquote): boolean {
  const first = q.children[0];
  if (first?.type !== 'paragraph') return false;
  return creditPhrases.callout.pattern.test(richTextOf(first, w.definitions).text);
}

export function quote(w: Walker, q: Blockquote, before: RootContent | undefined, after: RootContent | undefined): void {
  if (isCallout(w, q)) return;
  const text = toString(q);
  const words = text.split(/\s+/).filter(Boolean).length;
  const credits = [endCredit(w, q), afterCredit(w, after), leadInCredit(w, before)].filter(
    (c): c is Credit => c !== undefined,
  );
  credits.push(...footnoteCredits(w, richText(q.children as Nodes[], w.definitions).footnotes));
  const span = spanOf(q);
  w.items.push({
    kind: 'quote',
    span,
    line: w.doc.lines.positionAt(span.start).line,
    words,
    excerpt: text.replace(/\s+/g, ' ').trim().slice(0, 80),
    credits,
  });
}
