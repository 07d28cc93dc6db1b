// Runs the vscode test layer: the bundled extension (client/out/extension.js and
// server/out/server.js) in a real VS Code extension host, with the mocha suite
// bundled to test/vscode/out/suite/index.js. Plain CommonJS on purpose: it is
// run by `node` directly (scripts/run-tests.mjs) before anything is compiled.
//
// VS Code comes from VSCODE_EXECUTABLE_PATH when set (on machines without a
// download, the code-server shim of ../shared/vscode-test-host); otherwise
// @vscode/test-electron downloads one. If neither works this fails loudly.
//
// Every run has test/vscode/git-shim first on PATH: a `git` that records each
// call (MSOL_GIT_SHIM_LOG) and runs the real one. The Restricted Mode run
// reads it to prove the language server ran no git; the trusted run, that it did.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { downloadAndUnzipVSCode, runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..', '..');
const fixtures = path.join(__dirname, 'fixtures');
const suite = path.join(__dirname, 'out', 'suite', 'index.js');

function fail(message) {
  console.error(`vscode tests: ${message}`);
  process.exit(1);
}

/** The real git, for the shim to run (empty: none installed; the shim then answers "not found"). */
function realGit() {
  try {
    return execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/**
 * A run in Restricted Mode: test-electron's runTests always adds
 * --disable-workspace-trust, so this one starts VS Code itself, with user
 * settings that open an untrusted folder without asking. The code-server shim
 * always disables trust too: its CODE_SERVER_BIN is pointed at a wrapper that
 * leaves that flag out.
 */
function runRestricted(executable, folder, work, env) {
  const userData = path.join(work, 'restricted-user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.emptyWindow': false,
    }),
  );
  const shim = path.basename(executable) === 'code-server-shim.js';
  const runEnv = {
    ...process.env,
    ...env,
    ...(shim
      ? {
          CODE_SERVER_BIN: path.join(__dirname, 'trust', 'code-server-with-trust.js'),
          MSOL_REAL_CODE_SERVER:
            process.env.CODE_SERVER_BIN || path.join(path.dirname(executable), 'node_modules', '.bin', 'code-server'),
        }
      : {}),
  };
  const args = [
    folder,
    `--user-data-dir=${userData}`,
    `--extensions-dir=${path.join(work, 'restricted-extensions')}`,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-extensions',
    `--extensionTestsPath=${suite}`,
    `--extensionDevelopmentPath=${root}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { env: runEnv, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`Test run failed with code ${code ?? signal}`)),
    );
  });
}

async function main() {
  const bundles = [
    suite,
    path.join(root, 'client', 'out', 'extension.js'),
    path.join(root, 'server', 'out', 'server.js'),
  ];
  const missing = bundles.filter((b) => !fs.existsSync(b)).map((b) => path.relative(root, b));
  if (missing.length > 0) fail(`not built: ${missing.join(', ')}. Run \`node scripts/build.mjs\` first.`);

  // The tests edit documents; they work on copies so the fixtures never change.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'msol-vscode-'));
  const copy = (name, as = name) => {
    const to = path.join(work, as);
    fs.cpSync(path.join(fixtures, name), to, { recursive: true });
    return to;
  };
  const workspace = copy('workspace');
  const plain = copy('plain');
  const restricted = copy('workspace', 'restricted');

  let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH || undefined;
  if (vscodeExecutablePath && !fs.existsSync(vscodeExecutablePath))
    fail(`VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} does not exist.`);
  const noVsCode = (reason) =>
    new Error(
      vscodeExecutablePath
        ? `could not start VS Code from VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} (${reason}).`
        : `no VS Code to run the tests in (${reason}). VSCODE_EXECUTABLE_PATH is unset and VS Code could not be downloaded. ` +
            'On a machine without the download, run ../shared/vscode-test-host/setup.sh and export the VSCODE_EXECUTABLE_PATH it prints.',
    );

  const git = realGit();
  // The fixture and its Restricted Mode copy are repositories (git is asked only inside one): the trusted run shows the
  // server reads the site's history, the restricted run that it does not. Without git, a bare HEAD file marks one.
  for (const folder of [workspace, restricted]) {
    if (git) execFileSync(git, ['init', '-q', folder], { stdio: 'ignore' });
    else {
      fs.mkdirSync(path.join(folder, '.git'), { recursive: true });
      fs.writeFileSync(path.join(folder, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    }
  }
  const gitEnv = (name) => ({
    PATH: `${path.join(__dirname, 'git-shim')}${path.delimiter}${process.env.PATH ?? ''}`,
    MSOL_GIT_SHIM_LOG: path.join(work, `git-calls-${name}.log`),
    MSOL_GIT_SHIM_REAL: git,
    // VS Code replaces PATH with the login shell's unless it was started from the command line: keep ours (the shim first).
    VSCODE_CLI: '1',
  });

  // On the fixture folder (most suites), with no folder at all (only opening a page
  // may activate the extension), on a plain Markdown folder that is no site (the
  // extension must stay out of the way), and on the fixture in Restricted Mode
  // (suite/index.ts picks the suites from what the window shows).
  const runs = [
    { name: 'with the fixture folder', id: 'fixture', launchArgs: [workspace] },
    { name: 'without a folder', id: 'nofolder', launchArgs: [] },
    { name: 'on a plain Markdown folder', id: 'plain', launchArgs: [plain] },
    { name: 'in Restricted Mode', id: 'restricted', restricted },
  ];
  let failed = 0;
  try {
    for (const run of runs) {
      console.log(`\n--- VS Code ${run.name} ---`);
      try {
        if (run.restricted) {
          // This run starts VS Code itself: it needs the executable before test-electron would fetch one.
          vscodeExecutablePath ??= await downloadAndUnzipVSCode().catch((error) => {
            throw noVsCode(error instanceof Error ? error.message : String(error));
          });
          await runRestricted(vscodeExecutablePath, run.restricted, work, gitEnv(run.id));
        } else {
          await runTests({
            extensionDevelopmentPath: root,
            extensionTestsPath: suite,
            launchArgs: [...run.launchArgs, '--disable-extensions', '--disable-workspace-trust'],
            extensionTestsEnv: gitEnv(run.id),
            ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
          });
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // Not a test failure: no VS Code could be started at all. Stop here, loudly.
        if (!/^Test run (failed|terminated)/.test(reason))
          throw reason.startsWith('could not start') || reason.startsWith('no VS Code') ? error : noVsCode(reason);
        console.error(`vscode tests ${run.name}: ${reason}`);
        failed++;
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (failed > 0) fail(`${failed} of ${runs.length} runs failed.`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
