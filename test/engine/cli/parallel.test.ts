/**
 * `msol check`'s bulk phase one (worker threads and the persistent cache)
 * must find exactly what the single-threaded Project finds, and the cache
 * must notice every change that matters: the page, the glossary or license
 * page, the config.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project, type Finding } from '../../../server/src/engine/index';
import { NodeFileSystem } from '../../../server/src/node/nodeFileSystem';
import { BulkPhaseOne } from '../../../server/src/node/bulk';
import { PhaseOneCache, defaultCacheLocation } from '../../../server/src/node/cache';
import { bin, ensureBuilt, repoRoot } from './cliHarness';
import { generateSite } from '../../../scripts/bench/generate-site.mjs';

const workerPath = join(repoRoot, 'server', 'out', 'worker.js');
let tmp: string;

before(() => {
  ensureBuilt();
  assert.ok(existsSync(workerPath), 'server/out/worker.js is built with the CLI');
  tmp = mkdtempSync(join(tmpdir(), 'msol-parallel-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function site(name: string, pages = 40): string {
  const out = join(tmp, name);
  generateSite({ pages, out, seed: 7 });
  return out;
}

type Result = { findings: Map<string, Finding[]>; stats: BulkPhaseOne['stats'] | undefined };

async function singleThreaded(root: string): Promise<Map<string, Finding[]>> {
  const project = new Project({ fs: new NodeFileSystem(root) });
  await project.initialize();
  return project.checkAll();
}

const testKey = Buffer.alloc(32, 7);

async function bulk(root: string, options: { workers: number; cacheDir?: string; key?: Buffer }): Promise<Result> {
  const fs = new NodeFileSystem(root);
  const project = new Project({ fs });
  const cache = options.cacheDir ? new PhaseOneCache(options.cacheDir, root, { log() {} }, options.key ?? testKey) : undefined;
  if (cache) await cache.load();
  const host = new BulkPhaseOne(fs, { workers: options.workers, workerPath, version: 'test', logger: { log() {} }, minWorkerBytes: 0, ...(cache ? { cache } : {}) });
  try {
    await project.initialize(undefined, undefined, host);
  } finally {
    await host.close();
  }
  const findings = project.checkAll();
  await host.store(project);
  return { findings, stats: host.stats };
}

const plain = (m: Map<string, Finding[]>) => JSON.parse(JSON.stringify([...m])) as unknown;
const count = (m: Map<string, Finding[]>, ruleId: string) => [...m.values()].flat().filter((f) => f.ruleId === ruleId).length;

describe('bulk phase one: worker threads', () => {
  test('two workers find exactly what the single-threaded Project finds, on a generated site', async () => {
    const root = site('same', 60);
    const expected = await singleThreaded(root);
    assert.ok([...expected.values()].flat().length > 10, 'the generated site has findings to compare');
    const r = await bulk(root, { workers: 2 });
    assert.ok(r.stats!.analysedInWorkers > 40, `pages went to the workers (${JSON.stringify(r.stats)})`);
    assert.deepEqual(plain(r.findings), plain(expected));
  });

  test('with no worker thread at all, the main thread analyses every page, same findings', async () => {
    const root = site('main-only', 30);
    const expected = await singleThreaded(root);
    const r = await bulk(root, { workers: 0 });
    assert.equal(r.stats!.analysedInWorkers, 0);
    assert.deepEqual(plain(r.findings), plain(expected));
  });

  test('a worker that cannot start hands its pages back to the main thread', async () => {
    const root = site('dead-worker', 20);
    const expected = await singleThreaded(root);
    const fs = new NodeFileSystem(root);
    const project = new Project({ fs });
    const bad = join(tmp, 'broken-worker.js');
    writeFileSync(bad, 'throw new Error("broken worker");\n');
    const host = new BulkPhaseOne(fs, { workers: 2, workerPath: bad, version: 'test', logger: { log() {} }, minWorkerBytes: 0 });
    try {
      await project.initialize(undefined, undefined, host);
    } finally {
      await host.close();
    }
    assert.equal(host.stats.analysedInWorkers, 0);
    assert.ok(host.stats.analysedInMain >= 19);
    assert.deepEqual(plain(project.checkAll()), plain(expected));
  });
});

describe('bulk phase one: the persistent cache', () => {
  test('a second run reuses every page and finds the same', async () => {
    const root = site('warm', 40);
    const cacheDir = join(tmp, 'cache-warm');
    const cold = await bulk(root, { workers: 2, cacheDir });
    assert.equal(cold.stats!.cacheHits, 0);
    const warm = await bulk(root, { workers: 2, cacheDir });
    assert.equal(warm.stats!.cacheHits, 40);
    assert.equal(warm.stats!.analysedInMain + warm.stats!.analysedInWorkers, 0);
    assert.deepEqual(plain(warm.findings), plain(cold.findings));
  });

  test('entries of pages that are no knowledge source are stored lean (no paragraph texts, no bold phrases), and ASCII; the warm run still reports their term-undefined', async () => {
    const root = site('lean', 40);
    const page = 'articles/field-notes.md';
    writeFileSync(join(root, page), readFileSync(join(root, page), 'utf8') + '\nA **Wobblecrew** is a crew that wobbles, café style.\n');
    const cacheDir = join(tmp, 'cache-lean');
    const cold = await bulk(root, { workers: 0, cacheDir });
    assert.ok(cold.findings.get(page)?.some((f) => f.ruleId === 'term-undefined' && f.message.includes('Wobblecrew')));
    const folder = join(cacheDir, readdirSync(cacheDir)[0]!);
    const entries: Record<string, { o: { facts?: { blocks?: unknown; bold: unknown[] } } }> = {};
    for (const n of readdirSync(folder)) {
      const bytes = readFileSync(join(folder, n));
      assert.ok(bytes.every((b) => b < 0x80), `${n} is ASCII`);
      Object.assign(entries, JSON.parse(bytes.toString('latin1').slice(bytes.indexOf(10) + 1)).entries);
    }
    assert.equal(entries[page]!.o.facts!.blocks, undefined);
    assert.deepEqual(entries[page]!.o.facts!.bold, []);
    // README.md defines the terms: a source, stored in full.
    assert.ok(Array.isArray(entries['README.md']!.o.facts!.blocks) && entries['README.md']!.o.facts!.bold.length > 0);
    const warm = await bulk(root, { workers: 0, cacheDir });
    assert.equal(warm.stats!.cacheHits, 40);
    assert.deepEqual(plain(warm.findings), plain(cold.findings));
  });

  test('a changed page is analysed again and its findings change; the others come from the cache', async () => {
    const root = site('one-page', 40);
    const cacheDir = join(tmp, 'cache-one');
    await bulk(root, { workers: 0, cacheDir });
    const page = 'articles/field-notes.md';
    writeFileSync(join(root, page), readFileSync(join(root, page), 'utf8') + '\nSee [gone](no-such-page.md).\n');
    const warm = await bulk(root, { workers: 0, cacheDir });
    assert.equal(warm.stats!.cacheHits, 39);
    assert.ok(warm.findings.get(page)?.some((f) => f.ruleId === 'link-missing-file' && f.message.includes('no-such-page.md')));
    assert.deepEqual(plain(warm.findings), plain(await singleThreaded(root)));
  });

  test("a new term in README.md's glossary re-checks the pages that use it", async () => {
    const root = site('glossary', 40);
    const cacheDir = join(tmp, 'cache-glossary');
    const before = await bulk(root, { workers: 0, cacheDir });
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    // "Circle" is a common word of the generated prose, in lower case: now a term written with a capital.
    writeFileSync(join(root, 'README.md'), readme.replace('## About this site', 'A **Circle** is a gathering of peers.\n\n## About this site'));
    const after = await bulk(root, { workers: 0, cacheDir });
    assert.ok(after.stats!.cacheHits < 5, `pages were re-analysed with the new glossary (${JSON.stringify(after.stats)})`);
    assert.ok(count(after.findings, 'term-case') > count(before.findings, 'term-case'), 'lower-case uses of the new term are reported');
    assert.deepEqual(plain(after.findings), plain(await singleThreaded(root)));
  });

  test('a different license on README.md: the findings follow it (attribution is checked in phase two, never cached)', async () => {
    const root = site('license', 30);
    const cacheDir = join(tmp, 'cache-license');
    const before = await bulk(root, { workers: 0, cacheDir });
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    writeFileSync(join(root, 'README.md'), readme.replace('[CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/)', '[CC-BY](https://creativecommons.org/licenses/by/4.0/)'));
    const after = await bulk(root, { workers: 0, cacheDir });
    assert.notDeepEqual(plain(after.findings), plain(before.findings), 'the new license changes what is reported');
    assert.deepEqual(plain(after.findings), plain(await singleThreaded(root)));
  });

  test('any edit to a knowledge source page (README.md) re-analyses every page: document rules may read more of it than the knowledge', async () => {
    const root = site('readme-prose', 30);
    const cacheDir = join(tmp, 'cache-readme-prose');
    await bulk(root, { workers: 0, cacheDir });
    writeFileSync(join(root, 'README.md'), readFileSync(join(root, 'README.md'), 'utf8') + '\nOne more sentence of prose.\n');
    const after = await bulk(root, { workers: 0, cacheDir });
    assert.equal(after.stats!.cacheHits, 0);
    assert.deepEqual(plain(after.findings), plain(await singleThreaded(root)));
  });

  test('a changed config re-analyses every page', async () => {
    const root = site('config', 30);
    const cacheDir = join(tmp, 'cache-config');
    const before = await bulk(root, { workers: 0, cacheDir });
    assert.ok(count(before.findings, 'term-case') > 0);
    writeFileSync(join(root, '.msolrc.json'), JSON.stringify({ rules: { 'term-case': 'off' } }));
    const after = await bulk(root, { workers: 0, cacheDir });
    assert.equal(after.stats!.cacheHits, 0);
    assert.equal(count(after.findings, 'term-case'), 0);
    assert.deepEqual(plain(after.findings), plain(await singleThreaded(root)));
  });

  test('a corrupt cache shard is ignored, never trusted', async () => {
    const root = site('corrupt', 20);
    const cacheDir = join(tmp, 'cache-corrupt');
    const cold = await bulk(root, { workers: 0, cacheDir });
    const folder = new PhaseOneCache(cacheDir, root, { log() {} }, testKey).folder;
    for (const f of readdirSync(folder)) writeFileSync(join(folder, f), '{"format":1,"entries":{"README.md":{"h":1}} garbage');
    const again = await bulk(root, { workers: 0, cacheDir });
    assert.equal(again.stats!.cacheHits, 0);
    assert.deepEqual(plain(again.findings), plain(cold.findings));
  });

  test('a cache signed with another key (committed to a repository) or edited by hand is ignored: it cannot hide findings', async () => {
    const root = site('poisoned', 40);
    const cacheDir = join(tmp, 'cache-poisoned');
    const cold = await bulk(root, { workers: 0, cacheDir });
    assert.equal((await bulk(root, { workers: 0, cacheDir })).stats!.cacheHits, 40, 'the right key reads it');
    assert.equal((await bulk(root, { workers: 0, cacheDir, key: Buffer.alloc(32, 9) })).stats!.cacheHits, 0, 'another key does not');
    // Rewrite stored findings (as a crafted cache would), keeping the old signature line.
    await bulk(root, { workers: 0, cacheDir });
    const folder = new PhaseOneCache(cacheDir, root, { log() {} }, testKey).folder;
    let edited = 0;
    for (const f of readdirSync(folder)) {
      const text = readFileSync(join(folder, f), 'utf8');
      const hidden = text.replace(/"message":"Unexpected/g, '"message":"Tampered');
      if (hidden !== text) edited++;
      writeFileSync(join(folder, f), hidden);
    }
    assert.ok(edited > 0, 'some stored findings were rewritten');
    const again = await bulk(root, { workers: 0, cacheDir });
    assert.ok(again.stats!.cacheHits < 40, 'the edited shards were not read');
    assert.deepEqual(plain(again.findings), plain(cold.findings));
  });

  test('the cache is read whichever shards the pages fall in', async () => {
    const root = site('shards', 16);
    const cacheDir = join(tmp, 'cache-shards');
    await bulk(root, { workers: 0, cacheDir });
    const folder = new PhaseOneCache(cacheDir, root, { log() {} }, testKey).folder;
    rmSync(join(folder, 'shard-0.json'), { force: true });
    const cache = new PhaseOneCache(cacheDir, root, { log() {} }, testKey);
    assert.ok(cache.exists());
    const again = await bulk(root, { workers: 0, cacheDir });
    assert.ok(again.stats!.cacheHits > 0);
  });
});

/** A heading of a generated page that some other page links to by its anchor. */
function linkedHeading(root: string): { target: string; heading: string } {
  const slug = (h: string) => h.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
  const pages: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(join(root, d))) {
      const p = d ? `${d}/${n}` : n;
      if (statSync(join(root, p)).isDirectory()) {
        if (!n.startsWith('.')) walk(p);
      } else if (/page-\d+\.md$/.test(n)) pages.push(p);
    }
  };
  walk('');
  for (const from of pages.sort()) {
    for (const m of readFileSync(join(root, from), 'utf8').matchAll(/\]\(((?:\.\.\/)+[^)#\s]+page-\d+\.md)#([a-z0-9-]+)\)/g)) {
      const target = join(from, '..', m[1]!).replace(/\\/g, '/');
      if (target === from) continue;
      const heading = readFileSync(join(root, target), 'utf8').split('\n').find((l) => /^#{2,3} /.test(l) && slug(l.replace(/^#+ /, '')) === m[2]);
      if (heading) return { target, heading };
    }
  }
  throw new Error('the generated site has no link to another page\'s heading');
}

describe('msol check --cache, --no-cache, --cache-location', () => {
  const run = (cwd: string, args: string[], xdg = join(tmp, 'xdg')) =>
    spawnSync(process.execPath, [bin, 'check', ...args, '--format', 'json'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: xdg, MSOL_CACHE_KEY: '' } });

  test('--cache-location holds the cache; the warm run prints the same report', () => {
    const root = site('cli', 20);
    const location = join(tmp, 'cli-cache');
    const cold = run(root, ['--cache-location', location]);
    assert.ok(existsSync(location) && readdirSync(location).length === 1, 'one folder per site');
    const warm = run(root, ['--cache-location', location, '-v']);
    assert.equal(warm.stdout, cold.stdout);
    assert.equal(warm.status, cold.status);
    assert.match(warm.stderr, /cacheHits: 20/);
  });

  test('phase two from the cache: a prose edit re-checks that page only; a renamed heading, a new page or a SUMMARY.md edit re-checks every page; always the report of --no-cache', () => {
    const root = site('cli-phase-two', 30);
    const location = join(tmp, 'cli-phase-two-cache');
    const hits = (stderr: string) => Number(/checked pages \(pages: \d+, workspaceHits: (\d+)/.exec(stderr)?.[1] ?? NaN);
    const same = (label: string) => {
      const warm = run(root, ['--cache-location', location, '-v']);
      const fresh = run(root, ['--no-cache']);
      assert.equal(warm.stdout, fresh.stdout, label);
      assert.equal(warm.status, fresh.status, label);
      return hits(warm.stderr);
    };
    run(root, ['--cache-location', location]);
    const notes = join(root, 'articles', 'field-notes.md');
    writeFileSync(notes, readFileSync(notes, 'utf8') + '\nA sentence more, and [a broken link](nowhere.md).\n');
    assert.equal(same('prose edit'), 29);
    // A heading of an ordinary page (not a knowledge source) that another page links to: that page's link-missing-heading changes.
    const { target, heading } = linkedHeading(root);
    writeFileSync(join(root, target), readFileSync(join(root, target), 'utf8').replace(heading, '## A renamed heading'));
    assert.equal(same('heading renamed'), 0);
    assert.match(run(root, ['--cache-location', location]).stdout, /link-missing-heading/);
    assert.equal(same('nothing changed'), 30);
    writeFileSync(join(root, 'articles', 'new-page.md'), '# New page\n\nSee [the field notes](field-notes.md#notes-0).\n');
    assert.equal(same('new page'), 0);
    const summary = join(root, 'SUMMARY.md');
    writeFileSync(summary, readFileSync(summary, 'utf8').replace('* [Field notes](articles/field-notes.md)\n', ''));
    assert.equal(same('SUMMARY.md edit'), 0);
    assert.match(run(root, ['--cache-location', location]).stdout, /field-notes\.md[^]*summary-orphan-page/);
  });

  test('--no-cache writes nothing, and the default location is outside the site when it has no node_modules', () => {
    const root = site('cli-none', 20);
    const xdg = join(tmp, 'xdg-none');
    const r = run(root, ['--no-cache'], xdg);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.ok(!existsSync(join(xdg, 'msol')));
    const entries = () => readdirSync(root).sort();
    const before = entries();
    run(root, [], xdg);
    assert.deepEqual(entries(), before, 'nothing written into the site');
    assert.ok(readdirSync(join(xdg, 'msol')).some((n) => statSync(join(xdg, 'msol', n)).isDirectory()), 'the user cache folder holds it');
    assert.equal(statSync(join(xdg, 'msol', 'key')).mode & 0o077, 0, 'the signing key is private');
  });

  test('the default location is node_modules/.cache/msol at or above the site when there is one, else the user cache folder', () => {
    const root = site('with-nm', 16);
    const xdg = join(tmp, 'xdg-default');
    assert.equal(defaultCacheLocation(root, root, { XDG_CACHE_HOME: xdg }), process.platform === 'linux' ? join(xdg, 'msol') : defaultCacheLocation(root, root, { XDG_CACHE_HOME: xdg }));
    mkdirSync(join(root, 'node_modules'));
    assert.equal(defaultCacheLocation(join(root, 'articles'), tmpdir(), {}), join(root, 'node_modules', '.cache', 'msol'));
  });

  test('--cache with --no-cache, or --cache-location with --no-cache, is a usage error', () => {
    const root = site('cli-usage', 16);
    assert.equal(run(root, ['--cache', '--no-cache']).status, 2);
    assert.equal(run(root, ['--no-cache', '--cache-location', 'x']).status, 2);
  });
});
