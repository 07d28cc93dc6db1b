import { defineRule } from '../define';
import { code, kept, message } from '../../message';
import { basename, dirname, relativePath } from '../../paths';
import { linksConfig } from '../../links/config';
import { copySiteName, matchProposalCopy, proposalPath } from '../../links/proposal';
import { pageLinkKinds, styledPath } from '../../links/urls';
import { sentenceAround } from '../../links/prose';

/**
 * A link to a known external copy of the proposal (its old Medium post)
 * where the local page exists. See docs.md.
 */
export default defineRule(
  {
    id: 'proposal-external-copy',
    category: 'links',
    scope: 'document',
    defaultSeverity: 'warning',
    description: 'A link to an external copy of the proposal (its old Medium post) where the local page exists.',
    fixable: true,
  },
  { defaults: {} },
  ({ path, facts, index, config, doc }, report) => {
    const proposal = proposalPath(config);
    // The proposal may say where it was first published.
    if (path === proposal || !index.hasFile(proposal)) return;
    const copies = linksConfig(config).proposalCopies;
    for (const ref of facts.references) {
      if (!pageLinkKinds.has(ref.kind)) continue;
      const copy = matchProposalCopy(ref.url, copies);
      if (copy === undefined) continue;
      // "the Medium post was read 10,000 times", "the comment threads on Medium": the copy itself is meant.
      const site = copySiteName(copy);
      if (site && doc) {
        const names = new RegExp(
          `(^|[^\\p{L}\\p{N}])${site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
          'iu',
        );
        const around = sentenceAround(doc.text, ref.span.start, ref.span.end);
        if (names.test(ref.text ?? '') || names.test(around)) continue;
      }
      const newUrl = proposal === path ? basename(path) : styledPath(ref, relativePath(dirname(path), proposal));
      report(
        ref.urlSpan,
        message`Unexpected external copy of the proposal ${code(ref.rawUrl)}, expected the local page ${kept(code(newUrl))}`,
        {
          note: 'The proposal lives on this site, where it is kept up to date and its headings can be linked and checked; a copy elsewhere is a snapshot, and readers sent there leave the handbook.',
          fix: {
            title: `Link to ${newUrl}`,
            edits: [{ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: newUrl }],
          },
        },
      );
    }
  },
);
