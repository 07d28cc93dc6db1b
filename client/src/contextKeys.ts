import * as vscode from 'vscode';
import type { PreviewApi } from './preview/index';

/**
 * Context keys for the editor's context menu: `msol.onImage` when the cursor
 * is on an image ("Add Attribution…"), `msol.onTerm` when it is on a glossary
 * term ("Insert Term Definition…"). Read from the cursor's line and the
 * site's glossary the preview already holds: no request per cursor move.
 */

/** Markdown images and HTML `<img>` on a line, as [start, end) columns. */
export function imageSpans(line: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of line.matchAll(/!\[(?:[^\]\\]|\\.)*\]\((?:<[^>]*>|[^)\s]*)(?:\s+"[^"]*")?\)|<img\b[^>]*>/gi))
    out.push([m.index, m.index + m[0].length]);
  return out;
}

export function registerContextKeys(preview: PreviewApi): vscode.Disposable {
  let onImage = false;
  let onTerm = false;
  const set = (key: string, value: boolean, last: boolean) => {
    if (value !== last) void vscode.commands.executeCommand('setContext', key, value);
    return value;
  };
  const update = (editor: vscode.TextEditor | undefined) => {
    const doc = editor?.document;
    const markdown = doc !== undefined && doc.languageId === 'markdown' && doc.uri.scheme === 'file';
    const at = editor?.selection.active;
    const line = markdown && at ? doc.lineAt(at.line).text : '';
    const image =
      markdown && at !== undefined && imageSpans(line).some(([s, e]) => s <= at.character && at.character <= e);
    const word = markdown && at ? doc.getWordRangeAtPosition(at, /[\p{L}\p{N}][\p{L}\p{N}'’-]*/u) : undefined;
    const term = markdown && word !== undefined && preview.termOf(doc.uri, doc.getText(word)) !== undefined;
    onImage = set('msol.onImage', image, onImage);
    onTerm = set('msol.onTerm', term, onTerm);
  };
  update(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.window.onDidChangeTextEditorSelection((e) => update(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
