import { defineRule } from '../define';
import { labelled, message } from '../../message';
import { assessPage } from '../../attribution/assess';
import { itemLabel, joinWords } from '../../attribution/describe';

/**
 * Third-party material with no credit at all: an image that names another
 * maker or source (or is embedded from another site), a long block quote,
 * an adapted passage. See docs.md.
 */
export default defineRule(
  {
    id: 'attribution-missing',
    category: 'attribution',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description:
      'A third-party image, embedded remote image, long block quote or adapted passage has no credit at all.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, index }, report) => {
    for (const a of assessPage(index, path)) {
      if (!a.thirdParty || a.credits.length > 0) continue;
      const why = joinWords([...a.reasons]);
      const label = labelled(itemLabel(a));
      if (a.item.kind === 'quote') {
        report(a.span, message`Unexpected ${label} without a credit, expected its Author and Source`, {
          note: 'A long quotation is someone else\'s words: name who wrote it and where it comes from, in a last line starting with "—" or in a lead-in naming them.',
        });
      } else if (a.item.kind === 'adapted') {
        report(
          a.span,
          message`Unexpected ${label} without a credit, expected the original's Title, Author, Source and License`,
          {
            note: 'An adaptation credits the original in the same sentence: its Title, its Author, its Source (a link) and its License.',
          },
        );
      } else {
        report(a.span, message`Unexpected ${label} without a credit, expected its Title, Author, Source and License`, {
          note: `It looks third-party: ${why}. Credit it right after the image ("Add attribution…" writes the credit); Creative Commons licenses require the Title, Author, Source and License of the work.`,
        });
      }
    }
  },
);
