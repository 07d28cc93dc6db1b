import type { FileReport, Report } from '../report';
import { placeOf, plural, totals } from '../report';

/**
 * ESLint's "stylish": findings grouped per file, aligned columns
 * `line:col  severity  message  ruleId`, and a closing summary. Colours only
 * when asked for (the caller decides from the terminal and the flags).
 */

const codes = { red: [31, 39], yellow: [33, 39], blue: [34, 39], gray: [90, 39], bold: [1, 22], underline: [4, 24] } as const;
type Style = keyof typeof codes;

function painter(color: boolean) {
  return (style: Style, text: string) => (color ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text);
}

const severityStyle: Readonly<Record<string, Style>> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'gray' };

export function formatStylish(report: Report, options: { readonly color: boolean }): string {
  const paint = painter(options.color);
  const files = report.files.filter((f) => f.findings.length > 0);
  if (files.length === 0) return '';
  let out = '\n';
  for (const file of files) out += fileBlock(file, paint) + '\n';
  const t = totals(files);
  const total = t.errors + t.warnings + t.infos + t.hints;
  const extra = [t.infos ? plural(t.infos, 'info', 'infos') : '', t.hints ? plural(t.hints, 'hint') : ''].filter(Boolean);
  const summary = `\u2716 ${plural(total, 'problem')} (${[plural(t.errors, 'error'), plural(t.warnings, 'warning'), ...extra].join(', ')})`;
  out += paint('bold', paint(t.errors ? 'red' : t.warnings ? 'yellow' : 'blue', summary)) + '\n';
  if (t.fixableErrors || t.fixableWarnings || t.fixableOthers) {
    const parts = [
      t.fixableErrors ? plural(t.fixableErrors, 'error') : '',
      t.fixableWarnings ? plural(t.fixableWarnings, 'warning') : '',
      t.fixableOthers ? plural(t.fixableOthers, 'other problem') : '',
    ].filter(Boolean);
    out += paint('bold', paint(t.errors ? 'red' : 'yellow', `  ${parts.join(', ').replace(/, ([^,]*)$/, ' and $1')} potentially fixable with the \`--fix\` option.`)) + '\n';
  }
  return out;
}

function fileBlock(file: FileReport, paint: ReturnType<typeof painter>): string {
  const rows = file.findings.map((f) => {
    const p = placeOf(file, f).start;
    return { pos: `${p.line}:${p.column}`, severity: f.severity, message: oneLine(f.message), ruleId: f.ruleId };
  });
  const w = (k: 'pos' | 'severity' | 'message') => Math.max(...rows.map((r) => r[k].length));
  const [wp, ws, wm] = [w('pos'), w('severity'), w('message')];
  let out = `${paint('underline', file.path)}\n`;
  for (const r of rows) {
    // Pad before painting: escape codes must not count towards the width.
    out += `  ${paint('gray', r.pos.padEnd(wp))}  ${paint(severityStyle[r.severity] ?? 'gray', r.severity.padEnd(ws))}  ${r.message.padEnd(wm)}  ${paint('gray', r.ruleId)}`.trimEnd() + '\n';
  }
  return out;
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
