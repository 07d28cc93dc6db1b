import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureBuilt, msol, onlyRules, repoRoot, tempDir, writeFiles } from './cliHarness';

/** --help, --version, usage errors (exit 2), invalid configuration (exit 2 with findings), and which site a path is checked in. */

before(ensureBuilt);
after(cleanup);

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const links = onlyRules(['link-missing-file']);

describe('help and version', () => {
  test('--version prints the package version', () => {
    const r = msol(['--version'], { cwd: tempDir() });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
    assert.equal(msol(['check', '-V'], { cwd: tempDir() }).stdout, `${version}\n`);
  });

  test('--help explains the command, the formats and how a site root is found', () => {
    const r = msol(['--help'], { cwd: tempDir() });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: msol check \[paths\.\.\.\]/);
    for (const word of [
      'stylish',
      'json',
      'sarif',
      'github',
      '--fix',
      '--max-warnings',
      '--quiet',
      '--no-color',
      '--root',
      '--config',
      '.msolrc.json, SUMMARY.md, .gitbook.yaml, book.toml or book.json',
      'Exit codes',
    ]) {
      assert.ok(r.stdout.includes(word), `help mentions ${word}`);
    }
  });
});

describe('usage errors exit 2 with a message on stderr and nothing on stdout', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no command', [], /missing command/],
    ['an unknown command', ['lint'], /unknown command `lint`/],
    ['an unknown option', ['check', '--frobnicate'], /frobnicate/],
    [
      'an unknown format',
      ['check', '--format', 'xml'],
      /unknown format `xml`; expected one of stylish, json, sarif, github/,
    ],
    ['a bad --max-warnings', ['check', '--max-warnings', 'many'], /--max-warnings expects a whole number/],
    ['a missing option value', ['check', '--format'], /--format/],
    ['a path that does not exist', ['check', 'no/such/page.md'], /no such file or folder: no\/such\/page\.md/],
    ['a --config that does not exist', ['check', '--config', 'nope.json'], /--config: no such file: nope\.json/],
    ['a --root that does not exist', ['check', '--root', 'nowhere'], /--root: no such folder: nowhere/],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const site = writeFiles(tempDir(), { 'README.md': '# Home\n' });
      const r = msol(args, { cwd: site });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  test('a path outside --root', () => {
    const parent = tempDir();
    writeFiles(parent, { 'site/README.md': '# Home\n', 'other/page.md': '# Other\n' });
    const r = msol(['check', 'other/page.md', '--root', 'site'], { cwd: parent });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /other\/page\.md is outside the site root given by --root/);
  });
});

describe('invalid configuration', () => {
  test('a bad field in .msolrc.json: the config finding names the field, the other findings are still printed with defaults, exit 2', () => {
    const site = writeFiles(tempDir(), {
      '.msolrc.json': '{\n  "rules": {\n    "link-missing-file": "loud"\n  }\n}\n',
      'README.md': '# Home\n\nSee [gone](gone.md).\n',
    });
    const r = msol(['check'], { cwd: site });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^\.msolrc\.json\n {2}3:\d+ +error +.*`rules\.link-missing-file`.*config-invalid$/m);
    // The broken link is still reported, at its default severity.
    // (Other rules may report on README.md too; only the broken link matters here.)
    assert.match(
      r.stdout,
      /^README\.md\n(?: {2}.*\n)*? {2}3:\d+ +error +Unexpected link to missing file `gone\.md`.*link-missing-file$/m,
    );
    assert.match(r.stderr, /configuration is invalid/);
  });

  test('malformed JSON: exit 2, in every format', () => {
    const site = writeFiles(tempDir(), { '.msolrc.json': '{ "rules": ', 'README.md': '# Home\n' });
    for (const format of ['stylish', 'json', 'sarif', 'github']) {
      const r = msol(['check', '--format', format], { cwd: site });
      assert.equal(r.code, 2, format);
      assert.match(r.stdout, /config-invalid/, format);
    }
    const files = JSON.parse(msol(['check', '--format', 'json'], { cwd: site }).stdout) as Array<{
      path: string;
      messages: Array<{ ruleId: string; fatal: boolean; reason: string }>;
    }>;
    const config = files.find((f) => f.path === '.msolrc.json')!;
    assert.equal(config.messages[0]!.ruleId, 'config-invalid');
    assert.equal(config.messages[0]!.fatal, true);
    assert.match(config.messages[0]!.reason, /expected valid JSON/);
  });

  test('--config FILE replaces .msolrc.json; its findings are reported at its own path', () => {
    const parent = tempDir();
    writeFiles(parent, {
      'site/.msolrc.json': '{ "rules": { "link-missing-file": "loud" } }',
      'site/README.md': '# Home\n\nSee [gone](gone.md).\n',
      'ci/good.json': onlyRules(['link-missing-file'], { 'link-missing-file': 'warning' }),
      'ci/bad.json': '{ "maxFileSize": "big" }',
    });
    const good = msol(['check', 'site', '--config', 'ci/good.json'], { cwd: parent });
    assert.equal(good.code, 0, good.stdout);
    assert.match(good.stdout, /site\/README\.md\n {2}3:\d+ +warning +Unexpected link/);
    const bad = msol(['check', 'site', '--config', 'ci/bad.json'], { cwd: parent });
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /^ci\/bad\.json\n.*`maxFileSize`.*config-invalid$/m);
  });
});

describe('which site a path is checked in', () => {
  /** parent/outside.md, and a site below it whose page links up to it. */
  function nested() {
    const parent = tempDir();
    writeFiles(parent, {
      'outside.md': '# Outside\n',
      'site/SUMMARY.md': '# Summary\n\n* [A](articles/a.md)\n',
      'site/.msolrc.json': links,
      'site/articles/a.md': '# A\n\nSee [outside](../../outside.md) and [summary](../SUMMARY.md).\n',
    });
    return parent;
  }

  test('a file is checked within the nearest folder holding SUMMARY.md, .msolrc.json or .gitbook.yaml', () => {
    const r = msol(['check', 'site/articles/a.md'], { cwd: nested() });
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^site\/articles\/a\.md\n {2}3:\d+ +error +Unexpected link `\.\.\/\.\.\/outside\.md` that leaves the site/m,
    );
    assert.doesNotMatch(r.stdout, /SUMMARY/);
  });

  test('--root makes a higher folder the site', () => {
    const r = msol(['check', 'site/articles/a.md', '--root', '.', '--config', 'site/.msolrc.json'], { cwd: nested() });
    assert.equal(r.stdout, '');
    assert.equal(r.code, 0, r.stderr);
  });

  test('--root with a folder checks the pages under that folder only', () => {
    const parent = tempDir();
    writeFiles(parent, { '.msolrc.json': links, 'a/one.md': '[x](missing.md)\n', 'b/two.md': '[x](missing.md)\n' });
    const r = msol(['check', 'b', '--root', '.', '--format', 'json', '--quiet'], { cwd: parent });
    assert.deepEqual(
      (JSON.parse(r.stdout) as Array<{ path: string }>).map((f) => f.path),
      ['b/two.md'],
    );
  });

  test('without a marker above it, a file inside the cwd is checked in the cwd', () => {
    const cwd = writeFiles(tempDir(), { 'docs/a.md': '# A\n\nSee [b](../b.md).\n', 'b.md': '# B\n' });
    // Checked in docs/ (the file's folder), the link would leave the site.
    const r = msol(['check', 'docs/a.md', '--format', 'json'], { cwd });
    const files = JSON.parse(r.stdout) as Array<{ path: string; messages: Array<{ ruleId: string }> }>;
    assert.deepEqual(
      files.map((f) => f.path),
      ['docs/a.md'],
    );
    assert.deepEqual(
      files[0]!.messages.filter((m) => m.ruleId === 'link-missing-file'),
      [],
    );
  });

  test('several folders are several sites, each reported relative to the cwd', () => {
    const parent = tempDir();
    writeFiles(parent, {
      'one/.msolrc.json': links,
      'one/README.md': '# One\n\nSee [two](../two/README.md).\n',
      'two/.msolrc.json': links,
      'two/README.md': '# Two\n\nSee [gone](gone.md).\n',
    });
    const r = msol(['check', 'one', 'two', '--format', 'json'], { cwd: parent });
    assert.equal(r.code, 1);
    const files = JSON.parse(r.stdout) as Array<{ path: string; messages: Array<{ reason: string }> }>;
    assert.deepEqual(
      files.map((f) => f.path),
      ['one/README.md', 'two/README.md'],
    );
    assert.match(files[0]!.messages[0]!.reason, /leaves the site/);
    assert.match(files[1]!.messages[0]!.reason, /missing file `gone\.md`/);
  });

  test('--verbose logs progress on stderr, never on stdout', () => {
    const site = writeFiles(tempDir(), { '.msolrc.json': links, 'README.md': '# Home\n' });
    const r = msol(['check', '--verbose', '--format', 'json'], { cwd: site });
    assert.match(r.stderr, /msol: info: indexed site/);
    assert.doesNotThrow(() => JSON.parse(r.stdout));
    assert.doesNotMatch(msol(['check'], { cwd: site }).stderr, /info/);
  });
});
