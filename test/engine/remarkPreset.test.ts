/**
 * `microsolidarity-authoring/remark`, the unified preset, as a remark user
 * meets it: the checked-out package is packed and installed (from its
 * tarball, no registry) into a temporary folder beside remark-cli, and
 * `remark --use microsolidarity-authoring/remark --frail .` runs on a copy of
 * the example site. It must exit 1 and report exactly what
 * `msol check --format json` reports there: file, line, column, rule id and
 * severity, workspace rules included (links to other pages, anchors,
 * orphans, the glossary read from README.md).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, ensureBuilt, msol, repoRoot, tempDir } from './cli/cliHarness';

interface Seen {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly severity: string;
}

const key = (s: Seen) => `${s.file}:${s.line}:${s.column} ${s.severity} ${s.ruleId}`;

let dir: string;
let site: string;

function run(command: string, args: readonly string[], cwd: string, input?: string) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    MSOL_LOG: undefined,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    XDG_CACHE_HOME: join(dir, 'cache'),
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(command, args, {
    cwd,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** remark-cli as installed beside the package (a link to this repository's devDependency: no download). */
function remark(args: readonly string[], cwd = site, input?: string) {
  return run(process.execPath, [join(dir, 'node_modules', 'remark-cli', 'cli.js'), '--no-color', ...args], cwd, input);
}

/** vfile-reporter's lines: a file name, then `line:column[-line:column]  severity  reason  ruleId  source`. */
function parseReport(stderr: string): Seen[] {
  const out: Seen[] = [];
  let file = '';
  for (const line of stderr.split('\n')) {
    const m = /^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(error|warning|info)\s+.*?\s+([a-z][a-z0-9-]+)\s+msol\s*$/.exec(line);
    if (m) out.push({ file, line: Number(m[1]), column: Number(m[2]), ruleId: m[4]!, severity: m[3]! });
    else if (/^\S/.test(line) && !/^\d+ messages? \(|^[✖⚠]/.test(line)) file = line.replace(/: no issues found$/, '');
  }
  return out;
}

function msolFindings(cwd: string): Seen[] {
  const r = msol(['check', '.', '--format', 'json', '--no-cache'], { cwd });
  assert.equal(r.code, 1, r.stderr);
  const files = JSON.parse(r.stdout) as {
    path: string;
    messages: { line: number; column: number; ruleId: string; fatal: boolean | null }[];
  }[];
  return files.flatMap((f) =>
    f.messages.map((m) => ({
      file: f.path,
      line: m.line,
      column: m.column,
      ruleId: m.ruleId,
      severity: m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info',
    })),
  );
}

before(() => {
  ensureBuilt();
  dir = tempDir();
  const pack = run('npm', ['pack', '--silent', '--pack-destination', dir], repoRoot);
  assert.equal(pack.code, 0, pack.stderr);
  const tarball = pack.stdout.trim().split('\n').pop()!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'remark-user', private: true }));
  const install = run('npm', ['install', '--offline', '--no-save', '--no-package-lock', join(dir, tarball)], dir);
  assert.equal(install.code, 0, install.stderr);
  symlinkSync(join(repoRoot, 'node_modules', 'remark-cli'), join(dir, 'node_modules', 'remark-cli'), 'dir');
  site = join(dir, 'site');
  cpSync(join(repoRoot, 'examples', 'handbook'), site, { recursive: true });
});

after(cleanup);

describe('the remark preset', () => {
  test('the tarball holds the preset and what it loads, and package.json exports it', () => {
    const pkg = JSON.parse(
      readFileSync(join(dir, 'node_modules', 'microsolidarity-authoring', 'package.json'), 'utf8'),
    ) as { exports: Record<string, string> };
    assert.equal(pkg.exports['./remark'], './server/out/remark.js');
    const r = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('microsolidarity-authoring/remark'); console.log(typeof m.default.plugins[0])",
      ],
      dir,
    );
    assert.equal(r.stdout.trim(), 'function', r.stderr);
  });

  test('remark --use microsolidarity-authoring/remark --frail . exits 1 with the findings of msol check --format json', () => {
    const expected = msolFindings(site).map(key).sort();
    const r = remark(['--use', 'microsolidarity-authoring/remark', '--frail', '.']);
    assert.equal(r.code, 1, r.stderr);
    const seen = parseReport(r.stderr).map(key).sort();
    assert.ok(expected.length >= 10, 'the example site has findings of many rules');
    assert.deepEqual(seen, expected);
    // Workspace rules ran through the file set: a link to another page's missing heading, an orphan page, the glossary from README.md.
    for (const rule of ['link-missing-heading', 'summary-orphan-page', 'term-case', 'link-missing-file'])
      assert.ok(
        seen.some((s) => s.endsWith(` ${rule}`)),
        rule,
      );
  });

  test('the .remarkrc.json of the README gives the same report without --use', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const rc = /```json\n(\{\n\s+"plugins": \[[^`]*?\n\})\n```/.exec(readme);
    assert.ok(rc, 'README.md shows a .remarkrc.json');
    const withRc = join(dir, 'site-rc');
    cpSync(site, withRc, { recursive: true });
    writeFileSync(join(withRc, '.remarkrc.json'), rc[1]!);
    const r = remark(['--frail', '.'], withRc);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(parseReport(r.stderr).map(key).sort(), msolFindings(withRc).map(key).sort());
  });

  test('one file alone still sees the site (as remark-language-server asks), and its text is what remark read, not the disk', () => {
    const page = 'crewing/listening-pairs.md';
    const alone = remark(['--use', 'microsolidarity-authoring/remark', page]);
    const all = msolFindings(site).filter((s) => s.file === page);
    assert.deepEqual(parseReport(alone.stderr).map(key).sort(), all.map(key).sort());
    // An editor's unsaved text (stdin with --file-path): a new broken link is reported at its URL, the disk is untouched.
    const before = readFileSync(join(site, page), 'utf8');
    const edited = `[gone](nowhere.md)\n\n${before}`;
    const r = remark(['--use', 'microsolidarity-authoring/remark', '--file-path', page, '--no-stdout'], site, edited);
    const seen = parseReport(r.stderr);
    assert.ok(
      seen.some((s) => s.line === 1 && s.column === 8 && s.ruleId === 'link-missing-file'),
      r.stderr,
    );
    assert.equal(readFileSync(join(site, page), 'utf8'), before);
  });

  test('a broken .msolrc.json is reported on the first page of the site, at 1:1, naming the config place', () => {
    const broken = join(dir, 'site-broken');
    cpSync(site, broken, { recursive: true });
    writeFileSync(join(broken, '.msolrc.json'), '{ "rules": { "term-case": "loud" } }\n');
    mkdirSync(join(broken, 'drafts'), { recursive: true });
    const r = remark(['--use', 'microsolidarity-authoring/remark', '.'], broken);
    const config = parseReport(r.stderr).filter((s) => s.ruleId === 'config-invalid');
    assert.deepEqual(config.map(key), ['README.md:1:1 error config-invalid']);
    assert.match(r.stderr, /\.msolrc\.json:1:\d+: Unexpected value for `rules\.term-case`/);
  });
});
