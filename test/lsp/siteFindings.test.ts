import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neverCancelled, Project, type Finding, type WorkspaceFindingsCache } from '../../server/src/engine/index';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';
import { SiteFindings } from '../../server/src/lsp/siteFindings';

/**
 * The language server's site-wide findings (server/src/lsp/siteFindings.ts)
 * and the persistent cache's workspace findings it starts from: used for the
 * first whole-site check, for every page but one whose own text changed, and
 * for none once something other pages can see has changed. A cache that
 * answers with a marker finding shows which pages took it.
 */

const marker = (path: string): Finding => ({
  ruleId: 'from-the-cache',
  severity: 'info',
  message: 'taken from the cache',
  path,
  span: { start: 0, end: 0 },
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
});

async function setup() {
  const project = new Project({
    fs: new MemoryFileSystem({
      'README.md': '# Home\n\nSee [a](a.md#part-one) and [b](b.md).\n',
      'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n* [A](a.md)\n* [B](b.md)\n',
      'a.md': '# A\n\n## Part one\n\nText.\n',
      'b.md': '# B\n\nText.\n',
    }),
  });
  await project.initialize();
  const site = new SiteFindings({ logger: { log() {} }, isCurrent: () => true, pause: async () => {} });
  const recorded: string[] = [];
  const cache: WorkspaceFindingsCache = { get: (path) => [marker(path)], record: (path) => recorded.push(path) };
  let completed = 0;
  site.warmStart(project, cache, () => completed++);
  const fromCache = async () =>
    [...(await site.of(() => project, neverCancelled))]
      .filter(([, list]) => list.some((f) => f.ruleId === 'from-the-cache'))
      .map(([path]) => path)
      .sort();
  return { project, site, recorded, fromCache, completed: () => completed };
}

describe('site findings: the workspace findings of the persistent cache', () => {
  it('the first whole-site check takes every page from the cache and says when it is complete; later checks compute', async () => {
    const s = await setup();
    assert.deepEqual(await s.fromCache(), ['README.md', 'SUMMARY.md', 'a.md', 'b.md']);
    assert.deepEqual(s.recorded, ['README.md', 'SUMMARY.md', 'a.md', 'b.md'], 'what each check used is recorded');
    assert.equal(s.completed(), 1);
    s.project.openDocument('b.md', '# B\n\nOther text.\n', 1);
    s.site.edited(s.project, 'b.md', false, 0, 0);
    s.site.forget();
    assert.deepEqual(await s.fromCache(), [], 'after the first check the cache is done with');
  });

  it('an edit no other page can see: the other pages still come from the cache (the host skips the edited page itself)', async () => {
    const s = await setup();
    const before = s.project.index.revision;
    const visible = s.project.openDocument('b.md', '# B\n\nOther text.\n', 1);
    assert.equal(visible, false);
    s.site.edited(s.project, 'b.md', visible, before, s.project.index.revision);
    assert.deepEqual(await s.fromCache(), ['README.md', 'SUMMARY.md', 'a.md', 'b.md']);
  });

  it('an edit other pages can see (a renamed heading), or siteChanged (a file event): no page comes from the cache', async () => {
    const s = await setup();
    const before = s.project.index.revision;
    const visible = s.project.openDocument('a.md', '# A\n\n## Part two\n\nText.\n', 1);
    assert.equal(visible, true);
    s.site.edited(s.project, 'a.md', visible, before, s.project.index.revision);
    assert.deepEqual(await s.fromCache(), []);
    assert.equal(s.completed(), 0, 'a check without the cache is not reported as one with it');
    const t = await setup();
    t.site.siteChanged();
    assert.deepEqual(await t.fromCache(), []);
  });
});
