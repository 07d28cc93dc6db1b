/**
 * Tokenises Markdown with VS Code's own Markdown grammar plus the GitBook
 * injection, exactly as contributed in package.json, using the vscode-textmate
 * and vscode-oniguruma that ship inside the VS Code under test.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionId } from './helpers';

interface Token {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly scopes: string[];
}
interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: Token[]; ruleStack: unknown };
}
interface TextMate {
  INITIAL: unknown;
  Registry: new (options: object) => { loadGrammar(scope: string): Promise<Grammar | null> };
  parseRawGrammar(text: string, path: string): unknown;
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (s: string) => unknown;
}
interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

/** Where this VS Code keeps its own node modules (plain folder in code-server, `.asar` in some desktop builds). */
function vscodeModule(name: string): string | undefined {
  for (const dir of ['node_modules', 'node_modules.asar', 'node_modules.asar.unpacked']) {
    const p = join(vscode.env.appRoot, dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function grammarsOf(extension: vscode.Extension<unknown>): GrammarContribution[] {
  return (
    (extension.packageJSON as { contributes?: { grammars?: GrammarContribution[] } }).contributes?.grammars ?? []
  ).map((g) => ({ ...g, path: join(extension.extensionPath, g.path) }));
}

suite('GitBook grammar injection', () => {
  let grammar: Grammar;
  let tm: TextMate;

  suiteSetup(async function () {
    const textmatePath = vscodeModule('vscode-textmate');
    const onigPath = vscodeModule('vscode-oniguruma');
    if (!textmatePath || !onigPath) {
      // Reason: tokenising needs the TextMate engine VS Code ships; a build that
      // packs it differently cannot run this suite (the grammar is still loaded by VS Code itself).
      console.log(`skipping the grammar tests: no vscode-textmate/vscode-oniguruma under ${vscode.env.appRoot}`);
      this.skip();
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded from VS Code's own folder at run time
    tm = require(textmatePath) as TextMate;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
    const onig = require(onigPath) as Oniguruma;
    const wasm = readFileSync(join(onigPath, 'release', 'onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);

    const ours = grammarsOf(vscode.extensions.getExtension(extensionId)!);
    const injection = ours.find((g) => g.injectTo?.includes('text.html.markdown'));
    assert.ok(injection, 'package.json contributes no grammar injected into text.html.markdown');
    const markdownExtension = vscode.extensions.all.find((e) =>
      grammarsOf(e).some((g) => g.scopeName === 'text.html.markdown'),
    );
    assert.ok(markdownExtension, 'no built-in extension contributes the Markdown grammar');
    const markdown = grammarsOf(markdownExtension).find((g) => g.scopeName === 'text.html.markdown')!;

    const files = new Map([
      [markdown.scopeName, markdown.path],
      [injection.scopeName, injection.path],
    ]);
    const registry = new tm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (p: string[]) => new onig.OnigScanner(p),
        createOnigString: (s: string) => new onig.OnigString(s),
      }),
      loadGrammar: async (scope: string) => {
        const file = files.get(scope);
        return file ? tm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
      getInjections: (scope: string) => (scope === 'text.html.markdown' ? [injection.scopeName] : undefined),
    });
    const loaded = await registry.loadGrammar('text.html.markdown');
    assert.ok(loaded);
    grammar = loaded;
  });

  /** Each line's tokens as [text, scopes] pairs. */
  function tokenize(text: string): Array<Array<[string, string[]]>> {
    let state = tm.INITIAL;
    return text.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes] as [string, string[]]);
    });
  }

  /** The scopes of the first token of `line` whose text is `text`. */
  function scopesOf(line: Array<[string, string[]]> | undefined, text: string): string[] {
    assert.ok(line);
    const token = line.find(([t]) => t === text);
    assert.ok(token, `no token ${JSON.stringify(text)} in ${JSON.stringify(line.map(([t]) => t))}`);
    return token[1];
  }

  /** Asserts that the token `text` of `line` carries `scope`. */
  function hasScope(line: Array<[string, string[]]> | undefined, text: string, scope: string): void {
    const scopes = scopesOf(line, text);
    assert.ok(scopes.includes(scope), `${JSON.stringify(text)} has scopes [${scopes.join(', ')}], expected ${scope}`);
  }

  test('a hint tag: punctuation, tag name, attribute name and string value', () => {
    const [line] = tokenize('{% hint style="info" %}');
    hasScope(line, '{%', 'punctuation.definition.tag.begin.gitbook');
    hasScope(line, 'hint', 'entity.name.tag.gitbook');
    hasScope(line, 'style', 'entity.other.attribute-name.gitbook');
    hasScope(line, '=', 'punctuation.separator.key-value.gitbook');
    hasScope(line, 'info', 'string.quoted.double.gitbook');
    hasScope(line, '%}', 'punctuation.definition.tag.end.gitbook');
    for (const [, scopes] of line!) assert.ok(scopes.includes('meta.tag.block.gitbook'));
  });

  test('closing tags, tags with dashes, and tags inside a paragraph', () => {
    const lines = tokenize(
      [
        '{% content-ref url="articles/proposal.md" %}',
        '[proposal.md](articles/proposal.md)',
        '{% endcontent-ref %}',
        'See {% file src="../.gitbook/assets/a b.pdf" %} here, and {% embed url=\'https://example.org\' %}.',
        '{% tabs %}',
        '{% tab title="First" %}',
      ].join('\n'),
    );
    hasScope(lines[0], 'content-ref', 'entity.name.tag.gitbook');
    hasScope(lines[0], 'articles/proposal.md', 'string.quoted.double.gitbook');
    assert.ok(
      !lines[1]!.some(([, s]) => s.some((x) => x.endsWith('.gitbook'))),
      'an ordinary Markdown link got GitBook scopes',
    );
    hasScope(lines[2], 'end', 'keyword.control.end.gitbook');
    hasScope(lines[2], 'content-ref', 'entity.name.tag.gitbook');
    hasScope(lines[3], 'file', 'entity.name.tag.gitbook');
    hasScope(lines[3], '../.gitbook/assets/a b.pdf', 'string.quoted.double.gitbook');
    hasScope(lines[3], 'https://example.org', 'string.quoted.single.gitbook');
    assert.ok(
      !scopesOf(lines[3], ' here, and ').some((s) => s.endsWith('.gitbook')),
      'text between two tags got GitBook scopes',
    );
    hasScope(lines[4], 'tabs', 'entity.name.tag.gitbook');
    hasScope(lines[5], 'title', 'entity.other.attribute-name.gitbook');
  });

  test('no GitBook scopes inside code spans and fenced code, and an unclosed tag ends with its line', () => {
    const lines = tokenize(
      [
        '`{% hint style="x" %}` in code',
        '',
        '```',
        '{% hint style="info" %}',
        '```',
        '',
        '{% hint style="info',
        'next line',
      ].join('\n'),
    );
    const gitbook = (line: Array<[string, string[]]>) => line.some(([, s]) => s.some((x) => x.endsWith('.gitbook')));
    assert.equal(gitbook(lines[0]!), false, 'code span');
    assert.equal(gitbook(lines[3]!), false, 'fenced code');
    assert.equal(gitbook(lines[6]!), true);
    assert.equal(gitbook(lines[7]!), false, 'an unclosed tag ran on to the next line');
  });
});
