import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentLinkRequest,
  ExecuteCommandRequest,
  HoverRequest,
  SemanticTokensRequest,
  type Command,
  type CompletionList,
  type Diagnostic,
  type MarkupContent,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { Site, TestClient, byCode, codes, minimalClient, pullClient, type ServerMessage } from './harness';
import { bigSite } from './bigSite';

/**
 * Issue 13, "the protocol, exactly": a minimal editor (no dynamic
 * registration, no configuration, no refresh, no progress, no snippets,
 * plain-text hovers, no CodeAction literals) over stdio. It answers only the
 * request it announced (workspace/applyEdit) and records any other the
 * server sends; every test ends by checking there was none.
 */

const files = {
  // Crew's case is set: "A crew meets" is a term-case problem with a fix on any page. Not the Microsolidarity handbook: its proposal is named.
  '.msolrc.json':
    '{ "site": { "proposal": "articles/proposal.md" }, "glossary": { "terms": [{ "term": "Crew", "case": "as-defined" }] } }\n',
  'SUMMARY.md':
    '# Table of contents\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Guide](crewing/guide.md)\n* [Steps](articles/steps.md)\n',
  'README.md':
    '# Home\n\nStart with the [proposal](articles/proposal.md).\n\n## Definition of terms\n\nMost support happens in a **Crew**: a small group of three to eight people.\n',
  'articles/proposal.md': '# Proposal\n\n## Part 1. Stretched thin\n\nEveryone carries too much.\n',
  'crewing/guide.md': '# Guide\n\nHow to start.\n',
  'articles/steps.md':
    '# Steps\n\nA crew meets weekly. Read [part 1](proposal.md#part-1-stretched-thin) and [the guide](guide.md).\n',
};

function positionOf(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `no ${needle}`);
  const before = text.slice(0, at + delta);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

const customNotifications = (client: TestClient): ServerMessage[] =>
  client.messages.filter((m) => m.type === 'notification' && m.method.startsWith('msol/'));

describe('a minimal editor over stdio', () => {
  let site: Site;
  let client: TestClient;
  const steps = files['articles/steps.md'];
  let published: Diagnostic[];

  before(async () => {
    site = new Site(files);
    client = await TestClient.start({
      capabilities: minimalClient,
      initializationOptions: null,
      answers: ['workspace/applyEdit'],
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
    });
    await client.open(site.uri('articles/steps.md'), steps);
    published = await client.waitForPublished(
      site.uri('articles/steps.md'),
      (d) => byCode(d, 'link-missing-file').length === 1 && byCode(d, 'term-case').length === 1,
    );
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('is told of semantic tokens in the initialize result, fixes as commands, and the commands the server runs', async () => {
    const caps = client.initializeResult.capabilities;
    assert.ok(caps.semanticTokensProvider, 'semantic tokens are announced statically');
    assert.equal(caps.codeActionProvider, true);
    assert.deepEqual(caps.executeCommandProvider?.commands, ['msol.applyEdit', 'msol.showReferences']);
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, {
      textDocument: { uri: site.uri('articles/steps.md') },
    });
    assert.ok((tokens?.data.length ?? 0) >= 5, 'the glossary term "crew" is a token');
  });

  it('hovers in plain text', async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: site.uri('articles/steps.md') },
      position: positionOf(steps, 'crew meets', 2),
    });
    const contents = hover!.contents as MarkupContent;
    assert.equal(contents.kind, 'plaintext');
    assert.match(contents.value, /Crew/);
    assert.doesNotMatch(contents.value, /\*\*|`|\]\(/);
  });

  it('completes without snippets, without `**` filter texts and without VS Code commands', async () => {
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: site.uri('articles/steps.md') },
      position: positionOf(steps, 'crew meets', 2),
    })) as CompletionList;
    assert.deepEqual(
      list.items.map((i) => i.label),
      ['Crew', 'Crew definition'],
      'the term, and its definition (a snippet elsewhere)',
    );
    for (const item of list.items) {
      assert.notEqual(item.insertTextFormat, 2, item.label);
      assert.ok(!item.filterText?.startsWith('**'), `${item.label}: filterText ${item.filterText}`);
      assert.equal(item.command, undefined, item.label);
      assert.ok(typeof item.documentation !== 'object' || item.documentation.kind === 'plaintext', item.label);
    }
    const folders = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: site.uri('articles/steps.md') },
      position: positionOf(steps, 'guide.md)', 0),
    })) as CompletionList;
    assert.ok(
      folders.items.some((i) => i.label === '../'),
      'paths are completed',
    );
    assert.ok(folders.items.every((i) => i.command === undefined));
  });

  it('offers fixes as commands; running one makes the server apply the edit', async () => {
    const problem = byCode(published, 'link-missing-file')[0]!;
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: site.uri('articles/steps.md') },
      range: problem.range,
      context: { diagnostics: [problem] },
    })) as Command[];
    const fix = actions.find((a) => a.title === 'Point the link at ../crewing/guide.md');
    assert.ok(fix, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.command, 'msol.applyEdit');
    assert.ok(
      actions.every((a) => typeof a.command === 'string'),
      'only Commands, no CodeAction literals',
    );
    const mark = client.mark;
    await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: fix.command,
      arguments: fix.arguments ?? [],
    });
    const applied = await client.waitFor(
      'workspace/applyEdit',
      (m) =>
        m.method === 'workspace/applyEdit'
          ? (m.params as { edit: { changes?: Record<string, Array<{ newText: string }>> } })
          : undefined,
      mark,
    );
    assert.deepEqual(
      Object.values(applied.edit.changes ?? {})
        .flat()
        .map((e) => e.newText),
      ['../crewing/guide.md'],
    );
  });

  it("runs the proposal lenses' command itself: a message naming the linking pages; links carry no #L fragment", async () => {
    const proposal = site.uri('articles/proposal.md');
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: proposal } });
    const part1 = lenses!.find((l) => l.range.start.line === 2)!;
    assert.equal(part1.command!.title, '1 page links here');
    assert.equal(part1.command!.command, 'msol.showReferences');
    const mark = client.mark;
    await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: part1.command!.command,
      arguments: part1.command!.arguments ?? [],
    });
    const shown = await client.waitFor(
      'window/showMessage',
      (m) => (m.method === 'window/showMessage' ? (m.params as { message: string }).message : undefined),
      mark,
    );
    assert.equal(shown, 'Linked from 1 page: steps.md');
    const links = await client.connection.sendRequest(DocumentLinkRequest.type, {
      textDocument: { uri: site.uri('articles/steps.md') },
    });
    assert.ok((links ?? []).length > 0);
    for (const l of links ?? []) assert.doesNotMatch(l.target ?? '', /#L\d+$/);
  });

  it('got no request it did not announce and no msol/ notification', async () => {
    // A last round trip: anything the server had queued for the client before it has arrived.
    await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: site.uri('articles/steps.md') },
      position: { line: 0, character: 0 },
    });
    assert.deepEqual(
      client.unannounced.map((m) => m.method),
      [],
    );
    assert.deepEqual(
      customNotifications(client).map((m) => m.method),
      [],
    );
  });
});

describe('a pull client that cannot be asked to pull again', () => {
  const sites: Site[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const s of sites) s.cleanup();
  });

  it('gets the complete diagnostics of a page opened while the site indexes, in its first answer', async () => {
    const site = new Site({ ...bigSite(), 'draft.md': '# Draft\n' });
    sites.push(site);
    const capabilities = {
      ...pullClient,
      workspace: { ...pullClient.workspace, diagnostics: { refreshSupport: false } },
    };
    const answers = [
      'client/registerCapability',
      'workspace/configuration',
      'window/workDoneProgress/create',
      'workspace/semanticTokens/refresh',
    ];
    const client = await TestClient.start({
      capabilities,
      answers,
      workspaceFolders: [{ uri: site.rootUri, name: 'big' }],
    });
    clients.push(client);
    const uri = site.uri('draft.md');
    await client.open(
      uri,
      '# Draft\n\nA [lost page](lost.md) and [a heading that is not there](pages/p0399.md#no-such-section).\n',
    );
    const first = await client.pull(uri);
    // What needs the whole index (the anchors of a page analysed late) is in the first and only answer.
    assert.deepEqual(codes(first).sort(), ['link-missing-file', 'link-missing-heading', 'summary-orphan-page']);
    assert.deepEqual(
      client.unannounced.map((m) => m.method),
      [],
      'no workspace/diagnostic/refresh',
    );
  });
});
