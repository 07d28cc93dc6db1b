import * as nodePath from 'node:path';
import type { Finding, Span } from '../engine/index';
import { LineIndex } from '../engine/index';

/**
 * What every output format prints: the findings per file, with the file's
 * text when it could be read (for `actual`, SARIF fix regions and the BOM).
 * Positions become 1-based here, in exactly one place.
 */

export interface FileReport {
  /** Relative to the cwd, POSIX separators: what users and CI annotate. */
  readonly path: string;
  readonly absolutePath: string;
  /** The site the file was checked in (absolute). */
  readonly siteRoot: string;
  readonly findings: readonly Finding[];
  /** The text the findings' offsets refer to (BOM included), when it was read. */
  readonly text?: string;
  /** True when the page was checked (json lists checked pages even without findings). */
  readonly checked: boolean;
}

export interface Report {
  readonly cwd: string;
  readonly files: readonly FileReport[];
  readonly version: string;
}

/** A 1-based point, unist style. */
export interface Point {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Place {
  readonly start: Point;
  readonly end: Point;
}

/** A site path as users see it: relative to the cwd, POSIX separators. */
export function displayPath(cwd: string, siteRoot: string, sitePath: string): string {
  const rel = nodePath.relative(cwd, nodePath.resolve(siteRoot, sitePath));
  return (rel === '' ? '.' : rel).split(nodePath.sep).join('/');
}

const lineIndexes = new WeakMap<FileReport, LineIndex>();

function hasBom(file: FileReport): boolean {
  return file.text?.charCodeAt(0) === 0xfeff;
}

/**
 * The engine counts a byte-order mark as a character of line 1 (its offsets
 * address the file's text). Editors, GitHub and SARIF viewers do not show it,
 * so columns on line 1 drop it; offsets keep it.
 */
function column(file: FileReport, line: number, character: number): number {
  return Math.max(1, line === 0 && hasBom(file) ? character : character + 1);
}

export function placeOf(file: FileReport, finding: Finding): Place {
  const { start, end } = finding.range;
  return {
    start: { line: start.line + 1, column: column(file, start.line, start.character), offset: finding.span.start },
    end: { line: end.line + 1, column: column(file, end.line, end.character), offset: finding.span.end },
  };
}

/** The place of any span of the file (a fix's edit); undefined without the text. */
export function placeOfSpan(file: FileReport, span: Span): Place | undefined {
  if (file.text === undefined) return undefined;
  let lines = lineIndexes.get(file);
  if (!lines) lineIndexes.set(file, (lines = new LineIndex(file.text)));
  const s = lines.positionAt(span.start);
  const e = lines.positionAt(span.end);
  return {
    start: { line: s.line + 1, column: column(file, s.line, s.character), offset: span.start },
    end: { line: e.line + 1, column: column(file, e.line, e.character), offset: span.end },
  };
}

/** The text a finding points at, when it is a non-empty span of a file that was read. */
export function actualText(file: FileReport, finding: Finding): string | undefined {
  if (file.text === undefined || finding.span.end <= finding.span.start || finding.span.end > file.text.length)
    return undefined;
  return file.text.slice(finding.span.start, finding.span.end);
}

/** The replacement texts a finding offers: its safe fix first, then the suggestions; single-edit fixes only. */
export function expectedTexts(finding: Finding): string[] | undefined {
  const out: string[] = [];
  for (const fix of [...(finding.fix ? [finding.fix] : []), ...(finding.suggestions ?? [])]) {
    if (fix.edits.length === 1) out.push(fix.edits[0]!.newText);
  }
  return out.length ? out : undefined;
}

export interface Totals {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly hints: number;
  readonly fixableErrors: number;
  readonly fixableWarnings: number;
  /** Info and hint findings with a safe fix: `--fix` applies them too. */
  readonly fixableOthers: number;
}

export function totals(files: readonly FileReport[]): Totals {
  let errors = 0,
    warnings = 0,
    infos = 0,
    hints = 0,
    fixableErrors = 0,
    fixableWarnings = 0,
    fixableOthers = 0;
  for (const f of files) {
    for (const x of f.findings) {
      if (x.severity === 'error') {
        errors++;
        if (x.fix) fixableErrors++;
      } else if (x.severity === 'warning') {
        warnings++;
        if (x.fix) fixableWarnings++;
      } else {
        if (x.severity === 'info') infos++;
        else hints++;
        if (x.fix) fixableOthers++;
      }
    }
  }
  return { errors, warnings, infos, hints, fixableErrors, fixableWarnings, fixableOthers };
}

export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}
