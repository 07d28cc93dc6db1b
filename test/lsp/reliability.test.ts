import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CancellationTokenSource,
  CodeActionRequest,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  FileChangeType,
  ResponseError,
  WorkspaceDiagnosticRequest,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Site, TestClient, repoRoot } from './harness';
import { userCacheFolder } from '../../server/src/node/cache';
import {
  freshDiagnostics,
  inside,
  instrument,
  normalize,
  seed,
  settledPull,
  type Instrumented,
} from './reliability.helpers';
import {
  asText,
  assertNoProblems,
  decorate,
  decoration,
  editProblems,
  fixLoop,
  lfMarkdown,
  richSite,
} from '../engine/reliability/support';

/**
 * The server under hostile conditions.
 * - Thousands of random incremental edits of two pages (one of them the
 *   glossary's source), with diagnostic pulls, code-action requests and
 *   workspace pulls interleaved, many of them cancelled with $/cancelRequest
 *   right away: the server stays up, logs no error, and then says exactly what
 *   a fresh server says about the same texts.
 * - A hostile workspace: links climbing out of the root, symbolic links to
 *   outside files and folders, symbolic-link loops, names with spaces,
 *   unicode, `%` and `#`, a ~3,000-character path, a FIFO, file events and an
 *   opened document outside the folder, a `.git/config` that would run
 *   commands if git obeyed it: every request is answered, and a recorder
 *   preloaded into the server shows that nothing outside the workspace was
 *   read (only the targets of the site's own links to outside are resolved,
 *   to refuse them) and nothing at all was written.
 * - A rule that throws inside the bundled server (a test-only patch applied by
 *   a preload, found by the runner's crash message) becomes one rule-crashed
 *   diagnostic per page; the server keeps serving.
 * - source.fixAll.msol applied until nothing is left on generated pages (LF or
 *   CRLF, with or without BOM) converges to what `msol check --fix` writes,
 *   each edit minimal and losing nothing.
 * RELIABILITY_EDITS and FIXALL_CASES change the counts; FUZZ_SEED replays another run.
 */

const editCount = Number(process.env['RELIABILITY_EDITS'] ?? 2_000);

const readme =
  '# Microsolidarity\n\n## Definition of terms\n\n**Microsolidarity** is a set of practices for mutual support between peers.\n\nMost of this support happens in a **Crew**: a small group.\n\nSee [the page](page.md#page).\n';
const page = '# Page\n\nSome crew text with [a link](articles/proposal.md#part-1-collapse) and a pod.\n';
const files = {
  '.msolrc.json': JSON.stringify({ glossary: { terms: [{ term: 'Crew', avoid: ['pod'] }] } }),
  'README.md': readme,
  'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n* [Page](page.md)\n',
  'articles/proposal.md': '# Proposal\n\n## Part 1. Collapse\n\ntext\n',
  'page.md': page,
};

const fragments = [
  'crew ',
  'Crew ',
  'a pod ',
  '**Guild** is a thing. ',
  '[p](articles/proposal.md#part-1-collapse) ',
  '[x](missing.md) ',
  '[h](page.md#nope) ',
  '{% hint style="info" %}\n',
  '{% endhint %}\n',
  '\n',
  '## Page\n',
  '# ',
  'â€” ',
  'word ',
  '`',
  '> ',
  '* ',
  '<!-- msol-disable -->',
  '\r\n',
  '😅',
];

const errorsLogged = (client: TestClient) =>
  client.messages
    .filter((m) => m.method === 'window/logMessage' && (m.params as { type: number }).type === 1)
    .map((m) => (m.params as { message: string }).message);

describe(`random incremental edits (${editCount}) with cancellation`, () => {
  let site: Site;
  let client: TestClient;
  before(async () => {
    site = new Site(files);
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'random' }] });
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('survives, answers or cancels every request, and ends where a fresh server is', async () => {
    const docs = new Map<string, TextDocument>();
    for (const [path, text] of [
      ['page.md', page],
      ['README.md', readme],
    ] as const) {
      const uri = site.uri(path);
      docs.set(path, TextDocument.create(uri, 'markdown', 1, text));
      await client.open(uri, text, 1);
    }
    const script = fc.sample(
      fc.record({
        onReadme: fc.boolean(),
        at: fc.nat(),
        remove: fc.nat(10),
        insert: fc.constantFrom(...fragments),
        request: fc.constantFrom(
          'none',
          'none',
          'none',
          'none',
          'none',
          'none',
          'none',
          'none',
          'pull',
          'pull-cancel',
          'actions-cancel',
          'workspace-cancel',
          'await-pull',
        ),
      }),
      { seed: seed + 2, numRuns: editCount },
    );
    const pending: Array<Promise<unknown>> = [];
    let cancelled = 0;
    let answered = 0;
    /** A request's outcome: an answer, or RequestCancelled. Anything else fails the test. */
    const track = (p: Promise<unknown>) =>
      pending.push(
        p.then(
          () => answered++,
          (error: unknown) => {
            if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) cancelled++;
            else throw error;
          },
        ),
      );
    for (const step of script) {
      const path = step.onReadme ? 'README.md' : 'page.md';
      const uri = site.uri(path);
      let doc = docs.get(path)!;
      const text = doc.getText();
      const at = text.length ? step.at % (text.length + 1) : 0;
      const remove = text.length > 4000 ? 300 : step.remove;
      const range = { start: doc.positionAt(at), end: doc.positionAt(Math.min(text.length, at + remove)) };
      doc = TextDocument.update(doc, [{ range, text: step.insert }], doc.version + 1);
      docs.set(path, doc);
      void client.change(uri, { range, text: step.insert });
      const source = new CancellationTokenSource();
      switch (step.request) {
        case 'pull':
          track(client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }));
          break;
        case 'pull-cancel':
          track(client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }, source.token));
          source.cancel();
          break;
        case 'actions-cancel':
          track(
            client.connection.sendRequest(
              CodeActionRequest.type,
              { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll.msol'] } },
              source.token,
            ),
          );
          source.cancel();
          break;
        case 'workspace-cancel':
          track(
            client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }, source.token),
          );
          source.cancel();
          break;
        case 'await-pull':
          await client.pull(uri);
          answered++;
          break;
      }
    }
    await Promise.all(pending);
    const mine = new Map<string, Diagnostic[]>();
    for (const path of ['page.md', 'README.md']) mine.set(path, await settledPull(client, site.uri(path)));
    console.log(`# ${editCount} edits; ${answered} requests answered, ${cancelled} cancelled`);
    assert.equal(client.child.exitCode, null, 'the server is alive');
    assert.deepEqual(errorsLogged(client), [], 'no error was logged');
    assert.ok(cancelled > 0 && answered > 0, 'both outcomes happened');
    const texts = { 'page.md': docs.get('page.md')!.getText(), 'README.md': docs.get('README.md')!.getText() };
    const fresh = await freshDiagnostics(site, texts, ['page.md', 'README.md']);
    for (const path of ['page.md', 'README.md']) {
      assert.deepEqual(
        normalize(mine.get(path)!),
        normalize(fresh.get(path)!),
        `${path}: the diagnostics equal a fresh server's on the final text`,
      );
    }
  });
});

describe('a hostile workspace', () => {
  let base: string;
  let site: string;
  let outside: string;
  let client: TestClient;
  let probe: Instrumented & { restore(): void };
  const markers = ['fsmonitor', 'pager', 'textconv', 'diffext', 'hook'];
  const longDir = Array.from({ length: 14 }, (_, i) => `${String(i).padStart(2, '0')}-${'d'.repeat(200)}`).join('/');

  before(async () => {
    base = realpathSync(mkdtempSync(nodePath.join(tmpdir(), 'msol-hostile-')));
    site = nodePath.join(base, 'site');
    outside = nodePath.join(base, 'outside');
    const write = (root: string, path: string, text: string) => {
      const abs = nodePath.join(root, ...path.split('/'));
      mkdirSync(nodePath.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    };
    write(outside, 'secret.md', '# Secret\n\nâ€” would be reported if this were read\n');
    write(outside, 'img.png', 'not a png');
    write(site, 'SUMMARY.md', '# Summary\n\n* [Home](README.md)\n');
    write(
      site,
      'README.md',
      [
        '# Home',
        '',
        '* [passwd](../../../../../../etc/passwd) and ![img](../outside/img.png) and [secret](../outside/secret.md)',
        '* <a href="/etc/passwd">root</a> and [abs](/../../etc/shadow) and [file url](file:///etc/passwd)',
        '* [linked](linked.md) [outdir](outdir/secret.md) [loop](loop.md) [up](sub/up/README.md)',
        '* [spaces](a%20page%20%23%201.md) [unicode](ünï.md) [percent](100%25.md) [fifo](fifo.md)',
        `* [long](${longDir}/deep.md#deep)`,
        '',
      ].join('\n'),
    );
    write(site, 'a page # 1.md', '# Spaces\n\n[back](README.md#home)\n');
    write(site, 'ünï.md', '# Ünï\n\n[back](README.md#nope)\n');
    write(site, '100%.md', '# Percent\n');
    write(site, 'sub/page.md', '# Sub\n');
    write(site, `${longDir}/deep.md`, '# Deep\n\n[up](../../../../../../../../../../../../../../README.md)\n');
    symlinkSync(nodePath.join(outside, 'secret.md'), nodePath.join(site, 'linked.md'));
    symlinkSync(outside, nodePath.join(site, 'outdir'));
    symlinkSync('loop.md', nodePath.join(site, 'loop.md'));
    symlinkSync('..', nodePath.join(site, 'sub', 'up'));
    execFileSync('mkfifo', [nodePath.join(site, 'fifo.md')]);
    // A repository whose config would run commands if git obeyed it while reading history.
    execFileSync('git', ['init', '-q', site]);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', site, '-c', 'user.name=x', '-c', 'user.email=x@example.org', ...args]);
    git('add', 'README.md', 'SUMMARY.md');
    git('commit', '-qm', 'init');
    const mark = (name: string) => `touch ${nodePath.join(base, `pwned-${name}`)}`;
    git('config', 'core.fsmonitor', `${mark('fsmonitor')}; false`);
    git('config', 'core.pager', mark('pager'));
    git('config', 'diff.external', mark('diffext'));
    git('config', 'diff.evil.textconv', `${mark('textconv')}; cat`);
    git('config', 'core.hooksPath', nodePath.join(base, 'hooks'));
    write(site, '.gitattributes', '*.md diff=evil\n');
    write(base, 'hooks/post-checkout', `#!/bin/sh\n${mark('hook')}\n`);

    probe = instrument();
    client = await TestClient.start({ workspaceFolders: [{ uri: URI.file(site).toString(), name: 'hostile' }] });
    probe.restore();
  });
  after(async () => {
    await client.dispose();
    probe.dispose();
    rmSync(base, { recursive: true, force: true });
  });

  it('answers every request, reports what leaves the site, reads nothing outside it and writes nothing', async () => {
    const uri = (p: string) => URI.file(nodePath.join(site, ...p.split('/'))).toString();
    await client.ready();
    const readmeUri = uri('README.md');
    await client.open(readmeUri, (await import('node:fs')).readFileSync(nodePath.join(site, 'README.md'), 'utf8'));
    const diagnostics = await settledPull(client, readmeUri);
    const messages = diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
    assert.ok(
      messages.filter((m) => /leaves the site/.test(m)).length >= 3,
      `links out of the site are reported:\n${messages.join('\n')}`,
    );
    assert.ok(
      messages.some((m) => /missing file `linked\.md`/.test(m)),
      'a link to a file outside, through a symbolic link, is not a file of the site',
    );
    assert.ok(
      !messages.some((m) => /a page # 1|ünï|100%|deep\.md/.test(m)),
      `names with spaces, #, unicode, % and a long path resolve:\n${messages.join('\n')}`,
    );

    // Requests and events that name what is outside: answered, never followed.
    await client.open(URI.file(nodePath.join(outside, 'secret.md')).toString(), '# Secret\n\n[x](../site/README.md)\n');
    await client.fileEvents(
      { uri: URI.file('/etc/passwd').toString(), type: FileChangeType.Changed },
      { uri: URI.file(nodePath.join(outside, 'secret.md')).toString(), type: FileChangeType.Created },
      { uri: uri('linked.md'), type: FileChangeType.Changed },
      { uri: uri('outdir'), type: FileChangeType.Created },
      { uri: uri('sub/up'), type: FileChangeType.Created },
      { uri: uri('fifo.md'), type: FileChangeType.Changed },
      { uri: uri('../outside/secret.md'), type: FileChangeType.Created },
    );
    const workspace = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const uris = workspace.items.map((i) => i.uri);
    assert.ok(
      uris.every((u) => inside(site, URI.parse(u).fsPath)),
      `only files of the site are reported: ${uris.filter((u) => !inside(site, URI.parse(u).fsPath)).join(', ')}`,
    );
    assert.ok(uris.includes(uri('fifo.md')), 'the FIFO page is reported');
    const fifo = workspace.items.find((i) => i.uri === uri('fifo.md')) as { items: Diagnostic[] };
    assert.deepEqual(
      fifo.items.map((d) => d.code),
      ['file-unreadable'],
    );
    for (const d of diagnostics.filter((x) => x.code === 'link-missing-file')) {
      await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: readmeUri },
        range: d.range,
        context: { diagnostics: [d] },
      });
    }
    await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: readmeUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.msol'] },
    });
    assert.equal(client.child.exitCode, null, 'the server is alive');
    assert.equal(await client.stop(), 0, 'the server exits cleanly');

    const io = probe.io();
    assert.ok(
      io.some((l) => l === `read ${nodePath.join(site, 'README.md')}`),
      `the recorder saw the server read the site (${io.length} entries)`,
    );
    // msol's own files outside the workspace: the server, and the cache `msol check` writes (which the server only reads).
    const allowed = (p: string) =>
      inside(site, p) || inside(repoRoot, p) || inside(probe.dir, p) || inside(userCacheFolder(process.env), p);
    const strays = io.filter((l) => l.startsWith('read ') && !allowed(l.slice(5)));
    assert.deepEqual(strays, [], 'nothing outside the workspace (and msol itself) was read');
    // Deciding that a symbolic link leaves the site resolves it: the only metadata touched outside is the links' targets.
    const targets = new Set([nodePath.join(outside, 'secret.md'), outside]);
    // Where msol check keeps its cache (node_modules/.cache/msol at or above the site, as the CLI looks for it): a stat of node_modules in each folder above.
    for (let d = nodePath.dirname(site); ; d = nodePath.dirname(d)) {
      targets.add(nodePath.join(d, 'node_modules'));
      if (nodePath.dirname(d) === d) break;
    }
    assert.deepEqual(
      io.filter((l) => l.startsWith('meta ') && !allowed(l.slice(5)) && !targets.has(l.slice(5))),
      [],
      'no other path outside was even looked at',
    );
    assert.deepEqual(
      io.filter((l) => l.startsWith('write ')),
      [],
      'nothing was written',
    );
    assert.deepEqual(
      markers.filter((m) => existsSync(nodePath.join(base, `pwned-${m}`))),
      [],
      "the repository's config ran no command",
    );
  });
});

describe('source.fixAll.msol over generated pages', () => {
  const cases = Number(process.env['FIXALL_CASES'] ?? 40);
  let site: Site;
  let client: TestClient;
  before(async () => {
    site = new Site(richSite({ 'page.md': '# Page\n' }));
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'fixall' }] });
    await client.ready();
  });
  after(async () => {
    await client.dispose();
    site.cleanup();
  });

  it('applied until nothing is left, it converges to what `msol check --fix` writes, losing nothing', async () => {
    const uri = site.uri('page.md');
    const samples = fc.sample(fc.tuple(lfMarkdown, decoration), { seed: seed + 3, numRuns: cases });
    let edited = 0;
    for (const [i, [raw, d]] of samples.entries()) {
      const start = decorate(raw, d);
      let doc = TextDocument.create(uri, 'markdown', 1, start);
      await client.open(uri, start, 1);
      let rounds = 0;
      for (; rounds < 10; rounds++) {
        await client.pull(uri);
        const [action] = await client.codeActions(
          uri,
          { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          [],
          ['source.fixAll.msol'],
        );
        const change = action?.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
        if (!change) break;
        assert.equal(change.textDocument.version, doc.version, 'the edit is for the current version');
        const before = doc.getText();
        const edits = change.edits as TextEdit[];
        const after = TextDocument.applyEdits(doc, edits);
        for (const e of edits) {
          const start = doc.offsetAt(e.range.start);
          const end = doc.offsetAt(e.range.end);
          assertNoProblems(
            editProblems({ start, end, newText: e.newText, path: 'page.md', before, ruleId: 'fixAll' }),
            `case ${i}`,
          );
        }
        doc = TextDocument.create(uri, 'markdown', doc.version + 1, after);
        await client.change(uri, { text: after });
        edited++;
      }
      assert.ok(rounds < 10, `case ${i}: fix-all did not settle`);
      const cli = await fixLoop(richSite({ 'page.md': start }));
      assert.equal(doc.getText(), asText(cli.files['page.md']!), `case ${i}: fix-all in the editor and --fix disagree`);
      await client.close(uri);
    }
    assert.ok(edited > 0, 'some case had something to fix');
    console.log(`# fix-all: ${cases} generated pages, ${edited} fix-all rounds`);
  });
});

describe('a rule that throws inside the bundled server (test-only patch: encoding-mojibake throws)', () => {
  let site: Site;
  let client: TestClient;
  let probe: Instrumented & { restore(): void };
  before(async () => {
    site = new Site({
      'README.md': '# Home\n\nâ€” here, and [x](missing.md).\n',
      'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [Page](page.md)\n',
      'page.md': '# Page\n\n[y](gone.md)\n',
    });
    probe = instrument({ throwInRule: 'encoding-mojibake' });
    client = await TestClient.start({ workspaceFolders: [{ uri: site.rootUri, name: 'crash' }] });
    probe.restore();
  });
  after(async () => {
    await client.dispose();
    probe.dispose();
    site.cleanup();
  });

  it('becomes one rule-crashed diagnostic per page; the other rules still report; the server keeps serving', async () => {
    await client.ready();
    for (const path of ['README.md', 'page.md']) {
      const ds = await client.pull(site.uri(path));
      const crashed = ds.filter((d) => d.code === 'rule-crashed');
      assert.equal(crashed.length, 1, `${path}: one rule-crashed diagnostic (${ds.map((d) => d.code).join(', ')})`);
      assert.match(
        typeof crashed[0]!.message === 'string' ? crashed[0]!.message : '',
        /encoding-mojibake.*a test-only crash/,
      );
      assert.ok(
        ds.some((d) => d.code === 'link-missing-file'),
        `${path}: the other rules still ran`,
      );
      assert.ok(!ds.some((d) => d.code === 'encoding-mojibake'));
    }
    // Editing and pulling again: still answered, still one per page.
    const uri = site.uri('README.md');
    await client.open(uri, '# Home\n\nâ€” here, and [x](missing.md).\n');
    await client.change(uri, { text: '# Home\n\nÃ© and [x](README.md).\n' });
    const after = (await client.pull(uri)).map((d) => d.code);
    assert.equal(after.filter((c) => c === 'rule-crashed').length, 1, after.join(', '));
    assert.ok(!after.includes('link-missing-file'), 'the edit was seen: the link now resolves');
    assert.equal(client.child.exitCode, null, 'the server is alive');
  });
});
