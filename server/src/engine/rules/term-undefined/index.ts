import { defineRule } from '../define';
import { code, message, words } from '../../message';
import { configFileName, sectionOf } from '../../config/config';
import { definitionShape, glossaryOf, glossarySection, matcherOf, pageStanding } from '../../glossary/index';
import { formKey, isTermShaped, termOfHeading } from '../../glossary/words';

/** A label that asks or instructs ("**How to create an ako group**: …", "**Why?**"). */
const questionOrInstruction =
  /^(?:how|what|why|when|where|who|which|whose|can|could|should|do|does|did|is|are|will|would|note|tip|warning|example)\b|\?$/i;

/**
 * A bold term introduced in a definition ("a **Guild** is a group of…")
 * that the glossary does not know. The quick fix "Add to glossary" edits
 * another file, so it comes from `glossaryAdditionEdits` (features), not
 * from the finding. See docs.md.
 */
export default defineRule(
  {
    id: 'term-undefined',
    category: 'glossary',
    scope: 'document',
    defaultSeverity: 'info',
    description:
      'A bold term a current page defines ("a **Guild** is …") that the glossary does not know; add it to GLOSSARY.md or `.msolrc.json`.',
    fixable: false,
  },
  { defaults: {} },
  ({ facts, index, config }, report) => {
    // The archive keeps what the site used to say: its terms are history, not vocabulary to add.
    if (pageStanding(index, facts.path) === 'archived') return;
    const glossary = glossaryOf(index);
    const subject = facts.title !== undefined ? formKey(termOfHeading(facts.title)) : undefined;
    const matcher = matcherOf(glossary);
    const file = sectionOf(config, glossarySection).file || 'GLOSSARY.md';
    for (const b of facts.bold) {
      if (b.block === undefined || b.blockOffset === undefined) continue;
      const phrase = b.text.replace(/:$/, '').trim();
      const term = phrase.replace(/^(?:the|a|an)\s+/i, '');
      if (!isTermShaped(term) || matcher.lookup(term) || matcher.lookup(phrase) || questionOrInstruction.test(term))
        continue;
      // The page's own subject, repeated in its first sentence ("**The Community Mastery Board** is a tool…").
      if (subject !== undefined && formKey(term) === subject) continue;
      const block = facts.blocks![b.block]!;
      // A bold part of a word ("**micro**solidarity") is emphasis, not a term.
      if (
        /^["”’'*_]*\p{L}/u.test(block.text.slice(b.blockOffset + b.text.length)) ||
        /\p{L}["“‘'*_]*$/u.test(block.text.slice(0, b.blockOffset))
      )
        continue;
      const shape = definitionShape(block.text, b.blockOffset, b.text.length);
      if (!shape?.strict) continue;
      const gloss = shape.gloss ? ` as “${shape.gloss}”` : '';
      report(
        b.span,
        message`Unexpected term ${code(term)} not in the glossary, expected it in ${words(file)} or in \`glossary.terms\` of ${configFileName}`,
        {
          note: `This page defines ${term}${gloss}, but the glossary does not know it: it gets no hover, no consistent case and no entry in \`msol glossary\`. Add it to the glossary to make it site vocabulary.`,
        },
      );
    }
  },
);
