/**
 * The cross-link rules beyond their fixtures: "did you mean" from rename
 * history and moved pages (link-missing-file), the "done when" (a
 * handbook whose pages moved into folders is repaired by --fix and nothing
 * else changes), and the pure helpers behind the rules (site URLs, copies of
 * the proposal, mentions in prose).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Project, applyEdits, fixEdits, type Finding } from '../../server/src/engine/index';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';
import { WorkspaceIndex, type FileRename } from '../../server/src/engine/workspace';
import type { SiteHistory } from '../../server/src/engine/host';
import { defaultConfig } from '../../server/src/engine/config/config';
import { parseSiteUrl, fileForSitePath } from '../../server/src/engine/links/siteUrl';
import { copySiteName, matchProposalCopy, pointsAtProposal } from '../../server/src/engine/links/proposal';
import { findMentions, quotedSpans, sentenceAround } from '../../server/src/engine/links/prose';
import { sharedTail } from '../../server/src/engine/links/moved';
import { linksSection, mediumCopyOfProposal } from '../../server/src/engine/links/config';

async function check(
  files: Record<string, string>,
  renames: readonly FileRename[] = [],
  history?: SiteHistory,
): Promise<{ project: Project; findings: Finding[] }> {
  const project = new Project({ fs: new MemoryFileSystem(files) });
  await project.initialize();
  if (history) project.index.setHistory(history);
  else project.index.setRenames(renames);
  return { project, findings: [...project.checkAll().values()].flat() };
}

/**
 * A history in which pages moved (one commit) and every other file kept its
 * content under its name: what git says of a site whose pictures were not
 * renumbered (pictures are followed by content: without history their
 * candidates are only suggestions).
 */
function unchangedAssets(files: Record<string, string>, moves: ReadonlyArray<readonly [string, string]>): SiteHistory {
  const assets = Object.keys(files).filter((p) => !p.endsWith('.md'));
  return {
    commits: [
      { id: 'a', author: 'Ann', time: 0, import: false },
      { id: 'b', author: 'Bob', time: 1, import: false },
    ],
    moves: moves.map(([from, to]) => ({ from, to, commit: 1, leftAt: 1, kind: 'rename' as const })),
    contentAt: (path) => (assets.includes(path) ? `blob:${path}` : undefined),
    filesWithContent: (id) => assets.filter((a) => `blob:${a}` === id),
    committersOf: () => undefined,
    authorshipOf: () => undefined,
  };
}

function missingFile(findings: readonly Finding[], path: string): Finding[] {
  return findings.filter((f) => f.ruleId === 'link-missing-file' && f.path === path);
}

const fixOf = (f: Finding | undefined) => f?.fix?.edits[0]?.newText;
const suggestionsOf = (f: Finding | undefined) => (f?.suggestions ?? []).map((s) => s.edits[0]!.newText);

describe('link-missing-file: did you mean, from rename history', () => {
  const files = {
    'README.md': '# Home\n',
    'congregating/README.md': '# Congregating\n\n* [Hosting a gathering](hosting-a-gathering.md)\n',
    'congregating/invitations.md': '# Invitations\n',
  };

  test('without history, a renamed page with a new name has no candidate', async () => {
    const { findings } = await check(files);
    const [f] = missingFile(findings, 'congregating/README.md');
    assert.ok(f);
    assert.equal(f.fix, undefined);
    assert.doesNotMatch(f.message, /did you mean/);
  });

  test('a rename recorded by the host is a safe fix, and says so', async () => {
    const { findings } = await check(files, [
      { from: 'congregating/hosting-a-gathering.md', to: 'congregating/invitations.md' },
    ]);
    const [f] = missingFile(findings, 'congregating/README.md');
    assert.equal(fixOf(f), 'invitations.md');
    assert.equal(f!.message, 'Unexpected link to missing file `hosting-a-gathering.md`, expected `invitations.md`');
    assert.match(f!.note ?? '', /`invitations\.md` may be the file meant: the file was renamed, says the history\.$/);
  });

  test('chains of renames are followed to the file that exists; cycles end', async () => {
    const { findings } = await check(files, [
      { from: 'congregating/hosting-a-gathering.md', to: 'congregating/hosting.md' },
      { from: 'congregating/hosting.md', to: 'congregating/invitations.md' },
      { from: 'congregating/invitations.md', to: 'congregating/hosting-a-gathering.md' },
    ]);
    assert.equal(fixOf(missingFile(findings, 'congregating/README.md')[0]), 'invitations.md');
  });

  test('history decides between files of the same name; the others stay suggestions', async () => {
    const site = { 'README.md': '# Home\n\n[notes](a/notes.md)\n', 'b/notes.md': '# B\n', 'c/notes.md': '# C\n' };
    const before = missingFile((await check(site)).findings, 'README.md')[0];
    assert.equal(before!.fix, undefined);
    assert.deepEqual(suggestionsOf(before), ['b/notes.md', 'c/notes.md']);
    const after = missingFile((await check(site, [{ from: 'a/notes.md', to: 'c/notes.md' }])).findings, 'README.md')[0];
    assert.equal(fixOf(after), 'c/notes.md');
    assert.deepEqual(suggestionsOf(after), ['b/notes.md']);
  });

  test("the linking page's own recorded move: its links are resolved from where they were written", async () => {
    const site = {
      'README.md': '# Home\n',
      'notes/README.md': '# Notes\n',
      'other/notes/README.md': '# Other notes\n',
      'crewing/README.md': '# Crewing\n',
      'crewing/guide.md': '# Guide\n\n[the notes](notes/README.md)\n',
    };
    const before = missingFile((await check(site)).findings, 'crewing/guide.md')[0];
    assert.equal(before!.fix, undefined, 'notes/README.md and other/notes/README.md fit equally');
    const after = missingFile(
      (await check(site, [{ from: 'guide.md', to: 'crewing/guide.md' }])).findings,
      'crewing/guide.md',
    )[0];
    assert.equal(fixOf(after), '../notes/README.md');
    assert.match(after!.note ?? '', /this page was moved, and the link was written from its old folder/);
  });

  test('a move inferred without history: two links resolve from one other folder; links naming nothing the site has do not count', async () => {
    const site = {
      'README.md': '# Home\n',
      'articles/proposal.md': '# Proposal\n',
      'articles/notes.md': '# Notes\n',
      'crewing/README.md': '# Crewing\n',
      // Written at the root: two links resolve from there; three name nothing anywhere; one ends in `..`.
      'crewing/guide.md':
        '# Guide\n\n[p](articles/proposal.md) [n](articles/notes.md) [x](gone/nothing.md) [y](nowhere.html) [z](lost/) [up](articles/..)\n',
    };
    const findings = missingFile((await check(site)).findings, 'crewing/guide.md');
    const proposal = findings.find((f) => /proposal/.test(f.message));
    assert.equal(fixOf(proposal), '../articles/proposal.md');
    assert.match(proposal!.note ?? '', /this page was moved, and the link was written from its old folder/);
    assert.equal(fixOf(findings.find((f) => /notes\.md/.test(f.message))), '../articles/notes.md');
    assert.equal(findings.find((f) => /nothing/.test(f.message))?.fix, undefined);
  });

  test('WorkspaceIndex: renamedTo follows to an existing file, renamedFrom lists earlier paths', () => {
    const ix = new WorkspaceIndex(defaultConfig);
    for (const f of ['b.md', 'd.md']) ix.addFile(f);
    const revision = ix.revision;
    ix.setRenames([
      { from: 'a.md', to: 'b.md' },
      { from: 'b.md', to: 'c.md' },
      { from: 'x.md', to: 'y.md' },
      { from: 'd.md', to: 'd.md' },
    ]);
    assert.ok(ix.revision > revision, 'a new history invalidates caches');
    assert.equal(ix.renamedTo('a.md'), 'b.md', 'c.md does not exist: b.md is where it is now');
    assert.equal(ix.renamedTo('x.md'), undefined);
    assert.equal(ix.renamedTo('d.md'), undefined);
    assert.deepEqual(ix.renamedFrom('c.md'), ['b.md', 'a.md']);
    ix.setRenames([
      { from: 'p.md', to: 'q.md' },
      { from: 'q.md', to: 'p.md' },
    ]);
    assert.deepEqual(ix.renamedFrom('p.md'), ['q.md']);
    assert.equal(ix.renamedTo('p.md'), undefined);
  });
});

describe('link-missing-file: did you mean, without history', () => {
  test('a close name anywhere when nothing is close in the folder', async () => {
    const { findings } = await check({
      'README.md': '# Home\n\n[ako](guidelines/ako-group-guideline.md)\n',
      'crewing/ako-group-guidelines.md': '# Ako\n',
    });
    const [f] = missingFile(findings, 'README.md');
    assert.equal(fixOf(f), 'crewing/ako-group-guidelines.md');
    assert.match(f!.note ?? '', /it has a similar name/);
  });

  test('among same-named files, the one sharing most trailing folders is a safe fix', async () => {
    const { findings } = await check({
      'README.md': '# Home\n',
      'congregating/README.md': '# Congregating\n',
      'crewing/README.md': '# Crewing\n',
      'crewing/x.md': '# X\n\n[c](sub/congregating/README.md) [any](sub/README.md)\n',
    });
    const [specific, vague] = missingFile(findings, 'crewing/x.md');
    assert.equal(fixOf(specific), '../congregating/README.md');
    assert.equal(vague!.fix, undefined, 'README.md alone fits three files');
    assert.equal(suggestionsOf(vague).length, 3);
  });

  test('sharedTail counts trailing segments, case-insensitively', () => {
    assert.equal(sharedTail('a/b/README.md', 'x/B/readme.md'), 2);
    assert.equal(sharedTail('a.md', 'b.md'), 0);
  });
});

describe('done when: a handbook whose pages moved into folders is repaired by --fix, and nothing else changes', () => {
  const proposal = '# \\#1: Proposal\n\n## Part 1. Collapse\n\nText.\n';
  const moved: Record<string, string> = {
    'README.md':
      '# Microsolidarity\n\nRead [the proposal](articles/proposal.md) and [the guidelines](ako-group-guidelines.md).\n',
    'SUMMARY.md': [
      '# Table of contents',
      '',
      '* [Microsolidarity](README.md)',
      '* [Articles](articles/README.md)',
      '  * [\\#1: Proposal](articles/proposal.md)',
      '* [Crewing](crewing/README.md)',
      '  * [Ako group guidelines](ako-group-guidelines.md)',
      '* [Congregating](congregating/README.md)',
      '  * [Cults](cults.md)',
      '  * [Gathering invite](gathering-invite.md)',
      '',
    ].join('\n'),
    'articles/README.md': '# Articles\n\n* [Proposal](proposal.md)\n',
    'articles/proposal.md': proposal,
    'crewing/README.md': '# Crewing\n\n* [Ako group guidelines](ako-group-guidelines.md)\n',
    'congregating/README.md': '# Congregating\n\n* [Cults](cults.md)\n',
    // Moved from the root into crewing/: none of its links were updated.
    'crewing/ako-group-guidelines.md': [
      '# Ako group guidelines',
      '',
      'Read [the proposal](articles/proposal.md#part-1-collapse) first, then [cults](cults.md) and [congregating](congregating/README.md).',
      '',
      '<figure><img src=".gitbook/assets/image (1) (1).png" alt="A circle of chairs"><figcaption></figcaption></figure>',
      '',
      '![A heart](.gitbook/assets/anatomical%20heart.png "Anatomy")',
      '',
      '{% content-ref url="articles/proposal.md" %}',
      '[articles/proposal.md](articles/proposal.md)',
      '{% endcontent-ref %}',
      '',
      'Untouched: [Loomio](https://loomio.org), [top](#ako-group-guidelines), [home](../README.md).',
      '',
    ].join('\n'),
    // Moved from the root into congregating/, with its sibling.
    'congregating/cults.md': [
      '# Cults',
      '',
      'Compare with [the guidelines](ako-group-guidelines.md) and the [invite](gathering-invite.md).',
      '',
      '![Burning of a heretic](.gitbook/assets/burning-of-a-heretic-\\_sassetta-melburn\\_museum.jpg)',
      '',
    ].join('\n'),
    'congregating/gathering-invite.md':
      '# Gathering invite\n\nSee [cults](cults.md) and [the proposal][p].\n\n[p]: articles/proposal.md\n',
    '.gitbook/assets/image (1) (1).png': '',
    '.gitbook/assets/anatomical heart.png': '',
    '.gitbook/assets/burning-of-a-heretic-_sassetta-melburn_museum.jpg': '',
  };

  const repaired: Record<string, string> = {
    ...moved,
    'README.md': moved['README.md']!.replace('(ako-group-guidelines.md)', '(crewing/ako-group-guidelines.md)'),
    'SUMMARY.md': moved['SUMMARY.md']!.replace('(ako-group-guidelines.md)', '(crewing/ako-group-guidelines.md)')
      .replace('(cults.md)', '(congregating/cults.md)')
      .replace('(gathering-invite.md)', '(congregating/gathering-invite.md)'),
    'crewing/ako-group-guidelines.md': moved['crewing/ako-group-guidelines.md']!.replace(
      '(articles/proposal.md#part-1-collapse)',
      '(../articles/proposal.md#part-1-collapse)',
    )
      .replace('(cults.md)', '(../congregating/cults.md)')
      .replace('(congregating/README.md)', '(../congregating/README.md)')
      .replace('src=".gitbook/assets/image (1) (1).png"', 'src="../.gitbook/assets/image (1) (1).png"')
      .replace(
        '(.gitbook/assets/anatomical%20heart.png "Anatomy")',
        '(../.gitbook/assets/anatomical%20heart.png "Anatomy")',
      )
      .replace('url="articles/proposal.md"', 'url="../articles/proposal.md"')
      .replace('[articles/proposal.md](articles/proposal.md)', '[articles/proposal.md](../articles/proposal.md)'),
    'congregating/cults.md': moved['congregating/cults.md']!.replace(
      '(ako-group-guidelines.md)',
      '(../crewing/ako-group-guidelines.md)',
    ).replace('(.gitbook/assets/burning', '(../.gitbook/assets/burning'),
    'congregating/gathering-invite.md': moved['congregating/gathering-invite.md']!.replace(
      '[p]: articles/proposal.md',
      '[p]: ../articles/proposal.md',
    ),
  };

  const history = unchangedAssets(moved, [
    ['ako-group-guidelines.md', 'crewing/ako-group-guidelines.md'],
    ['cults.md', 'congregating/cults.md'],
  ]);

  test('without history the pictures of the moved pages get candidates, not fixes (GitBook reuses picture names)', async () => {
    const { findings } = await check(moved);
    const images = findings.filter(
      (f) => f.ruleId === 'link-missing-file' && /gitbook\/assets/.test(`${f.message} ${f.note ?? ''}`),
    );
    assert.equal(images.length, 3);
    for (const f of images) {
      assert.equal(f.fix, undefined);
      assert.match(suggestionsOf(f)[0] ?? '', /^\.\.\/\.gitbook\/assets\//);
    }
  });

  test('every broken link and image is reported, each with a fix to the right file', async () => {
    const { findings } = await check(moved, [], history);
    const broken = findings.filter((f) => f.ruleId === 'link-missing-file');
    assert.deepEqual(
      broken.map((f) => `${f.path}:${f.range.start.line + 1} ${fixOf(f) ?? 'NO FIX'}`).sort(),
      [
        'README.md:3 crewing/ako-group-guidelines.md',
        'SUMMARY.md:7 crewing/ako-group-guidelines.md',
        'SUMMARY.md:9 congregating/cults.md',
        'SUMMARY.md:10 congregating/gathering-invite.md',
        'congregating/cults.md:3 ../crewing/ako-group-guidelines.md',
        'congregating/cults.md:5 ../.gitbook/assets/burning-of-a-heretic-\\_sassetta-melburn\\_museum.jpg',
        'congregating/gathering-invite.md:5 ../articles/proposal.md',
        'crewing/ako-group-guidelines.md:3 ../articles/proposal.md#part-1-collapse',
        'crewing/ako-group-guidelines.md:3 ../congregating/cults.md',
        'crewing/ako-group-guidelines.md:3 ../congregating/README.md',
        'crewing/ako-group-guidelines.md:5 ../.gitbook/assets/image (1) (1).png',
        'crewing/ako-group-guidelines.md:7 ../.gitbook/assets/anatomical%20heart.png',
        'crewing/ako-group-guidelines.md:9 ../articles/proposal.md',
        'crewing/ako-group-guidelines.md:10 ../articles/proposal.md',
      ].sort(),
    );
  });

  test('applying the fixes repairs every link and changes nothing else', async () => {
    const { findings } = await check(moved, [], history);
    const byPath = new Map<string, Finding[]>();
    for (const f of findings) if (f.fix) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
    const fixed = { ...moved };
    for (const [path, list] of byPath) fixed[path] = applyEdits(moved[path]!, fixEdits(list)).text;
    for (const path of Object.keys(moved)) assert.equal(fixed[path], repaired[path], path);
    const again = await check(fixed);
    assert.deepEqual(
      again.findings
        .filter((f) => f.ruleId.startsWith('link-'))
        .map((f) => `${f.path}:${f.range.start.line + 1} ${f.ruleId}`),
      [],
    );
  });
});

describe('site URLs', () => {
  const site = 'https://www.microsolidarity.cc';

  test('parseSiteUrl: scheme, www., trailing slash, fragment, other hosts, a base path', () => {
    assert.deepEqual(parseSiteUrl('https://www.microsolidarity.cc/articles/proposal', site), {
      path: 'articles/proposal',
    });
    assert.deepEqual(parseSiteUrl('http://microsolidarity.cc/articles/proposal/#part-1', site), {
      path: 'articles/proposal',
      rawFragment: 'part-1',
    });
    assert.deepEqual(parseSiteUrl('HTTPS://WWW.MICROSOLIDARITY.CC', site), { path: '' });
    assert.deepEqual(parseSiteUrl('https://www.microsolidarity.cc/a%20b', site), { path: 'a b' });
    assert.equal(parseSiteUrl('https://blog.microsolidarity.cc/x', site), undefined);
    assert.equal(parseSiteUrl('https://microsolidarity.cc.example.org/x', site), undefined);
    assert.equal(parseSiteUrl('mailto:hello@microsolidarity.cc', site), undefined);
    assert.equal(parseSiteUrl('articles/proposal.md', site), undefined);
    assert.deepEqual(parseSiteUrl('https://example.org/handbook/crewing', 'https://example.org/handbook/'), {
      path: 'crewing',
    });
    assert.equal(parseSiteUrl('https://example.org/other/crewing', 'https://example.org/handbook'), undefined);
  });

  test('fileForSitePath: layout first, SUMMARY.md nesting next, a content root', async () => {
    const { project } = await check({
      '.gitbook.yaml': 'root: ./docs/\n',
      'docs/README.md': '# Home\n',
      'docs/SUMMARY.md': '* [Home](README.md)\n* [Discussing](discussing/README.md)\n  * [Retreat](notes/retreat.md)\n',
      'docs/discussing/README.md': '# Discussing\n',
      'docs/notes/retreat.md': '# Retreat\n',
      'docs/articles/proposal.md': '# Proposal\n',
    });
    const ix = project.index;
    assert.equal(fileForSitePath(ix, ''), 'docs/README.md');
    assert.equal(fileForSitePath(ix, 'articles/proposal'), 'docs/articles/proposal.md');
    assert.equal(fileForSitePath(ix, 'Articles/Proposal'), 'docs/articles/proposal.md');
    assert.equal(fileForSitePath(ix, 'discussing'), 'docs/discussing/README.md');
    assert.equal(fileForSitePath(ix, 'discussing/retreat'), 'docs/notes/retreat.md');
    assert.equal(fileForSitePath(ix, 'notes/retreat'), 'docs/notes/retreat.md');
    assert.equal(fileForSitePath(ix, 'nowhere'), undefined);
  });

  test('link-site-absolute under a content root: the fix is relative to the page', async () => {
    const { findings } = await check({
      '.gitbook.yaml': 'root: docs\n',
      'docs/README.md':
        '# Microsolidarity\n\nSee [the proposal](https://microsolidarity.cc/articles/proposal#part-1).\n',
      'docs/SUMMARY.md': '* [Home](README.md)\n* [Proposal](articles/proposal.md)\n',
      'docs/articles/proposal.md': '# Proposal\n\n## Part 1\n',
    });
    const [f] = findings.filter((x) => x.ruleId === 'link-site-absolute');
    assert.equal(fixOf(f), 'articles/proposal.md#part-1');
  });
});

describe('copies of the proposal and what points at it', () => {
  test('matchProposalCopy: exact URL modulo scheme, www., query, fragment, slash; Medium by post id', () => {
    const copies = [mediumCopyOfProposal, 'https://example.org/mirror/'];
    assert.equal(
      matchProposalCopy(
        'http://www.medium.com/enspiral-tales/courage-before-hope-a-proposal-to-weave-emotional-and-economic-microsolidarity-87bc81372a09/?source=x#y',
        copies,
      ),
      mediumCopyOfProposal,
    );
    assert.equal(matchProposalCopy('https://medium.com/p/87bc81372a09', copies), mediumCopyOfProposal);
    assert.equal(
      matchProposalCopy('https://medium.com/@richdecibels/a-new-title-87bc81372a09', copies),
      mediumCopyOfProposal,
    );
    assert.equal(matchProposalCopy('https://medium.com/p/7c6e7ce63eda', copies), undefined);
    assert.equal(matchProposalCopy('https://example.org/mirror', copies), 'https://example.org/mirror/');
    assert.equal(matchProposalCopy('https://example.org/mirror/other', copies), undefined);
    assert.equal(matchProposalCopy('proposal.md', copies), undefined);
  });

  test('copySiteName: the name a reader would use', () => {
    assert.equal(copySiteName(mediumCopyOfProposal), 'Medium');
    assert.equal(copySiteName('https://richdecibels.substack.com/p/x'), 'Substack');
  });

  test('pointsAtProposal: relative, root-absolute, fragment-only inside it, the site URL, a copy', () => {
    // The Microsolidarity handbook's values (site/identity.ts): the proposal, the site's URL, its Medium copy.
    const c = {
      ...defaultConfig,
      site: { ...defaultConfig.site, url: 'https://www.microsolidarity.cc', proposal: 'articles/proposal.md' },
      sections: { links: { ...linksSection.defaults, proposalCopies: [mediumCopyOfProposal] } },
    };
    assert.ok(
      !pointsAtProposal('articles/proposal.md', 'README.md', defaultConfig),
      'a site without a hub page has no proposal to point at',
    );
    assert.ok(pointsAtProposal('proposal.md#part-1', 'articles/x.md', c));
    assert.ok(pointsAtProposal('../articles/proposal.md', 'crewing/x.md', c));
    assert.ok(pointsAtProposal('/articles/proposal.md', 'crewing/x.md', c));
    assert.ok(pointsAtProposal('#part-1', 'articles/proposal.md', c));
    assert.ok(!pointsAtProposal('#part-1', 'articles/x.md', c));
    assert.ok(pointsAtProposal('https://microsolidarity.cc/articles/proposal/', 'README.md', c));
    assert.ok(pointsAtProposal('https://medium.com/p/87bc81372a09', 'README.md', c));
    assert.ok(!pointsAtProposal('proposal.md', 'README.md', c));
    assert.ok(!pointsAtProposal('https://www.microsolidarity.cc/crewing', 'README.md', c));
  });
});

describe('mentions in prose', () => {
  const phrases = ['the proposal', 'the original proposal', "Rich's proposal"];
  const mentions = (text: string) =>
    findMentions(text, [{ start: 0, end: text.length }], phrases).map((m) => text.slice(m.start, m.end));

  test('whole words, any case, across white space, both apostrophes; longest phrase first', () => {
    assert.deepEqual(mentions("The Proposal and the original\n  proposal and Rich’s proposal and Rich's proposal."), [
      'The Proposal',
      'the original\n  proposal',
      'Rich’s proposal',
      "Rich's proposal",
    ]);
    assert.deepEqual(mentions('the proposals, theproposal, the proposal-ish, xthe proposal'), []);
    assert.deepEqual(mentions("the proposal's author"), ['the proposal']);
  });

  test('"for", "of", "from", "about", "by" after it name another proposal', () => {
    assert.deepEqual(
      mentions(
        'the proposal for a park, the proposal of the council, the proposal from Simon, the proposal about money, the proposal by Ana, the proposal to start',
      ),
      ['the proposal'],
    );
  });

  test('quotedSpans pairs curly and straight quotes across split prose', () => {
    const text = 'a “b c” d "e f" g “open';
    assert.deepEqual(
      quotedSpans(text, [
        { start: 0, end: 5 },
        { start: 5, end: text.length },
      ]).map((s) => text.slice(s.start, s.end)),
      ['“b c”', '"e f"'],
    );
  });

  test('sentenceAround stops at sentence ends, blank lines and list items, and drops URLs', () => {
    const text = 'First one. The comment threads on Medium: [1](https://medium.com/p/x) here.\n\n* Next item.';
    const at = text.indexOf('[1]');
    const s = sentenceAround(text, at, at + 26);
    assert.match(s, /^The comment threads on Medium: \[1\] here$/);
    assert.doesNotMatch(sentenceAround('A [x](https://medium.com/p/1) link.', 2, 29), /medium/i);
  });
});

describe('the links section of .msolrc.json', () => {
  const files = {
    'README.md': '# Microsolidarity\n\nThe proposal is elsewhere.\n',
    'SUMMARY.md': '* [Home](README.md)\n* [Proposal](articles/proposal.md)\n',
    'articles/proposal.md': '# Proposal\n',
    'notes.md': '# Notes\n',
    'drafts/idea.md': '# Idea\n',
  };
  const mine = new Set(['proposal-mention-unlinked', 'summary-orphan-page']);
  const ids = (findings: readonly Finding[]) =>
    findings
      .filter((f) => mine.has(f.ruleId))
      .map((f) => `${f.path} ${f.ruleId}`)
      .sort();

  test('defaults: the three phrases, every unlisted page', async () => {
    const { findings } = await check(files);
    assert.deepEqual(ids(findings), [
      'README.md proposal-mention-unlinked',
      'drafts/idea.md summary-orphan-page',
      'notes.md summary-orphan-page',
    ]);
  });

  test('a valid field applies; an invalid one is reported and its default applies', async () => {
    const { findings } = await check({
      ...files,
      '.msolrc.json': '{ "links": { "proposalMentions": 3, "orphanIgnore": ["drafts/**", "notes.md"] } }',
    });
    const config = findings.filter((f) => f.ruleId === 'config-invalid');
    assert.equal(config.length, 1);
    assert.match(config[0]!.message, /links\.proposalMentions/);
    assert.deepEqual(ids(findings), ['README.md proposal-mention-unlinked']);
  });

  test('an empty phrase list turns mentions off', async () => {
    const { findings } = await check({ ...files, '.msolrc.json': '{ "links": { "proposalMentions": [] } }' });
    assert.ok(!findings.some((f) => f.ruleId === 'proposal-mention-unlinked'));
  });
});

describe('link-missing-heading: where the heading is', () => {
  test('a heading of this page named by a link to another page is offered (`#list-of-rituals`), never applied; a fix points at a heading the target has', async () => {
    const { findings } = await check({
      'README.md': '# Home\n',
      'SUMMARY.md': '* [Home](README.md)\n* [A](a.md)\n* [B](b.md)\n',
      'a.md': '# A\n\nSee [the rituals](b.md#list-of-rituals) and [part two](b.md#part-tw).\n\n## List of rituals\n',
      'b.md': '# B\n\n## Part two\n',
    });
    const [rituals, part] = findings.filter((f) => f.ruleId === 'link-missing-heading');
    assert.equal(rituals!.fix, undefined);
    assert.match(rituals!.message, /did you mean `#list-of-rituals` on this page\?/);
    assert.deepEqual(suggestionsOf(rituals), ['#list-of-rituals']);
    assert.equal(fixOf(part), 'part-two');
  });
});
