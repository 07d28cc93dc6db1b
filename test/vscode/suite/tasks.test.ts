/**
 * The contributed problem matchers, on real task output: `$msol-stylish` on
 * what `msol check` prints, `$msol` on one-line `path:line:col` output.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activated, diagnosticsOf, extensionId, until, workspaceUri } from './helpers';

/** Runs `node args…` as a task in the fixture folder with `matcher`, and resolves with its exit code. */
async function runTask(name: string, args: string[], matcher: string): Promise<number | undefined> {
  const folder = vscode.workspace.workspaceFolders![0]!;
  const task = new vscode.Task(
    { type: 'process', test: name },
    folder,
    name,
    'msol-test',
    new vscode.ProcessExecution(process.execPath, args, { cwd: folder.uri.fsPath }),
    matcher,
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Never };
  let exitCode: number | undefined | null = null;
  const ended = vscode.tasks.onDidEndTaskProcess((e) => {
    if (e.execution.task.name === name) exitCode = e.exitCode;
  });
  try {
    await vscode.tasks.executeTask(task);
    return await until(`task "${name}" to end`, [vscode.tasks.onDidEndTaskProcess], () =>
      exitCode === null ? undefined : (exitCode ?? -1),
    );
  } finally {
    ended.dispose();
  }
}

const fromCli = (code: string, line: number) => (d: vscode.Diagnostic) =>
  d.source === 'msol-cli' &&
  (typeof d.code === 'object' ? d.code.value : d.code) === code &&
  d.range.start.line === line;

suite('Problem matchers', () => {
  suiteSetup(async () => {
    await activated();
  });

  test('$msol reads one-line path:line:col output into Problems', async () => {
    const line = 'README.md:3:5  warning  Unexpected thing, expected another  term-case';
    assert.equal(await runTask('one line', ['-e', `console.log(${JSON.stringify(line)})`], '$msol'), 0);
    const d = await diagnosticsOf(
      workspaceUri('README.md'),
      'a msol-cli term-case problem on README.md line 3',
      (all) => all.find(fromCli('term-case', 2)),
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.character, 4);
    assert.equal(d.message, 'Unexpected thing, expected another');
  });

  test('$msol-stylish reads what `msol check` prints into Problems', async () => {
    const bin = join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'bin', 'msol.js');
    assert.ok(
      existsSync(join(bin, '..', '..', 'server', 'out', 'msol.js')),
      'the CLI is not built (node scripts/build.mjs)',
    );
    // Exit 1: the fixture has errors.
    assert.equal(await runTask('msol check', [bin, 'check', '.', '--no-color'], '$msol-stylish'), 1);
    const gettingStarted = workspaceUri('getting-started.md');
    const d = await diagnosticsOf(
      gettingStarted,
      'a msol-cli link-missing-file problem on getting-started.md line 5',
      (all) => all.find(fromCli('link-missing-file', 4)),
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.character, 19);
    assert.match(d.message, /crews\.md/);
    await diagnosticsOf(
      workspaceUri('articles', 'meeting.md'),
      'a msol-cli problem on articles/meeting.md line 3',
      (all) => all.find(fromCli('link-missing-file', 2)),
    );
  });
});
