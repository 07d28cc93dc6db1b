import type { Paragraph, RootContent } from 'mdast';
import type { Span } from '../types';
import { namePattern, parseCredit, type Credit, type RichText } from './credit';
import { creditPhrases } from './phrases';
import { isEmphasisOnly, richSlice, richTextOf, spanOf } from './richText';
import type { Walker } from './page';

/**
 * Passages and pages adapted from another work ("_Adapted from_ [_my blog
 * post_](…)", "_Credit: this is an adaption from the official_ [_Case Clinic
 * recipe_](…) _from the_ [_Presencing Institute_](…)"), with what the
 * sentence says of the original: its title and source (usually a link), its
 * author, its license. A note in italics at the top or the bottom of a page
 * speaks for the whole page.
 */

const byName = new RegExp(String.raw`\bby\s+${namePattern}`, 'u');
/** "from the Presencing Institute" after the work: who published it. */
const fromName = new RegExp(String.raw`\b(?:from|of)\s+(?:the\s+)?(${namePattern})`, 'u');
/** Link texts that name no work: "here", "this", "link". */
const genericLinkText =
  /^(?:here|this|link|this link|click here|source|original|website|site|page|post|blog(?:\s*post)?(?:\s+here)?|my blog post here)$/i;

/** Where the sentence holding `at` ends: the next ". " before a capital, or the end of the text. */
function sentenceEnd(text: string, at: number): number {
  const m = /[.!?](?=\s+\p{Lu}|\s*$)/u.exec(text.slice(at));
  return m ? at + m.index + 1 : text.length;
}

function sentenceStart(text: string, at: number): number {
  let start = 0;
  for (const m of text.slice(0, at).matchAll(/[.!?]\s+(?=\p{Lu})/gu)) start = m.index + m[0].length;
  return start;
}

/** The original as the words after "adapted from" name it. */
function originalCredit(after: RichText, span: Span): Credit {
  const base = parseCredit(after, 'credit-line', span, { force: true }) ?? {
    origin: 'credit-line' as const,
    text: after.text.trim(),
  };
  const work = after.links.find((l) => !genericLinkText.test(l.text.replace(/[*_]/g, '').trim()));
  // A link to the work names it as its author wrote it ("The Elephants"); the words around it may be cut short.
  const title = (work ? work.text.replace(/[*_]/g, '').trim() : undefined) || base.title;
  let author = base.author;
  if (!author && !byName.test(after.text)) {
    const from = fromName.exec(after.text.slice(work ? work.end : 0));
    if (from) author = from[1]!.replace(/[.,]+$/, '');
  }
  return { ...base, ...(title ? { title } : {}), ...(author ? { author } : {}) };
}

/** An italic note among the first blocks of the page or its last ones: it speaks for the whole page. */
function isPageNote(w: Walker, p: Paragraph, parent: readonly RootContent[]): boolean {
  if (parent !== w.doc.tree.children || !isEmphasisOnly(p)) return false;
  const blocks = parent.filter((n) => n.type !== 'heading' && (n.type as string) !== 'yaml' && n.type !== 'html');
  const at = blocks.indexOf(p);
  return at >= 0 && (at < 3 || at >= blocks.length - 2);
}

export function adaptations(w: Walker, p: Paragraph, parent: readonly RootContent[]): void {
  const rich = richTextOf(p, w.definitions);
  const pattern = new RegExp(creditPhrases.adaptation.pattern.source, 'gi');
  const source = w.doc.text.slice(spanOf(p).start, spanOf(p).end);
  for (let m = pattern.exec(rich.text); m; m = pattern.exec(rich.text)) {
    const end = sentenceEnd(rich.text, m.index + m[0].length);
    const after = richSlice(rich, m.index + m[0].length, end);
    // "based on" only counts when a work follows it: a link or "by Name" soon after.
    if (/^based/i.test(m[0]) && !after.links.some((l) => l.start < 100) && !byName.test(after.text.slice(0, 100)))
      continue;
    const sentence = rich.text.slice(sentenceStart(rich.text, m.index), end);
    const at = locate(source, m[0], spanOf(p).start);
    const span = at ?? spanOf(p);
    w.items.push({
      kind: 'adapted',
      span,
      line: w.doc.lines.positionAt(span.start).line,
      phrase: m[0],
      credit: originalCredit(after, spanOf(p)),
      ownWork: creditPhrases.ownWork.pattern.test(sentence),
      page: isPageNote(w, p, parent),
    });
  }
}

/** Where a phrase stands in a block's source (first case-insensitive match, any run of white space or markup between its words). */
function locate(source: string, phrase: string, base: number): Span | undefined {
  const re = new RegExp(
    phrase
      .split(/\s+/)
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join(String.raw`[\s*_]+`),
    'i',
  );
  const m = re.exec(source);
  return m ? { start: base + m.index, end: base + m.index + m[0].length } : undefined;
}
