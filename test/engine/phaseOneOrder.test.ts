/**
 * The order in which a bulk host is asked to analyse a site: the knowledge
 * sources first (their facts), then the site's shape is told (an editor's
 * open page can be answered), then SUMMARY.md (which only ranks the
 * glossary's definitions and can take half a second to parse), then the
 * other pages while the sources' findings settle. The host's promise from
 * `onSiteShapeKnown` holds indexing until it resolves. Whatever the order,
 * the findings are those of a Project indexed without a host.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';
import { Project } from '../../server/src/engine/project';
import { analyzeRead, type PhaseOneHost } from '../../server/src/engine/phaseOne';
import { findingKey } from './util';

const files: Record<string, string> = {
  '.msolrc.json': JSON.stringify({ site: { kind: 'gitbook' } }),
  'README.md': '# Home\n\nA handbook of [crews](crews.md).\n',
  'SUMMARY.md':
    '# Table of contents\n\n* [Home](README.md)\n* [Crews](crews.md)\n* [Use](use.md)\n\n## Archive\n\n* [Old](old.md)\n',
  'crews.md':
    '# Crews\n\n## Definition of terms\n\n**Crew**: a small group of people who meet to support each other.\n',
  'old.md': '# Old\n\n## Definition of terms\n\n**Crew**: a group of three to eight people, as we used to say.\n',
  'use.md': '# Use\n\nOur crew meets weekly. A Crew has no boss. See [the missing page](gone.md).\n',
};

/** A host that analyses in the main thread, as the CLI's does for small batches, recording what it was asked. */
function recordingHost(fs: MemoryFileSystem, calls: { pages: string[]; sources: boolean; fresh: boolean }[]) {
  const host: PhaseOneHost = {
    // As the CLI's host: every page's raw text is looked at first (pages that define terms are sources).
    async prepare(project, pages) {
      for (const path of pages) {
        const bytes = await fs.readFile(path);
        if (bytes) project.noteText(path, bytes);
      }
    },
    async analyze(project, pages, phase) {
      calls.push({ pages: [...pages], sources: phase.sources, fresh: phase.fresh ?? false });
      for (const path of pages) {
        const bytes = await fs.readFile(path);
        project.adoptPhaseOne(
          analyzeRead(path, bytes ? { size: bytes.length, bytes } : undefined, project.index, true),
        );
      }
    },
  };
  return host;
}

async function plainFindings(): Promise<string[]> {
  const project = new Project({ fs: new MemoryFileSystem(files) });
  await project.initialize();
  return [...project.checkAll().values()].flat().map(findingKey).sort();
}

describe('phase one through a host', () => {
  test('tells the shape after the sources but before SUMMARY.md, and waits for the promise it gets back', async () => {
    const fs = new MemoryFileSystem(files);
    const calls: { pages: string[]; sources: boolean; fresh: boolean }[] = [];
    const project = new Project({ fs });
    let resolveShape: () => void = () => {};
    let callsAtShape = -1;
    let shapeTold = false;
    const indexed = project.initialize(undefined, undefined, recordingHost(fs, calls), () => {
      shapeTold = true;
      callsAtShape = calls.length;
      return new Promise<void>((resolve) => (resolveShape = resolve));
    });
    // Until the shape is told, let the work run.
    while (!shapeTold) await new Promise((r) => setImmediate(r));
    const told = calls.slice(0, callsAtShape);
    assert.ok(
      told.every((c) => c.sources && !c.pages.includes('SUMMARY.md')),
      `before the shape: ${JSON.stringify(told)}`,
    );
    assert.ok(
      told.some((c) => c.pages.includes('crews.md')),
      'the page that defines terms is analysed before the shape is told',
    );
    // Held: nothing more is asked while the promise is pending.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(calls.length, callsAtShape, 'no analysis while the host holds the shape');
    resolveShape();
    await indexed;
    const after = calls.slice(callsAtShape);
    assert.deepEqual(after[0], { pages: ['SUMMARY.md'], sources: true, fresh: false });
    assert.ok(
      after.some((c) => !c.sources && c.pages.includes('use.md')),
      `the other pages come after: ${JSON.stringify(after)}`,
    );
    // The same findings as a Project indexed page by page.
    assert.deepEqual([...project.checkAll().values()].flat().map(findingKey).sort(), await plainFindings());
  });
});
