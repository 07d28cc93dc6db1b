import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Position as LspPosition,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Position } from '../engine/index';

/**
 * The one place where engine findings become LSP diagnostics. Everything a
 * quick fix needs travels in `data`, already converted to LSP edits for the
 * document version the finding was made on, so code actions never re-run
 * the engine (the server stays stateless between the two requests).
 */

/** Diagnostics from this server carry this `source`. */
export const diagnosticSource = 'msol';

/** A fix ready for a WorkspaceEdit. */
export interface LspFix {
  readonly title: string;
  readonly edits: LspTextEdit[];
}

/** The `data` of every msol diagnostic. */
export interface DiagnosticData {
  /** The document version the edits apply to; undefined for a file that was not open (its text on disk). */
  readonly version?: number;
  /** The safe fix (`--fix` applies it); the preferred quick fix. */
  readonly fix?: LspFix;
  /** Other fixes the user may pick. */
  readonly suggestions?: LspFix[];
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const okFix = (f: unknown) =>
    typeof f === 'object' &&
    f !== null &&
    typeof (f as LspFix).title === 'string' &&
    Array.isArray((f as LspFix).edits);
  return (
    (v['version'] === undefined || typeof v['version'] === 'number') &&
    (v['fix'] === undefined || okFix(v['fix'])) &&
    (v['suggestions'] === undefined || (Array.isArray(v['suggestions']) && v['suggestions'].every(okFix)))
  );
}

/** Offsets → positions in the exact text the engine analysed (a TextDocument or the engine's LineIndex). */
export interface PositionMapper {
  positionAt(offset: number): Position;
}

export interface ConversionContext {
  /** The text of the finding's file; needed only when a finding has fixes. */
  readonly text: PositionMapper | undefined;
  readonly version: number | undefined;
  /** The URI of another file of the same site (related locations). */
  uriOf(path: string): string | undefined;
  readonly relatedInformation: boolean;
}

const severityMap: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function findingToDiagnostic(finding: Finding, ctx: ConversionContext): Diagnostic {
  const toFix = (fix: Fix): LspFix | undefined => {
    if (!ctx.text) return undefined;
    const text = ctx.text;
    return {
      title: fix.title,
      edits: fix.edits.map((e) => ({
        range: { start: pos(text.positionAt(e.start)), end: pos(text.positionAt(e.end)) },
        newText: e.newText,
      })),
    };
  };
  const fix = finding.fix ? toFix(finding.fix) : undefined;
  const suggestions = (finding.suggestions ?? []).map(toFix).filter((f): f is LspFix => f !== undefined);
  const data: DiagnosticData = {
    ...(ctx.version !== undefined ? { version: ctx.version } : {}),
    ...(fix ? { fix } : {}),
    ...(suggestions.length ? { suggestions } : {}),
  };
  const related: DiagnosticRelatedInformation[] = [];
  if (ctx.relatedInformation) {
    for (const r of finding.related ?? []) {
      const uri = ctx.uriOf(r.path);
      if (uri)
        related.push({
          location: { uri, range: { start: pos(r.range.start), end: pos(r.range.end) } },
          message: r.message,
        });
    }
  }
  return {
    range: { start: pos(finding.range.start), end: pos(finding.range.end) },
    severity: severityMap[finding.severity],
    code: finding.ruleId,
    source: diagnosticSource,
    message: finding.message,
    ...(finding.url ? { codeDescription: { href: finding.url } } : {}),
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
}

function pos(p: Position): LspPosition {
  return { line: p.line, character: p.character };
}

/** Whether a finding needs its file's text to be converted (its fixes carry offsets). */
export function needsText(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.fix !== undefined || (f.suggestions?.length ?? 0) > 0);
}
