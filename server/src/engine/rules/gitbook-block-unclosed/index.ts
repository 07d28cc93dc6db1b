import { defineRule } from '../define';
import { code, message } from '../../message';

/** A paired GitBook block never closed, or an end tag with nothing open (closed twice). See docs.md. */
export default defineRule(
  {
    id: 'gitbook-block-unclosed',
    category: 'hygiene',
    scope: 'document',
    defaultSeverity: 'error',
    description:
      'A GitBook block (`{% hint %}`, `{% tabs %}`, `{% content-ref %}`, …) is never closed, or is closed twice.',
    fixable: false,
  },
  { defaults: {} },
  ({ doc }, report) => {
    if (!doc) return;
    for (const p of doc.gitbook.problems) {
      if (p.kind === 'unclosed') {
        report(
          p.tag.span,
          message`Unexpected unclosed ${code(`{% ${p.tag.name} %}`)}, expected a matching ${code(`{% end${p.tag.name} %}`)}`,
          {
            note: 'GitBook renders the rest of the page inside an unclosed block, or shows the tag as text.',
          },
        );
      } else if (p.kind === 'unopened') {
        report(
          p.tag.span,
          message`Unexpected ${code(`{% end${p.tag.name} %}`)} with no open ${code(`{% ${p.tag.name} %}`)} (closed twice?), expected it to close an open block`,
          {
            note: 'GitBook shows a closing tag that closes nothing as text on the page.',
          },
        );
      }
    }
  },
);
