import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fork } from 'node:child_process';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  IPCMessageReader,
  IPCMessageWriter,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  TextDocumentSyncKind,
  WorkspaceDiagnosticRequest,
  createProtocolConnection,
  type TextDocumentSyncOptions,
} from 'vscode-languageserver-protocol/node';
import { CheckSiteRequest } from '../../server/src/protocol';
import { Site, TestClient, byCode, ensureBundle, pullClient, pushClient, serverPath } from './harness';

/** Errors and warnings over the whole site, as workspace/diagnostic reports them. */
async function workspaceCounts(client: TestClient): Promise<{ errors: number; warnings: number }> {
  const report = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  const all = report.items.flatMap((i) => (i.kind === 'full' ? i.items : []));
  return {
    errors: all.filter((d) => d.severity === DiagnosticSeverity.Error).length,
    warnings: all.filter((d) => d.severity === DiagnosticSeverity.Warning).length,
  };
}

const pages = {
  'README.md': '# Home\n\nSee the [proposal](articles/proposal.md) and [a lost page](lost.md).\n',
  'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n',
  'articles/proposal.md': '# Proposal\n\n## Part 1. Collapse\n',
};

describe('lifecycle', () => {
  const sites: Site[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const s of sites) s.cleanup();
  });
  const start = async (capabilities = pullClient) => {
    const site = new Site(pages);
    sites.push(site);
    const client = await TestClient.start({
      capabilities,
      workspaceFolders: [{ uri: site.rootUri, name: 'handbook' }],
    });
    clients.push(client);
    return { site, client };
  };

  it('advertises pull diagnostics, quick fixes, fix-all and incremental sync to a pull client', async () => {
    const { client } = await start();
    const caps = client.initializeResult.capabilities;
    assert.equal((caps.textDocumentSync as TextDocumentSyncOptions).change, TextDocumentSyncKind.Incremental);
    assert.equal((caps.textDocumentSync as TextDocumentSyncOptions).openClose, true);
    assert.deepEqual(caps.diagnosticProvider, {
      identifier: 'msol',
      interFileDependencies: true,
      workspaceDiagnostics: true,
    });
    assert.deepEqual(caps.codeActionProvider, {
      codeActionKinds: ['quickfix', 'source.fixAll.msol', 'source.msol.termCase'],
      resolveProvider: false,
    });
    assert.deepEqual(caps.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
    assert.equal(client.initializeResult.serverInfo?.name, 'msol');
  });

  it('offers no pull diagnostics to a client that cannot pull', async () => {
    const { client } = await start(pushClient);
    assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
    assert.ok(client.initializeResult.capabilities.codeActionProvider);
  });

  it('reports indexing as work-done progress and the site status when ready', async () => {
    const { client } = await start();
    const status = await client.ready();
    assert.equal(status.pages, 3);
    assert.ok(status.errors >= 1, 'the link to lost.md is an error');
    assert.deepEqual(
      { errors: status.errors, warnings: status.warnings },
      await workspaceCounts(client),
      'the status counts what workspace diagnostics report',
    );
    const progress = client.messages
      .filter((m) => m.type === 'progress')
      .map((m) => (m.params as { value: { kind: string; message?: string } }).value);
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    assert.ok(
      progress.some((p) => p.kind === 'report' && p.message === '3/3 pages'),
      JSON.stringify(progress),
    );
    const created = client.messages.find((m) => m.method === 'window/workDoneProgress/create');
    assert.ok(created, 'the progress token is created through the client');
    const indexing = client.messages.findIndex(
      (m) => m.method === 'msol/status' && (m.params as { state: string }).state === 'indexing',
    );
    const ready = client.messages.findIndex(
      (m) => m.method === 'msol/status' && (m.params as { state: string }).state === 'ready',
    );
    assert.ok(indexing >= 0 && indexing < ready, 'indexing is announced before ready');
  });

  it("answers msol/checkSite with the whole site's counts", async () => {
    const { client } = await start();
    const result = await client.connection.sendRequest(CheckSiteRequest.type, undefined);
    assert.equal(result.pages, 3);
    assert.ok(result.errors >= 1);
    assert.deepEqual({ errors: result.errors, warnings: result.warnings }, await workspaceCounts(client));
  });

  it('answers requests it cannot serve with empty results and keeps serving', async () => {
    const { site, client } = await start();
    // Not a file: no site can hold it.
    const untitled = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri: 'untitled:Untitled-1' },
    });
    assert.deepEqual(untitled, { kind: 'full', items: [] });
    // A diagnostic whose data is not ours (another extension's, or mangled) gives no action, and no error.
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: site.uri('README.md') },
      range,
      context: {
        diagnostics: [
          { range, message: 'x', source: 'msol', data: { fix: { title: 3, edits: 'nope' } } },
          { range, message: 'y', source: 'other', data: null },
        ],
      },
    });
    assert.deepEqual(actions, []);
    // Still alive and correct.
    await client.open(site.uri('README.md'), pages['README.md']);
    const items = await client.pull(site.uri('README.md'));
    assert.equal(byCode(items, 'link-missing-file').length, 1);
  });

  it('also speaks over Node IPC (--node-ipc), as the VS Code client starts it', async () => {
    const site = new Site(pages);
    sites.push(site);
    ensureBundle();
    const child = fork(serverPath, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: [{ uri: site.rootUri, name: 'h' }],
        capabilities: pullClient,
      });
      assert.equal(result.serverInfo?.name, 'msol');
      await connection.sendNotification(InitializedNotification.type, {});
      const uri = site.uri('README.md');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'markdown', version: 1, text: pages['README.md'] },
      });
      const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      assert.equal(report.kind === 'full' ? byCode(report.items, 'link-missing-file').length : -1, 1);
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });

  it('shuts down and exits with code 0', async () => {
    const { client } = await start();
    await client.ready();
    assert.equal(await client.stop(), 0);
  });
});
