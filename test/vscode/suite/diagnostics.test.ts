import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, codeOf, diagnosticsOf, lineOf, openPage, workspaceUri } from './helpers';

/** The range of `needle` on `line`: where a problem about that text must sit. */
function rangeOfText(document: vscode.TextDocument, line: number, needle: string): vscode.Range {
  const at = document.lineAt(line).text.indexOf(needle);
  assert.ok(at >= 0);
  return new vscode.Range(line, at, line, at + needle.length);
}

const missingFile = (line: number) => (d: vscode.Diagnostic) =>
  codeOf(d) === 'link-missing-file' && d.range.start.line === line;

suite('Diagnostics and quick fixes', () => {
  suiteSetup(async () => {
    await activated();
  });

  test('a link to a moved page and a missing image get link-missing-file on their lines', async () => {
    const document = await openPage('getting-started.md');
    const linkLine = lineOf(document, '](crews.md)');
    const imageLine = lineOf(document, 'circle-of-chairs.png');
    const { link, image } = await diagnosticsOf(
      document.uri,
      'link-missing-file on the link and the image lines',
      (all) => {
        const link = all.find(missingFile(linkLine));
        const image = all.find(missingFile(imageLine));
        return link && image ? { link, image } : undefined;
      },
    );
    assert.equal(link.source, 'msol');
    assert.equal(link.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(
      link.range.contains(rangeOfText(document, linkLine, 'crews.md')),
      `the problem's range ${JSON.stringify(link.range)} does not cover the link's target`,
    );
    assert.match(link.message, /crews\.md/);
    assert.ok(image.range.contains(rangeOfText(document, imageLine, '.gitbook/assets/circle-of-chairs.png')));
    // The other links on the page resolve.
    const homeLine = lineOf(document, '](README.md)');
    assert.equal(vscode.languages.getDiagnostics(document.uri).filter(missingFile(homeLine)).length, 0);
  });

  test('problems follow unsaved edits of an open page', async () => {
    const document = await openPage('getting-started.md');
    const linkLine = lineOf(document, '](crews.md)');
    await diagnosticsOf(document.uri, 'link-missing-file on the link line', (all) => all.find(missingFile(linkLine)));
    try {
      // A new broken link that exists only in the editor, never on disk.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(
        document.uri,
        new vscode.Position(document.lineCount, 0),
        '\nSee the [agenda](articles/agenda.md).\n',
      );
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      const agendaLine = lineOf(document, '](articles/agenda.md)');
      const problem = await diagnosticsOf(document.uri, 'link-missing-file on the added line', (all) =>
        all.find(missingFile(agendaLine)),
      );
      assert.match(problem.message, /agenda\.md/);
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.isDirty, false);
    await diagnosticsOf(document.uri, "the added line's problem to go with the reverted text", (all) =>
      all.some((d) => /articles\/agenda\.md/.test(d.message)) ? undefined : true,
    );
  });

  test('the quick fix points the link at the moved page and the problem goes away', async () => {
    const document = await openPage('getting-started.md');
    const linkLine = lineOf(document, '](crews.md)');
    const imageLine = lineOf(document, 'circle-of-chairs.png');
    const problem = await diagnosticsOf(document.uri, 'link-missing-file on the link line', (all) =>
      all.find(missingFile(linkLine)),
    );
    try {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        problem.range,
        vscode.CodeActionKind.QuickFix.value,
        10,
      );
      const fix = actions.find((a) => a.title.includes('articles/crews.md'));
      assert.ok(
        fix,
        `no quick fix mentions articles/crews.md; offered: ${JSON.stringify(actions.map((a) => a.title))}`,
      );
      assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `the fix's kind is ${fix.kind?.value}`);
      assert.ok(fix.edit, 'the quick fix carries no workspace edit');
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      assert.match(document.lineAt(linkLine).text, /\]\(articles\/crews\.md\)/);
      // Cleared for the link, while the image (which has no fix) keeps its problem.
      await diagnosticsOf(document.uri, 'the link problem to clear and the image problem to stay', (all) =>
        !all.some(missingFile(linkLine)) && all.some(missingFile(imageLine)) ? true : undefined,
      );
    } finally {
      // Back to the text on disk for the tests that follow.
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.isDirty, false);
  });

  test('creating and deleting a linked file on disk updates the problems (watchers the server registers)', async () => {
    // articles/meeting.md links to agenda.md, which does not exist; no test opens meeting.md.
    const meeting = workspaceUri('articles', 'meeting.md');
    const agenda = workspaceUri('articles', 'agenda.md');
    const agendaProblem = (all: vscode.Diagnostic[]) =>
      all.some((d) => codeOf(d) === 'link-missing-file' && /agenda\.md/.test(d.message));
    await diagnosticsOf(meeting, 'the missing agenda.md problem', (all) => (agendaProblem(all) ? true : undefined));
    await vscode.workspace.fs.writeFile(agenda, new TextEncoder().encode('# Agenda\n'));
    try {
      await diagnosticsOf(meeting, 'the agenda.md problem to clear once the file exists', (all) =>
        agendaProblem(all) ? undefined : true,
      );
    } finally {
      await vscode.workspace.fs.delete(agenda);
    }
    await diagnosticsOf(meeting, 'the agenda.md problem to return once the file is deleted', (all) =>
      agendaProblem(all) ? true : undefined,
    );
  });
});
