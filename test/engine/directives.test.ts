/**
 * "Disable rule for this line / file" (engine/features/directives.ts): the
 * comment goes where GitBook renders nothing different, the finding is gone
 * afterwards, and asking again offers nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, parseDocument, type Finding } from '../../server/src/engine/index';
import { disableRuleEdit, type DisableScope } from '../../server/src/engine/features/directives';
import { checkSite, site } from './util';

const rule = 'link-missing-file';

/** The page's link-missing-file findings, checked with only that rule. */
async function missing(page: string): Promise<Finding[]> {
  const { findings } = await checkSite(site({ 'README.md': '# Home\n', 'page.md': page }), { only: rule });
  return findings.filter((f) => f.path === 'page.md');
}

/** Applies the action for the first finding on `needle`'s line; returns the new text. */
function disable(page: string, needle: string, scope: DisableScope, id = rule): string | undefined {
  const doc = parseDocument('page.md', page);
  const found = disableRuleEdit(doc, id, page.indexOf(needle), scope);
  return found ? applyEdits(page, [...found.edits]).text : undefined;
}

const blocks = (text: string) =>
  parseDocument('x.md', text)
    .tree.children.filter((n) => n.type !== 'html')
    .map((n) => n.type);

test('a paragraph line: an inline comment at its end; the paragraph stays one, the finding goes', async () => {
  const page = '# Page\n\nFirst line with [a](gone.md)\nsecond line of the same paragraph.\n';
  const after = disable(page, 'gone.md', 'line')!;
  assert.equal(
    after,
    '# Page\n\nFirst line with [a](gone.md) <!-- msol-disable-line link-missing-file -->\nsecond line of the same paragraph.\n',
  );
  assert.deepEqual(blocks(after), blocks(page));
  assert.equal((await missing(page)).length, 1);
  assert.deepEqual(await missing(after), []);
  assert.equal(disable(after, 'gone.md', 'line'), undefined, 'asking again offers nothing');
});

test('a list item and a line ending in a hard break keep their shape', () => {
  assert.equal(
    disable('- [a](gone.md)\n- b\n', 'gone.md', 'line'),
    '- [a](gone.md) <!-- msol-disable-line link-missing-file -->\n- b\n',
  );
  assert.equal(
    disable('A [a](gone.md)  \nnext\n', 'gone.md', 'line'),
    'A [a](gone.md) <!-- msol-disable-line link-missing-file -->  \nnext\n',
  );
});

test('a heading: the comment on the line before it, the heading (and its anchor) untouched', async () => {
  const page = '# Page\n\n## See [a](gone.md)\n\nText.\n';
  const after = disable(page, 'gone.md', 'line')!;
  assert.equal(after, '# Page\n\n<!-- msol-disable-next-line link-missing-file -->\n## See [a](gone.md)\n\nText.\n');
  assert.deepEqual(blocks(after), blocks(page));
  assert.deepEqual(await missing(after), []);
});

test('an existing comment gets the rule added; one naming every rule covers it already', () => {
  const page = 'A [a](gone.md) <!-- msol-disable-line term-case -->\n';
  assert.equal(
    disable(page, 'gone.md', 'line'),
    'A [a](gone.md) <!-- msol-disable-line term-case link-missing-file -->\n',
  );
  assert.equal(disable('A [a](gone.md) <!-- msol-disable-line -->\n', 'gone.md', 'line'), undefined);
});

test('the file: at the top, after the front matter; findings in the front matter get neither', async () => {
  const page = '---\ndescription: x\n---\n# Page\n\n[a](gone.md)\n';
  const after = disable(page, 'gone.md', 'file')!;
  assert.equal(after, '---\ndescription: x\n---\n<!-- msol-disable link-missing-file -->\n\n# Page\n\n[a](gone.md)\n');
  assert.deepEqual(await missing(after), []);
  assert.equal(disable(after, 'gone.md', 'file'), undefined);
  assert.equal(
    disable(after, 'gone.md', 'file', 'term-case'),
    '---\ndescription: x\n---\n<!-- msol-disable link-missing-file term-case -->\n\n# Page\n\n[a](gone.md)\n',
  );
  assert.equal(disable(page, 'description', 'line'), undefined);
  assert.equal(disable(page, 'description', 'file'), undefined);
});

test('no inline comment in code; CRLF pages keep CRLF', () => {
  assert.equal(disable('Text\n\n```md\n[a](gone.md)\n```\n', 'gone.md', 'line'), undefined);
  assert.equal(
    disable('# T\r\n\r\nA [a](gone.md)\r\n', 'gone.md', 'file'),
    '<!-- msol-disable link-missing-file -->\r\n\r\n# T\r\n\r\nA [a](gone.md)\r\n',
  );
});
