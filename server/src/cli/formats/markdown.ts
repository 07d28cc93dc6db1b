import type { Finding, Severity } from '../../engine/index';
import type { Report } from '../report';
import { placeOf, plural, totals } from '../report';

/**
 * A report for people reading GitHub: a job summary (`$GITHUB_STEP_SUMMARY`),
 * a pull-request comment. A headline with the totals, a table of findings per
 * page and rule (each rule linked to its docs), then every finding with its
 * place in a collapsed section.
 */

type Shown = Exclude<Severity, 'off'>;
const order: readonly Shown[] = ['error', 'warning', 'info', 'hint'];

/** Table cells hold one line: pipes escaped, line breaks and HTML-looking text made inert. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

function code(text: string): string {
  // A backtick inside is written with a longer fence, as CommonMark allows.
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${cell(text)}${fence.length > 1 ? ' ' : ''}${fence}`;
}

function rule(f: Finding): string {
  return f.url ? `[${code(f.ruleId)}](${f.url})` : code(f.ruleId);
}

export function formatMarkdown(report: Report): string {
  const t = totals(report.files);
  const withFindings = report.files.filter((f) => f.findings.length > 0);
  const checked = report.files.filter((f) => f.checked).length;
  const counts = [
    plural(t.errors, 'error'),
    plural(t.warnings, 'warning'),
    plural(t.infos, 'info'),
    ...(t.hints ? [plural(t.hints, 'hint')] : []),
  ];
  const lines: string[] = [];
  if (withFindings.length === 0) {
    lines.push(`### msol check: no problems in ${plural(checked, 'page')}`, '');
    return lines.join('\n');
  }
  lines.push(`### msol check: ${counts.join(', ')} in ${withFindings.length} of ${plural(checked, 'page')}`, '');
  lines.push('| Page | Rule | Errors | Warnings | Infos |', '| --- | --- | ---: | ---: | ---: |');
  for (const file of withFindings) {
    const byRule = new Map<string, { finding: Finding; n: Record<Shown, number> }>();
    for (const f of file.findings) {
      const row = byRule.get(f.ruleId) ?? { finding: f, n: { error: 0, warning: 0, info: 0, hint: 0 } };
      byRule.set(f.ruleId, row);
      row.n[f.severity]++;
    }
    const rows = [...byRule.values()].sort(
      (a, b) =>
        order.indexOf(worst(a.n)) - order.indexOf(worst(b.n)) || a.finding.ruleId.localeCompare(b.finding.ruleId),
    );
    for (const { finding, n } of rows)
      lines.push(`| ${code(file.path)} | ${rule(finding)} | ${n.error} | ${n.warning} | ${n.info + n.hint} |`);
  }
  lines.push('', `<details><summary>All ${plural(t.errors + t.warnings + t.infos + t.hints, 'finding')}</summary>`, '');
  lines.push('| Place | Severity | Rule | Message |', '| --- | --- | --- | --- |');
  for (const file of withFindings) {
    for (const f of file.findings) {
      const { start } = placeOf(file, f);
      lines.push(
        `| ${code(`${file.path}:${start.line}:${start.column}`)} | ${f.severity} | ${rule(f)} | ${cell(f.message)} |`,
      );
    }
  }
  lines.push('', '</details>', '');
  return lines.join('\n');
}

function worst(n: Record<Shown, number>): Shown {
  return order.find((s) => n[s] > 0) ?? 'hint';
}
