import type { Span } from '../types';
import { copyrightIn, findLicenseIn, licenseFromUrl, platformIn, type License } from './license';

/**
 * Credits as people write them — "_Photo by Jane Doe on Unsplash_",
 * "Image: Foo (CC BY 2.0)", `"[Title](src)" by Jane is licensed under [CC BY
 * 4.0](…)`, "Sassetta, Public domain, via Wikimedia Commons", a figcaption,
 * alt text — read into the four parts of a Creative Commons attribution:
 * Title, Author, Source (a link) and License.
 */

export interface RichLink {
  readonly text: string;
  readonly url: string;
  /** Where the link text stands in RichText.text. */
  readonly start: number;
  readonly end: number;
}

/** Plain text with its links, as read from Markdown inline content or HTML. */
export interface RichText {
  readonly text: string;
  readonly links: readonly RichLink[];
}

export type CreditOrigin =
  'caption' | 'credit-line' | 'footnote' | 'alt' | 'lead-in' | 'sidecar' | 'config' | 'front-matter';

export interface Credit {
  readonly origin: CreditOrigin;
  /** The credit's text as read. */
  readonly text: string;
  /** Where it stands in the page (none for records). */
  readonly span?: Span;
  readonly title?: string;
  readonly author?: string;
  /** A link to the work (or where it was found). */
  readonly source?: string;
  /** The license the credit states. */
  readonly license?: License;
  /** A license the credit only implies ("on Unsplash"). */
  readonly impliedLicense?: License;
  readonly platform?: string;
  /** The holder of a "©" claim. */
  readonly copyright?: string;
}

export type CreditPart = 'Title' | 'Author' | 'Source' | 'License';
export const creditParts: readonly CreditPart[] = ['Title', 'Author', 'Source', 'License'];

/** The parts of a Creative Commons attribution a credit lacks. */
export function missingParts(
  credit: Pick<Credit, 'title' | 'author' | 'source' | 'license'>,
  required: readonly CreditPart[] = creditParts,
): CreditPart[] {
  return required.filter((p) =>
    p === 'Title' ? !credit.title : p === 'Author' ? !credit.author : p === 'Source' ? !credit.source : !credit.license,
  );
}

const nameWord = String.raw`(?:\p{Lu}[\p{L}\p{M}'’.-]*|(?:de|da|van|von|der|den|la|le|du|di|del|dos|y|bin|al|ibn)(?=\s+\p{Lu}))`;
/** A person's or maker's name: capitalised words with particles, at most six. */
export const namePattern = String.raw`${nameWord}(?:\s+${nameWord}){0,5}`;
/** A text that is nothing but a name. */
export const wholeName = new RegExp(`^${namePattern}$`, 'u');
const byPattern = new RegExp(String.raw`(?:^|[\s(\[“"'])by\s+(${namePattern})`, 'u');
const genericWords =
  /^(?:a|an|the|this|photo(?:graph)?|image|picture|pic|illustration|drawing|painting|artwork|art|credit|cover|header|banner|hero|still|screenshot|screen\s*shot|cartoon|graphic|map|diagram|figure|fig\.?|original|top|above|below|credits?)$/i;
const creditLead =
  /^(?:(?:photo(?:graph)?|image|picture|illustration|drawing|painting|artwork|art|cartoon|still|screenshot|graphic|map|figure|header|cover|banner)\s*)?(?:credits?|by|source|courtesy(?:\s+of)?)?\s*:\s*/i;

/** Words that make a short text a credit rather than a description. */
export function hasCreditSignal(text: string, links: readonly RichLink[] = []): boolean {
  if (byPattern.test(text)) return true;
  if (
    /\b(?:credits?|courtesy|licen[cs]ed?|via|source)\b|©|\(c\)|\bcopyright\b|\bCC[\s-](?:BY|0)\b|creative commons|public domain|all rights reserved/i.test(
      text,
    )
  )
    return true;
  if (
    /^\s*(?:photo(?:graph)?|image|picture|illustration|painting|drawing|artwork|cartoon|still|screenshot)\s*:/i.test(
      text,
    )
  )
    return true;
  if (platformIn(text)) return true;
  return links.some((l) => licenseFromUrl(l.url) !== undefined);
}

function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:–—-]+|[\s,;:–—.(-]+$/g, '')
    .replace(/^["“”'‘’]+|["“”'‘’]+$/g, '')
    .trim();
  return v === '' ? undefined : v;
}

/** Removes leading and trailing generic words: "Weaving image" → "Weaving", "Photo" → undefined. */
function stripGeneric(value: string): string | undefined {
  const words = value.trim().split(/\s+/).filter(Boolean);
  while (words.length && genericWords.test(words[0]!)) words.shift();
  while (
    words.length &&
    (genericWords.test(words[words.length - 1]!) || /^(?:of|from|and)$/i.test(words[words.length - 1]!))
  )
    words.pop();
  if (words.length && /^of$/i.test(words[0]!)) words.shift();
  return clean(words.join(' '));
}

/** Ends a name or title at the first delimiter: "Jane Doe on Unsplash, CC BY" → "Jane Doe". */
function cutAtDelimiter(value: string): string {
  const m = /\s+(?:on|via|from|at|for|is|are|was|licen[cs]ed|under|used|published|\(|-|–|—)\s|[,;|([]|\.\s|\.$/.exec(
    value,
  );
  return m ? value.slice(0, m.index) : value;
}

/**
 * Reads a credit's text into Title, Author, Source and License. Returns
 * undefined when the text is no credit at all (no signal and nothing found).
 */
export function parseCredit(
  rich: RichText,
  origin: CreditOrigin,
  span?: Span,
  options: { force?: boolean } = {},
): Credit | undefined {
  const text = rich.text.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  if (!options.force && !hasCreditSignal(text, rich.links)) return undefined;

  // License: a link to a license deed first, then the words.
  let license: License | undefined;
  const licenseLinks = new Set<RichLink>();
  for (const l of rich.links) {
    const fromUrl = licenseFromUrl(l.url);
    if (fromUrl) {
      licenseLinks.add(l);
      if (!license) license = { ...fromUrl, raw: l.text || l.url };
    }
  }
  let rest = text;
  const mention = findLicenseIn(text);
  if (mention) {
    if (!license) license = mention.license;
    rest = rest.slice(0, mention.start) + ' '.repeat(mention.end - mention.start) + rest.slice(mention.end);
  }
  rest = rest.replace(/\b(?:is\s+)?licen[cs]ed\s+(?:under|as)\b.*$/i, (m) => ' '.repeat(m.length));
  const platform = platformIn(
    text,
    rich.links.map((l) => l.url),
  );
  const copyright = copyrightIn(text);

  // Labelled parts: "Title: …; Author: …; Source: …".
  const label = (names: string) => {
    const m = new RegExp(String.raw`\b(?:${names})\s*:\s*([^;|\n]+)`, 'i').exec(text);
    return m ? clean(cutAtDelimiter(m[1]!.trim())) : undefined;
  };
  let title = label('title');
  let author = label('author|artist|photographer|creator|illustrator|painter|made by');
  let source: string | undefined;
  const sourceLabel = /\bsource\s*:\s*(\S+)/i.exec(text);
  if (sourceLabel && /^https?:\/\//i.test(sourceLabel[1]!)) source = sourceLabel[1]!.replace(/[),.;]+$/, '');

  // "… by Name" names the author; what stands before it is the title.
  const by = byPattern.exec(rest);
  if (by && !author) {
    author = clean(cutAtDelimiter(by[1]!));
    if (!title) {
      const before = rest.slice(0, by.index + (by[0].startsWith('by') ? 0 : 1)).replace(creditLead, '');
      const quoted = /["“]([^"”]+)["”]/.exec(before);
      title = quoted ? clean(quoted[1]) : stripGeneric(cutAtDelimiterTitle(before));
    }
  }
  // "Image: Name", "Credit: Name", "Courtesy of Name".
  if (!author) {
    const lead =
      /^(?:(?:(?:photo(?:graph)?|image|picture|illustration|drawing|painting|artwork|art|cartoon|still|screenshot|graphic|map|header|cover|banner)\s*(?:credits?)?\s*:)|credits?\s*:?|courtesy(?:\s+of)?\s*:?)\s*(?=\S)/i.exec(
        rest.trimStart(),
      );
    if (lead) {
      const value = clean(cutAtDelimiter(rest.trimStart().slice(lead[0].length)));
      if (value && value.split(/\s+/).length <= 8 && !/^https?:/i.test(value)) author = value;
    }
  }
  // "Sassetta, Public domain, via Wikimedia Commons": the first segment before a license.
  if (!author && mention && mention.start > 0) {
    const first = clean(text.slice(0, mention.start).split(/[,;]/)[0]);
    if (first && wholeName.test(first)) author = first;
  }
  if (!author && copyright?.holder) author = clean(cutAtDelimiter(copyright.holder));

  // A quoted title anywhere: 'Cartoon characters from "Captain Planet & The Planeteers"'.
  if (!title) {
    const quoted = /["“]([^"”]{2,})["”]/.exec(rest);
    if (quoted) title = clean(quoted[1]);
  }
  // Links: one on the title is the source; any other link that is not the license or the platform's home also is.
  const others = rich.links.filter((l) => !licenseLinks.has(l));
  const onTitle = title ? others.find((l) => clean(l.text) === title) : undefined;
  if (!title && others.length) {
    const candidate = others.find(
      (l) => clean(l.text) && clean(l.text) !== author && !platformIn(l.text) && !/^https?:/i.test(l.text),
    );
    if (candidate && /["“]/.test(text.slice(Math.max(0, candidate.start - 2), candidate.start)))
      title = clean(candidate.text);
  }
  if (!source) source = (onTitle ?? others.find((l) => !isPlatformHome(l.url)) ?? others[0])?.url;
  if (!source) {
    const bare = /https?:\/\/[^\s<>"')\]]+/.exec(text);
    if (bare && !licenseFromUrl(bare[0])) source = bare[0].replace(/[.,;]+$/, '');
  }
  if (author && title && author === title) title = undefined;

  const credit: Credit = {
    origin,
    text,
    ...(span ? { span } : {}),
    ...(title ? { title } : {}),
    ...(author ? { author } : {}),
    ...(source ? { source } : {}),
    ...(license ? { license } : {}),
    ...(platform?.license ? { impliedLicense: platform.license } : {}),
    ...(platform ? { platform: platform.platform } : {}),
    ...(copyright?.holder ? { copyright: copyright.holder } : copyright ? { copyright: '' } : {}),
  };
  if (
    !options.force &&
    !credit.title &&
    !credit.author &&
    !credit.source &&
    !credit.license &&
    !credit.platform &&
    credit.copyright === undefined
  )
    return undefined;
  return credit;
}

function cutAtDelimiterTitle(value: string): string {
  // A title may hold commas less often than a name; cut at the last sentence break before "by".
  const parts = value.split(/[.:;!?]\s+/);
  return parts[parts.length - 1] ?? value;
}

function isPlatformHome(url: string): boolean {
  return /^https?:\/\/(?:www\.)?(?:unsplash\.com|pexels\.com|pixabay\.com|commons\.wikimedia\.org|flickr\.com)\/?(?:[?#].*)?$/i.test(
    url,
  );
}

/**
 * Merges credits field by field, first one winning: records before captions
 * and credit lines, those before footnotes and alt text.
 */
export function mergeCredits(
  credits: readonly Credit[],
): Omit<Credit, 'origin' | 'text' | 'span'> & { readonly origins: readonly CreditOrigin[] } {
  const pick = <K extends keyof Credit>(k: K): Credit[K] | undefined =>
    credits.find((c) => c[k] !== undefined && c[k] !== '')?.[k];
  const title = pick('title');
  const author = pick('author');
  const source = pick('source');
  const license = pick('license');
  const impliedLicense = pick('impliedLicense');
  const platform = pick('platform');
  const copyright = credits.find((c) => c.copyright !== undefined)?.copyright;
  return {
    origins: credits.map((c) => c.origin),
    ...(title ? { title } : {}),
    ...(author ? { author } : {}),
    ...(source ? { source } : {}),
    ...(license ? { license } : {}),
    ...(impliedLicense ? { impliedLicense } : {}),
    ...(platform ? { platform } : {}),
    ...(copyright !== undefined ? { copyright } : {}),
  };
}
