// The script of the GitHub Action (action.yml, step "msol check"): runs the bundled `msol check` once
// and turns its reports into what a workflow shows:
//   - the log, in the `format` input;
//   - annotations on the commit or pull request (workflow commands, `--format github`);
//   - a job summary appended to $GITHUB_STEP_SUMMARY (`--format markdown`);
//   - the counts as step outputs in $GITHUB_OUTPUT (from `--format json`);
//   - the exit code from `fail-on`; msol's own exit code 2 (invalid configuration, usage error,
//     internal failure) always fails.
// With `cache` on, msol's cache and the key that signs it live in $MSOL_ACTION_CACHE, the folder
// actions/cache keeps between runs. test/engine/action.test.ts runs this as a runner would.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const input = (name, fallback) => {
  const value = env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
};
const actionPath = env.GITHUB_ACTION_PATH ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
const failOnLevels = ['error', 'warning', 'info', 'never'];

function fail(message) {
  process.stdout.write(
    `::error title=msol::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`,
  );
  process.exit(2);
}

const paths = input('paths', '.').split(/\s+/).filter(Boolean);
const config = input('config', '');
const format = input('format', 'stylish');
const failOn = input('fail-on', 'error');
const cache = input('cache', 'true');
if (!failOnLevels.includes(failOn))
  fail(`Unexpected fail-on \`${failOn}\`, expected one of ${failOnLevels.join(', ')}`);
if (cache !== 'true' && cache !== 'false') fail(`Unexpected cache \`${cache}\`, expected true or false`);
const msol = join(actionPath, 'bin', 'msol.js');
if (!existsSync(join(actionPath, 'server', 'out', 'msol.js')))
  fail(
    `msol is not built in ${actionPath} (the action's build step should have run \`npm ci && node scripts/build.mjs --product\`)`,
  );

const work = mkdtempSync(join(env.RUNNER_TEMP ?? tmpdir(), 'msol-action-'));
const reports = {
  github: join(work, 'annotations.txt'),
  markdown: join(work, 'summary.md'),
  json: join(work, 'findings.json'),
};
const args = [
  'check',
  ...paths,
  '--format',
  format,
  ...Object.entries(reports).flatMap(([f, file]) => ['--output', `${f}=${file}`]),
];
if (config) args.push('--config', config);
const childEnv = { ...env };
if (cache === 'true') {
  const folder = env.MSOL_ACTION_CACHE ?? join(env.RUNNER_TEMP ?? tmpdir(), 'msol');
  mkdirSync(folder, { recursive: true });
  args.push('--cache-location', join(folder, 'cache'));
  // The key that signs the cache's shards is kept with them (actions/cache scopes caches per branch).
  childEnv.XDG_CACHE_HOME = join(folder, 'home');
} else args.push('--no-cache');

const run = spawnSync(process.execPath, [msol, ...args], {
  env: childEnv,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
if (run.error) fail(`msol could not run: ${run.error.message}`);
process.stdout.write(run.stdout);
const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
if (format !== 'github') process.stdout.write(read(reports.github) ?? '');
const summary = read(reports.markdown);
if (env.GITHUB_STEP_SUMMARY && summary) appendFileSync(env.GITHUB_STEP_SUMMARY, summary + '\n');

const files = JSON.parse(read(reports.json) ?? '[]');
const count = { error: 0, warning: 0, info: 0 };
for (const f of files)
  for (const m of f.messages) count[m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info']++;
if (env.GITHUB_OUTPUT)
  appendFileSync(env.GITHUB_OUTPUT, `errors=${count.error}\nwarnings=${count.warning}\ninfos=${count.info}\n`);
rmSync(work, { recursive: true, force: true });

if (run.status === 2 || run.status === null) process.exit(2);
const failing =
  failOn === 'never'
    ? 0
    : failOn === 'error'
      ? count.error
      : failOn === 'warning'
        ? count.error + count.warning
        : count.error + count.warning + count.info;
process.exit(failing > 0 ? 1 : 0);
