import type { Span, TextEdit } from '../types';
import type { FileFacts } from '../facts';
import type { WorkspaceIndex } from '../workspace';
import type { HoverResult } from './types';
import { assessPage, pageAuthors, pageLicense, type Assessment } from '../attribution/assess';
import { creditWhere, describeMissing, itemLabel } from '../attribution/describe';
import { licenseName, licenseUrl, normaliseLicense, type Verdict } from '../attribution/license';
import { pageAttribution, type ImageItem } from '../attribution/page';
import { sidecarContent } from '../attribution/records';
import { siteAttribution } from '../attribution/site';

/**
 * Attribution features as engine data, for the language server and the CLI:
 * the "Add attribution…" edit, the sidecar file it may write instead, the
 * site-wide attribution report with its Markdown, JSON and CSV formatters,
 * and the hover on an image. Pure functions over the index and a page's text.
 */

/** What "Add attribution…" asks for. */
export interface AttributionInput {
  readonly title: string;
  readonly author: string;
  /** A link to the work. */
  readonly sourceUrl: string;
  /** An SPDX id or a license name ("CC BY 4.0", "CC0-1.0", "public domain"). */
  readonly license: string;
}

/** Licenses offered in the quick pick, most useful first. */
export const commonLicenses: readonly { readonly id: string; readonly label: string; readonly detail: string }[] = [
  { id: 'CC-BY-4.0', label: 'CC BY 4.0', detail: 'Attribution — compatible' },
  { id: 'CC-BY-SA-4.0', label: 'CC BY-SA 4.0', detail: "Attribution-ShareAlike — the site's own license" },
  { id: 'CC0-1.0', label: 'CC0 1.0', detail: 'Public domain dedication — compatible' },
  { id: 'LicenseRef-PublicDomain', label: 'Public domain', detail: 'No copyright (e.g. old paintings) — compatible' },
  { id: 'CC-BY-2.0', label: 'CC BY 2.0', detail: 'Attribution 2.0 (Flickr) — compatible' },
  { id: 'CC-BY-SA-3.0', label: 'CC BY-SA 3.0', detail: 'Attribution-ShareAlike 3.0 (Wikimedia) — compatible' },
  { id: 'CC-BY-NC-4.0', label: 'CC BY-NC 4.0', detail: 'NonCommercial — incompatible with CC-BY-SA' },
  { id: 'CC-BY-ND-4.0', label: 'CC BY-ND 4.0', detail: 'NoDerivatives — incompatible with CC-BY-SA' },
  {
    id: 'LicenseRef-Unsplash',
    label: 'Unsplash License',
    detail: 'Free to use, not relicensable — incompatible with CC-BY-SA',
  },
  {
    id: 'LicenseRef-AllRightsReserved',
    label: 'All rights reserved',
    detail: 'Incompatible without a license from the owner',
  },
];

export interface AttributionEdit {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Where the credit went: a figure caption, or an italic line after the image. */
  readonly style: 'caption' | 'line';
}

/** The image of a page at an offset (anywhere on its construct or its credit line). */
export function imageAt(facts: FileFacts | undefined, offset: number): ImageItem | undefined {
  for (const item of pageAttribution(facts).items) {
    if (item.kind !== 'image') continue;
    const inFigure = item.figure && item.figure.span.start <= offset && offset <= item.figure.span.end;
    const inLine = item.creditLine && item.creditLine.start <= offset && offset <= item.creditLine.end;
    if ((item.span.start <= offset && offset <= item.span.end) || inFigure || inLine) return item;
  }
  return undefined;
}

function escapeMarkdown(s: string): string {
  return s
    .replace(/([\\`*_[\]<>])/g, '\\$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeUrl(u: string): string {
  return u.trim().replace(/[ ()<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** A credit in the Creative Commons recommended form, as Markdown: `"[Title](source)" by Author is licensed under [CC BY 4.0](…).` */
export function creditMarkdown(input: AttributionInput): string {
  const lic = normaliseLicense(input.license);
  const name = lic.kind === 'unknown' ? input.license.trim() : lic.name;
  const url = lic.url ?? licenseUrl(lic.id);
  const title = input.title.trim()
    ? input.sourceUrl.trim()
      ? `"[${escapeMarkdown(input.title)}](${escapeUrl(input.sourceUrl)})"`
      : `"${escapeMarkdown(input.title)}"`
    : input.sourceUrl.trim()
      ? `[Source](${escapeUrl(input.sourceUrl)})`
      : 'Image';
  const by = input.author.trim() ? ` by ${escapeMarkdown(input.author)}` : '';
  const license = /public domain/i.test(name)
    ? ' is in the public domain'
    : ` is licensed under ${url ? `[${escapeMarkdown(name)}](${url})` : escapeMarkdown(name)}`;
  return `${title}${by}${license}.`;
}

/** The same credit as HTML, for a `<figcaption>`. */
export function creditHtml(input: AttributionInput): string {
  const lic = normaliseLicense(input.license);
  const name = lic.kind === 'unknown' ? input.license.trim() : lic.name;
  const url = lic.url ?? licenseUrl(lic.id);
  const title = input.title.trim()
    ? input.sourceUrl.trim()
      ? `"<a href="${escapeHtml(input.sourceUrl)}">${escapeHtml(input.title)}</a>"`
      : `"${escapeHtml(input.title)}"`
    : input.sourceUrl.trim()
      ? `<a href="${escapeHtml(input.sourceUrl)}">Source</a>`
      : 'Image';
  const by = input.author.trim() ? ` by ${escapeHtml(input.author)}` : '';
  const license = /public domain/i.test(name)
    ? ' is in the public domain'
    : ` is licensed under ${url ? `<a href="${escapeHtml(url)}">${escapeHtml(name)}</a>` : escapeHtml(name)}`;
  return `<p>${title}${by}${license}.</p>`;
}

/**
 * "Add attribution…": the edit that writes a complete credit right after the
 * image at `offset`, in the site's style — the `<figcaption>` of a GitBook
 * figure, an italic line otherwise. An existing credit line or caption is
 * replaced, not duplicated. `text` is the page's current text (the one the
 * facts were made from). undefined when no image is at the offset.
 */
export function addAttributionEdit(
  text: string,
  facts: FileFacts,
  offset: number,
  input: AttributionInput,
): AttributionEdit | undefined {
  const item = imageAt(facts, offset);
  if (!item) return undefined;
  if (item.figure) {
    const html = creditHtml(input);
    if (item.figure.captionSpan) {
      return {
        title: 'Write the credit into the figure caption',
        style: 'caption',
        edits: [{ start: item.figure.captionSpan.start, end: item.figure.captionSpan.end, newText: html }],
      };
    }
    return {
      title: 'Add a figure caption with the credit',
      style: 'caption',
      edits: [{ start: item.figure.closeAt, end: item.figure.closeAt, newText: `<figcaption>${html}</figcaption>` }],
    };
  }
  const line = `_${creditMarkdown(input)}_`;
  if (item.creditLine) {
    return {
      title: 'Replace the credit line with a complete credit',
      style: 'line',
      edits: [{ start: item.creditLine.start, end: item.creditLine.end, newText: line }],
    };
  }
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lineStart = text.lastIndexOf('\n', item.span.start - 1) + 1;
  const prefix = text.slice(lineStart, item.span.start);
  // Stay inside the list item or block quote the image stands in.
  const indent = /^[ \t]*(?:(?:[*+-]|\d+[.)])[ \t]+)?$/.test(prefix)
    ? prefix.replace(/\S/g, ' ')
    : /^[ \t>]*$/.test(prefix)
      ? prefix
      : '';
  const blank = indent.includes('>') ? indent.trimEnd() : '';
  return {
    title: 'Add a credit line after the image',
    style: 'line',
    edits: [{ start: item.insertAt, end: item.insertAt, newText: `${eol}${blank}${eol}${indent}${line}` }],
  };
}

/**
 * The other way to record a credit, for an asset used on many pages: a REUSE
 * sidecar next to it. Returns the file's site path and text; the host writes it.
 */
export function attributionSidecar(
  index: WorkspaceIndex,
  pagePath: string,
  imageUrl: string,
  input: AttributionInput,
): { readonly path: string; readonly text: string } | undefined {
  const res = index.resolve(pagePath, imageUrl);
  if (res.kind !== 'local') return undefined;
  return {
    path: `${res.path}.license`,
    text: sidecarContent({ title: input.title, author: input.author, source: input.sourceUrl, license: input.license }),
  };
}

// ---------------------------------------------------------------- report

export interface ReportLicense {
  readonly id: string;
  readonly name: string;
  readonly url?: string;
  /** Only implied ("on Unsplash"), not stated. */
  readonly implied: boolean;
}

export interface ReportUse {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** Missing parts of the credit at this use. */
  readonly missing: readonly string[];
  readonly credited: boolean;
}

export interface ReportItem {
  readonly kind: 'image' | 'quote' | 'adapted';
  /** Site path or URL for images; `page:line` for quotes and passages. */
  readonly key: string;
  readonly label: string;
  readonly thirdParty: boolean;
  readonly reasons: readonly string[];
  readonly title?: string;
  readonly author?: string;
  readonly source?: string;
  readonly license?: ReportLicense;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly missing: readonly string[];
  /** Where the credit was read from. */
  readonly creditFrom?: string;
  readonly recorded: boolean;
  readonly uses: readonly ReportUse[];
}

export interface ReportPage {
  readonly path: string;
  readonly title?: string;
  readonly authors: readonly string[];
  readonly authorsFrom: string;
  readonly license: string;
  readonly licenseName: string;
  readonly licenseFrom: string;
}

export interface AttributionReport {
  readonly site: {
    readonly license: string;
    readonly licenseName: string;
    readonly licenseUrl?: string;
    readonly licenseFrom: string;
    readonly defaultAuthor: string;
    readonly authorFrom: string;
  };
  /** Every asset (images, third-party and the site's own), and every third-party quote and adapted passage. */
  readonly items: readonly ReportItem[];
  readonly pages: readonly ReportPage[];
  readonly summary: {
    readonly assets: number;
    readonly thirdParty: number;
    readonly compatible: number;
    readonly incompatible: number;
    readonly unknown: number;
    readonly incomplete: number;
    readonly uncredited: number;
  };
}

function toItem(a: Assessment, path: string): ReportItem {
  const item = a.item;
  const c = a.credit;
  const verdict: Verdict = a.thirdParty ? a.compatibility.verdict : 'compatible';
  const use: ReportUse = { path, line: item.line + 1, missing: a.missing, credited: a.credits.length > 0 };
  return {
    kind: item.kind,
    key: item.kind === 'image' ? (a.key ?? item.url) : `${path}:${item.line + 1}`,
    label: itemLabel(a),
    thirdParty: a.thirdParty,
    reasons: a.reasons,
    ...(c.title ? { title: c.title } : {}),
    ...(c.author ? { author: c.author } : {}),
    ...(c.source ? { source: c.source } : {}),
    ...(a.license
      ? {
          license: {
            id: a.license.id || a.license.raw,
            name: a.license.name,
            ...(a.license.url ? { url: a.license.url } : {}),
            implied: a.licenseImplied,
          },
        }
      : {}),
    verdict,
    reason: a.thirdParty ? a.compatibility.reason : "the site's own material, under the site's license",
    missing: a.thirdParty ? (a.credits.length ? a.missing : ['Title', 'Author', 'Source', 'License']) : [],
    ...(a.credits.length ? { creditFrom: creditWhere(a) } : {}),
    recorded: a.record !== undefined,
    uses: [use],
  };
}

function completeness(i: ReportItem): number {
  return (i.uses[0]!.credited ? 10 : 0) - i.missing.length;
}

/**
 * The attribution report: every asset with its credit, license, verdict and
 * the pages using it; every third-party quote and adapted passage; every page
 * with its authors. `scope` limits pages to a folder or file (site path prefix).
 */
export function attributionReport(index: WorkspaceIndex, options: { readonly scope?: string } = {}): AttributionReport {
  const site = siteAttribution(index);
  const scope = options.scope?.replace(/^\.\/?/, '').replace(/\/+$/, '');
  const pages = index.pages().filter((p) => !scope || p === scope || p.startsWith(scope + '/'));
  const byKey = new Map<string, ReportItem>();
  const passages: ReportItem[] = [];
  const pageRows: ReportPage[] = [];
  for (const path of pages) {
    const facts = index.facts(path);
    if (!facts) continue;
    for (const a of assessPage(index, path)) {
      const item = toItem(a, path);
      if (a.item.kind !== 'image') {
        if (a.thirdParty) passages.push(item);
        continue;
      }
      const prev = byKey.get(item.key);
      if (!prev) {
        byKey.set(item.key, item);
        continue;
      }
      const best = completeness(item) > completeness(prev) ? item : prev;
      byKey.set(item.key, {
        ...best,
        thirdParty: prev.thirdParty || item.thirdParty,
        reasons: [...new Set([...prev.reasons, ...item.reasons])],
        uses: [...prev.uses, ...item.uses],
      });
    }
    const authors = pageAuthors(index, path);
    const lic = pageLicense(index, path);
    pageRows.push({
      path,
      ...(facts.title ? { title: facts.title } : {}),
      authors: authors.authors,
      authorsFrom: authors.from === 'default' ? 'default author' : authors.from,
      license: lic.id || lic.license?.raw || '',
      licenseName: lic.license ? lic.license.name : licenseName(lic.id),
      licenseFrom: lic.from,
    });
  }
  const images = [...byKey.values()].sort(
    (a, b) => Number(b.thirdParty) - Number(a.thirdParty) || a.key.localeCompare(b.key),
  );
  const items = [...images, ...passages];
  const third = items.filter((i) => i.thirdParty);
  const url = licenseUrl(site.license);
  return {
    site: {
      license: site.license,
      licenseName: licenseName(site.license),
      ...(url ? { licenseUrl: url } : {}),
      licenseFrom: site.licenseFrom,
      defaultAuthor: site.defaultAuthor,
      authorFrom: site.authorFrom,
    },
    items,
    pages: pageRows,
    summary: {
      assets: images.length,
      thirdParty: third.length,
      compatible: third.filter((i) => i.verdict === 'compatible').length,
      incompatible: third.filter((i) => i.verdict === 'incompatible').length,
      unknown: third.filter((i) => i.verdict === 'unknown').length,
      incomplete: third.filter((i) => i.uses.some((u) => u.credited) && i.missing.length > 0).length,
      uncredited: third.filter((i) => i.uses.every((u) => !u.credited)).length,
    },
  };
}

function cell(s: string | undefined): string {
  return (s ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim() || '—';
}

const verdictLabel: Record<Verdict, string> = {
  compatible: '✓ compatible',
  incompatible: '✗ incompatible',
  unknown: '? unknown',
};

/** The report as a Markdown document (for a credits page, or beside the editor). `linkTo` writes a link to a page (default: its site path). */
export function formatAttributionMarkdown(
  report: AttributionReport,
  options: { readonly linkTo?: (path: string, line?: number) => string } = {},
): string {
  const linkTo = options.linkTo ?? ((path: string) => encodeURI(path));
  const s = report.site;
  const out: string[] = [];
  out.push('# Attribution report', '');
  out.push(
    `Site license: ${s.licenseUrl ? `[${s.licenseName}](${s.licenseUrl})` : s.licenseName} (from ${s.licenseFrom}). Default author: ${s.defaultAuthor} (from ${s.authorFrom}).`,
    '',
  );
  const m = report.summary;
  out.push(
    `${m.assets} assets, ${m.thirdParty} third-party items: ${m.compatible} compatible, ${m.incompatible} incompatible, ${m.unknown} unknown; ${m.incomplete} with an incomplete credit, ${m.uncredited} without credit.`,
    '',
  );
  const third = report.items.filter((i) => i.thirdParty);
  out.push('## Third-party material', '');
  if (third.length === 0) out.push('None found.', '');
  else {
    out.push(
      '| Material | Title | Author | Source | License | Verdict | Missing | Used on |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const i of third) {
      const lic = i.license
        ? `${i.license.url ? `[${cell(i.license.name)}](${i.license.url})` : cell(i.license.name)}${i.license.implied ? ' (implied)' : ''}`
        : '—';
      const src = i.source ? `[link](${i.source})` : '—';
      const uses = i.uses.map((u) => `[${u.path}:${u.line}](${linkTo(u.path, u.line)})`).join(', ');
      out.push(
        `| ${cell(i.kind === 'image' ? `\`${i.key}\`` : i.label)} | ${cell(i.title)} | ${cell(i.author)} | ${src} | ${lic} | ${verdictLabel[i.verdict]}: ${cell(i.reason)} | ${cell(i.missing.join(', '))} | ${uses} |`,
      );
    }
    out.push('');
  }
  const own = report.items.filter((i) => !i.thirdParty);
  out.push("## The site's own assets", '');
  if (own.length === 0) out.push('None found.', '');
  else for (const i of own) out.push(`- \`${i.key}\` — used on ${i.uses.map((u) => `${u.path}:${u.line}`).join(', ')}`);
  if (own.length) out.push('');
  out.push('## Pages and authors', '', '| Page | Authors | License |', '|---|---|---|');
  for (const p of report.pages)
    out.push(
      `| [${cell(p.title ?? p.path)}](${linkTo(p.path)}) | ${cell(p.authors.join(', '))} (${p.authorsFrom}) | ${cell(p.licenseName)}${p.licenseFrom === 'site' ? '' : ` (${p.licenseFrom})`} |`,
    );
  out.push('');
  return out.join('\n');
}

export function formatAttributionJson(report: AttributionReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function csv(value: string | number | boolean | undefined): string {
  const s = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per item and per page (RFC 4180, CRLF line ends). */
export function formatAttributionCsv(report: AttributionReport): string {
  const rows: (string | number | boolean | undefined)[][] = [
    [
      'kind',
      'key',
      'third_party',
      'title',
      'author',
      'source',
      'license',
      'license_name',
      'verdict',
      'reason',
      'missing',
      'pages',
    ],
  ];
  for (const i of report.items) {
    rows.push([
      i.kind,
      i.key,
      i.thirdParty,
      i.title,
      i.author,
      i.source,
      i.license?.id,
      i.license ? `${i.license.name}${i.license.implied ? ' (implied)' : ''}` : undefined,
      i.verdict,
      i.reason,
      i.missing.join('; '),
      i.uses.map((u) => `${u.path}:${u.line}`).join('; '),
    ]);
  }
  for (const p of report.pages)
    rows.push([
      'page',
      p.path,
      false,
      p.title,
      p.authors.join('; '),
      undefined,
      p.license,
      p.licenseName,
      'compatible',
      `authors from ${p.authorsFrom}; license from ${p.licenseFrom}`,
      '',
      p.path,
    ]);
  return rows.map((r) => r.map(csv).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------- what is known

/** What the checks read of the credit of the image at `offset` ("Add attribution…" starts from it); undefined when no image is there. */
export function knownCredit(
  index: WorkspaceIndex,
  path: string,
  offset: number,
):
  | {
      title?: string;
      author?: string;
      source?: string;
      license?: { id: string; name: string; implied: boolean };
      from?: string;
    }
  | undefined {
  const item = imageAt(index.facts(path), offset);
  if (!item) return undefined;
  const a =
    assessPage(index, path).find((x) => x.item === item) ??
    assessPage(index, path).find((x) => x.item.span.start === item.span.start);
  if (!a) return {};
  const c = a.credit;
  return {
    ...(c.title ? { title: c.title } : {}),
    ...(c.author ? { author: c.author } : {}),
    ...(c.source ? { source: c.source } : {}),
    ...(a.license && a.license.kind !== 'unknown'
      ? { license: { id: a.license.id || a.license.raw, name: a.license.name, implied: a.licenseImplied } }
      : {}),
    ...(a.credits.length ? { from: creditWhere(a) } : {}),
  };
}

// ---------------------------------------------------------------- hover

/** Hover on an image: its credit and whether the site may republish it. */
export function attributionHover(index: WorkspaceIndex, path: string, offset: number): HoverResult | undefined {
  const facts = index.facts(path);
  const item = imageAt(facts, offset);
  if (!item) return undefined;
  const a =
    assessPage(index, path).find((x) => x.item === item) ??
    assessPage(index, path).find((x) => x.item.span.start === item.span.start);
  if (!a) return undefined;
  const site = siteAttribution(index);
  const lines: string[] = [];
  if (!a.thirdParty) {
    lines.push(
      `**The site's own image** — by ${site.defaultAuthor}, under ${licenseName(site.license)}; no credit needed.`,
    );
  } else {
    const c = a.credit;
    lines.push(`**Third-party image** (${a.reasons.join('; ')})`, '');
    lines.push(
      `- Title: ${c.title ?? '—'}`,
      `- Author: ${c.author ?? '—'}`,
      `- Source: ${c.source ? `[${c.source}](${c.source})` : '—'}`,
      `- License: ${a.license ? `${a.license.name}${a.licenseImplied ? ' (implied, not stated)' : ''}` : '—'}`,
    );
    lines.push('');
    if (a.credits.length === 0) lines.push('No credit found.');
    else lines.push(`Credit from the ${creditWhere(a)}.${a.missing.length ? ` Missing: ${describeMissing(a)}.` : ''}`);
    const v = a.compatibility;
    lines.push('', `${verdictLabel[v.verdict]} with the site's ${licenseName(site.license)}: ${v.reason}`);
  }
  const span: Span = item.span;
  return { markdown: lines.join('\n'), span };
}
