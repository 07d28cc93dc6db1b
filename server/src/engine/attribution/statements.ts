import type { Nodes, Paragraph, Parents, RootContent } from 'mdast';
import type { Span } from '../types';
import type { FileFacts } from '../facts';
import type { ParsedDocument } from '../parse/markdown';
import { findLicenseIn, licenseFromUrl, normaliseLicense } from './license';
import { captured, creditPhrases } from './phrases';
import { richTextOf, spanOf, type LinkDefinitions } from './richText';
import { yamlKeySpan } from './authors';
import type { LicenseStatement, PageAttribution } from './page';

/**
 * License statements in prose: the home page's ("All the content on this
 * site is published with a [CC-BY-SA](…) license … assume the author is
 * Richard D. Bartlett") and a page's own ("This story is published by
 * Richard D. Bartlett with no rights reserved").
 */

export function statementsOf(doc: ParsedDocument, definitions: LinkDefinitions): LicenseStatement[] {
  const out: LicenseStatement[] = [];
  const visit = (parent: Parents) => {
    for (const node of parent.children as RootContent[]) {
      if (node.type === 'paragraph') {
        const st = statementOf(doc, node, definitions);
        if (st) out.push(st);
      } else if ('children' in node && node.type !== 'heading' && node.type !== 'table') visit(node as Parents);
    }
  };
  visit(doc.tree);
  return out;
}

function statementOf(doc: ParsedDocument, p: Paragraph, definitions: LinkDefinitions): LicenseStatement | undefined {
  const rich = richTextOf(p, definitions);
  const licenseLink = rich.links.find((l) => licenseFromUrl(l.url));
  // On the text as it is: `\s+` where the collapsed text has one space, so the answer is the same.
  const speaksOfPublishing =
    /\b(?:published|licen[cs]ed|released|available|content|shared|rights\s+reserved|public\s+domain)\b/i.test(
      rich.text,
    );
  // Most paragraphs are neither: skip collapsing the text and searching it for a license name.
  if (!licenseLink && !speaksOfPublishing) return undefined;
  const text = rich.text.replace(/\s+/g, ' ').trim();
  const mention = findLicenseIn(text);
  if (!licenseLink && !(mention && speaksOfPublishing)) return undefined;
  const linkUrlSpan = licenseLink ? linkDestinationSpan(doc, p, licenseLink.url) : undefined;
  const named = mention
    ? mention.license.kind === 'unknown' && licenseLink
      ? normaliseLicense(licenseLink.text)
      : mention.license
    : licenseLink
      ? normaliseLicense(licenseLink.text)
      : undefined;
  const d = creditPhrases.defaultAuthor.pattern.exec(text);
  let defaultAuthor: LicenseStatement['defaultAuthor'];
  if (d) {
    const name = captured(d)!;
    const src = doc.text.slice(spanOf(p).start, spanOf(p).end);
    const at = src.indexOf(name);
    defaultAuthor = {
      name,
      span: at >= 0 ? { start: spanOf(p).start + at, end: spanOf(p).start + at + name.length } : spanOf(p),
    };
  }
  const publishedBy = creditPhrases.publishedBy.pattern.exec(text);
  return {
    span: spanOf(p),
    text,
    ...(licenseLink ? { linked: licenseFromUrl(licenseLink.url)!, linkUrl: licenseLink.url } : {}),
    ...(linkUrlSpan ? { linkUrlSpan } : {}),
    ...(named ? { named } : {}),
    ...(defaultAuthor ? { defaultAuthor } : {}),
    ...(publishedBy ? { author: captured(publishedBy)! } : {}),
  };
}

/** Where the destination of the paragraph's first link to `url` stands in the source. */
function linkDestinationSpan(doc: ParsedDocument, p: Paragraph, url: string): Span | undefined {
  const ref = findLinkNode(p, url);
  if (!ref) return undefined;
  const s = spanOf(ref);
  const src = doc.text.slice(s.start, s.end);
  const dest = rawUrlGuess(src);
  const at = src.lastIndexOf(dest);
  return at >= 0 ? { start: s.start + at, end: s.start + at + dest.length } : undefined;
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

/** The page's own license: front matter `license:`, or a statement about this page ("This story is published … with no rights reserved"), not the site's. */
export function pageLicenseOf(
  doc: ParsedDocument,
  facts: FileFacts,
  statements: readonly LicenseStatement[],
): PageAttribution['license'] {
  const fm = facts.frontMatter?.['license'];
  const yaml = doc.tree.children.find((c) => (c.type as string) === 'yaml');
  if (typeof fm === 'string' && yaml)
    return {
      license: normaliseLicense(fm),
      origin: 'front-matter',
      span: yamlKeySpan(doc, spanOf(yaml as Nodes), 'license'),
    };
  const own = statements.find(
    (s) =>
      /\b(?:this|the)\s+(?:story|article|post|page|essay|text|chapter|piece)\b/i.test(s.text) && (s.named || s.linked),
  );
  if (own) return { license: own.linked ?? own.named!, origin: 'statement', span: own.span };
  return undefined;
}
