import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeConfigurationNotification,
  FileChangeType,
  SemanticTokensRequest,
  type SemanticTokens,
} from 'vscode-languageserver-protocol/node';
import {
  AddAttributionRequest,
  AttributionLicensesRequest,
  AttributionSidecarRequest,
  GlossaryRequest,
  ProposalSectionsRequest,
  ReportRequest,
  SiteInfoRequest,
  TermInsertionsRequest,
} from '../../server/src/protocol';
import { Site, TestClient, codes, pullClient, waitTimeout } from './harness';

/**
 * The server side of the writing features (server/src/lsp/authoring.ts)
 * over stdio: the custom requests the VS Code commands and the preview use,
 * and semantic tokens for glossary terms, with the `msol` settings answered
 * through workspace/configuration.
 */

const files = {
  // A handbook whose hub page is its proposal (the Microsolidarity handbook's is by default; this one says so).
  '.msolrc.json': '{ "site": { "proposal": "articles/proposal.md" } }\n',
  'SUMMARY.md':
    '# Table of contents\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Meals](practices/meals.md)\n',
  'README.md': [
    '# Home',
    '',
    '## Definition of terms',
    '',
    '**Crew**: a group of 2 to 8 peers who support each other.',
    '',
    '## License',
    '',
    'All content is published under [CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/): use the same license for derivative works.',
    'Unless stated otherwise, assume the author is Ana Ruiz.',
    '',
  ].join('\n'),
  'articles/proposal.md': '# Proposal\n\n## Part 1. Stretched thin\n\nText.\n',
  'articles/other.md': '# Another proposal\n\n## Its only part\n\nText.\n',
  'practices/meals.md':
    '# Meals\n\nEvery Crew eats together; crews share the cooking.\n\n![A table](https://images.example.org/table.jpg)\n\nThe end.\n',
};

/** Decodes LSP semantic tokens into `line:text` of the given token type. */
function decode(tokens: SemanticTokens, text: string, type = 0): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i + 4 < tokens.data.length; i += 5) {
    const [dl, dc, len, t] = tokens.data.slice(i, i + 4) as [number, number, number, number];
    line += dl;
    char = dl === 0 ? char + dc : dc;
    if (t === type) out.push(`${line}:${lines[line]!.slice(char, char + len)}`);
  }
  return out;
}

describe('authoring requests and semantic tokens', () => {
  let site: Site;
  let client: TestClient;
  const settings: { enable?: boolean; proposal?: { path?: string } } = {};
  let tokenRefreshes = 0;
  const refreshListeners: Array<() => void> = [];

  before(async () => {
    site = new Site(files);
    client = await TestClient.start({
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
      capabilities: {
        ...pullClient,
        textDocument: {
          ...pullClient.textDocument,
          semanticTokens: {
            dynamicRegistration: true,
            requests: { full: true },
            tokenTypes: [],
            tokenModifiers: [],
            formats: ['relative'],
          },
        },
        workspace: { ...pullClient.workspace, configuration: true, semanticTokens: { refreshSupport: true } },
      },
    });
    client.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section === 'msol' ? settings : null)),
    );
    client.connection.onRequest('workspace/semanticTokens/refresh', () => {
      tokenRefreshes++;
      for (const l of refreshListeners.splice(0)) l();
      return null;
    });
    await client.ready();
  });
  after(async () => {
    await client?.dispose();
    site?.cleanup();
  });

  const meals = () => site.uri('practices/meals.md');

  it('registers semantic tokens with the glossaryTerm legend', async () => {
    const registration = await client.waitFor('a semantic tokens registration', (m) => {
      if (m.method !== 'client/registerCapability') return undefined;
      const r = (
        m.params as { registrations: Array<{ method: string; registerOptions: { legend: { tokenTypes: string[] } } }> }
      ).registrations.find((x) => x.method === 'textDocument/semanticTokens');
      return r;
    });
    assert.deepEqual(registration.registerOptions.legend.tokenTypes, ['glossaryTerm']);
  });

  it('semantic tokens mark every use of a term in the open page, not the synonyms', async () => {
    await client.open(meals(), files['practices/meals.md']);
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: meals() } });
    assert.deepEqual(decode(tokens!, files['practices/meals.md']), ['2:Crew', '2:crews']);
  });

  it('msol/glossary: terms, forms, the definition and a link relative to the asking page', async () => {
    const result = await client.connection.sendRequest(GlossaryRequest.type, { uri: meals() });
    assert.ok(result);
    assert.equal(result.siteUri, site.rootUri);
    assert.equal(result.terms.length, 1);
    const crew = result.terms[0]!;
    assert.equal(crew.term, 'Crew');
    assert.ok(crew.forms.includes('Crews'));
    assert.equal(crew.definition.replace(/\.$/, ''), 'a group of 2 to 8 peers who support each other');
    assert.equal(crew.link, '../README.md#definition-of-terms');
    assert.equal(crew.source.path, 'README.md');
    assert.equal(crew.source.line, 4);
    assert.equal(crew.source.uri, site.uri('README.md'));
    // Outside every site: no glossary.
    assert.equal(await client.connection.sendRequest(GlossaryRequest.type, { uri: 'untitled:Untitled-1' }), null);
  });

  it('msol/termInsertions: sentence, link and hint for each term', async () => {
    const choices = await client.connection.sendRequest(TermInsertionsRequest.type, { uri: meals() });
    assert.deepEqual(
      choices.map((c) => c.term),
      ['Crew'],
    );
    assert.deepEqual(
      choices[0]!.insertions.map((i) => i.kind),
      ['sentence', 'link', 'hint'],
    );
    assert.equal(choices[0]!.insertions[1]!.text, '[Crew](../README.md#definition-of-terms)');
  });

  it('msol/site: the paths New article needs, the default author and the license from the home page', async () => {
    const info = await client.connection.sendRequest(SiteInfoRequest.type, { uri: site.uri('SUMMARY.md') });
    assert.deepEqual(info, {
      siteUri: site.rootUri,
      root: '',
      summaryPath: 'SUMMARY.md',
      readmePath: 'README.md',
      proposalPath: 'articles/proposal.md',
      proposalExists: true,
      defaultAuthor: 'Ana Ruiz',
      license: 'CC-BY-SA-4.0',
      licenseName: 'CC BY-SA 4.0',
      licenseUrl: 'https://creativecommons.org/licenses/by-sa/4.0/',
    });
  });

  it('msol/proposalSections follows msol.proposal.path, read again after didChangeConfiguration', async () => {
    const before = await client.connection.sendRequest(ProposalSectionsRequest.type, { uri: meals() });
    assert.equal(before?.proposalPath, 'articles/proposal.md');
    assert.deepEqual(
      before?.choices.map((c) => c.markdown),
      [
        '[Proposal](../articles/proposal.md)',
        '[Part 1. Stretched thin](../articles/proposal.md#part-1-stretched-thin)',
      ],
    );
    settings.proposal = { path: 'articles/other.md' };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { msol: settings } });
    const after = await client.connection.sendRequest(ProposalSectionsRequest.type, { uri: meals() });
    assert.equal(after?.proposalPath, 'articles/other.md');
    assert.deepEqual(
      after?.choices.map((c) => c.markdown),
      ['[Another proposal](../articles/other.md)', '[Its only part](../articles/other.md#its-only-part)'],
    );
    delete settings.proposal;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { msol: settings } });
  });

  it('msol/attribution/add: the credit line after the image at the position; nothing away from an image', async () => {
    const licenses = await client.connection.sendRequest(AttributionLicensesRequest.type);
    assert.ok(licenses.some((l) => l.id === 'CC-BY-4.0'));
    const image = '![A table](https://images.example.org/table.jpg)';
    const input = {
      uri: meals(),
      title: 'Table',
      author: 'Jo Doe',
      sourceUrl: 'https://example.org/table',
      license: 'CC-BY-4.0',
    };
    const result = await client.connection.sendRequest(AddAttributionRequest.type, {
      ...input,
      position: { line: 4, character: 3 },
    });
    assert.ok(result);
    assert.equal(result.style, 'line');
    assert.equal(result.version, 1);
    assert.deepEqual(result.edits, [
      {
        range: { start: { line: 4, character: image.length }, end: { line: 4, character: image.length } },
        newText:
          '\n\n_"[Table](https://example.org/table)" by Jo Doe is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)._',
      },
    ]);
    assert.equal(
      await client.connection.sendRequest(AddAttributionRequest.type, {
        ...input,
        position: { line: 0, character: 0 },
      }),
      null,
    );
  });

  it('msol/attribution/sidecar: the .license file of the local image at the position, read by the server once written; nothing for a web image', async () => {
    const page = 'practices/threads.md';
    site.write('.gitbook/assets/threads.jpg', '');
    site.write(page, '# Threads\n\n![Threads by Jane Doe](../.gitbook/assets/threads.jpg)\n');
    await client.fileEvents(
      { uri: site.uri('.gitbook/assets/threads.jpg'), type: FileChangeType.Created },
      { uri: site.uri(page), type: FileChangeType.Created },
    );
    try {
      assert.deepEqual(
        codes(await client.pull(site.uri(page))).filter((c) => c.startsWith('attribution-')),
        ['attribution-incomplete'],
      );
      const input = {
        uri: site.uri(page),
        title: 'Threads',
        author: 'Jane Doe',
        sourceUrl: 'https://example.org/threads',
        license: 'CC-BY-4.0',
      };
      const result = await client.connection.sendRequest(AttributionSidecarRequest.type, {
        ...input,
        position: { line: 2, character: 5 },
      });
      assert.deepEqual(result, {
        path: '.gitbook/assets/threads.jpg.license',
        uri: site.uri('.gitbook/assets/threads.jpg.license'),
        text: 'SPDX-FileCopyrightText: Jane Doe <https://example.org/threads>\nSPDX-License-Identifier: CC-BY-4.0\nTitle: Threads\nSource: https://example.org/threads\n',
        imageUrl: '../.gitbook/assets/threads.jpg',
      });
      assert.equal(
        await client.connection.sendRequest(AttributionSidecarRequest.type, {
          ...input,
          position: { line: 0, character: 0 },
        }),
        null,
        'away from an image',
      );
      assert.equal(
        await client.connection.sendRequest(AttributionSidecarRequest.type, {
          ...input,
          uri: meals(),
          position: { line: 4, character: 3 },
        }),
        null,
        'a web image has no sidecar',
      );
      // The client writes the file; the watcher's event makes the credit count.
      site.write(result.path, result.text);
      await client.fileEvents({ uri: result.uri, type: FileChangeType.Created });
      assert.deepEqual(
        codes(await client.pull(site.uri(page))).filter((c) => c.startsWith('attribution-')),
        [],
      );
    } finally {
      for (const path of [page, '.gitbook/assets/threads.jpg', '.gitbook/assets/threads.jpg.license'])
        site.remove(path);
      await client.fileEvents(
        ...[page, '.gitbook/assets/threads.jpg', '.gitbook/assets/threads.jpg.license'].map((path) => ({
          uri: site.uri(path),
          type: FileChangeType.Deleted as FileChangeType,
        })),
      );
    }
  });

  it('msol/report: the attribution report and the glossary as Markdown', async () => {
    const attribution = await client.connection.sendRequest(ReportRequest.type, { kind: 'attribution', uri: meals() });
    assert.match(attribution.markdown, /^# Attribution report/);
    assert.match(attribution.markdown, /https:\/\/images\.example\.org\/table\.jpg/);
    const glossary = await client.connection.sendRequest(ReportRequest.type, { kind: 'glossary' });
    assert.match(glossary.markdown, /^# Glossary/);
    assert.match(glossary.markdown, /^## Crew$/m);
  });

  it('a glossary change asks the client to refresh semantic tokens', async () => {
    const readme = site.uri('README.md');
    const refreshed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no workspace/semanticTokens/refresh')), waitTimeout);
      refreshListeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Tokens served with the current glossary: the server knows what the client shows.
    await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: meals() } });
    const count = tokenRefreshes;
    await client.open(readme, files['README.md']);
    await client.change(readme, {
      text: files['README.md'].replace('## License', '**Hearth**: a room where a crew meets.\n\n## License'),
    });
    await refreshed;
    assert.ok(tokenRefreshes > count);
    const result = await client.connection.sendRequest(GlossaryRequest.type, { uri: meals() });
    assert.deepEqual(
      result?.terms.map((t) => t.term),
      ['Crew', 'Hearth'],
    );
    await client.close(readme);
  });

  it('msol.enable false for the folder: no semantic tokens', async () => {
    settings.enable = false;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { msol: settings } });
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: meals() } });
    assert.deepEqual(tokens?.data, []);
    delete settings.enable;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { msol: settings } });
    const again = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: meals() } });
    assert.equal(decode(again!, files['practices/meals.md']).length, 2);
  });
});
