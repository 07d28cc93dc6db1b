import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Site, TestClient, byCode, codes, pullClient, pushClient, type ServerMessage } from './harness';
import { bigSite } from './bigSite';

/**
 * Issue 7: an open page's diagnostics do not wait for the whole index. A
 * site large enough that indexing is clearly still running when the page is
 * opened; the assertions are on the order of the server's messages, never on
 * time.
 */

const isReady = (m: ServerMessage) => m.method === 'msol/status' && (m.params as { state: string }).state === 'ready';
const isProgressEnd = (m: ServerMessage) =>
  m.type === 'progress' && (m.params as { value: { kind: string } }).value.kind === 'end';

describe('diagnostics while the site indexes (issue 7)', () => {
  const sites: Site[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const s of sites) s.cleanup();
  });

  const draft = [
    '# Draft',
    '',
    'A [lost page](lost.md) and [a heading that is not there](pages/p0399.md#no-such-section).',
    '',
  ].join('\n');

  it('answers an open page before the index is complete, then asks for a re-pull once it is', async () => {
    const site = new Site({ ...bigSite(), 'draft.md': '# Draft\n' });
    sites.push(site);
    const client = await TestClient.start({
      capabilities: pullClient,
      workspaceFolders: [{ uri: site.rootUri, name: 'big' }],
    });
    clients.push(client);
    const uri = site.uri('draft.md');
    await client.open(uri, draft);
    const early = await client.pull(uri);
    const answered = client.mark;
    // The answer came while the site was still indexing: neither the end of progress nor the ready status before it.
    assert.equal(
      client.messages.slice(0, answered).some(isReady),
      false,
      'the index finished before the open page was answered',
    );
    assert.equal(
      client.messages.slice(0, answered).some(isProgressEnd),
      false,
      'indexing progress ended before the open page was answered',
    );
    assert.equal(byCode(early, 'link-missing-file').length, 1, `early answer: ${codes(early).join(', ')}`);
    // Then indexing ends, and the server asks the client to re-pull.
    const ready = await client.ready(answered);
    assert.equal(ready.state, 'ready');
    await client.waitFor('end of indexing progress', (m) => (isProgressEnd(m) ? true : undefined), answered);
    await client.waitForRefresh(answered);
    // The re-pull sees what needed the whole index: the anchor of a page analysed late.
    const late = await client.pull(uri);
    assert.equal(byCode(late, 'link-missing-file').length, 1);
    assert.equal(byCode(late, 'link-missing-heading').length, 1, `after indexing: ${codes(late).join(', ')}`);
  });

  it('pushes an open page before the index is complete to a push client, and again once it is', async () => {
    const site = new Site({ ...bigSite(), 'draft.md': '# Draft\n' });
    sites.push(site);
    const client = await TestClient.start({
      capabilities: pushClient,
      workspaceFolders: [{ uri: site.rootUri, name: 'big' }],
    });
    clients.push(client);
    const uri = site.uri('draft.md');
    await client.open(uri, draft);
    const early = await client.waitForPublished(uri, (d) => byCode(d, 'link-missing-file').length === 1);
    const published = client.messages.findIndex(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' && (m.params as { diagnostics: unknown }).diagnostics === early,
    );
    assert.ok(published >= 0);
    assert.equal(
      client.messages.slice(0, published).some(isReady),
      false,
      'the index finished before the open page was published',
    );
    await client.ready(published);
    // Once indexed, what needed the whole index is pushed too (in the early push already if that page happened to be analysed by then).
    await client.waitForPublished(
      uri,
      (d) => byCode(d, 'link-missing-heading').length === 1 && byCode(d, 'link-missing-file').length === 1,
    );
  });
});
