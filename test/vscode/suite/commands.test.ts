/**
 * The writing commands, run through `vscode.commands.executeCommand` with
 * arguments (no UI) on the fixture workspace; each test asserts the text the
 * command left in the page. Pages are reverted afterwards.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { settingDeclarations } from '../../../client/src/settings';
import type { GlossaryRequest } from '../../../server/src/protocol';
import {
  activated,
  codeOf,
  describeDiagnostics,
  diagnosticsOf,
  extensionId,
  lineOf,
  openPage,
  workspaceUri,
} from './helpers';

interface Inserted {
  readonly text: string;
  readonly range: vscode.Range;
}

/** Opens a page with the cursor at the end of the line holding `needle`. */
async function cursorAfter(segments: string[], needle: string): Promise<vscode.TextEditor> {
  const document = await openPage(...segments);
  const editor = vscode.window.activeTextEditor!;
  assert.equal(editor.document.uri.toString(), document.uri.toString());
  const line = lineOf(document, needle);
  const end = document.lineAt(line).range.end;
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

async function revertActive(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

suite('Commands: insert', () => {
  suiteSetup(async () => {
    await activated();
  });
  teardown(revertActive);

  test('Insert term definition: a link to the definition, relative to the page', async () => {
    const editor = await cursorAfter(['practices', 'writing.md'], 'many hands.');
    const result = await vscode.commands.executeCommand<Inserted>('msol.insertTermDefinition', {
      term: 'Crew',
      kind: 'link',
    });
    assert.ok(result, 'the command returned nothing (see the output channel)');
    assert.equal(result.text, '[Crew](../README.md#definition-of-terms)');
    assert.equal(
      editor.document.lineAt(2).text,
      'Pages here are written by many hands.[Crew](../README.md#definition-of-terms)',
    );
  });

  test('Insert term definition: the definition as a sentence, and as a hint on lines of its own', async () => {
    const editor = await cursorAfter(['practices', 'writing.md'], 'many hands.');
    const sentence = await vscode.commands.executeCommand<Inserted>('msol.insertTermDefinition', {
      term: 'crew',
      kind: 'sentence',
    });
    assert.ok(sentence);
    assert.match(sentence.text, /^\*\*Crew\*\*: a group of 2 to 8 peers who support each other\.$/);
    assert.equal(editor.document.lineAt(2).text, `Pages here are written by many hands.${sentence.text}`);

    const end = editor.document.lineAt(2).range.end;
    editor.selection = new vscode.Selection(end, end);
    const hint = await vscode.commands.executeCommand<Inserted>('msol.insertTermDefinition', {
      term: 'Congregation',
      kind: 'hint',
    });
    assert.ok(hint);
    const lines = editor.document.getText().split('\n');
    const open = lines.indexOf('{% hint style="info" %}');
    assert.ok(
      open > 3 && lines[open - 1] === '',
      `the hint does not start on a line of its own after a blank line:\n${editor.document.getText()}`,
    );
    assert.match(
      lines[open + 1]!,
      /^\*\*Congregation\*\*: a group of 2 to 8 crews\. \(\[definition\]\(\.\.\/README\.md#definition-of-terms\)\)$/,
    );
    assert.equal(lines[open + 2], '{% endhint %}');
  });

  test('Insert term definition: an unknown term is refused without an edit', async () => {
    const editor = await cursorAfter(['practices', 'writing.md'], 'many hands.');
    const before = editor.document.getText();
    const result = await vscode.commands.executeCommand<Inserted | undefined>('msol.insertTermDefinition', {
      term: 'Guild',
      kind: 'link',
    });
    assert.equal(result, undefined);
    assert.equal(editor.document.getText(), before);
  });

  test('Insert link to the proposal: the page and a section, with the right relative path from each folder', async () => {
    let editor = await cursorAfter(['practices', 'writing.md'], 'Keep each page short.');
    const page = await vscode.commands.executeCommand<Inserted>('msol.insertProposalLink', { section: '' });
    assert.ok(page);
    assert.equal(page.text, '[The proposal](../articles/proposal.md)');
    assert.equal(
      editor.document.lineAt(lineOf(editor.document, 'Keep each')).text,
      'Keep each page short.[The proposal](../articles/proposal.md)',
    );
    await revertActive();

    editor = await cursorAfter(['articles', 'crews.md'], 'A crew is');
    const section = await vscode.commands.executeCommand<Inserted>('msol.insertProposalLink', {
      section: 'Part 2. Groups of groups',
    });
    assert.ok(section);
    assert.equal(section.text, '[Part 2. Groups of groups](proposal.md#part-2-groups-of-groups)');
    assert.ok(editor.document.lineAt(2).text.endsWith(section.text));
  });

  test('Insert link to the proposal: the selected words become the link text', async () => {
    const editor = await cursorAfter(['practices', 'writing.md'], 'many hands.');
    const line = editor.document.lineAt(2).text;
    const start = line.indexOf('many hands');
    editor.selection = new vscode.Selection(2, start, 2, start + 'many hands'.length);
    const result = await vscode.commands.executeCommand<Inserted>('msol.insertProposalLink', {
      section: 'part-1-why-small-groups',
    });
    assert.ok(result);
    assert.equal(
      editor.document.lineAt(2).text,
      'Pages here are written by [many hands](../articles/proposal.md#part-1-why-small-groups).',
    );
  });
});

suite('Commands: attribution', () => {
  suiteSetup(async () => {
    await activated();
  });
  teardown(revertActive);

  test('Add attribution writes a complete credit after the image at the cursor, and the attribution problem goes away', async () => {
    const editor = await cursorAfter(['practices', 'writing.md'], '![A loom');
    const imageLine = editor.document.lineAt(lineOf(editor.document, '![A loom')).lineNumber;
    const isAttribution = (d: vscode.Diagnostic) =>
      d.source === 'msol' && /^attribution-/.test(codeOf(d) ?? '') && d.range.start.line === imageLine;
    const before = await diagnosticsOf(editor.document.uri, 'an attribution problem on the remote image', (all) =>
      all.find(isAttribution),
    );
    assert.equal(before.source, 'msol');

    const result = await vscode.commands.executeCommand<{ style: string; text: string }>('msol.addAttribution', {
      title: 'Loom',
      author: 'Jane Doe',
      sourceUrl: 'https://example.org/loom',
      license: 'CC-BY-4.0',
    });
    assert.ok(result, 'the command returned nothing');
    assert.equal(result.style, 'line');
    const credit =
      '_"[Loom](https://example.org/loom)" by Jane Doe is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)._';
    const lines = editor.document.getText().split('\n');
    assert.deepEqual(lines.slice(imageLine, imageLine + 3), [
      '![A loom on a wooden table](https://images.example.org/loom.jpg)',
      '',
      credit,
    ]);
    await diagnosticsOf(editor.document.uri, 'no attribution problem on the credited image', (all) =>
      all.some(isAttribution) ? undefined : true,
    );
  });

  test('Add attribution to a sidecar writes <image>.license beside the image file, and the attribution problem goes away', async () => {
    const editor = await cursorAfter(['practices', 'threads.md'], '![Threads');
    const imageLine = lineOf(editor.document, '![Threads');
    const isAttribution = (d: vscode.Diagnostic) =>
      d.source === 'msol' &&
      /^attribution-(missing|incomplete)$/.test(codeOf(d) ?? '') &&
      d.range.start.line === imageLine;
    await diagnosticsOf(editor.document.uri, 'an attribution problem on the local image', (all) =>
      all.find(isAttribution),
    );
    const before = editor.document.getText();
    const sidecar = workspaceUri('.gitbook', 'assets', 'threads.jpg.license');
    try {
      const result = await vscode.commands.executeCommand<{ style: string; text: string; uri: string }>(
        'msol.addAttribution',
        {
          title: 'Threads',
          author: 'Jane Doe',
          sourceUrl: 'https://example.org/threads',
          license: 'CC-BY-4.0',
          target: 'sidecar',
        },
      );
      assert.ok(result, 'the command returned nothing (see the output channel)');
      assert.equal(result.style, 'sidecar');
      assert.equal(result.uri, sidecar.toString());
      const written = new TextDecoder().decode(await vscode.workspace.fs.readFile(sidecar));
      assert.equal(written, result.text);
      const lines = written.split('\n');
      assert.ok(lines.includes('SPDX-FileCopyrightText: Jane Doe <https://example.org/threads>'), written);
      assert.ok(lines.includes('SPDX-License-Identifier: CC-BY-4.0'), written);
      assert.equal(editor.document.getText(), before, 'the page itself is not edited');
      await diagnosticsOf(editor.document.uri, 'no attribution problem on the image credited by its sidecar', (all) =>
        all.some(isAttribution) ? undefined : true,
      );

      // Once it exists, it is replaced only on request.
      const refused = await vscode.commands.executeCommand('msol.addAttribution', {
        title: 'Other',
        author: 'Someone',
        sourceUrl: '',
        license: 'CC0-1.0',
        target: 'sidecar',
      });
      assert.equal(refused, undefined);
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(sidecar)), written);
      const replaced = await vscode.commands.executeCommand<{ text: string }>('msol.addAttribution', {
        title: 'Other',
        author: 'Someone',
        sourceUrl: '',
        license: 'CC0-1.0',
        target: 'sidecar',
        overwrite: true,
      });
      assert.ok(replaced);
      assert.match(
        new TextDecoder().decode(await vscode.workspace.fs.readFile(sidecar)),
        /^SPDX-FileCopyrightText: Someone\b/m,
      );
    } finally {
      await vscode.workspace.fs.delete(sidecar).then(undefined, () => undefined);
    }
  });

  test('Add attribution to a sidecar is refused for a web image', async () => {
    await cursorAfter(['practices', 'writing.md'], '![A loom');
    const result = await vscode.commands.executeCommand('msol.addAttribution', {
      title: 'Loom',
      author: 'Jane Doe',
      sourceUrl: '',
      license: 'CC-BY-4.0',
      target: 'sidecar',
    });
    assert.equal(result, undefined);
  });

  test('Add attribution away from an image changes nothing', async () => {
    const editor = await cursorAfter(['practices', 'writing.md'], 'Keep each page short.');
    const before = editor.document.getText();
    const result = await vscode.commands.executeCommand('msol.addAttribution', {
      title: 'T',
      author: 'A',
      sourceUrl: '',
      license: 'CC0-1.0',
    });
    assert.equal(result, undefined);
    assert.equal(editor.document.getText(), before);
  });

  test("Attribution report: rendered in the preview from a file of the extension's own, its links opening the pages", async () => {
    await openPage('practices', 'writing.md');
    const result = await vscode.commands.executeCommand<{ uri: string; view: string }>('msol.attributionReport', {
      view: 'preview',
    });
    assert.ok(result, 'no report');
    const uri = vscode.Uri.parse(result.uri);
    assert.ok(
      !vscode.workspace.getWorkspaceFolder(uri),
      `the report is written outside the workspace, not ${uri.toString()}`,
    );
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.match(text, /^# Attribution report/);
    assert.match(text, /https:\/\/images\.example\.org\/loom\.jpg/);
    assert.match(text, /Default author: Richard D\. Bartlett/);
    // "Used on" opens the page at the line (VS Code's `#L`).
    const page = workspaceUri('practices', 'writing.md').toString();
    assert.ok(text.includes(`](${page}#L5)`), `a link to ${page}#L5 in:\n${text}`);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    assert.ok(
      tabs.some((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType)),
      `a Markdown preview among the tabs: ${tabs.map((t) => t.label).join(', ')}`,
    );
    assert.equal(
      vscode.workspace.textDocuments.some((d) => d.isUntitled && d.getText().startsWith('# Attribution report')),
      false,
      'no untitled document that would ask to be saved',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Attribution report: saved to a file the user names, with links relative to it', async () => {
    await openPage('practices', 'writing.md');
    const target = workspaceUri('practices', 'ATTRIBUTION.md');
    try {
      const result = await vscode.commands.executeCommand<{ uri: string }>('msol.attributionReport', {
        view: 'save',
        saveAs: target.toString(),
      });
      assert.equal(result?.uri, target.toString());
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      assert.ok(text.includes('](writing.md)'), `a link relative to practices/:\n${text}`);
      assert.ok(text.includes('](../README.md)'), text);
      assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString())?.isDirty, false);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });

  test("Add attribution and Insert term definition are in the editor's context menu, on an image and on a term", () => {
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const context = manifest.contributes.menus['editor/context'] ?? [];
    assert.match(context.find((m) => m.command === 'msol.addAttribution')?.when ?? '', /msol\.onImage/);
    assert.match(context.find((m) => m.command === 'msol.insertTermDefinition')?.when ?? '', /msol\.onTerm/);
  });
});

suite('Commands: glossary', () => {
  suiteSetup(async () => {
    await activated();
  });

  test('Show glossary lists the terms, opens a definition, and opens the whole glossary as Markdown', async () => {
    const terms = await vscode.commands.executeCommand<readonly GlossaryRequest.Term[]>('msol.showGlossary', {
      view: 'list',
    });
    // The home page's title defined by its first sentence ("Microsolidarity is a set of practices…") is a term too.
    assert.deepEqual(terms.map((t) => t.term).sort(), ['Congregation', 'Crew', 'Microsolidarity']);
    const crew = terms.find((t) => t.term === 'Crew')!;
    assert.equal(crew.definition.replace(/\.$/, ''), 'a group of 2 to 8 peers who support each other');
    assert.ok(crew.forms.includes('Crews'));

    const location = await vscode.commands.executeCommand<vscode.Location>('msol.showGlossary', { term: 'crews' });
    assert.ok(location);
    assert.equal(location.uri.toString(), workspaceUri('README.md').toString());
    const readme = vscode.window.activeTextEditor!.document;
    assert.equal(readme.uri.toString(), location.uri.toString());
    assert.match(readme.lineAt(location.range.start.line).text, /^\*\*Crew\*\*/);

    const document = await vscode.commands.executeCommand<vscode.TextDocument>('msol.showGlossary', {
      view: 'markdown',
    });
    assert.ok(document);
    assert.equal(document.languageId, 'markdown');
    assert.match(document.getText(), /^# Glossary/);
    assert.match(document.getText(), /^## Crew$/m);
    assert.match(document.getText(), /^## Congregation$/m);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

suite('Settings', () => {
  test('every setting the client reads is declared in package.json with the same default and scope', () => {
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: {
        configuration: {
          properties: Record<string, { default?: unknown; scope?: string; markdownDescription?: string }>;
        };
      };
    };
    const props = manifest.contributes.configuration.properties;
    for (const d of Object.values(settingDeclarations)) {
      const p = props[`msol.${d.key}`];
      assert.ok(p, `msol.${d.key} is not declared`);
      assert.deepEqual(p.default, d.default, `default of msol.${d.key}`);
      assert.equal(p.scope, d.scope, `scope of msol.${d.key}`);
      assert.ok(p.markdownDescription && p.markdownDescription.length > 40, `msol.${d.key} is not documented`);
      assert.deepEqual(
        vscode.workspace.getConfiguration('msol').inspect(d.key)?.defaultValue,
        d.default,
        `VS Code's default of msol.${d.key}`,
      );
    }
  });

  test('msol.run onSave: a saved edit updates the problems', async () => {
    await activated();
    const config = vscode.workspace.getConfiguration('msol');
    await config.update('run', 'onSave', vscode.ConfigurationTarget.Workspace);
    const document = await openPage('practices', 'writing.md');
    const editor = vscode.window.activeTextEditor!;
    try {
      const end = document.lineAt(document.lineCount - 1).range.end;
      assert.ok(await editor.edit((b) => b.insert(end, '\n\nSee [the notes](notes.md).\n')));
      await document.save();
      const problem = await diagnosticsOf(document.uri, 'link-missing-file for notes.md after the save', (all) =>
        all.find((d) => codeOf(d) === 'link-missing-file' && /notes\.md/.test(d.message)),
      );
      assert.ok(problem, describeDiagnostics(vscode.languages.getDiagnostics(document.uri)));
    } finally {
      await config.update('run', undefined, vscode.ConfigurationTarget.Workspace);
      const text = document.getText().replace('\n\nSee [the notes](notes.md).\n', '');
      const all = new vscode.Range(0, 0, document.lineCount, 0);
      await editor.edit((b) => b.replace(all, text));
      await document.save();
    }
    await diagnosticsOf(document.uri, 'no link-missing-file once the link is gone', (all) =>
      all.some((d) => codeOf(d) === 'link-missing-file') ? undefined : true,
    );
  });
});
