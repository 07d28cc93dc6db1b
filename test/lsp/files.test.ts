import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver-protocol/node';
import { Site, TestClient, byCode } from './harness';

/** The disk changes under the editor: watched-file events and the configuration files. */

const readme = '# Home\n\nRead the [guide](guide.md) and the [FAQ](docs/faq.md).\n';
const files = {
  'README.md': readme,
  'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n',
};

describe('watched files', () => {
  let site: Site;
  let client: TestClient;
  before(async () => {
    site = new Site(files);
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'handbook' }] });
    await client.open(site.uri('README.md'), readme);
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('registers a watcher for every file of the workspace', async () => {
    const registration = await client.waitFor('didChangeWatchedFiles registration', (m) => {
      if (m.method !== 'client/registerCapability') return undefined;
      return (m.params as { registrations: { method: string; registerOptions: unknown }[] }).registrations.find(
        (r) => r.method === 'workspace/didChangeWatchedFiles',
      );
    });
    assert.deepEqual(registration.registerOptions, { watchers: [{ globPattern: '**/*' }] });
  });

  it('clears link-missing-file when the file is created on disk', async () => {
    const uri = site.uri('README.md');
    assert.deepEqual(
      byCode(await client.pull(uri), 'link-missing-file').map((d) => d.range.start.character),
      [17, 41],
    );
    site.write('guide.md', '# Guide\n');
    const mark = client.mark;
    await client.fileEvents({ uri: site.uri('guide.md'), type: FileChangeType.Created });
    await client.waitForRefresh(mark);
    assert.deepEqual(
      byCode(await client.pull(uri), 'link-missing-file').map((d) => d.range.start.character),
      [41],
    );
  });

  it('sees the files of a folder that arrives as one event (a folder moved in)', async () => {
    site.write('docs/faq.md', '# FAQ\n');
    const mark = client.mark;
    await client.fileEvents({ uri: site.uri('docs'), type: FileChangeType.Created });
    await client.waitForRefresh(mark);
    assert.deepEqual(byCode(await client.pull(site.uri('README.md')), 'link-missing-file'), []);
  });

  it('reports the link again when the file is deleted, and when its folder is', async () => {
    site.remove('guide.md');
    let mark = client.mark;
    await client.fileEvents({ uri: site.uri('guide.md'), type: FileChangeType.Deleted });
    await client.waitForRefresh(mark);
    assert.deepEqual(
      byCode(await client.pull(site.uri('README.md')), 'link-missing-file').map((d) => d.range.start.character),
      [17],
    );
    site.remove('docs');
    mark = client.mark;
    await client.fileEvents({ uri: site.uri('docs'), type: FileChangeType.Deleted });
    await client.waitForRefresh(mark);
    assert.deepEqual(
      byCode(await client.pull(site.uri('README.md')), 'link-missing-file').map((d) => d.range.start.character),
      [17, 41],
    );
  });

  it('re-reads a closed page changed on disk', async () => {
    site.write('guide.md', '# Guide\n\n[Back](README.md#nope)\n');
    let mark = client.mark;
    await client.fileEvents({ uri: site.uri('guide.md'), type: FileChangeType.Created });
    await client.waitForRefresh(mark);
    assert.equal(byCode(await client.pull(site.uri('guide.md')), 'link-missing-heading').length, 1);
    site.write('guide.md', '# Guide\n\n[Back](README.md#home)\n');
    mark = client.mark;
    await client.fileEvents({ uri: site.uri('guide.md'), type: FileChangeType.Changed });
    await client.waitForRefresh(mark);
    assert.deepEqual(byCode(await client.pull(site.uri('guide.md')), 'link-missing-heading'), []);
  });
});

describe('configuration files', () => {
  let site: Site;
  let client: TestClient;
  const brokenJson = '{\n  "rules": {\n    "link-missing-file": "off",\n';
  before(async () => {
    // Broken from the start: the defaults apply, and the file says why.
    site = new Site({ ...files, '.msolrc.json': brokenJson });
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'handbook' }] });
    await client.open(site.uri('README.md'), readme);
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('reports a broken .msolrc.json on that file and keeps checking with the defaults', async () => {
    const [problem, ...more] = byCode(await client.pull(site.uri('.msolrc.json')), 'config-invalid');
    assert.ok(problem);
    assert.equal(more.length, 0);
    assert.equal(problem.severity, DiagnosticSeverity.Error);
    assert.equal(problem.source, 'msol');
    assert.ok(
      problem.range.start.line >= 2,
      `the error is where the JSON ends early: ${JSON.stringify(problem.range)}`,
    );
    // The server still works, with the default severities (the broken file's "off" is not applied).
    assert.equal(byCode(await client.pull(site.uri('README.md')), 'link-missing-file').length, 2);
  });

  it('applies a repaired config at once: the rule it turns off is gone, and so is the config problem', async () => {
    site.write('.msolrc.json', '{\n  "rules": {\n    "link-missing-file": "off"\n  }\n}\n');
    const mark = client.mark;
    await client.fileEvents({ uri: site.uri('.msolrc.json'), type: FileChangeType.Changed });
    await client.waitForRefresh(mark);
    assert.deepEqual(byCode(await client.pull(site.uri('README.md')), 'link-missing-file'), []);
    assert.deepEqual(await client.pull(site.uri('.msolrc.json')), []);
  });

  it('goes back to the defaults when the config is deleted, and reports it again when it is broken again', async () => {
    site.remove('.msolrc.json');
    let mark = client.mark;
    await client.fileEvents({ uri: site.uri('.msolrc.json'), type: FileChangeType.Deleted });
    await client.waitForRefresh(mark);
    assert.equal(byCode(await client.pull(site.uri('README.md')), 'link-missing-file').length, 2);
    site.write('.msolrc.json', '{ "rules": { "link-missing-file": 42 } }\n');
    mark = client.mark;
    await client.fileEvents({ uri: site.uri('.msolrc.json'), type: FileChangeType.Created });
    await client.waitForRefresh(mark);
    assert.equal(byCode(await client.pull(site.uri('.msolrc.json')), 'config-invalid').length, 1);
    assert.equal(byCode(await client.pull(site.uri('README.md')), 'link-missing-file').length, 2);
  });
});
