/**
 * The Markdown preview, headless: `markdown.api.render` runs the built-in
 * Markdown extension's markdown-it, with this extension's plugin
 * (contributes.markdown.markdownItPlugins → extendMarkdownIt), in the
 * extension host, and returns the HTML the preview would show.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MsolApi } from '../../../client/src/extension';
import { activated, extensionId, until, workspaceUri } from './helpers';

async function render(input: vscode.TextDocument | string): Promise<string> {
  const html = await vscode.commands.executeCommand<string>('markdown.api.render', input);
  assert.equal(typeof html, 'string', 'markdown.api.render returned no HTML');
  return html;
}

/** Waits until the preview has the site's glossary for a document (loaded from the server). */
function glossaryLoaded(api: MsolApi, uri: vscode.Uri): Promise<readonly string[]> {
  void api.preview.refreshGlossary(uri);
  return until(
    'the preview to load the glossary',
    [api.preview.onDidChangeGlossary],
    () => {
      const terms = api.preview.glossaryTerms(uri);
      return terms && terms.includes('Crew') ? terms : undefined;
    },
    () => `terms: ${JSON.stringify(api.preview.glossaryTerms(uri))}`,
  );
}

async function withSetting<T>(key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('msol');
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  try {
    assert.deepEqual(
      vscode.workspace.getConfiguration('msol').get(key),
      value,
      `msol.${key} did not take ${JSON.stringify(value)}`,
    );
    return await body();
  } finally {
    await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
}

suite('Markdown preview', () => {
  let api: MsolApi;
  let page: vscode.TextDocument;

  suiteSetup(async () => {
    api = await activated();
    page = await vscode.workspace.openTextDocument(workspaceUri('practices', 'preview.md'));
    await glossaryLoaded(api, page.uri);
  });

  test('the plugin and the styles are contributed', () => {
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: Record<string, unknown>;
    };
    assert.equal(manifest.contributes['markdown.markdownItPlugins'], true);
    assert.deepEqual(manifest.contributes['markdown.previewStyles'], ['./media/preview.css']);
    assert.equal(typeof api.extendMarkdownIt, 'function', 'activate() must return extendMarkdownIt');
  });

  test('a page with a hint, an embed and a glossary term renders all three', async () => {
    const html = await render(page);
    assert.match(html, /<div class="msol-preview">/);
    // The hint: GitBook's style as a class, its Markdown content rendered inside.
    assert.match(
      html,
      /<div class="msol-hint msol-hint-info[^"]*"[^>]*role="note"[^>]*><div class="msol-hint-body">\s*<p[^>]*>An info hint\.<\/p>/,
    );
    // The embed: a card with the URL, nothing remote loaded.
    const embed = /<div class="msol-embed[^"]*"[^>]*>([\s\S]*?)<\/div>\n/.exec(html);
    assert.ok(embed, `no embed card in ${html}`);
    assert.match(embed[1]!, /href="https:\/\/www\.youtube\.com\/watch\?v=abcdefghijk"/);
    assert.match(embed[1]!, /<span class="msol-embed-host">youtube\.com<\/span>/);
    assert.doesNotMatch(embed[1]!, /<img|<iframe/);
    // The glossary term, with its definition from README.md as the tooltip.
    assert.match(
      html,
      /<span class="msol-term" data-term="Crew" title="Crew: a group of 2 to 8 peers who support each other\.?">Crew<\/span> meets every week/,
    );
  });

  test('every hint style, the lead, the page card, the figure and the tabs', async () => {
    const html = await render(page);
    for (const style of ['info', 'success', 'warning', 'danger']) {
      assert.match(html, new RegExp(`class="msol-hint msol-hint-${style}[ "]`), `no ${style} hint`);
    }
    // The front matter description is the lead, right under the title.
    assert.match(
      html,
      /<h1[^>]*>Previewing a page<\/h1>\s*<p class="msol-lead">How a page looks on the site, before it is published\.<\/p>/,
    );
    // content-ref: a card titled with the target page's own title.
    assert.match(
      html,
      /<div class="msol-content-ref[^"]*"[^>]*><a class="msol-content-ref-link" href="\.\.\/articles\/crews\.md">[\s\S]*?<span class="msol-content-ref-title">Crews<\/span>/,
    );
    assert.match(
      html,
      /<figure class="msol-figure"><img src="[^"]*circle\.png" alt="Chairs in a circle"><figcaption><p>Chairs in a circle, ready for a meeting\.<\/p><\/figcaption><\/figure>/,
    );
    assert.match(
      html,
      /<div class="msol-tabs[^"]*"[^>]*>\s*<section class="msol-tab[^"]*"[^>]*><div class="msol-tab-title">Online<\/div>/,
    );
    assert.match(
      html,
      /<div class="msol-tab-title">In person<\/div><div class="msol-tab-body">\s*<p[^>]*>Meet in a kitchen\.<\/p>/,
    );
  });

  test('a link to a missing file is marked broken; a link to an existing page is not', async () => {
    const html = await render(page);
    const links = [...html.matchAll(/<a [^>]*>[^<]*<\/a>/g)].map((m) => m[0]);
    const agenda = links.find((l) => l.includes('>the agenda<'));
    const home = links.find((l) => l.includes('>the home page<'));
    assert.ok(agenda && home, `links not found in ${links.join('\n')}`);
    assert.match(agenda, /class="[^"]*msol-broken-link/);
    assert.match(agenda, /title="Missing file: agenda\.md"/);
    assert.doesNotMatch(home, /msol-broken-link/);
  });

  test('no script, no frame, no command: or javascript: link comes from the content', async () => {
    const html = await render(page);
    assert.doesNotMatch(html, /<script|<iframe|<object|<embed\b/i);
    assert.doesNotMatch(html, /href="\s*(?:command|javascript|vscode):/i);
    // The unsafe targets are still shown as text on their cards.
    assert.match(html, /<span class="msol-content-ref-path">command:workbench\.action\.quit<\/span>/);
    assert.match(html, /<span class="msol-embed-url">javascript:alert\(1\)<\/span>/);
  });

  test("msol.preview.allowRemoteContent shows an embed's image, still without scripts", async () => {
    await withSetting('preview.allowRemoteContent', true, async () => {
      const html = await render(page);
      assert.match(
        html,
        /<img class="msol-embed-image" src="https:\/\/i\.ytimg\.com\/vi\/abcdefghijk\/hqdefault\.jpg"/,
      );
      assert.doesNotMatch(html, /<script|<iframe/i);
    });
    assert.doesNotMatch(await render(page), /msol-embed-image/);
  });

  test('with msol.preview.enable off nothing of the extension is rendered', async () => {
    await withSetting('preview.enable', false, async () => {
      const html = await render(page);
      assert.doesNotMatch(html, /msol-/, 'a class of the extension leaked into the plain preview');
      // The tags read as the plain preview shows them, the Markdown inside still rendered.
      assert.match(html, /\{% hint style=&quot;info&quot; %\}/);
      assert.match(html, /An info hint\./);
    });
    assert.match(await render(page), /msol-hint/);
  });

  test('a string without a document still gets the GitBook blocks (no site, so no glossary)', async () => {
    const html = await render('{% hint style="warning" %}\nCareful, Crew.\n{% endhint %}\n');
    assert.match(html, /msol-hint-warning/);
    assert.doesNotMatch(html, /msol-term/);
  });

  test('a glossary change reaches the preview', async () => {
    const readme = await vscode.workspace.openTextDocument(workspaceUri('README.md'));
    const editor = await vscode.window.showTextDocument(readme);
    const line = readme
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('**Congregation**'));
    assert.ok(line >= 0);
    try {
      assert.ok(
        await editor.edit((b) =>
          b.insert(new vscode.Position(line + 1, 0), '\n**Hearth**: a room where a crew meets.\n'),
        ),
      );
      await until(
        'Hearth in the preview glossary',
        [api.preview.onDidChangeGlossary],
        () => (api.preview.glossaryTerms(page.uri)?.includes('Hearth') ? true : undefined),
        () => JSON.stringify(api.preview.glossaryTerms(page.uri)),
      );
      // The README itself, unsaved: the new term is marked with its new definition.
      assert.match(
        await render(readme),
        /<span class="msol-term" data-term="Hearth" title="Hearth: a room where a crew meets\.?">Hearth<\/span>/,
      );
      // Outside any site (a string, an untitled page) nothing is marked.
      assert.doesNotMatch(await render('The Hearth is warm.'), /msol-term/);
      const untitled = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: 'The Hearth is warm.',
      });
      assert.doesNotMatch(await render(untitled), /msol-term/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});

suite('Glossary terms in the editor (semantic tokens)', () => {
  test('terms are coloured with the glossaryTerm token type', async () => {
    await activated();
    const document = await vscode.workspace.openTextDocument(workspaceUri('articles', 'crews.md'));
    await vscode.window.showTextDocument(document);
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend | undefined>(
      'vscode.provideDocumentSemanticTokensLegend',
      document.uri,
    );
    assert.ok(legend, 'no semantic tokens legend for Markdown');
    const type = legend.tokenTypes.indexOf('glossaryTerm');
    assert.ok(type >= 0, `legend: ${JSON.stringify(legend.tokenTypes)}`);
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: {
        semanticTokenTypes?: { id: string }[];
        semanticTokenScopes?: { scopes: Record<string, string[]> }[];
      };
    };
    assert.ok(manifest.contributes.semanticTokenTypes?.some((t) => t.id === 'glossaryTerm'));
    assert.ok(manifest.contributes.semanticTokenScopes?.some((s) => s.scopes['glossaryTerm']?.length));

    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens | undefined>(
      'vscode.provideDocumentSemanticTokens',
      document.uri,
    );
    assert.ok(tokens, 'no semantic tokens');
    const found: string[] = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i + 4 < tokens.data.length; i += 5) {
      const [dl, dc, len, t] = [tokens.data[i]!, tokens.data[i + 1]!, tokens.data[i + 2]!, tokens.data[i + 3]!];
      line += dl;
      char = dl === 0 ? char + dc : dc;
      if (t === type) found.push(`${line}:${document.lineAt(line).text.slice(char, char + len)}`);
    }
    // "# Crews" and "A crew is a group…"
    assert.deepEqual(found, ['0:Crews', '2:crew']);
  });
});
