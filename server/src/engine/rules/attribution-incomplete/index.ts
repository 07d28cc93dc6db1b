import { defineRule } from '../define';
import { labelled, message } from '../../message';
import { assessPage } from '../../attribution/assess';
import { creditWhere, describeMissing, itemLabel, joinWords, quoteText } from '../../attribution/describe';

/**
 * A credit that lacks one of the four parts of a Creative Commons
 * attribution — Title, Author, Source, License — and says which. See docs.md.
 */
export default defineRule(
  {
    id: 'attribution-incomplete',
    category: 'attribution',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description: 'A credit lacks its Title, Author, Source (a link) or License; the message lists what is missing.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, index }, report) => {
    for (const a of assessPage(index, path)) {
      if (!a.thirdParty || a.credits.length === 0 || a.missing.length === 0) continue;
      const credit = a.credits[0]!;
      const text =
        credit.origin === 'sidecar' || credit.origin === 'config' ? '' : ` reads ${quoteText(credit.text, 200)}`;
      const required = a.item.kind === 'quote' ? ['Author', 'Source'] : ['Title', 'Author', 'Source', 'License'];
      const visible = a.item.kind === 'image' && a.credits.every((c) => c.origin === 'alt') ? 'a visible' : 'the';
      report(
        a.span,
        message`Unexpected credit for ${labelled(itemLabel(a))} without ${joinWords(a.missing)}, expected ${a.missing.length === 1 ? 'it' : 'them'} in ${visible} credit`,
        {
          note:
            `The credit (${creditWhere(a)})${text}. Missing: ${describeMissing(a)}.` +
            ` A credit of ${a.item.kind === 'quote' ? 'a quotation names its' : 'third-party material names its'} ${joinWords(required)}` +
            (a.item.kind === 'quote'
              ? '.'
              : ': Creative Commons licenses require them ("Add attribution…" writes a credit).'),
          ...(credit.span && credit.origin !== 'alt'
            ? { related: [{ path, span: credit.span, message: 'the credit' }] }
            : {}),
        },
      );
    }
  },
);
