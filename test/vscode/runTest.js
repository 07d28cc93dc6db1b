// Runs the vscode test layer: the bundled extension (client/out/extension.js and
// server/out/server.js) in a real VS Code extension host, with the mocha suite
// bundled to test/vscode/out/suite/index.js. Plain CommonJS on purpose: it is
// run by `node` directly (scripts/run-tests.mjs) before anything is compiled.
//
// VS Code comes from VSCODE_EXECUTABLE_PATH when set (on machines without a
// download, the code-server shim of ../shared/vscode-test-host); otherwise
// @vscode/test-electron downloads one. If neither works this fails loudly.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..', '..');
const fixtures = path.join(__dirname, 'fixtures');
const suite = path.join(__dirname, 'out', 'suite', 'index.js');

function fail(message) {
  console.error(`vscode tests: ${message}`);
  process.exit(1);
}

async function main() {
  const bundles = [suite, path.join(root, 'client', 'out', 'extension.js'), path.join(root, 'server', 'out', 'server.js')];
  const missing = bundles.filter((b) => !fs.existsSync(b)).map((b) => path.relative(root, b));
  if (missing.length > 0) fail(`not built: ${missing.join(', ')}. Run \`node scripts/build.mjs\` first.`);

  // The tests edit documents; they work on copies so the fixtures never change.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'msol-vscode-'));
  const copy = (name) => {
    const to = path.join(work, name);
    fs.cpSync(path.join(fixtures, name), to, { recursive: true });
    return to;
  };
  const workspace = copy('workspace');
  const plain = copy('plain');

  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH || undefined;
  if (vscodeExecutablePath && !fs.existsSync(vscodeExecutablePath)) fail(`VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} does not exist.`);
  // On the fixture folder (most suites), with no folder at all (only opening a page
  // may activate the extension), and on a plain Markdown folder that is no site,
  // where the extension must stay out of the way (suite/index.ts picks the suites).
  const runs = [
    { name: 'with the fixture folder', launchArgs: [workspace] },
    { name: 'without a folder', launchArgs: [] },
    { name: 'on a plain Markdown folder', launchArgs: [plain] },
  ];
  let failed = 0;
  try {
    for (const run of runs) {
      console.log(`\n--- VS Code ${run.name} ---`);
      try {
        await runTests({
          extensionDevelopmentPath: root,
          extensionTestsPath: suite,
          launchArgs: [...run.launchArgs, '--disable-extensions', '--disable-workspace-trust'],
          ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (!/^Test run (failed|terminated)/.test(reason)) {
          // Not a test failure: no VS Code could be started at all. Stop here, loudly.
          throw new Error(
            vscodeExecutablePath
              ? `could not start VS Code from VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} (${reason}).`
              : `no VS Code to run the tests in (${reason}). VSCODE_EXECUTABLE_PATH is unset and VS Code could not be downloaded. ` +
                  'On a machine without the download, run ../shared/vscode-test-host/setup.sh and export the VSCODE_EXECUTABLE_PATH it prints.',
          );
        }
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
