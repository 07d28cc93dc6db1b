import { defineRule } from '../define';
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
      const text = a.credits[0]!.origin === 'sidecar' || a.credits[0]!.origin === 'config' ? '' : ` ${quoteText(a.credits[0]!.text)}`;
      const required = a.item.kind === 'quote' ? ['Author', 'Source'] : ['Title', 'Author', 'Source', 'License'];
      report(
        a.span,
        `Unexpected incomplete credit for ${itemLabel(a)}${text} (${creditWhere(a)}): missing ${describeMissing(a)}, expected ${joinWords(required)}${a.item.kind === 'image' ? ' in a visible credit ("Add attribution…")' : ''}`,
        a.credits[0]!.span && a.credits[0]!.origin !== 'alt' ? { related: [{ path, span: a.credits[0]!.span, message: 'the credit' }] } : undefined,
      );
    }
  },
);
