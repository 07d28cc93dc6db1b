/**
 * Site knowledge on a site where many pages define terms: derived a bounded
 * number of times while the site is indexed (not once per source page), a
 * key that stays short however large the glossary, and a fix checked on a
 * source page that does not derive the old knowledge again to restore it.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { glossaryKnowledge } from '../../server/src/engine/glossary/knowledge';
import { holdKnowledge, knowledgeKey, prepareKnowledgeSource } from '../../server/src/engine/knowledge';
import { glossaryOf } from '../../server/src/engine/glossary/knowledge';
import { siteAttribution } from '../../server/src/engine/attribution/site';
import { indexFromSnapshot } from '../../server/src/engine/phaseOne';
import { checkSite, site } from './util';

const original = glossaryKnowledge.derive;
afterEach(() => {
  (glossaryKnowledge as { derive: typeof original }).derive = original;
});

/** Counts the glossary's derivations from here on. */
function countDerivations(): { count: number } {
  const counter = { count: 0 };
  (glossaryKnowledge as { derive: typeof original }).derive = (...args) => {
    counter.count++;
    return original(...args);
  };
  return counter;
}

const sourceCount = 40;

/** A GitBook site whose pages each define one term of their own (`## Definition of terms`), and pages that use them. */
function manyDefiningPages(): Map<string, Uint8Array> {
  const files: Record<string, string> = {
    'README.md': '# Home\n\nA handbook.\n',
  };
  const entries: string[] = ['* [Home](README.md)'];
  for (let i = 0; i < sourceCount; i++) {
    const term = `Widget${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`;
    files[`defs/page-${i}.md`] =
      `# Page ${i}\n\n## Definition of terms\n\n**${term}**: a kind of thing that page ${i} describes at length.\n`;
    files[`uses/page-${i}.md`] = `# Use ${i}\n\nA ${term.toLowerCase()} meets on Tuesdays.\n`;
    entries.push(`* [Page ${i}](defs/page-${i}.md)`, `* [Use ${i}](uses/page-${i}.md)`);
  }
  files['SUMMARY.md'] = `# Table of contents\n\n${entries.join('\n')}\n`;
  return site(files);
}

describe('site knowledge with many source pages', () => {
  test('is derived a few times while the site is indexed, not once per source page', async () => {
    const counter = countDerivations();
    const { project, findings } = await checkSite(manyDefiningPages());
    assert.ok(counter.count > 0, 'the glossary was derived');
    assert.ok(knowledgeKey(project.index).length > 0);
    // Once for the sources' batch, once when the other pages read it, and a settle round: never one per source.
    assert.ok(counter.count <= 6, `derived ${counter.count} times for ${sourceCount} source pages`);
    // And the knowledge is the whole site's: every page's term is known (no term-undefined on the pages that use them).
    assert.deepEqual(
      findings.filter((f) => f.ruleId === 'term-undefined').map((f) => f.path),
      [],
    );
  });

  test('a held batch reads the knowledge as it was when the batch began, then it is derived anew', async () => {
    const { project } = await checkSite(manyDefiningPages());
    const release = holdKnowledge(project.index);
    // The first to ask within the hold derives it (from the facts as they are then), and it is held from there on.
    const before = knowledgeKey(project.index);
    project.openDocument(
      'defs/page-0.md',
      '# Page 0\n\n## Definition of terms\n\n**Gizmo**: a thing that replaces the widget of this page.\n',
      1,
    );
    assert.equal(knowledgeKey(project.index), before, 'held: the edit is not derived yet');
    release();
    assert.notEqual(knowledgeKey(project.index), before, 'released: the new term is derived');
  });

  test('its key stays short however many terms the site defines', async () => {
    const { project } = await checkSite(manyDefiningPages());
    const key = knowledgeKey(project.index);
    assert.ok(key.length < 200, `a key of ${key.length} characters`);
  });

  test('checking a fix on a source page derives the knowledge with the fix once, and the old one not again', async () => {
    const files = manyDefiningPages();
    files.set(
      'defs/page-1.md',
      new TextEncoder().encode(
        '# Page 1\n\n## Definition of terms\n\n**WidgetBA**: a kind of thing.\n\nSee [home](README.md#nowhere).\n',
      ),
    );
    const { project } = await checkSite(files);
    const findings = project.check('defs/page-1.md');
    assert.ok(
      findings.some((f) => f.fix),
      `a fixable finding on the source page: ${findings.map((f) => f.ruleId).join(', ')}`,
    );
    const text = new TextDecoder().decode(files.get('defs/page-1.md'));
    const counter = countDerivations();
    project.verifyFixes('defs/page-1.md', findings, text);
    const first = counter.count;
    project.verifyFixes('defs/page-1.md', findings, text);
    // The page as fixed is a new source text (one derivation per check at most); the page as it is was derived already.
    assert.ok(first <= 2, `derived ${first} times for one page's fixes`);
    assert.ok(counter.count - first <= first, 'checking again costs no more');
  });

  test("a worker's index from a site snapshot takes the main thread's knowledge, not deriving it again; a snapshot without it derives the same", async () => {
    const { project } = await checkSite(manyDefiningPages());
    const snapshot = structuredClone(project.siteSnapshot());
    assert.ok(snapshot.knowledge, 'the snapshot carries the knowledge');
    const counter = countDerivations();
    const worker = indexFromSnapshot(snapshot);
    assert.equal(knowledgeKey(worker), knowledgeKey(project.index));
    assert.deepEqual(glossaryOf(worker), glossaryOf(project.index));
    assert.deepEqual(siteAttribution(worker), siteAttribution(project.index));
    assert.equal(counter.count, 0, 'not derived in the worker');
    const { knowledge: _, ...without } = snapshot;
    const deriving = indexFromSnapshot(without);
    assert.deepEqual(glossaryOf(deriving), glossaryOf(project.index));
    assert.equal(counter.count, 1, 'derived from the snapshot when it carries no knowledge');
  });

  test("deriving again after one source page changed takes the other pages' definitions as they were found; worked out ahead, the same glossary", async () => {
    const { project } = await checkSite(manyDefiningPages());
    const before = glossaryOf(project.index);
    const definitionOf = (term: string) => glossaryOf(project.index).terms.find((t) => t.term === term)?.definition;
    const kept = definitionOf('WidgetFA');
    assert.ok(kept, 'page 5 defines WidgetFA');
    project.openDocument(
      'defs/page-0.md',
      '# Page 0\n\n## Definition of terms\n\n**Gizmo**: a thing that replaces the widget of this page.\n',
      1,
    );
    assert.notDeepEqual(glossaryOf(project.index), before, 'the edit is derived');
    assert.ok(definitionOf('Gizmo'));
    assert.equal(definitionOf('WidgetFA'), kept, "page 5's definition is the one found before, not found again");

    // Worked out ahead of the derivation (a bulk host while it waits for the other sources): the same glossary, derived once.
    const { knowledge: _, ...snapshot } = structuredClone(project.siteSnapshot());
    const worker = indexFromSnapshot(snapshot);
    const sources = worker.pages().filter((p) => p.startsWith('defs/'));
    assert.equal(sources.length, sourceCount);
    for (const p of sources) prepareKnowledgeSource(worker, p);
    const counter = countDerivations();
    assert.deepEqual(glossaryOf(worker), glossaryOf(project.index));
    assert.equal(counter.count, 1);
  });
});
