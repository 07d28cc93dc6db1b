import type { Project } from '../project';
import type { Reference } from '../facts';
import { lineOf } from '../facts';
import { isMarkdownPath } from '../paths';
import { safeDecodeUri } from '../text';
import { fragmentMatches, linkGraph } from './graph';
import { parseSiteUrl } from './siteUrl';
import { matchProposalCopy } from './proposal';
import { linksConfig } from './config';
import { isOrphanPage, summaryListing } from './summary';
import { pageLinkKinds } from './urls';

/**
 * `msol links [path]`: the site's link graph in numbers and lists: pages,
 * links, broken links, pages SUMMARY.md does not list, and pages from which
 * no chain of links reaches the proposal. Pure data plus two formatters.
 */

export type BrokenReason =
  'missing-file' | 'missing-heading' | 'folder-without-readme' | 'outside-site' | 'unknown-site-url';

export interface BrokenLink {
  readonly path: string;
  /** 1-based, like the CLI's other output. */
  readonly line: number;
  readonly column: number;
  readonly url: string;
  readonly reason: BrokenReason;
}

export interface PageSummary {
  readonly path: string;
  readonly title?: string;
  /** Links from this page to other files of the site (images included). */
  readonly outgoing: number;
  /** Links from other pages to this one (SUMMARY.md not counted). */
  readonly incoming: number;
  readonly inSummary: boolean;
  readonly reachesProposal: boolean;
}

export interface LinksReport {
  /** The folder or page the report is limited to ('' for the whole site). */
  readonly scope: string;
  readonly proposal: string;
  readonly proposalExists: boolean;
  readonly summaryExists: boolean;
  readonly pages: number;
  readonly links: {
    readonly total: number;
    /** Relative (or root-absolute) links, images and GitBook paths. */
    readonly local: number;
    /** Links to the site's own URL (`link-site-absolute`). */
    readonly siteAbsolute: number;
    /** Links to an external copy of the proposal. */
    readonly proposalCopies: number;
    readonly external: number;
    readonly broken: number;
  };
  readonly broken: readonly BrokenLink[];
  readonly orphans: readonly string[];
  /** Pages from which no chain of links (not images) reaches the proposal. */
  readonly unreachable: readonly string[];
  readonly perPage: readonly PageSummary[];
}

export interface LinksReportOptions {
  /** Limit the lists to a page or a folder (site-relative); the graph is still the whole site's. */
  readonly scope?: string;
}

export function linksReport(project: Project, options: LinksReportOptions = {}): LinksReport {
  const index = project.index;
  const scope = (options.scope ?? '').replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const inScope = (p: string) => scope === '' || p === scope || p.startsWith(scope + '/');
  const proposal = index.proposalPath;
  const proposalExists = index.hasFile(proposal);
  const graph = linkGraph(index);
  const pages = index.pages().filter((p) => index.facts(p) !== undefined);
  const copies = linksConfig(index.config).proposalCopies;

  // Who reaches the proposal: walk the page links backwards from it.
  const reaches = new Set<string>();
  if (proposalExists) {
    const queue = [proposal];
    reaches.add(proposal);
    while (queue.length) {
      const p = queue.shift()!;
      for (const r of graph.incoming.get(p) ?? []) {
        if (!pageLinkKinds.has(r.ref.kind) || r.from === index.summaryPath || reaches.has(r.from)) continue;
        reaches.add(r.from);
        queue.push(r.from);
      }
    }
  }

  let total = 0;
  let local = 0;
  let siteAbsolute = 0;
  let proposalCopies = 0;
  let external = 0;
  const broken: BrokenLink[] = [];
  for (const path of pages) {
    if (!inScope(path)) continue;
    const facts = index.facts(path)!;
    const at = (ref: Reference, url: string, reason: BrokenReason) => {
      const line = lineOf(facts.lineStarts, ref.urlSpan.start);
      broken.push({ path, line: line + 1, column: ref.urlSpan.start - facts.lineStarts[line]! + 1, url, reason });
    };
    for (const ref of facts.references) {
      total++;
      const res = index.resolve(path, ref.url);
      if (res.kind === 'outside') {
        local++;
        at(ref, ref.url, 'outside-site');
        continue;
      }
      if (res.kind === 'local') {
        local++;
        if (res.exists === 'missing') at(ref, ref.url, 'missing-file');
        else if (res.exists === 'directory') at(ref, ref.url, 'folder-without-readme');
        else if (missingHeading(index, ref, res.page, res.target.fragment)) at(ref, ref.url, 'missing-heading');
        continue;
      }
      const site = parseSiteUrl(ref.url, index.config.site.url);
      if (site && ref.kind !== 'embed') {
        siteAbsolute++;
        const record = (graph.outgoing.get(path) ?? []).find((r) => r.ref === ref);
        if (!record) at(ref, ref.url, 'unknown-site-url');
        else if (missingHeading(index, ref, record.target, record.fragment)) at(ref, ref.url, 'missing-heading');
        continue;
      }
      if (matchProposalCopy(ref.url, copies) !== undefined) proposalCopies++;
      else external++;
    }
  }

  const listing = summaryListing(index);
  const perPage: PageSummary[] = pages.filter(inScope).map((path) => {
    const facts = index.facts(path)!;
    return {
      path,
      ...(facts.title !== undefined ? { title: facts.title } : {}),
      outgoing: (graph.outgoing.get(path) ?? []).filter((r) => r.target !== path).length,
      incoming: (graph.incoming.get(path) ?? []).filter((r) => r.from !== path && r.from !== index.summaryPath).length,
      inSummary: listing?.listed.has(path) ?? false,
      reachesProposal: reaches.has(path),
    };
  });
  const unreachable = pages.filter((p) => inScope(p) && p !== proposal && p !== index.summaryPath && !reaches.has(p));
  return {
    scope,
    proposal,
    proposalExists,
    summaryExists: listing !== undefined,
    pages: perPage.length,
    links: { total, local, siteAbsolute, proposalCopies, external, broken: broken.length },
    broken,
    orphans: pages.filter((p) => inScope(p) && isOrphanPage(index, p)),
    unreachable,
    perPage,
  };
}

function missingHeading(
  index: Project['index'],
  ref: Reference,
  page: string | undefined,
  fragment: string | undefined,
): boolean {
  if (fragment === undefined || fragment === '' || !page || !isMarkdownPath(page)) return false;
  if (ref.kind === 'image' || ref.kind === 'html-img' || ref.kind === 'embed' || ref.kind === 'file') return false;
  const target = index.facts(page);
  if (!target) return false;
  return !target.anchors.some(
    (a) => a === fragment || fragmentMatches(fragment, a) || a === safeDecodeUri(fragment).toLowerCase(),
  );
}

const reasonText: Record<BrokenReason, string> = {
  'missing-file': 'missing file',
  'missing-heading': 'missing heading',
  'folder-without-readme': 'folder without README.md',
  'outside-site': 'outside the site',
  'unknown-site-url': 'no page at this URL of the site',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The report as the terminal shows it. */
export function formatLinksText(report: LinksReport): string {
  const out: string[] = [];
  const l = report.links;
  out.push(
    `${report.scope ? `${report.scope}: ` : ''}${plural(report.pages, 'page')}, ${plural(l.total, 'link')} (${l.local} local, ${l.external} external, ${l.siteAbsolute} to the site's own URL, ${l.proposalCopies} to copies of the proposal)`,
  );
  const list = (title: string, items: readonly string[], none: string) => {
    out.push('');
    if (items.length === 0) {
      out.push(`${title}: ${none}`);
      return;
    }
    out.push(`${title} (${items.length}):`);
    for (const i of items) out.push(`  ${i}`);
  };
  list(
    'Broken links',
    report.broken.map((b) => `${b.path}:${b.line}:${b.column}  ${b.url}  ${reasonText[b.reason]}`),
    'none',
  );
  if (report.summaryExists) list('Pages SUMMARY.md does not list', report.orphans, 'none');
  else {
    out.push('');
    out.push('Pages SUMMARY.md does not list: no SUMMARY.md (GitBook builds the menu from the files)');
  }
  if (report.proposalExists)
    list(`Pages that never reach the proposal (${report.proposal}) through links`, report.unreachable, 'none');
  else {
    out.push('');
    out.push(
      report.proposal
        ? `Pages that never reach the proposal: the proposal (${report.proposal}) does not exist`
        : 'Pages that never reach the proposal: the site has no hub page (`site.proposal` in .msolrc.json)',
    );
  }
  return out.join('\n') + '\n';
}

/** The report as JSON (stable key order, two-space indent, final newline). */
export function formatLinksJson(report: LinksReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
