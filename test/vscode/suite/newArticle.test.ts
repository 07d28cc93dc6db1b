/**
 * "New article…" end to end: the page written from the template, its
 * SUMMARY.md entry (a one-line edit at the right place), and a clean check
 * of the new page by the language server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DocumentDiagnosticReportKind, type DocumentDiagnosticReport } from 'vscode-languageclient/node';
import type { NewArticleResult } from '../../../client/src/commands/newArticle';
import type { MsolApi } from '../../../client/src/extension';
import { activated, codeOf, diagnosticsOf, workspaceUri } from './helpers';

async function read(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** The text with one line inserted after line `after` (zero-based). */
function withLine(text: string, after: number, line: string): string {
  const lines = text.split('\n');
  lines.splice(after + 1, 0, line);
  return lines.join('\n');
}

/** What the server itself reports for a page now (a pull, not the Problems view). */
async function serverDiagnostics(api: MsolApi, uri: vscode.Uri): Promise<DocumentDiagnosticReport> {
  // By method name: the test bundle's copy of the protocol types is not the client's.
  return api.client.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
    textDocument: { uri: uri.toString() },
  });
}

suite('New article', () => {
  let api: MsolApi;
  suiteSetup(async () => {
    api = await activated();
  });

  test('creates the page from the template under a page of SUMMARY.md, listed there, and its check is clean', async () => {
    const summaryUri = workspaceUri('SUMMARY.md');
    const before = await read(summaryUri);
    const result = await vscode.commands.executeCommand<NewArticleResult>('msol.newArticle', {
      title: 'Sharing meals',
      section: 'Crews',
      description: 'How a group shares a meal after it meets.',
      author: 'Jane Doe',
    });
    assert.ok(result, 'the command returned nothing (see the output channel)');
    assert.equal(result.uri.toString(), workspaceUri('articles', 'sharing-meals.md').toString());

    // SUMMARY.md: exactly one new line, the last child of "Crews", saved.
    const after = await read(summaryUri);
    assert.equal(after, withLine(before, 5, '  * [Sharing meals](articles/sharing-meals.md)'));
    assert.equal(result.summaryLine, 6);
    assert.equal(
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === summaryUri.toString())?.isDirty ?? false,
      false,
    );

    // The page: front matter with description and author, title, a link to the proposal, credits.
    const text = await read(result.uri);
    assert.equal(
      text,
      [
        '---',
        'description: How a group shares a meal after it meets.',
        'author: Jane Doe',
        '---',
        '',
        '# Sharing meals',
        '',
        'This page builds on the ideas of [the original proposal](proposal.md).',
        '',
        '## Credits',
        '',
        "Written by Jane Doe. Published under the site's license, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).",
        '',
      ].join('\n'),
    );
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.toString(),
      result.uri.toString(),
      'the new page is not opened',
    );

    // The check of the new page: first prove it is live (a broken link is reported), then clean.
    const editor = vscode.window.activeTextEditor!;
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    assert.ok(await editor.edit((b) => b.insert(end, 'See [the menu](menu.md).\n')));
    await diagnosticsOf(result.uri, 'link-missing-file on the new page while it links a missing file', (all) =>
      all.find((d) => codeOf(d) === 'link-missing-file'),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnosticsOf(result.uri, 'no problems on the new page', (all) => (all.length === 0 ? true : undefined));
    const report = await serverDiagnostics(api, result.uri);
    assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
    assert.deepEqual(
      report.kind === DocumentDiagnosticReportKind.Full
        ? report.items.map((d) => `${String(d.code)}: ${d.message}`)
        : [],
      [],
    );
  });

  test('a page by the default author has no author line; a group puts it at the end of the group, in its folder', async () => {
    const summaryUri = workspaceUri('SUMMARY.md');
    const before = await read(summaryUri);
    const lines = before.split('\n');
    const last = lines.findIndex((l) => l.includes('practices/preview.md'));
    const result = await vscode.commands.executeCommand<NewArticleResult>('msol.newArticle', {
      title: 'Closing a meeting',
      section: 'Practices',
      description: 'Ending on time, with a round of thanks.',
      author: 'Richard D. Bartlett',
    });
    assert.ok(result);
    assert.equal(result.uri.toString(), workspaceUri('practices', 'closing-a-meeting.md').toString());
    assert.equal(
      await read(summaryUri),
      withLine(before, last, '* [Closing a meeting](practices/closing-a-meeting.md)'),
    );
    const text = await read(result.uri);
    assert.doesNotMatch(text, /^author:/m);
    assert.match(text, /\[the original proposal\]\(\.\.\/articles\/proposal\.md\)/);
    assert.match(text, /^## Credits$/m);
    await diagnosticsOf(result.uri, 'a clean check of the new page', (all) => (all.length === 0 ? true : undefined));
    const report = await serverDiagnostics(api, result.uri);
    assert.deepEqual(
      report.kind === DocumentDiagnosticReportKind.Full
        ? report.items.map((d) => `${String(d.code)}: ${d.message}`)
        : ['unchanged'],
      [],
    );
  });

  test('a site template from msol.templates.folder replaces the built-in one', async () => {
    const folder = workspaceUri('.msol', 'templates');
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder, 'article.md'),
      new TextEncoder().encode(
        '---\ndescription: {{description|yaml}}\n---\n\n# {{title}}\n\nOur own template. See [the proposal]({{proposalLink}}).\n',
      ),
    );
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder, 'story.md'),
      new TextEncoder().encode('# {{title}}\n\nA story{{#author}} by {{author}}{{/author}}.\n'),
    );
    try {
      // Driven by arguments without a template: the site's article.md, no question asked.
      const result = await vscode.commands.executeCommand<NewArticleResult>('msol.newArticle', {
        title: 'Our picnic',
        section: 'Top level',
        description: 'A day out: food, games.',
        author: 'Richard D. Bartlett',
      });
      assert.ok(result);
      assert.equal(result.template, 'article');
      assert.equal(
        await read(result.uri),
        '---\ndescription: "A day out: food, games."\n---\n\n# Our picnic\n\nOur own template. See [the proposal](articles/proposal.md).\n',
      );

      const story = await vscode.commands.executeCommand<NewArticleResult>('msol.newArticle', {
        title: 'A long walk',
        section: 'Top level',
        description: '',
        author: 'Ana Ruiz',
        template: 'story',
      });
      assert.ok(story);
      assert.equal(await read(story.uri), '# A long walk\n\nA story by Ana Ruiz.\n');
      const summary = await read(workspaceUri('SUMMARY.md'));
      assert.match(
        summary,
        /\* \[The proposal\]\(articles\/proposal\.md\)\n\* \[Our picnic\]\(our-picnic\.md\)\n\* \[A long walk\]\(a-long-walk\.md\)\n\n## Practices/,
      );
    } finally {
      await vscode.workspace.fs.delete(workspaceUri('.msol'), { recursive: true });
    }
  });

  test('an existing file or an unknown section is refused and nothing is written', async () => {
    const summaryUri = workspaceUri('SUMMARY.md');
    const before = await read(summaryUri);
    const again = await vscode.commands.executeCommand('msol.newArticle', {
      title: 'Sharing meals',
      section: 'Crews',
      description: 'x',
      author: 'Jane Doe',
    });
    assert.equal(again, undefined);
    const unknown = await vscode.commands.executeCommand('msol.newArticle', {
      title: 'Elsewhere',
      section: 'No such section',
      description: 'x',
      author: 'Jane Doe',
    });
    assert.equal(unknown, undefined);
    assert.equal(await read(summaryUri), before);
    await assert.rejects(async () => {
      await vscode.workspace.fs.stat(workspaceUri('elsewhere.md'));
    });
  });
});
