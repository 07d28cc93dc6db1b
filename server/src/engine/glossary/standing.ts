import type { WorkspaceIndex } from '../workspace';
import { PathPatterns } from '../globs';
import { sectionOf } from '../config/config';
import { summaryListing } from '../links/summary';
import { glossarySection } from './config';

/**
 * How current a page is, as the site publishes it: `current` (the table of
 * contents lists it, or the site has none), `archived` (listed under an
 * entry or a part of SUMMARY.md named like "Archive", or matching
 * `glossary.archived`), `unlisted` (SUMMARY.md exists and does not list it:
 * GitBook does not publish it, so it speaks for nobody). The home page is
 * always current. The glossary ranks definitions by it: a site moves on, and
 * its archive keeps what it used to say.
 */
export type PageStanding = 'current' | 'archived' | 'unlisted';

/** An entry or a part of the table of contents that holds the archive. */
const archiveTitle = /\b(?:archives?|archived)\b/i;

interface StandingCache {
  readonly summary: ReturnType<typeof summaryListing>;
  readonly config: unknown;
  readonly archived: ReadonlySet<string>;
  readonly globs: PathPatterns;
}
const caches = new WeakMap<WorkspaceIndex, StandingCache>();

function standingsOf(index: WorkspaceIndex): StandingCache {
  const summary = summaryListing(index);
  const cached = caches.get(index);
  if (cached && cached.summary === summary && cached.config === index.config) return cached;
  const archived = new Set<string>();
  if (summary) {
    const facts = index.facts(index.summaryPath);
    let archiveDepth: number | undefined;
    for (const e of summary.entries) {
      if (archiveDepth !== undefined && e.depth <= archiveDepth) archiveDepth = undefined;
      if (archiveDepth === undefined && archiveTitle.test(e.title)) archiveDepth = e.depth;
      // GitBook's parts: `## Archive` above a group of entries.
      const section = facts?.references[e.referenceIndex]?.section ?? -1;
      const part = section >= 0 ? facts?.headings[section]?.text : undefined;
      if ((archiveDepth !== undefined || (part !== undefined && archiveTitle.test(part))) && e.path !== undefined)
        archived.add(e.path);
    }
  }
  const globs = new PathPatterns(sectionOf(index.config, glossarySection).archived ?? []);
  const entry = { summary, config: index.config, archived, globs };
  caches.set(index, entry);
  return entry;
}

export function pageStanding(index: WorkspaceIndex, path: string): PageStanding {
  if (path === index.readmePath) return 'current';
  const s = standingsOf(index);
  if (s.archived.has(path) || s.globs.matches(path)) return 'archived';
  if (s.summary && !s.summary.listed.has(path) && path !== index.summaryPath) return 'unlisted';
  return 'current';
}
