import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Site, TestClient, byCode, pushClient } from './harness';

/** A client without textDocument.diagnostic: the server publishes, after a quiet period, only what changed. */

const files = {
  'README.md': '# Home\n\nSee the [proposal](proposal.md).\n',
  'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Other](other.md)\n',
  'articles/proposal.md': '# Proposal\n\n## Part 1. Collapse\n',
  'other.md': '# Other\n\nA [dead link](nowhere.md).\n',
};

describe('push diagnostics (client without pull)', () => {
  let site: Site;
  let client: TestClient;
  before(async () => {
    site = new Site(files);
    client = await TestClient.start({
      capabilities: pushClient,
      workspaceFolders: [{ uri: site.rootUri, name: 'handbook' }],
    });
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it("publishes an opened page's problems, with its version", async () => {
    const uri = site.uri('README.md');
    await client.open(uri, files['README.md'], 7);
    const published = await client.waitFor('README.md diagnostics', (m) => {
      const p = m.params as { uri?: string; version?: number; diagnostics?: { code?: unknown }[] };
      return m.method === 'textDocument/publishDiagnostics' &&
        p.uri === uri &&
        p.version === 7 &&
        p.diagnostics?.some((d) => d.code === 'link-missing-file')
        ? p
        : undefined;
    });
    const [d] = byCode(published.diagnostics as never, 'link-missing-file');
    assert.deepEqual((d as { range: unknown }).range, {
      start: { line: 2, character: 19 },
      end: { line: 2, character: 30 },
    });
  });

  it("publishes closed pages' problems too, once the site is indexed", async () => {
    const [d] = byCode(await client.waitForPublished(site.uri('other.md'), (ds) => ds.length > 0), 'link-missing-file');
    assert.ok(d);
  });

  it('re-publishes only the document that changed, and clears it when fixed', async () => {
    const readme = site.uri('README.md');
    const other = site.uri('other.md');
    // Wait for the initial round to settle on both files before counting.
    await client.waitForPublished(other, (ds) => ds.length > 0);
    const mark = client.mark;
    await client.change(readme, {
      range: { start: { line: 2, character: 19 }, end: { line: 2, character: 30 } },
      text: 'articles/proposal.md',
    });
    const cleared = await client.waitForPublished(readme, (ds) => byCode(ds, 'link-missing-file').length === 0, mark);
    assert.deepEqual(byCode(cleared, 'link-missing-file'), []);
    // Barrier: opening a new page publishes it in a later round; a publish for other.md caused by
    // the README edit (or by that round, had other.md not changed) would arrive before it.
    const third = site.uri('third.md');
    await client.open(third, '# Third\n\n[Gone](gone.md)\n');
    await client.waitForPublished(third, (ds) => byCode(ds, 'link-missing-file').length === 1, mark);
    const otherPublishes = client.messages
      .slice(mark)
      .filter((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === other);
    assert.equal(otherPublishes.length, 0, 'other.md did not change and was not published again');
    // Fixing other.md in the editor publishes its now empty list.
    const fixMark = client.mark;
    await client.open(other, files['other.md']);
    await client.change(other, {
      range: { start: { line: 2, character: 16 }, end: { line: 2, character: 26 } },
      text: 'README.md',
    });
    await client.waitForPublished(other, (ds) => ds.length === 0, fixMark);
  });
});
