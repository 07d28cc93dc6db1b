/**
 * `.msolrc.json` is JSON with comments: VS Code opens it as `jsonc`, so its
 * JSON checker accepts the comments and still validates against the schema.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, describeDiagnostics, until, workspaceUri } from './helpers';

suite('.msolrc.json', () => {
  test('opens as JSON with comments: comments are fine, the schema still applies', async () => {
    await activated();
    const uri = workspaceUri('.msolrc.json');
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from('{\n  // the site\'s own settings\n  "rules": { "link-missing-file": "loud" }\n}\n'),
    );
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      assert.equal(document.languageId, 'jsonc');
      // The schema's complaint about "loud" shows the JSON checker has looked at the file.
      const json = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'msol');
      await until(
        'the JSON checker to report "loud"',
        [vscode.languages.onDidChangeDiagnostics],
        () => (json().some((d) => /loud|not (one|valid)|Value is not accepted/i.test(d.message)) ? true : undefined),
        () => describeDiagnostics(vscode.languages.getDiagnostics(uri)),
      );
      assert.deepEqual(
        json()
          .filter((d) => /comment/i.test(d.message))
          .map((d) => d.message),
        [],
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      // An invalid severity leaves the effective config as it was: removing the file changes nothing else.
      await vscode.workspace.fs.delete(uri);
    }
  });
});
