import { defineRule } from '../define';
import { code, message, words } from '../../message';
import { glossaryOf, type GroupSize, type TermDefinition } from '../../glossary/index';
import { sizeText } from '../../glossary/model';

/**
 * A term defined twice, with different definitions, by the glossary's
 * current sources (GLOSSARY.md and the pages the table of contents
 * publishes outside its archive): a site says one thing about a term. The
 * archive keeps what the site used to say and is never compared. Reported at
 * the later definition, the first one as related information. See docs.md.
 */

const normal = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Same words, or one restates the other and cites its page; never when they state different group sizes. */
function agree(a: TermDefinition, b: TermDefinition): boolean {
  if (sizesDiffer(a.size, b.size)) return false;
  if (normal(a.text) === normal(b.text)) return true;
  if (a.gloss && b.gloss && normal(a.gloss) === normal(b.gloss)) return true;
  return (a.path !== b.path && a.cites.includes(b.path)) || (b.path !== a.path && b.cites.includes(a.path));
}

/** Two stated sizes that cannot both be right ("up to 8" agrees with "3–8"). */
function sizesDiffer(a: GroupSize | undefined, b: GroupSize | undefined): boolean {
  if (!a || !b) return false;
  return a.max !== b.max || (a.min !== undefined && b.min !== undefined && a.min !== b.min);
}

export default defineRule(
  {
    id: 'glossary-duplicate-term',
    category: 'glossary',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description:
      'A term defined twice differently by current pages or GLOSSARY.md (archived pages aside); both places are shown.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, index }, report) => {
    for (const t of glossaryOf(index).terms) {
      const defs = t.definitions.filter((d) => d.kind !== 'config' && d.standing !== 'archived' && d.span);
      const first = defs[0];
      if (!first?.span) continue;
      for (const d of defs.slice(1)) {
        if (d.path !== path || !d.span || agree(first, d)) continue;
        const said = first.gloss ?? first.sentence;
        const text = sizesDiffer(first.size, d.size)
          ? message`Unexpected ${code(t.term)} of ${sizeText(d.size!)} here and ${sizeText(first.size!)} in ${words(first.path)}, expected one definition`
          : message`Unexpected second definition of ${code(t.term)} (first in ${words(first.path)}), expected one definition per term`;
        report(d.span, text, {
          note: `${first.path} already defines ${t.term}: “${said}”. Hovers and links show the first definition; merge the two, or link this one to the first. Archived pages are never compared: the archive keeps what the site used to say.`,
          related: [{ path: first.path, span: first.span, message: `${t.term} is first defined here` }],
        });
      }
    }
  },
);
