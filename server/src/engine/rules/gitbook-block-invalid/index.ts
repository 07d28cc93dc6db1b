import { defineRule } from '../define';
import { code, message } from '../../message';

export const hintStyles = ['info', 'success', 'warning', 'danger'] as const;

/** An unknown GitBook tag, an unknown hint style, an embed without a URL … See docs.md. */
export default defineRule(
  {
    id: 'gitbook-block-invalid',
    category: 'hygiene',
    scope: 'document',
    defaultSeverity: 'error',
    description:
      'A GitBook tag GitBook cannot render: unknown tag or hint style, an embed without `url`, a content-ref without `url`, a file without `src`.',
    fixable: true,
  },
  { defaults: {} },
  ({ doc }, report) => {
    if (!doc) return;
    for (const p of doc.gitbook.problems) {
      if (p.kind !== 'unknown-tag') continue;
      const name = `${p.tag.closing ? 'end' : ''}${p.tag.name}`;
      if (p.suggestion) {
        // The name starts right after `{%`, an optional `-`, spaces and `end`; searching for it by text missed `{% Hnit %}` (names are lower-cased).
        const start =
          p.tag.span.start + /^\{%-?\s*(?:end)?/i.exec(doc.text.slice(p.tag.span.start, p.tag.span.end))![0].length;
        report(
          p.tag.span,
          message`Unexpected GitBook tag ${code(name)}, expected ${code(`${p.tag.closing ? 'end' : ''}${p.suggestion}`)}`,
          {
            note: 'GitBook shows a tag it does not know as text on the page.',
            fix: {
              title: `Replace with ${p.suggestion}`,
              edits: [{ start, end: start + p.tag.name.length, newText: p.suggestion }],
            },
          },
        );
      } else {
        report(
          p.tag.span,
          message`Unexpected GitBook tag ${code(name)}, expected a tag GitBook knows (hint, tabs, tab, embed, content-ref, file, code, …)`,
          {
            note: 'GitBook shows a tag it does not know as text on the page.',
          },
        );
      }
    }
    const required: Record<string, string> = { embed: 'url', 'content-ref': 'url', file: 'src', 'page-ref': 'page' };
    for (const tag of doc.gitbook.tags) {
      if (tag.closing) continue;
      const need = required[tag.name];
      if (need && !tag.attributes[need]?.value.trim()) {
        report(
          tag.span,
          message`Unexpected ${code(`{% ${tag.name} %}`)} without ${code(need)}, expected ${code(`{% ${tag.name} ${need}="…" %}`)}`,
        );
      }
      if (tag.name === 'hint') {
        const style = tag.attributes['style'];
        if (!style)
          report(
            tag.span,
            'Unexpected `{% hint %}` without a style, expected `style="info"`, `"success"`, `"warning"` or `"danger"`',
          );
        else if (!(hintStyles as readonly string[]).includes(style.value)) {
          const lower = style.value.trim().toLowerCase();
          const known = (hintStyles as readonly string[]).includes(lower) ? lower : undefined;
          report(
            style.span,
            message`Unexpected hint style ${code(style.value)}, expected one of ${hintStyles.map((s) => `\`${s}\``).join(', ')}`,
            {
              note: 'GitBook knows four hint styles, case-sensitive; it shows any other as `info`.',
              ...(known
                ? {
                    fix: {
                      title: `Use style ${known}`,
                      edits: [{ start: style.span.start, end: style.span.end, newText: known }],
                    },
                  }
                : {}),
            },
          );
        }
      }
      if (tag.name === 'tab' && !tag.attributes['title'])
        report(tag.span, 'Unexpected `{% tab %}` without a title, expected `{% tab title="…" %}`');
    }
  },
);
