import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentLinkRequest,
  ReferencesRequest,
  WorkspaceSymbolRequest,
  type CompletionList,
  type Location,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { Site, TestClient, vscodeOptions } from './harness';

/**
 * Issue 13: beside VS Code's built-in Markdown features
 * (initializationOptions.builtinMarkdown), the server offers only what they
 * do not: GitBook's tags, HTML attributes stay theirs too, glossary terms and
 * the proposal's lenses are ours. Without the option (any other editor) it
 * offers everything (features.test.ts).
 */

const page = [
  '# Steps',
  '',
  'A Crew meets. Read [part 1](proposal.md#part-1-stretched-thin).',
  '',
  '{% content-ref url="proposal.md" %}',
  '[proposal.md](proposal.md)',
  '{% endcontent-ref %}',
  '',
  '![A photo](',
  '',
  '{% content-ref url="',
  '',
].join('\n');

const files = {
  'SUMMARY.md': '* [Home](README.md)\n* [Proposal](proposal.md)\n* [Steps](steps.md)\n',
  'README.md':
    '# Home\n\n## Definition of terms\n\nMost support happens in a **Crew**: a small group of three to eight people.\n',
  'proposal.md': '# Proposal\n\n## Part 1. Stretched thin\n\nEveryone carries too much.\n',
  'steps.md': page,
};

function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0, from = 0; i <= nth; i++, from = at + 1) at = text.indexOf(needle, from);
  assert.ok(at >= 0, `no ${needle}`);
  const lines = text.slice(0, at + delta).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

describe("beside VS Code's built-in Markdown features", () => {
  let site: Site;
  let client: TestClient;
  const uri = () => site.uri('steps.md');
  before(async () => {
    site = new Site(files);
    client = await TestClient.start({
      initializationOptions: { ...vscodeOptions, builtinMarkdown: true },
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
    });
    await client.open(uri(), page);
    await client.ready();
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('announces no heading rename and no outline (theirs)', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.renameProvider, undefined);
    assert.equal(caps.documentSymbolProvider, undefined);
    assert.ok(caps.completionProvider && caps.hoverProvider && caps.codeLensProvider);
  });

  it('completes paths in GitBook tags and terms in prose, not in Markdown links', async () => {
    const complete = async (p: Position) =>
      (
        (await client.connection.sendRequest(CompletionRequest.type, {
          textDocument: { uri: uri() },
          position: p,
        })) as CompletionList
      ).items.map((i) => i.label);
    assert.deepEqual(await complete(positionOf(page, '![A photo](', 11)), []);
    assert.ok((await complete(positionOf(page, '{% content-ref url="', 20, 1))).includes('proposal.md'));
    assert.deepEqual(await complete(positionOf(page, 'Crew meets', 2)), ['Crew', 'Crew definition']);
  });

  it('links and goes to definition from GitBook tags and terms only', async () => {
    const links = await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: uri() } });
    assert.deepEqual(
      (links ?? []).map((l) => l.range.start.line),
      [4],
      'only the content-ref',
    );
    const fromLink = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: uri() },
      position: positionOf(page, 'proposal.md#', 2),
    });
    assert.deepEqual(fromLink, []);
    const fromTag = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: uri() },
      position: positionOf(page, 'url="proposal.md', 6),
    })) as Location[];
    assert.deepEqual(
      fromTag.map((l) => l.uri),
      [site.uri('proposal.md')],
    );
    const fromTerm = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: uri() },
      position: positionOf(page, 'Crew meets', 1),
    })) as Location[];
    assert.deepEqual(
      fromTerm.map((l) => l.uri),
      [site.uri('README.md')],
    );
  });

  it("finds a term's uses but leaves a heading's links and workspace headings to them", async () => {
    const heading = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: site.uri('proposal.md') },
      position: { line: 2, character: 5 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(heading, []);
    const term = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: uri() },
      position: positionOf(page, 'Crew meets', 1),
      context: { includeDeclaration: false },
    });
    assert.ok((term ?? []).length >= 1);
    const symbols = await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
    assert.deepEqual(
      (symbols ?? []).map((s) => s.name),
      ['Crew'],
    );
  });
});
