import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompletionRequest,
  HoverRequest,
  ReferencesRequest,
  RenameRequest,
  WillRenameFilesRequest,
  type CodeAction,
  type CompletionList,
  type CreateFile,
  type Location,
  type MarkupContent,
  type Position,
  type Range,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { Site, TestClient, byCode, pullClient, pushClient } from './harness';
import { AttributionKnownRequest } from '../../server/src/protocol';

/**
 * Feature edge cases through the bundled server: the code actions beyond a
 * diagnostic's own fix, image hovers, completion in link text and `<img src>`,
 * renames from a link's anchor into a closed page, folder and asset moves, and
 * a client that takes only `changes` (no documentChanges).
 */

const readme = [
  '# Home',
  '',
  'Start with the [proposal](articles/proposal.md).',
  '',
  '## Definition of terms',
  '',
  'Most of the support happens in a **Crew**: a small group of three to eight people who build trust over time.',
  '',
  'A **Congregation** is where Crews meet other Crews, and Crews share their Crews’ stories.',
  '',
  '## License',
  '',
  'All content is published under [CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/). Unless stated otherwise, assume the author is Richard D. Bartlett.',
  '',
].join('\n');

const files = {
  'SUMMARY.md':
    '# Contents\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Crewing](crewing/README.md)\n* [Pairs](crewing/pairs.md)\n',
  'README.md': readme,
  'articles/proposal.md': '# Proposal\n\n## Stage 1: Listening\n\nListen first.\n',
  'crewing/README.md':
    '# Crewing\n\nSee [stage 1](../articles/proposal.md#stage-1-listening) and [pairs](pairs.md).\n\n![Circle](../.gitbook/assets/circle.png)\n',
  'crewing/pairs.md': '# Pairs\n\nBack to [crewing](README.md) or the [home page](../README.md).\n',
  '.gitbook/assets/circle.png': 'png',
  '.gitbook/assets/photo-by-jane-doe-on-unsplash.jpg': 'jpg',
};

function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} (#${nth}) not in the text`);
  }
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - (before.lastIndexOf('\n') + 1) };
}

function rangeOfText(text: string, needle: string, nth = 0): Range {
  const start = positionOf(text, needle, 0, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  const offset = (p: Position) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const textEdits = (edit: WorkspaceEdit | undefined | null): TextDocumentEdit[] =>
  (edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c);

describe('feature code actions, hovers and moves', () => {
  let site: Site;
  let client: TestClient;

  before(async () => {
    site = new Site(files);
    client = await TestClient.start({
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
      capabilities: {
        ...pullClient,
        workspace: {
          ...pullClient.workspace,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
      },
    });
    await client.ready();
  });
  after(async () => {
    await client?.dispose();
    site?.cleanup();
  });

  it('offers "Fix all term-case problems in this file" beside a term-case problem, and as a source action', async () => {
    const uri = site.uri('crewing/new.md');
    // The page writes Crews capitalised, as the README that defines the term does, but twice.
    const text =
      '# New\n\nOur Crews meet, two Crews share, the Crews rotate, new Crews form, old Crews rest and the Crews sing; the crews eat and the crews sleep.\n';
    await client.open(uri, text);
    try {
      const problems = byCode(await client.pull(uri), 'term-case');
      assert.equal(problems.length, 2, JSON.stringify(problems));
      const actions = await client.codeActions(uri, problems[0]!.range, [problems[0]!]);
      const fixAll = actions.find((a) => a.title === 'Fix all term-case problems in this file');
      assert.ok(fixAll, JSON.stringify(actions.map((a) => a.title)));
      assert.equal(fixAll.kind, 'quickfix');
      const [docEdit] = textEdits(fixAll.edit);
      assert.equal(docEdit!.textDocument.uri, uri);
      assert.equal(docEdit!.textDocument.version, 1);
      assert.equal(
        apply(text, docEdit!.edits as TextEdit[]),
        text.replace('the crews eat and the crews sleep', 'the Crews eat and the Crews sleep'),
      );

      const source = await client.codeActions(
        uri,
        { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        [],
        ['source'],
      );
      assert.deepEqual(
        source.filter((a) => a.kind === 'source.msol.termCase').map((a) => a.title),
        ['Fix all term-case problems in this file'],
      );
      // Not part of source.fixAll (on save, source.fixAll.msol applies every safe fix already).
      const onSave = await client.codeActions(
        uri,
        { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        [],
        ['source.fixAll'],
      );
      assert.deepEqual(
        onSave.map((a) => a.kind),
        ['source.fixAll.msol'],
      );
    } finally {
      await client.close(uri);
    }
  });

  it('offers "Add to glossary" for an undefined term: GLOSSARY.md or .msolrc.json, created when missing', async () => {
    const uri = site.uri('crewing/guilds.md');
    const text = '# Guilds\n\nA **Guild** is a group of Crews sharing a craft.\n';
    await client.open(uri, text);
    try {
      const [problem] = byCode(await client.pull(uri), 'term-undefined');
      assert.ok(problem, 'term-undefined on Guild');
      const actions = (await client.codeActions(uri, problem.range, [problem])).filter((a: CodeAction) =>
        a.title.startsWith('Add “Guild”'),
      );
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Add “Guild” to GLOSSARY.md', 'Add “Guild” to glossary.terms in .msolrc.json'],
      );
      const [glossary, config] = actions as [CodeAction, CodeAction];
      assert.deepEqual(glossary.diagnostics, [problem]);
      const create = glossary.edit!.documentChanges![0] as CreateFile;
      assert.deepEqual(create, { kind: 'create', uri: site.uri('GLOSSARY.md'), options: { ignoreIfExists: true } });
      assert.equal(
        apply('', textEdits(glossary.edit)[0]!.edits as TextEdit[]),
        '# Glossary\n\n## Guild\n\nA group of Crews sharing a craft.\n',
      );
      const configText = apply('', textEdits(config.edit)[0]!.edits as TextEdit[]);
      assert.deepEqual(JSON.parse(configText), {
        glossary: { terms: [{ term: 'Guild', definition: 'A group of Crews sharing a craft.' }] },
      });

      // An existing GLOSSARY.md gets the term appended (no file creation).
      site.write('GLOSSARY.md', '# Glossary\n\n## Hearth\n\nA room.\n');
      const again = (await client.codeActions(uri, problem.range, [problem])).find(
        (a) => a.title === 'Add “Guild” to GLOSSARY.md',
      )!;
      assert.equal(again.edit!.documentChanges!.length, 1);
      const append = textEdits(again.edit)[0]!;
      assert.equal(append.textDocument.version, null, 'GLOSSARY.md is not open: its text on disk');
      assert.equal(
        apply('# Glossary\n\n## Hearth\n\nA room.\n', append.edits as TextEdit[]),
        '# Glossary\n\n## Hearth\n\nA room.\n\n## Guild\n\nA group of Crews sharing a craft.\n',
      );
    } finally {
      site.remove('GLOSSARY.md');
      await client.close(uri);
    }
  });

  it('hovers an image with its credit and verdict', async () => {
    const uri = site.uri('crewing/photo.md');
    const text =
      '# Photo\n\n![Chairs](../.gitbook/assets/photo-by-jane-doe-on-unsplash.jpg)\n\n_Photo by Jane Doe on Unsplash_\n\n![Circle](../.gitbook/assets/circle.png)\n';
    await client.open(uri, text);
    try {
      const hover = async (needle: string) => {
        const h = await client.connection.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position: positionOf(text, needle, 3),
        });
        return h ? (h.contents as MarkupContent).value : '';
      };
      const photo = await hover('photo-by-jane');
      assert.match(photo, /\*\*Third-party image\*\*/);
      assert.match(photo, /Author: Jane Doe/);
      assert.match(photo, /✗ incompatible/);
      // The why of the problems under the cursor comes first (their messages are one line each).
      assert.match(
        photo,
        /\*\*Why\*\* \(license-incompatible\): "On Unsplash" implies the Unsplash License\. The Unsplash License is not a Creative Commons license/,
      );
      assert.ok(
        photo.startsWith(
          '**Why** (attribution-incomplete): The credit (credit line) reads "Photo by Jane Doe on Unsplash".',
        ),
        photo,
      );
      assert.ok(photo.indexOf('**Why**') < photo.indexOf('**Third-party image**'));
      // An image is also a link to its file: both hovers, one after the other.
      assert.match(photo, /\n---\n/);
      // What "Add attribution…" starts from: what the checks read of this credit.
      const known = await client.connection.sendRequest(AttributionKnownRequest.type, {
        uri,
        position: positionOf(text, 'photo-by-jane', 3),
      });
      assert.equal(known?.author, 'Jane Doe');
      assert.deepEqual(
        known?.license && { implied: known.license.implied, unsplash: /Unsplash/.test(known.license.name) },
        { implied: true, unsplash: true },
      );
      assert.equal(known?.from, 'credit line');
      assert.equal(
        await client.connection.sendRequest(AttributionKnownRequest.type, { uri, position: { line: 0, character: 2 } }),
        null,
        'no image there',
      );
      const circle = await hover('circle.png');
      assert.match(circle, /\*\*The site's own image\*\*/);
      assert.doesNotMatch(circle, /\*\*Why\*\*/, 'no problem there, no why');
    } finally {
      await client.close(uri);
    }
  });

  it('completes terms inside link text and assets first inside <img src>', async () => {
    const uri = site.uri('crewing/pairs.md');
    const text = files['crewing/pairs.md'] + '\nSee the [Co\n\n<img src="../.gitbook/assets/';
    await client.open(uri, text);
    try {
      const terms = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: positionOf(text, '[Co', 3),
      })) as CompletionList;
      assert.deepEqual(
        terms.items.map((i) => i.label),
        ['Congregation'],
      );
      const end = positionOf(text, 'assets/', 7);
      const assets = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: end,
        context: { triggerKind: 2, triggerCharacter: '/' },
      })) as CompletionList;
      const sorted = [...assets.items]
        .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))
        .map((i) => i.label);
      assert.deepEqual(sorted, ['circle.png', 'photo-by-jane-doe-on-unsplash.jpg', '../']);
    } finally {
      await client.close(uri);
    }
  });

  it("renames a heading from a link's #anchor in another page, while the heading's page is closed", async () => {
    const from = files['crewing/README.md'];
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: site.uri('crewing/README.md') },
      position: positionOf(from, 'stage-1-listening', 4),
      newName: 'Stage 1: Hearing',
    });
    const byUri = new Map(textEdits(edit).map((e) => [e.textDocument.uri, e.edits as TextEdit[]]));
    assert.deepEqual(byUri.get(site.uri('articles/proposal.md')), [
      { range: rangeOfText(files['articles/proposal.md'], 'Stage 1: Listening'), newText: 'Stage 1: Hearing' },
    ]);
    assert.deepEqual(byUri.get(site.uri('crewing/README.md')), [
      { range: rangeOfText(from, 'stage-1-listening'), newText: 'stage-1-hearing' },
    ]);
    assert.equal(byUri.size, 2);
  });

  it('finds the links to a page from its prose and from its title', async () => {
    const expected = [
      [site.uri('SUMMARY.md'), rangeOfText(files['SUMMARY.md'], '[Pairs](crewing/pairs.md)')],
      [site.uri('crewing/README.md'), rangeOfText(files['crewing/README.md'], '[pairs](pairs.md)')],
    ].sort();
    for (const needle of ['Back to', 'Pairs']) {
      const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
        textDocument: { uri: site.uri('crewing/pairs.md') },
        position: positionOf(files['crewing/pairs.md'], needle, 1),
        context: { includeDeclaration: false },
      })) as Location[];
      assert.deepEqual(refs.map((l) => [l.uri, l.range]).sort(), expected, `from ${needle}`);
    }
  });

  it('asks before updating links when a folder moves (the default, prompt); a dismissed prompt changes nothing', async () => {
    const edit = await client.connection.sendRequest(WillRenameFilesRequest.type, {
      files: [{ oldUri: site.uri('crewing'), newUri: site.uri('practices/crewing') }],
    });
    assert.equal(
      client.messages.filter((m) => m.method === 'window/showMessageRequest').length,
      1,
      'prompt (the default) asked once',
    );
    // The harness dismisses the prompt: nothing changes.
    assert.equal(edit, null);
  });

  it("with updateOnFileMove always: an asset's pages and a folder's links in and out are updated; a client without documentChanges gets changes", async () => {
    const pushSite = new Site(files);
    const push = await TestClient.start({
      workspaceFolders: [{ uri: pushSite.rootUri, name: 'push' }],
      capabilities: { ...pushClient, workspace: { ...pushClient.workspace, configuration: true } },
    });
    try {
      push.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
        p.items.map(() => ({ links: { updateOnFileMove: 'always' } })),
      );
      await push.ready();
      // A client without documentChanges gets `changes`.
      const asset = await push.connection.sendRequest(WillRenameFilesRequest.type, {
        files: [
          {
            oldUri: pushSite.uri('.gitbook/assets/circle.png'),
            newUri: pushSite.uri('.gitbook/assets/diagrams/circle.png'),
          },
        ],
      });
      assert.deepEqual(asset, {
        changes: {
          [pushSite.uri('crewing/README.md')]: [
            {
              range: rangeOfText(files['crewing/README.md'], '../.gitbook/assets/circle.png'),
              newText: '../.gitbook/assets/diagrams/circle.png',
            },
          ],
        },
      });
      const folder = await push.connection.sendRequest(WillRenameFilesRequest.type, {
        files: [{ oldUri: pushSite.uri('crewing'), newUri: pushSite.uri('practices/crewing') }],
      });
      const changes = folder?.changes ?? {};
      const readmeAfter = apply(files['crewing/README.md'], changes[pushSite.uri('crewing/README.md')] ?? []);
      assert.equal(
        readmeAfter,
        '# Crewing\n\nSee [stage 1](../../articles/proposal.md#stage-1-listening) and [pairs](pairs.md).\n\n![Circle](../../.gitbook/assets/circle.png)\n',
      );
      assert.equal(
        apply(files['crewing/pairs.md'], changes[pushSite.uri('crewing/pairs.md')] ?? []),
        '# Pairs\n\nBack to [crewing](README.md) or the [home page](../../README.md).\n',
      );
      assert.equal(
        apply(files['SUMMARY.md'], changes[pushSite.uri('SUMMARY.md')] ?? []),
        '# Contents\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Crewing](practices/crewing/README.md)\n* [Pairs](practices/crewing/pairs.md)\n',
      );
      // A move out of the site cannot be followed by a relative link.
      assert.equal(
        await push.connection.sendRequest(WillRenameFilesRequest.type, {
          files: [{ oldUri: pushSite.uri('crewing/pairs.md'), newUri: 'file:///elsewhere/pairs.md' }],
        }),
        null,
      );
    } finally {
      await push.dispose();
      pushSite.cleanup();
    }
  });
});
