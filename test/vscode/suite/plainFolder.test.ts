/**
 * Run on a plain Markdown folder (test/vscode/runTest.js's third run): no
 * SUMMARY.md, .gitbook.yaml, book.toml or .msolrc.json. The extension
 * activates with the first Markdown page (that is its only cost) and then
 * stays out of the way: no server, no status bar item, no problems. Turning
 * `msol.enable` on for the folder brings all of it; `auto` again takes it away.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { MsolApi } from '../../../client/src/extension';
import { codeOf, describeDiagnostics, diagnosticsOf, extensionId, openPage, until, workspaceUri } from './helpers';

const ours = (uri?: vscode.Uri): vscode.Diagnostic[] =>
  (uri ? vscode.languages.getDiagnostics(uri) : vscode.languages.getDiagnostics().flatMap(([, ds]) => ds)).filter(
    (d) => d.source === 'msol',
  );

suite('A plain Markdown folder', () => {
  let api: MsolApi;
  let page: vscode.TextDocument;

  suiteSetup(async () => {
    page = await openPage('README.md');
    const ext = vscode.extensions.getExtension<MsolApi>(extensionId);
    assert.ok(ext);
    api = await ext.activate();
    await api.ready;
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('msol', workspaceUri())
      .update('enable', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('gets nothing from the extension: no server, no status bar item, no problems', () => {
    assert.equal(
      vscode.extensions.getExtension(extensionId)?.isActive,
      true,
      'opening a Markdown page activates it (the activation check)',
    );
    assert.deepEqual(api.scope, { folders: [], loosePages: false });
    // The server was never started: nothing could report a problem.
    assert.equal(api.client.state, State.Stopped);
    assert.equal(api.statusBarVisible, false);
    assert.deepEqual(
      ours().map((d) => d.message),
      [],
    );
  });

  test('msol.enable "on" for the folder checks it; "auto" again leaves it', async () => {
    await vscode.workspace
      .getConfiguration('msol', workspaceUri())
      .update('enable', 'on', vscode.ConfigurationTarget.Workspace);
    const problem = await diagnosticsOf(page.uri, 'link-missing-file once the folder is on', (all) =>
      all.find((d) => codeOf(d) === 'link-missing-file'),
    );
    assert.equal(problem.source, 'msol');
    assert.equal(api.client.state, State.Running);
    assert.equal(api.statusBarVisible, true);

    await vscode.workspace
      .getConfiguration('msol', workspaceUri())
      .update('enable', undefined, vscode.ConfigurationTarget.Workspace);
    await until(
      'the server to stop',
      [api.client.onDidChangeState],
      () => (api.client.state === State.Stopped ? true : undefined),
      () => State[api.client.state],
    );
    await until(
      'msol problems to be gone',
      [vscode.languages.onDidChangeDiagnostics],
      () => (ours(page.uri).length === 0 ? true : undefined),
      () => describeDiagnostics(ours(page.uri)),
    );
    assert.equal(api.statusBarVisible, false);
  });
});
