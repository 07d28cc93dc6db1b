import { defineRule } from '../define';

/** A paired GitBook block never closed, or an end tag with nothing open (closed twice). See docs.md. */
export default defineRule(
  {
    id: 'gitbook-block-unclosed',
    category: 'hygiene',
    scope: 'document',
    defaultSeverity: 'error',
    description: 'A GitBook block (`{% hint %}`, `{% tabs %}`, `{% content-ref %}`, …) is never closed, or is closed twice.',
    fixable: false,
  },
  { defaults: {} },
  ({ doc }, report) => {
    if (!doc) return;
    for (const p of doc.gitbook.problems) {
      if (p.kind === 'unclosed') {
        report(p.tag.span, `Unexpected unclosed \`{% ${p.tag.name} %}\`, expected a matching \`{% end${p.tag.name} %}\``);
      } else if (p.kind === 'unopened') {
        report(p.tag.span, `Unexpected \`{% end${p.tag.name} %}\` with no open \`{% ${p.tag.name} %}\` (closed twice?), expected it to close an open block`);
      }
    }
  },
);
