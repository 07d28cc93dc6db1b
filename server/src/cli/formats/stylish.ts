import type { FileReport, Report } from '../report';
import { placeOf, plural, totals } from '../report';

/**
 * ESLint's "stylish": findings grouped per file, columns
 * `line:col  severity  message  ruleId`, and a closing summary. Colours only
 * when asked for (the caller decides from the terminal and the flags).
 *
 * Unlike ESLint's, the message column is not padded to the longest message
 * of the file: a message is up to 120 characters, and padding every row to
 * it pushed short rows' rule ids off the screen. With `notes` (`--verbose`),
 * each finding's note (why it matters) follows it, indented under the message.
 */

const codes = {
  red: [31, 39],
  yellow: [33, 39],
  blue: [34, 39],
  gray: [90, 39],
  bold: [1, 22],
  underline: [4, 24],
} as const;
type Style = keyof typeof codes;

function painter(color: boolean) {
  return (style: Style, text: string) => (color ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text);
}

const severityStyle: Readonly<Record<string, Style>> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'gray' };

export function formatStylish(report: Report, options: { readonly color: boolean; readonly notes?: boolean }): string {
  const paint = painter(options.color);
  const files = report.files.filter((f) => f.findings.length > 0);
  if (files.length === 0) return '';
  let out = '\n';
  for (const file of files) out += fileBlock(file, paint, options.notes ?? false) + '\n';
  const t = totals(files);
  const total = t.errors + t.warnings + t.infos + t.hints;
  const extra = [t.infos ? plural(t.infos, 'info', 'infos') : '', t.hints ? plural(t.hints, 'hint') : ''].filter(
    Boolean,
  );
  const summary = `\u2716 ${plural(total, 'problem')} (${[plural(t.errors, 'error'), plural(t.warnings, 'warning'), ...extra].join(', ')})`;
  out += paint('bold', paint(t.errors ? 'red' : t.warnings ? 'yellow' : 'blue', summary)) + '\n';
  if (t.fixableErrors || t.fixableWarnings || t.fixableOthers) {
    const parts = [
      t.fixableErrors ? plural(t.fixableErrors, 'error') : '',
      t.fixableWarnings ? plural(t.fixableWarnings, 'warning') : '',
      t.fixableOthers ? plural(t.fixableOthers, 'other problem') : '',
    ].filter(Boolean);
    out +=
      paint(
        'bold',
        paint(
          t.errors ? 'red' : 'yellow',
          `  ${parts.join(', ').replace(/, ([^,]*)$/, ' and $1')} potentially fixable with the \`--fix\` option.`,
        ),
      ) + '\n';
  }
  return out;
}

function fileBlock(file: FileReport, paint: ReturnType<typeof painter>, notes: boolean): string {
  const rows = file.findings.map((f) => {
    const p = placeOf(file, f).start;
    return {
      pos: `${p.line}:${p.column}`,
      severity: f.severity,
      message: oneLine(f.message),
      ruleId: f.ruleId,
      note: f.note,
    };
  });
  const w = (k: 'pos' | 'severity') => Math.max(...rows.map((r) => r[k].length));
  const [wp, ws] = [w('pos'), w('severity')];
  const indent = ' '.repeat(2 + wp + 2 + ws + 2);
  let out = `${paint('underline', file.path)}\n`;
  for (const r of rows) {
    // Pad before painting: escape codes must not count towards the width.
    out +=
      `  ${paint('gray', r.pos.padEnd(wp))}  ${paint(severityStyle[r.severity] ?? 'gray', r.severity.padEnd(ws))}  ${r.message}  ${paint('gray', r.ruleId)}`.trimEnd() +
      '\n';
    if (notes && r.note)
      for (const line of wrap(oneLine(r.note), Math.max(40, noteWidth - indent.length)))
        out += `${indent}${paint('gray', line)}\n`;
  }
  return out;
}

/** Notes are wrapped to fit a terminal of this many columns. */
const noteWidth = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
