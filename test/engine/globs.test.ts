/**
 * `ignore` in `.msolrc.json` means what it means in a `.gitignore`: each form
 * users type, through a whole Project walk (folders skipped, pages left out),
 * and a pattern that matches nothing is a `config-invalid` warning naming it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { braces, PathPatterns, unmatchedPatterns } from '../../server/src/engine/globs';
import { checkSite, site } from './util';
import { cleanup, ensureBuilt, msol, onlyRules, tempDir, writeFiles } from './cli/cliHarness';

const page = '# Page\n';

/** The pages a site with these `ignore` patterns checks, and its config findings. */
async function pagesWith(ignore: readonly string[], files: readonly string[]) {
  const { project } = await checkSite(
    site({ '.msolrc.json': JSON.stringify({ ignore }), ...Object.fromEntries(files.map((f) => [f, page])) }),
  );
  return { pages: project.index.pages(), configFindings: project.configFindings };
}

const files = [
  'README.md',
  'drafts/a.md',
  'drafts/keep.md',
  'guide/drafts/b.md',
  'guide/intro.md',
  'guide/notes.markdown',
  'a.md',
  'b.md',
  'c.md',
];

describe('ignore: gitignore semantics', () => {
  test('`drafts/` leaves out every folder named drafts, at any depth', async () => {
    const { pages } = await pagesWith(['drafts/'], files);
    assert.deepEqual(
      pages.filter((p) => p.includes('drafts')),
      [],
    );
    assert.ok(pages.includes('guide/intro.md'));
  });

  test('`/drafts/**` leaves out only the folder at the site root', async () => {
    const { pages } = await pagesWith(['/drafts/**'], files);
    assert.deepEqual(
      pages.filter((p) => p.includes('drafts')),
      ['guide/drafts/b.md'],
    );
  });

  test('`*.{md,markdown}` under a folder: braces expand to each alternative', async () => {
    const { pages } = await pagesWith(['guide/*.{md,markdown}'], files);
    assert.deepEqual(
      pages.filter((p) => p.startsWith('guide/')),
      ['guide/drafts/b.md'],
    );
  });

  test('`[ab].md` is a character class', async () => {
    const { pages } = await pagesWith(['[ab].md'], files);
    assert.ok(!pages.includes('a.md') && !pages.includes('b.md') && !pages.includes('drafts/a.md'));
    assert.ok(pages.includes('c.md'));
  });

  test('`!keep.md` takes a file back (its folder is not excluded, only its contents)', async () => {
    const { pages } = await pagesWith(['drafts/**', '!keep.md'], files);
    assert.deepEqual(
      pages.filter((p) => p.startsWith('drafts/')),
      ['drafts/keep.md'],
    );
  });

  test('`!keep.md` cannot take back a file of an excluded folder (as in git)', async () => {
    const { pages } = await pagesWith(['drafts/', '!keep.md'], files);
    assert.deepEqual(
      pages.filter((p) => p.startsWith('drafts/')),
      [],
    );
  });

  test('the defaults still apply beside the user patterns', async () => {
    const { pages } = await pagesWith(['c.md'], [...files, 'node_modules/x/readme.md', '_book/index.md']);
    assert.ok(!pages.some((p) => p.startsWith('node_modules/') || p.startsWith('_book/') || p === 'c.md'));
  });
});

describe('ignore: a pattern that matches nothing', () => {
  test('is a config-invalid warning on the pattern itself, naming it', async () => {
    const config = '{\n  "ignore": ["drafts/", "old-drafts/**", "!keep.md", "!gone.md"]\n}\n';
    const { project } = await checkSite(
      site({ '.msolrc.json': config, ...Object.fromEntries(files.map((f) => [f, page])) }),
    );
    const found = project.configFindings.map((f) => ({
      rule: f.ruleId,
      severity: f.severity,
      text: config.slice(f.span.start, f.span.end),
      names: f.message.includes(config.slice(f.span.start, f.span.end)),
    }));
    assert.deepEqual(found, [
      { rule: 'config-invalid', severity: 'warning', text: '"old-drafts/**"', names: true },
      // drafts/keep.md exists, but inside a folder `drafts/` leaves out: git cannot take it back either.
      { rule: 'config-invalid', severity: 'warning', text: '"!keep.md"', names: true },
      { rule: 'config-invalid', severity: 'warning', text: '"!gone.md"', names: true },
    ]);
    assert.equal(project.configFindings[0]!.range.start.line, 1);
  });

  test('a pattern that matches only ignored files still counts, and so does a negation that takes a file back', async () => {
    const { configFindings } = await pagesWith(['drafts/**', 'drafts/a.md', '!keep.md'], files);
    assert.deepEqual(configFindings, []);
  });

  test('msol check reports it and still exits 0: a warning, not an invalid configuration (exit 2)', () => {
    ensureBuilt();
    const dir = writeFiles(tempDir(), {
      '.msolrc.json': JSON.stringify({ ...JSON.parse(onlyRules(['link-missing-file'])), ignore: ['nothing/'] }),
      'a.md': page,
    });
    const r = msol(['check', '.', '--format', 'json', '--no-cache'], { cwd: dir });
    const messages = (JSON.parse(r.stdout) as { messages: { ruleId: string; fatal: boolean | null }[] }[]).flatMap(
      (f) => f.messages,
    );
    assert.deepEqual(
      messages.map((m) => [m.ruleId, m.fatal]),
      [['config-invalid', false]],
    );
    assert.equal(r.code, 0, r.stderr);
  });

  test('no config file, no pattern, no warning', async () => {
    const { project } = await checkSite(site({ 'a.md': page }));
    assert.deepEqual(project.configFindings, []);
  });
});

after(cleanup);

describe('PathPatterns and braces', () => {
  test('a folder is matched by a folder pattern only with its trailing slash', () => {
    const p = new PathPatterns(['drafts/']);
    assert.equal(p.matches('drafts', true), true);
    assert.equal(p.matches('drafts', false), false);
    assert.equal(p.matches('x/drafts/y.md'), true);
  });

  test('braces expand nested alternatives and leave a lone brace alone', () => {
    assert.deepEqual(braces('*.{md,markdown}'), ['*.md', '*.markdown']);
    assert.deepEqual(braces('a{b,c{d,e}}f'), ['abf', 'acdf', 'acef']);
    assert.deepEqual(braces('x{y}'), ['x{y}']);
    assert.deepEqual(braces('!{a,b}.md'), ['!a.md', '!b.md']);
  });

  test('unmatchedPatterns skips comments and blank lines', () => {
    assert.deepEqual(unmatchedPatterns(['# note', '', 'x.md', 'y.md'], ['x.md'], []), ['y.md']);
  });
});
