import type { Reference } from '../facts';
import type { WorkspaceIndex } from '../workspace';
import { safeDecodeUri } from '../text';
import { fileForSitePath, parseSiteUrl } from './siteUrl';
import { matchProposalCopy } from './proposal';
import { linksConfig } from './config';

/**
 * The site's link graph, from every page's facts: each reference that reaches
 * a file of the site, by a relative link, by the site's own URL or through a
 * known copy of the proposal. Built once per index revision; references,
 * code lenses, renames and `msol links` read it.
 */

export type LinkVia = 'relative' | 'site-url' | 'copy';

export interface LinkRecord {
  /** The page the reference is written in. */
  readonly from: string;
  readonly ref: Reference;
  /** The file it reaches (a folder link reaches the folder's README.md). */
  readonly target: string;
  /** The decoded fragment, when there is one. */
  readonly fragment?: string;
  readonly via: LinkVia;
}

export interface LinkGraph {
  readonly outgoing: ReadonlyMap<string, readonly LinkRecord[]>;
  readonly incoming: ReadonlyMap<string, readonly LinkRecord[]>;
}

const caches = new WeakMap<WorkspaceIndex, { readonly revision: number; readonly graph: LinkGraph }>();

/** Where one reference leads, or undefined when it leaves the site or reaches nothing. */
export function linkTarget(
  index: WorkspaceIndex,
  from: string,
  ref: Reference,
): Omit<LinkRecord, 'from' | 'ref'> | undefined {
  const res = index.resolve(from, ref.url);
  if (res.kind === 'local') {
    if (res.exists !== 'file' && res.exists !== 'directory-readme') return undefined;
    const fragment = res.target.fragment;
    return {
      target: res.page ?? res.path,
      ...(fragment !== undefined && fragment !== '' ? { fragment } : {}),
      via: 'relative',
    };
  }
  if (res.kind !== 'external') return undefined;
  const site = parseSiteUrl(ref.url, index.config.site.url);
  if (site) {
    const file = fileForSitePath(index, site.path);
    if (file === undefined) return undefined;
    return {
      target: file,
      ...(site.rawFragment !== undefined ? { fragment: safeDecodeUri(site.rawFragment) } : {}),
      via: 'site-url',
    };
  }
  if (
    ref.kind !== 'image' &&
    ref.kind !== 'html-img' &&
    matchProposalCopy(ref.url, linksConfig(index.config).proposalCopies) !== undefined &&
    index.hasFile(index.proposalPath)
  ) {
    return { target: index.proposalPath, via: 'copy' };
  }
  return undefined;
}

export function linkGraph(index: WorkspaceIndex): LinkGraph {
  const cached = caches.get(index);
  if (cached && cached.revision === index.revision) return cached.graph;
  const outgoing = new Map<string, LinkRecord[]>();
  const incoming = new Map<string, LinkRecord[]>();
  for (const facts of [...index.allFacts()].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!index.hasFile(facts.path)) continue;
    const out: LinkRecord[] = [];
    for (const ref of facts.references) {
      const t = linkTarget(index, facts.path, ref);
      if (!t) continue;
      const record: LinkRecord = { from: facts.path, ref, ...t };
      out.push(record);
      let list = incoming.get(record.target);
      if (!list) incoming.set(record.target, (list = []));
      list.push(record);
    }
    outgoing.set(facts.path, out);
  }
  const graph = { outgoing, incoming };
  caches.set(index, { revision: index.revision, graph });
  return graph;
}

/** Whether a link's fragment names a heading slug (GitBook anchors are compared decoded and lower-cased). */
export function fragmentMatches(fragment: string | undefined, slug: string): boolean {
  if (fragment === undefined) return false;
  return fragment === slug || safeDecodeUri(fragment).toLowerCase() === slug;
}
