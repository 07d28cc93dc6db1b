/**
 * Shared helpers of the vscode tests. Every wait here is on an event or a
 * state, with a deadline that fails the test with what was seen; nothing sleeps.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MsolApi } from '../../../client/src/extension';

export const extensionId = 'microsolidarity.microsolidarity-authoring';

/** How long a single wait may take before the test fails (the server indexes the site first). */
export const waitMs = 45_000;

/** The running extension's API, after its first start has finished. */
export async function activated(): Promise<MsolApi> {
  const ext = vscode.extensions.getExtension<MsolApi>(extensionId);
  assert.ok(ext, `extension ${extensionId} is not installed in the test host`);
  const api = await ext.activate();
  await api.ready;
  return api;
}

/** The workspace folder the tests run in (a copy of test/vscode/fixtures/workspace). */
export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/**
 * Resolves with the first value `check` returns that is not undefined: at
 * once if it already holds, else after one of `events` fires. Rejects after
 * `ms` with `describe()` of the last state.
 */
export function until<T>(
  what: string,
  events: ReadonlyArray<vscode.Event<unknown>>,
  check: () => T | undefined,
  describe: () => string = () => '',
  ms = waitMs,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const done = (fn: () => void) => {
      clearTimeout(timer);
      subscriptions.forEach((s) => s.dispose());
      fn();
    };
    const probe = () => {
      let value: T | undefined;
      try {
        value = check();
      } catch (error) {
        done(() => reject(error));
        return;
      }
      if (value !== undefined) done(() => resolve(value));
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}. ${describe()}`))),
      ms,
    );
    for (const e of events) subscriptions.push(e(probe));
    probe();
  });
}

/** Waits until the diagnostics of `uri` satisfy `check` (onDidChangeDiagnostics). */
export function diagnosticsOf<T>(
  uri: vscode.Uri,
  what: string,
  check: (diagnostics: vscode.Diagnostic[]) => T | undefined,
): Promise<T> {
  return until(
    what,
    [vscode.languages.onDidChangeDiagnostics],
    () => check(vscode.languages.getDiagnostics(uri)),
    () => `Diagnostics of ${uri.path}: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`,
  );
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map((d) => `[${d.source}:${codeOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1}] ${d.message}`)
    .join(' | ');
}

/** A diagnostic's code as a string (`code` may be `{ value, target }`). */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return String(typeof c === 'object' ? c.value : c);
}

/** The zero-based line of the first line that contains `needle`. */
export function lineOf(document: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < document.lineCount; i++) if (document.lineAt(i).text.includes(needle)) return i;
  assert.fail(`${document.uri.path} has no line containing ${JSON.stringify(needle)}`);
}

/** Opens a fixture page in an editor. */
export async function openPage(...segments: string[]): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(...segments));
  await vscode.window.showTextDocument(document);
  return document;
}
