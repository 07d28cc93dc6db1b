import { defineRule } from '../define';
import { code, message } from '../../message';
import { glossaryOf, matcherOf, termUsesOf } from '../../glossary/index';

/**
 * Opt-in: the first use of a glossary term on a page is not a link, where a
 * link to its definition would help a reader who lands on this page first.
 * The fix links the word to the defining page's heading. See docs.md.
 */
export default defineRule(
  {
    id: 'term-first-use-unlinked',
    category: 'glossary',
    scope: 'document',
    defaultSeverity: 'off',
    description:
      'Opt-in: the first use of a glossary term on a page is not linked to its definition; the fix makes it a relative link to the defining heading.',
    fixable: true,
  },
  { defaults: {} },
  ({ path, doc, facts, index }, report) => {
    if (!doc) return;
    const glossary = glossaryOf(index);
    const matcher = matcherOf(glossary);
    const seen = new Set<string>();
    for (const u of termUsesOf(doc, glossary, facts)) {
      if (u.synonym || u.heading || u.quoted || seen.has(u.term)) continue;
      seen.add(u.term);
      const term = matcher.termNamed(u.term);
      const def = term?.definition;
      if (!term || !def || def.kind === 'config' || !def.anchor || u.link) continue;
      // The page that defines the term needs no link to itself.
      if (term.definitions.some((d) => d.path === path)) continue;
      const url = `${index.linkBetween(path, def.path)}#${def.anchor}`;
      report(
        u.span,
        message`Unexpected first use of ${code(u.text)} on this page without a link, expected a link to its definition`,
        {
          note: `${term.term} is defined in ${def.path} (${def.sectionTitle ?? def.anchor}). The first use of a glossary term on a page links to its definition, so that a reader can look it up.`,
          fix: {
            title: `Link “${u.text}” to its definition`,
            edits: [{ start: u.span.start, end: u.span.end, newText: `[${u.text}](${url})` }],
          },
        },
      );
    }
  },
);
