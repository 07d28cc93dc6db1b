import { defineRule } from '../define';
import { code, message } from '../../message';
import type { Span } from '../../types';
import { isOrphanPage, summaryListing } from '../../links/summary';
import { generatorName } from '../../site/kind';

/** A Markdown page that SUMMARY.md does not list. See docs.md. */
export default defineRule(
  {
    id: 'summary-orphan-page',
    category: 'links',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description: 'A Markdown page that `SUMMARY.md` does not list: GitBook does not publish it.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, facts, index }, report) => {
    if (!isOrphanPage(index, path)) return;
    const title = facts.headings.find((h) => h.depth === 1);
    const firstLineEnd = facts.lineStarts.length > 1 ? Math.max(0, facts.lineStarts[1]! - 1) : 0;
    // On the page's title, where an author looks; its first line when it has none.
    const span: Span = title ? title.span : { start: 0, end: firstLineEnd };
    const near = summaryListing(index)?.nearestEntry(path);
    const generator = generatorName[index.config.identity?.kind ?? 'gitbook'];
    report(
      span,
      message`Unexpected page ${code(path)} missing from ${code(index.summaryPath)}, expected an entry in the table of contents`,
      {
        note: `${generator} publishes only the pages its table of contents (\`${index.summaryPath}\`) lists: readers never see this page, and links to it lead nowhere once published.`,
        related: [
          near
            ? {
                path: index.summaryPath,
                span: near.span,
                message: `Add \`* [${facts.title ?? 'Title'}](${near.url})\` near this entry`,
              }
            : {
                path: index.summaryPath,
                span: { start: 0, end: 0 },
                message: `The table of contents does not list \`${path}\``,
              },
        ],
      },
    );
  },
);
