import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  WillRenameFilesRequest,
  WorkspaceSymbolRequest,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type Hover,
  type Location,
  type MarkupContent,
  type Position,
  type Range,
  type SymbolInformation,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { Site, TestClient, pullClient, waitTimeout } from './harness';

/**
 * The editor features through the real bundled server over stdio: hover,
 * completion, definition, references, document links, code lenses, heading
 * rename, link updates on file moves and symbols, on one small site in the
 * handbook's shape (README with a "Definition of terms", a proposal that other
 * pages link into).
 */

const files = {
  'SUMMARY.md':
    '# Table of contents\n\n* [Microsolidarity](README.md)\n* [Proposal](articles/proposal.md)\n* [First steps](articles/first-steps.md)\n* [Crewing](crewing/README.md)\n',
  'README.md': [
    '# Microsolidarity',
    '',
    'Start with the [proposal](articles/proposal.md).',
    '',
    '## Definition of terms',
    '',
    'Most of the support happens in a **Crew**: a small group of three to eight people who build trust over time.',
    '',
    'A **Congregation** is where Crews meet other Crews, a few hundred people at most.',
    '',
  ].join('\n'),
  'articles/proposal.md': [
    '# Proposal',
    '',
    '## Part 1. Stretched thin',
    '',
    'Everyone carries too much.',
    '',
    '## Part 2. How to begin',
    '',
    'Find two friends.',
    '',
  ].join('\n'),
  'articles/first-steps.md': [
    '# First steps',
    '',
    'Read [part 1](proposal.md#part-1-stretched-thin) and then the [whole proposal](proposal.md).',
    '',
    'Find a Congregation near you, or start a Crew.',
    '',
  ].join('\n'),
  'crewing/README.md': [
    '# Crewing',
    '',
    'Why a Crew stays small: [part one](../articles/proposal.md#part-1-stretched-thin).',
    '',
  ].join('\n'),
};

/** The position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} (#${nth}) not in the text`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function rangeOfText(text: string, needle: string, nth = 0): Range {
  const start = positionOf(text, needle, 0, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

const hoverText = (h: Hover | null): string => (h ? (h.contents as MarkupContent).value : '');

/** Edits per URI of a WorkspaceEdit given as documentChanges (the test client takes them). */
function editsByUri(edit: WorkspaceEdit | null): Map<string, TextEdit[]> {
  assert.ok(edit, 'expected a workspace edit');
  assert.ok(edit.documentChanges, 'expected documentChanges (the client announced them)');
  const out = new Map<string, TextEdit[]>();
  for (const c of edit.documentChanges) {
    const e = c as TextDocumentEdit;
    assert.ok(e.textDocument, `only text edits expected, got ${JSON.stringify(c)}`);
    out.set(e.textDocument.uri, [...(out.get(e.textDocument.uri) ?? []), ...(e.edits as TextEdit[])]);
  }
  return out;
}

describe('editor features', () => {
  let site: Site;
  let client: TestClient;
  const settings: { updateOnFileMove?: string } = {};
  let promptAnswer: string | null = null;
  const prompts: string[] = [];
  let lensRefreshes = 0;
  const lensListeners: Array<() => void> = [];
  /** Resolves at the next workspace/codeLens/refresh; fails after the harness's deadline. */
  const nextLensRefresh = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no workspace/codeLens/refresh')), waitTimeout);
      lensListeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  before(async () => {
    site = new Site(files);
    client = await TestClient.start({
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
      capabilities: {
        ...pullClient,
        textDocument: {
          ...pullClient.textDocument,
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
        workspace: {
          ...pullClient.workspace,
          configuration: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
          codeLens: { refreshSupport: true },
        },
      },
    });
    // Answer the server's questions the way a user's VS Code would (replaces the harness's answers).
    client.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) =>
        i.section === 'msol'
          ? { links: { ...(settings.updateOnFileMove ? { updateOnFileMove: settings.updateOnFileMove } : {}) } }
          : null,
      ),
    );
    client.connection.onRequest('workspace/codeLens/refresh', () => {
      lensRefreshes++;
      for (const l of lensListeners.splice(0)) l();
      return null;
    });
    client.connection.onRequest(
      'window/showMessageRequest',
      (p: { message: string; actions?: Array<{ title: string }> }) => {
        prompts.push(p.message);
        return p.actions?.find((a) => a.title === promptAnswer) ?? null;
      },
    );
    await client.ready();
  });
  after(async () => {
    await client?.dispose();
    site?.cleanup();
  });

  const hover = (path: string, position: Position) =>
    client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: site.uri(path) }, position });

  it('declares the feature capabilities', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ['(', '/', '#', '[', '"']);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.ok(
      caps.codeLensProvider &&
        caps.documentLinkProvider &&
        caps.definitionProvider &&
        caps.referencesProvider &&
        caps.documentSymbolProvider &&
        caps.workspaceSymbolProvider,
    );
    assert.deepEqual(caps.workspace?.fileOperations?.willRename?.filters, [
      { scheme: 'file', pattern: { glob: '**/*' } },
    ]);
    assert.equal(caps.workspace?.workspaceFolders?.supported, true, "the server's own workspace capabilities are kept");
  });

  it('hovering "Congregation" in a page shows the README\'s definition, where it is defined (a link that opens it) and its forms', async () => {
    const text = files['articles/first-steps.md'];
    const h = await hover('articles/first-steps.md', positionOf(text, 'Congregation', 3));
    const value = hoverText(h);
    assert.match(value, /\*\*Congregation\*\* — glossary term/);
    assert.match(value, /where Crews meet other Crews/);
    assert.ok(
      value.includes(`](${site.uri('README.md')}#L5)`),
      `a link to README.md at the Definition of terms heading: ${value}`,
    );
    assert.match(value, /Forms: Congregation, Congregations/);
    assert.deepEqual(h?.range, rangeOfText(text, 'Congregation'));
  });

  it('hovering a link shows the target page and heading; plain prose has none', async () => {
    const text = files['articles/first-steps.md'];
    const link = hoverText(await hover('articles/first-steps.md', positionOf(text, 'part-1-stretched-thin', 2)));
    assert.match(link, /\*\*Proposal\*\*/);
    assert.match(link, /§ Part 1\. Stretched thin/);
    assert.match(link, /`articles\/proposal\.md`/);
    const crewing = files['crewing/README.md'];
    assert.equal(
      hoverText(await hover('crewing/README.md', positionOf(crewing, 'small'))),
      '',
      'plain prose has no hover',
    );
  });

  it("completes the proposal's headings after `proposal.md#`, in a page being edited", async () => {
    const uri = site.uri('articles/first-steps.md');
    const text = files['articles/first-steps.md'] + 'See [the start](proposal.md#';
    await client.open(uri, text);
    try {
      const end = positionOf(text, 'proposal.md#', 'proposal.md#'.length, 1);
      const list = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: end,
        context: { triggerKind: 2, triggerCharacter: '#' },
      })) as CompletionList;
      const headings = list.items.map((i) => i.label);
      assert.deepEqual(headings, ['proposal', 'part-1-stretched-thin', 'part-2-how-to-begin']);
      const part1 = list.items.find((i) => i.label === 'part-1-stretched-thin')!;
      assert.equal(part1.detail, '## Part 1. Stretched thin');
      assert.deepEqual((part1.textEdit as TextEdit).range, { start: end, end });
    } finally {
      await client.close(uri);
    }
  });

  it('completes relative paths: folders and pages of the folder typed so far', async () => {
    const uri = site.uri('crewing/README.md');
    const text = files['crewing/README.md'] + 'Next: [first steps](../articles/';
    await client.open(uri, text);
    try {
      const end = positionOf(text, '../articles/', '../articles/'.length, 1);
      const list = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: end,
      })) as CompletionList;
      const byLabel = new Map(list.items.map((i: CompletionItem) => [i.label, i]));
      assert.ok(
        byLabel.has('proposal.md') && byLabel.has('first-steps.md') && byLabel.has('../'),
        JSON.stringify([...byLabel.keys()]),
      );
      assert.equal(byLabel.get('first-steps.md')?.detail, 'First steps');
      assert.deepEqual((byLabel.get('proposal.md')!.textEdit as TextEdit).range, { start: end, end });
      // The root folder's entries, typed from the top.
      const top = text.replace(/\.\.\/articles\/$/, '../');
      await client.change(uri, { text: top });
      const list2 = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: positionOf(top, '](../', 5),
      })) as CompletionList;
      const labels = list2.items.map((i) => i.label);
      for (const l of ['articles/', 'crewing/', 'README.md', 'SUMMARY.md'])
        assert.ok(labels.includes(l), `${l} in ${JSON.stringify(labels)}`);
    } finally {
      await client.close(uri);
    }
  });

  it('completes glossary terms in prose after two letters, with the canonical form', async () => {
    const uri = site.uri('crewing/README.md');
    const text = files['crewing/README.md'] + '\nEvery Cr';
    await client.open(uri, text);
    try {
      const list = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: positionOf(text, 'Every Cr', 8),
      })) as CompletionList;
      const items = list.items.map((i) => [i.label, (i.textEdit as TextEdit).newText, i.insertTextFormat ?? 1]);
      assert.deepEqual(items[0], ['Crew', 'Crew', 1]);
      // …and its definition, as a snippet that writes the defining sentence with the bold term.
      assert.equal(items.length, 2, JSON.stringify(items));
      assert.equal(items[1]![0], 'Crew definition');
      assert.match(String(items[1]![1]), /^\*\*Crew\*\*: /);
      assert.equal(items[1]![2], 2, 'InsertTextFormat.Snippet');
    } finally {
      await client.close(uri);
    }
  });

  it('goes to the definition of a term (its defining sentence) and of a link (the heading it names)', async () => {
    const text = files['articles/first-steps.md'];
    const uri = site.uri('articles/first-steps.md');
    const term = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position: positionOf(text, 'Congregation', 2),
    })) as Location[];
    assert.equal(term.length, 1);
    assert.equal(term[0]!.uri, site.uri('README.md'));
    assert.equal(term[0]!.range.start.line, 8, 'the paragraph defining Congregation');
    const link = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position: positionOf(text, 'stretched-thin'),
    })) as Location[];
    assert.deepEqual(link, [
      {
        uri: site.uri('articles/proposal.md'),
        range: rangeOfText(files['articles/proposal.md'], '## Part 1. Stretched thin'),
      },
    ]);
  });

  it('finds the references of a heading (every link to it) and of a term (every use)', async () => {
    const proposal = files['articles/proposal.md'];
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: site.uri('articles/proposal.md') },
      position: positionOf(proposal, 'Stretched'),
      context: { includeDeclaration: false },
    })) as Location[];
    const linkRange = (path: keyof typeof files, needle: string) => ({
      uri: site.uri(path),
      range: rangeOfText(files[path], needle),
    });
    assert.deepEqual(
      refs.sort((a, b) => a.uri.localeCompare(b.uri)),
      [
        linkRange('articles/first-steps.md', '[part 1](proposal.md#part-1-stretched-thin)'),
        linkRange('crewing/README.md', '[part one](../articles/proposal.md#part-1-stretched-thin)'),
      ].sort((a, b) => a.uri.localeCompare(b.uri)),
    );
    const uses = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: site.uri('articles/first-steps.md') },
      position: positionOf(files['articles/first-steps.md'], 'Crew', 1),
      context: { includeDeclaration: true },
    })) as Location[];
    const where = uses
      .map((l) => `${l.uri.slice(site.rootUri.length + 1)}:${l.range.start.line}:${l.range.start.character}`)
      .sort();
    const readme = files['README.md'];
    const expected = [
      ['README.md', positionOf(readme, 'Crew')],
      ['README.md', positionOf(readme, 'Crews meet')],
      ['README.md', positionOf(readme, 'Crews, a few')],
      ['articles/first-steps.md', positionOf(files['articles/first-steps.md'], 'Crew')],
      ['crewing/README.md', positionOf(files['crewing/README.md'], 'Crew stays')],
    ]
      .map(([p, pos]) => `${p as string}:${(pos as Position).line}:${(pos as Position).character}`)
      .sort();
    assert.deepEqual(where, expected);
  });

  it('puts "N pages link here" on each proposal heading, opening the links', async () => {
    const uri = site.uri('articles/proposal.md');
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    assert.deepEqual(
      lenses?.map((l) => [l.range.start.line, l.command?.title]),
      [
        [0, '2 pages link here'],
        [2, '2 pages link here'],
        [6, 'No pages link here'],
      ],
    );
    const part1 = lenses![1]!.command!;
    assert.equal(part1.command, 'msol.showReferences');
    const [lensUri, position, locations] = part1.arguments as [string, Position, Location[]];
    assert.equal(lensUri, uri);
    assert.deepEqual(position, { line: 2, character: 0 });
    assert.deepEqual(locations.map((l) => l.uri).sort(), [
      site.uri('articles/first-steps.md'),
      site.uri('crewing/README.md'),
    ]);
    // Nothing links there: still a real command (an empty command id is VS Code's private convention), with no locations.
    assert.equal(lenses![2]!.command!.command, 'msol.showReferences');
    assert.deepEqual((lenses![2]!.command!.arguments as unknown[])[2], []);
    // Pages other than the proposal have no lenses.
    assert.deepEqual(
      await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: site.uri('README.md') } }),
      [],
    );
  });

  it('asks the client to refresh the lenses when a link to the proposal is added elsewhere', async () => {
    const proposal = site.uri('articles/proposal.md');
    const before = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: proposal } });
    assert.equal(before?.[2]?.command?.title, 'No pages link here');
    const uri = site.uri('crewing/README.md');
    const refreshed = nextLensRefresh();
    const count = lensRefreshes;
    await client.open(
      uri,
      files['crewing/README.md'] + '\nThen [begin](../articles/proposal.md#part-2-how-to-begin).\n',
    );
    try {
      await refreshed;
      assert.equal(lensRefreshes, count + 1);
      const after = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: proposal } });
      assert.equal(after?.[2]?.command?.title, '1 page links here');
    } finally {
      const back = nextLensRefresh();
      await client.close(uri);
      await back;
    }
  });

  it("gives document links to files, with the heading's line for an anchor", async () => {
    const links = await client.connection.sendRequest(DocumentLinkRequest.type, {
      textDocument: { uri: site.uri('articles/first-steps.md') },
    });
    const text = files['articles/first-steps.md'];
    assert.deepEqual(
      links?.map((l) => [l.range, l.target]),
      [
        [rangeOfText(text, 'proposal.md#part-1-stretched-thin'), `${site.uri('articles/proposal.md')}#L3`],
        [rangeOfText(text, 'proposal.md', 1), site.uri('articles/proposal.md')],
      ],
    );
  });

  it('gives the outline (nested headings) and workspace symbols (headings and terms)', async () => {
    const outline = (await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: site.uri('articles/proposal.md') },
    })) as DocumentSymbol[];
    assert.deepEqual(
      outline.map((s) => [s.name, s.children?.map((c) => c.name)]),
      [['Proposal', ['Part 1. Stretched thin', 'Part 2. How to begin']]],
    );
    const part1 = outline[0]!.children![0]!;
    assert.deepEqual(part1.selectionRange, rangeOfText(files['articles/proposal.md'], '## Part 1. Stretched thin'));
    assert.equal(part1.range.end.line, 5, 'the section runs to the next heading');
    const symbols = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'congreg',
    })) as SymbolInformation[];
    assert.ok(
      symbols.some((s) => s.name === 'Congregation' && s.location.uri === site.uri('README.md')),
      JSON.stringify(symbols),
    );
    const headings = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'stretched',
    })) as SymbolInformation[];
    assert.deepEqual(
      headings.map((s) => [s.name, s.location.uri]),
      [['## Part 1. Stretched thin', site.uri('articles/proposal.md')]],
    );
  });

  it('renames a proposal heading and every link to it in one workspace edit', async () => {
    const uri = site.uri('articles/proposal.md');
    const proposal = files['articles/proposal.md'];
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri },
      position: positionOf(proposal, 'Stretched'),
    });
    assert.deepEqual(prepared, {
      range: rangeOfText(proposal, 'Part 1. Stretched thin'),
      placeholder: 'Part 1. Stretched thin',
    });
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri },
      position: positionOf(proposal, 'Stretched'),
      newName: 'Part 1. Spread thin',
    });
    const byUri = editsByUri(edit);
    assert.deepEqual(
      new Map([...byUri].sort(([a], [b]) => a.localeCompare(b))),
      new Map(
        [
          [uri, [{ range: rangeOfText(proposal, 'Part 1. Stretched thin'), newText: 'Part 1. Spread thin' }]],
          [
            site.uri('articles/first-steps.md'),
            [
              {
                range: rangeOfText(files['articles/first-steps.md'], 'part-1-stretched-thin'),
                newText: 'part-1-spread-thin',
              },
            ],
          ],
          [
            site.uri('crewing/README.md'),
            [
              {
                range: rangeOfText(files['crewing/README.md'], 'part-1-stretched-thin'),
                newText: 'part-1-spread-thin',
              },
            ],
          ],
        ].sort(([a], [b]) => (a as string).localeCompare(b as string)) as Array<[string, TextEdit[]]>,
      ),
    );
    // Not a heading nor an anchor: nothing to rename.
    assert.equal(
      await client.connection.sendRequest(PrepareRenameRequest.type, {
        textDocument: { uri },
        position: positionOf(proposal, 'carries'),
      }),
      null,
    );
  });

  it("updates links to a moved page and the moved page's own links (workspace/willRenameFiles), as msol.links.updateOnFileMove says", async () => {
    const params = {
      files: [{ oldUri: site.uri('articles/first-steps.md'), newUri: site.uri('guides/first-steps.md') }],
    };
    const fs = files['articles/first-steps.md'];
    const expected = new Map<string, TextEdit[]>([
      [
        site.uri('SUMMARY.md'),
        [{ range: rangeOfText(files['SUMMARY.md'], 'articles/first-steps.md'), newText: 'guides/first-steps.md' }],
      ],
      [
        site.uri('articles/first-steps.md'),
        [
          {
            range: rangeOfText(fs, 'proposal.md#part-1-stretched-thin'),
            newText: '../articles/proposal.md#part-1-stretched-thin',
          },
          { range: rangeOfText(fs, 'proposal.md', 1), newText: '../articles/proposal.md' },
        ],
      ],
    ]);
    settings.updateOnFileMove = 'always';
    assert.deepEqual(editsByUri(await client.connection.sendRequest(WillRenameFilesRequest.type, params)), expected);

    settings.updateOnFileMove = 'never';
    assert.equal(await client.connection.sendRequest(WillRenameFilesRequest.type, params), null);

    // prompt (the default): the server asks; "Not now" leaves the links, "Update links" updates them.
    delete settings.updateOnFileMove;
    promptAnswer = 'Not now';
    assert.equal(await client.connection.sendRequest(WillRenameFilesRequest.type, params), null);
    assert.match(prompts.at(-1) ?? '', /`first-steps\.md`: update 3 links in 2 files\?/);
    promptAnswer = 'Update links';
    assert.deepEqual(editsByUri(await client.connection.sendRequest(WillRenameFilesRequest.type, params)), expected);
    assert.equal(prompts.length, 2);
  });

  it('sends the glossary size in msol/status', async () => {
    const status = await client.waitFor('msol/status with glossaryTerms', (m) =>
      m.method === 'msol/status' && (m.params as { state: string }).state === 'ready'
        ? (m.params as { glossaryTerms: number })
        : undefined,
    );
    assert.equal(status.glossaryTerms, 2, 'Crew and Congregation');
  });
});
