// The language server's "initialize → complete workspace/diagnostic" (issue 16): starts the bundled
// server (a private copy) on a site, sends `initialize` and `initialized` as VS Code does, asks
// `workspace/diagnostic` at once, and measures from the `initialize` request until the answer holds
// every page. Prints one JSON line: ms, files, diagnostics, the server's RSS after the answer.
//   node scripts/bench/lsp-workspace.mjs <site> [--server server/out/server.js] [--cache-home DIR]
// --cache-home: the XDG cache folder the server (and msol before it) use, so a run "with the CLI's
// cache" reads what `msol check` wrote there and a run without it starts from an empty folder.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = rpc;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, hwmMb: NaN };
  }
}

/** One measurement. `env` is added to the server's environment (XDG_CACHE_HOME for the cache). */
/** What both language-server benches announce: a pull client like VS Code's (refresh, watched files, configuration). */
export const benchClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    diagnostic: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true },
  },
  workspace: {
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    configuration: true,
  },
  window: { workDoneProgress: true },
};

export async function workspaceDiagnostics({
  site,
  server = join(repo, 'server', 'out', 'server.js'),
  env = {},
  nodeArgs = [],
}) {
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], {
    cwd: site,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-4000)));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  for (const m of [
    'client/registerCapability',
    'client/unregisterCapability',
    'workspace/diagnostic/refresh',
    'window/workDoneProgress/create',
    'workspace/codeLens/refresh',
  ])
    connection.onRequest(m, () => null);
  connection.onRequest('workspace/configuration', (p) => (p?.items ?? []).map(() => null));
  connection.listen();
  const rootUri = pathToFileURL(site).toString();
  try {
    const started = performance.now();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'site' }],
      capabilities: benchClientCapabilities,
    });
    await connection.sendNotification('initialized', {});
    const report = await connection.sendRequest('workspace/diagnostic', { previousResultIds: [] });
    const ms = performance.now() - started;
    const items = report.items ?? [];
    return {
      ms,
      files: items.length,
      diagnostics: items.reduce((n, i) => n + (i.items?.length ?? 0), 0),
      memory: memoryOf(child.pid),
    };
  } finally {
    try {
      await connection.sendRequest('shutdown');
      const exited = new Promise((r) => child.once('exit', r));
      await connection.sendNotification('exit');
      let timer;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
    } catch {
      // The server is gone already.
    }
    child.kill();
    connection.dispose();
    if (child.exitCode || process.env.MSOL_BENCH_STDERR) process.stderr.write(stderr);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const cacheHome = opt('cache-home', undefined);
  const nodeArgs = (process.env.MSOL_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const r = await workspaceDiagnostics({
    site: resolve(args[0] ?? '.'),
    server: resolve(opt('server', join(repo, 'server', 'out', 'server.js'))),
    env: cacheHome ? { XDG_CACHE_HOME: resolve(cacheHome) } : {},
    nodeArgs,
  });
  console.log(JSON.stringify(r));
}
