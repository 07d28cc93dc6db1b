/**
 * The choices of "Insert Link to the Proposal…" come from the engine alone
 * (features/links.ts), for the config's proposal and for another page an
 * editor setting names; the language server only converts them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proposalLinkChoices } from '../../server/src/engine/features/links';
import { checkSite, site } from './util';

test('another proposal page: its sections, relative links from the page, and how many pages link to each', async () => {
  const { project } = await checkSite(
    site({
      // The Microsolidarity handbook (known by its home page's title), whose proposal is articles/proposal.md.
      'README.md': '# Microsolidarity\n',
      'SUMMARY.md': '* [Microsolidarity](README.md)\n',
      'articles/proposal.md': '# The proposal\n\n## One\n',
      'articles/other.md': '# Another proposal\n\n## Its [only] part\n\nText.\n',
      'crewing/a.md': '# A\n\n[o](../articles/other.md#its-only-part) [p](../articles/other.md)\n',
      'b.md': '# B\n\n[o](articles/other.md#its-only-part)\n',
    }),
  );
  const choices = proposalLinkChoices(project, 'crewing/a.md', 'articles/other.md');
  assert.deepEqual(
    choices.map((c) => [c.markdown, c.linkedFrom]),
    [
      ['[Another proposal](../articles/other.md)', 2],
      ['[Its \\[only\\] part](../articles/other.md#its-only-part)', 2],
    ],
  );
  assert.deepEqual(
    proposalLinkChoices(project, 'b.md').map((c) => c.url),
    ['articles/proposal.md', 'articles/proposal.md#one'],
  );
  assert.deepEqual(proposalLinkChoices(project, 'b.md', 'articles/missing.md'), []);
});
