/**
 * Issue 13: beside VS Code's built-in Markdown language features, nothing is
 * offered twice. Each list below is what VS Code shows (all providers
 * together, through its provider commands): completion after `](` and after
 * `#`, hover on a link, references and rename of a heading, document links,
 * the outline. The server is told the built-in features are there
 * (initializationOptions.builtinMarkdown) and leaves theirs to them.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, lineOf, openPage } from './helpers';

function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const line = lineOf(document, needle);
  return new vscode.Position(line, document.lineAt(line).text.indexOf(needle) + delta);
}

const labelOf = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
/** What a completion item stands for: its label without the built-in's `#` before a heading or `/` after a folder. */
const meaning = (i: vscode.CompletionItem): string => labelOf(i).replace(/^#/, '').replace(/\/$/, '');

function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(values.filter((v) => (seen.has(v) ? true : (seen.add(v), false))))];
}

const rangeKey = (uri: vscode.Uri, r: vscode.Range): string =>
  `${vscode.workspace.asRelativePath(uri)}:${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const lineKey = (uri: vscode.Uri, r: vscode.Range): string => `${vscode.workspace.asRelativePath(uri)}:${r.start.line}`;

async function withText<T>(
  document: vscode.TextDocument,
  text: string,
  run: (position: vscode.Position) => Thenable<T>,
): Promise<T> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(document.lineCount, 0), text);
  assert.equal(await vscode.workspace.applyEdit(edit), true);
  try {
    return await run(document.lineAt(document.lineCount - 1).range.end);
  } finally {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

suite('No duplicates with the built-in Markdown features', () => {
  suiteSetup(async () => {
    await activated();
    assert.ok(
      vscode.extensions.getExtension('vscode.markdown-language-features'),
      'the built-in Markdown features are there',
    );
  });

  test('completion after `](` and after `proposal.md#`: each path and each heading once', async () => {
    const document = await openPage('features', 'one.md');
    const paths = await withText(document, '\nSee [the hub](', (p) =>
      vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        p,
        '(',
      ),
    );
    assert.ok(
      paths.items.some((i) => meaning(i) === 'proposal.md'),
      `paths: ${paths.items.map(labelOf).join(', ')}`,
    );
    assert.deepEqual(repeated(paths.items.map(meaning)), [], `paths: ${paths.items.map(labelOf).join(', ')}`);
    const anchors = await withText(document, '\nSee [where to start](proposal.md#', (p) =>
      vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        p,
        '#',
      ),
    );
    const headings = anchors.items
      .map(meaning)
      .filter((l) => ['the-hub', 'part-1-stretched-thin', 'part-2-how-to-begin'].includes(l));
    assert.deepEqual(
      headings.sort(),
      ['part-1-stretched-thin', 'part-2-how-to-begin', 'the-hub'],
      `after #: ${anchors.items.map(labelOf).join(', ')}`,
    );
  });

  test('a glossary term is still completed (the built-in has no terms)', async () => {
    const document = await openPage('features', 'one.md');
    const list = await withText(document, '\nA Congreg', (p) =>
      vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, p),
    );
    assert.ok(
      list.items.some((i) => labelOf(i) === 'Congregation'),
      list.items.map(labelOf).join(', '),
    );
  });

  test('hover on a link: no two hovers say the same', async () => {
    const document = await openPage('features', 'one.md');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      positionOf(document, 'proposal.md#', 3),
    );
    const texts = hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'));
    assert.ok(texts.length > 0, 'a hover on the link');
    assert.deepEqual(repeated(texts), []);
  });

  test('references and rename of a heading: each place once', async () => {
    const hub = await openPage('features', 'proposal.md');
    const at = positionOf(hub, 'Stretched');
    const refs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      hub.uri,
      at,
    );
    assert.ok(refs.length >= 2, `references: ${refs.map((l) => rangeKey(l.uri, l.range)).join(', ')}`);
    assert.deepEqual(
      repeated(refs.map((l) => lineKey(l.uri, l.range))),
      [],
      `references: ${refs.map((l) => rangeKey(l.uri, l.range)).join(', ')}`,
    );
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      hub.uri,
      at,
      'Part 1. Spread thin',
    );
    const edits = edit.entries().flatMap(([uri, es]) => es.map((e) => lineKey(uri, e.range)));
    assert.ok(edits.includes(`features/proposal.md:${at.line}`), `edits: ${edits.join(', ')}`);
    assert.deepEqual(repeated(edits), [], `edits: ${edits.join(', ')}`);
  });

  test('document links and the outline: each once', async () => {
    const document = await openPage('features', 'two.md');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      'vscode.executeLinkProvider',
      document.uri,
    );
    assert.ok(links.length >= 2);
    assert.deepEqual(repeated(links.map((l) => rangeKey(document.uri, l.range))), []);
    const symbols = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    );
    const names = symbols.map((s) => s.name);
    assert.ok(names.length > 0);
    assert.deepEqual(repeated(names), [], names.join(', '));
  });
});
