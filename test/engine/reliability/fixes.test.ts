import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  asText,
  assertNoProblems,
  checkFiles,
  decorate,
  decoration,
  editProblems,
  fixLoop,
  fixtureSites,
  isPage,
  lfMarkdown,
  pageTexts,
  params,
  readTree,
  richSite,
  runs,
  seed,
  type Decoration,
  type Files,
  type FixRun,
} from './support';
import { cleanup, ensureBuilt, msol, tempDir, writeFiles } from '../cli/cliHarness';

/** CLI cases spawn two processes each: a few are enough to show the CLI writes what the engine computes. */
const cliCases = Math.max(2, Math.round(runs / 50));

/**
 * No lost text. Every safe fix is applied the way `msol check --fix` applies
 * them (the CLI's own selectFixes, page by page, until a pass changes
 * nothing), over generated Markdown and over every rule's fixture site:
 * - the loop settles, and a second `--fix` changes nothing;
 * - each edit is minimal and keeps what it does not fix: no CRLF or
 *   surrogate pair cut in two, no BOM touched, no escape (`\_`, `\#`),
 *   `&#x20;`, line ending or run of spaces dropped, no bare LF written into
 *   a CRLF file (support.ts editProblems);
 * - fixing is blind to line endings and the BOM: fix(CRLF+BOM(x)) equals
 *   CRLF+BOM(fix(x)), byte for byte.
 * Bytes outside the edited spans are kept by construction of applyEdits,
 * which fuzz.test.ts checks on its own.
 */

function assertSettled(run: FixRun, what: string): void {
  assert.ok(run.settled, `${what}: --fix did not settle after ${run.passes} passes`);
  assertNoProblems(run.applied.flatMap(editProblems), `${what}: edits that lose text`);
}

async function assertIdempotent(run: FixRun, what: string): Promise<void> {
  const again = await fixLoop(run.files, 2);
  assert.deepEqual(
    again.applied.map(
      (e) => `${e.path} ${e.ruleId} ${JSON.stringify(e.before.slice(e.start, e.end))} → ${JSON.stringify(e.newText)}`,
    ),
    [],
    `${what}: a second --fix changed something`,
  );
}

/**
 * Fixes may remove findings, never add some: per rule, no more findings after
 * fixing than before. No exception: a fix that would reveal a finding (a link
 * pointed at a page without its anchor) is checked before it is applied
 * (Project.verifyFixes) and stays a suggestion.
 */
function assertNoNewFindings(run: FixRun, what: string): void {
  const fixing = new Set(run.applied.map((e) => e.ruleId));
  const grew = [...run.after]
    .filter(([id, n]) => n > (run.before.get(id) ?? 0))
    .map(([id, n]) => `${id}: ${run.before.get(id) ?? 0} → ${n} (fixes applied by ${[...fixing].join(', ')})`);
  assert.deepEqual(grew, [], `${what}: fixing made new findings`);
}

function decoratePages(files: Files, d: Decoration): Files {
  const out: Files = {};
  for (const [p, c] of Object.entries(files)) out[p] = isPage(p) ? decorate(asText(c), d) : c;
  return out;
}

test('generated pages (LF or CRLF, with or without BOM): --fix settles, edits are minimal and lose nothing, a second --fix changes nothing', async () => {
  let edits = 0;
  const byRule = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(lfMarkdown, lfMarkdown, decoration, async (a, b, d) => {
      const files = richSite({ 'page.md': decorate(a, d), 'articles/other.md': decorate(b, d) });
      const run = await fixLoop(files);
      edits += run.applied.length;
      for (const e of run.applied) byRule.set(e.ruleId, (byRule.get(e.ruleId) ?? 0) + 1);
      assertSettled(run, 'generated');
      assertNoNewFindings(run, 'generated');
      await assertIdempotent(run, 'generated');
    }),
    params(10, runs),
  );
  assert.ok(edits > runs, `the generator must make fixable pages (${edits} edits over ${runs} cases)`);
  console.log(
    `# generated sites: ${runs} cases, ${edits} edits applied (${[...byRule].map(([id, n]) => `${id} ${n}`).join(', ')})`,
  );
  // Every fixable rule the generator aims at must have fixed something, or the property proves little.
  for (const id of [
    'encoding-mojibake',
    'term-avoid',
    'term-case',
    'link-site-absolute',
    'proposal-external-copy',
    'gitbook-block-invalid',
    'term-first-use-unlinked',
  ]) {
    assert.ok(byRule.has(id), `no ${id} fix was exercised`);
  }
});

test('fixing does not depend on line endings or the BOM: fix(CRLF+BOM(x)) = CRLF+BOM(fix(x))', async () => {
  await fc.assert(
    fc.asyncProperty(
      lfMarkdown,
      fc.constantFrom<Decoration>({ crlf: true, bom: false }, { crlf: false, bom: true }, { crlf: true, bom: true }),
      async (a, d) => {
        const plain = await fixLoop(richSite({ 'page.md': a }));
        const decorated = await fixLoop(richSite({ 'page.md': decorate(a, d) }));
        assert.equal(asText(decorated.files['page.md']!), decorate(asText(plain.files['page.md']!), d));
      },
    ),
    params(11, runs / 2),
  );
});

const fixtures = fixtureSites();

test("every rule's fixture site, all rules on: --fix settles, loses nothing, is idempotent, and is blind to CRLF and BOM", async () => {
  assert.ok(fixtures.length >= 20, `found ${fixtures.length} fixture sites`);
  let edits = 0;
  for (const [id, files] of fixtures) {
    const what = `fixtures of ${id}`;
    const run = await fixLoop(files);
    edits += run.applied.length;
    assertSettled(run, what);
    assertNoNewFindings(run, what);
    await assertIdempotent(run, what);
    const d = { crlf: true, bom: true };
    const decorated = await fixLoop(decoratePages(files, d));
    assertSettled(decorated, `${what} (CRLF, BOM)`);
    const want = pageTexts(run.files);
    const got = pageTexts(decorated.files);
    for (const p of Object.keys(want))
      assert.equal(got[p], decorate(want[p]!, d), `${what}: ${p} fixed differently with CRLF and a BOM`);
  }
  assert.ok(edits > 0);
  console.log(`# fixture sites: ${fixtures.length}, ${edits} edits applied`);
});

test('through the CLI: `msol check --fix` on generated sites writes what the engine computes, and a second run changes nothing', async () => {
  ensureBuilt();
  const cases = fc.sample(fc.tuple(lfMarkdown, lfMarkdown, decoration), { seed: seed + 12, numRuns: cliCases });
  let fixed = 0;
  for (const [a, b, d] of cases) {
    const files = richSite({ 'page.md': decorate(a, d), 'articles/other.md': decorate(b, d) });
    const dir = writeFiles(tempDir(), files);
    const first = msol(['check', '--fix', '--format', 'json'], { cwd: dir });
    assert.ok(first.code === 0 || first.code === 1, `exit ${first.code}: ${first.stderr}`);
    assert.doesNotMatch(first.stderr, /internal error|did not settle/);
    const want = await fixLoop(files);
    const onDisk = readTree(dir);
    for (const p of Object.keys(files)) {
      const expected = want.files[p]!;
      const same =
        Buffer.compare(
          Buffer.from(onDisk[p]!),
          Buffer.from(typeof expected === 'string' ? new TextEncoder().encode(expected) : expected),
        ) === 0;
      if (!same) assert.equal(asText(onDisk[p]!), asText(expected), `${p} on disk differs from the engine's fix`);
    }
    if (want.applied.length) fixed++;
    const second = msol(['check', '--fix', '--format', 'json'], { cwd: dir });
    assert.match(second.stderr, /no fixes applied/);
    assert.deepEqual(readTree(dir), onDisk, 'a second --fix wrote to the site');
    assert.deepEqual(JSON.parse(second.stdout), JSON.parse(first.stdout), 'the second report equals the first');
  }
  assert.ok(fixed > 0, 'at least one CLI case had something to fix');
  cleanup();
});

test("what the widened mutation runs found stays fixed: no safe fix across a code block, a line break, or dropping GitBook's `\\_`", async () => {
  const base = {
    'README.md': '# Home\n',
    'SUMMARY.md': '# S\n\n* [Home](README.md)\n* [P](articles/page.md)\n',
    '.gitbook/assets/x.png': new Uint8Array([1]),
    '.gitbook/assets/burning-of-a-heretic-_sassetta-melburn_museum.jpg': new Uint8Array([1]),
  };
  const pages: Record<string, string> = {
    // An "<img src=…>" that runs over a fenced code block and a comment is no tag to Markdown: its src is page text.
    'a tag across code':
      '# P\n\n<img src="../.gsal for a cafe.\n```\n\n    code\n\n<!-- c -->\nitbook/assets/x.png" width="300">\n',
    // A src with a line break in it: the fix would delete the line break and what precedes it; it is only offered.
    'a URL across a line break': '# P\n\n<img src="../.gartlett.\nitbook/assets/x.png" alt="x">\n',
    // A renamed file written fresh keeps the author's `\_` escapes (GitBook writes them).
    'a similar name, escaped':
      '# P\n\n![i](../.gitbook/assets/.urning-of-a-heretic-\\_sassetta-melburn\\_museum.jpg)\n',
    'another extension, escaped':
      '# P\n\n![i](../.gitbook/assets/burning-of-a-heretic-\\_sassetta-melburn\\_museum.jpeg)\n',
  };
  for (const [what, page] of Object.entries(pages)) {
    const run = await fixLoop({ ...base, 'articles/page.md': page });
    assertSettled(run, what);
    await assertIdempotent(run, what);
  }
  // A picture is followed by its content, which needs history: here the new name is offered, escapes and all, not applied.
  const { project } = await checkFiles({ ...base, 'articles/page.md': pages['a similar name, escaped']! });
  const [offered] = project.check('articles/page.md').filter((f) => f.ruleId === 'link-missing-file');
  assert.equal(offered?.fix, undefined);
  assert.equal(
    offered?.suggestions?.[0]?.edits[0]?.newText,
    '../.gitbook/assets/burning-of-a-heretic-\\_sassetta-melburn\\_museum.jpg',
    'the candidate keeps the escapes',
  );
});
