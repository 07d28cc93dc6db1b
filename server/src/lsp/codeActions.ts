import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleById, type ParsedDocument } from '../engine/index';
import { disableRuleEdit, type DisableScope } from '../engine/features/directives';
import type { ClientDescription } from './client';
import { diagnosticSource, isDiagnosticData, type LspFix } from './convert';

/**
 * Code actions, built only from what msol diagnostics carry in `data`: the
 * engine is not asked again, so a quick fix is exactly what the diagnostic
 * promised, for the document version it was made on.
 */

/** Applies every safe fix of a document (editor.codeActionsOnSave: { "source.fixAll.msol": "explicit" }). */
export const fixAllKind = `${CodeActionKind.SourceFixAll}.msol`;

/** Whether a client's `only` filter asks for actions of `kind`. */
export function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
}

/** Whether a diagnostic's fixes still fit the document: made for this version (or for the disk text of a file not open then). */
function current(data: { version?: number }, version: number | undefined): boolean {
  return data.version === undefined || version === undefined || data.version === version;
}

/**
 * The title a diagnostic's fix gets when the engine found it unsafe on the
 * document as it is now (Project.verifyFixes: it would leave its finding or
 * add one); undefined when it is safe. Diagnostics are published without
 * this check (it re-parses the page), so code actions ask for it.
 */
export type UnsafeFix = (diagnostic: Diagnostic) => string | undefined;
const allSafe: UnsafeFix = () => undefined;

/** Quick fixes for the diagnostics in a code-action request. */
export function quickFixes(
  uri: string,
  version: number | undefined,
  diagnostics: readonly Diagnostic[],
  client: ClientDescription,
  unsafe: UnsafeFix = allSafe,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== diagnosticSource || !isDiagnosticData(d.data) || !current(d.data, version)) continue;
    const { fix, suggestions } = d.data;
    const offeredOnly = fix ? unsafe(d) : undefined;
    if (fix)
      actions.push(offeredOnly === undefined ? action(fix, d, true) : action({ ...fix, title: offeredOnly }, d, false));
    for (const s of suggestions ?? []) actions.push(action(s, d, false));
  }
  return actions;

  function action(fix: LspFix, diagnostic: Diagnostic, isPreferred: boolean): CodeAction {
    return {
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred,
      edit: workspaceEdit(uri, version, fix.edits, client),
    };
  }
}

/**
 * "Disable rule for this line" and "… for this file" for each msol
 * diagnostic of a rule (markdownlint's and ESLint's quick actions): they write
 * the `msol-disable-*` comment (engine/features/directives.ts). After the
 * fixes, never preferred; only for the text the diagnostics were made on.
 */
export function disableActions(
  uri: string,
  document: TextDocument,
  parsed: ParsedDocument,
  diagnostics: readonly Diagnostic[],
  client: ClientDescription,
): CodeAction[] {
  if (parsed.text !== document.getText()) return [];
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const scope of ['line', 'file'] as DisableScope[]) {
    for (const d of diagnostics) {
      if (d.source !== diagnosticSource || !isDiagnosticData(d.data) || !current(d.data, document.version)) continue;
      const ruleId = String(d.code ?? '');
      if (!ruleById(ruleId)) continue;
      const key = `${scope}:${ruleId}:${scope === 'line' ? d.range.start.line : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const found = disableRuleEdit(parsed, ruleId, document.offsetAt(d.range.start), scope);
      if (!found) continue;
      const edits = found.edits.map((e) => ({
        range: { start: document.positionAt(e.start), end: document.positionAt(e.end) },
        newText: e.newText,
      }));
      actions.push({
        title: found.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: workspaceEdit(uri, document.version, edits, client),
      });
    }
  }
  return actions;
}

/** One action applying every safe fix among a document's diagnostics (overlapping edits: the first wins). */
export function fixAll(
  uri: string,
  version: number | undefined,
  diagnostics: readonly Diagnostic[],
  client: ClientDescription,
  unsafe: UnsafeFix = allSafe,
): CodeAction | undefined {
  const edits: TextEdit[] = [];
  const fixed: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (
      d.source !== diagnosticSource ||
      !isDiagnosticData(d.data) ||
      !d.data.fix ||
      !current(d.data, version) ||
      unsafe(d) !== undefined
    )
      continue;
    edits.push(...d.data.fix.edits);
    fixed.push(d);
  }
  const kept = nonOverlapping(edits);
  if (kept.length === 0) return undefined;
  return {
    title: 'Fix all safe msol problems',
    kind: fixAllKind,
    diagnostics: fixed,
    edit: workspaceEdit(uri, version, kept, client),
  };
}

function workspaceEdit(
  uri: string,
  version: number | undefined,
  edits: TextEdit[],
  client: ClientDescription,
): WorkspaceEdit {
  return client.documentChanges
    ? { documentChanges: [{ textDocument: { uri, version: version ?? null }, edits }] }
    : { changes: { [uri]: edits } };
}

function compare(a: TextEdit['range']['start'], b: TextEdit['range']['start']): number {
  return a.line - b.line || a.character - b.character;
}

function nonOverlapping(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => compare(a.range.start, b.range.start) || compare(a.range.end, b.range.end));
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && compare(e.range.start, last.range.end) < 0) continue;
    // Two insertions at one point would apply in an undefined order: keep the first.
    if (last && compare(e.range.start, last.range.start) === 0 && compare(last.range.start, last.range.end) === 0)
      continue;
    out.push(e);
  }
  return out;
}
