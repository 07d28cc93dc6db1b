import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, ensureBuilt, msol, tempDir, writeFiles } from './cliHarness';

/** `msol links`, `msol glossary`, `msol attribution`: real processes on throw-away sites. */

before(ensureBuilt);
after(cleanup);

const site = {
  'SUMMARY.md':
    '# Table of contents\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Gone](articles/gone.md)\n',
  'README.md': [
    '# Microsolidarity',
    '',
    'Start with the [proposal](articles/proposal.md).',
    '',
    '## Definition of terms',
    '',
    'Most of the support happens in a **Crew**: a small group of three to eight people who build trust over time.',
    '',
    'A **Congregation** is where Crews meet other Crews.',
    '',
    '## License',
    '',
    'All content is published under [CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/). Unless stated otherwise, assume the author is Richard D. Bartlett.',
    '',
  ].join('\n'),
  'articles/proposal.md':
    '# Proposal\n\n## Part 1\n\nA Crew or two.\n\n![Chairs in a circle](../.gitbook/assets/chairs-by-jane-doe-on-unsplash.jpg)\n\n_Photo by Jane Doe on Unsplash_\n',
  'articles/lonely.md': '# Lonely\n\nNo link out, and not in the summary. See [nowhere](nowhere.md#top).\n',
  '.gitbook/assets/chairs-by-jane-doe-on-unsplash.jpg': 'jpg',
};

function newSite(extra: Record<string, string> = {}): string {
  return writeFiles(tempDir(), { ...site, ...extra });
}

describe('msol links', () => {
  test('prints the link graph: broken links, pages SUMMARY.md does not list, pages that never reach the proposal', () => {
    const dir = newSite();
    const r = msol(['links'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^4 pages, /);
    assert.match(
      r.stdout,
      /Broken links \(2\):\n {2}SUMMARY\.md:5:\d+ {2}articles\/gone\.md {2}missing file\n {2}articles\/lonely\.md:3:\d+ {2}nowhere\.md#top {2}missing file\n/,
    );
    assert.match(r.stdout, /Pages SUMMARY\.md does not list \(1\):\n {2}articles\/lonely\.md\n/);
    assert.match(
      r.stdout,
      /Pages that never reach the proposal \(articles\/proposal\.md\) through links \(1\):\n {2}articles\/lonely\.md\n/,
    );
    assert.equal(r.stderr, '');
  });

  test('--format json, and a folder inside the site limits the lists to it', () => {
    const dir = newSite();
    const r = msol(['links', 'articles', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      scope: string;
      pages: number;
      proposal: string;
      broken: Array<{ path: string; url: string; reason: string }>;
      orphans: string[];
    };
    assert.equal(report.scope, 'articles');
    assert.equal(report.proposal, 'articles/proposal.md');
    assert.deepEqual(
      report.broken.map((b) => [b.path, b.url, b.reason]),
      [['articles/lonely.md', 'nowhere.md#top', 'missing-file']],
      'SUMMARY.md lies outside the scope',
    );
    assert.deepEqual(report.orphans, ['articles/lonely.md']);
  });
});

describe('msol glossary', () => {
  test('prints every term with its definition, source location and uses (Markdown)', () => {
    const dir = newSite();
    const r = msol(['glossary'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Glossary\n\n2 terms read from README\.md\./);
    assert.match(r.stdout, /\| Crew \| Crew, Crews, Crew's, Crews' \| [a-z-]+ \| \d+ \| 2 \| README\.md:7 \|/);
    assert.match(r.stdout, /## Congregation\n\n> A Congregation is where Crews meet other Crews\.\n/);
  });

  test('--format json: the same as data', () => {
    const dir = newSite();
    const r = msol(['glossary', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      terms: Array<{ term: string; source: { path: string; line: number }; uses: number; pages: string[] }>;
    };
    const crew = report.terms.find((t) => t.term === 'Crew');
    assert.ok(crew, JSON.stringify(report.terms.map((t) => t.term)));
    assert.deepEqual(crew.source.path, 'README.md');
    assert.equal(crew.source.line, 7);
    assert.deepEqual(crew.pages, ['README.md', 'articles/proposal.md']);
    assert.equal(crew.uses, 3, 'two "Crews" in README, one "Crew" in the proposal (the defining word not counted)');
  });

  test('a page path reports the glossary of its site', () => {
    const dir = newSite();
    const fromPage = msol(['glossary', 'articles/proposal.md', '-f', 'json'], { cwd: join(dir, 'articles') });
    assert.equal(fromPage.code, 2, 'the path is relative to the current folder');
    const r = msol(['glossary', 'proposal.md', '-f', 'json'], { cwd: join(dir, 'articles') });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { terms: Array<{ term: string }> }).terms.map((t) => t.term).sort(), [
      'Congregation',
      'Crew',
    ]);
  });
});

describe('msol attribution', () => {
  test('Markdown, JSON and CSV list the Unsplash photo as incompatible with what its credit lacks', () => {
    const dir = newSite();
    const md = msol(['attribution'], { cwd: dir });
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^# Attribution report\n/);
    assert.match(
      md.stdout,
      /`\.gitbook\/assets\/chairs-by-jane-doe-on-unsplash\.jpg` \|.*\| Jane Doe \|.*✗ incompatible/,
    );

    const json = msol(['attribution', '--format', 'json'], { cwd: dir });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as {
      items: Array<{ key: string; thirdParty: boolean; verdict: string; license?: { id: string }; missing: string[] }>;
      summary: { thirdParty: number; incompatible: number };
    };
    const photo = report.items.find((i) => i.key === '.gitbook/assets/chairs-by-jane-doe-on-unsplash.jpg');
    assert.ok(photo, JSON.stringify(report.items.map((i) => i.key)));
    assert.equal(photo.thirdParty, true);
    assert.equal(photo.verdict, 'incompatible');
    assert.equal(photo.license?.id, 'LicenseRef-Unsplash');
    assert.ok(photo.missing.includes('Source'), JSON.stringify(photo.missing));
    assert.equal(report.summary.incompatible, 1);

    const csv = msol(['attribution', '-f', 'csv'], { cwd: dir });
    assert.equal(csv.code, 0, csv.stderr);
    const rows = csv.stdout.split('\r\n');
    assert.equal(rows[0], 'kind,key,third_party,title,author,source,license,license_name,verdict,reason,missing,pages');
    assert.ok(
      rows.some(
        (row) =>
          row.startsWith('image,.gitbook/assets/chairs-by-jane-doe-on-unsplash.jpg,true,') &&
          row.includes(',incompatible,'),
      ),
      csv.stdout,
    );
    assert.ok(
      rows.some((row) => row.startsWith('page,README.md,')),
      'every page with its authors',
    );
  });

  test('a folder limits the pages reported', () => {
    const dir = newSite();
    const r = msol(['attribution', 'articles', '-f', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { pages: Array<{ path: string }> }).pages.map((p) => p.path).sort(), [
      'articles/lonely.md',
      'articles/proposal.md',
    ]);
  });
});

describe('report commands: help, usage errors and configuration', () => {
  test('--help of each command, and the main help lists them', () => {
    const dir = tempDir();
    for (const [command, formats] of [
      ['links', 'text, json'],
      ['glossary', 'md, json'],
      ['attribution', 'md, json, csv'],
    ] as const) {
      const r = msol([command, '--help'], { cwd: dir });
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: msol ${command} \\[path\\] \\[options\\]\\n`));
      assert.ok(r.stdout.includes(`${formats} (default: `), `${command} --help lists its formats`);
      assert.match(r.stdout, /Exit codes\n {2}0 .*\n {2}2 /);
    }
    const main = msol(['--help'], { cwd: dir });
    assert.match(
      main.stdout,
      /^Usage: msol check \[paths\.\.\.\] \[options\]\n {7}msol links \[path\] \[--format text\|json\]\n {7}msol glossary \[path\] \[--format md\|json\]\n {7}msol attribution \[path\] \[--format md\|json\|csv\]\n/,
    );
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown format', ['glossary', '--format', 'csv'], /glossary: unknown format `csv`; expected one of md, json/],
    ['a check format', ['links', '-f', 'sarif'], /links: unknown format `sarif`; expected one of text, json/],
    ['two paths', ['attribution', 'a', 'b'], /attribution takes one path, got 2: a b/],
    ['an unknown option', ['links', '--fix'], /links: .*--fix/],
    ['a path that does not exist', ['links', 'no/such'], /no such file or folder: no\/such/],
    ['a --config that does not exist', ['glossary', '--config', 'nope.json'], /--config: no such file: nope\.json/],
    ['a path outside --root', ['links', '..', '--root', '.'], /\.\. is outside the site root given by --root/],
  ];
  for (const [name, args, message] of cases) {
    test(`${name}: exit 2, the message on stderr, nothing on stdout`, () => {
      const dir = newSite();
      const r = msol(args, { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  test('an unknown command names the report commands', () => {
    const r = msol(['credits'], { cwd: tempDir() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command `credits`; expected one of check, links, glossary, attribution/);
  });

  test('an invalid configuration: the report is printed with the defaults, the problem on stderr, exit 2', () => {
    const dir = newSite({ '.msolrc.json': '{ "rules": { "no-such-rule": "error" } }\n' });
    const r = msol(['links', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal((JSON.parse(r.stdout) as { pages: number }).pages, 4);
    assert.match(r.stderr, /\.msolrc\.json:1:\d+: .*no-such-rule/);
    assert.match(r.stderr, /the configuration is invalid/);
  });

  test("--config replaces the site's .msolrc.json (here: the proposal is another page)", () => {
    const dir = newSite();
    writeFiles(dir, { 'other.json': JSON.stringify({ site: { proposal: 'README.md' } }) });
    const r = msol(['links', '-f', 'json', '--config', 'other.json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { proposal: string }).proposal, 'README.md');
  });
});
