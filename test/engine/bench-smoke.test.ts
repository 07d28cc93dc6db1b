/**
 * A smoke run of the benchmark's generator and harness on a tiny site: the
 * benchmark itself (`npm run bench`) is never a timed test; this only checks
 * that it still runs and prints every row and target.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureBuilt } from './cli/cliHarness';

type Bench = typeof import('../../scripts/bench/run.mjs');
type Generator = typeof import('../../scripts/bench/generate-site.mjs');
type RealSite = typeof import('../../scripts/bench/real-site.mjs');
let bench: Bench;
let gen: Generator;
let real: RealSite;
let tmp: string;

before(async () => {
  ensureBuilt();
  bench = await import('../../scripts/bench/run.mjs');
  gen = await import('../../scripts/bench/generate-site.mjs');
  real = await import('../../scripts/bench/real-site.mjs');
  tmp = mkdtempSync(join(tmpdir(), 'msol-bench-smoke-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

describe('bench: the site generator', () => {
  test('writes exactly --pages Markdown files in the handbook shape, the same bytes for the same seed', () => {
    const a = gen.generateSite({ pages: 20, out: join(tmp, 'a'), seed: 3 });
    const b = gen.generateSite({ pages: 20, out: join(tmp, 'b'), seed: 3 });
    const c = gen.generateSite({ pages: 20, out: join(tmp, 'c'), seed: 4 });
    assert.equal(a.pages, 20);
    const fa = files(join(tmp, 'a'));
    assert.equal([...fa.keys()].filter((p) => p.endsWith('.md')).length, 20);
    for (const p of ['README.md', 'SUMMARY.md', 'GLOSSARY.md', 'articles/proposal.md', 'articles/field-notes.md'])
      assert.ok(fa.has(p), p);
    assert.ok([...fa.keys()].some((p) => p.startsWith('.gitbook/assets/')));
    assert.ok(fa.get('articles/field-notes.md')!.length >= 50000, 'a 50 KB page for the editor benchmark');
    assert.match(fa.get('README.md')!, /## Definition of terms[^]*\*\*Crew\*\*/);
    assert.match([...fa.values()].join('\n'), /\{% hint style=/);
    assert.deepEqual(files(join(tmp, 'b')), fa);
    assert.notDeepEqual(files(join(tmp, 'c')), fa);
    assert.equal(b.bytes, a.bytes);
    assert.ok(c.bytes > 0);
  });

  test("the real-content site's table of contents lists every page of every copy, each copy's own entries nested as they were", () => {
    const summary = real.topSummary(
      '# Table of contents\n\n* [Home](README.md)\n* [Essays](essays/README.md)\n  * [One](essays/one.md)\n* [Elsewhere](https://example.org/)\n',
      ['README.md', 'SUMMARY.md', 'essays/README.md', 'essays/one.md', 'print export/two.md'],
      2,
    );
    assert.equal(
      summary,
      [
        '# Table of contents',
        '',
        '* [Part 1](part-1/README.md)',
        '  * [Home](part-1/README.md)',
        '  * [Essays](part-1/essays/README.md)',
        '    * [One](part-1/essays/one.md)',
        '  * [Elsewhere](https://example.org/)',
        '  * [print export/two](part-1/print%20export/two.md)',
        '* [Part 2](part-2/README.md)',
        '  * [Home](part-2/README.md)',
        '  * [Essays](part-2/essays/README.md)',
        '    * [One](part-2/essays/one.md)',
        '  * [Elsewhere](https://example.org/)',
        '  * [print export/two](part-2/print%20export/two.md)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(real.buildRealSite({ bundle: join(tmp, 'absent.bundle'), out: join(tmp, 'real') }), {
      skipped: `the corpus bundle is absent (${join(tmp, 'absent.bundle')}); the real-content site is skipped`,
    });
  });

  test('refuses a page count too small for the shape', () => {
    assert.throws(() => gen.generateSite({ pages: 3, out: join(tmp, 'small'), write: false }), /at least 16/);
  });
});

describe('bench: the harness, quick mode (no peers, one run)', () => {
  test('runs msol cold and warm on a tiny site and prints every row and every target', async () => {
    const r = await bench.runBenchmark({
      pages: 20,
      runs: 1,
      growth: [20, 24],
      peers: false,
      realSite: { bundle: join(tmp, 'no-such-corpus.bundle') },
      base: join(tmp, 'bench'),
    });
    assert.deepEqual(
      r.rows.map((x) => x.tool),
      ['msol cold', 'msol warm'],
    );
    for (const row of r.rows) {
      assert.equal(row.runs, 1);
      assert.ok(row.wall > 0 && row.rssMb > 0, `${row.tool} was measured`);
    }
    for (const t of bench.targets) assert.ok(r.table.includes(t.what), t.what);
    assert.match(r.table, /\| msol cold \| [\d.]+ \| \d+ \|/);
    assert.match(r.table, /peak RSS of the cold check at 20 pages/);
    assert.deepEqual(
      r.growth.map((g) => g.pages),
      [20, 24],
    );
    assert.match(r.table, /Machine: \d+ cores/);
    // Without the corpus the real-content site is left out, and the table says why.
    assert.match(r.table, /\*\*Real-content site\*\*: skipped: the corpus bundle is absent/);
  });

  test("the language server's rows: initialize → complete workspace/diagnostic, with the CLI's cache and without", async () => {
    const site = join(tmp, 'lsp-site');
    gen.generateSite({ pages: 20, out: site, seed: 2 });
    const work = join(tmp, 'lsp-work');
    mkdirSync(work, { recursive: true });
    const rows = await bench.compare({
      site,
      work,
      runs: 1,
      peers: false,
      lsp: true,
      msol: bench.snapshotCli(join(tmp, 'lsp-bench')),
    });
    assert.deepEqual(
      rows.map((x) => x.tool),
      ['msol cold', 'msol warm', 'msol LSP, with the CLI cache', 'msol LSP, no cache'],
    );
    for (const row of rows) assert.ok(row.wall > 0 && row.rssMb > 0, `${row.tool} was measured`);
    // The run with the cache had one to read: msol check wrote it into that cache folder first.
    assert.ok(readdirSync(join(work, 'xdg-lsp-cache', 'msol')).length >= 2, 'the key and the site folder');
  });

  test('verdicts: ratios against each target, met or not, n/a without the peer', () => {
    const rows = [
      { tool: 'msol cold', runs: 1, wall: 3, rssMb: 300, maxRssMb: 300, walls: [3] },
      { tool: 'msol warm', runs: 1, wall: 0.6, rssMb: 100, maxRssMb: 100, walls: [0.6] },
      { tool: 'markdownlint-cli2', runs: 1, wall: 10, rssMb: 200, maxRssMb: 200, walls: [10] },
    ];
    const v = new Map(bench.verdicts(rows, { pages: 2240 }).map((c) => [c.id, c]));
    assert.equal(v.get('cold-vs-markdownlint')!.met, true);
    assert.equal(v.get('warm-vs-markdownlint')!.met, false);
    assert.equal(v.get('cold-vs-parse-floor')!.met, undefined);
    assert.equal(v.get('cold-rss')!.met, true);
    assert.deepEqual(v.get('cold-vs-markdownlint')!.rounds, [0.3]);
    assert.deepEqual(v.get('cold-vs-parse-floor')!.rounds, []);
    assert.equal(bench.median([5, 1, 3]), 3);
    assert.equal(bench.median([4, 1, 3, 2]), 2.5);
  });
});
