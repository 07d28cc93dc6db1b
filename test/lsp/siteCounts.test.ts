import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { CheckSiteRequest } from '../../server/src/protocol';
import { Site, TestClient, pullClient } from './harness';

/**
 * The site-wide counts (msol/checkSite, the status bar) are kept up to date
 * incrementally: an edit no other page can see re-checks only the edited
 * page. Whatever the edits, the counts must equal what the pages' own
 * diagnostics add up to.
 */

const files: Record<string, string> = {
  'SUMMARY.md':
    '# Table of contents\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Notes](articles/notes.md)\n* [Other](articles/other.md)\n',
  'README.md':
    '# Home\n\nStart with the [proposal](articles/proposal.md).\n\n## Definition of terms\n\nMost support happens in a **Crew**: a small group of three to eight people.\n',
  'articles/proposal.md':
    '# Proposal\n\n## Part 1. Stretched thin\n\nEveryone carries too much.\n\n## Part 2. How to begin\n\nFind two friends.\n',
  'articles/notes.md':
    '# Notes\n\nSee [part 2](proposal.md#part-2-how-to-begin) of the proposal.\n\nSome prose about a Crew.\n',
  'articles/other.md': '# Other\n\nPlain text.\n',
};

describe('site counts follow edits', () => {
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
    await client.dispose();
    site.cleanup();
  });

  /** Errors and warnings as the pages' own pulled diagnostics add them up. */
  async function pulledCounts(): Promise<{ errors: number; warnings: number }> {
    let errors = 0;
    let warnings = 0;
    for (const path of Object.keys(files)) {
      for (const d of await client.pull(site.uri(path))) {
        if (d.severity === DiagnosticSeverity.Error) errors++;
        else if (d.severity === DiagnosticSeverity.Warning) warnings++;
      }
    }
    return { errors, warnings };
  }

  async function siteCounts(): Promise<{ errors: number; warnings: number }> {
    const r = await client.connection.sendRequest(CheckSiteRequest.type, undefined);
    return { errors: r.errors, warnings: r.warnings };
  }

  it('an invisible edit (a broken link, a miscased term) and its undo; a visible one (a proposal heading renamed)', async () => {
    const start = await siteCounts();
    assert.deepEqual(start, await pulledCounts());

    const other = site.uri('articles/other.md');
    await client.open(other, files['articles/other.md']!);
    await client.change(other, { text: '# Other\n\nPlain text, see [this](missing.md), and a crew.\n' });
    const edited = await siteCounts();
    assert.ok(
      edited.errors + edited.warnings > start.errors + start.warnings,
      `counts grew: ${JSON.stringify(edited)} after ${JSON.stringify(start)}`,
    );
    assert.deepEqual(edited, await pulledCounts());

    await client.change(other, { text: files['articles/other.md']! });
    assert.deepEqual(await siteCounts(), start);

    // Renaming the heading breaks the anchor in notes.md: another page's count changes.
    const proposal = site.uri('articles/proposal.md');
    await client.open(proposal, files['articles/proposal.md']!);
    await client.change(proposal, {
      text: files['articles/proposal.md']!.replace('## Part 2. How to begin', '## Part 2. How to start'),
    });
    const renamed = await siteCounts();
    assert.notDeepEqual(renamed, start);
    assert.deepEqual(renamed, await pulledCounts());
    assert.ok((await client.pull(site.uri('articles/notes.md'))).some((d) => d.code === 'link-missing-heading'));
  });
});
