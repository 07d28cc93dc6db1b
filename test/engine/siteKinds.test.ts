import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeSite, formatSiteDescription } from '../../server/src/engine/index';
import { compareWithMarkers } from './fixtureHarness';
import { checkSite, readSite, site } from './util';
import { ensureBuilt, msol } from './cli/cliHarness';

/**
 * Each kind of site, read as its generator publishes it, from fixtures in
 * the shape of real repositories (test/engine/fixtures/sites/<kind>): links,
 * anchors and orphans as the generator resolves them (markers
 * `<!-- expect: rule-id -->` in the pages), the kind chosen from what the
 * folder holds, and the site's identity from its own files, never the
 * Microsolidarity handbook's.
 */

const sites = join(__dirname, 'fixtures', 'sites');

async function checked(kind: string) {
  const files = readSite(join(sites, kind));
  const result = await checkSite(files, { detectKind: true });
  return { files, ...result, description: describeSite(result.project.index) };
}

for (const kind of ['mdbook', 'gitbook', 'gitbook-legacy', 'plain']) {
  test(`${kind}: every finding is one its markers expect, and every marker is met`, async () => {
    const { files, findings } = await checked(kind);
    const { unexpected, unmet } = compareWithMarkers(files, findings);
    assert.deepEqual({ unexpected, unmet }, { unexpected: [], unmet: [] });
  });
}

test('mdBook: read from book.toml (src, title, authors, cname), LICENSE, src/SUMMARY.md', async () => {
  const { description: d, project, findings } = await checked('mdbook');
  assert.equal(d.kind, 'mdbook');
  assert.equal(d.kindFrom, 'book.toml');
  assert.equal(d.root, 'src');
  assert.equal(d.summary, 'src/SUMMARY.md');
  assert.deepEqual(d.url, { value: 'https://cookbook.example.org', from: 'book.toml [output.html] cname' });
  assert.deepEqual(d.license, { value: 'CC-BY-4.0', from: 'LICENSE' });
  assert.deepEqual(d.defaultAuthor, { value: 'Ana Lima', from: 'book.toml [book] authors' });
  assert.deepEqual(d.title, { value: 'The Commons Cookbook', from: 'book.toml [book] title' });
  assert.equal(d.microsolidarity, undefined);
  assert.deepEqual(
    d.silent.map((s) => s.rule),
    ['proposal-mention-unlinked', 'proposal-external-copy'],
  );
  // The prefix and suffix chapters (links outside the list) are entries; the draft chapter is not a missing page.
  const listed = project.index.summary().map((e) => e.path);
  assert.ok(listed.includes('src/README.md') && listed.includes('src/contributors.md'), JSON.stringify(listed));
  assert.ok(!listed.includes('src/SUMMARY.md'), 'a draft chapter (empty link) is no entry');
  // mdBook's ids: `{#whos-invited}` and a non-ASCII capital kept as it is.
  assert.ok(project.index.facts('src/gathering/invitations.md')!.anchors.includes('whos-invited'));
  assert.ok(project.index.facts('src/gathering/invitations.md')!.anchors.includes('Ärger-im-topf'));
  // Pages outside src/ (the repository's own README.md) are not part of the book.
  assert.ok(!findings.some((f) => f.path === 'README.md' && f.ruleId === 'summary-orphan-page'));
  const absolute = findings.find((f) => f.ruleId === 'link-site-absolute');
  assert.match(absolute?.message ?? '', /expected `gathering\/invitations\.md`$/);
});

test("a copy of an mdBook site: no finding mentions Microsolidarity's URL, license or author", async () => {
  const { findings } = await checked('mdbook');
  assert.ok(findings.length > 0);
  for (const f of findings) {
    const all = [
      f.message,
      ...(f.suggestions ?? []).map((s) => s.title + JSON.stringify(s.edits)),
      f.fix ? f.fix.title + JSON.stringify(f.fix.edits) : '',
    ].join(' ');
    assert.doesNotMatch(all, /microsolidarity|Richard|Bartlett|BY-SA|medium\.com/i, `${f.path}: ${f.message}`);
  }
});

test('GitBook: .gitbook.yaml root and structure; no URL or license given anywhere stays unknown, and the rules needing them say so', async () => {
  const { description: d, findings } = await checked('gitbook');
  assert.equal(d.kind, 'gitbook');
  assert.equal(d.kindFrom, '.gitbook.yaml');
  assert.equal(d.root, 'docs');
  assert.equal(d.readme, 'docs/README.md');
  assert.equal(d.url, undefined);
  assert.deepEqual(d.license, { value: 'CC-BY-4.0', from: 'docs/README.md (its license statement)' });
  assert.deepEqual(d.defaultAuthor, { value: 'Sam Rivera', from: 'docs/README.md (its license statement)' });
  assert.deepEqual(
    d.silent.map((s) => s.rule),
    ['link-site-absolute', 'proposal-mention-unlinked', 'proposal-external-copy'],
  );
  assert.match(d.silent[0]!.setting, /site\.url/);
  assert.ok(!findings.some((f) => /microsolidarity|Richard/i.test(f.message)));
  // The repository's README.md is outside the content root: not a page GitBook publishes, so not an orphan.
  assert.ok(!findings.some((f) => f.path === 'README.md'));
});

test('GitBook 2/3: book.json root, readme and author; page.html and index.html links resolve to the pages', async () => {
  const { description: d, project } = await checked('gitbook-legacy');
  assert.equal(d.kind, 'gitbook-legacy');
  assert.equal(d.root, 'content');
  assert.equal(d.readme, 'content/introduction.md');
  assert.deepEqual(d.defaultAuthor, { value: 'Kai Moreno', from: 'book.json author' });
  const r = project.index.resolve('content/pods/README.md', '../index.html');
  assert.equal(r.kind === 'local' ? r.page : r.kind, 'content/introduction.md');
  const m = project.index.resolve('content/introduction.md', 'pods/meetings.html#the-agenda');
  assert.equal(m.kind === 'local' ? m.page : m.kind, 'content/pods/meetings.md');
});

test('a plain folder of Markdown: link checks only, and --verbose names what would turn the rest on', async () => {
  const { description: d } = await checked('plain');
  assert.equal(d.kind, 'plain');
  const lines = formatSiteDescription(d);
  assert.match(lines[0]!, /a plain folder of Markdown \(no SUMMARY\.md, book\.toml, book\.json or \.gitbook\.yaml\)/);
  assert.ok(d.silent.some((s) => s.rule === 'term-undefined' && /SUMMARY\.md|book\.toml/.test(s.setting)));
  assert.ok(d.silent.some((s) => s.rule === 'image-alt-missing'));
});

test('the Microsolidarity handbook keeps its defaults: by its home page title, or by its URL in the config; another URL turns them off', async () => {
  const home = '# Microsolidarity\n\nRead [the proposal](articles/proposal.md).\n';
  const base = {
    'README.md': home,
    'SUMMARY.md': '* [Home](README.md)\n* [P](articles/proposal.md)\n',
    'articles/proposal.md': '# Proposal\n',
  };
  const byTitle = describeSite((await checkSite(site(base), { detectKind: true })).project.index);
  assert.match(byTitle.microsolidarity ?? '', /home page's title/);
  assert.deepEqual(
    [byTitle.url?.value, byTitle.license?.value, byTitle.defaultAuthor?.value, byTitle.proposal?.value],
    ['https://www.microsolidarity.cc', 'CC-BY-SA-4.0', 'Richard D. Bartlett', 'articles/proposal.md'],
  );
  const byUrl = describeSite(
    (
      await checkSite(
        site({
          ...base,
          'README.md': '# Home\n',
          '.msolrc.json': '{ "site": { "url": "https://microsolidarity.cc" } }',
        }),
      )
    ).project.index,
  );
  assert.match(byUrl.microsolidarity ?? '', /its URL/);
  const other = describeSite(
    (await checkSite(site({ ...base, CNAME: 'handbook.example.net\n' }), { detectKind: true })).project.index,
  );
  assert.equal(other.microsolidarity, undefined, 'a CNAME of another domain: another site, whatever its title');
  assert.equal(other.url?.value, 'https://handbook.example.net');
  assert.equal(other.defaultAuthor, undefined);
});

test('msol check --verbose says what the site was read as', () => {
  ensureBuilt();
  const r = msol(['check', join(sites, 'mdbook'), '--verbose', '--no-cache'], { cwd: sites });
  assert.match(r.stderr, /site: mdBook \(from book\.toml\); pages in src\/, table of contents src\/SUMMARY\.md/);
  assert.match(r.stderr, /URL: https:\/\/cookbook\.example\.org \(from book\.toml \[output\.html\] cname\)/);
  assert.match(r.stderr, /license: CC-BY-4\.0 \(from LICENSE\)/);
  assert.match(
    r.stderr,
    /silent: proposal-mention-unlinked \(needs a hub page; set `site\.proposal` in \.msolrc\.json\)/,
  );
  // A page inside src/ is checked within the book (book.toml above it), not as a site of its own.
  const one = msol(['check', join(sites, 'mdbook', 'src', 'kitchen.md'), '--verbose', '--no-cache'], { cwd: sites });
  assert.match(one.stderr, /site: mdBook/);
});
