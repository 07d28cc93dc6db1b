import { defineRule } from '../define';
import { code, message, words } from '../../message';
import { configFileName, sectionOf } from '../../config/config';
import { definitionShape, glossaryOf, glossarySection, matcherOf } from '../../glossary/index';
import { isTermShaped } from '../../glossary/words';

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
    description: 'A bold term introduced in a definition ("a **Guild** is …") that the glossary does not know; add it to GLOSSARY.md or `.msolrc.json`.',
    fixable: false,
  },
  { defaults: {} },
  ({ facts, index, config }, report) => {
    const glossary = glossaryOf(index);
    const matcher = matcherOf(glossary);
    const file = sectionOf(config, glossarySection).file || 'GLOSSARY.md';
    for (const b of facts.bold) {
      if (b.block === undefined || b.blockOffset === undefined) continue;
      const phrase = b.text.replace(/:$/, '').trim();
      const term = phrase.replace(/^(?:the|a|an)\s+/i, '');
      if (!isTermShaped(term) || matcher.lookup(term) || matcher.lookup(phrase)) continue;
      const block = facts.blocks![b.block]!;
      const shape = definitionShape(block.text, b.blockOffset, b.text.length);
      if (!shape?.strict) continue;
      const gloss = shape.gloss ? ` as “${shape.gloss}”` : '';
      report(b.span, message`Unexpected term ${code(term)} not in the glossary, expected it in ${words(file)} or in \`glossary.terms\` of ${configFileName}`, {
        note: `This page defines ${term}${gloss}, but the glossary does not know it: it gets no hover, no consistent case and no entry in \`msol glossary\`. Add it to the glossary to make it site vocabulary.`,
      });
    }
  },
);
