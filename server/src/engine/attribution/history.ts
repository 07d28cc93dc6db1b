import type { WorkspaceIndex } from '../workspace';
import { historyAuthors, historyCommitters } from '../history';
import { pageAuthors } from './assess';
import { isDefaultAuthor, siteAttribution } from './site';

/**
 * Authors from the site's history, for `author-undeclared`: who wrote the
 * lines of a page that still stand (a commit that only moves a page, or
 * that imports many pages at once, authors nothing; the host follows moves
 * across commits). A page is another person's when that person wrote most
 * of its standing lines (authorShare).
 */

/**
 * A page is one person's when they wrote at least two thirds of its lines
 * that still stand, and at least three of them: a page the default author
 * wrote a third of, or a two-line page, is not shown to be someone else's.
 */
export const authorShare = 2 / 3;
export const authorMinLines = 3;

/** The person history says wrote the page, when it is not the site's default author. */
export function historyAuthorOf(
  index: WorkspaceIndex,
  path: string,
): { readonly name: string; readonly share: number; readonly others: readonly string[] } | undefined {
  const a = historyAuthors(index, path);
  const top = a?.authors[0];
  if (!a || !top || top.share < authorShare || top.lines < authorMinLines || isDefaultAuthor(top.name, index))
    return undefined;
  return { name: top.name, share: top.share, others: a.authors.slice(1).map((x) => x.name) };
}

/**
 * Pages whose line authors the host should read (`git blame` is not free):
 * pages that declare no author, on a site with a default author, changed by
 * someone other than the default author. Any other page cannot be shown to
 * be someone else's.
 */
export function historyAuthorCandidates(index: WorkspaceIndex): string[] {
  if (!index.history || siteAttribution(index).defaultAuthor === '') return [];
  return index.pages().filter((p) => {
    if (p === index.summaryPath || pageAuthors(index, p).from !== 'default') return false;
    const committers = historyCommitters(index, p);
    return committers !== undefined && committers.some((c) => !isDefaultAuthor(c, index));
  });
}
