import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionKind,
  WorkspaceDiagnosticRequest,
  type Diagnostic,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { TestClient, repoRoot } from './harness';
import { generateSite } from '../../scripts/bench/generate-site.mjs';

/**
 * Issue 16: the language server indexes with the CLI's machinery, phase one
 * on worker threads and from the persistent cache `msol check` writes. A
 * workspace that `msol check` has checked is indexed from that cache (phase
 * one and the workspace rules' findings), read only: the server writes no
 * file. Whatever it takes from the cache, its diagnostics are those of a
 * server that had none, before and after an edit other pages can see.
 */

const pages = 60;
let base: string;
let site: string;
let withCache: string;
let empty: string;

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = nodePath.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(nodePath.relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

type Report = Map<string, string[]>;

/** Every file's diagnostics as `line:character code message`, by URI. */
async function workspaceDiagnostics(client: TestClient): Promise<Report> {
  const result = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  const out: Report = new Map();
  for (const item of result.items as WorkspaceDocumentDiagnosticReport[]) {
    if (item.kind !== 'full' || item.items.length === 0) continue;
    out.set(
      item.uri,
      item.items.map(
        (d: Diagnostic) =>
          `${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`,
      ),
    );
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const logged = (client: TestClient, pattern: RegExp) =>
  client.waitFor(`a log line matching ${pattern}`, (m) =>
    m.method === 'window/logMessage' && pattern.test((m.params as { message: string }).message)
      ? (m.params as { message: string }).message
      : undefined,
  );

describe('the language server and the persistent cache of msol check (issue 16)', () => {
  const clients: TestClient[] = [];
  before(() => {
    base = mkdtempSync(nodePath.join(tmpdir(), 'msol-lsp-cache-'));
    site = nodePath.join(base, 'site');
    generateSite({ pages, out: site, seed: 5 });
    // A bold term defined on an ordinary page: its quick fix reads the paragraph that lean facts leave out.
    const notes = nodePath.join(site, 'articles', 'field-notes.md');
    writeFileSync(notes, `${readFileSync(notes, 'utf8')}\nA **Wobblecrew** is a crew that wobbles on purpose.\n`);
    withCache = nodePath.join(base, 'xdg-with-cache');
    empty = nodePath.join(base, 'xdg-empty');
    mkdirSync(empty);
    const check = spawnSync(process.execPath, [nodePath.join(repoRoot, 'bin', 'msol.js'), 'check', '.'], {
      cwd: site,
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: withCache, MSOL_CACHE_KEY: '' },
    });
    assert.ok(check.status === 0 || check.status === 1, check.stderr);
  });
  after(async () => {
    for (const c of clients) await c.dispose();
    rmSync(base, { recursive: true, force: true });
  });

  const start = async (xdg: string) => {
    const client = await TestClient.start({
      workspaceFolders: [{ uri: URI.file(site).toString(), name: 'site' }],
      env: { XDG_CACHE_HOME: xdg, MSOL_CACHE_KEY: '', MSOL_WORKERS: '2' },
    });
    clients.push(client);
    await client.ready();
    return client;
  };

  it('takes phase one and the workspace findings from the cache, reports what a server without it reports, and writes nothing', async () => {
    const before = files(withCache);
    const warm = await start(withCache);
    const fromCache = await workspaceDiagnostics(warm);
    const stats = await logged(warm, /site checked with the cache/);
    assert.match(stats, new RegExp(`"cacheHits":${pages}\\b`), stats);
    assert.match(stats, new RegExp(`"workspaceHits":${pages}\\b`), stats);
    assert.match(stats, /"analysedInMain":0,"analysedInWorkers":0\b/, stats);

    const cold = await start(empty);
    const computed = await workspaceDiagnostics(cold);
    assert.ok(
      [...computed.values()].flat().length > 20,
      `the site has findings to compare (${[...computed.values()].flat().length})`,
    );
    assert.deepEqual(fromCache, computed);

    assert.deepEqual(files(withCache), before, 'the cache is as msol check left it');
    assert.deepEqual([...files(empty).keys()], [], 'nothing written where there was no cache (not even a signing key)');

    // An edit other pages can see (a heading that other pages link to): the cached workspace findings no longer hold.
    const proposal = URI.file(nodePath.join(site, 'articles', 'proposal.md')).toString();
    const text = readFileSync(nodePath.join(site, 'articles', 'proposal.md'), 'utf8');
    const renamed = text.replace('## Part 2. Crew', '## Part 2. Crews');
    assert.notEqual(renamed, text);
    for (const client of [warm, cold]) await client.open(proposal, renamed);
    const afterWarm = await workspaceDiagnostics(warm);
    const afterCold = await workspaceDiagnostics(cold);
    assert.notDeepEqual(afterCold, computed, 'the rename changed what other pages report');
    assert.deepEqual(afterWarm, afterCold);
  });

  it("a quick fix that reads a page's paragraphs (Add to glossary) works on a page whose facts came lean from the cache", async () => {
    const warm = clients[0]!;
    const uri = URI.file(nodePath.join(site, 'articles', 'field-notes.md')).toString();
    const report = await warm.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const item = (report.items as WorkspaceDocumentDiagnosticReport[]).find((i) => i.uri === uri);
    const diagnostic =
      item?.kind === 'full'
        ? item.items.find((d) => d.code === 'term-undefined' && String(d.message).includes('Wobblecrew'))
        : undefined;
    assert.ok(diagnostic, 'term-undefined is reported for the closed page');
    const actions = await warm.codeActions(uri, diagnostic.range, [diagnostic], [CodeActionKind.QuickFix]);
    assert.ok(
      actions.some((a) => /glossary/i.test(a.title) && a.title.includes('Wobblecrew')),
      `an "Add to glossary" action: ${actions.map((a) => a.title).join('; ')}`,
    );
  });
});
