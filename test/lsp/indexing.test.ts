import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Site, TestClient, byCode, codes, pullClient, pushClient, type ServerMessage } from './harness';

/**
 * Issue 7: an open page's diagnostics do not wait for the whole index. A
 * site large enough that indexing is clearly still running when the page is
 * opened; the assertions are on the order of the server's messages, never on
 * time.
 */

const pageCount = 400;

function bigSite(): Record<string, string> {
  const files: Record<string, string> = {
    'README.md': '# Home\n\nA handbook about [the proposal](proposal.md).\n',
    'proposal.md': '# Proposal\n\n## Part 1. Collapse\n\nSome text.\n',
    'GLOSSARY.md': '# Glossary\n\n## Congregation\n\nA group of crews.\n',
  };
  const summary = ['# Summary', '', '* [Home](README.md)', '* [Proposal](proposal.md)'];
  for (let i = 0; i < pageCount; i++) {
    const name = `pages/p${String(i).padStart(4, '0')}.md`;
    const next = `p${String((i + 1) % pageCount).padStart(4, '0')}.md`;
    const sections = Array.from({ length: 12 }, (_, s) => `## Section ${s}\n\nParagraph ${s} of page ${i}, linking to [the next page](${next}#section-${s}) and [home](../README.md).\n`);
    files[name] = `# Page ${i}\n\n${sections.join('\n')}`;
    summary.push(`* [Page ${i}](${name})`);
  }
  // The last page is left out of SUMMARY.md: an orphan only the whole index can tell.
  summary.pop();
  files['SUMMARY.md'] = summary.join('\n') + '\n';
  return files;
}

const isReady = (m: ServerMessage) => m.method === 'msol/status' && (m.params as { state: string }).state === 'ready';
const isProgressEnd = (m: ServerMessage) => m.type === 'progress' && (m.params as { value: { kind: string } }).value.kind === 'end';

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
    const client = await TestClient.start({ capabilities: pullClient, workspaceFolders: [{ uri: site.rootUri, name: 'big' }] });
    clients.push(client);
    const uri = site.uri('draft.md');
    await client.open(uri, draft);
    const early = await client.pull(uri);
    const answered = client.mark;
    // The answer came while the site was still indexing: neither the end of progress nor the ready status before it.
    assert.equal(client.messages.slice(0, answered).some(isReady), false, 'the index finished before the open page was answered');
    assert.equal(client.messages.slice(0, answered).some(isProgressEnd), false, 'indexing progress ended before the open page was answered');
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
    const client = await TestClient.start({ capabilities: pushClient, workspaceFolders: [{ uri: site.rootUri, name: 'big' }] });
    clients.push(client);
    const uri = site.uri('draft.md');
    await client.open(uri, draft);
    const early = await client.waitForPublished(uri, (d) => byCode(d, 'link-missing-file').length === 1);
    const published = client.messages.findIndex((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { diagnostics: unknown }).diagnostics === early);
    assert.ok(published >= 0);
    assert.equal(client.messages.slice(0, published).some(isReady), false, 'the index finished before the open page was published');
    await client.ready(published);
    // Once indexed, what needed the whole index is pushed too (in the early push already if that page happened to be analysed by then).
    await client.waitForPublished(uri, (d) => byCode(d, 'link-missing-heading').length === 1 && byCode(d, 'link-missing-file').length === 1);
  });
});
