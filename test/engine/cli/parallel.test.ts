/**
 * `msol check`'s bulk phase one (worker threads and the persistent cache)
 * must find exactly what the single-threaded Project finds, and the cache
 * must notice every change that matters: the page, the glossary or license
 * page, the config.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project, type Finding } from '../../../server/src/engine/index';
import { NodeFileSystem } from '../../../server/src/node/nodeFileSystem';
import { BulkPhaseOne, warmUpPages } from '../../../server/src/node/bulk';
import { WorkerPool } from '../../../server/src/node/pool';
import { analyzeRead, type PhaseOneOutcome } from '../../../server/src/engine/phaseOne';
import { knowledgeKey } from '../../../server/src/engine/knowledge';
import { glossaryOf } from '../../../server/src/engine/glossary/index';
import { siteAttribution } from '../../../server/src/engine/attribution/site';
import { PhaseOneCache, defaultCacheLocation, type CacheSigning } from '../../../server/src/node/cache';
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

type Result = { findings: Map<string, Finding[]>; stats: BulkPhaseOne['stats'] | undefined; project: Project };

async function singleThreaded(root: string): Promise<Map<string, Finding[]>> {
  const project = new Project({ fs: new NodeFileSystem(root) });
  await project.initialize();
  return project.checkAll();
}

const testKey: CacheSigning = { key: Buffer.alloc(32, 7), secret: false };

async function bulk(
  root: string,
  options: { workers: number; cacheDir?: string; key?: CacheSigning; startThreadsEarly?: boolean },
): Promise<Result> {
  const fs = new NodeFileSystem(root);
  const project = new Project({ fs });
  const cache = options.cacheDir
    ? new PhaseOneCache(options.cacheDir, root, { log() {} }, options.key ?? testKey)
    : undefined;
  if (cache) await cache.load();
  const host = new BulkPhaseOne(fs, {
    workers: options.workers,
    workerPath,
    version: 'test',
    logger: { log() {} },
    minWorkerBytes: 0,
    ...(cache ? { cache } : {}),
    ...(options.startThreadsEarly !== undefined ? { startThreadsEarly: options.startThreadsEarly } : {}),
  });
  try {
    await project.initialize(undefined, undefined, host);
  } finally {
    await host.close();
  }
  const findings = project.checkAll();
  await host.store(project);
  return { findings, stats: host.stats, project };
}

const plain = (m: Map<string, Finding[]>) => JSON.parse(JSON.stringify([...m])) as unknown;

/** Every page's time stamps an hour back: stats recorded now are proof (not within racy git's margin). */
function pastMtimes(root: string): void {
  const past = new Date(Date.now() - 3600_000);
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else utimesSync(p, past, past);
    }
  };
  walk(root);
}

function hasGit(): boolean {
  return spawnSync('git', ['--version']).status === 0;
}

/** The entries of a cache folder's shards, each with its facts parsed (see cache.ts for the layout). */
function storedEntries(
  folder: string,
): Map<string, { entry: Record<string, unknown>; facts?: Record<string, unknown> }> {
  const out = new Map<string, { entry: Record<string, unknown>; facts?: Record<string, unknown> }>();
  for (const n of readdirSync(folder).filter((f) => /^shard-\d+\.json$/.test(f))) {
    const bytes = readFileSync(join(folder, n));
    assert.ok(
      bytes.every((b) => b < 0x80),
      `${n} is ASCII`,
    );
    const first = bytes.indexOf(10);
    const second = bytes.indexOf(10, first + 1);
    const head = JSON.parse(bytes.toString('latin1', first + 1, second)) as {
      entries: Record<string, { a?: [number, number] } & Record<string, unknown>>;
    };
    const payload = bytes.subarray(second + 1);
    for (const [path, entry] of Object.entries(head.entries)) {
      const facts = entry.a
        ? (JSON.parse(payload.toString('latin1', entry.a[0], entry.a[0] + entry.a[1])) as Record<string, unknown>)
        : undefined;
      out.set(path, { entry, ...(facts ? { facts } : {}) });
    }
  }
  return out;
}
const count = (m: Map<string, Finding[]>, ruleId: string) =>
  [...m.values()].flat().filter((f) => f.ruleId === ruleId).length;

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
    const host = new BulkPhaseOne(fs, {
      workers: 2,
      workerPath: bad,
      version: 'test',
      logger: { log() {} },
      minWorkerBytes: 0,
    });
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

/**
 * A generated site with `defining` more pages that each define a term of their own (glossary sources found by
 * content) and are listed in SUMMARY.md: enough pages for the CLI to start its threads before the sources.
 */
function siteWithDefiningPages(name: string, defining: number): string {
  const root = site(name, warmUpPages + 10);
  const entries: string[] = [];
  for (let i = 0; i < defining; i++) {
    const term = `Gizmo${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`;
    mkdirSync(join(root, 'defs'), { recursive: true });
    writeFileSync(
      join(root, 'defs', `page-${i}.md`),
      // Findings that need the whole site's knowledge (a second definition of Wobble) and the page alone (the alt text).
      `# Defining page ${i}\n\n## Definition of terms\n\n**${term}**: a kind of thing that page ${i} describes.\n\nA ${term} is rare. The **Wobble** is a thing a group does, unlike **Wibble${i}**.\n\n![](pic-${i}.png)\n`,
    );
    entries.push(`* [Defining page ${i}](defs/page-${i}.md)`);
  }
  const summary = join(root, 'SUMMARY.md');
  writeFileSync(summary, `${readFileSync(summary, 'utf8').trimEnd()}\n${entries.join('\n')}\n`);
  return root;
}

describe('bulk phase one: knowledge sources on the threads', () => {
  test('sources are analysed on the threads in two steps (facts, then rules on the kept parse); same findings as the single-threaded Project', async () => {
    const root = siteWithDefiningPages('sources-on-threads', 30);
    const expected = await singleThreaded(root);
    const onDefining = [...expected.values()].flat().filter((f) => f.path.startsWith('defs/'));
    assert.ok(
      onDefining.some((f) => f.ruleId === 'glossary-duplicate-term') &&
        onDefining.some((f) => f.ruleId === 'image-alt-missing'),
      'the defining pages have findings of their own to compare, some from the whole glossary',
    );
    const r = await bulk(root, { workers: 2 });
    assert.ok(
      r.stats!.sourcesSettledInWorkers >= 30,
      `the defining pages were settled on the threads (${JSON.stringify(r.stats)})`,
    );
    assert.deepEqual(plain(r.findings), plain(expected));
  });

  test("the language server's threads start late (an open page first), but with sources enough to share they take them too", async () => {
    const root = siteWithDefiningPages('sources-late-threads', 30);
    const r = await bulk(root, { workers: 2, startThreadsEarly: false });
    assert.ok(
      r.stats!.sourcesSettledInWorkers >= 30,
      `the defining pages were settled on the threads (${JSON.stringify(r.stats)})`,
    );
    assert.deepEqual(plain(r.findings), plain(await singleThreaded(root)));
  });

  test('a settle for a page no thread kept is handed back (the main thread analyses it); the kept ones settle with the knowledge', async () => {
    const root = siteWithDefiningPages('pool-settle', 4);
    const pool = new WorkerPool(workerPath, 2, { log() {} });
    try {
      const fs = new NodeFileSystem(root);
      const paths = ['defs/page-0.md', 'defs/page-1.md', 'defs/page-2.md', 'defs/page-3.md'];
      const reads = await fs.readFiles(paths, 1 << 20);
      const items = paths.map((path) => ({ path, read: reads.get(path)! }));
      const project = new Project({ fs });
      await project.initialize();
      const snapshot = project.siteSnapshot();
      const first: PhaseOneOutcome[] = [];
      await pool.run({
        snapshot,
        items: items.slice(0, 3),
        mode: 'first',
        onOutcome: (o) => first.push(o),
        onFailed: (item, error) => assert.fail(`${item.path}: ${error}`),
      });
      assert.deepEqual(first.map((o) => o.kind === 'analysed' && o.key).sort(), ['', '', ''], 'facts alone, unsettled');
      assert.ok(first.every((o) => o.kind === 'analysed' && o.findings.length === 0));
      const settled: PhaseOneOutcome[] = [];
      const handedBack: string[] = [];
      await pool.run({
        snapshot,
        items,
        mode: 'settle',
        onOutcome: (o) => settled.push(o),
        onFailed: (item) => handedBack.push(item.path),
      });
      assert.deepEqual(handedBack, ['defs/page-3.md']);
      assert.deepEqual(settled.map((o) => o.path).sort(), paths.slice(0, 3));
      assert.ok(
        settled.every((o) => o.kind === 'analysed' && o.findings.some((f) => f.ruleId === 'image-alt-missing')),
        'each settled page has its rules’ findings',
      );
      for (const o of settled) {
        assert.equal(o.kind, 'analysed');
        if (o.kind !== 'analysed') continue;
        assert.equal(o.key, knowledgeKey(project.index), `${o.path} settled with the site's knowledge`);
        const inMain = analyzeRead(o.path, reads.get(o.path), project.index);
        assert.ok(inMain.kind === 'analysed');
        assert.deepEqual(o.findings, inMain.findings, `${o.path}: the main thread's findings`);
      }
    } finally {
      await pool.close();
    }
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
    writeFileSync(
      join(root, page),
      readFileSync(join(root, page), 'utf8') + '\nA **Wobblecrew** is a crew that wobbles, café style.\n',
    );
    const cacheDir = join(tmp, 'cache-lean');
    const cold = await bulk(root, { workers: 0, cacheDir });
    assert.ok(cold.findings.get(page)?.some((f) => f.ruleId === 'term-undefined' && f.message.includes('Wobblecrew')));
    const entries = storedEntries(join(cacheDir, readdirSync(cacheDir)[0]!));
    assert.equal(entries.get(page)!.facts!['blocks'], undefined);
    assert.deepEqual(entries.get(page)!.facts!['bold'], []);
    // README.md defines the terms: a source, stored in full.
    assert.ok(
      Array.isArray(entries.get('README.md')!.facts!['blocks']) &&
        (entries.get('README.md')!.facts!['bold'] as unknown[]).length > 0,
    );
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
    assert.ok(
      warm.findings.get(page)?.some((f) => f.ruleId === 'link-missing-file' && f.message.includes('no-such-page.md')),
    );
    assert.deepEqual(plain(warm.findings), plain(await singleThreaded(root)));
  });

  test("a new term in README.md's glossary re-checks the pages that use it", async () => {
    const root = site('glossary', 40);
    // A page that writes "circle" one way but once: a slip, once Circle is a term.
    writeFileSync(
      join(root, 'circles.md'),
      '# Circles\n\nThe circle met. A circle grew, each circle learns and every circle rests, until our Circle ends.\n',
    );
    const cacheDir = join(tmp, 'cache-glossary');
    const before = await bulk(root, { workers: 0, cacheDir });
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    // "Circle" is a common word of the generated prose, in lower case: now a term.
    writeFileSync(
      join(root, 'README.md'),
      readme.replace('## About this site', 'A **Circle** is a gathering of peers.\n\n## About this site'),
    );
    const after = await bulk(root, { workers: 0, cacheDir });
    assert.ok(
      after.stats!.cacheHits < 5,
      `pages were re-analysed with the new glossary (${JSON.stringify(after.stats)})`,
    );
    assert.ok(
      count(after.findings, 'term-case') > count(before.findings, 'term-case'),
      'the slip in circles.md is reported',
    );
    assert.deepEqual(plain(after.findings), plain(await singleThreaded(root)));
  });

  test('a different license on README.md: the findings follow it (attribution is checked in phase two, never cached)', async () => {
    const root = site('license', 30);
    const cacheDir = join(tmp, 'cache-license');
    const before = await bulk(root, { workers: 0, cacheDir });
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    writeFileSync(
      join(root, 'README.md'),
      readme.replace(
        '[CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/)',
        '[CC-BY](https://creativecommons.org/licenses/by/4.0/)',
      ),
    );
    const after = await bulk(root, { workers: 0, cacheDir });
    assert.notDeepEqual(plain(after.findings), plain(before.findings), 'the new license changes what is reported');
    assert.deepEqual(plain(after.findings), plain(await singleThreaded(root)));
  });

  test('any edit to a knowledge source page (README.md) re-analyses every page: document rules may read more of it than the knowledge', async () => {
    const root = site('readme-prose', 30);
    const cacheDir = join(tmp, 'cache-readme-prose');
    await bulk(root, { workers: 0, cacheDir });
    writeFileSync(
      join(root, 'README.md'),
      readFileSync(join(root, 'README.md'), 'utf8') + '\nOne more sentence of prose.\n',
    );
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

  test("the site's knowledge (glossary, license, author) comes from the cache while its inputs hold: a page that is no source changed; a new file, a source edit or a table of contents edit derive it anew", async () => {
    const root = site('knowledge', 40);
    // A definition that cites a page not written yet: the glossary's citations follow the site's file list.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    writeFileSync(
      join(root, 'README.md'),
      readme.replace(
        '## About this site',
        'A **Circle** is a gathering of peers ([more](circle-notes.md)).\n\n## About this site',
      ),
    );
    const cacheDir = join(tmp, 'cache-knowledge');
    const expect = async (hits: number, why: string): Promise<Result> => {
      const run = await bulk(root, { workers: 0, cacheDir });
      assert.equal(run.stats!.knowledgeHits, hits, why);
      const fresh = new Project({ fs: new NodeFileSystem(root) });
      await fresh.initialize();
      assert.deepEqual(plain(run.findings), plain(fresh.checkAll()), `${why}: the findings of a run without a cache`);
      assert.deepEqual(glossaryOf(run.project.index), glossaryOf(fresh.index), `${why}: the glossary derived afresh`);
      assert.deepEqual(siteAttribution(run.project.index), siteAttribution(fresh.index), `${why}: the site's license`);
      return run;
    };
    const cites = (run: Result) =>
      glossaryOf(run.project.index)
        .terms.find((t) => t.term === 'Circle')
        ?.definitions.flatMap((d) => d.cites);
    await expect(0, 'cold');
    const warm = await expect(1, 'nothing changed');
    assert.ok(glossaryOf(warm.project.index).terms.length > 3, 'the generated site defines terms');
    assert.deepEqual(cites(warm), []);
    const page = 'articles/field-notes.md';
    writeFileSync(join(root, page), readFileSync(join(root, page), 'utf8') + '\nA circle of Circles met.\n');
    await expect(1, 'a page that defines nothing changed');
    writeFileSync(join(root, 'circle-notes.md'), '# Circle notes\n\nNotes.\n');
    assert.deepEqual(cites(await expect(0, 'the cited page now exists')), ['circle-notes.md']);
    await expect(1, 'and again nothing changed');
    writeFileSync(
      join(root, 'README.md'),
      readFileSync(join(root, 'README.md'), 'utf8').replace(
        '## About this site',
        'A **Hearth** is a small fire.\n\n## About this site',
      ),
    );
    await expect(0, 'README.md defines a new term');
    const summary = readFileSync(join(root, 'SUMMARY.md'), 'utf8');
    writeFileSync(join(root, 'SUMMARY.md'), summary.replace(/\n\* \[[^\n]*\n/, '\n'));
    await expect(0, 'SUMMARY.md lists a page less');
  });

  test('stored knowledge edited by hand (its signature line kept) is not taken', async () => {
    const root = site('knowledge-poisoned', 30);
    const cacheDir = join(tmp, 'cache-knowledge-poisoned');
    const cold = await bulk(root, { workers: 0, cacheDir });
    const folder = new PhaseOneCache(cacheDir, root, { log() {} }, testKey).folder;
    const file = join(folder, 'knowledge.json');
    const text = readFileSync(file, 'latin1');
    const tampered = text.replace(/"case":"[a-z-]+"/g, '"case":"off"');
    assert.notEqual(tampered, text, 'the stored glossary has case policies to rewrite');
    writeFileSync(file, tampered, 'latin1');
    const again = await bulk(root, { workers: 0, cacheDir });
    assert.equal(again.stats!.knowledgeHits, 0);
    assert.equal(again.stats!.cacheHits, 30, 'the shards still hold');
    assert.deepEqual(plain(again.findings), plain(cold.findings));
  });

  test('a corrupt cache shard is ignored, never trusted', async () => {
    const root = site('corrupt', 20);
    const cacheDir = join(tmp, 'cache-corrupt');
    const cold = await bulk(root, { workers: 0, cacheDir });
    const folder = new PhaseOneCache(cacheDir, root, { log() {} }, testKey).folder;
    for (const f of readdirSync(folder))
      writeFileSync(join(folder, f), '{"format":1,"entries":{"README.md":{"h":1}} garbage');
    const again = await bulk(root, { workers: 0, cacheDir });
    assert.equal(again.stats!.cacheHits, 0);
    assert.deepEqual(plain(again.findings), plain(cold.findings));
  });

  test('a cache edited by hand (its signature line kept) is ignored: it cannot hide findings', async () => {
    const root = site('poisoned', 40);
    const cacheDir = join(tmp, 'cache-poisoned');
    const cold = await bulk(root, { workers: 0, cacheDir });
    assert.equal((await bulk(root, { workers: 0, cacheDir })).stats!.cacheHits, 40, 'the right key reads it');
    // Rewrite stored findings (as a crafted cache would), keeping the old signature line.
    const folder = new PhaseOneCache(cacheDir, root, { log() {} }, testKey).folder;
    const tamper = () => {
      let edited = 0;
      for (const f of readdirSync(folder)) {
        const text = readFileSync(join(folder, f), 'latin1');
        const hidden = text.replace(/"message":"Unexpected/g, '"message":"Tampered');
        if (hidden !== text) edited++;
        writeFileSync(join(folder, f), hidden, 'latin1');
      }
      assert.ok(edited > 0, 'some stored findings were rewritten');
    };
    // Its own key's signature no longer holds; another key's fallback, the SHA-256, does not either. (Each run rewrites the shards it could not use.)
    for (const signing of [testKey, { key: Buffer.alloc(32, 9), secret: false }]) {
      tamper();
      const again = await bulk(root, { workers: 0, cacheDir, key: signing });
      assert.ok(again.stats!.cacheHits < 40, 'the edited shards were not read');
      assert.deepEqual(plain(again.findings), plain(cold.findings));
    }
  });

  test('signed with another key (a fresh CI runner makes its own): read where git tracks nothing, matched by content only; with MSOL_CACHE_KEY, never', async () => {
    const root = site('other-key', 30);
    const cacheDir = join(tmp, 'cache-other-key');
    pastMtimes(root);
    const cold = await bulk(root, { workers: 0, cacheDir });
    const runner = { key: Buffer.alloc(32, 9), secret: false };
    const warm = await bulk(root, { workers: 0, cacheDir, key: runner });
    assert.equal(warm.stats!.cacheHits, 30, 'the cache folder is in no repository: its entries are used');
    assert.equal(
      warm.stats!.statHits,
      0,
      'but a stat recorded elsewhere vouches for nothing: every page was read and hashed',
    );
    assert.deepEqual(plain(warm.findings), plain(cold.findings));
    const secret = await bulk(root, { workers: 0, cacheDir, key: { key: Buffer.alloc(32, 5), secret: true } });
    assert.equal(secret.stats!.cacheHits, 0, 'MSOL_CACHE_KEY reads only what it signed');
    assert.deepEqual(plain(secret.findings), plain(cold.findings));
  });

  test(
    'a cache committed to a repository and signed with another key is ignored: a pull request cannot hand msol crafted results',
    { skip: hasGit() ? false : 'git is not installed on this machine' },
    async () => {
      const repo = join(tmp, 'repo-with-cache');
      const root = join(repo, 'site');
      mkdirSync(repo, { recursive: true });
      generateSite({ pages: 20, out: root, seed: 7 });
      const cacheDir = join(repo, '.msol-cache');
      const cold = await bulk(root, { workers: 0, cacheDir });
      const git = (...args: string[]) =>
        spawnSync('git', ['-C', repo, '-c', 'user.name=Ann', '-c', 'user.email=ann@example.org', ...args], {
          encoding: 'utf8',
        });
      assert.equal(git('init', '-q').status, 0);
      const runner = { key: Buffer.alloc(32, 9), secret: false };
      assert.equal(
        (await bulk(root, { workers: 0, cacheDir, key: runner })).stats!.cacheHits,
        20,
        'untracked (not committed): read',
      );
      git('add', '-A');
      assert.equal(git('commit', '-qm', 'site and cache').status, 0);
      const again = await bulk(root, { workers: 0, cacheDir, key: runner });
      assert.equal(again.stats!.cacheHits, 0, 'tracked by git: not read');
      assert.deepEqual(plain(again.findings), plain(cold.findings));
      // That run rewrote the shards, signed with the runner's key: its own key is trusted wherever the cache is.
      assert.equal(
        (await bulk(root, { workers: 0, cacheDir, key: runner })).stats!.cacheHits,
        20,
        "signed with this machine's own key: read",
      );
    },
  );

  test('stat first: a warm run reads no page whose stat is the one recorded; a changed page, and one that only kept its size and time stamp, are read', async () => {
    const root = site('stat-first', 30);
    const cacheDir = join(tmp, 'cache-stat-first');
    pastMtimes(root);
    const cold = await bulk(root, { workers: 0, cacheDir });
    const warm = await bulk(root, { workers: 0, cacheDir });
    assert.equal(warm.stats!.statHits, 30, 'nothing changed: no page read');
    assert.deepEqual(plain(warm.findings), plain(cold.findings));
    // An edit that keeps the size and puts the old time stamp back (cp -p, rsync -t): the change time still tells.
    const page = 'articles/field-notes.md';
    const before = statSync(join(root, page));
    const text = readFileSync(join(root, page), 'utf8');
    writeFileSync(join(root, page), text.replace('Crew', 'crew'));
    assert.equal(statSync(join(root, page)).size, before.size);
    utimesSync(join(root, page), before.atime, before.mtime);
    const after = await bulk(root, { workers: 0, cacheDir });
    assert.equal(after.stats!.statHits, 29);
    assert.equal(after.stats!.cacheHits, 29);
    assert.deepEqual(plain(after.findings), plain(await singleThreaded(root)));
    assert.notDeepEqual(plain(after.findings), plain(cold.findings), 'the edit changed what is reported');
  });

  test("racy git's rule: an edit within the same second that keeps the size is seen, even where time stamps have whole seconds", async () => {
    const root = site('racy', 20);
    const cacheDir = join(tmp, 'cache-racy');
    const page = 'articles/field-notes.md';
    // A file system like ext3 or HFS+: time stamps in whole seconds, no change time, the same inode.
    class CoarseFileSystem extends NodeFileSystem {
      override statFiles(paths: readonly string[]) {
        const out = super.statFiles(paths);
        for (const [p, s] of out) {
          if (!s) continue;
          const mtimeNs = (s.mtimeNs / 1_000_000_000n) * 1_000_000_000n;
          out.set(p, { size: s.size, mtimeNs, signature: `${s.size}:${mtimeNs}` });
        }
        return out;
      }
    }
    const run = async () => {
      const fs = new CoarseFileSystem(root);
      const project = new Project({ fs });
      const cache = new PhaseOneCache(cacheDir, root, { log() {} }, testKey);
      const host = new BulkPhaseOne(fs, { workers: 0, workerPath, version: 'test', logger: { log() {} }, cache });
      await project.initialize(undefined, undefined, host);
      await host.store(project);
      return { findings: project.checkAll(), stats: host.stats };
    };
    const now = new Date();
    utimesSync(join(root, page), now, now);
    const cold = await run();
    // The same second, the same size: to this file system the page looks untouched.
    const before = statSync(join(root, page));
    writeFileSync(join(root, page), readFileSync(join(root, page), 'utf8').replace('Crew', 'crew'));
    utimesSync(join(root, page), before.atime, before.mtime);
    const warm = await run();
    assert.equal(
      warm.stats.cacheHits,
      19,
      'the page written within the margin of the first run was read and hashed again',
    );
    assert.deepEqual(plain(warm.findings), plain(await singleThreaded(root)));
    assert.notDeepEqual(plain(warm.findings), plain(cold.findings));
  });

  test('a warm run parses the facts of few pages: the rest stay deferred, and the report is the cold one', async () => {
    const root = site('deferred', 40);
    const cacheDir = join(tmp, 'cache-deferred');
    const checked = async () => {
      const fs = new NodeFileSystem(root);
      const project = new Project({ fs });
      const cache = new PhaseOneCache(cacheDir, root, { log() {} }, testKey);
      const host = new BulkPhaseOne(fs, { workers: 0, workerPath, version: 'test', logger: { log() {} }, cache });
      await project.initialize(undefined, undefined, host);
      // As msol check does: phase two from the cache under the site key.
      const siteKey = host.siteKey(project);
      const findings = new Map<string, Finding[]>();
      for (const page of project.index.pages()) {
        const r = project.checkDetailed(page, host.cachedWorkspace(page, siteKey));
        host.recordWorkspace(page, r.workspace);
        if (r.findings.length) findings.set(page, r.findings);
      }
      await host.store(project);
      return { findings, deferred: project.index.pages().filter((p) => project.index.isDeferred(p)).length };
    };
    const cold = await checked();
    assert.equal(cold.deferred, 0);
    const page = 'articles/field-notes.md';
    writeFileSync(join(root, page), readFileSync(join(root, page), 'utf8') + '\nOne more sentence.\n');
    const warm = await checked();
    // Parsed: the knowledge sources, SUMMARY.md, the changed page and the pages its links point into (their anchors).
    assert.ok(warm.deferred >= 20, `most pages' facts were never parsed (${warm.deferred} of 40 deferred)`);
    assert.deepEqual(plain(warm.findings), plain(await singleThreaded(root)));
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
  const slug = (h: string) =>
    h
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-');
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
    for (const m of readFileSync(join(root, from), 'utf8').matchAll(
      /\]\(((?:\.\.\/)+[^)#\s]+page-\d+\.md)#([a-z0-9-]+)\)/g,
    )) {
      const target = join(from, '..', m[1]!).replace(/\\/g, '/');
      if (target === from) continue;
      const heading = readFileSync(join(root, target), 'utf8')
        .split('\n')
        .find((l) => /^#{2,3} /.test(l) && slug(l.replace(/^#+ /, '')) === m[2]);
      if (heading) return { target, heading };
    }
  }
  throw new Error("the generated site has no link to another page's heading");
}

describe('msol check --cache, --no-cache, --cache-location', () => {
  const run = (cwd: string, args: string[], xdg = join(tmp, 'xdg')) =>
    spawnSync(process.execPath, [bin, 'check', ...args, '--format', 'json'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: xdg, MSOL_CACHE_KEY: '' },
    });

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
    const hits = (stderr: string) =>
      Number(/checked pages \(pages: \d+, workspaceHits: (\d+)/.exec(stderr)?.[1] ?? NaN);
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
    writeFileSync(
      join(root, target),
      readFileSync(join(root, target), 'utf8').replace(heading, '## A renamed heading'),
    );
    assert.equal(same('heading renamed'), 0);
    assert.match(run(root, ['--cache-location', location]).stdout, /link-missing-heading/);
    assert.equal(same('nothing changed'), 30);
    writeFileSync(
      join(root, 'articles', 'new-page.md'),
      '# New page\n\nSee [the field notes](field-notes.md#notes-0).\n',
    );
    assert.equal(same('new page'), 0);
    const summary = join(root, 'SUMMARY.md');
    writeFileSync(summary, readFileSync(summary, 'utf8').replace('* [Field notes](articles/field-notes.md)\n', ''));
    assert.equal(same('SUMMARY.md edit'), 0);
    assert.match(run(root, ['--cache-location', location]).stdout, /field-notes\.md[^]*summary-orphan-page/);
  });

  test('the documented CI workflow: two runners with fresh HOME folders and no secret share the cache that actions/cache restores', () => {
    const root = site('ci-runners', 20);
    const restored = join(tmp, 'ci-restored-cache');
    const runner = (name: string, args: string[]) => {
      const home = join(tmp, `home-${name}`);
      mkdirSync(home, { recursive: true });
      return spawnSync(
        process.execPath,
        [bin, 'check', '.', '--cache-location', restored, '--format', 'json', '-v', ...args],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', HOME: home, XDG_CACHE_HOME: '', MSOL_CACHE_KEY: '' },
        },
      );
    };
    const first = runner('first', []);
    const second = runner('second', []);
    assert.notDeepEqual(
      readFileSync(join(tmp, 'home-first', '.cache', 'msol', 'key')),
      readFileSync(join(tmp, 'home-second', '.cache', 'msol', 'key')),
      'each runner made its own signing key',
    );
    assert.match(second.stderr, /cacheHits: 20/, 'the second runner read what the first one wrote');
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.stdout, run(root, ['--no-cache']).stdout, 'and reports what a check without a cache reports');
    // With MSOL_CACHE_KEY (the strict option), only what that key signed is read.
    const strict = spawnSync(process.execPath, [bin, 'check', '.', '--cache-location', restored, '-v'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        NO_COLOR: '1',
        HOME: join(tmp, 'home-second'),
        MSOL_CACHE_KEY: 'a secret of this repository',
      },
    });
    assert.match(strict.stderr, /cacheHits: 0/);
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
    assert.ok(
      readdirSync(join(xdg, 'msol')).some((n) => statSync(join(xdg, 'msol', n)).isDirectory()),
      'the user cache folder holds it',
    );
    assert.equal(statSync(join(xdg, 'msol', 'key')).mode & 0o077, 0, 'the signing key is private');
  });

  test('the default location is node_modules/.cache/msol at or above the site when there is one, else the user cache folder', () => {
    const root = site('with-nm', 16);
    const xdg = join(tmp, 'xdg-default');
    assert.equal(
      defaultCacheLocation(root, root, { XDG_CACHE_HOME: xdg }),
      process.platform === 'linux' ? join(xdg, 'msol') : defaultCacheLocation(root, root, { XDG_CACHE_HOME: xdg }),
    );
    mkdirSync(join(root, 'node_modules'));
    assert.equal(
      defaultCacheLocation(join(root, 'articles'), tmpdir(), {}),
      join(root, 'node_modules', '.cache', 'msol'),
    );
  });

  test('--cache with --no-cache, or --cache-location with --no-cache, is a usage error', () => {
    const root = site('cli-usage', 16);
    assert.equal(run(root, ['--cache', '--no-cache']).status, 2);
    assert.equal(run(root, ['--no-cache', '--cache-location', 'x']).status, 2);
  });
});
