import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { existsSync, readFileSync } from 'node:fs';
import { activated, extensionId, until } from './helpers';
import { serverGitCalls } from './gitCalls';

suite('Activation', () => {
  test('the extension activates and its API is ready with a running client', async () => {
    const api = await activated();
    assert.equal(vscode.extensions.getExtension(extensionId)?.isActive, true);
    assert.equal(api.client.state, State.Running, 'ready resolved but the client is not running');
    assert.equal(api.client.name, 'Microsolidarity');
    // The fixture folder holds SUMMARY.md: a site, so the extension works here.
    assert.deepEqual(
      api.scope.folders.map((f) => f.name),
      [vscode.workspace.workspaceFolders![0]!.name],
    );
    assert.equal(api.statusBarVisible, true);
  });

  test('every contributed command is registered', async () => {
    await activated();
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: { commands: Array<{ command: string }> };
    };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    for (const id of ['msol.checkSite', 'msol.restartServer', 'msol.openSettings'])
      assert.ok(contributed.includes(id), `package.json does not contribute ${id}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  test('the settings are declared with their defaults and scopes', () => {
    const config = vscode.workspace.getConfiguration('msol');
    assert.equal(config.inspect<string>('enable')?.defaultValue, 'auto');
    assert.equal(config.inspect<string>('trace.server')?.defaultValue, 'off');
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.equal(manifest.contributes.configuration.properties['msol.enable']?.scope, 'resource');
  });

  test('the server reports the site to the status bar', async () => {
    const api = await activated();
    const status = await until(
      'an msol/status with state "ready"',
      [api.onDidChangeStatus],
      () => (api.status?.state === 'ready' ? api.status : undefined),
      () => `last status: ${JSON.stringify(api.status)}`,
    );
    // README, getting-started, articles/crews, articles/meeting (SUMMARY.md may count too).
    assert.ok(status.pages >= 4, `expected the fixture's pages to be counted, got ${JSON.stringify(status)}`);
    // The status bar shows the glossary's size too; the fixture's README defines terms.
    assert.ok(status.glossaryTerms > 0, `expected the glossary to be counted, got ${JSON.stringify(status)}`);
  });

  test("the status bar says in words what it counts, not with the problem counter's icons", async () => {
    const api = await activated();
    await until(
      'msol/status ready',
      [api.onDidChangeStatus],
      () => (api.status?.state === 'ready' ? true : undefined),
      () => JSON.stringify(api.status),
    );
    assert.match(api.statusBarText, /^msol: (no errors or warnings|\d+ errors?(, \d+ warnings?)?|\d+ warnings?)$/);
    assert.match(api.statusBarTooltip, /The whole site: \d+ pages/);
    assert.doesNotMatch(api.statusBarTooltip, /Restricted Mode/);
  });

  test('in a trusted workspace the server reads git history (the git shim recorded its call)', async function () {
    const log = process.env['MSOL_GIT_SHIM_LOG'];
    if (!log) {
      // runTest.js always sets it; a suite started another way has no shim to read.
      this.skip();
    }
    const api = await activated();
    await until(
      'msol/status ready',
      [api.onDidChangeStatus],
      () => (api.status?.state === 'ready' ? true : undefined),
      () => JSON.stringify(api.status),
    );
    const calls = existsSync(log) ? readFileSync(log, 'utf8') : '';
    assert.ok(
      serverGitCalls(calls).some((c) => c.includes('rev-parse --show-prefix')),
      `git calls recorded:\n${calls}`,
    );
  });
});
