import type { MsolConfig } from '../config/config';
import { parseLocalUrl } from '../facts';
import { dirname, resolvePath } from '../paths';
import { layoutUrl, parseSiteUrl } from './siteUrl';
import { linksConfig } from './config';

/**
 * What counts as a link to the proposal: a relative (or root-absolute) link
 * to its file, a link to its published URL, or a link to one of its known
 * external copies. Pure path arithmetic: no index needed, so document rules
 * can use it in phase one.
 */

export function proposalPath(config: MsolConfig): string {
  if (!config.site.proposal) return '';
  const root = config.site.root;
  return root ? `${root}/${config.site.proposal}` : config.site.proposal;
}

interface NormalisedUrl {
  readonly host: string;
  readonly path: string;
}

function normalise(url: string): NormalisedUrl | undefined {
  if (!/^https?:\/\//i.test(url.trim())) return undefined;
  try {
    const u = new URL(url.trim());
    return {
      host: u.hostname.toLowerCase().replace(/^www\./, ''),
      path: decodeURI(u.pathname).replace(/\/+$/, '').toLowerCase(),
    };
  } catch {
    return undefined;
  }
}

/** A Medium post's id: the hex at the end of its slug (`…-87bc81372a09`) or after `/p/`. */
function mediumPostId(u: NormalisedUrl): string | undefined {
  if (u.host !== 'medium.com' && !u.host.endsWith('.medium.com')) return undefined;
  const m = /(?:^|\/p\/|-)([0-9a-f]{8,16})$/.exec(u.path);
  return m?.[1];
}

/**
 * The configured copy a URL points at, or undefined. Scheme, `www.`, query,
 * fragment and a trailing slash do not matter; Medium posts match by their
 * post id, so `medium.com/p/<id>` and a renamed slug still count.
 */
export function matchProposalCopy(url: string, copies: readonly string[]): string | undefined {
  const u = normalise(url);
  if (!u) return undefined;
  const uId = mediumPostId(u);
  for (const copy of copies) {
    const c = normalise(copy);
    if (!c) continue;
    if (c.host === u.host && c.path === u.path) return copy;
    const cId = mediumPostId(c);
    if (uId && cId && uId === cId) return copy;
  }
  return undefined;
}

/** The name a reader would call a copy's site by: `medium.com` → `Medium`. */
export function copySiteName(copy: string): string | undefined {
  const u = normalise(copy);
  if (!u) return undefined;
  const labels = u.host.split('.');
  const name = labels.length >= 2 ? labels[labels.length - 2]! : labels[0]!;
  return name ? name[0]!.toUpperCase() + name.slice(1) : undefined;
}

/** Whether a URL written in `fromPath` points at the proposal (its file, its site URL or a known copy). */
export function pointsAtProposal(url: string, fromPath: string, config: MsolConfig): boolean {
  const proposal = proposalPath(config);
  const local = parseLocalUrl(url);
  if (local) {
    if (local.path === '') return fromPath === proposal;
    const rooted = local.path.startsWith('/');
    const resolved = resolvePath(
      rooted ? config.site.root : dirname(fromPath),
      rooted ? local.path.replace(/^\/+/, '') : local.path,
    );
    return resolved === proposal;
  }
  const site = parseSiteUrl(url, config.site.url);
  if (site) {
    const root = config.site.root;
    const inRoot = root ? proposal.slice(root.length + 1) : proposal;
    return site.path.toLowerCase() === layoutUrl(inRoot).toLowerCase() || site.path === inRoot;
  }
  return matchProposalCopy(url, linksConfig(config).proposalCopies) !== undefined;
}
