/**
 * The mocha entry the extension host loads (`--extensionTestsPath`). esbuild
 * bundles it with every test file into test/vscode/out/suite/index.js, so the
 * test files are imported here, after mocha has defined its tdd globals
 * (`suite`, `test`, `suiteSetup`, …), rather than found on disk by a glob.
 *
 * runTest.js starts VS Code four times: on the fixture folder (most suites),
 * with no folder (activation by opening a page), on a plain Markdown folder
 * (the extension stays out of the way), and on the fixture in Restricted Mode.
 * The window says which.
 */
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90_000, reporter: 'spec' });
  // What `mocha.addFile` + `loadFiles` would do for files on disk: define the globals.
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  if (vscode.workspace.workspaceFolders === undefined) {
    await import('./noFolder.test');
  } else if (!vscode.workspace.isTrusted) {
    await import('./restricted.test');
  } else if (vscode.workspace.workspaceFolders[0]?.name === 'plain') {
    await import('./plainFolder.test');
  } else {
    // Activation first; restart (which drops every result) last.
    await import('./activation.test');
    await import('./grammar.test');
    await import('./snippets.test');
    await import('./diagnostics.test');
    await import('./checkSite.test');
    await import('./tasks.test');
    await import('./preview.test');
    await import('./commands.test');
    await import('./newArticle.test');
    await import('./features.test');
    await import('./builtin.test');
    await import('./jsonc.test');
    await import('./restart.test');
  }
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} vscode test(s) failed`)) : resolve()));
  });
}
