import * as assert from 'node:assert/strict';
import type { CheckSiteRequest } from '../../../server/src/protocol';
import * as vscode from 'vscode';
import { activated, codeOf, diagnosticsOf, workspaceUri } from './helpers';

suite('Check whole site', () => {
  test('checks every page and puts the problems of pages never opened in Problems', async () => {
    await activated();
    const result = await vscode.commands.executeCommand<CheckSiteRequest.Result | undefined>('msol.checkSite');
    assert.ok(result, 'msol.checkSite returned no result');
    assert.ok(result.pages >= 4, `expected at least the fixture's 4 pages, got ${JSON.stringify(result)}`);
    // getting-started.md: a moved page and a missing image; articles/meeting.md: a missing agenda.
    assert.ok(
      result.errors >= 3,
      `expected the fixture's 3 missing files among the errors, got ${JSON.stringify(result)}`,
    );
    // articles/meeting.md is not opened by any test.
    const meeting = workspaceUri('articles', 'meeting.md');
    assert.equal(
      vscode.workspace.textDocuments.some((d) => d.uri.toString() === meeting.toString()),
      false,
    );
    const found = await diagnosticsOf(meeting, 'link-missing-file on articles/meeting.md', (all) =>
      all.find((d) => codeOf(d) === 'link-missing-file' && /agenda\.md/.test(d.message)),
    );
    assert.equal(found.range.start.line, 2);
  });
});
