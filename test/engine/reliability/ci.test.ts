import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { Project, LineIndex, type Finding } from '../../../server/src/engine/index';
import { MemoryFileSystem } from '../../../server/src/engine/memoryFileSystem';
import { toSarif } from '../../../server/src/cli/formats/sarif';
import type { FileReport } from '../../../server/src/cli/report';
import { cleanup, ensureBuilt, msol, onlyRules, tempDir, writeFiles, type RunResult } from '../cli/cliHarness';
import { asText, fixtureSites, isPage } from './support';

/**
 * CI honesty: `msol check` under failure. Pages that cannot be read (a FIFO
 * named like a page, a dangling symbolic link, a folder named like a page,
 * binary and non-UTF-8 pages), config files that cannot be used (a FIFO, a
 * folder, UTF-16): no hang, every problem reported, the documented exit code,
 * and every output format well-formed. SARIF is validated against the SARIF
 * 2.1.0 JSON schema as Microsoft ships it (@microsoft/jest-sarif's
 * sarif-2.1.0-rtm.5.json, draft-04) with ajv, formats (uri, uri-reference)
 * included.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
// The schema's language pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` is not valid with the u flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

function sarifErrors(log: unknown): string[] {
  return validateSarif(log)
    ? []
    : (validateSarif.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

before(ensureBuilt);
after(cleanup);

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

/** A spawnSync that hit the harness's 60 s timeout has no exit code: that is a hang. */
function assertFinished(r: RunResult, what: string): void {
  assert.notEqual(r.code, null, `${what}: msol did not finish (a hang?)\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|TypeError|RangeError|at .*\.js:\d+/, `${what}: ${r.stderr}`);
}

interface JsonFile {
  path: string;
  messages: Array<{ ruleId: string; reason: string; fatal: boolean | null; line: number }>;
}

describe('the SARIF validator', () => {
  test('rejects what is not SARIF 2.1.0 (it can fail)', () => {
    assert.deepEqual(sarifErrors({ version: '2.1.0', runs: [] }), []);
    assert.ok(sarifErrors({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }).some((e) => /name/.test(e)));
    assert.ok(
      sarifErrors({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', informationUri: 'not a uri' } } }] }).some(
        (e) => /format/.test(e),
      ),
    );
    assert.ok(
      sarifErrors({
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }],
      }).length > 0,
    );
  });
});

test("SARIF of every rule's fixture site validates, and every region lies inside its file", async () => {
  let results = 0;
  for (const [id, files] of fixtureSites()) {
    const project = new Project({ fs: new MemoryFileSystem(files) });
    await project.initialize();
    const findings = project.checkAll();
    const root = `/site/${id}`;
    const reports: FileReport[] = [...findings].map(([path, list]) => ({
      path,
      absolutePath: `${root}/${path}`,
      siteRoot: root,
      findings: list,
      ...(isPage(path) || path === '.msolrc.json' ? { text: asText(files[path]!) } : {}),
      checked: true,
    }));
    const log = toSarif({ cwd: root, files: reports, version: '0.1.0' });
    assert.deepEqual(sarifErrors(log), [], `SARIF of the ${id} fixtures`);
    for (const r of log.runs[0]!.results) {
      results++;
      const loc = r.locations[0]!.physicalLocation;
      const file = reports.find(
        (f) =>
          encodeURI(f.path).replace(/#/g, '%23') === loc.artifactLocation.uri ||
          f.path === decodeURIComponent(loc.artifactLocation.uri),
      );
      assert.ok(file, `result for a file of the report: ${loc.artifactLocation.uri}`);
      const lines = new LineIndex(file.text ?? '').lineCount;
      assert.ok(
        loc.region.startLine >= 1 && loc.region.endLine <= lines && loc.region.startColumn >= 1,
        `${id}: region ${JSON.stringify(loc.region)} inside ${file.path} (${lines} lines)`,
      );
      assert.ok(
        r.ruleIndex < log.runs[0]!.tool.driver.rules.length &&
          log.runs[0]!.tool.driver.rules[r.ruleIndex]!.id === r.ruleId,
      );
    }
  }
  assert.ok(results > 50, `${results} results`);
});

describe('a site with pages that cannot be read', () => {
  let site: string;
  before(() => {
    site = writeFiles(tempDir(), {
      '.msolrc.json': onlyRules(['link-missing-file', 'encoding-mojibake']),
      'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n',
      'README.md':
        '# Home\n\n[fifo](fifo.md) [gone](gone.md) [dir](dir.md) [spaces](a%20page%20%23%201.md) [ü](ünï.md) [pct](100%25.md)\n',
      'a page # 1.md': '# Spaces\n\n[x](missing.md) â€” mojibake\n',
      'ünï.md': '\uFEFF# Ünï\r\n\r\n[x](missing-too.md)\r\n',
      '100%.md': '# Percent\n\n[y](nope.md)\n',
      'binary.md': new Uint8Array([0x23, 0x20, 0x00, 0x01, 0xff, 0x0a]),
      'latin1.md': new Uint8Array([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]),
      'dir.md/inner.md': '# Inner\n',
    });
    mkfifo(join(site, 'fifo.md'));
    symlinkSync('nowhere.md', join(site, 'gone.md'));
  });

  test('json: no hang, each unreadable page reported once, links to what is not a page reported, exit 1', () => {
    const r = msol(['check', '--format', 'json'], { cwd: site });
    assertFinished(r, 'json');
    assert.equal(r.code, 1, r.stderr);
    const files = JSON.parse(r.stdout) as JsonFile[];
    const byPath = new Map(files.map((f) => [f.path, f.messages]));
    for (const p of ['fifo.md', 'binary.md', 'latin1.md']) {
      assert.deepEqual(
        byPath.get(p)?.map((m) => m.ruleId),
        ['file-unreadable'],
        `${p} is reported as unreadable`,
      );
    }
    assert.match(r.stderr, /broken or looping symbolic link.*gone\.md/, 'the dangling link is named on stderr');
    const readme = byPath.get('README.md')!.map((m) => m.reason);
    assert.ok(readme.some((m) => /missing file `gone\.md`/.test(m)));
    assert.ok(readme.some((m) => /folder `dir\.md`/.test(m)));
    assert.ok(
      !readme.some((m) => /a page # 1|ünï|100%/.test(m)),
      'links to names with spaces, #, unicode and % resolve',
    );
    for (const p of ['a page # 1.md', 'ünï.md', '100%.md'])
      assert.ok(
        byPath.get(p)!.some((m) => m.ruleId === 'link-missing-file'),
        `${p} is checked`,
      );
  });

  test('sarif validates against the SARIF 2.1.0 schema; stylish and github agree with json', () => {
    const json = msol(['check', '--format', 'json'], { cwd: site });
    const sarif = msol(['check', '--format', 'sarif'], { cwd: site });
    const stylish = msol(['check', '--format', 'stylish'], { cwd: site });
    const github = msol(['check', '--format', 'github'], { cwd: site });
    for (const [name, r] of [
      ['sarif', sarif],
      ['stylish', stylish],
      ['github', github],
    ] as const) {
      assertFinished(r, name);
      assert.equal(r.code, json.code, `${name} exits like json`);
    }
    const messages = (JSON.parse(json.stdout) as JsonFile[]).flatMap((f) => f.messages);
    const log = JSON.parse(sarif.stdout) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
        }>;
      }>;
    };
    assert.deepEqual(sarifErrors(log), []);
    assert.equal(log.runs[0]!.results.length, messages.length, 'one SARIF result per finding');
    const uris = log.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    assert.ok(
      uris.includes('a%20page%20%23%201.md') &&
        uris.includes('100%25.md') &&
        uris.includes(encodeURIComponent('ünï.md')),
      `file names are percent-encoded: ${uris.join(' ')}`,
    );
    const annotations = github.stdout.split('\n').filter(Boolean);
    assert.equal(annotations.length, messages.length, 'one annotation per finding');
    for (const a of annotations)
      assert.match(
        a,
        /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=msol\([a-z-]+\)::/,
      );
    const errors = messages.filter((m) => m.fatal === true).length;
    const warnings = messages.filter((m) => m.fatal === false).length;
    assert.match(
      stylish.stdout,
      new RegExp(`✖ ${messages.length} problems? \\(${errors} errors?, ${warnings} warnings?`),
    );
  });

  test('--quiet and --max-warnings keep their meaning when pages cannot be read', () => {
    const warningsOnly = writeFiles(tempDir(), {
      '.msolrc.json': onlyRules(['encoding-mojibake']),
      'README.md': '# Home\n\nâ€” here\n',
      'latin1.md': new Uint8Array([0x23, 0x20, 0xe9, 0x0a]),
    });
    mkfifo(join(warningsOnly, 'fifo.md'));
    const plain = msol(['check', '--format', 'json'], { cwd: warningsOnly });
    assertFinished(plain, 'warnings only');
    assert.equal(plain.code, 0, 'warnings alone (file-unreadable is a warning) pass');
    const strict = msol(['check', '--max-warnings', '0'], { cwd: warningsOnly });
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /too many warnings \(3,/);
  });
});

describe('config files that cannot be used', () => {
  const base = { 'README.md': '# Home\n\n[x](gone.md)\n', 'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n' };

  for (const [name, make] of [
    ['a FIFO', (dir: string) => mkfifo(join(dir, '.msolrc.json'))],
    ['a folder', (dir: string) => mkdirSync(join(dir, '.msolrc.json'))],
    [
      'UTF-16',
      (dir: string) => writeFileSync(join(dir, '.msolrc.json'), Buffer.from('\uFEFF{ "rules": {} }', 'utf16le')),
    ],
    [
      'Latin-1',
      (dir: string) =>
        writeFileSync(join(dir, '.msolrc.json'), Buffer.from('{ "site": { "defaultAuthor": "Jos\u00e9" } }', 'latin1')),
    ],
    ['a FIFO .gitbook.yaml', (dir: string) => mkfifo(join(dir, '.gitbook.yaml'))],
  ] as const) {
    test(`${name}: no hang, a config-invalid finding naming the file, the defaults used, exit 2`, () => {
      const dir = writeFiles(tempDir(), base);
      make(dir);
      const r = msol(['check', '--format', 'json'], { cwd: dir });
      assertFinished(r, name);
      assert.equal(r.code, 2, r.stderr);
      const files = JSON.parse(r.stdout) as JsonFile[];
      const file = name.includes('gitbook') ? '.gitbook.yaml' : '.msolrc.json';
      const config = files.find((f) => f.path === file);
      assert.equal(config?.messages.length, 1, `${file} has one finding`);
      assert.equal(config!.messages[0]!.ruleId, 'config-invalid');
      assert.match(
        config!.messages[0]!.reason,
        new RegExp(
          `${file.replace('.', '\\.')} that cannot be used \\((it cannot be read|it is a folder|it is not valid UTF-8|it looks binary)`,
        ),
      );
      assert.ok(
        files.find((f) => f.path === 'README.md')!.messages.some((m) => m.ruleId === 'link-missing-file'),
        'checked with the defaults',
      );
      assert.match(r.stderr, /configuration is invalid/);
    });
  }

  test('--config naming a FIFO: a usage failure (exit 2), not a hang', () => {
    const dir = writeFiles(tempDir(), base);
    mkfifo(join(dir, 'config.json'));
    const r = msol(['check', '--config', 'config.json'], { cwd: dir });
    assertFinished(r, '--config FIFO');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--config: not a regular file: config\.json/);
  });
});

/** The finding shape the tests above read, kept in sync with the engine's type. */
export type { Finding };
