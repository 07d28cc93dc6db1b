import type { PageAuthorship, SiteHistory } from './host';
import type { WorkspaceIndex } from './workspace';
import { parseLocalUrl } from './facts';
import { dirname, resolvePath } from './paths';

/**
 * What the engine reads in a site's history (host.ts `SiteHistory`, given by
 * the host through `WorkspaceIndex.setHistory`): where a page was before it
 * moved, which content a link's target held when the link last worked, and
 * who wrote the lines of a page. Pure: the history is plain data.
 */

/** Where a page was, newest first: its path and the last commit it was there (`Infinity`: now). */
export interface LineageStep {
  readonly path: string;
  /** The last commit after which the page was at `path`. */
  readonly until: number;
  /** The commit after which it came to `path` (-1: since the start of the history). */
  readonly since: number;
}

export function lineageOf(history: SiteHistory, path: string): LineageStep[] {
  const out: LineageStep[] = [];
  let current = path;
  let until = Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  for (let guard = 0; guard < 64; guard++) {
    // The latest move that brought the page to `current` before `until`.
    let move: SiteHistory['moves'][number] | undefined;
    for (const m of history.moves)
      if (m.to === current && m.commit <= until && (!move || m.commit > move.commit)) move = m;
    out.push({ path: current, until, since: move ? move.commit : -1 });
    if (!move || seen.has(`${move.from}@${move.leftAt}`)) break;
    seen.add(`${move.from}@${move.leftAt}`);
    current = move.from;
    until = move.leftAt - 1;
  }
  return out;
}

/**
 * The content a file held last while the page's link to it worked: for each
 * place the page has been (newest first), the link is resolved from there,
 * and the content that path held while the page was there is taken (before
 * it was deleted or the page moved on). undefined when history cannot tell.
 */
export function contentWhenLinkWorked(
  index: WorkspaceIndex,
  page: string,
  url: string,
): { readonly content: string; readonly path: string; readonly commit: number } | undefined {
  const history = index.history;
  if (!history) return undefined;
  const target = parseLocalUrl(url);
  if (!target || target.path === '') return undefined;
  const last = history.commits.length - 1;
  for (const step of lineageOf(history, page)) {
    const rooted = target.path.startsWith('/');
    const path = resolvePath(
      rooted ? index.config.site.root : dirname(step.path),
      rooted ? target.path.replace(/^\/+/, '') : target.path,
    );
    if (path === undefined) continue;
    // The latest commit while the page was here at which the target existed.
    for (let c = Math.min(step.until, last); c > step.since && c >= 0; c--) {
      const content = history.contentAt(path, c);
      if (content !== undefined) return { content, path, commit: c };
    }
    if (step.since < 0) break;
  }
  return undefined;
}

const bot = /\bbot\b|\[bot\]|^gitbook/i;

/** A page's authors by the lines they wrote that still stand, most first, with their share of its lines; undefined without authorship. */
export function historyAuthors(
  index: WorkspaceIndex,
  path: string,
):
  | {
      readonly lines: number;
      readonly authors: readonly { readonly name: string; readonly lines: number; readonly share: number }[];
    }
  | undefined {
  const a: PageAuthorship | undefined = index.history?.authorshipOf(path);
  if (!a || a.lines === 0) return undefined;
  const authors = a.authors
    .filter((x) => !bot.test(x.name) && x.lines > 0)
    .map((x) => ({ ...x, share: x.lines / a.lines }));
  return { lines: a.lines, authors };
}

/** Committers of a page who changed its text, bots left out (undefined without history of the page). */
export function historyCommitters(index: WorkspaceIndex, path: string): string[] | undefined {
  const list = index.history?.committersOf(path);
  return list ? [...new Set(list.filter((a) => !bot.test(a)))] : undefined;
}

/** A string that changes whenever what the engine reads of the history could: for a host's caches. */
export function historyFingerprint(index: WorkspaceIndex, pages: readonly string[]): string {
  const h = index.history;
  if (!h) return '';
  const parts = [String(h.commits.length), h.commits[h.commits.length - 1]?.id ?? '', JSON.stringify(h.moves)];
  for (const p of pages) {
    const a = h.authorshipOf(p);
    const c = h.committersOf(p);
    if (a || c) parts.push(`${p}\u0000${JSON.stringify(a ?? null)}\u0000${JSON.stringify(c ?? null)}`);
  }
  return parts.join('\n');
}
