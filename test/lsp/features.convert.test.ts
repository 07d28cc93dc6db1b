import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompletionItemKind,
  InsertTextFormat,
  type CreateFile,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { LineIndex, type Finding, type SymbolEntry } from '../../server/src/engine/index';
import {
  rangedEdits,
  toCodeLens,
  markdownToPlainText,
  toCompletionItem,
  toDocumentLink,
  toDocumentSymbol,
  toHover,
  toLocations,
  toSymbolInformation,
  toWorkspaceEdit,
} from '../../server/src/lsp/featureConvert';
import { applyRuleOverrides, parseRuleOverrides } from '../../server/src/lsp/ruleSeverities';

/** The feature conversions (engine data → LSP) and msol.rules, on cases the protocol tests do not reach. */

const text = 'Emoji 🙂 [Crew](a.md#x)\nsecond line\n';
const lines = new LineIndex(text);
const span = (needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
const range = (needle: string) => lines.rangeOf(span(needle));
const uriOf = (p: string) => (p.startsWith('outside') ? undefined : `file:///site/${p}`);

describe('featureConvert', () => {
  it('combines hovers: Markdown in order, separated by rules; the smallest span is the range (UTF-16 positions)', () => {
    const h = toHover(
      [
        { markdown: 'link', span: span('[Crew](a.md#x)') },
        { markdown: 'term', span: span('Crew') },
      ],
      lines,
    );
    assert.deepEqual(h, {
      contents: { kind: 'markdown', value: 'link\n\n---\n\nterm' },
      range: { start: { line: 0, character: 10 }, end: { line: 0, character: 14 } },
    });
    assert.equal(toHover([], lines), null);
  });

  it('makes completion items that replace what was typed, filter on the inserted text and keep folders suggesting', () => {
    const item = toCompletionItem(
      {
        label: 'image (1).png',
        kind: 'asset',
        insertText: 'image%20(1).png',
        replace: { start: 3, end: 5 },
        sortText: '1',
      },
      lines,
    );
    assert.equal(item.filterText, 'image%20(1).png');
    assert.deepEqual(item.textEdit, {
      range: { start: { line: 0, character: 3 }, end: { line: 0, character: 5 } },
      newText: 'image%20(1).png',
    });
    assert.equal(item.kind, CompletionItemKind.File);
    assert.equal(item.command, undefined);
    const vscode = { snippets: true, markdown: true, triggerSuggest: 'editor.action.triggerSuggest' };
    const folderEntry = {
      label: 'articles/',
      kind: 'folder' as const,
      insertText: 'articles/',
      replace: { start: 0, end: 0 },
    };
    assert.equal(toCompletionItem(folderEntry, lines, vscode).command?.command, 'editor.action.triggerSuggest');
    const snippetEntry = {
      label: 'Crew definition',
      kind: 'snippet' as const,
      insertText: '**Crew**: \\$5 ${1:more}',
      snippet: true,
      replace: { start: 0, end: 0 },
      documentation: '**doc**',
    };
    const snippet = toCompletionItem(snippetEntry, lines, vscode);
    assert.equal(snippet.insertTextFormat, InsertTextFormat.Snippet);
    assert.deepEqual(snippet.documentation, { kind: 'markdown', value: '**doc**' });
    // A definition is found by its label's words, not by the sentence's `**`.
    assert.equal(snippet.filterText, 'Crew definition');
  });

  it('for a client without snippets, Markdown or a re-suggest command: plain text, no insertTextFormat, no command', () => {
    const plain = { snippets: false, markdown: false };
    const snippet = toCompletionItem(
      {
        label: 'Crew definition',
        kind: 'snippet',
        insertText: '**Crew**: \\$5 \\} ${1:more} $0',
        snippet: true,
        replace: { start: 0, end: 0 },
        documentation: '**A Crew** is `small`.',
      },
      lines,
      plain,
    );
    assert.equal(snippet.insertTextFormat, undefined);
    assert.deepEqual(snippet.textEdit, {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      newText: '**Crew**: $5 } more ',
    });
    assert.deepEqual(snippet.documentation, { kind: 'plaintext', value: 'A Crew is small.' });
    assert.equal(
      toCompletionItem(
        { label: 'articles/', kind: 'folder', insertText: 'articles/', replace: { start: 0, end: 0 } },
        lines,
        plain,
      ).command,
      undefined,
    );
  });

  it('Markdown hovers become plain text for a client that asks for it', () => {
    const hover = toHover(
      [{ markdown: '**Crew** — a [small group](file:///site/a.md#L3) of `up to 8`\\*', span: span('Crew') }],
      lines,
      false,
    );
    assert.deepEqual(hover?.contents, { kind: 'plaintext', value: 'Crew — a small group of up to 8*' });
    assert.equal(markdownToPlainText('snake_case_word and _emphasis_'), 'snake_case_word and emphasis');
  });

  it('leaves out locations outside the site and repeats of one place', () => {
    const loc = { path: 'a.md', span: span('Crew'), range: range('Crew') };
    assert.deepEqual(toLocations([loc, loc, { ...loc, path: 'outside/b.md' }], uriOf), [
      { uri: 'file:///site/a.md', range: range('Crew') },
    ]);
  });

  it('links to a heading by line when it is known, else keeps the fragment', () => {
    const entry = { span: span('a.md#x'), range: range('a.md#x'), targetPath: 'a.md', fragment: 'x y', tooltip: 'A' };
    assert.equal(toDocumentLink(entry, uriOf, () => 4)?.target, 'file:///site/a.md#L5');
    assert.equal(toDocumentLink(entry, uriOf, () => undefined)?.target, 'file:///site/a.md#x%20y');
    assert.equal(
      toDocumentLink({ ...entry, targetPath: 'outside/a.md' }, uriOf, () => 1),
      undefined,
    );
  });

  it("an outline entry's range holds its section and its selection range", () => {
    const child: SymbolEntry = {
      name: 'B',
      kind: 'heading',
      path: 'p.md',
      span: { start: 10, end: 14 },
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } },
      depth: 2,
    };
    const parent: SymbolEntry = {
      name: '',
      kind: 'heading',
      path: 'p.md',
      span: { start: 0, end: 3 },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } },
      depth: 1,
      children: [child],
    };
    const s = toDocumentSymbol(parent, (e) => (e === parent ? { line: 9, character: 0 } : { line: 1, character: 0 }));
    assert.equal(s.name, '(empty heading)', 'LSP forbids empty names');
    assert.deepEqual(s.range, { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } });
    // A section end before the heading's own end (never in practice) falls back to the heading: range ⊇ selectionRange.
    assert.deepEqual(s.children?.[0]?.range, child.range);
    assert.equal(toSymbolInformation(child, uriOf)?.name, '## B');
  });

  it('a lens runs msol.showReferences, with the links as locations (none: an empty list, never an empty command)', () => {
    const lens = { span: span('Crew'), range: range('Crew'), title: 'No pages link here', locations: [] };
    assert.deepEqual(toCodeLens(lens, 'file:///site/p.md', uriOf).command, {
      title: 'No pages link here',
      command: 'msol.showReferences',
      arguments: ['file:///site/p.md', range('Crew').start, []],
    });
    const withRefs = toCodeLens(
      { ...lens, title: '1 page links here', locations: [{ path: 'a.md', span: span('Crew'), range: range('Crew') }] },
      'file:///site/p.md',
      uriOf,
    );
    assert.deepEqual(withRefs.command?.arguments, [
      'file:///site/p.md',
      range('Crew').start,
      [{ uri: 'file:///site/a.md', range: range('Crew') }],
    ]);
  });

  it('workspace edits: versioned documentChanges (files created first) or plain changes, sorted; nothing to change is undefined', () => {
    const edits = new Map([
      [
        'b.md',
        [
          { start: 8, end: 9, newText: 'z', range: lines.rangeOf({ start: 8, end: 9 }) },
          { start: 0, end: 1, newText: 'y', range: lines.rangeOf({ start: 0, end: 1 }) },
        ],
      ],
      ['a.md', [{ start: 0, end: 0, newText: 'x', range: lines.rangeOf({ start: 0, end: 0 }) }]],
      ['outside/c.md', [{ start: 0, end: 0, newText: 'no', range: lines.rangeOf({ start: 0, end: 0 }) }]],
    ]);
    const versioned = toWorkspaceEdit(edits, {
      uriOf,
      versionOf: (p) => (p === 'b.md' ? 7 : undefined),
      documentChanges: true,
      create: new Set(['a.md']),
    });
    const changes = versioned?.documentChanges ?? [];
    assert.deepEqual(changes[0], {
      kind: 'create',
      uri: 'file:///site/a.md',
      options: { ignoreIfExists: true },
    } satisfies CreateFile);
    assert.deepEqual((changes[1] as TextDocumentEdit).textDocument, { uri: 'file:///site/a.md', version: null });
    assert.deepEqual((changes[2] as TextDocumentEdit).textDocument, { uri: 'file:///site/b.md', version: 7 });
    assert.deepEqual(
      ((changes[2] as TextDocumentEdit).edits as TextEdit[]).map((e) => e.newText),
      ['y', 'z'],
    );
    assert.equal(changes.length, 3);
    const plain = toWorkspaceEdit(edits, { uriOf, versionOf: () => undefined, documentChanges: false });
    assert.deepEqual(Object.keys(plain?.changes ?? {}), ['file:///site/a.md', 'file:///site/b.md']);
    assert.equal(toWorkspaceEdit(new Map(), { uriOf, versionOf: () => undefined, documentChanges: true }), undefined);
    assert.deepEqual(
      [...rangedEdits('p.md', [{ start: 6, end: 8, newText: ':)' }], lines).get('p.md')!].map((e) => e.range),
      [{ start: { line: 0, character: 6 }, end: { line: 0, character: 8 } }],
    );
  });
});

describe('msol.rules', () => {
  const f = (ruleId: string, severity: Finding['severity'] = 'warning'): Finding => ({
    ruleId,
    severity,
    message: 'm',
    path: 'p.md',
    span: { start: 0, end: 0 },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  });

  it('keeps known rule ids with a known level only', () => {
    assert.deepEqual(
      [
        ...parseRuleOverrides({
          'term-case': 'error',
          'link-missing-file': 'off',
          'no-such-rule': 'off',
          'term-avoid': 'loud',
          'image-alt-missing': 3,
        }),
      ],
      [
        ['term-case', 'error'],
        ['link-missing-file', 'off'],
      ],
    );
    for (const v of [undefined, null, 'error', ['term-case'], 7]) assert.equal(parseRuleOverrides(v).size, 0);
  });

  it('drops findings of rules turned off, re-levels others, leaves engine findings alone', () => {
    const findings = [
      f('term-case'),
      f('link-missing-file', 'error'),
      f('config-invalid', 'error'),
      f('term-avoid', 'info'),
    ];
    const out = applyRuleOverrides(
      findings,
      parseRuleOverrides({ 'term-case': 'hint', 'link-missing-file': 'off', 'term-avoid': 'info' }),
    );
    assert.deepEqual(
      out.map((x) => [x.ruleId, x.severity]),
      [
        ['term-case', 'hint'],
        ['config-invalid', 'error'],
        ['term-avoid', 'info'],
      ],
    );
    assert.equal(out[2], findings[3], 'unchanged findings are not copied');
    assert.equal(applyRuleOverrides(findings, new Map()), findings);
  });
});
