import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Project } from '../../../server/src/engine/project';
import { MemoryFileSystem } from '../../../server/src/engine/memoryFileSystem';
import { applyEdits } from '../../../server/src/engine/fix';
import type { Finding } from '../../../server/src/engine/types';
import { rules } from '../../../server/src/engine/rules/index';
import { defineRule, type RuleDefinition } from '../../../server/src/engine/rules/define';
import { asText, decorate, editProblems, fixLoop, fixtureSites, isPage, runs as numRuns, seed } from './support';

/**
 * No crash, ranges inside the document, fixes that converge. Seeded and
 * bounded: a failure prints its seed and path, and `FUZZ_SEED=… FUZZ_RUNS=…`
 * replays or widens a run.
 */

/** Markdown built from the constructs that stress this engine: GitBook tags, HTML, links, nesting, mojibake. */
const fragment = fc.oneof(
  fc.constantFrom(
    '# Heading',
    '## Part 1. Collapse',
    '#### 3: the Crew',
    '\n',
    '\r\n',
    '\n\n',
    '> ',
    '> > > ',
    '* ',
    '  * ',
    '1. ',
    '    ',
    '```\n',
    '`',
    '~~~',
    '**',
    '_',
    '[',
    ']',
    '(',
    ')',
    '![',
    '](',
    '<',
    '>',
    '"',
    '\\',
    '\\_',
    '\\#',
    '&#x20;',
    '&amp;',
    '{% hint style="info" %}',
    '{% endhint %}',
    '{% hint style="tip" %}',
    '{% tabs %}',
    '{% tab title="A" %}',
    '{% endtab %}',
    '{% endtabs %}',
    '{% embed url="https://example.org" %}',
    '{% embed %}',
    '{% content-ref url="page.md" %}',
    '{% endcontent-ref %}',
    '{% file src=".gitbook/assets/x.png" %}',
    '{%',
    '%}',
    '<figure><img src="../.gitbook/assets/image (1).png" alt=""><figcaption><p>Photo by X on Unsplash</p></figcaption></figure>',
    '<img src="x.png">',
    '<!-- msol-disable -->',
    '<!-- msol-enable -->',
    '<!--',
    '[link](page.md)',
    '[link](missing.md)',
    '[a](page.md#nope)',
    '[a](#heading)',
    '[x](../../../etc/passwd)',
    '[x](<a b.md>)',
    '[r][ref]',
    '[ref]: page.md',
    '![i](.gitbook/assets/image%20(1).png)',
    'https://www.microsolidarity.cc/articles/proposal',
    '[p](https://www.microsolidarity.cc/articles/proposal)',
    'the proposal',
    'a congregation of crews',
    'Crew',
    'crewing',
    'â€”',
    'â€™',
    'Ã©',
    'Â',
    '\u0000',
    '\uFEFF',
    '\uD800',
    '😅',
    '| a | b |\n| --- | --- |\n| c | d |',
    '---\ndescription: x\n---\n',
    'word ',
    'Microsolidarity ',
  ),
  fc.string({ maxLength: 12 }),
);
const markdown = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

async function check(files: Record<string, string | Uint8Array>): Promise<Map<string, Finding[]>> {
  const fs = new MemoryFileSystem(files);
  const project = new Project({ fs });
  await project.initialize();
  return project.checkAll();
}

const site = (page: string | Uint8Array) => ({
  'README.md':
    '# Home\n\n## Definition of terms\n\n**Microsolidarity** is a set of practices.\n\nMost of this happens in a **Crew**: a small group.\n',
  'SUMMARY.md': '# Table of contents\n\n* [Home](README.md)\n* [Page](page.md)\n',
  'articles/proposal.md': '# Proposal\n\n## Part 1. Collapse\n\ntext\n',
  '.gitbook/assets/image (1).png': new Uint8Array([0x89, 0x50]),
  'page.md': page,
});

function assertInside(findings: Map<string, Finding[]>, texts: Record<string, string | Uint8Array>) {
  for (const [path, list] of findings) {
    const raw = texts[path as keyof typeof texts];
    const length = typeof raw === 'string' ? raw.length : Infinity;
    for (const f of list) {
      assert.ok(
        f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= length,
        `span inside ${path}: ${JSON.stringify(f.span)} of ${length} (${f.ruleId})`,
      );
      assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0, `range non-negative (${f.ruleId})`);
      assert.ok(f.message.length > 0);
      for (const e of f.fix?.edits ?? [])
        assert.ok(e.start >= 0 && e.start <= e.end && e.end <= length, `fix inside ${path} (${f.ruleId})`);
    }
  }
}

test('generated Markdown never crashes the engine and findings stay inside the document', async () => {
  await fc.assert(
    fc.asyncProperty(markdown, async (page) => {
      const files = site(page);
      const findings = await check(files);
      assertInside(findings, files);
      assert.ok(![...findings.values()].flat().some((f) => f.ruleId === 'rule-crashed'), 'no rule crashed');
    }),
    { seed, numRuns, verbose: 1 },
  );
});

test('applying every safe fix converges: a second round has nothing left to fix and changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(markdown, async (page) => {
      let text = page;
      for (let round = 0; round < 6; round++) {
        const findings = (await check(site(text))).get('page.md') ?? [];
        const edits = findings.flatMap((f) => f.fix?.edits ?? []);
        if (edits.length === 0) return;
        const next = applyEdits(text, edits).text;
        if (next === text) return;
        text = next;
      }
      const leftover = ((await check(site(text))).get('page.md') ?? []).filter((f) => f.fix);
      assert.deepEqual(
        leftover.map((f) => f.ruleId),
        [],
        'fixes converge within six rounds',
      );
    }),
    { seed: seed + 1, numRuns: Math.ceil(numRuns / 2), verbose: 1 },
  );
});

test('random bytes, invalid UTF-8 and NUL give one file-unreadable finding or ordinary findings, never an exception', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      const findings = await check(site(bytes));
      const page = findings.get('page.md') ?? [];
      const unreadable = page.filter((f) => f.ruleId === 'file-unreadable');
      assert.ok(unreadable.length === 0 || page.length === 1, 'an unreadable page has exactly one finding');
    }),
    { seed: seed + 2, numRuns, verbose: 1 },
  );
});

test('applyEdits keeps every byte outside the edited spans', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 200 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ maxLength: 5 })), { maxLength: 6 }),
      (text, raw) => {
        const edits = raw.map(([s, len, newText]) => {
          const start = text.length ? s % (text.length + 1) : 0;
          return { start, end: Math.min(text.length, start + len), newText };
        });
        const { text: out } = applyEdits(text, edits);
        // Every applied edit is non-overlapping, so the untouched prefix before the first edit and the suffix after the last survive.
        const sorted = [...edits].sort((a, b) => a.start - b.start);
        if (sorted.length === 0) return assert.equal(out, text);
        assert.ok(out.startsWith(text.slice(0, sorted[0]!.start)), 'prefix kept');
        const last = sorted.reduce((a, b) => (b.end > a.end ? b : a));
        if (sorted.every((e, i) => i === 0 || e.start >= sorted[i - 1]!.end))
          assert.ok(out.endsWith(text.slice(last.end)), 'suffix kept');
      },
    ),
    { seed: seed + 3, numRuns: 500 },
  );
});

test('pathological shapes finish: deep nesting, a huge table, a 1 MB line, unclosed blocks', async () => {
  const deepList = Array.from({ length: 300 }, (_, i) => '  '.repeat(i) + '* item').join('\n');
  const deepQuote = '>'.repeat(500) + ' deep';
  const table = '| a | b |\n| --- | --- |\n' + '| x | [l](missing.md) |\n'.repeat(3000);
  const longLine = 'word '.repeat(200_000);
  const unclosed = '{% hint style="info" %}\n'.repeat(2000);
  for (const page of [deepList, deepQuote, table, longLine, unclosed]) {
    const files = site(page);
    const findings = await check(files);
    assertInside(findings, files);
  }
});

// ---- mutations of the rule fixtures ------------------------------------------------------------

const fixtureTexts = fixtureSites().flatMap(([id, files]) =>
  Object.entries(files)
    .filter(([p]) => isPage(p))
    .map(([p, c]) => ({ id, path: p, text: asText(c), files })),
);

/** One edit of a fixture page: insert a slice of another fixture, delete a range, or duplicate a slice. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    from: fc.nat(),
    start: fc.nat(),
    length: fc.nat(400),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat(200) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat(300), to: fc.nat() }),
);

function mutate(text: string, m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): string {
  const at = text.length ? m.at % (text.length + 1) : 0;
  switch (m.kind) {
    case 'insert': {
      const src = fixtureTexts[m.from % fixtureTexts.length]!.text;
      const start = src.length ? m.start % src.length : 0;
      return text.slice(0, at) + src.slice(start, start + m.length) + text.slice(at);
    }
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'duplicate': {
      const slice = text.slice(at, at + m.length);
      const to = text.length ? m.to % (text.length + 1) : 0;
      return text.slice(0, to) + slice + text.slice(to);
    }
  }
}

test('mutated fixture pages (slices inserted, deleted, duplicated): no crash, ranges inside, fixes settle', async () => {
  assert.ok(fixtureTexts.length > 40, `${fixtureTexts.length} fixture pages`);
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 8 }), async (which, mutations) => {
      const target = fixtureTexts[which % fixtureTexts.length]!;
      const text = mutations.reduce(mutate, target.text);
      const files = { ...target.files, [target.path]: text };
      const findings = await check(files);
      assertInside(findings, files);
      const crashed = [...findings.values()].flat().filter((f) => f.ruleId === 'rule-crashed');
      assert.deepEqual(
        crashed.map((f) => f.message),
        [],
        `no rule crashed on ${target.id}/${target.path}`,
      );
      const run = await fixLoop(files);
      assert.ok(run.settled, `fixes settle on mutated ${target.id}/${target.path}`);
      assert.deepEqual(run.applied.flatMap(editProblems), []);
    }),
    { seed: seed + 4, numRuns, verbose: 1, endOnFailure: true },
  );
});

// ---- shapes that stress parsers ---------------------------------------------------------------

const nested = fc.oneof(
  fc
    .nat(80)
    .map((n) =>
      Array.from({ length: n }, (_, i) => '  '.repeat(i) + (i % 2 ? '1. ' : '* ') + 'item [l](page.md)').join('\n'),
    ),
  fc.nat(120).map((n) => '> '.repeat(n) + 'quote {% hint style="info" %}'),
  fc.nat(60).map((n) => Array.from({ length: n }, (_, i) => '> '.repeat(i) + '* ').join('\n') + 'deep'),
  fc.nat(50).map((n) => '{% tabs %}\n{% tab title="t" %}\n'.repeat(n) + '{% endtab %}\n'.repeat(Math.floor(n / 2))),
  fc.nat(50).map((n) => '{% hint style="info" %}\n'.repeat(n) + '{% endhint %}\n'.repeat(n + 3)),
  fc.nat(40).map((n) => '<details><summary>s</summary>\n\n'.repeat(n) + '```\n{% hint %}\n'),
  fc.nat(30).map((n) => '['.repeat(n) + 'x' + ']'.repeat(n) + '('.repeat(n) + 'page.md' + ')'.repeat(n)),
  fc.nat(40).map((n) => '<!-- '.repeat(n) + 'msol-disable' + ' -->'.repeat(Math.floor(n / 2))),
);

test('deep nesting, unclosed and over-closed GitBook blocks, bracket storms: no crash, ranges inside', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(nested, { minLength: 1, maxLength: 3 }), fc.boolean(), async (parts, crlf) => {
      const page = decorate(parts.join('\n\n'), { crlf, bom: false });
      const files = site(page);
      const findings = await check(files);
      assertInside(findings, files);
      assert.ok(![...findings.values()].flat().some((f) => f.ruleId === 'rule-crashed'));
    }),
    { seed: seed + 5, numRuns: Math.ceil(numRuns / 3), verbose: 1, endOnFailure: true },
  );
});

test('a 10 MB single-line page is skipped with one file-unreadable finding, read from disk or opened in an editor', async () => {
  const huge = '# Big\n\n' + 'All work and no play makes a long line. '.repeat(262_144);
  assert.ok(huge.length > 10 * 1024 * 1024);
  const fs = new MemoryFileSystem(site(huge));
  const project = new Project({ fs });
  await project.initialize();
  const fromDisk = project.check('page.md');
  assert.deepEqual(
    fromDisk.map((f) => f.ruleId),
    ['file-unreadable'],
  );
  assert.match(fromDisk[0]!.message, /10\.0 MB.*maxFileSize/);
  // An editor may hold the same text: it must be skipped the same way, not parsed on every keystroke.
  const started = Date.now();
  project.openDocument('page.md', huge, 1);
  const open = project.check('page.md');
  assert.deepEqual(
    open.map((f) => f.ruleId),
    ['file-unreadable'],
  );
  assert.ok(Date.now() - started < 2000, `skipping took ${Date.now() - started} ms`);
  // Back under the limit, the page is checked again.
  project.openDocument('page.md', '# Big\n\n[x](missing.md)\n', 2);
  assert.deepEqual(
    project.check('page.md').map((f) => f.ruleId),
    ['link-missing-file'],
  );
});

// ---- a rule that throws ----------------------------------------------------------------------

test('a rule that throws becomes one rule-crashed finding per file; the other rules still run', async () => {
  const registry = rules as unknown as RuleDefinition<never>[];
  const throwing = (scope: 'document' | 'workspace') =>
    defineRule(
      {
        id: `test-throws-${scope}`,
        category: 'links',
        scope,
        defaultSeverity: 'warning',
        description: 'throws',
        fixable: false,
      },
      { defaults: {} },
      () => {
        throw new TypeError(`boom in ${scope}`);
      },
    ) as unknown as RuleDefinition<never>;
  registry.push(throwing('document'), throwing('workspace'));
  try {
    // A config object of its own: processors are cached per config, and the default config's were built without these rules.
    const files = { ...site('# Page\n\n[x](missing.md)\n'), '.msolrc.json': '{}' };
    const findings = await check(files);
    const page = findings.get('page.md') ?? [];
    const crashed = page.filter((f) => f.ruleId === 'rule-crashed');
    assert.equal(crashed.length, 2, 'one finding per crashing rule on the file');
    assert.match(crashed[0]!.message, /test-throws-(document|workspace).*boom/);
    assert.ok(crashed.every((f) => f.severity === 'error' && f.span.start === 0));
    assert.ok(
      page.some((f) => f.ruleId === 'link-missing-file'),
      'the other rules still ran',
    );
    for (const [path, list] of findings)
      if (path.endsWith('.md'))
        assert.equal(list.filter((f) => f.ruleId === 'rule-crashed').length, 2, `${path}: one per rule`);
  } finally {
    registry.splice(registry.length - 2, 2);
  }
});
