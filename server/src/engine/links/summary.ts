import type { Span } from '../types';
import type { FileFacts } from '../facts';
import type { SummaryEntry, WorkspaceIndex } from '../workspace';
import { dirname, isMarkdownPath, relativePath } from '../paths';
import { PathPatterns } from '../globs';
import { encodeLinkPath } from '../workspace';
import { linksConfig } from './config';

/**
 * SUMMARY.md as the link rules and the report need it: which pages it lists,
 * each entry's source span, and where a missing page would go.
 */
export interface SummaryListing {
  readonly entries: readonly (SummaryEntry & { readonly span: Span; readonly urlSpan: Span })[];
  /** Pages listed (resolved: a folder entry counts as its README.md). */
  readonly listed: ReadonlySet<string>;
  /** The entry a missing page would sit next to (its folder's README.md entry, or a page of its folder, else the last entry), and the page's URL from SUMMARY.md. */
  nearestEntry(page: string): { readonly span: Span; readonly url: string } | undefined;
}

/** Kept while SUMMARY.md's facts and entries and the site's layout stay the same: an edit of another page does not rebuild it (a keystroke in the editor). */
interface ListingCache {
  readonly facts: FileFacts | undefined;
  readonly summary: readonly SummaryEntry[];
  readonly layoutRevision: number;
  readonly listing: SummaryListing | undefined;
}
const caches = new WeakMap<WorkspaceIndex, ListingCache>();

/** undefined when the site has no SUMMARY.md (GitBook then builds the structure from the files). */
export function summaryListing(index: WorkspaceIndex): SummaryListing | undefined {
  const cached = caches.get(index);
  const facts = index.facts(index.summaryPath);
  const summary = index.summary();
  if (cached && cached.facts === facts && cached.summary === summary && cached.layoutRevision === index.layoutRevision)
    return cached.listing;
  let listing: SummaryListing | undefined;
  if (facts && index.hasFile(index.summaryPath)) {
    const entries = summary.flatMap((e) => {
      const ref = facts.references[e.referenceIndex];
      return ref ? [{ ...e, span: ref.span, urlSpan: ref.urlSpan }] : [];
    });
    const listed = new Set(entries.flatMap((e) => (e.path !== undefined ? [e.path] : [])));
    const summaryPath = index.summaryPath;
    listing = {
      entries,
      listed,
      nearestEntry(page: string) {
        const folder = dirname(page);
        const readme = folder ? `${folder}/README.md` : index.readmePath;
        const at =
          entries.find((e) => e.path === readme) ??
          [...entries].reverse().find((e) => e.path !== undefined && dirname(e.path) === folder) ??
          entries[entries.length - 1];
        return at ? { span: at.span, url: encodeLinkPath(relativePath(dirname(summaryPath), page)) } : undefined;
      },
    };
  }
  caches.set(index, { facts, summary, layoutRevision: index.layoutRevision, listing });
  return listing;
}

/**
 * Whether a page needs a SUMMARY.md entry and has none. Not orphans: SUMMARY.md,
 * the home page, GLOSSARY.md at the content root, files under `.gitbook/`,
 * pages outside the content root or matching `links.orphanIgnore`, and every
 * page of a site without SUMMARY.md.
 */
export function isOrphanPage(index: WorkspaceIndex, path: string): boolean {
  const listing = summaryListing(index);
  if (!listing || !isMarkdownPath(path) || listing.listed.has(path)) return false;
  const root = index.config.site.root;
  if (root && !path.startsWith(root + '/')) return false;
  const inRoot = root ? path.slice(root.length + 1) : path;
  if (
    path === index.summaryPath ||
    path === index.readmePath ||
    /^glossary\.md$/i.test(inRoot) ||
    inRoot.startsWith('.')
  )
    return false;
  const globs = linksConfig(index.config).orphanIgnore;
  let patterns = orphanPatterns.get(globs);
  if (!patterns) orphanPatterns.set(globs, (patterns = new PathPatterns(globs)));
  return !patterns.matches(path);
}

/** `links.orphanIgnore` compiled once per config value, not once per page. */
const orphanPatterns = new WeakMap<readonly string[], PathPatterns>();
