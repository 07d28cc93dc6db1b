import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  DocumentDiagnosticRequest,
  WorkspaceDiagnosticRequest,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Site, TestClient, byCode, messageOf } from './harness';

/**
 * Pull diagnostics, their conversion, quick fixes built from their data, and
 * cross-file effects (a heading renamed in another page).
 */

// The proposal was moved into articles/; README still links to its old place.
const readme = '# Home\n\nSee the [proposal](proposal.md).\n\nRead [part B](b.md#old-heading).\n';
const files = {
  'README.md': readme,
  'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [B](b.md)\n',
  'articles/proposal.md': '# Proposal\n\n## Part 1. Collapse\n',
  'b.md': '# B\n\n## Old heading\n\nText.\n',
  // Not UTF-8 at all: a PNG header saved as .md, and Latin-1 text.
  'binary.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
  'latin1.md': new Uint8Array([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]),
};

describe('pull diagnostics and code actions', () => {
  let site: Site;
  let client: TestClient;
  before(async () => {
    site = new Site(files);
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'handbook' }] });
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('reports a broken link at the exact range, with rule id, source, severity and docs link', async () => {
    const uri = site.uri('README.md');
    await client.open(uri, readme);
    const [d, ...more] = byCode(await client.pull(uri), 'link-missing-file');
    assert.equal(more.length, 0);
    assert.ok(d);
    // `proposal.md` inside `[proposal](proposal.md)` on line 2.
    assert.deepEqual(d.range, { start: { line: 2, character: 19 }, end: { line: 2, character: 30 } });
    assert.equal(d.source, 'msol');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.match(messageOf(d), /missing file `proposal\.md`/);
    assert.match(d.codeDescription?.href ?? '', /link-missing-file/);
    assert.equal(byCode(await client.pull(uri), 'link-missing-heading').length, 0, 'b.md has #old-heading');
  });

  it("offers the moved page's new path as the preferred quick fix; applying it clears the diagnostic", async () => {
    const uri = site.uri('README.md');
    const diagnostics = await client.pull(uri);
    const [broken] = byCode(diagnostics, 'link-missing-file');
    assert.ok(broken);
    const actions = await client.codeActions(uri, broken.range, [broken]);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.kind, 'quickfix');
    const change = fix.edit?.documentChanges?.[0] as TextDocumentEdit;
    assert.equal(change.textDocument.uri, uri);
    assert.equal(change.textDocument.version, 1, 'edits are for the version the diagnostic was made on');
    assert.deepEqual(change.edits, [{ range: broken.range, newText: 'articles/proposal.md' }]);

    // Apply it as an editor would (incremental sync), then pull again.
    const doc = TextDocument.create(uri, 'markdown', 1, readme);
    const fixed = TextDocument.applyEdits(doc, change.edits as TextEdit[]);
    assert.equal(fixed.split('\n')[2], 'See the [proposal](articles/proposal.md).');
    await client.change(uri, ...change.edits.map((e) => ({ range: e.range, text: e.newText })));
    assert.deepEqual(byCode(await client.pull(uri), 'link-missing-file'), []);
  });

  it('gives no quick fix for a diagnostic made on an older version of the document', async () => {
    const uri = site.uri('b.md');
    const text = '# B\n\n## Old heading\n\nSee [the proposal](proposal.md).\n';
    await client.open(uri, text);
    const [broken] = byCode(await client.pull(uri), 'link-missing-file');
    assert.ok(broken);
    // The fix, then turning the rule off for the line or the file (markdownlint's and ESLint's quick actions).
    const actions = await client.codeActions(uri, broken.range, [broken]);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Point the link at articles/proposal.md',
        'Disable link-missing-file for this line',
        'Disable link-missing-file for this file',
      ],
    );
    const forLine = (actions[1]!.edit?.documentChanges?.[0] as TextDocumentEdit).edits;
    assert.deepEqual(
      TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 1, text), forLine as TextEdit[]).split('\n')[4],
      'See [the proposal](proposal.md). <!-- msol-disable-line link-missing-file -->',
    );
    // The user typed at the top: the old diagnostic's offsets no longer fit.
    await client.change(uri, {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      text: '\n',
    });
    assert.deepEqual(await client.codeActions(uri, broken.range, [broken]), []);
    const mark = client.mark;
    await client.close(uri);
    await client.waitForRefresh(mark);
  });

  it('applies every safe fix of a document with source.fixAll.msol', async () => {
    const uri = site.uri('articles/intro.md');
    const text =
      '# Intro\n\n[One](proposal.md) and [two](../README.md) and [three](../proposal.md).\n\n[Four](old/b.md)\n';
    site.write('articles/intro.md', text);
    await client.fileEvents({ uri, type: 1 });
    await client.open(uri, text);
    const missing = byCode(await client.pull(uri), 'link-missing-file');
    assert.equal(missing.length, 2, 'only ../proposal.md and old/b.md are broken (proposal.md is a sibling)');
    const [all] = await client.codeActions(uri, missing[0]!.range, [], ['source.fixAll']);
    assert.ok(all, 'a fix-all action is offered when asked for');
    assert.equal(all.kind, 'source.fixAll.msol');
    const edits = (all.edit?.documentChanges?.[0] as TextDocumentEdit).edits as TextEdit[];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 1, text), edits);
    assert.equal(
      fixed,
      '# Intro\n\n[One](proposal.md) and [two](../README.md) and [three](proposal.md).\n\n[Four](../b.md)\n',
    );
    // Not offered in the light bulb (no `only`): it needs a whole-document check.
    assert.ok((await client.codeActions(uri, missing[0]!.range, missing)).every((a) => a.kind === 'quickfix'));
    // Closing a page puts its disk text back, which other pages may see: they are re-pulled.
    const mark = client.mark;
    await client.close(uri);
    await client.waitForRefresh(mark);
  });

  it('offers a fix that would add a finding only as a suggestion, and leaves it out of fix-all', async () => {
    // The page moved, but its new version has no `#part-two`: pointing the link there would trade
    // link-missing-file for link-missing-heading (Project.verifyFixes).
    site.write('articles/moved.md', '# Moved\n\n## Part one\n');
    await client.fileEvents({ uri: site.uri('articles/moved.md'), type: 1 });
    const uri = site.uri('c.md');
    const text = '# C\n\nSee [m](moved.md#part-two) and [p](proposal.md).\n';
    site.write('c.md', text);
    await client.fileEvents({ uri, type: 1 });
    await client.open(uri, text);
    const missing = byCode(await client.pull(uri), 'link-missing-file');
    assert.equal(missing.length, 2);
    const [moved, proposal] = missing;
    const actions = await client.codeActions(uri, moved!.range, [moved!]);
    assert.equal(actions.filter((a) => a.isPreferred).length, 0, JSON.stringify(actions));
    assert.match(
      actions[0]?.title ?? '',
      /articles\/moved\.md#part-two.*not applied automatically.*link-missing-heading/,
    );
    const [all] = await client.codeActions(uri, moved!.range, [], ['source.fixAll']);
    const edits = (all?.edit?.documentChanges?.[0] as TextDocumentEdit).edits as TextEdit[];
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['articles/proposal.md'],
      'fix-all applies the safe fix only',
    );
    assert.ok((await client.codeActions(uri, proposal!.range, [proposal!])).some((a) => a.isPreferred));
    const mark = client.mark;
    await client.close(uri);
    await client.waitForRefresh(mark);
  });

  it('asks for a refresh when a heading another page links to is renamed; that page then reports link-missing-heading', async () => {
    const a = site.uri('README.md');
    const b = site.uri('b.md');
    const bText = '# B\n\n## Old heading\n\nText.\n';
    await client.open(b, bText);
    assert.deepEqual(byCode(await client.pull(a), 'link-missing-heading'), []);
    const mark = client.mark;
    await client.change(b, {
      range: { start: { line: 2, character: 3 }, end: { line: 2, character: 14 } },
      text: 'Renamed part',
    });
    await client.waitForRefresh(mark);
    const [missing] = byCode(await client.pull(a), 'link-missing-heading');
    assert.ok(missing);
    // `old-heading` after the `#` in `(b.md#old-heading)` on line 4.
    assert.deepEqual(missing.range, { start: { line: 4, character: 19 }, end: { line: 4, character: 30 } });
    // Renaming it back clears it again.
    const again = client.mark;
    await client.change(b, {
      range: { start: { line: 2, character: 3 }, end: { line: 2, character: 15 } },
      text: 'Old heading',
    });
    await client.waitForRefresh(again);
    assert.deepEqual(byCode(await client.pull(a), 'link-missing-heading'), []);
    await client.close(b);
  });

  it('reports a binary or non-UTF-8 page as file-unreadable, without crashing', async () => {
    for (const page of ['binary.md', 'latin1.md']) {
      const items = await client.pull(site.uri(page));
      const [d] = byCode(items, 'file-unreadable');
      assert.ok(d, `${page}: ${JSON.stringify(items)}`);
      assert.equal(d.source, 'msol');
      assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    }
    assert.ok(byCode(await client.pull(site.uri('README.md')), 'file-unreadable').length === 0);
  });

  it('reports every page in workspace diagnostics, and only what changed when given previous result ids', async () => {
    const first = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const byUri = new Map<string, WorkspaceDocumentDiagnosticReport>(first.items.map((i) => [i.uri, i]));
    for (const page of ['README.md', 'SUMMARY.md', 'articles/proposal.md', 'b.md', 'binary.md', 'latin1.md'])
      assert.ok(byUri.has(site.uri(page)), page);
    const unreadable = byUri.get(site.uri('binary.md'));
    assert.equal(unreadable?.kind, 'full');
    assert.equal(byCode((unreadable as { items: Diagnostic[] }).items, 'file-unreadable').length, 1);
    assert.equal(byUri.get(site.uri('README.md'))?.version, 2, 'an open document reports its version');
    assert.equal(byUri.get(site.uri('SUMMARY.md'))?.version, null);

    // Nothing changed: every report comes back unchanged.
    const previousResultIds = first.items.map((i) => ({ uri: i.uri, value: i.resultId! }));
    const second = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds });
    assert.deepEqual(
      second.items.filter((i) => i.kind !== 'unchanged').map((i) => i.uri),
      [],
    );

    // A deleted page is reported empty so the client drops what it showed.
    site.remove('latin1.md');
    await client.fileEvents({ uri: site.uri('latin1.md'), type: 3 });
    const third = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds });
    const gone = third.items.find((i) => i.uri === site.uri('latin1.md'));
    assert.deepEqual(gone && gone.kind === 'full' ? gone.items : undefined, []);
  });

  it('answers unchanged to a document pull with the current result id', async () => {
    const uri = site.uri('README.md');
    const first = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    assert.equal(first.kind, 'full');
    const second = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
      previousResultId: first.resultId!,
    });
    assert.equal(second.kind, 'unchanged');
    const third = await client.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
      previousResultId: 'stale',
    });
    assert.equal(third.kind, 'full');
  });
});

describe('documents opened while the site is indexed', () => {
  let site: Site;
  let client: TestClient;
  before(async () => {
    // Enough pages that the editor's didOpen arrives while pages are still being read.
    const many: Record<string, string> = {};
    for (let i = 0; i < 300; i++) many[`notes/n${i}.md`] = `# Note ${i}\n\nSee [B](../b.md#new-name).\n`;
    // A config that differs from the defaults: loading it must not drop what was found in the open page.
    site = new Site({
      ...many,
      'README.md': '# Home\n',
      'b.md': '# B\n\n## Old name\n',
      '.msolrc.json': '{ "site": { "url": "https://handbook.example", "kind": "gitbook" } }\n',
    });
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'handbook' }] });
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it("keeps the editor's text over the disk's, for the page itself and for pages linking to it", async () => {
    const b = site.uri('b.md');
    // Unsaved in the editor: the heading the notes link to.
    await client.open(b, '# B\n\n## New name\n\n[Gone](gone.md)\n\n{% hint style="info" %}\nNever closed.\n');
    const status = await client.ready();
    assert.equal(status.pages, 302);
    const own = await client.pull(b);
    assert.equal(byCode(own, 'link-missing-file').length, 1, 'the editor text is checked, not the disk text');
    assert.equal(
      byCode(own, 'gitbook-block-unclosed').length,
      1,
      'document rules of the editor text survive the config load',
    );
    for (const i of [0, 150, 299])
      assert.deepEqual(byCode(await client.pull(site.uri(`notes/n${i}.md`)), 'link-missing-heading'), [], `note ${i}`);
  });
});
