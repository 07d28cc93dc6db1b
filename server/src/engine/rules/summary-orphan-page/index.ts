import { defineRule } from '../define';
import type { Span } from '../../types';
import { globToRegExp, isMarkdownPath, matchesAny } from '../../paths';
import { linksConfig } from '../../links/config';
import { summaryListing } from '../../links/summary';

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
  ({ path, facts, index, config }, report) => {
    const listing = summaryListing(index);
    if (!listing || !isMarkdownPath(path) || listing.listed.has(path)) return;
    const root = config.site.root;
    if (root && !path.startsWith(root + '/')) return;
    const inRoot = root ? path.slice(root.length + 1) : path;
    // The table of contents itself, the home page (always first), GitBook's glossary, and GitBook's own folder.
    if (path === index.summaryPath || path === index.readmePath || /^glossary\.md$/i.test(inRoot) || inRoot.startsWith('.')) return;
    if (matchesAny(path, linksConfig(config).orphanIgnore.map(globToRegExp))) return;
    const title = facts.headings.find((h) => h.depth === 1);
    const firstLineEnd = facts.lineStarts.length > 1 ? Math.max(0, facts.lineStarts[1]! - 1) : 0;
    const span: Span = title ? title.span : { start: 0, end: firstLineEnd };
    const near = listing.nearestEntry(path);
    report(span, `Unexpected page \`${path}\` missing from \`${index.summaryPath}\`, expected an entry in the table of contents (GitBook does not publish a page it does not list)`, {
      related: [
        near
          ? { path: index.summaryPath, span: near.span, message: `Add \`* [${title?.text ?? 'Title'}](${near.url})\` near this entry` }
          : { path: index.summaryPath, span: { start: 0, end: 0 }, message: `The table of contents does not list \`${path}\`` },
      ],
    });
  },
);
