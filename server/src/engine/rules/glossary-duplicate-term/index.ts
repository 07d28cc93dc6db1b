import { defineRule } from '../define';
import { code, message, words } from '../../message';
import { glossaryOf, type TermDefinition } from '../../glossary/index';

/**
 * A term defined twice, with different definitions, across the glossary's
 * sources (GLOSSARY.md, the home page's and the proposal's "Definition of
 * terms"). Reported at the later definition, the first one as related
 * information. See docs.md.
 */

const normal = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Same words, or one restates the other and cites its page. */
function agree(a: TermDefinition, b: TermDefinition): boolean {
  if (normal(a.text) === normal(b.text)) return true;
  if (a.gloss && b.gloss && normal(a.gloss) === normal(b.gloss)) return true;
  return (a.path !== b.path && a.cites.includes(b.path)) || (b.path !== a.path && b.cites.includes(a.path));
}

export default defineRule(
  {
    id: 'glossary-duplicate-term',
    category: 'glossary',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description: 'A term defined twice with different definitions (GLOSSARY.md, the home page, the proposal); both places are shown.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, index }, report) => {
    for (const t of glossaryOf(index).terms) {
      const defs = t.definitions.filter((d) => d.kind !== 'config' && d.span);
      const first = defs[0];
      if (!first?.span) continue;
      for (const d of defs.slice(1)) {
        if (d.path !== path || !d.span || agree(first, d)) continue;
        const said = first.gloss ?? first.sentence;
        report(d.span, message`Unexpected second definition of ${code(t.term)} (first in ${words(first.path)}), expected one definition per term`, {
          note: `${first.path} already defines ${t.term}: “${said}”. Hovers and links show the first definition; merge the two, or link this one to the first.`,
          related: [{ path: first.path, span: first.span, message: `${t.term} is first defined here` }],
        });
      }
    }
  },
);
