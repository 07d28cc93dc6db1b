/**
 * The remark preset in a language server: unified-language-server set up
 * exactly as remark-language-server sets it up (its whole program, below),
 * with `.remarkrc.json` naming `microsolidarity-authoring/remark` in a copy of
 * the example site. An open page gets the findings of `msol check`, those of
 * workspace rules included (another page's headings, SUMMARY.md, the
 * glossary), with rule ids, sources and docs links; unsaved text counts.
 * (remark-language-server itself is not in the npm registry this machine
 * reaches; unified-language-server, which it wraps, is.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { cleanup, ensureBuilt, msol, repoRoot, tempDir } from './cli/cliHarness';

/** remark-language-server's program (remark-language-server/lib/index.js), with imports resolved from this repository. */
const serverProgram = (
  modules: string,
) => `import { remark } from ${JSON.stringify(pathToFileURL(join(modules, 'remark', 'index.js')).href)};
import { createUnifiedLanguageServer } from ${JSON.stringify(pathToFileURL(join(modules, 'unified-language-server', 'index.js')).href)};
createUnifiedLanguageServer({
  ignoreName: '.remarkignore',
  packageField: 'remarkConfig',
  pluginPrefix: 'remark',
  processorName: 'remark',
  processorSpecifier: 'remark',
  rcName: '.remarkrc',
  defaultProcessor: remark,
});
`;

let dir: string;
let site: string;
let child: ChildProcess;
let connection: ProtocolConnection;
const published = new Map<string, Diagnostic[]>();
const waiters: Array<() => void> = [];

function uri(path: string): string {
  return pathToFileURL(join(site, path)).href;
}

/** The next diagnostics published for a page that `accept` approves (the server publishes after each change). */
function diagnosticsFor(path: string, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  return new Promise((resolve) => {
    const check = () => {
      const d = published.get(uri(path));
      if (d && accept(d)) {
        resolve(d);
        return true;
      }
      return false;
    };
    if (check()) return;
    const waiter = () => {
      if (check()) waiters.splice(waiters.indexOf(waiter), 1);
    };
    waiters.push(waiter);
  });
}

const places = (d: readonly Diagnostic[]) =>
  d.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.code}`).sort();

before(async () => {
  ensureBuilt();
  dir = tempDir();
  mkdirSync(join(dir, 'node_modules'));
  // The checked-out package, as npm links a local folder (the packed tarball is remarkPreset.test.ts's subject).
  symlinkSync(repoRoot, join(dir, 'node_modules', 'microsolidarity-authoring'), 'dir');
  site = join(dir, 'site');
  cpSync(join(repoRoot, 'examples', 'handbook'), site, { recursive: true });
  writeFileSync(join(site, '.remarkrc.json'), JSON.stringify({ plugins: ['microsolidarity-authoring/remark'] }));
  writeFileSync(join(dir, 'server.mjs'), serverProgram(join(repoRoot, 'node_modules')));
  child = spawn(process.execPath, [join(dir, 'server.mjs'), '--stdio'], {
    cwd: site,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') },
  });
  connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
    published.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) w();
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(site).href,
    workspaceFolders: [{ uri: pathToFileURL(site).href, name: 'site' }],
    capabilities: {},
  });
  await connection.sendNotification('initialized', {});
});

after(async () => {
  connection?.dispose();
  child?.kill();
  cleanup();
});

describe('remark-language-server with the preset', () => {
  test('an open page gets the findings of msol check, workspace rules included, with ids, source and docs', async () => {
    const expected = JSON.parse(msol(['check', '.', '--format', 'json', '--no-cache'], { cwd: site }).stdout) as {
      path: string;
      messages: { line: number; column: number; ruleId: string }[];
    }[];
    const page = 'congregating/hosting-gatherings.md';
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: uri(page),
        languageId: 'markdown',
        version: 1,
        text: readFileSync(join(site, page), 'utf8'),
      },
    });
    const diagnostics = await diagnosticsFor(page, (d) => d.length > 0);
    const want = expected
      .find((f) => f.path === page)!
      .messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)
      .sort();
    assert.deepEqual(places(diagnostics), want);
    const anchor = diagnostics.find((d) => d.code === 'link-missing-heading')!;
    assert.equal(anchor.source, 'msol');
    assert.equal(anchor.severity, 1);
    assert.equal(
      anchor.codeDescription?.href,
      'https://github.com/microsolidarity/microsolidarity-authoring/blob/main/server/src/engine/rules/link-missing-heading/docs.md',
    );
    assert.ok(
      diagnostics.some((d) => d.code === 'summary-orphan-page'),
      'SUMMARY.md was read',
    );
  });

  test('unsaved text is what is checked: a new broken link appears, a fixed one goes', async () => {
    const page = 'crewing/listening-pairs.md';
    const text = readFileSync(join(site, page), 'utf8');
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(page), languageId: 'markdown', version: 1, text },
    });
    const before = await diagnosticsFor(page, (d) => d.length > 0);
    assert.deepEqual(places(before), ['12:32 link-missing-file', '14:19 link-missing-file']);
    const edited = `[gone](nowhere.md)\n\n${text.replace('](articles/proposal.md', '](../articles/proposal.md')}`;
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(page), version: 2 },
      contentChanges: [{ text: edited }],
    });
    const afterEdit = await diagnosticsFor(page, (d) => d.some((x) => x.range.start.line === 0));
    assert.deepEqual(places(afterEdit), ['16:19 link-missing-file', '1:8 link-missing-file']);
  });
});
