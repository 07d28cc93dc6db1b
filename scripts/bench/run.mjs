// The benchmark of issues 7 and 16: msol against its peers, in the same run, on two sites: a generated
// GitBook site and the real handbook copied 40 times (scripts/bench/real-site.mjs; skipped, with a note,
// when ../shared/corpus is absent).
//   npm run bench [-- --pages 2240] [--runs 3] [--growth 500,2240,10000 | --no-growth] [--no-real-site] [--json out.json]
//   npm run bench -- --speedups [--runs 7] [--instructions]: what each bundle patch and the front-matter fast path is worth (speedups.mjs)
// On each site it runs, alternately and `runs` times each (the order rotates every round):
//   msol cold   `msol check` with an empty cache folder (the default flags: the cache is written)
//   msol warm   `msol check` after one page changed, the cache of the previous run present
//   msol LSP, with the CLI cache   the language server from `initialize` to a complete `workspace/diagnostic`
//               (scripts/bench/lsp-workspace.mjs), after an untimed `msol check` wrote its cache
//   msol LSP, no cache             the same with an empty cache folder
//   markdownlint-cli2 "**/*.md"            (single-file rules only)
//   remark-cli + remark-validate-links     (cross-file links; its target is retired, the row stays)
//   remark parse floor                     (read + remark-parse, gfm, frontmatter on one worker thread
//                                           per core, no rules: scripts/bench/parse-floor.mjs)
//   vscode-markdown-languageservice        (every link of every document, scripts/bench/mdls-driver.mjs)
// and prints medians of wall time and peak RSS (from /usr/bin/time, else /proc polling; the language
// server's rows: the time and the server's peak RSS its driver reports), the ratio of each target of the
// issues, and growth rows (msol cold and warm at other sizes of the generated site, once each).
// Nothing is installed at run time: the peers are devDependencies. Not part of `npm test` (a smoke
// run of these functions on a tiny site is: test/engine/bench-smoke.test.ts).
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSite } from './generate-site.mjs';
import { buildRealSite } from './real-site.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (pkg, name) => {
  const j = JSON.parse(readFileSync(join(repo, 'node_modules', pkg, 'package.json'), 'utf8'));
  const b = typeof j.bin === 'string' ? j.bin : j.bin[name ?? Object.keys(j.bin)[0]];
  return join(repo, 'node_modules', pkg, b);
};

/** The targets: ours / peer at most `limit`. */
export const targets = [
  {
    id: 'cold-vs-markdownlint',
    ours: 'msol cold',
    peer: 'markdownlint-cli2',
    limit: 0.6,
    what: 'cold check, wall, vs markdownlint-cli2',
  },
  {
    id: 'cold-vs-parse-floor',
    ours: 'msol cold',
    peer: 'remark parse floor',
    limit: 0.85,
    what: 'cold check, wall, vs the remark parse floor (read + parse, one thread per core, no rules)',
  },
  {
    id: 'warm-vs-markdownlint',
    ours: 'msol warm',
    peer: 'markdownlint-cli2',
    limit: 0.05,
    what: 'warm check (one page changed), wall, vs markdownlint-cli2',
  },
  {
    id: 'warm-vs-mdls',
    ours: 'msol warm',
    peer: 'vscode-markdown-languageservice',
    limit: 0.25,
    what: 'warm check (one page changed), wall, vs vscode-markdown-languageservice (all links)',
  },
  {
    id: 'lsp-cache-vs-mdls',
    ours: 'msol LSP, with the CLI cache',
    peer: 'vscode-markdown-languageservice',
    limit: 1.0,
    what: 'language server, initialize → complete workspace/diagnostic, with the CLI cache, vs vscode-markdown-languageservice (all links)',
  },
  {
    id: 'lsp-cold-vs-cli',
    ours: 'msol LSP, no cache',
    peer: 'msol cold',
    limit: 1.0,
    what: 'language server, initialize → complete workspace/diagnostic, no cache, vs the cold msol check',
  },
];
export const rssLimitMb = 400;

/**
 * A private copy of the built CLI (server/out/msol.js and worker.js) for the whole run: a rebuild
 * of the working tree during the benchmark (another `npm test`) would otherwise change the engine
 * under the warm runs, and with it the cache key.
 */
export function snapshotCli(base) {
  const dir = join(base, 'msol-snapshot');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ['msol.js', 'worker.js', 'server.js']) copyFileSync(join(repo, 'server', 'out', f), join(dir, f));
  return join(dir, 'msol.js');
}

/**
 * The commands of one round. `before` runs untimed right before the timed command; `env` is added to its
 * environment; `report` reads the time and the peak RSS from the command's output instead of measuring the
 * process (the language server's driver times `initialize` → answer and reports the server's RSS).
 */
export function tools(
  site,
  work,
  { peers = true, lsp = peers, msol = join(repo, 'bin', 'msol.js'), editPage = 'articles/field-notes.md' } = {},
) {
  const warmCache = join(work, 'cache-warm');
  let edits = 0;
  let rounds = 0;
  const list = [
    {
      name: 'msol cold',
      before: () => rmSync(join(work, 'cache-cold'), { recursive: true, force: true }),
      argv: [process.execPath, msol, 'check', '.', '--cache-location', join(work, 'cache-cold')],
      ok: (code) => code === 0 || code === 1,
    },
    {
      name: 'msol warm',
      before: async () => {
        // The cache of a previous run is there (made once, untimed); then one page changes.
        if (!existsSync(warmCache))
          await measure({ argv: [process.execPath, msol, 'check', '.', '--cache-location', warmCache], cwd: site });
        appendFileSync(join(site, ...editPage.split('/')), `\nAn edit between runs, number ${++edits}.\n`);
      },
      argv: [process.execPath, msol, 'check', '.', '--cache-location', warmCache],
      ok: (code) => code === 0 || code === 1,
    },
  ];
  if (lsp) {
    const server = join(dirname(msol), 'server.js');
    const driver = join(repo, 'scripts', 'bench', 'lsp-workspace.mjs');
    const withCache = join(work, 'xdg-lsp-cache');
    const empty = join(work, 'xdg-lsp-empty');
    const lspTool = (name, xdg, before) => ({
      name,
      before,
      argv: [process.execPath, driver, site, '--server', server, '--cache-home', xdg],
      env: { XDG_CACHE_HOME: xdg, MSOL_CACHE_KEY: '' },
      ok: (code) => code === 0,
      report: (stdout) => {
        const r = JSON.parse(stdout.trim().split('\n').pop());
        return { wall: r.ms / 1000, rssMb: r.memory.hwmMb, note: `${r.files} files, ${r.diagnostics} diagnostics` };
      },
    });
    list.push(
      // What the CLI's cache holds for the site as it is now (the warm runs edit a page each round): written untimed.
      lspTool('msol LSP, with the CLI cache', withCache, () =>
        measure({
          argv: [process.execPath, msol, 'check', '.'],
          cwd: site,
          env: { XDG_CACHE_HOME: withCache, MSOL_CACHE_KEY: '' },
        }),
      ),
      lspTool('msol LSP, no cache', `${empty}-${++rounds}`, function () {
        // A fresh empty folder every round.
        this.argv[this.argv.length - 1] = this.env.XDG_CACHE_HOME = `${empty}-${++rounds}`;
        rmSync(this.env.XDG_CACHE_HOME, { recursive: true, force: true });
        mkdirSync(this.env.XDG_CACHE_HOME, { recursive: true });
      }),
    );
  }
  if (!peers) return list;
  return [
    ...list,
    {
      name: 'markdownlint-cli2',
      argv: [process.execPath, bin('markdownlint-cli2'), '**/*.md'],
      ok: (code) => code === 0 || code === 1,
    },
    {
      name: 'remark-cli + validate-links',
      argv: [
        process.execPath,
        bin('remark-cli'),
        '.',
        '--quiet',
        '--no-stdout',
        '--use',
        `${join(repo, 'node_modules', 'remark-validate-links', 'index.js')}=repository:false`,
      ],
      ok: (code) => code === 0 || code === 1,
    },
    {
      name: 'remark parse floor',
      argv: [process.execPath, join(repo, 'scripts', 'bench', 'parse-floor.mjs'), '.'],
      ok: (code) => code === 0,
    },
    {
      name: 'vscode-markdown-languageservice',
      argv: [process.execPath, join(repo, 'scripts', 'bench', 'mdls-driver.mjs'), '.'],
      ok: (code) => code === 0,
    },
  ];
}

const hasTime = existsSync('/usr/bin/time');

/** Runs one command; resolves to wall seconds, peak RSS in MB, exit code, its output and the end of stderr. */
export function measure({ argv, cwd, env = {} }) {
  return new Promise((resolvePromise, reject) => {
    const full = hasTime ? ['/usr/bin/time', '-f', '\n%M msol-bench-rss-kb', ...argv] : argv;
    const started = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout = (stdout + d.toString()).slice(-8000);
    });
    let stderr = '';
    let polledKb = 0;
    const poll = hasTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledKb = Math.max(polledKb, Number(m[1]));
          } catch {
            // The process is gone.
          }
        }, 20);
    child.stderr.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-8000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const m = /(\d+) msol-bench-rss-kb/.exec(stderr);
      const rssKb = m ? Number(m[1]) : polledKb;
      resolvePromise({
        wall,
        rssMb: rssKb / 1024,
        code: m ? exitCodeOf(stderr, code) : code,
        stdout,
        stderr: stderr.replace(/\n?\d+ msol-bench-rss-kb\n?/, ''),
      });
    });
  });
}

// GNU time exits with the command's status, and says "Command exited with non-zero status N".
function exitCodeOf(stderr, code) {
  const m = /Command exited with non-zero status (\d+)/.exec(stderr);
  return m ? Number(m[1]) : code;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/** Runs every tool `runs` times, alternately; returns one row per tool. */
export async function compare({ site, work, runs = 3, peers = true, lsp = peers, msol, editPage, log = () => {} }) {
  const list = tools(site, work, { peers, lsp, ...(msol ? { msol } : {}), ...(editPage ? { editPage } : {}) });
  const samples = new Map(list.map((t) => [t.name, []]));
  for (let round = 0; round < runs; round++) {
    // Rotate the order: no tool always runs right after the same one (page cache, CPU boost, others' load).
    const order = list.map((_, i) => list[(i + round) % list.length]);
    for (const tool of order) {
      await tool.before?.();
      const measured = await measure({ argv: tool.argv, cwd: site, env: tool.env });
      if (!tool.ok(measured.code))
        throw new Error(`${tool.name} failed (exit ${measured.code}):\n${measured.stderr.slice(-2000)}`);
      const r = tool.report ? { ...measured, ...tool.report(measured.stdout) } : measured;
      samples.get(tool.name).push(r);
      log(`  ${tool.name.padEnd(34)} ${r.wall.toFixed(2).padStart(7)} s ${r.rssMb.toFixed(0).padStart(6)} MB`);
    }
  }
  return list.map((t) => {
    const s = samples.get(t.name);
    return {
      tool: t.name,
      runs: s.length,
      wall: median(s.map((x) => x.wall)),
      rssMb: median(s.map((x) => x.rssMb)),
      maxRssMb: Math.max(...s.map((x) => x.rssMb)),
      walls: s.map((x) => +x.wall.toFixed(3)),
    };
  });
}

/** Ratios of the targets, from the rows of one comparison. */
export function verdicts(rows, { pages, rssPages = 2240 }) {
  const by = new Map(rows.map((r) => [r.tool, r]));
  const out = targets.map((t) => {
    const ours = by.get(t.ours);
    const peer = by.get(t.peer);
    const ratio = ours && peer ? ours.wall / peer.wall : NaN;
    // Each round runs every tool within a minute: its own ratio shows how much a busy machine moved the medians (information only; the verdict is the ratio of the medians).
    const rounds = ours && peer ? ours.walls.flatMap((w, i) => (peer.walls[i] ? [w / peer.walls[i]] : [])) : [];
    return {
      ...t,
      oursWall: ours?.wall,
      peerWall: peer?.wall,
      ratio,
      rounds,
      met: Number.isFinite(ratio) ? ratio <= t.limit : undefined,
    };
  });
  const cold = by.get('msol cold');
  // The RSS limit is set for the size of the handbook issue 7 measured (2,240 pages; 2,242 on the real-content site).
  if (cold)
    out.push({
      id: 'cold-rss',
      what: `peak RSS of the cold check at ${pages} pages`,
      oursWall: undefined,
      peerWall: undefined,
      ratio: NaN,
      rssMb: cold.maxRssMb,
      limit: rssLimitMb,
      met: Math.abs(pages - rssPages) <= 2 ? cold.maxRssMb <= rssLimitMb : undefined,
    });
  return out;
}

function commit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'server/src'], { cwd: repo, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (+ uncommitted changes in server/src)` : head;
  } catch {
    return 'unknown';
  }
}

export function machine() {
  return {
    commit: commit(),
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? 'unknown',
    memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: loadavg().map((x) => +x.toFixed(2)),
  };
}

const fmt = (x, digits = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

/** One site's tables: every tool's medians and rounds, then every target with its ratio. */
function siteTables(rows, checks) {
  const lines = [];
  lines.push('| tool | median wall (s) | peak RSS (MB) | runs (s) |');
  lines.push('|---|---:|---:|---|');
  for (const r of rows)
    lines.push(`| ${r.tool} | ${fmt(r.wall)} | ${fmt(r.rssMb, 0)} | ${r.walls.map((w) => w.toFixed(2)).join(', ')} |`);
  lines.push('');
  lines.push('| target | ours (s) | peer (s) | ratio | limit | met | ratio in each round |');
  lines.push('|---|---:|---:|---:|---:|:---:|---|');
  for (const c of checks) {
    if (c.id === 'cold-rss')
      lines.push(
        `| ${c.what} | ${fmt(c.rssMb, 0)} MB | | | ≤ ${c.limit} MB | ${c.met === undefined ? 'n/a' : c.met ? 'yes' : '**no**'} | |`,
      );
    else
      lines.push(
        `| ${c.what} | ${fmt(c.oursWall)} | ${fmt(c.peerWall)} | ${fmt(c.ratio, 3)} | ≤ ${c.limit} | ${c.met === undefined ? 'n/a' : c.met ? 'yes' : '**no**'} | ${c.rounds.map((x) => fmt(x, 3)).join(', ')} |`,
      );
  }
  return lines;
}

/** The tables as Markdown (the same text goes to docs/performance.md). */
export function formatTables({ site, rows, checks, growth, machineBefore, machineAfter, runs, real }) {
  const lines = [];
  lines.push(
    `msol ${machineBefore.commit}. Machine: ${machineBefore.cpus} cores (${machineBefore.model}), ${machineBefore.memoryGb} GB, Node ${machineBefore.node}, ${machineBefore.platform}; load average ${machineBefore.loadavg.join(' ')} before, ${machineAfter.loadavg.join(' ')} after.`,
  );
  lines.push('');
  lines.push(
    `**Generated site**: ${site.pages} pages, ${site.mb} MB (scripts/bench/generate-site.mjs --pages ${site.pages} --seed 1). Medians of ${runs} alternating runs.`,
  );
  lines.push('');
  lines.push(...siteTables(rows, checks));
  lines.push('');
  if (real?.skipped) lines.push(`**Real-content site**: skipped: ${real.skipped}.`);
  else if (real) {
    lines.push(
      `**Real-content site**: the handbook at ${real.site.tip} (../shared/corpus/handbook-history.bundle), ${real.site.copies} copies under part-N/ with a top SUMMARY.md listing every page: ${real.site.pages} pages, ${real.site.mb} MB (scripts/bench/real-site.mjs). Medians of ${runs} alternating runs.`,
    );
    lines.push('');
    lines.push(...siteTables(real.rows, real.checks));
  }
  if (growth?.length) {
    lines.push('');
    lines.push(
      '| growth: pages | MB | msol cold (s) | cold s/MB | cold peak RSS (MB) | msol warm (s) | warm peak RSS (MB) | markdownlint-cli2 (s) |',
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const g of growth)
      lines.push(
        `| ${g.pages} | ${g.mb} | ${fmt(g.cold)} | ${fmt(g.cold / g.mb, 3)} | ${fmt(g.coldRss, 0)} | ${fmt(g.warm)} | ${fmt(g.warmRss, 0)} | ${fmt(g.markdownlint)} |`,
      );
    const largest = growth[growth.length - 1];
    const base = growth.find((g) => g.pages === 2240) ?? growth[0];
    if (largest !== base) {
      const f = largest.cold / largest.mb / (base.cold / base.mb);
      lines.push('');
      lines.push(
        `Growth: cold seconds per MB at ${largest.pages} pages are ${f.toFixed(2)}× those at ${base.pages} (linear or better: ≤ 1.2×): ${f <= 1.2 ? 'yes' : '**no**'}.`,
      );
    }
  }
  return lines.join('\n');
}

/** msol cold and warm (and markdownlint-cli2 as the yardstick) once at each size. */
export async function growthRows({ sizes, base, runs = 1, peers = true, msol, log = () => {} }) {
  const out = [];
  for (const pages of sizes) {
    const site = join(base, `site-${pages}`);
    const info = generateSite({ pages, out: site, seed: 1 });
    const work = join(base, `work-growth-${pages}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const rows = await compare({ site, work, runs, peers: false, msol, log });
    let markdownlint;
    if (peers) {
      const t = tools(site, work, { peers: true }).find((x) => x.name === 'markdownlint-cli2');
      markdownlint = (await measure({ argv: t.argv, cwd: site })).wall;
    }
    const cold = rows.find((r) => r.tool === 'msol cold');
    const warm = rows.find((r) => r.tool === 'msol warm');
    out.push({
      pages: info.pages,
      mb: info.mb,
      cold: cold.wall,
      coldRss: cold.maxRssMb,
      warm: warm.wall,
      warmRss: warm.maxRssMb,
      markdownlint,
    });
    log(
      `  growth ${pages}: cold ${cold.wall.toFixed(2)} s, ${cold.maxRssMb.toFixed(0)} MB; warm ${warm.wall.toFixed(2)} s`,
    );
  }
  return out;
}

/**
 * The whole benchmark. `peers: false` leaves the peers and the language server out (the smoke test);
 * `realSite: false` leaves the real-content site out, an object passes options to buildRealSite.
 */
export async function runBenchmark({
  pages = 2240,
  runs = 3,
  growth = [500, 2240, 10000],
  peers = true,
  realSite = {},
  base = '/tmp/msol-bench',
  log = () => {},
} = {}) {
  if (!existsSync(join(repo, 'server', 'out', 'msol.js')) || !existsSync(join(repo, 'server', 'out', 'worker.js')))
    throw new Error('build first: npm run build');
  mkdirSync(base, { recursive: true });
  const machineBefore = machine();
  const msol = snapshotCli(base);
  const sitePath = join(base, `site-${pages}`);
  const site = generateSite({ pages, out: sitePath, seed: 1 });
  log(`site: ${site.pages} pages, ${site.mb} MB at ${sitePath}`);
  const work = join(base, `work-${pages}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const rows = await compare({ site: sitePath, work, runs, peers, msol, log });
  const checks = verdicts(rows, { pages: site.pages });
  let real;
  if (realSite) {
    // Built afresh each run (the warm runs edit a page of it).
    const built = buildRealSite({ out: join(base, 'real-site'), fresh: true, ...realSite });
    if (built.skipped) {
      real = { skipped: built.skipped };
      log(`real-content site skipped: ${built.skipped}`);
    } else {
      log(`real-content site: ${built.pages} pages, ${built.mb} MB at ${built.root}`);
      const realWork = join(base, 'work-real');
      rmSync(realWork, { recursive: true, force: true });
      mkdirSync(realWork, { recursive: true });
      const realRows = await compare({
        site: built.root,
        work: realWork,
        runs,
        peers,
        msol,
        editPage: 'part-1/practices/crewing.md',
        log,
      });
      real = { site: built, rows: realRows, checks: verdicts(realRows, { pages: built.pages }) };
    }
  }
  // The main size's growth row is the comparison above; the other sizes run once each.
  const others = growth.length
    ? await growthRows({ sizes: growth.filter((n) => n !== pages), base, peers, msol, log })
    : [];
  const by = new Map(rows.map((r) => [r.tool, r]));
  const main = {
    pages: site.pages,
    mb: site.mb,
    cold: by.get('msol cold').wall,
    coldRss: by.get('msol cold').maxRssMb,
    warm: by.get('msol warm').wall,
    warmRss: by.get('msol warm').maxRssMb,
    markdownlint: by.get('markdownlint-cli2')?.wall,
  };
  const growthResult = growth.length
    ? [...others, ...(growth.includes(pages) ? [main] : [])].sort((a, b) => a.pages - b.pages)
    : [];
  const machineAfter = machine();
  return {
    machine: machineBefore,
    machineAfter,
    site,
    rows,
    checks,
    real,
    growth: growthResult,
    table: formatTables({ site, rows, checks, real, growth: growthResult, machineBefore, machineAfter, runs }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  if (args.includes('--speedups')) {
    // What each dependency patch and the front-matter fast path is worth (scripts/bench/speedups.mjs).
    const { measureSpeedups } = await import('./speedups.mjs');
    const instructions = args.includes('--instructions');
    const result = await measureSpeedups({
      pages: Number(opt('pages', instructions ? 1000 : 2240)),
      runs: Number(opt('runs', instructions ? 1 : 7)),
      base: opt('dir', '/tmp/msol-bench'),
      instructions,
      log: (l) => console.error(l),
    });
    console.log(result.table);
    process.exit(0);
  }
  const pages = Number(opt('pages', 2240));
  const runs = Number(opt('runs', 3));
  const growth = args.includes('--no-growth') ? [] : String(opt('growth', '500,2240,10000')).split(',').map(Number);
  const result = await runBenchmark({
    pages,
    runs,
    growth,
    peers: !args.includes('--no-peers'),
    realSite: args.includes('--no-real-site') ? false : {},
    base: opt('dir', '/tmp/msol-bench'),
    log: (l) => console.error(l),
  });
  console.log(result.table);
  const json = opt('json', undefined);
  if (json) writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
}
