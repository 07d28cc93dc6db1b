import { defineRule } from '../define';
import { code, message } from '../../message';
import type { Fix } from '../../types';

/**
 * Images whose alt text is empty — `![](x.png)`, or GitBook's
 * `<img src="…" alt="">` — are silent to screen readers and to anyone whose
 * images do not load. See docs.md.
 */
export default defineRule(
  {
    id: 'image-alt-missing',
    category: 'hygiene',
    scope: 'document',
    defaultSeverity: 'warning',
    description: 'An image has empty alt text (`![](x.png)`, or GitBook\'s `alt=""`).',
    fixable: false,
  },
  {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowCaptioned: {
          type: 'boolean',
          description: 'Accept an empty alt on an image whose `<figure>` has a non-empty caption.',
        },
      },
    },
    defaults: { allowCaptioned: false },
  },
  ({ facts, doc }, report, { allowCaptioned }) => {
    for (const ref of facts.references) {
      if (ref.kind !== 'image' && ref.kind !== 'html-img') continue;
      if ((ref.text ?? '').trim() !== '') continue;
      const figure = doc?.html.figures.find((f) => f.span.start <= ref.span.start && ref.span.end <= f.span.end);
      const caption = figure?.caption?.text.trim();
      if (allowCaptioned && caption) continue;
      const suggestions: Fix[] = [];
      const el =
        ref.kind === 'html-img'
          ? doc?.html.elements.find((e) => e.span.start === ref.span.start && e.name === 'img')
          : undefined;
      if (caption && el?.attributes['alt']) {
        const alt = el.attributes['alt'].span;
        suggestions.push({
          title: 'Use the caption as alt text',
          edits: [{ start: alt.start, end: alt.end, newText: caption.replace(/"/g, '&quot;') }],
        });
      }
      const name = ref.url.replace(/^.*\//, '');
      report(
        ref.span,
        message`Unexpected image ${code(decodeURIComponentSafe(name))} with empty alt text, expected a short description of what it shows`,
        {
          note: 'Alt text is what screen readers read, and what shows when the image does not load. A caption is no substitute: it is read separately, if at all.',
          ...(suggestions.length ? { suggestions } : {}),
        },
      );
    }
  },
);

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
