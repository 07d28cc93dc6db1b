/**
 * Which pages the glossary is read from is decided by what they hold, so a
 * host reads every page ahead and the engine keeps a cheap hint
 * (`mayDefineTerms`): the pages that define terms are analysed first, and no
 * page is analysed twice on a cold start. The hint must be a superset of what
 * the pages' facts say (`definesTerms`), on text and on bytes alike.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../../server/src/engine/index';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';
import { parseDocument } from '../../server/src/engine/parse/markdown';
import { extractFacts } from '../../server/src/engine/facts';
import { glossaryOf, mayDefineTerms } from '../../server/src/engine/glossary/index';
import { definesTerms } from '../../server/src/engine/glossary/pageFacts';

function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'out' || name === '.git') continue;
    if (statSync(p).isDirectory()) markdownFiles(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

const root = join(__dirname, '..', '..');
const pages = [
  ...markdownFiles(join(root, 'server', 'src', 'engine', 'rules')),
  ...markdownFiles(join(root, 'examples')),
  ...markdownFiles(join(root, 'test', 'vscode', 'fixtures')),
];

const shapes = [
  '# Microsolidarity\n\n### Microsolidarity is a community-building practice.\n',
  '\uFEFF# Microsolidarity\r\n\r\nMicrosolidarity is a practice.\r\n',
  '# Five scales\n\n## 3: the Crew\n\nThe third scale.\n',
  '# Words\n\n## Dyad\n\n![two](two.png)\n\nA **dyad** is a relationship of two.\n',
  '# Home\n\n## Definition of terms\n\nA **Crew** is a small group.\n',
  '# Plain\n\nNothing here.\n\n## Overview\n\nSome prose, and a crew.\n',
  '# Case Clinic\n\n## Roles\n\n**Case Giver:** Share a challenge.\n',
];

describe('the glossary’s sources', () => {
  test(`the hint never misses a page whose facts define terms, and reads text and bytes alike (${pages.length} pages)`, () => {
    let defining = 0;
    const texts = [...pages.map((p) => readFileSync(p, 'utf8')), ...shapes];
    for (const [i, text] of texts.entries()) {
      const hint = mayDefineTerms(text);
      assert.equal(
        mayDefineTerms(new TextEncoder().encode(text)),
        hint,
        `text and bytes disagree on ${pages[i] ?? JSON.stringify(text)}`,
      );
      if (definesTerms(extractFacts(parseDocument('page.md', text)))) {
        defining++;
        assert.ok(hint, `the hint misses ${pages[i] ?? JSON.stringify(text)}`);
      }
    }
    assert.ok(defining >= 10, `only ${defining} defining pages: the test proves little`);
    assert.equal(mayDefineTerms(shapes[5]!), false, 'a page with no definitional heading is no source');
  });

  test('a defining page that sorts last is analysed first: on a cold start every other page is read and analysed once', async () => {
    const files: Record<string, string> = {
      'README.md': '# Handbook\n\nA handbook.\n',
      'SUMMARY.md':
        '# Table of contents\n\n* [Handbook](README.md)\n* [A](a.md)\n* [B](b.md)\n* [Scales](zz-scales.md)\n',
      'a.md': '# A\n\nOur Crews meet. Two Crews share, the Crews rotate, new Crews form; the crews eat.\n',
      'b.md': '# B\n\nA crew met.\n',
      'zz-scales.md': '# Five scales\n\n## 3: the Crew\n\nA crew is a very small group of 3 to 6 people.\n',
    };
    const fs = new MemoryFileSystem(files);
    const project = new Project({ fs });
    await project.initialize();
    assert.deepEqual(
      glossaryOf(project.index).terms.map((t) => t.term),
      ['Crew'],
    );
    // The sources settle among themselves (one may read another's terms); every other page reads the settled glossary once.
    for (const path of ['a.md', 'b.md'])
      assert.equal(
        fs.reads.filter((r) => r === path).length,
        1,
        `${path} was read ${fs.reads.filter((r) => r === path).length} times`,
      );
    assert.ok(fs.reads.filter((r) => r === 'zz-scales.md').length <= 2);
    assert.deepEqual(project.stalePages(), []);
    assert.deepEqual(
      project
        .check('a.md')
        .filter((f) => f.ruleId === 'term-case')
        .map((f) => f.message),
      ['Unexpected `crews`, expected `Crews` as in 4 of 5 uses on this page'],
    );
  });
});
