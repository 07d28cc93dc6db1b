import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totals, type FileReport } from '../../../server/src/cli/report';
import type { Finding } from '../../../server/src/engine/types';
import { formatStylish } from '../../../server/src/cli/formats/stylish';

test('stylish counts info findings with a safe fix among the fixable ones (--fix applies them too)', () => {
  const finding = (severity: 'error' | 'warning' | 'info', fix: boolean): Finding => ({
    ruleId: 'r',
    severity,
    message: 'Unexpected x, expected y',
    path: 'a.md',
    span: { start: 0, end: 1 },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    ...(fix ? { fix: { title: 't', edits: [{ start: 0, end: 1, newText: 'y' }] } } : {}),
  });
  const files: FileReport[] = [
    {
      path: 'a.md',
      absolutePath: '/s/a.md',
      siteRoot: '/s',
      checked: true,
      findings: [finding('error', true), finding('warning', false), finding('info', true)],
    },
  ];
  const t = totals(files);
  assert.deepEqual([t.fixableErrors, t.fixableWarnings, t.fixableOthers], [1, 0, 1]);
  assert.match(
    formatStylish({ cwd: '/s', files, version: '0' }, { color: false }),
    /1 error and 1 other problem potentially fixable/,
  );
});
