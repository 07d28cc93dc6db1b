import { defineRule } from '../define';
import { avoidProblems, glossaryOf, termUsesOf } from '../../glossary/index';

/**
 * A synonym the glossary says to avoid (`glossary.terms[].avoid`): "pod"
 * where a Crew is meant. The fix writes the preferred term. See docs.md.
 */
export default defineRule(
  {
    id: 'term-avoid',
    category: 'glossary',
    scope: 'document',
    defaultSeverity: 'warning',
    description:
      'A synonym the glossary says to avoid ("pod" where a Crew is meant); the fix writes the preferred term in the same form.',
    fixable: true,
  },
  { defaults: {} },
  ({ doc, facts, index }, report) => {
    if (!doc) return;
    const glossary = glossaryOf(index);
    for (const p of avoidProblems(termUsesOf(doc, glossary, facts), glossary, doc.text)) {
      report(p.use.span, p.message, { note: p.note, fix: { title: `Write “${p.replacement}”`, edits: p.edits } });
    }
  },
);
