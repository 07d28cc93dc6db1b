// The editor benchmark of issue 7: drives the bundled language server (server/out/server.js --stdio)
// over the protocol like VS Code does (pull diagnostics), on a generated site.
//   npm run bench:lsp [-- --pages 2240] [--keystrokes 60] [--json out.json] [--server path/to/server.js]
// --server: another build's server.js (its worker.js beside it), to compare two builds in turns.
// Measures:
//   open while indexing  time from didOpen (sent right after `initialized`, while the site indexes)
//                        to the page's own diagnostics (textDocument/diagnostic answered)
//   full index           time from `initialized` to msol/status "ready"
//   keystrokes           a 50 KB page: bursts of single-character edits, each followed by a pull;
//                        time from didChange to the diagnostics (p50, p95), no debounce added
//   proposal heading     a heading of the proposal renamed: time from didChange until a pull of a
//                        page linking that heading reports the broken anchor
//   server RSS           VmRSS and VmHWM of the server process after indexing (Linux /proc)
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node';
import { generateSite } from './generate-site.mjs';
import { benchClientCapabilities } from './lsp-workspace.mjs';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = rpc;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const builtServer = join(repo, 'server', 'out', 'server.js');

export const lspTargets = { openMs: 300, keystrokeP95Ms: 60, headingMs: 500, rssMb: 500 };

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, hwmMb: NaN };
  }
}

function pagesLinking(site, anchor) {
  const out = [];
  const walk = (d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (!n.startsWith('.')) walk(p);
      } else if (n.endsWith('.md') && readFileSync(p, 'utf8').includes(`proposal.md#${anchor})`))
        out.push(relative(site, p).split('\\').join('/'));
    }
  };
  walk(site);
  return out.sort();
}

export async function runLspBenchmark({
  pages = 2240,
  keystrokes = 60,
  base = '/tmp/msol-bench',
  serverPath = builtServer,
  log = () => {},
} = {}) {
  const site = join(base, `lsp-site-${pages}`);
  const info = generateSite({ pages, out: site, seed: 1 });
  const uri = (p) => pathToFileURL(join(site, p)).toString();
  // A private copy of the bundle: a rebuild of the working tree during the run must not change the server under test.
  mkdirSync(join(base, 'lsp-snapshot'), { recursive: true });
  const server = join(base, 'lsp-snapshot', 'server.js');
  copyFileSync(serverPath, server);
  // The server's worker threads (server/out/worker.js) beside it.
  copyFileSync(join(dirname(serverPath), 'worker.js'), join(base, 'lsp-snapshot', 'worker.js'));
  // MSOL_BENCH_NODE_ARGS: extra Node options for the server (e.g. --cpu-prof --cpu-prof-dir=DIR, to see where time goes).
  const nodeArgs = (process.env.MSOL_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // An empty cache folder: the first index is a cold one (scripts/bench/run.mjs measures the one from msol check's cache).
  const xdg = join(base, 'lsp-xdg-empty');
  rmSync(xdg, { recursive: true, force: true });
  mkdirSync(xdg, { recursive: true });
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, XDG_CACHE_HOME: xdg, MSOL_CACHE_KEY: '' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-4000)));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  let ready;
  const readyPromise = new Promise((r) => (ready = r));
  let indexing = false;
  connection.onNotification('msol/status', (p) => {
    if (p?.state === 'indexing') indexing = true;
    if (p?.state === 'ready' && indexing) ready(performance.now());
  });
  for (const m of [
    'client/registerCapability',
    'client/unregisterCapability',
    'workspace/diagnostic/refresh',
    'window/workDoneProgress/create',
    'workspace/codeLens/refresh',
    'workspace/semanticTokens/refresh',
  ])
    connection.onRequest(m, () => null);
  connection.onRequest('workspace/configuration', (p) => (p?.items ?? []).map(() => null));
  connection.onNotification((method, params) => {
    // MSOL_BENCH_LOG=1: the server's log lines (with MSOL_LOG_LEVEL=debug, its decisions) on stderr.
    if (process.env.MSOL_BENCH_LOG && method === 'window/logMessage') log(`server: ${params?.message}`);
  });
  connection.listen();
  const versions = new Map();
  const texts = new Map();
  const open = (path) => {
    const text = readFileSync(join(site, path), 'utf8');
    texts.set(path, text);
    versions.set(path, 1);
    return connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(path), languageId: 'markdown', version: 1, text },
    });
  };
  const change = (path, start, end, newText) => {
    const text = texts.get(path);
    const pos = (offset) => {
      const before = text.slice(0, offset);
      const line = before.split('\n').length - 1;
      return { line, character: offset - (before.lastIndexOf('\n') + 1) };
    };
    const range = { start: pos(start), end: pos(end) };
    texts.set(path, text.slice(0, start) + newText + text.slice(end));
    const version = versions.get(path) + 1;
    versions.set(path, version);
    return connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version },
      contentChanges: [{ range, text: newText }],
    });
  };
  const pull = (path) => connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri(path) } });

  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(site).toString(),
      workspaceFolders: [{ uri: pathToFileURL(site).toString(), name: 'site' }],
      capabilities: benchClientCapabilities,
      // The status notifications tell when indexing ends (the server sends them only to a client that asks).
      initializationOptions: { statusNotification: true },
    });
    const initialized = performance.now();
    await connection.sendNotification('initialized', {});
    // 1. A page opened while the site indexes.
    const page = 'crewing/crewing-0/page-60.md';
    const t0 = performance.now();
    await open(page);
    const first = await pull(page);
    const openMs = performance.now() - t0;
    log(`open while indexing: ${openMs.toFixed(0)} ms (${first.items?.length ?? 0} diagnostics)`);
    const readyAt = await readyPromise;
    const indexMs = readyAt - initialized;
    const memory = memoryOf(child.pid);
    log(
      `full index: ${indexMs.toFixed(0)} ms; server RSS ${memory.rssMb.toFixed(0)} MB (peak ${memory.hwmMb.toFixed(0)} MB)`,
    );

    // 2. Keystrokes in the 50 KB page, in bursts of 10, each followed by a pull.
    const long = info.longPage;
    await open(long);
    await pull(long);
    const keyMs = [];
    let at = texts.get(long).indexOf('\n\n', 20000) + 2;
    for (let k = 0; k < keystrokes; k++) {
      if (k % 10 === 0) at = texts.get(long).indexOf('\n\n', at + 500) + 2;
      const t = performance.now();
      await change(long, at, at, 'x');
      at++;
      const r = await pull(long);
      keyMs.push(performance.now() - t);
      if (r.kind !== 'full' && r.kind !== 'unchanged') throw new Error('unexpected diagnostic report');
    }
    log(
      `keystrokes: p50 ${percentile(keyMs, 50).toFixed(1)} ms, p95 ${percentile(keyMs, 95).toFixed(1)} ms (each: ${keyMs.map((m) => m.toFixed(0)).join(' ')})`,
    );

    // 3. A heading of the proposal renamed: a page linking it reports the broken anchor.
    const anchor = 'part-2-crew';
    const linking = pagesLinking(site, anchor).filter((p) => p !== page);
    const target = linking[0];
    await open(target);
    const before = await pull(target);
    const broken = (report) =>
      (report.items ?? []).some((d) => d.code === 'link-missing-heading' && String(d.message).includes(anchor));
    if (broken(before)) throw new Error('the linking page reports the anchor before the change');
    await open(info.proposal);
    await pull(info.proposal);
    const proposalText = texts.get(info.proposal);
    const h = proposalText.indexOf('## Part 2. Crew');
    const t1 = performance.now();
    await change(info.proposal, h + '## Part 2. '.length, h + '## Part 2. Crew'.length, 'Crews');
    let headingMs = NaN;
    for (let i = 0; i < 2000; i++) {
      if (broken(await pull(target))) {
        headingMs = performance.now() - t1;
        break;
      }
    }
    log(
      `proposal heading change: ${headingMs.toFixed(0)} ms until ${target} reports it (${linking.length} pages link it)`,
    );
    const after = memoryOf(child.pid);
    const result = {
      site: info,
      openMs,
      indexMs,
      keystrokes: {
        count: keyMs.length,
        p50: percentile(keyMs, 50),
        p95: percentile(keyMs, 95),
        max: Math.max(...keyMs),
      },
      headingMs,
      linkingPages: linking.length,
      memory,
      memoryAtEnd: after,
    };
    return { ...result, table: formatLspTable(result) };
  } finally {
    try {
      await connection.sendRequest('shutdown');
      const exited = new Promise((r) => child.once('exit', r));
      await connection.sendNotification('exit');
      // Let the server exit on its own (a --cpu-prof profile is written then); kill it if it has not within 5 s.
      let timer;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
    } catch {
      // The server is gone already.
    }
    child.kill();
    connection.dispose();
    if ((child.exitCode && child.exitCode !== 0) || process.env.MSOL_BENCH_STDERR) log(stderr);
  }
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const yes = (ok) => (ok ? 'yes' : '**no**');

export function formatLspTable(r) {
  const t = lspTargets;
  return [
    `Site: ${r.site.pages} pages, ${r.site.mb} MB; the 50 KB page: ${r.site.longPage}.`,
    '',
    '| language server | measured | target | met |',
    '|---|---:|---:|:---:|',
    `| open a page while the site indexes → its diagnostics | ${fmt(r.openMs)} ms | ≤ ${t.openMs} ms | ${yes(r.openMs <= t.openMs)} |`,
    `| first full index of the site (background) | ${fmt(r.indexMs)} ms | – | – |`,
    `| keystroke in a 50 KB page → its diagnostics, p50 (${r.keystrokes.count} keystrokes) | ${fmt(r.keystrokes.p50, 1)} ms | – | – |`,
    `| keystroke in a 50 KB page → its diagnostics, p95 | ${fmt(r.keystrokes.p95, 1)} ms | ≤ ${t.keystrokeP95Ms} ms | ${yes(r.keystrokes.p95 <= t.keystrokeP95Ms)} |`,
    `| proposal heading renamed → a linking page's diagnostics updated (${r.linkingPages} pages link it) | ${fmt(r.headingMs)} ms | ≤ ${t.headingMs} ms | ${yes(r.headingMs <= t.headingMs)} |`,
    `| server RSS after indexing (peak during indexing) | ${fmt(r.memory.rssMb)} MB (${fmt(r.memory.hwmMb)} MB) | ≤ ${t.rssMb} MB | ${yes(r.memory.rssMb <= t.rssMb)} |`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const result = await runLspBenchmark({
    pages: Number(opt('pages', 2240)),
    keystrokes: Number(opt('keystrokes', 60)),
    base: opt('dir', '/tmp/msol-bench'),
    serverPath: resolve(opt('server', builtServer)),
    log: (l) => console.error(l),
  });
  console.log(result.table);
  const json = opt('json', undefined);
  if (json) (await import('node:fs')).writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
}
