// What each of the engine's dependency-level speed-ups is worth: `npm run bench -- --speedups`.
//   node scripts/bench/speedups.mjs [--pages 2240] [--runs 7] [--dir /tmp/msol-bench]
// Builds the CLI once as shipped and once without each speed-up (a bundle patch of
// scripts/bundle-patches.mjs, the front-matter fast path of server/src/engine/parse/frontMatter.ts),
// then runs a cold `msol check` of the generated site with each build, alternately (the order rotates
// every round), and prints the medians of wall time and of CPU time (user + system, from
// /usr/bin/time: less moved by other processes on a shared machine than wall time). A speed-up's
// share is (median CPU without it − median CPU as shipped) / median CPU as shipped. The issue's bar
// for keeping one is 3 % of a cold check; ARCHITECTURE.md states each figure.
// `--instructions` counts instructions instead of timing (valgrind's cachegrind, no cache simulation,
// one thread: MSOL_WORKERS=0): slow (about 50× a run, so a smaller site: --pages 1000 by default) but
// the same on a busy machine as on an idle one, where CPU times of runs on a shared machine drift by
// more than the 3 % being judged. Two runs of one build still differ by up to 2.5 % (V8's background
// threads and the order file reads complete in), so use --runs 2 or more for a verdict. A speed-up
// that saves garbage is worth more on a larger site (each major GC marks every page's facts): the
// front-matter fast path measured 0.6 % at 300 pages and 7.3 % at 1,000.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { commonOptions } from '../build-options.mjs';
import { applyPatch, patches } from '../bundle-patches.mjs';
import { generateSite } from './generate-site.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Not imported from run.mjs: run.mjs imports this module from its top-level await (`--speedups`).
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const commit = () => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

/** The fast path is one expression: without it, every front matter goes to the `yaml` package. */
const frontMatterFastPath = {
  name: 'front-matter fast path',
  file: /[\\/]server[\\/]src[\\/]engine[\\/]parse[\\/]frontMatter\.ts$/,
  replacements: [['return simpleFrontMatter(text) ?? parseYaml(text);', 'return parseYaml(text);']],
};

/** The speed-ups measured, each with the esbuild plugin that builds the CLI without it. */
export const speedups = [
  ...patches.map((p) => ({ name: p.name, patch: p })),
  { name: frontMatterFastPath.name, source: frontMatterFastPath },
];

function pluginsWithout(speedup) {
  const kept = patches.filter((p) => p !== speedup?.patch);
  const source = speedup?.source;
  return [
    {
      name: 'speedup-variant',
      setup(build) {
        for (const patch of kept)
          build.onLoad({ filter: patch.file }, (args) => ({
            contents: applyPatch(patch, readFileSync(args.path, 'utf8')),
            loader: 'js',
          }));
        if (source)
          build.onLoad({ filter: source.file }, (args) => ({
            contents: applyPatch(source, readFileSync(args.path, 'utf8')),
            loader: 'ts',
          }));
      },
    },
  ];
}

async function buildVariant(dir, speedup) {
  mkdirSync(dir, { recursive: true });
  for (const [entry, out] of [
    ['server/src/cli/main.ts', 'msol.js'],
    ['server/src/node/worker.ts', 'worker.js'],
  ]) {
    await esbuild.build({
      ...commonOptions({ plugins: pluginsWithout(speedup) }),
      sourcemap: false,
      entryPoints: [join(repo, entry)],
      outfile: join(dir, out),
      absWorkingDir: repo,
    });
  }
  return join(dir, 'msol.js');
}

/** Instructions executed by one cold check (all threads), counted by cachegrind. */
function counted(argv, cwd, out) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      'valgrind',
      ['--tool=cachegrind', '--cache-sim=no', '--smc-check=all-non-file', `--cachegrind-out-file=${out}`, ...argv],
      { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MSOL_WORKERS: '0' } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
    child.on('error', reject);
    child.on('close', () => {
      const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
      if (!m) return reject(new Error(`valgrind failed:\n${stderr}`));
      resolvePromise({ wall: NaN, cpu: Number(m[1].replace(/,/g, '')) / 1e9 });
    });
  });
}

function timed(argv, cwd) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '\nmsol-speedups %e %U %S', ...argv], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', () => {
      const m = /msol-speedups ([\d.]+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (!m || /Command exited with non-zero status (?![01]\b)/.test(stderr))
        return reject(new Error(`msol failed:\n${stderr}`));
      resolvePromise({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) });
    });
  });
}

export async function measureSpeedups({
  pages = 2240,
  runs = 7,
  base = '/tmp/msol-bench',
  instructions = false,
  log = () => {},
} = {}) {
  const built = commit();
  const work = join(base, 'speedups');
  rmSync(work, { recursive: true, force: true });
  const site = join(base, `site-${pages}`);
  const info = generateSite({ pages, out: site, seed: 1 });
  const variants = [{ name: 'as shipped', msol: await buildVariant(join(work, 'shipped')) }];
  for (const [i, s] of speedups.entries())
    variants.push({ name: `without ${s.name}`, speedup: s, msol: await buildVariant(join(work, `without-${i}`), s) });
  const samples = new Map(variants.map((v) => [v.name, []]));
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + round) % variants.length];
      const cache = join(work, 'cache');
      rmSync(cache, { recursive: true, force: true });
      const argv = [process.execPath, v.msol, 'check', '.', '--format', 'json', '--cache-location', cache];
      const r = instructions ? await counted(argv, site, join(work, 'cachegrind.out')) : await timed(argv, site);
      samples.get(v.name).push(r);
      log(
        `  ${v.name.padEnd(70)} ${instructions ? `${r.cpu.toFixed(3)} G instructions` : `wall ${r.wall.toFixed(2)} s  cpu ${r.cpu.toFixed(2)} s`}`,
      );
    }
  }
  const rows = variants.map((v) => {
    const s = samples.get(v.name);
    return { name: v.name, wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)) };
  });
  const shipped = rows[0];
  const what = instructions ? 'instructions (G, cachegrind, one thread)' : 'CPU (s)';
  const lines = [
    `msol ${built}, ${info.pages} pages (${info.mb} MB), cold check, medians of ${runs} alternating runs.`,
    '',
    `| build | wall (s) | ${what} | share of a cold check |`,
    '|---|---:|---:|---:|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.name} | ${instructions ? '–' : r.wall.toFixed(2)} | ${r.cpu.toFixed(instructions ? 3 : 2)} | ${r === shipped ? '' : `${(((r.cpu - shipped.cpu) / shipped.cpu) * 100).toFixed(1)} %`} |`,
    );
  return { rows, table: lines.join('\n') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const instructions = args.includes('--instructions');
  const result = await measureSpeedups({
    pages: Number(opt('pages', instructions ? 1000 : 2240)),
    runs: Number(opt('runs', instructions ? 1 : 7)),
    base: opt('dir', '/tmp/msol-bench'),
    instructions,
    log: (l) => console.error(l),
  });
  console.log(result.table);
}
