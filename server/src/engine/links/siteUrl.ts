import type { SummaryEntry, WorkspaceIndex } from '../workspace';
import { basename, dirname, isMarkdownPath } from '../paths';
import { safeDecodeUri } from '../text';
import { htmlLinksArePages } from '../site/kind';

/**
 * The site's own published URLs (`https://www.microsolidarity.cc/articles/proposal`)
 * and the pages they are served from. GitBook serves `x.md` at `/x` and
 * `x/README.md` at `/x`; a page nested in `SUMMARY.md` may also be served
 * under its parents' path. Pure: works on the index only.
 */

export interface SiteUrlPath {
  /** The URL's path below the site's base, decoded, without leading or trailing slashes ('' for the home page). */
  readonly path: string;
  /** The fragment as written (without `#`), when there is one. */
  readonly rawFragment?: string;
}

function hostKey(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}

/** The path of a URL on the site (`http` or `https`, with or without `www.`), or undefined for any other URL. */
export function parseSiteUrl(url: string, siteUrl: string): SiteUrlPath | undefined {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  let u: URL;
  let base: URL;
  try {
    u = new URL(trimmed);
    base = new URL(siteUrl);
  } catch {
    return undefined;
  }
  if (hostKey(u.hostname) !== hostKey(base.hostname) || (base.port && u.port !== base.port)) return undefined;
  const basePath = base.pathname.replace(/\/+$/, '');
  let p = u.pathname;
  if (basePath) {
    if (p !== basePath && !p.startsWith(basePath + '/')) return undefined;
    p = p.slice(basePath.length);
  }
  const hash = trimmed.indexOf('#');
  const rawFragment = hash < 0 ? undefined : trimmed.slice(hash + 1);
  return {
    path: safeDecodeUri(p).replace(/^\/+|\/+$/g, ''),
    ...(rawFragment !== undefined && rawFragment !== '' ? { rawFragment } : {}),
  };
}

interface UrlMapCache {
  /** What the map is made of: the file layout (and config) and SUMMARY.md's entries; not the text of other pages. */
  readonly layoutRevision: number;
  readonly summary: readonly SummaryEntry[];
  readonly map: ReadonlyMap<string, string>;
}
const caches = new WeakMap<WorkspaceIndex, UrlMapCache>();

/**
 * Every page's URL path (lower-cased): from the file layout first, then from
 * the nesting of SUMMARY.md for pages the layout does not explain.
 */
export function siteUrlMap(index: WorkspaceIndex): ReadonlyMap<string, string> {
  const cached = caches.get(index);
  const summary = index.summary();
  if (cached && cached.layoutRevision === index.layoutRevision && cached.summary === summary) return cached.map;
  const root = index.config.site.root;
  const map = new Map<string, string>();
  const rel = (p: string) => (root ? p.slice(root.length + 1) : p);
  const inRoot = (p: string) => !root || p.startsWith(root + '/');
  for (const page of index.pages()) {
    if (!inRoot(page)) continue;
    const url = layoutUrl(rel(page));
    if (!map.has(url.toLowerCase()) || basename(page) !== 'README.md') map.set(url.toLowerCase(), page);
  }
  map.set('', index.readmePath);
  // SUMMARY.md nesting: a child is served under its parent's path.
  const stack: { depth: number; url: string }[] = [];
  for (const entry of summary) {
    while (stack.length && stack[stack.length - 1]!.depth >= entry.depth) stack.pop();
    if (!entry.path || !isMarkdownPath(entry.path) || !inRoot(entry.path)) continue;
    const own = layoutUrl(rel(entry.path));
    const segment = basename(own) || basename(dirname(rel(entry.path)));
    const parent = stack[stack.length - 1]?.url;
    const url =
      entry.path === index.readmePath ? '' : parent !== undefined && parent !== '' ? `${parent}/${segment}` : own;
    if (!map.has(url.toLowerCase())) map.set(url.toLowerCase(), entry.path);
    stack.push({ depth: entry.depth, url });
  }
  caches.set(index, { layoutRevision: index.layoutRevision, summary, map });
  return map;
}

/** `articles/proposal.md` → `articles/proposal`; `crewing/README.md` → `crewing`; `README.md` → ''. */
export function layoutUrl(pathInRoot: string): string {
  if (basename(pathInRoot).toLowerCase() === 'readme.md') return dirname(pathInRoot);
  return pathInRoot.replace(/\.(md|markdown)$/i, '');
}

/** The file a site URL path is served from: a page, a folder's README.md, or any file (an asset); undefined when none. */
export function fileForSitePath(index: WorkspaceIndex, urlPath: string): string | undefined {
  const root = index.config.site.root;
  const full = (p: string) => (root ? (p ? `${root}/${p}` : root) : p);
  if (urlPath !== '' && index.hasFile(full(urlPath))) return full(urlPath);
  const page = siteUrlMap(index).get(urlPath.toLowerCase());
  if (page !== undefined && index.hasFile(page)) return page;
  // mdBook and GitBook 2/3 serve `page.md` at `page.html` and a folder's README.md at `index.html`.
  if (htmlLinksArePages(index.config.identity?.kind) && /\.html?$/i.test(urlPath)) {
    const stem = urlPath.replace(/\.html?$/i, '').replace(/(^|\/)index$/i, '');
    const served = siteUrlMap(index).get(stem.toLowerCase());
    if (served !== undefined && index.hasFile(served)) return served;
  }
  return undefined;
}

/** Where a missing URL path's page may be now (a close name in the same folder, or a same-named page elsewhere). */
export function similarSitePages(index: WorkspaceIndex, urlPath: string): string[] {
  const root = index.config.site.root;
  const full = (p: string) => (root ? `${root}/${p}` : p);
  if (urlPath === '') return [];
  return index.findMoved(full(`${urlPath}.md`)).filter(isMarkdownPath);
}
