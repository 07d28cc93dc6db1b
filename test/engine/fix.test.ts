/** Applying fixes: smallest possible change, overlaps dropped safely, a second pass picks up the rest. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, fixEdits, type Finding } from '../../server/src/engine/index';
import { applySafeFixes } from './fixtureHarness';
import { checkSite, site, text } from './util';

describe('applyEdits', () => {
  test('edits in any order; the rest of the text is kept byte for byte', () => {
    const t = 'See [a](a.md) and [b](b.md).\r\n';
    const r = applyEdits(t, [
      { start: 22, end: 26, newText: '../b.md' },
      { start: 8, end: 12, newText: '../a.md' },
    ]);
    assert.deepEqual(r, { text: 'See [a](../a.md) and [b](../b.md).\r\n', applied: 2 });
  });

  test('insertions, deletions and adjacent edits', () => {
    assert.deepEqual(
      applyEdits('abc', [
        { start: 0, end: 0, newText: '>' },
        { start: 1, end: 2, newText: '' },
        { start: 2, end: 3, newText: 'C' },
      ]),
      { text: '>aC', applied: 3 },
    );
  });

  test('an overlapping edit is dropped (the later one), never half-applied', () => {
    assert.deepEqual(
      applyEdits('abcdef', [
        { start: 1, end: 4, newText: 'X' },
        { start: 2, end: 5, newText: 'Y' },
      ]),
      { text: 'aXef', applied: 1 },
    );
  });

  test('edits outside the text or inverted are dropped', () => {
    assert.deepEqual(
      applyEdits('abc', [
        { start: 2, end: 9, newText: 'X' },
        { start: 2, end: 1, newText: 'Y' },
      ]),
      { text: 'abc', applied: 0 },
    );
  });

  test('fixEdits takes each finding’s safe fix, never its suggestions', () => {
    const base = {
      ruleId: 'r',
      severity: 'error',
      message: 'Unexpected x, expected y',
      path: 'a.md',
      span: { start: 0, end: 1 },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    } as const;
    const findings: Finding[] = [
      { ...base, fix: { title: 'a', edits: [{ start: 0, end: 1, newText: 'A' }] } },
      { ...base, suggestions: [{ title: 'b', edits: [{ start: 1, end: 2, newText: 'B' }] }] },
    ];
    assert.deepEqual(fixEdits(findings), [{ start: 0, end: 1, newText: 'A' }]);
  });
});

describe('fix passes', () => {
  test('text mangled twice comes back in two passes, then nothing is left to fix', async () => {
    let files = site({ 'x.md': 'A dash: Ã¢â‚¬â€\u009d and an apostrophe: Ã¢â‚¬â„¢.\n' });
    const seen: string[] = [];
    for (let pass = 0; pass < 4; pass++) {
      const { findings } = await checkSite(files, { only: 'encoding-mojibake' });
      seen.push(`${findings.filter((f) => f.fix).length}: ${text(files.get('x.md')!)}`);
      if (!findings.some((f) => f.fix)) break;
      files = applySafeFixes(files, findings);
    }
    assert.deepEqual(seen, [
      '6: A dash: Ã¢â‚¬â€\u009d and an apostrophe: Ã¢â‚¬â„¢.\n',
      '2: A dash: â€” and an apostrophe: â€™.\n',
      '0: A dash: — and an apostrophe: ’.\n',
    ]);
  });
});
