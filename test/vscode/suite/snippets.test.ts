import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expandSnippet } from '../../engine/snippetExpansion';
import { activated, extensionId } from './helpers';

const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

interface Snippet {
  readonly prefix: string | string[];
  readonly body: string | string[];
}

/** The Markdown snippets as package.json contributes them, read from the installed extension. */
function contributedSnippets(): [string, Snippet][] {
  const ext = vscode.extensions.getExtension(extensionId)!;
  const manifest = ext.packageJSON as { contributes: { snippets: { language: string; path: string }[] } };
  const files = manifest.contributes.snippets.filter((s) => s.language === 'markdown');
  assert.ok(files.length > 0, 'no Markdown snippets contributed');
  return files.flatMap((f) =>
    Object.entries(JSON.parse(readFileSync(join(ext.extensionPath, f.path), 'utf8')) as Record<string, Snippet>),
  );
}

const prefixesOf = (s: Snippet) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]);

suite('Snippets', () => {
  test('the GitBook and article snippets are offered in Markdown', async () => {
    await activated();
    // An untitled document: the language server ignores it (file scheme only), so only snippets answer.
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'hin' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(0, 3),
    );
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(labelOf);
    for (const prefix of ['hint', 'gitbook-hint'])
      assert.ok(snippets.includes(prefix), `snippet ${prefix} not offered; snippets: ${JSON.stringify(snippets)}`);
    const hint = list.items.find((i) => labelOf(i) === 'hint' && i.kind === vscode.CompletionItemKind.Snippet)!;
    const body = hint.insertText instanceof vscode.SnippetString ? hint.insertText.value : String(hint.insertText);
    assert.match(body, /^\{% hint style="\$\{1\|info,success,warning,danger\|\}" %\}\n/);
    assert.match(body, /\{% endhint %\}$/);
  });

  test('every contributed snippet is offered by each of its prefixes', async () => {
    await activated();
    const missing: string[] = [];
    for (const [name, snippet] of contributedSnippets()) {
      for (const prefix of prefixesOf(snippet)) {
        const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: prefix });
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          document.uri,
          new vscode.Position(0, prefix.length),
        );
        const item = list.items.find((i) => i.kind === vscode.CompletionItemKind.Snippet && labelOf(i) === prefix);
        if (!item) missing.push(`${name} (${prefix})`);
      }
    }
    assert.deepEqual(missing, [], 'snippets not offered');
  });

  test('every contributed snippet inserts its text (editor.action.insertSnippet by name)', async () => {
    await activated();
    const problems: string[] = [];
    for (const [name, snippet] of contributedSnippets()) {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'markdown', name });
      const inserted = document.getText();
      const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
      // What VS Code inserts with nothing selected: defaults, empty tab stops, a choice's first option.
      const expected = expandSnippet(body, { emptyStop: '', variable: () => '' });
      if (/\$\{?TM_FILENAME/.test(body)) {
        // The file name of an untitled page is VS Code's to choose: compare up to it.
        const head = expected.split('\n').slice(0, 3).join('\n');
        if (!inserted.startsWith(head))
          problems.push(
            `${name}: inserted ${JSON.stringify(inserted)}, expected it to start with ${JSON.stringify(head)}`,
          );
      } else if (inserted !== expected) {
        problems.push(`${name}: inserted ${JSON.stringify(inserted)}, expected ${JSON.stringify(expected)}`);
      }
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    assert.deepEqual(problems, []);
  });
});
