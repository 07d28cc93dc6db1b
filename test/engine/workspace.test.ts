/** Phase two's view of the site: which files exist, how a URL resolves, where a file went, the table of contents. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/engine/workspace';
import { defaultConfig, withGitbookYaml } from '../../server/src/engine/config/config';
import { extractFacts } from '../../server/src/engine/facts';
import { parseDocument } from '../../server/src/engine/parse/markdown';
import { isOrphanPage, summaryListing } from '../../server/src/engine/links/summary';
import { fileForSitePath } from '../../server/src/engine/links/siteUrl';

const siteFiles = [
  'README.md',
  'SUMMARY.md',
  'articles/README.md',
  'articles/proposal.md',
  'articles/2-update-2020.md',
  'crewing/README.md',
  'crewing/ako-group-guidelines.md',
  'congregating/cults.md',
  '.gitbook/assets/image (1) (1).png',
  '.gitbook/assets/anatomical heart.png',
];

function index(files: readonly string[] = siteFiles, config = defaultConfig): WorkspaceIndex {
  const ix = new WorkspaceIndex(config);
  for (const f of files) ix.addFile(f);
  return ix;
}

/** Resolution in one line: `kind`, or `local <path> <exists> [page] [#fragment]`. */
function resolve(ix: WorkspaceIndex, from: string, url: string): string {
  const r = ix.resolve(from, url);
  if (r.kind !== 'local') return r.kind;
  return ['local', r.path, r.exists, r.page ?? '-', r.target.fragment !== undefined ? `#${r.target.fragment}` : '']
    .join(' ')
    .trim();
}

describe('resolve', () => {
  const ix = index();

  test('relative paths: same folder, ./ and ../', () => {
    assert.equal(
      resolve(ix, 'articles/2-update-2020.md', 'proposal.md'),
      'local articles/proposal.md file articles/proposal.md',
    );
    assert.equal(
      resolve(ix, 'articles/2-update-2020.md', './proposal.md'),
      'local articles/proposal.md file articles/proposal.md',
    );
    assert.equal(
      resolve(ix, 'crewing/README.md', '../articles/proposal.md'),
      'local articles/proposal.md file articles/proposal.md',
    );
    assert.equal(
      resolve(ix, 'crewing/README.md', '../articles/../articles/./proposal.md'),
      'local articles/proposal.md file articles/proposal.md',
    );
  });

  test('a leading slash means the content root', () => {
    assert.equal(
      resolve(ix, 'crewing/README.md', '/articles/proposal.md'),
      'local articles/proposal.md file articles/proposal.md',
    );
    const rooted = index(
      siteFiles.map((f) => `docs/${f}`),
      withGitbookYaml(defaultConfig, { root: './docs/' }),
    );
    assert.equal(
      resolve(rooted, 'docs/crewing/README.md', '/articles/proposal.md'),
      'local docs/articles/proposal.md file docs/articles/proposal.md',
    );
    assert.equal(resolve(rooted, 'docs/crewing/README.md', '/../README.md'), 'outside');
    // Above the content root is outside the site even when the workspace has the file.
    rooted.addFile('CONTRIBUTING.md');
    assert.equal(resolve(rooted, 'docs/README.md', '../CONTRIBUTING.md'), 'outside');
    assert.equal(
      resolve(rooted, 'docs/README.md', 'articles/proposal.md'),
      'local docs/articles/proposal.md file docs/articles/proposal.md',
    );
  });

  test('answers follow the files, the folders and the config (resolve remembers its answers between changes)', () => {
    const ix2 = index();
    assert.equal(resolve(ix2, 'README.md', 'new/page.md'), 'local new/page.md missing -');
    assert.equal(resolve(ix2, 'README.md', 'new'), 'local new missing -');
    ix2.addFile('new/page.md');
    assert.equal(resolve(ix2, 'README.md', 'new/page.md'), 'local new/page.md file new/page.md');
    assert.equal(resolve(ix2, 'README.md', 'new'), 'local new directory -');
    ix2.addFile('new/README.md');
    assert.equal(resolve(ix2, 'README.md', 'new'), 'local new directory-readme new/README.md');
    ix2.removeFile('new/page.md');
    ix2.removeFile('new/README.md');
    assert.equal(resolve(ix2, 'README.md', 'new/page.md'), 'local new/page.md missing -');
    assert.equal(resolve(ix2, 'README.md', 'new'), 'local new missing -');
    assert.equal(
      resolve(ix2, 'crewing/README.md', '/articles/proposal.md'),
      'local articles/proposal.md file articles/proposal.md',
    );
    ix2.config = withGitbookYaml(defaultConfig, { root: './crewing/' });
    assert.equal(
      resolve(ix2, 'crewing/README.md', '/articles/proposal.md'),
      'local crewing/articles/proposal.md missing -',
    );
  });

  test('percent-escapes are decoded; fragments and queries are split off', () => {
    assert.equal(
      resolve(ix, 'articles/proposal.md', '../.gitbook/assets/anatomical%20heart.png'),
      'local .gitbook/assets/anatomical heart.png file .gitbook/assets/anatomical heart.png',
    );
    assert.equal(
      resolve(ix, 'articles/proposal.md', '../.gitbook/assets/image%20%281%29%20(1).png'),
      'local .gitbook/assets/image (1) (1).png file .gitbook/assets/image (1) (1).png',
    );
    assert.equal(
      resolve(ix, 'README.md', 'articles/proposal.md?v=2#3-the-crew'),
      'local articles/proposal.md file articles/proposal.md #3-the-crew',
    );
  });

  test('a fragment alone is the same page', () => {
    assert.equal(
      resolve(ix, 'articles/proposal.md', '#part-1-collapse'),
      'local articles/proposal.md file articles/proposal.md #part-1-collapse',
    );
  });

  test('folders: with a README.md the README is the page; without, a folder; the root folder too', () => {
    assert.equal(resolve(ix, 'README.md', 'crewing/'), 'local crewing directory-readme crewing/README.md');
    assert.equal(resolve(ix, 'README.md', 'crewing'), 'local crewing directory-readme crewing/README.md');
    assert.equal(
      resolve(ix, 'articles/proposal.md', '../crewing/#forming'),
      'local crewing directory-readme crewing/README.md #forming',
    );
    assert.equal(resolve(ix, 'README.md', 'congregating/'), 'local congregating directory -');
    assert.equal(resolve(ix, 'articles/proposal.md', '../'), 'local  directory-readme README.md');
  });

  test('missing files, paths that leave the site, external URLs', () => {
    assert.equal(resolve(ix, 'README.md', 'articles/missing.md'), 'local articles/missing.md missing -');
    assert.equal(resolve(ix, 'articles/proposal.md', '../../outside.md'), 'outside');
    assert.equal(resolve(ix, 'README.md', '../README.md'), 'outside');
    assert.equal(resolve(ix, 'README.md', '/../x.md'), 'outside');
    assert.equal(resolve(ix, 'articles/proposal.md', '..%2F..%2Foutside.md'), 'outside');
    for (const url of ['https://www.microsolidarity.cc/articles/proposal', 'mailto:a@b.org', '//example.org/x.md', ''])
      assert.equal(resolve(ix, 'README.md', url), 'external', url);
  });
});

describe('files and folders', () => {
  test('a folder exists while it holds a file, and goes with its last file', () => {
    const ix = index(['a/b/c.md', 'a/d.md']);
    assert.ok(ix.hasDirectory('a/b') && ix.hasDirectory('a') && ix.hasDirectory(''));
    ix.removeFile('a/b/c.md');
    assert.equal(ix.hasDirectory('a/b'), false);
    assert.equal(ix.hasDirectory('a'), true);
    ix.removeFile('a/d.md');
    assert.equal(ix.hasDirectory('a'), false);
    assert.equal(ix.files.size, 0);
  });

  test('adding twice and removing what is not there change nothing; real changes bump the revision', () => {
    const ix = index(['a.md']);
    const r = ix.revision;
    ix.addFile('a.md');
    ix.removeFile('nope.md');
    assert.equal(ix.revision, r);
    ix.addFile('b.md');
    assert.ok(ix.revision > r);
  });

  test('pages are the Markdown files, sorted', () => {
    assert.deepEqual(index(['b.md', 'img.png', 'A.markdown', 'c/README.md']).pages(), [
      'A.markdown',
      'b.md',
      'c/README.md',
    ]);
  });

  test('removing a file drops its facts', () => {
    const ix = index(['a.md']);
    ix.setFacts(extractFacts(parseDocument('a.md', '# A\n')));
    assert.ok(ix.facts('a.md'));
    ix.removeFile('a.md');
    assert.equal(ix.facts('a.md'), undefined);
  });
});

describe('findMoved', () => {
  const ix = index([...siteFiles, 'discussing/ako-group-guidelines.md', 'crewing/deep/ako-group-guidelines.md']);

  test('the same name elsewhere, the closest folder first', () => {
    assert.deepEqual(ix.findMoved('crewing/old/ako-group-guidelines.md'), [
      'crewing/deep/ako-group-guidelines.md',
      'crewing/ako-group-guidelines.md',
      'discussing/ako-group-guidelines.md',
    ]);
    assert.deepEqual(ix.findMoved('ako-group-guidelines.md')[0], 'crewing/ako-group-guidelines.md');
  });

  test('the name compares case-insensitively', () => {
    assert.deepEqual(ix.findMoved('articles/Proposal.md'), ['articles/proposal.md']);
  });

  test('otherwise a close name in the same folder only', () => {
    assert.deepEqual(ix.findMoved('congregating/cult.md'), ['congregating/cults.md']);
    assert.deepEqual(ix.findMoved('articles/cult.md'), []);
    assert.deepEqual(ix.findMoved('.gitbook/assets/anatomical hart.png'), ['.gitbook/assets/anatomical heart.png']);
  });

  test('nothing close: nothing', () => {
    assert.deepEqual(ix.findMoved('articles/a-completely-different-name.md'), []);
  });

  test('a file removed is no candidate, a file added is', () => {
    const site = index([...siteFiles]);
    site.addFile('congregating/curt.md');
    assert.deepEqual(site.findMoved('congregating/cult.md'), ['congregating/cults.md', 'congregating/curt.md']);
    site.removeFile('congregating/cults.md');
    assert.deepEqual(site.findMoved('congregating/cult.md'), ['congregating/curt.md']);
    site.removeFile('congregating/curt.md');
    assert.deepEqual(site.findMoved('congregating/cult.md'), []);
  });
});

describe('summary', () => {
  const summaryText = [
    '# Table of contents',
    '',
    '[Not in a list](README.md)',
    '',
    '* [Microsolidarity](README.md)',
    '* [Articles](articles/)',
    '  * [\\#1: Proposal](articles/proposal.md)',
    '    * [Deeper](articles/2-update-2020.md#x)',
    '* [Crewing](crewing/README.md)',
    '  * [Gone](crewing/gone.md)',
    '* [Elsewhere](https://www.microsolidarity.cc)',
    '',
    '## Part two',
    '',
    '* [Cults](congregating/cults.md)',
    '',
  ].join('\n');

  function withSummary(text: string, ix = index()): WorkspaceIndex {
    ix.setFacts(extractFacts(parseDocument('SUMMARY.md', text)));
    return ix;
  }

  test('every list link in order, with depth, title and resolved page', () => {
    const entries = withSummary(summaryText).summary();
    assert.deepEqual(
      entries.map((e) => [e.depth, e.title, e.path ?? null]),
      [
        [1, 'Microsolidarity', 'README.md'],
        [1, 'Articles', 'articles/README.md'],
        [2, '#1: Proposal', 'articles/proposal.md'],
        [3, 'Deeper', 'articles/2-update-2020.md'],
        [1, 'Crewing', 'crewing/README.md'],
        [2, 'Gone', 'crewing/gone.md'],
        [1, 'Elsewhere', null],
        [1, 'Cults', 'congregating/cults.md'],
      ],
    );
    assert.equal(entries[0]!.referenceIndex, 1, 'indexes the reference in SUMMARY.md facts');
  });

  test('recomputed when SUMMARY.md changes, empty without it', () => {
    const ix = withSummary(summaryText);
    assert.equal(ix.summary().length, 8);
    withSummary('* [Only](README.md)\n', ix);
    assert.deepEqual(
      ix.summary().map((e) => e.title),
      ['Only'],
    );
    ix.deleteFacts('SUMMARY.md');
    assert.deepEqual(ix.summary(), []);
  });

  test('SUMMARY.md is found under the GitBook root and structure', () => {
    const config = withGitbookYaml(defaultConfig, { root: 'docs', summary: 'toc.md' });
    const ix = index(['docs/toc.md', 'docs/README.md'], config);
    assert.equal(ix.summaryPath, 'docs/toc.md');
    ix.setFacts(extractFacts(parseDocument('docs/toc.md', '* [Home](README.md)\n')));
    assert.deepEqual(
      ix.summary().map((e) => e.path),
      ['docs/README.md'],
    );
  });
});

describe('linkBetween', () => {
  test('relative, with spaces and parentheses encoded', () => {
    const ix = index();
    assert.equal(ix.linkBetween('crewing/ako-group-guidelines.md', 'articles/proposal.md'), '../articles/proposal.md');
    assert.equal(
      ix.linkBetween('articles/proposal.md', '.gitbook/assets/image (1) (1).png'),
      '../.gitbook/assets/image%20%281%29%20%281%29.png',
    );
    assert.equal(ix.linkBetween('README.md', 'articles/proposal.md'), 'articles/proposal.md');
    assert.equal(ix.linkBetween('articles/a.md', 'articles/proposal.md'), 'proposal.md');
  });
});

describe('caches of the site layout (SUMMARY.md listing, URL map)', () => {
  const setText = (ix: WorkspaceIndex, path: string, text: string) =>
    ix.setFacts(extractFacts(parseDocument(path, text)));

  test("another page's edit keeps them; SUMMARY.md edits, new files and the config renew them", () => {
    const ix = index(['README.md', 'SUMMARY.md', 'a.md', 'b.md', 'team/x.md']);
    setText(ix, 'SUMMARY.md', '# Summary\n\n* [Home](README.md)\n* [A](a.md)\n* [Team](team/)\n  * [X](team/x.md)\n');
    const listing = summaryListing(ix);
    assert.equal(isOrphanPage(ix, 'b.md'), true);
    assert.equal(fileForSitePath(ix, 'team'), undefined);
    // A keystroke in another page: the same listing object.
    setText(ix, 'a.md', '# A\n\nSome text.\n');
    assert.equal(summaryListing(ix), listing);
    // SUMMARY.md lists b.md now.
    setText(
      ix,
      'SUMMARY.md',
      '# Summary\n\n* [Home](README.md)\n* [A](a.md)\n* [B](b.md)\n* [Team](team/)\n  * [X](team/x.md)\n',
    );
    assert.notEqual(summaryListing(ix), listing);
    assert.equal(isOrphanPage(ix, 'b.md'), false);
    // A README.md in the folder: the entry `team/` is that page now, and the URL /team serves it.
    assert.equal(summaryListing(ix)!.listed.has('team/README.md'), false);
    ix.addFile('team/README.md');
    assert.equal(summaryListing(ix)!.listed.has('team/README.md'), true);
    assert.equal(fileForSitePath(ix, 'team'), 'team/README.md');
    ix.removeFile('team/README.md');
    assert.equal(summaryListing(ix)!.listed.has('team/README.md'), false);
    assert.equal(fileForSitePath(ix, 'team'), undefined);
    // Another SUMMARY.md in the config: no listing until it has facts.
    ix.config = withGitbookYaml(defaultConfig, { summary: 'toc.md' });
    assert.equal(summaryListing(ix), undefined);
  });
});

describe('deferred facts (a host cache parses a page only when something reads it)', () => {
  const factsOf = (path: string, text: string) => extractFacts(parseDocument(path, text));

  test('loaded once, on first read, in place; what a check needs without them does not load them; no revision change', () => {
    const ix = index();
    const loads: string[] = [];
    const deferred = (path: string, text: string) => {
      const facts = factsOf(path, text);
      return { path, directives: facts.directives, load: () => (loads.push(path), facts) };
    };
    ix.setFacts(factsOf('README.md', '# Home\n'));
    ix.setFacts(
      deferred(
        'articles/proposal.md',
        '# Proposal\n\n## Part 2. Crew\n\n<!-- msol-disable-next-line term-case -->\nText.\n',
      ),
    );
    ix.setFacts(deferred('crewing/README.md', '# Crewing\n'));
    const revision = ix.revision;
    assert.equal(ix.hasFacts('articles/proposal.md'), true);
    assert.equal(ix.isDeferred('articles/proposal.md'), true);
    assert.deepEqual(
      ix.directivesOf('articles/proposal.md').map((d) => d.kind),
      ['disable-next-line'],
    );
    assert.deepEqual(loads, [], 'asking whether there are facts, and for the directives, loads nothing');
    assert.deepEqual(ix.facts('articles/proposal.md')?.anchors, ['proposal', 'part-2-crew']);
    assert.equal(ix.facts('articles/proposal.md')?.title, 'Proposal');
    assert.deepEqual(loads, ['articles/proposal.md'], 'loaded once');
    assert.equal(ix.isDeferred('articles/proposal.md'), false);
    assert.equal(ix.revision, revision, 'the same facts, read late: no change');
    assert.deepEqual(
      [...ix.allFacts()].map((f) => f.path),
      ['README.md', 'articles/proposal.md', 'crewing/README.md'],
      'every deferred page loaded, in the order the facts were set',
    );
    assert.deepEqual(loads, ['articles/proposal.md', 'crewing/README.md']);
  });
});
