import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Project } from '../../../server/src/engine/project';
import { MemoryFileSystem } from '../../../server/src/engine/memoryFileSystem';
import { applyEdits } from '../../../server/src/engine/fix';
import type { Finding } from '../../../server/src/engine/types';

/**
 * No crash, ranges inside the document, fixes that converge. Seeded and
 * bounded: a failure prints its seed and path, and `FUZZ_SEED=… FUZZ_RUNS=…`
 * replays or widens a run.
 */
const seed = Number(process.env['FUZZ_SEED'] ?? 20261126);
const numRuns = Number(process.env['FUZZ_RUNS'] ?? 150);

/** Markdown built from the constructs that stress this engine: GitBook tags, HTML, links, nesting, mojibake. */
const fragment = fc.oneof(
  fc.constantFrom(
    '# Heading', '## Part 1. Collapse', '#### 3: the Crew', '\n', '\r\n', '\n\n', '> ', '> > > ', '* ', '  * ', '1. ', '    ',
    '```\n', '`', '~~~', '**', '_', '[', ']', '(', ')', '![', '](', '<', '>', '"', '\\', '\\_', '\\#', '&#x20;', '&amp;',
    '{% hint style="info" %}', '{% endhint %}', '{% hint style="tip" %}', '{% tabs %}', '{% tab title="A" %}', '{% endtab %}', '{% endtabs %}',
    '{% embed url="https://example.org" %}', '{% embed %}', '{% content-ref url="page.md" %}', '{% endcontent-ref %}', '{% file src=".gitbook/assets/x.png" %}', '{%', '%}',
    '<figure><img src="../.gitbook/assets/image (1).png" alt=""><figcaption><p>Photo by X on Unsplash</p></figcaption></figure>', '<img src="x.png">', '<!-- msol-disable -->', '<!-- msol-enable -->', '<!--',
    '[link](page.md)', '[link](missing.md)', '[a](page.md#nope)', '[a](#heading)', '[x](../../../etc/passwd)', '[x](<a b.md>)', '[r][ref]', '[ref]: page.md', '![i](.gitbook/assets/image%20(1).png)',
    'https://www.microsolidarity.cc/articles/proposal', '[p](https://www.microsolidarity.cc/articles/proposal)', 'the proposal', 'a congregation of crews', 'Crew', 'crewing',
    'â€”', 'â€™', 'Ã©', 'Â', '\u0000', '\uFEFF', '\uD800', '😅', '| a | b |\n| --- | --- |\n| c | d |', '---\ndescription: x\n---\n', 'word ', 'Microsolidarity ',
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
  'README.md': '# Home\n\n## Definition of terms\n\n**Microsolidarity** is a set of practices.\n\nMost of this happens in a **Crew**: a small group.\n',
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
      assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= length, `span inside ${path}: ${JSON.stringify(f.span)} of ${length} (${f.ruleId})`);
      assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0, `range non-negative (${f.ruleId})`);
      assert.ok(f.message.length > 0);
      for (const e of f.fix?.edits ?? []) assert.ok(e.start >= 0 && e.start <= e.end && e.end <= length, `fix inside ${path} (${f.ruleId})`);
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
      assert.deepEqual(leftover.map((f) => f.ruleId), [], 'fixes converge within six rounds');
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
        if (sorted.every((e, i) => i === 0 || e.start >= sorted[i - 1]!.end)) assert.ok(out.endsWith(text.slice(last.end)), 'suffix kept');
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
