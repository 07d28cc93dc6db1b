import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated } from './helpers';

const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

suite('Snippets', () => {
  test('the GitBook and article snippets are offered in Markdown', async () => {
    await activated();
    // An untitled document: the language server ignores it (file scheme only), so only snippets answer.
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'hin' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 3));
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(labelOf);
    for (const prefix of ['hint', 'gitbook-hint']) assert.ok(snippets.includes(prefix), `snippet ${prefix} not offered; snippets: ${JSON.stringify(snippets)}`);
    const hint = list.items.find((i) => labelOf(i) === 'hint' && i.kind === vscode.CompletionItemKind.Snippet)!;
    const body = hint.insertText instanceof vscode.SnippetString ? hint.insertText.value : String(hint.insertText);
    assert.match(body, /^\{% hint style="\$\{1\|info,success,warning,danger\|\}" %\}\n/);
    assert.match(body, /\{% endhint %\}$/);
  });
});
