import type { Span } from '../types';
import type { WorkspaceIndex } from '../workspace';
import { creditParts, mergeCredits, missingParts, type Credit, type CreditOrigin, type CreditPart } from './credit';
import { compatibility, licenseName, type Compatibility, type License } from './license';
import {
  pageAttribution,
  type AdaptedItem,
  type AttributedItem,
  type DeclaredAuthor,
  type ImageItem,
  type QuoteItem,
} from './page';
import { assetKey, assetRecord, recordGeneration, type AssetRecord } from './records';
import { thirdPartySignals, type Signal } from './signals';
import { isDefaultAuthor, siteAttribution } from './site';
import { attributionSettings } from './settings';
import { ownUpload } from './uploads';

/**
 * Phase two of attribution: each image, quote and adapted passage of a page
 * judged against the site — is it third-party, what does its credit say
 * (records first, then the caption or credit line, then the alt text), what
 * does the credit lack, and may the site republish it under its license?
 * Rules, the report and hovers all read this one judgement.
 */

export type MergedCredit = ReturnType<typeof mergeCredits>;

export interface Assessment {
  readonly item: AttributedItem;
  /** The asset's site path or URL (images); undefined for quotes and passages. */
  readonly key?: string;
  readonly thirdParty: boolean;
  /** Why the material counts as third-party. */
  readonly reasons: readonly string[];
  readonly record?: AssetRecord;
  /** All credits found, best first (record, caption/credit line/footnote, alt). */
  readonly credits: readonly Credit[];
  readonly credit: MergedCredit;
  /** The parts of a CC attribution the credit lacks (for third-party material with a credit). */
  readonly missing: readonly CreditPart[];
  /** The license used for the verdict: stated, else implied. */
  readonly license?: License;
  readonly licenseImplied: boolean;
  readonly compatibility: Compatibility;
  /** Where findings go. */
  readonly span: Span;
}

function isRemote(url: string): boolean {
  return /^(?:https?:)?\/\//i.test(url.trim());
}

const hostOf = (u: string) =>
  /^(?:https?:)?\/\/([^/?#]+)/i
    .exec(u.trim())?.[1]
    ?.toLowerCase()
    .replace(/^www\./, '');

function onSite(url: string, siteUrl: string): boolean {
  return hostOf(url) !== undefined && hostOf(url) === hostOf(siteUrl);
}

export function assessImage(
  index: WorkspaceIndex,
  path: string,
  item: ImageItem,
  allow: readonly string[] = [],
): Assessment {
  const site = siteAttribution(index);
  const { key } = assetKey(index, path, item.url);
  const record = assetRecord(index, key);
  const reasons: string[] = [];
  const makerIsOwn = (s: Signal) => s.kind === 'maker' && s.name !== undefined && isDefaultAuthor(s.name, index);
  const fileSignals = isRemote(item.url) ? [] : thirdPartySignals(key, 'file');
  const signals = [...item.signals, ...fileSignals].filter((s) => !makerIsOwn(s));
  const nearCredits = item.credits;
  const creditByOther = nearCredits.find(
    (c) => (c.author && !isDefaultAuthor(c.author, index)) || (c.license && c.license.id !== site.license && !c.author),
  );
  let thirdParty: boolean;
  if (record?.thirdParty !== undefined) {
    thirdParty = record.thirdParty;
    reasons.push(record.thirdParty ? 'its record says it is third-party' : "its record says it is the site's own");
  } else if (record?.credit.author && !isDefaultAuthor(record.credit.author, index)) {
    thirdParty = true;
    reasons.push(`its record names ${record.credit.author}`);
  } else if (record?.credit.author) {
    thirdParty = false;
    reasons.push(`its record names the site's author`);
  } else {
    if (isRemote(item.url) && !onSite(item.url, index.config.site.url) && !ownUpload(item.url, index))
      reasons.push(`it is loaded from ${hostOf(item.url) ?? 'another site'}`);
    for (const s of signals) reasons.push(s.reason);
    if (creditByOther)
      reasons.push(
        creditByOther.author
          ? `its credit names ${creditByOther.author}`
          : "its credit names a license other than the site's",
      );
    thirdParty = reasons.length > 0;
  }
  const alt = item.altCredit && (thirdParty || signals.length) ? [item.altCredit] : [];
  const credits = [...(record ? [record.credit] : []), ...nearCredits, ...alt];
  return judge(
    index,
    item,
    { key, thirdParty, reasons, credits, ...(record ? { record } : {}), required: creditParts, allow, span: item.span },
    site.license,
  );
}

export function assessQuote(index: WorkspaceIndex, item: QuoteItem, allow: readonly string[] = []): Assessment {
  const site = siteAttribution(index);
  const long = item.words >= attributionSettings(index.config).quoteWords;
  const own = item.credits.some((c) => c.author && isDefaultAuthor(c.author, index));
  const thirdParty = long && !own;
  return judge(
    index,
    item,
    {
      thirdParty,
      reasons: thirdParty ? [`it is a block quote of ${item.words} words`] : [],
      credits: item.credits,
      required: ['Author', 'Source'],
      allow,
      span: { start: item.span.start, end: Math.min(item.span.end, item.span.start + lineLength(item)) },
    },
    site.license,
  );
}

function lineLength(item: QuoteItem): number {
  return Math.max(1, item.excerpt.length + 2);
}

export function assessAdapted(index: WorkspaceIndex, item: AdaptedItem, allow: readonly string[] = []): Assessment {
  const site = siteAttribution(index);
  const c = item.credit;
  const own = item.ownWork || (c.author !== undefined && isDefaultAuthor(c.author, index));
  const hasAny = !!(c.author || c.source || c.license || c.title);
  const credit: Credit = !c.title && c.source ? { ...c, title: c.text.split(/[,;(]/)[0]!.trim() || c.source } : c;
  return judge(
    index,
    item,
    {
      thirdParty: !own,
      reasons: own ? [] : [`it says "${item.phrase}"`],
      credits: hasAny ? [credit] : [],
      required: creditParts,
      allow,
      span: item.span,
    },
    site.license,
  );
}

function judge(
  _index: WorkspaceIndex,
  item: AttributedItem,
  p: {
    key?: string;
    thirdParty: boolean;
    reasons: string[];
    credits: readonly Credit[];
    record?: AssetRecord;
    required: readonly CreditPart[];
    allow: readonly string[];
    span: Span;
  },
  siteLicense: string,
): Assessment {
  const credit = mergeCredits(p.credits);
  const missing = p.thirdParty && p.credits.length > 0 ? missingParts(credit, p.required) : [];
  let license = credit.license;
  let implied = false;
  if (!license && credit.impliedLicense) {
    license = credit.impliedLicense;
    implied = true;
  }
  let compat = compatibility(license, siteLicense, p.allow);
  if (!license && credit.copyright !== undefined) {
    compat = {
      verdict: 'incompatible',
      reason: `it claims copyright${credit.copyright ? ` (${credit.copyright})` : ''} and names no license, so all rights are reserved: the site may not republish it under ${licenseName(siteLicense)}`,
    };
  } else if (license?.kind === 'unknown' && credit.copyright !== undefined) {
    compat = {
      verdict: 'incompatible',
      reason: `it is a copyrighted work under a license that could not be identified ("${license.raw.trim()}"), so the site cannot show that it may republish it under ${licenseName(siteLicense)}`,
    };
  }
  return {
    item,
    ...(p.key !== undefined ? { key: p.key } : {}),
    thirdParty: p.thirdParty,
    reasons: p.reasons,
    ...(p.record ? { record: p.record } : {}),
    credits: p.credits,
    credit,
    missing,
    ...(license ? { license } : {}),
    licenseImplied: implied,
    compatibility: compat,
    span: p.span,
  };
}

/** Every image, quote and adapted passage of a page, judged. Cached per index revision. */
export function assessPage(index: WorkspaceIndex, path: string, allow: readonly string[] = []): Assessment[] {
  const cacheKey = `${index.revision}.${recordGeneration(index)}\u0000${path}\u0000${allow.join(',')}`;
  let perIndex = cache.get(index);
  if (!perIndex || perIndex.config !== index.config)
    cache.set(index, (perIndex = { config: index.config, entries: new Map() }));
  const hit = perIndex.entries.get(cacheKey);
  if (hit) return hit;
  const page = pageAttribution(index.facts(path));
  const out = page.items.map((item) =>
    item.kind === 'image'
      ? assessImage(index, path, item, allow)
      : item.kind === 'quote'
        ? assessQuote(index, item, allow)
        : assessAdapted(index, item, allow),
  );
  if (perIndex.entries.size > 2000) perIndex.entries.clear();
  perIndex.entries.set(cacheKey, out);
  return out;
}

const cache = new WeakMap<WorkspaceIndex, { config: unknown; entries: Map<string, Assessment[]> }>();

export interface PageAuthors {
  readonly authors: readonly string[];
  readonly from: 'front-matter' | 'byline' | 'statement' | 'sidecar' | 'default';
  readonly declared: readonly DeclaredAuthor[];
}

/** Who wrote a page: declared authors (front matter, byline, statement, sidecar record), else the default author. */
export function pageAuthors(index: WorkspaceIndex, path: string): PageAuthors {
  const page = pageAttribution(index.facts(path));
  const record = assetRecord(index, path);
  if (page.authors.length) {
    const first = page.authors[0]!.origin;
    return { authors: [...new Set(page.authors.map((a) => a.name))], from: first, declared: page.authors };
  }
  if (record?.credit.author) return { authors: record.credit.author.split(/\s*,\s*/), from: 'sidecar', declared: [] };
  return { authors: [siteAttribution(index).defaultAuthor], from: 'default', declared: [] };
}

/** The page's own license: front matter, a statement on the page, a sidecar record, else the site's. */
export function pageLicense(
  index: WorkspaceIndex,
  path: string,
): { license?: License; id: string; from: 'front-matter' | 'statement' | 'sidecar' | 'site'; span?: Span } {
  const page = pageAttribution(index.facts(path));
  if (page.license)
    return {
      license: page.license.license,
      id: page.license.license.id,
      from: page.license.origin,
      span: page.license.span,
    };
  const record = assetRecord(index, path);
  if (record?.credit.license) return { license: record.credit.license, id: record.credit.license.id, from: 'sidecar' };
  return { id: siteAttribution(index).license, from: 'site' };
}

export function originLabel(origin: CreditOrigin): string {
  switch (origin) {
    case 'caption':
      return 'figure caption';
    case 'credit-line':
      return 'credit line';
    case 'footnote':
      return 'footnote';
    case 'alt':
      return 'alt text';
    case 'lead-in':
      return 'lead-in sentence';
    case 'sidecar':
      return 'sidecar .license file';
    case 'config':
      return '.msolrc.json record';
    default:
      return 'front matter';
  }
}
