/**
 * The GitHub Action (action.yml) run as a runner would run it: the step's
 * `run` script in bash, its `env` with the `${{ inputs.* }}`,
 * `${{ runner.temp }}` expressions replaced as the runner replaces them, and
 * GITHUB_ACTION_PATH, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and RUNNER_TEMP set
 * to files in a temporary folder. The site is a copy of the example site.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cleanup, ensureBuilt, repoRoot, tempDir } from './cli/cliHarness';

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}

interface Action {
  readonly inputs: Record<string, { readonly default?: string }>;
  readonly outputs: Record<string, { readonly value: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly Step[] };
}

const action = parseYaml(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;
const checkStep = action.runs.steps.find((s) => s.id === 'check')!;

let runner: string;
let site: string;

/** Replaces the expressions the runner evaluates before a step runs. */
function evaluate(value: string, inputs: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const input = /^inputs\.([a-z-]+)$/.exec(expr);
    if (input) return inputs[input[1]!] ?? action.inputs[input[1]!]?.default ?? '';
    if (expr === 'runner.temp') return join(runner, 'temp');
    throw new Error(`the test does not evaluate \${{ ${expr} }}`);
  });
}

interface StepRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
}

let runs = 0;

/** One run of the check step, in `cwd`, with these inputs (the others take action.yml's defaults). */
function runCheckStep(
  inputs: Readonly<Record<string, string>>,
  cwd = site,
  extraEnv: Record<string, string> = {},
): StepRun {
  const n = ++runs;
  const summaryFile = join(runner, `summary-${n}.md`);
  const outputFile = join(runner, `output-${n}`);
  writeFileSync(summaryFile, '# Earlier step\n\n');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: join(runner, 'home'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION_PATH: repoRoot,
    GITHUB_WORKSPACE: cwd,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: join(runner, 'temp'),
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(checkStep.env ?? {})) env[k] = evaluate(v, inputs);
  // The runner's bash: `bash --noprofile --norc -eo pipefail {0}` with the step's script in a file.
  const script = join(runner, `step-${n}.sh`);
  writeFileSync(script, checkStep.run!);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=') as [string, string]),
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, summary: readFileSync(summaryFile, 'utf8'), outputs };
}

before(() => {
  ensureBuilt();
  runner = tempDir();
  mkdirSync(join(runner, 'temp'), { recursive: true });
  mkdirSync(join(runner, 'home'), { recursive: true });
  site = join(runner, 'workspace');
  cpSync(join(repoRoot, 'examples', 'handbook'), site, { recursive: true });
});

after(cleanup);

describe('action.yml', () => {
  test('is a composite action with the inputs paths, config, format, fail-on and cache, each passed to the script', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs).sort(), ['cache', 'config', 'fail-on', 'format', 'paths']);
    for (const name of Object.keys(action.inputs))
      assert.equal(checkStep.env?.[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${name} }}`, name);
    assert.match(checkStep.run!, /action\/run\.mjs/);
    for (const o of Object.keys(action.outputs))
      assert.equal(action.outputs[o]!.value, `\${{ steps.check.outputs.${o} }}`);
  });

  test('keeps between runs the very folder the script gives msol for its cache', () => {
    const cacheStep = action.runs.steps.find((s) => s.uses?.startsWith('actions/cache@'));
    assert.ok(cacheStep, 'an actions/cache step');
    assert.equal(cacheStep.if, "inputs.cache == 'true'");
    assert.equal(cacheStep.with?.['path'], checkStep.env?.['MSOL_ACTION_CACHE']);
    assert.ok(action.runs.steps.indexOf(cacheStep) < action.runs.steps.indexOf(checkStep), 'restored before the check');
  });
});

describe('docs/ci.md', () => {
  test('starts with a three-line workflow that checks out the repository and uses this action', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'ci.md'), 'utf8');
    const first = /```yaml\n([\s\S]*?)```/.exec(doc)!;
    assert.ok(first.index < doc.indexOf('\n## '), 'the first thing of the page');
    assert.equal(first[1]!.trimEnd().split('\n').length, 3);
    const workflow = parseYaml(first[1]!) as {
      on: string[];
      jobs: Record<string, { 'runs-on': string; steps: { uses: string }[] }>;
    };
    assert.deepEqual(workflow.on, ['push', 'pull_request']);
    const steps = Object.values(workflow.jobs)[0]!.steps.map((s) => s.uses);
    assert.deepEqual(steps, ['actions/checkout@v4', 'microsolidarity/microsolidarity-authoring@main']);
  });
});

describe('the check step, run as a runner runs it', () => {
  test('annotates, appends the job summary, sets the outputs and fails on errors', () => {
    const r = runCheckStep({});
    assert.equal(r.code, 1, r.stderr);
    // The log in the default format (stylish), then one workflow command per finding.
    assert.match(r.stdout, /^SUMMARY\.md\n\s+11:27\s+error/m);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(annotations.length, 14);
    assert.ok(
      annotations.includes(
        annotations.find((a) =>
          a.startsWith(
            '::error file=SUMMARY.md,line=11,col=27,endLine=11,endColumn=62,title=msol(link-missing-file)::',
          ),
        )!,
      ),
    );
    assert.ok(annotations.some((a) => a.startsWith('::notice file=congregating/finding-a-venue.md,line=25,col=1,')));
    // The summary is appended after what earlier steps wrote: totals, a table per page and rule with links to the docs.
    assert.ok(
      r.summary.startsWith('# Earlier step\n\n### msol check: 7 errors, 6 warnings, 1 info in 4 of 11 pages\n'),
      r.summary.slice(0, 200),
    );
    assert.match(
      r.summary,
      /\| `congregating\/finding-a-venue\.md` \| \[`term-case`\]\(https:\/\/github\.com\/microsolidarity\/microsolidarity-authoring\/blob\/main\/server\/src\/engine\/rules\/term-case\/docs\.md\) \| 0 \| 1 \| 0 \|/,
    );
    assert.deepEqual(r.outputs, { errors: '7', warnings: '6', infos: '1' });
  });

  test('fail-on: never passes with errors, warning fails a site with warnings only, info fails on an info', () => {
    assert.equal(runCheckStep({ 'fail-on': 'never' }).code, 0);
    const warnings = join(runner, 'warnings-only');
    cpSync(site, warnings, { recursive: true });
    writeFileSync(join(warnings, 'SUMMARY.md'), '# Summary\n\n* [Home](README.md)\n');
    writeFileSync(
      join(warnings, '.msolrc.json'),
      JSON.stringify({
        rules: Object.fromEntries(
          [
            'link-missing-file',
            'link-missing-heading',
            'gitbook-block-invalid',
            'gitbook-block-unclosed',
            'license-incompatible',
          ].map((id) => [id, 'off']),
        ),
      }),
    );
    const onError = runCheckStep({}, warnings);
    assert.equal(onError.outputs['errors'], '0');
    assert.equal(onError.code, 0, onError.stdout);
    assert.equal(runCheckStep({ 'fail-on': 'warning' }, warnings).code, 1);
    const infoOnly = join(runner, 'info-only');
    mkdirSync(infoOnly);
    mkdirSync(join(infoOnly, 'articles'));
    writeFileSync(join(infoOnly, 'SUMMARY.md'), '* [Home](README.md)\n* [Proposal](articles/proposal.md)\n');
    writeFileSync(join(infoOnly, 'articles', 'proposal.md'), '# The proposal\n');
    writeFileSync(join(infoOnly, 'README.md'), '# Home\n\nRead the proposal first.\n');
    // Not the Microsolidarity handbook: its proposal is named in the config.
    writeFileSync(
      join(infoOnly, '.msolrc.json'),
      JSON.stringify({ site: { proposal: 'articles/proposal.md' }, rules: { 'site-license-notice': 'off' } }),
    );
    const info = runCheckStep({ 'fail-on': 'info' }, infoOnly);
    assert.deepEqual(info.outputs, { errors: '0', warnings: '0', infos: '1' }, info.stdout);
    assert.equal(info.code, 1);
    assert.equal(runCheckStep({ 'fail-on': 'warning' }, infoOnly).code, 0);
  });

  test('format github prints each annotation once; format markdown prints the summary in the log', () => {
    const github = runCheckStep({ format: 'github' });
    assert.equal(github.stdout.split('\n').filter((l) => l.startsWith('::')).length, 14);
    const markdown = runCheckStep({ format: 'markdown' });
    assert.ok(markdown.stdout.startsWith('### msol check: 7 errors'));
  });

  test('the cache is written under RUNNER_TEMP and read by the next run', () => {
    const fresh = join(runner, 'cached-site');
    cpSync(site, fresh, { recursive: true });
    const first = runCheckStep({}, fresh, { MSOL_LOG: 'info' });
    const folder = join(runner, 'temp', 'msol');
    assert.ok(existsSync(join(folder, 'cache')) && readdirSync(join(folder, 'cache')).length > 0, 'cache written');
    assert.ok(existsSync(join(folder, 'home', 'msol', 'key')), 'the signing key kept with it');
    const second = runCheckStep({}, fresh, { MSOL_LOG: 'info' });
    const hits = (s: string) => Number(/cacheHits: (\d+)/.exec(s)?.[1] ?? -1);
    assert.equal(hits(first.stderr), 0, first.stderr);
    assert.equal(hits(second.stderr), 11, second.stderr);
    assert.equal(second.stdout, first.stdout);
    const off = runCheckStep({ cache: 'false' }, fresh, { MSOL_LOG: 'info' });
    assert.equal(hits(off.stderr), 0);
  });

  test('a bad input and an invalid configuration fail the step with exit 2', () => {
    const bad = runCheckStep({ 'fail-on': 'sometimes' });
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /^::error title=msol::Unexpected fail-on `sometimes`/m);
    const broken = join(runner, 'broken-config');
    cpSync(site, broken, { recursive: true });
    writeFileSync(join(broken, '.msolrc.json'), '{ "rules": { "term-case": "loud" } }');
    const r = runCheckStep({ 'fail-on': 'never' }, broken);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^::error file=\.msolrc\.json,/m);
  });
});
