import { defineRule } from '../define';
import { code, message } from '../../message';
import { lineOf } from '../../facts';
import { summaryListing } from '../../links/summary';

/** The same file listed twice in SUMMARY.md. See docs.md. */
export default defineRule(
  {
    id: 'summary-duplicate-entry',
    category: 'links',
    scope: 'workspace',
    defaultSeverity: 'error',
    description: 'The same file listed twice in `SUMMARY.md` (GitBook does not allow it).',
    fixable: false,
  },
  { defaults: {} },
  ({ path, facts, index }, report) => {
    if (path !== index.summaryPath) return;
    const listing = summaryListing(index);
    if (!listing) return;
    const first = new Map<string, (typeof listing.entries)[number]>();
    listing.entries.forEach((entry, i) => {
      if (entry.path === undefined) return;
      const earlier = first.get(entry.path);
      if (!earlier) {
        first.set(entry.path, entry);
        return;
      }
      const line = lineOf(facts.lineStarts, entry.span.start);
      const next = listing.entries[i + 1];
      const alone = facts.references.filter((r) => lineOf(facts.lineStarts, r.span.start) === line).length === 1;
      const leaf = !next || next.depth <= entry.depth;
      const lineEnd = facts.lineStarts[line + 1] ?? entry.span.end;
      const firstLine = lineOf(facts.lineStarts, earlier.span.start) + 1;
      report(
        entry.urlSpan,
        message`Unexpected second entry for ${code(entry.path)} (first on line ${firstLine}), expected each page once in the table of contents`,
        {
          note: `GitBook does not allow a page twice in its table of contents: \`${entry.path}\` is first listed on line ${firstLine}. Keep the entry where the page belongs and remove the other.`,
          related: [{ path, span: earlier.span, message: `First entry for \`${entry.path}\`` }],
          // Removing an entry is the author's call (which place is right?), so it is offered, never applied by --fix.
          ...(alone && leaf
            ? {
                suggestions: [
                  {
                    title: 'Remove this entry',
                    edits: [{ start: facts.lineStarts[line]!, end: lineEnd, newText: '' }],
                  },
                ],
              }
            : {}),
        },
      );
    });
  },
);
