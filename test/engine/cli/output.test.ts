import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../server/src/engine/index';
import { ansi, cleanup, ensureBuilt, msol, onlyRules, repoRoot, tempDir, writeFiles } from './cliHarness';

/** The four output formats, exit codes 0/1, --quiet and --max-warnings, on sites written here. */

before(ensureBuilt);
after(cleanup);

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

const readme = '# Home\n\nRead [the proposal](proposal.md) first.\n';
/** Where the link's URL is: offset, and 1-based column on line 3. */
const urlOffset = readme.indexOf('proposal.md)');
const urlColumn = readme.split('\n')[2]!.indexOf('proposal.md') + 1;
const urlEnd = urlColumn + 'proposal.md'.length;

/** The 1-based column of `needle` on a 1-based line of `text`. */
function columnOf(text: string, line: number, needle: string): number {
  const i = text.split('\n')[line - 1]!.indexOf(needle);
  assert.ok(i >= 0, `${needle} is on line ${line}`);
  return i + 1;
}

/** A site whose README links to `proposal.md`, which was moved into `articles/`. */
function movedPageSite(extra: Record<string, string> = {}): string {
  return writeFiles(tempDir(), {
    '.msolrc.json': onlyRules(['link-missing-file', 'encoding-mojibake']),
    'README.md': readme,
    'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n',
    'articles/proposal.md': '# Proposal\n\nMicrosolidarity is a set of community-building practices.\n',
    ...extra,
  });
}

describe('stylish', () => {
  test('a broken link: grouped by file, line:col severity message ruleId, summary, exit 1, no colour on a pipe', () => {
    const site = movedPageSite();
    const r = msol(['check'], { cwd: site });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], '');
    assert.equal(lines[1], 'README.md');
    assert.match(lines[2]!, new RegExp(`^ {2}3:${urlColumn} {2}error`));
    assert.match(lines[2]!, / {2}Unexpected link to missing file `proposal\.md`.* {2}link-missing-file$/);
    assert.equal(lines[3], '');
    assert.equal(lines[4], '\u2716 1 problem (1 error, 0 warnings)');
    assert.match(lines[5]!, /1 error potentially fixable with the `--fix` option/);
    assert.doesNotMatch(r.stdout, ansi);
  });

  test('a page with a BOM: columns on line 1 leave it out, other lines are as written (stylish and github read the text only for that)', () => {
    const page = '\uFEFF# Gone [here](gone-one.md)\n\nAnd [there](gone-two.md).\n';
    const site = movedPageSite({ 'articles/bom.md': page });
    const r = msol(['check'], { cwd: site });
    assert.equal(r.code, 1, r.stderr);
    const block = r.stdout.split('\n\n').find((b) => b.startsWith('articles/bom.md'))!;
    assert.ok(block, r.stdout);
    // Line 1 as an editor shows it: without the BOM.
    assert.match(block, new RegExp(`\\n {2}1:${columnOf(page.slice(1), 1, 'gone-one.md')} +error`));
    assert.match(block, new RegExp(`\\n {2}3:${columnOf(page, 3, 'gone-two.md')} +error`));
    const g = msol(['check', '--format', 'github'], { cwd: site });
    assert.match(
      g.stdout,
      new RegExp(`file=articles/bom\\.md,line=1,col=${columnOf(page.slice(1), 1, 'gone-one.md')},endLine=1,`),
    );
  });

  test('columns are aligned within a file, messages are not padded, and counts are summed over files', () => {
    const more = '# More\n\nA dash \u00e2\u20ac\u201d here and [x](gone.md).\n\nAnd \u00e2\u20ac\u201d again.\n';
    const site = movedPageSite({ 'articles/more.md': more });
    const r = msol(['check'], { cwd: site });
    assert.equal(r.code, 1);
    const block = r.stdout.split('\n\n').find((b) => b.startsWith('articles/more.md'))!;
    const rows = block.split('\n').slice(1);
    assert.equal(rows.length, 3);
    // The message column starts at the same place on every row.
    const starts = rows.map((row) => row.indexOf('Unexpected'));
    assert.ok(
      starts.every((s) => s === starts[0] && s > 0),
      block,
    );
    const dash = `3:${columnOf(more, 3, '\u00e2')}`;
    const gone = `3:${columnOf(more, 3, 'gone.md')}`;
    const width = Math.max(dash.length, gone.length, '5:5'.length);
    assert.equal(rows[0], `  ${dash.padEnd(width)}  warning  ${rows[0]!.slice(rows[0]!.indexOf('Unexpected'))}`);
    assert.match(rows[0]!, /Unexpected `â€”`.*encoding-mojibake$/);
    assert.match(
      rows[1]!,
      new RegExp(
        `^  ${gone.padEnd(width)}  error {4}Unexpected link to missing file \`gone\\.md\`.*  link-missing-file$`,
      ),
    );
    assert.match(rows[2]!, /^ {2}5:5 {3}warning {2}Unexpected `â€”`/);
    // The rule id follows each message (no row is padded to the longest message of the file).
    for (const row of rows) assert.match(row, /[^ ] {2}[a-z-]+$/);
    assert.notEqual(rows[0]!.length, rows[1]!.length);
    assert.match(r.stdout, /\u2716 4 problems \(2 errors, 2 warnings\)/);
  });

  test("--verbose: each finding's note (the why) follows it, indented under the message; without it, none", () => {
    const site = movedPageSite({ 'articles/more.md': '# More\n\nA dash \u00e2\u20ac\u201d here.\n' });
    const plain = msol(['check'], { cwd: site });
    const verbose = msol(['check', '--verbose'], { cwd: site });
    assert.equal(verbose.code, 1, verbose.stderr);
    const block = verbose.stdout.split('\n\n').find((b) => b.startsWith('articles/more.md'))!;
    const [, row, ...notes] = block.split('\n');
    assert.match(row!, /Unexpected `â€”` \(UTF-8 read as Windows-1252\), expected `—` {2}encoding-mojibake$/);
    const column = row!.indexOf('Unexpected');
    assert.ok(notes.length >= 1, block);
    for (const n of notes) assert.equal(n.search(/\S/), column, `indented under the message: ${JSON.stringify(n)}`);
    assert.equal(
      notes.join(' ').replace(/ +/g, ' ').trim(),
      '`—` was saved as UTF-8, read back as Windows-1252 and saved again, which turns one character into several.',
    );
    assert.doesNotMatch(plain.stdout, /read back as Windows-1252/);
  });

  test('colour when forced, never with --no-color or NO_COLOR', () => {
    const site = movedPageSite();
    assert.match(msol(['check'], { cwd: site, env: { FORCE_COLOR: '1' } }).stdout, /\u001b\[31merror/);
    assert.doesNotMatch(msol(['check', '--no-color'], { cwd: site, env: { FORCE_COLOR: '1' } }).stdout, ansi);
    assert.doesNotMatch(msol(['check'], { cwd: site, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, ansi);
  });

  test('a clean site: no output, exit 0', () => {
    const site = movedPageSite({ 'README.md': '# Home\n\nRead [the proposal](articles/proposal.md) first.\n' });
    const r = msol(['check'], { cwd: site });
    assert.equal(r.stdout, '');
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('json', () => {
  test("vfile-reporter-json's shape: paths relative to the cwd, 1-based places, ruleId, source, fatal, url, expected", () => {
    const site = movedPageSite({ 'articles/more.md': '# More\n\nA dash \u00e2\u20ac\u201d here.\n' });
    const cwd = dirname(site);
    const r = msol(['check', basename(site), '--format', 'json'], { cwd });
    assert.equal(r.code, 1, r.stderr);
    const files = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const name = basename(site);
    // Every checked page is listed, sorted, with or without messages.
    assert.deepEqual(
      files.map((f) => f.path),
      [`${name}/README.md`, `${name}/SUMMARY.md`, `${name}/articles/more.md`, `${name}/articles/proposal.md`],
    );
    for (const f of files) {
      assert.deepEqual(Object.keys(f).sort(), ['cwd', 'history', 'messages', 'path']);
      assert.equal(f.cwd, cwd);
      assert.deepEqual(f.history, [f.path]);
    }
    const [link] = files[0]!.messages as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(link!).sort(), [
      'actual',
      'column',
      'expected',
      'fatal',
      'file',
      'line',
      'name',
      'note',
      'place',
      'reason',
      'ruleId',
      'source',
      'url',
    ]);
    assert.equal(
      link!.note,
      '`proposal.md` does not exist. `articles/proposal.md` may be the file meant: the file was moved there.',
    );
    assert.equal(link!.line, 3);
    assert.equal(link!.column, urlColumn);
    assert.deepEqual(link!.place, {
      start: { line: 3, column: urlColumn, offset: urlOffset },
      end: { line: 3, column: urlEnd, offset: urlOffset + 'proposal.md'.length },
    });
    assert.equal(link!.name, `3:${urlColumn}-3:${urlEnd}`);
    assert.equal(link!.ruleId, 'link-missing-file');
    assert.equal(link!.source, 'msol');
    assert.equal(link!.fatal, true);
    assert.equal(link!.url, rules.find((x) => x.meta.id === 'link-missing-file')!.meta.url);
    assert.match(String(link!.url), /^https:\/\//);
    assert.deepEqual(link!.expected, ['articles/proposal.md']);
    assert.equal(link!.actual, 'proposal.md');
    assert.equal(link!.file, `${name}/README.md`);
    assert.match(String(link!.reason), /^Unexpected link to missing file/);

    const [mojibake] = files[2]!.messages as Array<Record<string, unknown>>;
    assert.equal(mojibake!.fatal, false, 'a warning is not fatal');
    assert.deepEqual(mojibake!.expected, ['\u2014']);
    assert.equal(mojibake!.actual, '\u00e2\u20ac\u201d');
    assert.deepEqual(files[1]!.messages, []);
  });

  test('info and hint findings have fatal null; --quiet leaves out files without errors', () => {
    const site = movedPageSite({
      '.msolrc.json': onlyRules(['link-missing-file', 'encoding-mojibake'], { 'encoding-mojibake': 'info' }),
      'articles/more.md': '# More\n\nA dash \u00e2\u20ac\u201d here.\n',
    });
    const files = JSON.parse(msol(['check', '--format', 'json'], { cwd: site }).stdout) as Array<{
      path: string;
      messages: Array<{ fatal: unknown }>;
    }>;
    assert.equal(files.find((f) => f.path === 'articles/more.md')!.messages[0]!.fatal, null);
    const quiet = JSON.parse(msol(['check', '--format', 'json', '--quiet'], { cwd: site }).stdout) as Array<{
      path: string;
    }>;
    assert.deepEqual(
      quiet.map((f) => f.path),
      ['README.md'],
    );
  });
});

/** The properties SARIF 2.1.0 requires (and GitHub code scanning reads), checked by hand: no schema download here. */
function sarifProblems(log: any): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => {
    if (!ok) problems.push(what);
  };
  const isPosInt = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
  need(log?.version === '2.1.0', 'version is "2.1.0"');
  need(typeof log?.$schema === 'string' && /sarif-2\.1\.0/.test(log.$schema), '$schema names SARIF 2.1.0');
  need(Array.isArray(log?.runs) && log.runs.length > 0, 'runs is a non-empty array');
  for (const [ri, run] of (Array.isArray(log?.runs) ? log.runs : []).entries()) {
    const driver = run?.tool?.driver;
    need(typeof driver?.name === 'string' && driver.name.length > 0, `runs[${ri}].tool.driver.name`);
    const descriptors: any[] = Array.isArray(driver?.rules) ? driver.rules : [];
    need(new Set(descriptors.map((d) => d?.id)).size === descriptors.length, 'rule ids are unique');
    for (const [i, d] of descriptors.entries()) {
      need(typeof d?.id === 'string' && d.id.length > 0, `rules[${i}].id`);
      need(
        typeof d?.shortDescription?.text === 'string' && d.shortDescription.text.length > 0,
        `rules[${i}].shortDescription.text`,
      );
      need(
        ['none', 'note', 'warning', 'error'].includes(d?.defaultConfiguration?.level),
        `rules[${i}].defaultConfiguration.level`,
      );
      if (d?.helpUri !== undefined) need(/^https?:\/\//.test(d.helpUri), `rules[${i}].helpUri is absolute`);
    }
    need(Array.isArray(run?.results), `runs[${ri}].results is an array`);
    for (const [i, res] of (Array.isArray(run?.results) ? run.results : []).entries()) {
      need(typeof res?.message?.text === 'string' && res.message.text.length > 0, `results[${i}].message.text`);
      need(['none', 'note', 'warning', 'error'].includes(res?.level), `results[${i}].level`);
      need(
        Number.isInteger(res?.ruleIndex) && descriptors[res.ruleIndex]?.id === res?.ruleId,
        `results[${i}].ruleIndex points at its ruleId`,
      );
      need(Array.isArray(res?.locations) && res.locations.length > 0, `results[${i}].locations`);
      for (const loc of Array.isArray(res?.locations) ? res.locations : []) {
        const art = loc?.physicalLocation?.artifactLocation;
        need(
          typeof art?.uri === 'string' && !/^[a-z]+:|^\//i.test(art.uri) && !/[ \\]/.test(art.uri),
          `results[${i}] uri is a relative, encoded reference`,
        );
        need(
          art?.uriBaseId === undefined || typeof run?.originalUriBaseIds?.[art.uriBaseId]?.uri === 'string',
          `results[${i}] uriBaseId is declared`,
        );
        const g = loc?.physicalLocation?.region;
        need(
          isPosInt(g?.startLine) && isPosInt(g?.startColumn) && isPosInt(g?.endLine) && isPosInt(g?.endColumn),
          `results[${i}] region numbers are 1-based integers`,
        );
        need(
          g?.endLine > g?.startLine || (g?.endLine === g?.startLine && g?.endColumn >= g?.startColumn),
          `results[${i}] region ends after it starts`,
        );
      }
      for (const fix of res?.fixes ?? []) {
        need(typeof fix?.description?.text === 'string', `results[${i}].fixes[].description.text`);
        for (const change of fix?.artifactChanges ?? []) {
          need(typeof change?.artifactLocation?.uri === 'string', `results[${i}] fix artifactLocation`);
          need(Array.isArray(change?.replacements) && change.replacements.length > 0, `results[${i}] fix replacements`);
          for (const rep of change?.replacements ?? [])
            need(
              isPosInt(rep?.deletedRegion?.startLine) && isPosInt(rep?.deletedRegion?.startColumn),
              `results[${i}] fix deletedRegion`,
            );
        }
      }
    }
  }
  return problems;
}

describe('sarif', () => {
  test('SARIF 2.1.0: the rule registry as driver rules, results consistent with them, 1-based regions, fixes', () => {
    const site = movedPageSite({ 'articles/my page.md': '# Mine\n\nA dash \u00e2\u20ac\u201d here.\n' });
    const r = msol(['check', '--format', 'sarif'], { cwd: site });
    assert.equal(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.deepEqual(sarifProblems(log), []);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'msol');
    assert.equal(run.tool.driver.version, version);
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    const byId = new Map<string, any>(run.tool.driver.rules.map((d: any) => [d.id, d]));
    for (const rule of rules) {
      const d = byId.get(rule.meta.id);
      assert.ok(d, `driver describes ${rule.meta.id}`);
      assert.equal(d.helpUri, rule.meta.url);
      assert.equal(d.shortDescription.text, rule.meta.description);
      assert.equal(
        d.defaultConfiguration.level,
        { error: 'error', warning: 'warning', info: 'note', hint: 'note', off: 'none' }[rule.meta.defaultSeverity],
      );
    }
    assert.equal(run.results.length, 2);
    const link = run.results.find((x: any) => x.ruleId === 'link-missing-file');
    assert.equal(link.level, 'error');
    assert.deepEqual(link.locations[0].physicalLocation, {
      artifactLocation: { uri: 'README.md', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: urlColumn, endLine: 3, endColumn: urlEnd },
    });
    assert.deepEqual(link.fixes[0].artifactChanges[0].replacements, [
      {
        deletedRegion: { startLine: 3, startColumn: urlColumn, endLine: 3, endColumn: urlEnd },
        insertedContent: { text: 'articles/proposal.md' },
      },
    ]);
    const mojibake = run.results.find((x: any) => x.ruleId === 'encoding-mojibake');
    assert.equal(mojibake.level, 'warning');
    assert.equal(mojibake.locations[0].physicalLocation.artifactLocation.uri, 'articles/my%20page.md');
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${site}/`);
  });

  test('the SARIF check itself catches broken logs', () => {
    const site = movedPageSite();
    const log = JSON.parse(msol(['check', '--format', 'sarif'], { cwd: site }).stdout);
    const broken = structuredClone(log);
    broken.runs[0].results[0].ruleIndex = 99;
    broken.runs[0].results[0].locations[0].physicalLocation.region.startColumn = 0;
    delete broken.runs[0].tool.driver.name;
    assert.deepEqual(sarifProblems(broken), [
      'runs[0].tool.driver.name',
      'results[0].ruleIndex points at its ruleId',
      'results[0] region numbers are 1-based integers',
    ]);
  });
});

describe('github', () => {
  test('workflow commands with escaped properties and data; warnings as ::warning, info as ::notice', () => {
    const odd = '# Odd\n\nSee [the rest](100%25.md) \u00e2\u20ac\u201d soon.\n';
    const link = columnOf(odd, 3, '100%25.md');
    const dash = columnOf(odd, 3, '\u00e2');
    const site = writeFiles(tempDir(), {
      '.msolrc.json': onlyRules(['link-missing-file', 'encoding-mojibake'], { 'encoding-mojibake': 'info' }),
      'SUMMARY.md': '# Summary\n\n* [Odd](50%25,b:c.md)\n',
      '50%,b:c.md': odd,
    });
    const r = msol(['check', '--format', 'github'], { cwd: site });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    for (const line of lines) assert.match(line, /^::(error|warning|notice) [^:\r\n]*::[^\r\n]*$/);
    const [error, notice] = lines;
    // The engine names the decoded path (`100%.md`); the annotation escapes its `%`.
    const reason = (
      JSON.parse(msol(['check', '--format', 'json'], { cwd: site }).stdout) as Array<{
        messages: Array<{ reason: string }>;
      }>
    )[0]!.messages[0]!.reason;
    assert.match(reason, /`100%\.md`/);
    assert.ok(
      error!.startsWith(
        `::error file=50%25%2Cb%3Ac.md,line=3,col=${link},endLine=3,endColumn=${link + 9},title=msol(link-missing-file)::${reason.replace('%', '%25')}`,
      ),
      error,
    );
    assert.match(error!, /\(https:\/\/[^)]*link-missing-file[^)]*\)$/, 'the data part keeps its colons');
    assert.ok(
      notice!.startsWith(
        `::notice file=50%25%2Cb%3Ac.md,line=3,col=${dash},endLine=3,endColumn=${dash + 3},title=msol(encoding-mojibake)::`,
      ),
      notice,
    );
  });
});

describe('exit codes', () => {
  const warningsOnly = () =>
    writeFiles(tempDir(), {
      '.msolrc.json': onlyRules(['link-missing-file', 'encoding-mojibake']),
      'README.md': '# Home\n\nOne \u00e2\u20ac\u201d two \u00e2\u20ac\u201d three.\n',
    });

  test('--max-warnings: exit 1 only when warnings exceed it', () => {
    const site = warningsOnly();
    assert.equal(msol(['check'], { cwd: site }).code, 0, 'warnings alone do not fail');
    assert.equal(msol(['check', '--max-warnings', '2'], { cwd: site }).code, 0);
    const over = msol(['check', '--max-warnings', '1'], { cwd: site });
    assert.equal(over.code, 1);
    assert.match(over.stderr, /too many warnings \(2, at most 1/);
    assert.equal(msol(['check', '--max-warnings=-1'], { cwd: site }).code, 0);
  });

  test('--quiet reports errors only; warnings still count for --max-warnings', () => {
    const site = warningsOnly();
    const quiet = msol(['check', '--quiet'], { cwd: site });
    assert.equal(quiet.stdout, '');
    assert.equal(quiet.code, 0);
    assert.equal(msol(['check', '--quiet', '--max-warnings', '0'], { cwd: site }).code, 1);

    const mixed = movedPageSite({ 'articles/more.md': '# More\n\nA dash \u00e2\u20ac\u201d here.\n' });
    const r = msol(['check', '-q'], { cwd: mixed });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /link-missing-file/);
    assert.doesNotMatch(r.stdout, / warning |encoding-mojibake|articles\/more\.md/);
    assert.match(r.stdout, /\u2716 1 problem \(1 error, 0 warnings\)/);
  });
});
