import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  WorkspaceDiagnosticRequest,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { Site, TestClient, byCode, codes, pullClient } from './harness';

/** The client's `msol.rules` setting: the editor's severities over `.msolrc.json`'s, read at every pull. */

describe('msol.rules', () => {
  const sites: Site[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const s of sites) s.cleanup();
  });

  it('turns rules off and changes severities in the editor, per folder, from the next pull on', async () => {
    const site = new Site({
      'SUMMARY.md': '# Contents\n\n* [Home](README.md)\n',
      'README.md': '# Home\n\nA [missing page](missing.md).\n',
      'orphan.md': '# Orphan\n\nNot in the summary, and [gone](gone.md).\n',
    });
    sites.push(site);
    let rules: Record<string, unknown> = {
      'link-missing-file': 'off',
      'summary-orphan-page': 'error',
      'no-such-rule': 'off',
      'term-case': 'loud',
    };
    const asked: string[] = [];
    const client = await TestClient.start({
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
      capabilities: { ...pullClient, workspace: { ...pullClient.workspace, configuration: true } },
    });
    clients.push(client);
    client.connection.onRequest(
      'workspace/configuration',
      (p: { items: Array<{ scopeUri?: string; section?: string }> }) =>
        p.items.map((i) => {
          if (i.section !== 'msol') return null;
          asked.push(i.scopeUri ?? '');
          return { rules };
        }),
    );
    await client.ready();

    const orphan = await client.pull(site.uri('orphan.md'));
    assert.deepEqual(codes(orphan), ['summary-orphan-page'], 'link-missing-file is off');
    assert.equal(
      orphan[0]!.severity,
      DiagnosticSeverity.Error,
      'summary-orphan-page is an error here (a warning by default)',
    );
    assert.ok(asked.includes(site.rootUri), `asked for the folder's settings: ${JSON.stringify(asked)}`);

    // The workspace pull applies the same settings.
    const all = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const readme = all.items.find((r: WorkspaceDocumentDiagnosticReport) => r.uri === site.uri('README.md'));
    assert.ok(readme && readme.kind === 'full');
    assert.deepEqual(byCode(readme.items, 'link-missing-file'), []);

    // A changed setting counts from the next pull (the client re-pulls when it changes).
    rules = {};
    const again = await client.pull(site.uri('orphan.md'));
    assert.deepEqual(codes(again).sort(), ['link-missing-file', 'summary-orphan-page']);
    assert.equal(byCode(again, 'summary-orphan-page')[0]!.severity, DiagnosticSeverity.Warning);
  });

  it('is not asked for when the client does not answer workspace/configuration', async () => {
    const site = new Site({
      'SUMMARY.md': '* [Home](README.md)\n',
      'README.md': '# Home\n\nA [missing page](missing.md).\n',
    });
    sites.push(site);
    const client = await TestClient.start({
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
      capabilities: { ...pullClient, workspace: { ...pullClient.workspace, configuration: false } },
    });
    clients.push(client);
    await client.ready();
    assert.deepEqual(
      codes(await client.pull(site.uri('README.md'))).filter((c) => c === 'link-missing-file'),
      ['link-missing-file'],
    );
    assert.equal(client.messages.filter((m) => m.method === 'workspace/configuration').length, 0);
  });
});
