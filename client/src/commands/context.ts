import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { AuthoringTextEdit } from '../../../server/src/protocol';
import { displayName } from '../constants';

/**
 * What every authoring command shares: the language client, where the user
 * is working, and conversions. Commands take optional arguments so tests
 * (and keybindings) can drive them without UI; without arguments they ask
 * with quick picks and input boxes. A cancelled prompt ends the command
 * quietly (it returns undefined).
 */
export interface CommandContext {
  readonly client: LanguageClient;
  readonly log: vscode.LogOutputChannel;
  /** The extension's own storage (a report shown in the preview is written there, never in the workspace). */
  readonly storage: vscode.Uri;
}

/** Thrown when a command cannot go on; the message is shown to the user. */
export class CommandError extends Error {}

export function requireRunning(client: LanguageClient): void {
  if (client.state !== State.Running) {
    throw new CommandError(
      'the language server is not running. Turn on msol.enable or run "Microsolidarity: Restart Language Server".',
    );
  }
}

/** The Markdown editor the command works in. */
export function requireMarkdownEditor(): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'markdown' || editor.document.uri.scheme !== 'file') {
    throw new CommandError('open a Markdown page of the site first.');
  }
  return editor;
}

/**
 * A URI inside the site the user works in: the active page, else the first
 * workspace folder (its SUMMARY.md, which need not exist).
 */
export function siteAnchor(folder?: vscode.WorkspaceFolder): vscode.Uri | undefined {
  if (folder) return vscode.Uri.joinPath(folder.uri, 'SUMMARY.md');
  const doc = vscode.window.activeTextEditor?.document;
  if (
    doc &&
    doc.uri.scheme === 'file' &&
    (doc.languageId === 'markdown' || vscode.workspace.getWorkspaceFolder(doc.uri))
  )
    return doc.uri;
  const first = vscode.workspace.workspaceFolders?.[0];
  return first ? vscode.Uri.joinPath(first.uri, 'SUMMARY.md') : undefined;
}

export function toRange(r: AuthoringTextEdit['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Runs a command body: a CommandError or failure is shown (and logged), never thrown into VS Code. */
export function guarded<A extends unknown[], R>(
  ctx: CommandContext,
  name: string,
  body: (...args: A) => Promise<R | undefined>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await body(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof CommandError) {
        void vscode.window.showWarningMessage(`${displayName}: ${name}: ${message}`);
      } else {
        ctx.log.error(`${name} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
        void vscode.window.showErrorMessage(`${displayName}: ${name} failed: ${message}`);
      }
      return undefined;
    }
  };
}

/** Inserts text at the editor's selection (replacing it); returns the range of the inserted text. */
export async function insertAtSelection(editor: vscode.TextEditor, text: string): Promise<vscode.Range> {
  const selection = editor.selection;
  const start = selection.start;
  const ok = await editor.edit((b) => b.replace(selection, text));
  if (!ok) throw new CommandError('the editor refused the edit (was the page changed meanwhile?).');
  const end = editor.document.positionAt(editor.document.offsetAt(start) + text.length);
  editor.selection = new vscode.Selection(end, end);
  return new vscode.Range(start, end);
}

/** Opens Markdown text as a new untitled document beside the active editor. */
export async function showMarkdownBeside(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(document, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
    preview: false,
  });
  return document;
}

/** A string argument, trimmed; undefined when absent or not a string. */
export function stringArg(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
