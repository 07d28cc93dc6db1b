import { defineRule } from '../define';
import { safeDecodeUri, editDistance } from '../../text';
import { isMarkdownPath } from '../../paths';

/** `#anchor` missing in the same file or in the target page. See docs.md. */
export default defineRule(
  {
    id: 'link-missing-heading',
    category: 'links',
    scope: 'workspace',
    defaultSeverity: 'error',
    description: 'A link\'s `#anchor` matches no heading (or HTML anchor) in its target page.',
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
      const ranked = [...new Set(anchors)]
        .map((a) => [a, editDistance(a, lower, Math.max(3, Math.floor(lower.length / 2)))] as const)
        .filter(([, d]) => d <= Math.max(3, Math.floor(lower.length / 2)))
        .sort((a, b) => a[1] - b[1]);
      const best = ranked[0]?.[0];
      const where = page === path ? 'this page' : `\`${page}\``;
      report(fragmentSpan, `Unexpected anchor \`#${fragment}\`, expected a heading of ${where}${best ? `; did you mean \`#${best}\`?` : ''}`, {
        ...(best && (ranked.length === 1 || ranked[0]![1] < ranked[1]![1])
          ? { fix: { title: `Link to \`#${best}\``, edits: [{ start: fragmentSpan.start, end: fragmentSpan.end, newText: best }] } }
          : {}),
      });
    }
  },
);
