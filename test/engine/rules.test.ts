/**
 * One harness for every rule in the registry (remark-lint's test.js,
 * markdownlint's marker scenarios). A rule's `fixtures/` folder is a mini
 * site checked with only that rule on; `<!-- expect: rule-id -->` markers
 * say which findings it must produce. `fixtures-fixed/` beside it holds the
 * files as one `--fix` pass must leave them. See fixtureHarness.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rules, type Finding } from '../../server/src/engine/index';
import {
  applySafeFixes,
  compareWithMarkers,
  conventionProblems,
  differingFiles,
  expectedKeys,
  messageProblems,
} from './fixtureHarness';
import { maxMessageLength } from '../../server/src/engine/message';
import { bytes, checkSite, findingKey, onlyRuleConfig, readSite, site, text, type SiteFiles } from './util';

const rulesDir = join(__dirname, '..', '..', 'server', 'src', 'engine', 'rules');
/** remark-lint's readme shape, in this order. */
const docsSections = ['## What it checks', '## Why', '## Examples', '## Fix', '## Options', '## Turn it off'];

interface Loaded {
  readonly files: SiteFiles;
  readonly findings: readonly Finding[];
}

const cache = new Map<string, Promise<Loaded>>();

/** The rule's fixture site, checked with only that rule on (once per rule). */
function load(id: string): Promise<Loaded> {
  let p = cache.get(id);
  if (!p) {
    p = (async () => {
      const files = readSite(join(rulesDir, id, 'fixtures'));
      const { findings } = await checkSite(files, { only: id });
      return { files, findings };
    })();
    cache.set(id, p);
  }
  return p;
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function report(lines: readonly string[]): string {
  return lines.map((l) => `  ${l}`).join('\n');
}

/** The site as `--fix` must leave it: fixtures/ with fixtures-fixed/ laid over it. */
function expectedFixedSite(id: string, files: SiteFiles): Map<string, Uint8Array> {
  const overlay = readSite(join(rulesDir, id, 'fixtures-fixed'));
  for (const p of overlay.keys())
    assert.ok(files.has(p), `fixtures-fixed/${p} has no counterpart in fixtures/ (fixes never create files)`);
  return new Map([...files, ...overlay]);
}

test('the registry has rules and each id is a kebab-case folder name', () => {
  assert.ok(rules.length >= 5);
  for (const r of rules) {
    assert.match(r.meta.id, /^[a-z]+(?:-[a-z0-9]+)+$/);
    assert.ok(isDir(join(rulesDir, r.meta.id)), `no folder rules/${r.meta.id}`);
  }
  assert.equal(new Set(rules.map((r) => r.meta.id)).size, rules.length, 'rule ids are unique');
});

for (const rule of rules) {
  const id = rule.meta.id;
  const fixturesDir = join(rulesDir, id, 'fixtures');
  const fixedDir = join(rulesDir, id, 'fixtures-fixed');
  const hasFixtures = isDir(fixturesDir);

  describe(`rule ${id}`, () => {
    test('has a fixtures/ folder with at least one expect marker', () => {
      assert.ok(hasFixtures, `missing ${fixturesDir}: every rule needs a fixture site (see CONTRIBUTING)`);
      assert.ok(
        expectedKeys(readSite(fixturesDir)).length > 0,
        `fixtures/ of ${id} expects no finding: the rule's detection is untested`,
      );
    });

    test('has docs.md in the rule docs shape (CONTRIBUTING: add a rule)', () => {
      const docs = join(rulesDir, id, 'docs.md');
      assert.ok(existsSync(docs), `missing ${docs}`);
      const text = readFileSync(docs, 'utf8');
      assert.equal(text.split('\n')[0], `# ${id}`);
      const sections = text.split('\n').filter((l) => l.startsWith('## '));
      assert.deepEqual(sections, docsSections, `docs.md sections`);
      assert.ok(text.includes(`"${id}": "off"`), 'docs.md shows how to turn the rule off in .msolrc.json');
    });

    test('findings match the expect markers', { skip: !hasFixtures }, async () => {
      const { files, findings } = await load(id);
      const { unexpected, unmet } = compareWithMarkers(files, findings);
      assert.ok(
        unexpected.length === 0 && unmet.length === 0,
        `\nunexpected findings:\n${report(unexpected)}\nunmet markers:\n${report(unmet)}`,
      );
    });

    test(
      'findings follow the conventions (id, docs url, wording, ranges, fix edits)',
      { skip: !hasFixtures },
      async () => {
        const { files, findings } = await load(id);
        assert.deepEqual(conventionProblems(id, files, findings), []);
      },
    );

    test(
      `messages are one line of at most ${maxMessageLength} characters, fix titles plain text`,
      { skip: !hasFixtures },
      async () => {
        const { findings } = await load(id);
        assert.deepEqual(
          findings.flatMap((f) => messageProblems(f).map((p) => `${findingKey(f)}: ${p} (${f.message})`)),
          [],
        );
      },
    );

    test(`metadata says fixable=${rule.meta.fixable}, and the fixtures agree`, { skip: !hasFixtures }, async () => {
      const { findings } = await load(id);
      const fixable = findings.some((f) => f.fix);
      assert.equal(
        fixable,
        rule.meta.fixable,
        rule.meta.fixable
          ? 'fixable rule, but no fixture finding offers a safe fix'
          : 'a finding offers a fix, but the rule is not marked fixable',
      );
      assert.equal(
        isDir(fixedDir),
        fixable,
        fixable ? `fixes are offered: add ${fixedDir}` : `${fixedDir} exists but nothing is fixable`,
      );
    });

    if (isDir(fixedDir)) {
      test('safe fixes turn fixtures/ into fixtures-fixed/, converge and are idempotent', async () => {
        const { files, findings } = await load(id);
        const fixed = applySafeFixes(files, findings);
        const want = expectedFixedSite(id, files);
        const differ = differingFiles(fixed, want);
        assert.deepEqual(
          differ.map((p) => ({ path: p, got: text(fixed.get(p) ?? bytes('')) })),
          differ.map((p) => ({ path: p, got: text(want.get(p) ?? bytes('')) })),
          `after --fix these files differ from fixtures-fixed/: ${differ.join(', ')}`,
        );
        const again = await checkSite(fixed, { only: id });
        const left = again.findings.filter((f) => f.fix);
        assert.deepEqual(
          left.map((f) => `${f.path}:${f.range.start.line + 1} ${f.message}`),
          [],
          'fixable findings left after one --fix pass',
        );
        assert.deepEqual(
          differingFiles(applySafeFixes(fixed, again.findings), fixed),
          [],
          'a second --fix pass changed files',
        );
      });
    }
  });
}

// The harness must be able to fail: feed it sites that are wrong on purpose.
describe('the fixture harness itself', () => {
  const id = 'link-missing-file';
  const finding = (path: string, line: number, ruleId = id): Finding => ({
    ruleId,
    severity: 'error',
    message: 'Unexpected x, expected y',
    path,
    span: { start: 0, end: 0 },
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    url: `https://example.org/${id}/docs.md`,
  });

  test('reads expect and expect+1 markers, several ids per marker, CRLF lines', () => {
    const files = site({
      'a.md': 'x <!-- expect: r-one -->\r\n<!--expect+1: r-one, r-two-->\r\nline 3\r\n',
      'b.txt': 'not markdown <!-- expect: r-one -->',
    });
    assert.deepEqual(expectedKeys(files), ['a.md:1 r-one', 'a.md:3 r-one', 'a.md:3 r-two']);
  });

  test('a finding without a marker, and a marker without a finding, are both reported', () => {
    const files = site({ 'a.md': 'one <!-- expect: link-missing-file -->\ntwo\n' });
    const result = compareWithMarkers(files, [finding('a.md', 1)]);
    assert.equal(result.unexpected.length, 1);
    assert.match(result.unexpected[0]!, /^a\.md:2 link-missing-file:1 Unexpected x/);
    assert.deepEqual(result.unmet, ['a.md:1 link-missing-file']);
  });

  test('two markers need two findings; a wrong rule id does not meet a marker', () => {
    const files = site({ 'a.md': 'x <!-- expect: link-missing-file link-missing-file -->\n' });
    assert.deepEqual(compareWithMarkers(files, [finding('a.md', 0)]).unmet, ['a.md:1 link-missing-file']);
    assert.deepEqual(
      compareWithMarkers(files, [finding('a.md', 0), finding('a.md', 0, 'other-rule')]).unexpected.length,
      1,
    );
  });

  test('conventions: wrong id, url, wording, span and overlapping fix edits are caught', () => {
    const files = site({ 'a.md': 'hello\n' });
    const bad: Finding = {
      ...finding('a.md', 0, 'other-rule'),
      message: 'File is missing',
      url: 'https://example.org/x',
      span: { start: 2, end: 40 },
    };
    const problems = conventionProblems(id, files, [bad]);
    assert.equal(problems.length, 4, problems.join('\n'));
    const overlapping: Finding = {
      ...finding('a.md', 0),
      span: { start: 0, end: 5 },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
      fix: {
        title: 'x',
        edits: [
          { start: 0, end: 3, newText: 'a' },
          { start: 2, end: 4, newText: 'b' },
        ],
      },
    };
    assert.equal(conventionProblems(id, files, [overlapping]).length, 1);
  });

  test('messages: a long or two-line message, an empty note and a title with backticks are caught', () => {
    const files = site({ 'a.md': 'hello\n' });
    const ok = finding('a.md', 0);
    assert.deepEqual(
      messageProblems({
        ...ok,
        message: `Unexpected ${'x'.repeat(maxMessageLength - 'Unexpected , expected y'.length)}, expected y`,
      }),
      [],
    );
    assert.equal(
      messageProblems({ ...ok, message: `Unexpected ${'x'.repeat(maxMessageLength)}, expected y` }).length,
      1,
    );
    assert.equal(messageProblems({ ...ok, message: 'Unexpected x,\nexpected y' }).length, 1);
    assert.equal(messageProblems({ ...ok, note: ' ' }).length, 1);
    assert.equal(
      messageProblems({ ...ok, fix: { title: 'Link to `x.md`', edits: [{ start: 0, end: 1, newText: 'y' }] } }).length,
      1,
    );
    assert.equal(
      conventionProblems(id, files, [{ ...ok, message: `Unexpected ${'x'.repeat(maxMessageLength)}, expected y` }])
        .length,
      1,
    );
  });

  test("a fixture's own .msolrc.json is honoured, except that every other rule is off", () => {
    const own =
      '{ // site facts for this fixture\n "site": { "root": "docs" }, "rules": { "link-missing-file": "warning", "encoding-mojibake": "error" } }';
    const config = JSON.parse(onlyRuleConfig(id, own)) as { site: unknown; rules: Record<string, unknown> };
    assert.deepEqual(
      config.site,
      { kind: 'gitbook', root: 'docs' },
      'a fixture is a GitBook site unless it says otherwise',
    );
    assert.equal(config.rules[id], 'warning');
    assert.equal(config.rules['encoding-mojibake'], 'off');
    assert.equal(Object.values(config.rules).filter((v) => v !== 'off').length, 1);
  });

  test('removing a marker from a real fixture site makes it fail', async () => {
    const { files, findings } = await load(id);
    const [path, content] = [...files].find(([p, c]) => p.endsWith('.md') && text(c).includes('<!-- expect: '))!;
    const stripped = new Map(files).set(path, bytes(text(content).replace(/<!-- expect: [^>]*-->/, '')));
    assert.equal(compareWithMarkers(stripped, findings).unexpected.length > 0, true);
  });
});
