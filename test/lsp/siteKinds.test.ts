import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import type { StatusNotification } from '../../server/src/protocol';
import { readSite, text } from '../engine/util';
import { Site, TestClient, byCode } from './harness';

/**
 * The language server reads a site as its generator publishes it, and says
 * so in msol/status (the status bar's tooltip): an mdBook fixture in the
 * shape of a real repository (test/engine/fixtures/sites/mdbook).
 */

const fixture = join(__dirname, '..', 'engine', 'fixtures', 'sites', 'mdbook');

describe('an mdBook site in the language server', () => {
  let site: Site;
  let client: TestClient;
  before(async () => {
    site = new Site(Object.fromEntries([...readSite(fixture)].map(([p, c]) => [p, text(c)])));
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'cookbook' }] });
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('says in msol/status what the site was read as, and which rules are silent for want of a value', async () => {
    const status = await client.waitFor('msol/status describing the site', (m) => {
      const p = m.params as StatusNotification.Params | undefined;
      return m.method === 'msol/status' && p?.state === 'ready' && p.sites?.length ? p : undefined;
    });
    const [s] = status.sites!;
    assert.equal(s!.uri, site.rootUri);
    assert.equal(s!.kind, 'mdbook');
    assert.equal(s!.kindLabel, 'mdBook');
    assert.equal(s!.kindFrom, 'book.toml');
    assert.deepEqual(s!.url, { value: 'https://cookbook.example.org', from: 'book.toml [output.html] cname' });
    assert.deepEqual(s!.license, { value: 'CC-BY-4.0', from: 'LICENSE' });
    assert.deepEqual(s!.defaultAuthor, { value: 'Ana Lima', from: 'book.toml [book] authors' });
    assert.deepEqual(
      s!.silent.map((x) => x.rule),
      ['proposal-mention-unlinked', 'proposal-external-copy'],
    );
    assert.match(s!.lines[0]!, /^site: mdBook \(from book\.toml\)/);
  });

  it('resolves page.html links as mdBook does, and reports what mdBook would not publish', async () => {
    const uri = site.uri('src/README.md');
    await client.open(uri, text(readSite(fixture).get('src/README.md')!));
    const missing = byCode(await client.pull(uri), 'link-missing-file');
    assert.deepEqual(
      missing.map((d) => d.range.start.line),
      [8],
      'only menus.html; gathering/index.html, kitchen.html and /glossary.html are pages',
    );
  });
});
