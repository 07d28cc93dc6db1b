import type { Report } from '../report';
import { placeOf } from '../report';

/**
 * GitHub Actions workflow commands: one annotation per finding on the pull
 * request's diff. Values are escaped as the runner expects (actions/toolkit
 * `command.ts`): `%`, CR and LF everywhere, plus `:` and `,` in properties.
 */

export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const commandOf = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

export function formatGithub(report: Report): string {
  let out = '';
  for (const file of report.files) {
    for (const f of file.findings) {
      const { start, end } = placeOf(file, f);
      const props: Array<[string, string | number]> = [
        ['file', file.path],
        ['line', start.line],
        ['col', start.column],
        ['endLine', end.line],
        ['endColumn', end.column],
        ['title', `msol(${f.ruleId})`],
      ];
      const message = f.url ? `${f.message} (${f.url})` : f.message;
      out += `::${commandOf[f.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}\n`;
    }
  }
  return out;
}
