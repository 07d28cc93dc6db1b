import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, lineOf, openPage, workspaceUri } from './helpers';

/**
 * The language features through VS Code's own provider commands, on the
 * fixture's `features/` pages: a hub page named proposal.md with two
 * headings, and two pages linking into it (one also with an HTML `<a href>`).
 * Beside VS Code's built-in Markdown features, heading completion and rename
 * are theirs (builtin.test.ts): these tests check what a writer gets.
 */

function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const line = lineOf(document, needle);
  return new vscode.Position(line, document.lineAt(line).text.indexOf(needle) + delta);
}

function rangeOf(document: vscode.TextDocument, needle: string, nth = 0): vscode.Range {
  let from = 0;
  let at = -1;
  const text = document.getText();
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, from);
    assert.ok(at >= 0, `${document.uri.path} has no ${JSON.stringify(needle)} (#${nth})`);
    from = at + 1;
  }
  return new vscode.Range(document.positionAt(at), document.positionAt(at + needle.length));
}

function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n---\n');
}

async function revert(document: vscode.TextDocument): Promise<void> {
  if (!document.isDirty) return;
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.equal(document.isDirty, false, `${document.uri.path} could not be reverted`);
}

suite('Language features', () => {
  suiteSetup(async () => {
    await activated();
  });

  test('hovering a glossary term shows its definition from the README and where it is defined', async () => {
    const document = await openPage('features', 'one.md');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      positionOf(document, 'Congregation', 4),
    );
    const text = hoverText(hovers);
    assert.match(text, /\*\*Congregation\*\* — glossary term/, `hovers: ${text}`);
    assert.match(text, /a group of 2 to 8 crews/);
    assert.ok(text.includes(workspaceUri('README.md').toString()), `a link that opens README.md: ${text}`);
    const ours = hovers.find((h) => hoverText([h]).includes('glossary term'))!;
    assert.deepEqual(ours.range, rangeOf(document, 'Congregation'));
  });

  test("completion after `proposal.md#` offers the proposal's headings", async () => {
    const document = await openPage('features', 'one.md');
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(document.lineCount, 0), '\nSee [where to start](proposal.md#');
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      const last = document.lineAt(document.lineCount - 1);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        last.range.end,
        '#',
      );
      // The built-in Markdown features offer them (`#slug`); GitBook's anchors are the same slugs, so this extension adds none.
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/^#/, ''));
      for (const slug of ['the-hub', 'part-1-stretched-thin', 'part-2-how-to-begin'])
        assert.equal(labels.filter((l) => l === slug).length, 1, `${slug} in ${labels.join(', ')}`);
    } finally {
      await revert(document);
    }
  });

  test('renaming a heading updates every link to it, in other files too, in one edit', async () => {
    const hub = await openPage('features', 'proposal.md');
    const one = await vscode.workspace.openTextDocument(workspaceUri('features', 'one.md'));
    const two = await vscode.workspace.openTextDocument(workspaceUri('features', 'two.md'));
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      hub.uri,
      positionOf(hub, 'Stretched'),
      'Part 1. Spread thin',
    );
    assert.ok(edit, 'no rename edit');
    const byFile = new Map(
      edit
        .entries()
        .map(([uri, edits]) => [vscode.workspace.asRelativePath(uri), edits.map((e) => [e.range, e.newText] as const)]),
    );
    assert.deepEqual([...byFile.keys()].sort(), ['features/one.md', 'features/proposal.md', 'features/two.md']);
    assert.deepEqual(byFile.get('features/proposal.md'), [
      [rangeOf(hub, 'Part 1. Stretched thin'), 'Part 1. Spread thin'],
    ]);
    assert.deepEqual(byFile.get('features/one.md'), [[rangeOf(one, 'part-1-stretched-thin'), 'part-1-spread-thin']]);
    // The Markdown link and the HTML `<a href>`.
    assert.deepEqual(byFile.get('features/two.md'), [
      [rangeOf(two, 'part-1-stretched-thin', 0), 'part-1-spread-thin'],
      [rangeOf(two, 'part-1-stretched-thin', 1), 'part-1-spread-thin'],
    ]);
    try {
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      assert.match(two.getText(), /<a href="proposal\.md#part-1-spread-thin">/);
      assert.match(one.getText(), /\]\(proposal\.md#part-1-spread-thin\)/);
      assert.match(hub.lineAt(2).text, /^## Part 1\. Spread thin$/);
    } finally {
      for (const d of [hub, one, two]) await revert(d);
    }
  });

  test("the code lens command msol.showReferences takes the server's JSON arguments", async () => {
    const hub = await openPage('features', 'proposal.md');
    const one = workspaceUri('features', 'one.md');
    assert.ok((await vscode.commands.getCommands(true)).includes('msol.showReferences'));
    await vscode.commands.executeCommand('msol.showReferences', hub.uri.toString(), { line: 2, character: 0 }, [
      { uri: one.toString(), range: { start: { line: 2, character: 5 }, end: { line: 2, character: 48 } } },
    ]);
    await vscode.commands.executeCommand('closeReferenceSearch');
  });
});
