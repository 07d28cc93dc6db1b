import { defineRule } from '../define';
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
    description: 'A third-party image, embedded remote image, long block quote or adapted passage has no credit at all.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, index }, report) => {
    for (const a of assessPage(index, path)) {
      if (!a.thirdParty || a.credits.length > 0) continue;
      const why = joinWords([...a.reasons]);
      if (a.item.kind === 'quote') {
        report(a.span, `Unexpected ${itemLabel(a)} without a credit, expected its Author and Source: a last line starting with "—", or a lead-in naming them`);
      } else if (a.item.kind === 'adapted') {
        report(a.span, `Unexpected ${itemLabel(a)} without a credit, expected the Title, Author, Source (a link) and License of the original in the same sentence`);
      } else {
        report(a.span, `Unexpected third-party ${itemLabel(a)} without a credit (${why}), expected its Title, Author, Source and License in a credit right after it ("Add attribution…")`);
      }
    }
  },
);
