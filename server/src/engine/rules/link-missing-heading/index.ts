import { defineRule } from '../define';
import { safeDecodeUri, editDistance } from '../../text';
import { isMarkdownPath } from '../../paths';
import { code, fitMessage, kept, maxMessageLength, message, words } from '../../message';

/** `#anchor` missing in the same file or in the target page. See docs.md. */
export default defineRule(
  {
    id: 'link-missing-heading',
    category: 'links',
    scope: 'workspace',
    defaultSeverity: 'error',
    description: "A link's `#anchor` matches no heading (or HTML anchor) in its target page.",
    fixable: true,
  },
  { defaults: {} },
  ({ path, facts, index }, report) => {
    for (const ref of facts.references) {
      if (ref.kind === 'image' || ref.kind === 'html-img' || ref.kind === 'embed' || ref.kind === 'file') continue;
      const res = index.resolve(path, ref.url);
      if (res.kind !== 'local' || res.target.fragment === undefined || res.target.fragment === '') continue;
      const page = res.page;
      if (!page || !isMarkdownPath(page)) continue;
      const target = page === path ? facts : index.facts(page);
      // A page we could not read (too large, binary) has no known anchors: say nothing rather than guess.
      if (!target) continue;
      const fragment = res.target.fragment;
      const anchors = target.anchors;
      if (anchors.includes(fragment) || anchors.includes(safeDecodeUri(fragment).toLowerCase())) continue;
      const hashAt = ref.rawUrl.indexOf('#');
      const fragmentSpan = { start: ref.urlSpan.start + hashAt + 1, end: ref.urlSpan.end };
      const lower = fragment.toLowerCase();
      // Close enough to be a typo: at most 30% of the longer name differs (remark-validate-links
      // proposes at 70% similarity). Looser bounds turned `#level-4-conflict` into `#level-2-money`.
      const limit = (a: string) => Math.floor(Math.max(a.length, lower.length) * 0.3);
      const ranked = [...new Set(anchors)]
        .map((a) => [a, editDistance(a, lower, limit(a))] as const)
        .filter(([a, d]) => d <= limit(a))
        .sort((a, b) => a[1] - b[1]);
      // Only a single closest anchor is safe for --fix; equally close ones are offered, not applied.
      const closest = ranked
        .filter(([, d]) => d === ranked[0]![1])
        .slice(0, 3)
        .map(([a]) => a);
      const fixTo = (a: string) => ({
        title: `Link to #${a}`,
        edits: [{ start: fragmentSpan.start, end: fragmentSpan.end, newText: a }],
      });
      const where = page === path ? words('this page') : code(page);
      const anchor = code(`#${fragment}`);
      // The heading may be on this very page (a link to another page's `#list-of-rituals` when the list is here): offered, never applied.
      const here = page !== path && closest.length === 0 ? ownAnchor(facts.anchors, lower) : undefined;
      const toHere =
        here !== undefined
          ? {
              title: `Link to #${here} on this page`,
              edits: [{ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: `#${here}` }],
            }
          : undefined;
      const text = closest.length
        ? fitMessage(
            [
              'Unexpected anchor ',
              ', expected a heading of ',
              '; did you mean ',
              ...closest.slice(1).map(() => ' or '),
              '?',
            ],
            [anchor, where, ...closest.map((a) => kept(code(`#${a}`)))],
            maxMessageLength,
          )
        : here !== undefined
          ? message`Unexpected anchor ${anchor}, expected a heading of ${where}; did you mean ${kept(code(`#${here}`))} on this page?`
          : message`Unexpected anchor ${anchor}, expected a heading of ${where}`;
      report(fragmentSpan, text, {
        note: `GitBook makes an anchor of each heading (lower case, spaces as hyphens, most punctuation dropped); ${page === path ? 'this page' : `\`${page}\``} has no heading or HTML anchor \`#${fragment}\`.`,
        ...(closest.length === 1 ? { fix: fixTo(closest[0]!) } : {}),
        ...(closest.length > 1 ? { suggestions: closest.map(fixTo) } : toHere ? { suggestions: [toHere] } : {}),
      });
    }
  },
);

/** The anchor of the linking page itself that the fragment names, exactly or within a typo. */
function ownAnchor(anchors: readonly string[], fragment: string): string | undefined {
  if (anchors.includes(fragment)) return fragment;
  const limit = (a: string) => Math.floor(Math.max(a.length, fragment.length) * 0.3);
  const near = [...new Set(anchors)]
    .map((a) => [a, editDistance(a, fragment, limit(a))] as const)
    .filter(([a, d]) => d <= limit(a))
    .sort((a, b) => a[1] - b[1]);
  return near.length === 1 || (near.length > 1 && near[0]![1] < near[1]![1]) ? near[0]![0] : undefined;
}
