import type { Finding } from '../../engine/index';
import type { FileReport, Place, Report } from '../report';
import { actualText, expectedTexts, placeOf } from '../report';

/**
 * The unified ecosystem's machine-readable report (vfile-reporter-json's
 * shape): one entry per checked file, each message a serialised VFileMessage.
 * Lines and columns are 1-based; offsets are the file's UTF-16 offsets.
 */

export interface JsonMessage {
  readonly reason: string;
  /** Why it matters (vfile-message's `note`), when the finding says more than its message. */
  readonly note?: string;
  readonly line: number;
  readonly column: number;
  readonly place: Place;
  readonly ruleId: string;
  readonly source: 'msol';
  /** true: error; false: warning; null: info or hint (vfile's "not fatal, just informational"). */
  readonly fatal: boolean | null;
  readonly url: string | null;
  readonly expected?: readonly string[];
  readonly actual?: string;
  readonly file: string;
  readonly name: string;
}

export interface JsonFile {
  readonly path: string;
  readonly cwd: string;
  readonly history: readonly string[];
  readonly messages: readonly JsonMessage[];
}

export function toJsonFiles(report: Report, options: { readonly quiet: boolean }): JsonFile[] {
  // Like vfile-reporter-json's `quiet`: files without messages are left out.
  const files = options.quiet ? report.files.filter((f) => f.findings.length > 0) : report.files;
  return files.map((file) => ({
    path: file.path,
    cwd: report.cwd,
    history: [file.path],
    messages: file.findings.map((f) => message(file, f)),
  }));
}

export function formatJson(report: Report, options: { readonly quiet: boolean }): string {
  return JSON.stringify(toJsonFiles(report, options)) + '\n';
}

function message(file: FileReport, f: Finding): JsonMessage {
  const place = placeOf(file, f);
  const expected = expectedTexts(f);
  const actual = actualText(file, f);
  return {
    reason: f.message,
    ...(f.note ? { note: f.note } : {}),
    line: place.start.line,
    column: place.start.column,
    place,
    ruleId: f.ruleId,
    source: 'msol',
    fatal: f.severity === 'error' ? true : f.severity === 'warning' ? false : null,
    url: f.url ?? null,
    ...(expected ? { expected } : {}),
    ...(actual !== undefined ? { actual } : {}),
    file: file.path,
    name: `${place.start.line}:${place.start.column}-${place.end.line}:${place.end.column}`,
  };
}
