/**
 * Run on a copy of the fixture site with workspace trust on and the folder
 * not trusted (test/vscode/runTest.js's fourth run): Restricted Mode. The
 * checks run, but the language server runs no `git` (a repository's config
 * can name programs to run): the git shim on PATH records every git call, and
 * none is the server's. The status bar tooltip says what is limited.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activated, codeOf, diagnosticsOf, lineOf, openPage, until } from './helpers';
import { serverGitCalls } from './gitCalls';

suite('Restricted Mode', () => {
  test('the window is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the checks run: a broken link is reported', async () => {
    await activated();
    const document = await openPage('getting-started.md');
    const linkLine = lineOf(document, '](crews.md)');
    await diagnosticsOf(document.uri, 'link-missing-file in Restricted Mode', (all) =>
      all.find((d) => codeOf(d) === 'link-missing-file' && d.range.start.line === linkLine),
    );
  });

  test('the language server ran no git, and the status bar says what is limited', async () => {
    const api = await activated();
    // Indexing is over: that is when the server reads git history in a trusted workspace.
    await until(
      'msol/status ready',
      [api.onDidChangeStatus],
      () => (api.status?.state === 'ready' ? true : undefined),
      () => JSON.stringify(api.status),
    );
    const log = process.env['MSOL_GIT_SHIM_LOG'];
    assert.ok(log, 'runTest.js puts the git shim on PATH with MSOL_GIT_SHIM_LOG');
    // The server inherits this PATH: any git it ran would have been the shim (the trusted run sees its calls there).
    const gitDir = (process.env['PATH'] ?? '').split(':').find((dir) => dir && existsSync(join(dir, 'git')));
    assert.match(gitDir ?? '(no git on PATH)', /git-shim$/);
    const calls = existsSync(log) ? readFileSync(log, 'utf8') : '';
    assert.deepEqual(serverGitCalls(calls), [], `git calls recorded:\n${calls}`);
    assert.match(api.statusBarTooltip, /Restricted Mode/);
    assert.match(api.statusBarTooltip, /no `git` is run/);
    assert.match(api.statusBarText, /workspace-untrusted/);
  });
});
