import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HoverRequest, type Hover, type MarkupContent, type Position } from 'vscode-languageserver-protocol/node';
import { Site, TestClient, pullClient } from './harness';

/**
 * The glossary of a site that has moved on, through the bundled server over
 * stdio: the five scales defined by a current essay (`## 3: the Crew`), the
 * 2018 proposal filed under the table of contents' "Archive" with its own,
 * older definitions. Passages adapted from the Microsolidarity handbook
 * (microsolidarity/handbook, CC BY-SA 4.0, Richard D. Bartlett).
 */

const files = {
  'SUMMARY.md': [
    '# Table of contents',
    '',
    '* [Microsolidarity](README.md)',
    '* [Five Scales of Microsolidarity](essays/five-scales.md)',
    '* [Crewing](practices/crewing.md)',
    '* [Archive](articles/README.md)',
    '  * [#1: Proposal](articles/proposal.md)',
    '',
  ].join('\n'),
  'README.md':
    "# Microsolidarity\n\n### Microsolidarity is a community-building practice. We're weaving the social fabric that underpins shared infrastructure.\n",
  'essays/five-scales.md': [
    '# Five Scales of Microsolidarity',
    '',
    '## 3: the Crew',
    '',
    'The third scale, I call the crew. I chose that word because I was thinking of the crew of a sailing ship.',
    '',
    'A crew is a very small group. The numbers are not precise, but I think about 3, 4, 5 or 6 people.',
    '',
  ].join('\n'),
  'practices/crewing.md': '# Crewing\n\nMethods for people to support each other in a crew.\n',
  'articles/README.md': '# Archive\n\nOlder articles.\n',
  'articles/proposal.md': [
    '# #1: Proposal',
    '',
    '### Definition of terms',
    '',
    '#### 3: the Crew',
    '',
    'A Crew is a group that is small enough to fit around a single dinner table, around 3-8 people.',
    '',
  ].join('\n'),
};

function positionOf(text: string, needle: string): Position {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
}

describe('the glossary of a site that has moved on', () => {
  let site: Site;
  let client: TestClient;
  before(async () => {
    site = new Site(files);
    client = await TestClient.start({
      workspaceFolders: [{ uri: site.rootUri, name: 'site' }],
      capabilities: pullClient,
    });
    await client.ready();
  });
  after(async () => {
    await client?.dispose();
    site?.cleanup();
  });

  it('hovering "crew" in a current page shows the five-scales essay’s definition first, and says the proposal’s is archived', async () => {
    const text = files['practices/crewing.md'];
    const h = (await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: site.uri('practices/crewing.md') },
      position: positionOf(text, 'crew.'),
    })) as Hover | null;
    const value = h ? (h.contents as MarkupContent).value : '';
    assert.match(
      value,
      /^\*\*Crew\*\* — glossary term\n\nThe third scale, I call the crew\. .*\n\nA crew is a very small group\. The numbers are not precise, but I think about 3, 4, 5 or 6 people\.\n\n/,
    );
    assert.match(
      value,
      /\n\nDefined in \[essays\/five-scales\.md › 3: the Crew\]\([^)]*five-scales\.md[^)]*\) \(current\)\n\n/,
    );
    assert.match(
      value,
      /\n\nAlso defined in \[articles\/proposal\.md › 3: the Crew\]\([^)]*proposal\.md[^)]*\) \(archived, 3–8 people\)\n\n/,
    );
  });
});
