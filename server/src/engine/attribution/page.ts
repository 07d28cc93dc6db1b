import type { FootnoteDefinition, Nodes, Parents, RootContent } from 'mdast';
import type { Span } from '../types';
import type { FileFacts } from '../facts';
import { registerFactsExtension } from '../facts';
import type { ParsedDocument } from '../parse/markdown';
import type { Credit } from './credit';
import type { License } from './license';
import type { Signal } from './signals';
import { htmlImages, paragraphImages } from './images';
import { quote } from './quotes';
import { adaptations } from './adaptations';
import { authorsOf } from './authors';
import { pageLicenseOf, statementsOf } from './statements';
import type { LinkDefinitions } from './richText';

/**
 * Phase one of attribution: what one page says about who made what. Images
 * with the credits standing near them (images.ts), block quotes (quotes.ts)
 * and adapted passages (adaptations.ts), the page's declared authors and
 * hints of other authors (authors.ts), and license statements
 * (statements.ts); the phrases each reads are data (phrases.ts). Stored in
 * the page's facts (`extensions.attribution`) so that phase-two rules, the
 * report and hovers can read it once the tree is gone.
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
  /** The sentence speaks of the author's own work ("my blog post"). */
  readonly ownWork: boolean;
  /** A note in italics at the top or the bottom of the page: the whole page is adapted. */
  readonly page: boolean;
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
  /** The name signs the page at its end. */
  readonly signed?: boolean;
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

/** What the readers of one page share. */
export interface Walker {
  readonly doc: ParsedDocument;
  readonly footnotes: Map<string, FootnoteDefinition>;
  readonly definitions: LinkDefinitions;
  readonly items: AttributedItem[];
  /** Paragraphs already read as an image's credit line. */
  readonly claimed: Set<number>;
}

export function extractAttribution(doc: ParsedDocument, facts: FileFacts): PageAttribution {
  const footnotes = new Map<string, FootnoteDefinition>();
  const definitions = new Map<string, string>();
  const collect = (n: Nodes) => {
    if (n.type === 'footnoteDefinition') footnotes.set(n.identifier, n);
    else if (n.type === 'definition' && !definitions.has(n.identifier)) definitions.set(n.identifier, n.url);
    if ('children' in n) for (const c of n.children as Nodes[]) collect(c);
  };
  collect(doc.tree);
  const w: Walker = { doc, footnotes, definitions, items: [], claimed: new Set() };
  walkFlow(w, doc.tree);
  htmlImages(w);
  const items = w.items.sort((a, b) => a.span.start - b.span.start);
  const { authors, hints, frontMatter } = authorsOf(doc, facts, definitions);
  const statements = statementsOf(doc, definitions);
  const license = pageLicenseOf(doc, facts, statements);
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
    if (node.type === 'paragraph') {
      paragraphImages(w, node, kids[i + 1]);
      adaptations(w, node, kids);
    }
    if (node.type === 'blockquote') quote(w, node, kids[i - 1], kids[i + 1]);
    if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table')
      walkFlow(w, node as Parents);
  });
}
