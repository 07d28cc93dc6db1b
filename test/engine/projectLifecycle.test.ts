import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Project } from '../../server/src/engine/project';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';

/** Editor-facing lifecycle guarantees of Project: open text wins over disk, config reloads keep findings. */

// A GitBook site (a plain folder would get link checks only).
const base = {
  'SUMMARY.md': '* [Home](README.md)\n* [Page](page.md)\n',
  'README.md': '# Home\n',
  'page.md': '# Page\n\nâ€” and [gone](missing.md)\n',
};

test("a config reload keeps an open page's document-rule findings and applies the new severities", async () => {
  const fs = new MemoryFileSystem(base);
  const project = new Project({ fs });
  await project.initialize();
  project.openDocument('page.md', '# Page\n\nâ€” and [gone](missing.md) edited\n', 2);
  assert.deepEqual(
    project.check('page.md').map((f) => [f.ruleId, f.severity]),
    [
      ['encoding-mojibake', 'warning'],
      ['link-missing-file', 'error'],
    ],
  );
  fs.write('.msolrc.json', JSON.stringify({ rules: { 'link-missing-file': 'warning' } }));
  assert.equal(await project.reloadConfig(), true);
  assert.deepEqual(
    project.check('page.md').map((f) => [f.ruleId, f.severity]),
    [
      ['encoding-mojibake', 'warning'],
      ['link-missing-file', 'warning'],
    ],
  );
  fs.write('.msolrc.json', JSON.stringify({ rules: { 'encoding-mojibake': 'off' } }));
  await project.reloadConfig();
  assert.deepEqual(
    project.check('page.md').map((f) => f.ruleId),
    ['link-missing-file'],
  );
});

test('pages not open are stale after a config change until refreshStale re-reads them', async () => {
  const fs = new MemoryFileSystem(base);
  const project = new Project({ fs });
  await project.initialize();
  fs.write('.msolrc.json', JSON.stringify({ rules: { 'encoding-mojibake': 'off' } }));
  await project.reloadConfig();
  assert.deepEqual(project.stalePages(), ['README.md', 'SUMMARY.md', 'page.md']);
  assert.equal(await project.refreshStale(), 3);
  assert.deepEqual(project.stalePages(), []);
  assert.deepEqual(
    project.check('page.md').map((f) => f.ruleId),
    ['link-missing-file'],
  );
});

/** A file system whose reads wait until the test lets them go, to open a page in the middle of a read. */
class GatedFileSystem extends MemoryFileSystem {
  gate: Promise<void> = Promise.resolve();
  onRead: (() => void) | undefined;
  override async readFile(path: string) {
    this.onRead?.();
    await this.gate;
    return super.readFile(path);
  }
}

test('a page opened while its disk copy is being read keeps the editor text', async () => {
  const fs = new GatedFileSystem(base);
  const project = new Project({ fs });
  await project.initialize();
  let release!: () => void;
  fs.gate = new Promise((r) => (release = r));
  const reading = new Promise<void>((r) => (fs.onRead = r));
  const refreshing = project.refreshFile('page.md');
  await reading; // the disk read has started and waits at the gate
  project.openDocument('page.md', '# Edited in the editor\n', 7);
  release();
  await refreshing;
  assert.equal(project.index.facts('page.md')?.title, 'Edited in the editor');
  assert.deepEqual(project.check('page.md'), []);
});
