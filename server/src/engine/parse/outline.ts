import type { Heading, Link, List, ListItem, Paragraph, Root, Text } from 'mdast';

/**
 * A table of contents as GitBook writes SUMMARY.md (ATX headings and nested
 * bullet lists of links, one per line), turned into the very tree remark
 * (with GFM) gives, without micromark. micromark spends about 200 µs on each
 * line of such a list (each item's content is a document of its own): a
 * SUMMARY.md of 2,240 entries took 0.35 to 0.6 s to parse and 85 MB of
 * short-lived memory, in the thread that waits for it. Anything beyond the
 * plainest shape (a blank line between items, an indent other than the
 * parent's content column, a second bullet character, text that inline
 * syntax could read otherwise, a tab, CR, trailing space, a title) returns
 * undefined, and the text goes to micromark. `test/engine/parseOutline.test.ts`
 * compares the trees with remark's on every table of contents at hand and
 * on generated ones.
 */
export function parseOutline(text: string): Root | undefined {
  if (text.includes('\r') || text.includes('\t')) return undefined;
  const root: Root = { type: 'root', children: [] };
  /** Open list items, outermost first: each with its indent, its list, and the lists and items whose end moves with it. */
  let open: { readonly indent: number; readonly list: List; item: ListItem }[] = [];
  let marker: string | undefined;
  let blankSinceItem = false;
  let lineNo = 0;
  // Line by line (a text of another shape stops at its first line that is not of this one).
  for (let start = 0; start <= text.length;) {
    let stop = text.indexOf('\n', start);
    if (stop < 0) stop = text.length;
    const line = text.slice(start, stop);
    lineNo++;
    const lineStart = start;
    start = stop + 1;
    if (line === '') {
      blankSinceItem = open.length > 0;
      continue;
    }
    const lineEnd = () => point(lineNo, line.length + 1, lineStart + line.length);
    const item = itemLine.exec(line);
    if (item) {
      const indent = item[1]!.length;
      const label = item[3]!;
      const url = item[4]!;
      if ((marker ??= item[2]) !== item[2] || !plainInline(label)) return undefined;
      // A blank line between items makes the list loose (spread): not this shape.
      if (blankSinceItem) return undefined;
      const node: ListItem = {
        type: 'listItem',
        spread: false,
        checked: null,
        children: [
          {
            type: 'paragraph',
            children: [
              {
                type: 'link',
                title: null,
                url,
                children: [
                  {
                    type: 'text',
                    value: label,
                    position: {
                      start: point(lineNo, indent + 4, lineStart + indent + 3),
                      end: point(lineNo, indent + 4 + label.length, lineStart + indent + 3 + label.length),
                    },
                  } satisfies Text,
                ],
                position: { start: point(lineNo, indent + 3, lineStart + indent + 2), end: lineEnd() },
              } satisfies Link,
            ],
            position: { start: point(lineNo, indent + 3, lineStart + indent + 2), end: lineEnd() },
          } satisfies Paragraph,
        ],
        position: { start: point(lineNo, indent + 1, lineStart + indent), end: lineEnd() },
      };
      const top = open[open.length - 1];
      if (!top || indent === top.indent + 2) {
        // The first item at the top level (indent 0), or the first child of the innermost open item (its content column).
        if (!top && indent !== 0) return undefined;
        const list: List = {
          type: 'list',
          ordered: false,
          start: null,
          spread: false,
          children: [node],
          position: { start: point(lineNo, indent + 1, lineStart + indent), end: lineEnd() },
        };
        if (top) top.item.children.push(list);
        else root.children.push(list);
        open.push({ indent, list, item: node });
      } else {
        // A sibling of an open item of the same indent (closing the deeper ones).
        let at = open.length - 1;
        while (at >= 0 && open[at]!.indent !== indent) at--;
        if (at < 0) return undefined;
        open = open.slice(0, at + 1);
        open[at]!.list.children.push(node);
        open[at]!.item = node;
      }
      // Every open list and item ends where this line does.
      for (const o of open) {
        o.list.position!.end = lineEnd();
        o.item.position!.end = lineEnd();
      }
      continue;
    }
    const heading = headingLine.exec(line);
    if (!heading || !plainInline(heading[2]!) || heading[2]!.includes('#')) return undefined;
    // An ATX heading interrupts the list (it is not indented into an item).
    open = [];
    blankSinceItem = false;
    const depth = heading[1]!.length as Heading['depth'];
    root.children.push({
      type: 'heading',
      depth,
      children: [
        {
          type: 'text',
          value: heading[2]!,
          position: { start: point(lineNo, depth + 2, lineStart + depth + 1), end: lineEnd() },
        },
      ],
      position: { start: point(lineNo, 1, lineStart), end: lineEnd() },
    });
  }
  if (root.children.length === 0) return undefined;
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  root.position = { start: point(1, 1, 0), end: point(lineNo, lastLine.length + 1, text.length) };
  return root;
}

const point = (line: number, column: number, offset: number) => ({ line, column, offset });

/** `* [label](url)` or `- …`, indented by spaces: a URL without spaces, quotes, brackets, escapes or references. */
const itemLine = /^( *)([*-]) \[([^\]\n]+)\]\(([A-Za-z0-9._~/#%?=+,:@!$-]+)\)$/;
/** `# Heading`: one space, no closing sequence. */
const headingLine = /^(#{1,6}) ([^\n]+)$/;

/**
 * Text that inline syntax reads as itself: no escapes, code, emphasis,
 * brackets, HTML or autolinks, strikethrough, footnotes, character
 * references, and no leading or trailing space (which a label keeps and a
 * heading drops).
 */
function plainInline(text: string): boolean {
  if (/[\\`*_[\]<>~{}|^]/.test(text)) return false;
  if (/^\s|\s$/.test(text)) return false;
  if (/@|:\/\/|www\./i.test(text)) return false;
  const amp = text.indexOf('&');
  return amp < 0 || !text.includes(';', amp);
}
