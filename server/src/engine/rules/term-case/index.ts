import { defineRule } from '../define';
import { caseProblems, glossaryOf, termUsesOf } from '../../glossary/index';

/**
 * A glossary term written in another case than its policy asks: `crews`
 * where the glossary defines Crew. Prose only; see docs.md.
 */
export default defineRule(
  {
    id: 'term-case',
    category: 'glossary',
    scope: 'document',
    defaultSeverity: 'warning',
    description:
      'A glossary term written in another case than its policy asks (`a congregation of crews` for `a Congregation of Crews`); the fix rewrites just the word.',
    fixable: true,
  },
  { defaults: {} },
  ({ doc, facts, index }, report) => {
    if (!doc) return;
    const glossary = glossaryOf(index);
    for (const p of caseProblems(termUsesOf(doc, glossary, facts), glossary, { siteName: glossary.siteName, facts })) {
      const fix = {
        title: `Write “${p.expected}”`,
        edits: [{ start: p.use.span.start, end: p.use.span.end, newText: p.expected }],
      };
      // Only a change the page and the site agree on is applied without asking; otherwise it is offered.
      report(p.use.span, p.message, { note: p.note, ...(p.safe ? { fix } : { suggestions: [fix] }) });
    }
  },
);
