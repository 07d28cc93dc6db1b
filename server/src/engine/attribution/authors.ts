import type { List, Nodes, Paragraph, RootContent } from 'mdast';
import type { Span } from '../types';
import type { FileFacts } from '../facts';
import type { ParsedDocument } from '../parse/markdown';
import { captured, creditPhrases, notAName } from './phrases';
import { richText, spanOf, type LinkDefinitions } from './richText';
import type { AuthorHint, DeclaredAuthor } from './page';

/**
 * Who wrote a page, as the page says: front matter `author`/`authors`, a
 * byline among its first paragraphs ("By Theory U"), and hints of another
 * author — words near the top ("Ness Radich … wrote these guidelines"), the
 * front matter's description, a name signing the page at its end ("*
 * Jocelyn Endres"). Declared authors decide; hints are what
 * `author-undeclared` asks to declare.
 */

/** The line of a top-level key in the front matter (`license: …`), or the whole block. */
export function yamlKeySpan(doc: ParsedDocument, yaml: Span, key: string): Span {
  const src = doc.text.slice(yaml.start, yaml.end);
  const m = new RegExp(`^${key}[ \\t]*:[^\\r\\n]*`, 'm').exec(src);
  return m ? { start: yaml.start + m.index, end: yaml.start + m.index + m[0].length } : yaml;
}

function splitNames(s: string): string[] {
  return s
    .split(/\s*(?:,|&|\band\b)\s*/)
    .map((n) => n.replace(/[.,]+$/, '').trim())
    .filter(Boolean);
}

function hintIn(text: string, span: Span): AuthorHint | undefined {
  const m = creditPhrases.authorHint.pattern.exec(text);
  const name = m ? captured(m) : undefined;
  return m && name && !notAName.test(name) ? { name, text: m[0], span } : undefined;
}

function frontMatterAuthors(
  doc: ParsedDocument,
  facts: FileFacts,
  yaml: Span,
  authors: DeclaredAuthor[],
  hints: AuthorHint[],
): void {
  const fm = facts.frontMatter;
  if (!fm) return;
  for (const key of ['author', 'authors']) {
    const v = fm[key];
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    for (const a of list) {
      const name =
        typeof a === 'string'
          ? a
          : a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string'
            ? (a as { name: string }).name
            : undefined;
      if (name)
        for (const n of typeof a === 'string' ? splitNames(name) : [name])
          authors.push({ name: n, origin: 'front-matter', span: yamlKeySpan(doc, yaml, key) });
    }
  }
  const description = fm['description'];
  if (typeof description === 'string') {
    const h = hintIn(description.replace(/\s+/g, ' ').trim(), yamlKeySpan(doc, yaml, 'description'));
    if (h) hints.push(h);
  }
}

/** The first two paragraphs after the front matter and the leading headings: a byline, or words naming another author. */
function topOfPage(
  doc: ParsedDocument,
  definitions: LinkDefinitions,
  authors: DeclaredAuthor[],
  hints: AuthorHint[],
): void {
  let seen = 0;
  for (const node of doc.tree.children) {
    if (
      (node.type as string) === 'yaml' ||
      node.type === 'heading' ||
      node.type === 'html' ||
      node.type === 'definition'
    )
      continue;
    if (node.type !== 'paragraph' || seen >= 2) break;
    seen++;
    const t = richText(node.children as Nodes[], definitions)
      .text.replace(/\s+/g, ' ')
      .trim();
    const byline = creditPhrases.byline.pattern.exec(t);
    if (byline) {
      for (const name of splitNames(captured(byline)!)) authors.push({ name, origin: 'byline', span: spanOf(node) });
      continue;
    }
    const h = hintIn(t, spanOf(node));
    if (h) hints.push(h);
  }
}

/** The page's last block, when it is nothing but a person's name (a paragraph, or a list of one item, as GitBook turns "- Name" into). */
function signature(doc: ParsedDocument, definitions: LinkDefinitions): AuthorHint | undefined {
  const blocks = doc.tree.children.filter(
    (n) => n.type !== 'html' && n.type !== 'definition' && n.type !== 'thematicBreak',
  );
  const last = blocks[blocks.length - 1];
  // "— Name" right after a block quote says who said the quote, not who wrote the page.
  if (blocks[blocks.length - 2]?.type === 'blockquote') return undefined;
  let p: Paragraph | undefined;
  if (last?.type === 'paragraph') p = last;
  else if (last?.type === 'list' && (last as List).children.length === 1) {
    const item = (last as List).children[0]!;
    if (item.children.length === 1 && item.children[0]!.type === 'paragraph') p = item.children[0] as Paragraph;
  }
  if (!p || !last) return undefined;
  const t = richText(p.children as Nodes[], definitions)
    .text.replace(/\s+/g, ' ')
    .trim();
  const m = creditPhrases.signature.pattern.exec(t);
  const name = m ? captured(m) : undefined;
  // A name of two to four words: "Jocelyn Endres", not "Thank You", "Happy Crewing" or a sentence.
  const words = name?.split(/\s+/) ?? [];
  if (
    !m ||
    !name ||
    notAName.test(words[0]!) ||
    words.length < 2 ||
    words.length > 4 ||
    words.some((w) => closingWords.test(w))
  )
    return undefined;
  return { name, text: t, span: spanOf(last as RootContent), signed: true };
}

/** Words of a page's closing line that no name holds. */
const closingWords =
  /^(?:thanks?|thank|you|love|cheers|best|regards|wishes|warmly|yours|good|luck|happy|see|soon|read|more|next|contact|questions|enjoy|welcome|bye|ciao|peace|onwards|together|everyone|all|team|crew|crewing|congregating|the|and|of|for|with|to)$/i;

export function authorsOf(
  doc: ParsedDocument,
  facts: FileFacts,
  definitions: LinkDefinitions,
): { authors: DeclaredAuthor[]; hints: AuthorHint[]; frontMatter?: Span } {
  const authors: DeclaredAuthor[] = [];
  const hints: AuthorHint[] = [];
  const yaml = doc.tree.children.find((c) => (c.type as string) === 'yaml');
  const fmSpan = yaml ? spanOf(yaml as Nodes) : undefined;
  if (fmSpan) frontMatterAuthors(doc, facts, fmSpan, authors, hints);
  topOfPage(doc, definitions, authors, hints);
  const signed = signature(doc, definitions);
  if (signed) hints.push(signed);
  return { authors, hints, ...(fmSpan ? { frontMatter: fmSpan } : {}) };
}
