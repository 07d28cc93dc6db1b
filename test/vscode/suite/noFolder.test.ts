/**
 * Run in a window without a workspace folder (test/vscode/runTest.js's second
 * run): nothing activates the extension until a Markdown page is opened, and
 * then the server checks the page against the folder it sits in.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { MsolApi } from '../../../client/src/extension';
import { codeOf, diagnosticsOf, extensionId, lineOf } from './helpers';

suite('Without a workspace folder', () => {
  let site: string;

  suiteSetup(() => {
    assert.equal(vscode.workspace.workspaceFolders, undefined, 'this suite needs a window without a folder');
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    // A private copy: the server reads the page's folder as its site.
    site = mkdtempSync(join(tmpdir(), 'msol-nofolder-'));
    cpSync(join(ext.extensionPath, 'test', 'vscode', 'fixtures', 'workspace'), site, { recursive: true });
  });

  suiteTeardown(() => {
    if (site) rmSync(site, { recursive: true, force: true });
  });

  test('the extension stays inactive until a Markdown page is opened', () => {
    assert.equal(vscode.extensions.getExtension(extensionId)?.isActive, false);
  });

  test('opening a page activates the extension and the page is checked against its folder', async () => {
    const ext = vscode.extensions.getExtension<MsolApi>(extensionId)!;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(site, 'getting-started.md')));
    await vscode.window.showTextDocument(document);
    const linkLine = lineOf(document, '](crews.md)');
    // Only the extension, activated by onLanguage:markdown on its own, can produce this.
    const problem = await diagnosticsOf(document.uri, 'link-missing-file from the activated extension', (all) =>
      all.find((d) => codeOf(d) === 'link-missing-file' && d.range.start.line === linkLine),
    );
    assert.equal(problem.source, 'msol');
    assert.equal(ext.isActive, true);
    await ext.exports.ready;
    assert.equal(ext.exports.client.state, State.Running);
  });
});
