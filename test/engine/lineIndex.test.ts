/**
 * One line index for the whole code base (text.ts `LineIndex` and `lineOf`):
 * a line ends at `\n`, `\r\n` or a lone `\r`, as in LSP. The facts' line
 * starts, the attribution items' lines and the findings' ranges all come
 * from it, whatever the line endings.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex, lineOf } from '../../server/src/engine/text';
import { parseDocument } from '../../server/src/engine/parse/markdown';
import { extractFacts } from '../../server/src/engine/facts';
import { extractAttribution } from '../../server/src/engine/attribution/page';
import { checkSite, site } from './util';

const page = (eol: string) =>
  ['# Page', '', 'Some text.', '', '![](https://images.example.org/photo.jpg)', '', 'The end.', ''].join(eol);

describe('the line index', () => {
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    test(`${name}: facts, attribution items and findings count lines alike`, async () => {
      const text = page(eol);
      const lines = new LineIndex(text);
      assert.equal(lines.lineCount, 8);
      const doc = parseDocument('a.md', text);
      const facts = extractFacts(doc);
      assert.deepEqual(facts.lineStarts, lines.lineStarts);
      const image = extractAttribution(doc, facts).items.find((i) => i.kind === 'image')!;
      assert.equal(image.line, 4);
      const { findings } = await checkSite(site({ 'a.md': text }), { only: 'image-alt-missing' });
      assert.deepEqual(
        findings.map((f) => [f.range.start.line, f.range.start.character]),
        [[4, 0]],
      );
    });
  }

  test('lineOf and positionAt agree, and offsetAt inverts positionAt', () => {
    const text = 'a\r\nbb\rccc\n\r\nd';
    const lines = new LineIndex(text);
    assert.deepEqual(lines.lineStarts, [0, 3, 6, 10, 12]);
    for (let offset = 0; offset <= text.length; offset++) {
      const p = lines.positionAt(offset);
      assert.equal(p.line, lineOf(lines.lineStarts, offset));
      if (text[offset - 1] !== '\r' || text[offset] !== '\n') assert.equal(lines.offsetAt(p), offset);
    }
  });
});
