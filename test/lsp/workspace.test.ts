import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DidChangeWorkspaceFoldersNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { CheckSiteRequest } from '../../server/src/protocol';
import { Site, TestClient, byCode, messageOf, vscodeOptions } from './harness';

/** Which site a document belongs to: workspace folders (changing at runtime) and loose files. */

const page = '# Page\n\n[Sibling](sibling.md) and [missing](missing.md).\n';

describe('workspace folders', () => {
  const sites: Site[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const s of sites) s.cleanup();
  });
  // Each a site: `.msolrc.json` at its root (a folder without a site marker is not checked; see 'only sites' below).
  const site = (files: Record<string, string>) => {
    const s = new Site({ '.msolrc.json': '{}\n', ...files });
    sites.push(s);
    return s;
  };

  it('checks each folder as its own site, and follows folders added and removed', async () => {
    const a = site({ 'README.md': '# A\n\n[Page](page.md)\n', 'page.md': '# P\n' });
    const b = site({ 'README.md': page, 'sibling.md': '# S\n' });
    const client = await TestClient.start({ workspaceFolders: [{ uri: a.rootUri, name: 'a' }] });
    clients.push(client);
    await client.ready();
    const bReadme = b.uri('README.md');
    await client.open(bReadme, page);
    // Outside every folder while a folder exists: not checked (never indexed from outside the workspace).
    assert.deepEqual(await client.pull(bReadme), []);

    let mark = client.mark;
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: b.rootUri, name: 'b' }], removed: [] },
    });
    await client.waitForRefresh(mark);
    const missing = byCode(await client.pull(bReadme), 'link-missing-file');
    assert.deepEqual(
      missing.map((d) => messageOf(d).match(/`([^`]+)`/)?.[1]),
      ['missing.md'],
      'sibling.md exists in folder b',
    );
    assert.equal(
      (await client.connection.sendRequest(CheckSiteRequest.type, undefined)).pages,
      4,
      'two pages in each folder',
    );

    mark = client.mark;
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [], removed: [{ uri: b.rootUri, name: 'b' }] },
    });
    await client.waitForRefresh(mark);
    assert.deepEqual(await client.pull(bReadme), []);
    assert.equal((await client.connection.sendRequest(CheckSiteRequest.type, undefined)).pages, 2);
  });

  it('gives a document to the innermost of nested folders', async () => {
    const outer = site({
      'README.md': '# Outer\n',
      'inner/.msolrc.json': '{}\n',
      'inner/README.md': page,
      'inner/sibling.md': '# S\n',
      'sibling.md': '# not this one\n',
    });
    const client = await TestClient.start({
      workspaceFolders: [
        { uri: outer.rootUri, name: 'outer' },
        { uri: outer.uri('inner'), name: 'inner' },
      ],
    });
    clients.push(client);
    const uri = outer.uri('inner/README.md');
    await client.open(uri, page.replace('[Sibling](sibling.md)', '[Up](../README.md)'));
    // In the inner site `../README.md` leaves the site: reported as such, not resolved against the outer folder.
    const messages = byCode(await client.pull(uri), 'link-missing-file').map(messageOf);
    assert.equal(messages.length, 2, JSON.stringify(messages));
    assert.ok(
      messages.some((m) => m.includes('leaves the site')),
      JSON.stringify(messages),
    );
  });

  it('checks a loose file against its own folder when no folder is open', async () => {
    const loose = site({ 'page.md': page, 'sibling.md': '# S\n' });
    const client = await TestClient.start({ workspaceFolders: null, rootUri: null });
    clients.push(client);
    const uri = loose.uri('page.md');
    await client.open(uri, page);
    const missing = byCode(await client.pull(uri), 'link-missing-file');
    assert.deepEqual(
      missing.map((d) => d.range.start.character),
      [page.split('\n')[2]!.indexOf('missing.md')],
    );
    // An open page is answered before its site is indexed: let the indexing (and its refresh) end first.
    await client.waitFor('the loose site indexed', (m) =>
      m.method === 'msol/status' &&
      (m.params as { state: string; pages: number }).state === 'ready' &&
      (m.params as { pages: number }).pages > 0
        ? true
        : undefined,
    );
    // Closing the last loose file drops its site: a later pull has nothing to say.
    const mark = client.mark;
    await client.close(uri);
    await client.waitForRefresh(mark);
    assert.deepEqual(await client.pull(uri), []);
  });
});

describe('only sites this product serves (issue 13)', () => {
  const sites: Site[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const s of sites) s.cleanup();
  });
  // A plain Markdown folder: no SUMMARY.md, .gitbook.yaml, book.toml or .msolrc.json.
  const plain = () => {
    const s = new Site({ 'README.md': '# Notes\n\nA **Guild** is a group of people. See [missing](missing.md).\n' });
    sites.push(s);
    return s;
  };
  const start = async (s: Site, initializationOptions?: object) => {
    const client = await TestClient.start({
      workspaceFolders: [{ uri: s.rootUri, name: 'notes' }],
      ...(initializationOptions ? { initializationOptions } : {}),
    });
    clients.push(client);
    return client;
  };

  it('leaves a plain Markdown folder alone: nothing indexed, nothing reported', async () => {
    const s = plain();
    const client = await start(s);
    await client.open(s.uri('README.md'), '# Notes\n\nA **Guild** is a group of people. See [missing](missing.md).\n');
    assert.deepEqual(await client.pull(s.uri('README.md')), []);
    assert.deepEqual(await client.connection.sendRequest(CheckSiteRequest.type, undefined), {
      pages: 0,
      errors: 0,
      warnings: 0,
      infos: 0,
    });
  });

  it('checks it when msol.enable is on for it, and never a site whose msol.enable is off', async () => {
    const s = plain();
    const on = await start(s, { ...vscodeOptions, enable: { [s.rootUri]: 'on' } });
    await on.open(s.uri('README.md'), '# Notes\n\nSee [missing](missing.md).\n');
    assert.equal(byCode(await on.pull(s.uri('README.md')), 'link-missing-file').length, 1);
    const site = new Site({
      'SUMMARY.md': '* [Home](README.md)\n',
      'README.md': '# Home\n\nSee [missing](missing.md).\n',
    });
    sites.push(site);
    const off = await start(site, { ...vscodeOptions, enable: { [site.rootUri]: 'off' } });
    await off.open(site.uri('README.md'), '# Home\n\nSee [missing](missing.md).\n');
    assert.deepEqual(await off.pull(site.uri('README.md')), []);
  });

  it('checks it once a site marker appears at its root', async () => {
    const s = plain();
    const client = await start(s);
    const uri = s.uri('README.md');
    await client.open(uri, '# Notes\n\nSee [missing](missing.md).\n');
    assert.deepEqual(await client.pull(uri), []);
    s.write('SUMMARY.md', '* [Notes](README.md)\n');
    await client.fileEvents({ uri: s.uri('SUMMARY.md'), type: FileChangeType.Created });
    await client.ready(client.mark);
    assert.equal(byCode(await client.pull(uri), 'link-missing-file').length, 1);
  });

  it('leaves a loose file alone when no folder above it is a site', async () => {
    const s = plain();
    const client = await TestClient.start({ workspaceFolders: null, rootUri: null });
    clients.push(client);
    await client.open(s.uri('README.md'), '# Notes\n\nSee [missing](missing.md).\n');
    assert.deepEqual(await client.pull(s.uri('README.md')), []);
  });
});
