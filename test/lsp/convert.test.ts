import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../server/src/engine/index';
import { fixAll, quickFixes } from '../../server/src/lsp/codeActions';
import { describeClient } from '../../server/src/lsp/client';
import { findingToDiagnostic, type DiagnosticData } from '../../server/src/lsp/convert';

/**
 * The one conversion point, finding → diagnostic, and the code actions made
 * from its data: the parts the protocol tests cannot steer (every severity,
 * related locations, UTF-16 offsets, overlapping fixes).
 */

const text = 'Emoji 🙂 then [a](old.md) and [b](old.md)\n';
const doc = TextDocument.create('file:///site/page.md', 'markdown', 3, text);
const at = (needle: string, from = 0) => text.indexOf(needle, from);

function finding(over: Partial<Finding> = {}): Finding {
  const start = at('old.md');
  return {
    ruleId: 'link-missing-file',
    severity: 'error',
    message: 'Unexpected link to missing file `old.md`, expected an existing file',
    path: 'page.md',
    span: { start, end: start + 6 },
    range: { start: doc.positionAt(start), end: doc.positionAt(start + 6) },
    url: 'https://example.test/rules/link-missing-file',
    ...over,
  };
}

const ctx = {
  text: doc,
  version: 3,
  uriOf: (p: string) => `file:///site/${p}`,
  relatedInformation: true,
};
const client = describeClient({
  workspace: { workspaceEdit: { documentChanges: true } },
  textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: [] } } } },
});

describe('findingToDiagnostic', () => {
  it('maps rule id, source, docs link and every severity', () => {
    const expected = {
      error: DiagnosticSeverity.Error,
      warning: DiagnosticSeverity.Warning,
      info: DiagnosticSeverity.Information,
      hint: DiagnosticSeverity.Hint,
    } as const;
    for (const [severity, lsp] of Object.entries(expected)) {
      const d = findingToDiagnostic(finding({ severity: severity as Finding['severity'] }), ctx);
      assert.equal(d.severity, lsp, severity);
      assert.equal(d.code, 'link-missing-file');
      assert.equal(d.source, 'msol');
      assert.deepEqual(d.codeDescription, { href: 'https://example.test/rules/link-missing-file' });
    }
    assert.equal(findingToDiagnostic(finding({ url: undefined as never }), ctx).codeDescription, undefined);
  });

  it('turns fix offsets into positions of the same text (UTF-16, after an emoji) and keeps the version', () => {
    const start = at('old.md');
    const d = findingToDiagnostic(
      finding({
        fix: { title: 'Point at new.md', edits: [{ start, end: start + 6, newText: 'new.md' }] },
        suggestions: [{ title: 'Point at other.md', edits: [{ start, end: start + 6, newText: 'other.md' }] }],
      }),
      ctx,
    );
    const data = d.data as DiagnosticData;
    assert.equal(data.version, 3);
    // The emoji is two UTF-16 code units: `old.md` starts at character 18 (17 in code points).
    assert.deepEqual(data.fix?.edits, [
      { range: { start: { line: 0, character: 18 }, end: { line: 0, character: 24 } }, newText: 'new.md' },
    ]);
    assert.equal(data.suggestions?.[0]?.edits[0]?.newText, 'other.md');
    assert.deepEqual(d.range, data.fix?.edits[0]?.range);
  });

  it('gives related locations absolute URIs, only to clients that support them', () => {
    const related = [
      {
        path: 'articles/other.md',
        range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } },
        message: 'also defined here',
      },
    ];
    const d = findingToDiagnostic(finding({ related }), ctx);
    assert.deepEqual(d.relatedInformation, [
      { location: { uri: 'file:///site/articles/other.md', range: related[0]!.range }, message: 'also defined here' },
    ]);
    assert.equal(
      findingToDiagnostic(finding({ related }), { ...ctx, relatedInformation: false }).relatedInformation,
      undefined,
    );
  });
});

describe('code actions from diagnostic data', () => {
  const fixAt = (needle: string, from: number, newText: string) => {
    const start = at(needle, from);
    return findingToDiagnostic(
      finding({
        span: { start, end: start + needle.length },
        range: { start: doc.positionAt(start), end: doc.positionAt(start + needle.length) },
        fix: { title: `to ${newText}`, edits: [{ start, end: start + needle.length, newText }] },
      }),
      ctx,
    );
  };

  it('marks the safe fix preferred and suggestions not', () => {
    const start = at('old.md');
    const d = findingToDiagnostic(
      finding({
        fix: { title: 'safe', edits: [{ start, end: start + 6, newText: 'a.md' }] },
        suggestions: [{ title: 'maybe', edits: [{ start, end: start + 6, newText: 'b.md' }] }],
      }),
      ctx,
    );
    const actions = quickFixes(doc.uri, 3, [d], client);
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred, a.kind]),
      [
        ['safe', true, 'quickfix'],
        ['maybe', false, 'quickfix'],
      ],
    );
  });

  it('applies all safe fixes at once, dropping an edit that overlaps another', () => {
    const first = fixAt('old.md', 0, 'one.md');
    const second = fixAt('old.md', at('old.md') + 1, 'two.md');
    const overlapping = fixAt('d.md) and', 0, 'X');
    const noFix = findingToDiagnostic(finding(), ctx);
    const action = fixAll(doc.uri, 3, [first, overlapping, second, noFix], client);
    assert.ok(action);
    const edits = (action.edit?.documentChanges?.[0] as { edits: Parameters<typeof TextDocument.applyEdits>[1] }).edits;
    assert.equal(TextDocument.applyEdits(doc, edits), 'Emoji 🙂 then [a](one.md) and [b](two.md)\n');
    assert.equal(fixAll(doc.uri, 3, [noFix], client), undefined, 'nothing to fix: no action');
  });

  it('uses plain `changes` for clients without versioned edits', () => {
    const d = fixAt('old.md', 0, 'one.md');
    const [action] = quickFixes(doc.uri, 3, [d], describeClient({}));
    assert.deepEqual(Object.keys(action?.edit?.changes ?? {}), [doc.uri]);
  });

  it('ignores diagnostics of other sources and of other versions', () => {
    const d = fixAt('old.md', 0, 'one.md');
    const foreign: Diagnostic = { ...d, source: 'markdownlint' };
    assert.deepEqual(quickFixes(doc.uri, 3, [foreign], client), []);
    assert.deepEqual(quickFixes(doc.uri, 4, [d], client), []);
  });
});
