import type { Nodes, Parents } from 'mdast';
import { walkTree } from '../../parse/walk';
import { defineRule } from '../define';
import { code, kept, message } from '../../message';
import { dirname, relativePath } from '../../paths';
import { encodeLinkPath } from '../../workspace';
import { spanTester } from '../../parse/markdown';
import type { Span } from '../../types';
import { linksConfig } from '../../links/config';
import { pointsAtProposal, proposalPath } from '../../links/proposal';
import { findMentions, quotedSpans } from '../../links/prose';

/**
 * "the proposal" in prose, with no link to it in the same paragraph. See docs.md.
 */
export default defineRule(
  {
    id: 'proposal-mention-unlinked',
    category: 'links',
    scope: 'document',
    defaultSeverity: 'info',
    description:
      'A mention of the proposal in prose ("the original proposal") with no link to it in the same paragraph.',
    fixable: true,
  },
  { defaults: {} },
  ({ path, facts, index, config, doc }, report) => {
    const proposal = proposalPath(config);
    if (!doc || path === proposal || path === index.summaryPath || !index.hasFile(proposal)) return;
    const phrases = linksConfig(config).proposalMentions;
    if (phrases.every((p) => p.trim() === '')) return;
    const text = doc.text;
    const url = encodeLinkPath(relativePath(dirname(path), proposal));
    const tagSpans = doc.gitbook.tags.map((t) => t.span);
    const isExcluded = spanTester([...doc.excluded, ...tagSpans].sort((a, b) => a.start - b.start));
    const definitions = new Map<string, string>();
    if (text.includes(']:')) {
      walkTree(doc.tree, (d) => {
        if (d.type === 'definition') definitions.set(d.identifier.toLowerCase(), d.url);
      });
    }
    const spanOf = (n: Nodes): Span => ({ start: n.position?.start.offset ?? 0, end: n.position?.end.offset ?? 0 });

    const checkBlock = (block: Parents) => {
      let linked = false;
      const prose: Span[] = [];
      let insideAnchor = false;
      const walk = (node: Nodes) => {
        switch (node.type) {
          case 'link':
            if (pointsAtProposal(node.url, path, config)) linked = true;
            return;
          case 'linkReference': {
            const target = definitions.get(node.identifier.toLowerCase());
            if (target !== undefined && pointsAtProposal(target, path, config)) linked = true;
            return;
          }
          case 'html':
            if (/^<a\b/i.test(node.value)) insideAnchor = true;
            else if (/^<\/a\s*>/i.test(node.value)) insideAnchor = false;
            return;
          case 'text':
            if (!insideAnchor) prose.push(spanOf(node));
            return;
          case 'image':
          case 'imageReference':
          case 'inlineCode':
          case 'footnoteReference':
            return;
          default:
            if ('children' in node) for (const child of node.children) walk(child as Nodes);
        }
      };
      for (const child of block.children) walk(child as Nodes);
      if (linked || prose.length === 0) return;
      // Most paragraphs mention nothing: look for mentions before the costlier checks.
      const mentions = findMentions(text, prose, phrases).filter((m) => !isExcluded(m.start));
      if (mentions.length === 0) return;
      const blockSpan = spanOf(block);
      if (
        facts.references.some(
          (r) =>
            r.span.start >= blockSpan.start &&
            r.span.end <= blockSpan.end &&
            r.kind !== 'image' &&
            r.kind !== 'html-img' &&
            pointsAtProposal(r.url, path, config),
        )
      )
        return;
      const quoted = spanTester(quotedSpans(text, prose));
      for (const m of mentions) {
        if (quoted(m.start)) continue;
        const mention = text.slice(m.start, m.end);
        const newText = `[${mention}](${url})`;
        const said = mention.replace(/\s+/g, ' ');
        report(
          m,
          message`Unexpected mention of the proposal ${code(said)} without a link, expected a link to ${kept(code(url))}`,
          {
            note: 'The proposal is the page every other page builds on: a paragraph that mentions it links to it, so that readers can follow the reference.',
            fix: { title: `Link “${said}” to ${url}`, edits: [{ start: m.start, end: m.end, newText }] },
          },
        );
        // One per paragraph: once it is linked, the paragraph links the proposal.
        return;
      }
    };

    walkTree(doc.tree, (node) => {
      switch (node.type) {
        case 'heading':
        case 'blockquote':
        case 'code':
        case 'html':
        case 'yaml':
        case 'definition':
          return 'skip';
        case 'paragraph':
        case 'tableCell':
          checkBlock(node);
          return 'skip';
        default:
          return undefined;
      }
    });
  },
);
