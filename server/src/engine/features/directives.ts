import type { ParsedDocument } from '../parse/markdown';
import type { TextEdit } from '../types';

/**
 * "Disable rule for this line" and "… for this file", as markdownlint and
 * ESLint offer them: the edit that writes (or extends) an `msol-disable-*`
 * HTML comment, placed where it changes nothing GitBook renders.
 *
 * - For a line: `<!-- msol-disable-line rule -->` at its end. An inline
 *   comment stays inside the paragraph, list item or table row; a comment on
 *   a line of its own before a paragraph's line would end the paragraph there.
 *   A heading gets `<!-- msol-disable-next-line rule -->` on the line before
 *   it (a comment in its text would change its anchor). Lines in front matter,
 *   code or a comment get no such offer: a comment there would be content.
 * - For a file: `<!-- msol-disable rule -->` on its own line at the top, after
 *   the front matter (findings in the front matter stay: nothing can come
 *   before it).
 *
 * An existing comment of the same kind at that place gets the rule added; a
 * rule it already names is no offer at all. The edits are the smallest
 * insertions; nothing else of the page is touched.
 */

export type DisableScope = 'line' | 'file';

export interface DisableEdit {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

const directiveComment = /^<!--\s*msol-(disable-next-line|disable-line|disable)\b([^]*?)\s*-->$/;

function inside(spans: readonly { readonly start: number; readonly end: number }[], offset: number): boolean {
  return spans.some((s) => s.start < offset && offset < s.end);
}

/** The edit adding `ruleId` to an existing directive comment at `span`, or undefined when it names the rule (or all rules) already. */
function extendComment(
  doc: ParsedDocument,
  span: { start: number; end: number },
  ruleId: string,
): TextEdit | 'covered' {
  const text = doc.text.slice(span.start, span.end);
  const m = directiveComment.exec(text)!;
  const rules = m[2]!.split(/[\s,]+/).filter(Boolean);
  if (rules.length === 0 || rules.includes(ruleId)) return 'covered';
  const at = span.start + text.lastIndexOf('-->');
  const before = doc.text.slice(span.start, at);
  return { start: at, end: at, newText: `${/\s$/.test(before) ? '' : ' '}${ruleId} ` };
}

/** The directive comment of `kind` lying exactly in [from, to) of the text, if any. */
function commentIn(
  doc: ParsedDocument,
  from: number,
  to: number,
  kind: string,
): { start: number; end: number } | undefined {
  for (const c of doc.comments) {
    if (c.span.start < from || c.span.end > to) continue;
    const m = directiveComment.exec(doc.text.slice(c.span.start, c.span.end));
    if (m && m[1] === kind) return c.span;
  }
  return undefined;
}

function eolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

export function disableRuleEdit(
  doc: ParsedDocument,
  ruleId: string,
  offset: number,
  scope: DisableScope,
): DisableEdit | undefined {
  const text = doc.text;
  const eol = eolOf(text);
  const line = doc.lines.positionAt(offset).line;
  const lineStart = doc.lines.offsetAt({ line, character: 0 });
  const nextLineStart =
    line + 1 < doc.lines.lineCount ? doc.lines.offsetAt({ line: line + 1, character: 0 }) : text.length;
  const lineEnd = text.slice(lineStart, nextLineStart).replace(/\r?\n$|\r$/, '').length + lineStart;
  const frontMatter = doc.tree.children[0]?.type === 'yaml' ? doc.tree.children[0].position : undefined;
  const bodyStart =
    frontMatter?.end.offset !== undefined ? (nextLineAfter(text, frontMatter.end.offset) ?? text.length) : 0;

  if (scope === 'file') {
    if (offset < bodyStart) return undefined;
    const title = `Disable ${ruleId} for this file`;
    // An msol-disable comment already at the top: add the rule to it.
    const firstLineEnd = text.indexOf('\n', bodyStart) < 0 ? text.length : text.indexOf('\n', bodyStart);
    const existing = commentIn(doc, bodyStart, firstLineEnd, 'disable');
    if (existing) {
      const edit = extendComment(doc, existing, ruleId);
      return edit === 'covered' ? undefined : { title, edits: [edit] };
    }
    const blankAfter = /^[ \t]*(\r?\n|$)/.test(text.slice(bodyStart));
    return {
      title,
      edits: [
        { start: bodyStart, end: bodyStart, newText: `<!-- msol-disable ${ruleId} -->${eol}${blankAfter ? '' : eol}` },
      ],
    };
  }

  const title = `Disable ${ruleId} for this line`;
  const heading = doc.tree.children.find((n) => n.type === 'heading' && n.position?.start.line === line + 1);
  const setextSecond = doc.tree.children.find(
    (n) => n.type === 'heading' && n.position && n.position.start.line < line + 1 && n.position.end.line === line + 1,
  );
  if (heading || setextSecond) {
    const headingLine = (heading ?? setextSecond)!.position!.start.line - 1;
    const start = doc.lines.offsetAt({ line: headingLine, character: 0 });
    if (start < bodyStart) return undefined;
    const previous = headingLine > 0 ? doc.lines.offsetAt({ line: headingLine - 1, character: 0 }) : -1;
    const existing = previous >= 0 ? commentIn(doc, previous, start, 'disable-next-line') : undefined;
    if (existing) {
      const edit = extendComment(doc, existing, ruleId);
      return edit === 'covered' ? undefined : { title, edits: [edit] };
    }
    const indent = /^[ \t]*/.exec(text.slice(start))![0];
    return {
      title,
      edits: [
        {
          start: start + indent.length,
          end: start + indent.length,
          newText: `<!-- msol-disable-next-line ${ruleId} -->${eol}${indent}`,
        },
      ],
    };
  }
  // Front matter, code, an HTML comment: an inline comment there would be content.
  if (
    lineStart < bodyStart ||
    inside(doc.excluded, lineEnd) ||
    (inside(doc.excluded, lineStart + 1) && inside(doc.excluded, lineEnd - 1))
  )
    return undefined;
  const existing = commentIn(doc, lineStart, lineEnd, 'disable-line');
  if (existing) {
    const edit = extendComment(doc, existing, ruleId);
    return edit === 'covered' ? undefined : { title, edits: [edit] };
  }
  // Before trailing spaces: two of them are a hard line break, which must stay at the end.
  const trimmed = lineStart + text.slice(lineStart, lineEnd).trimEnd().length;
  return { title, edits: [{ start: trimmed, end: trimmed, newText: ` <!-- msol-disable-line ${ruleId} -->` }] };
}

function nextLineAfter(text: string, offset: number): number | undefined {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? undefined : nl + 1;
}
