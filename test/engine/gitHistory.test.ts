import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGitLog, readGitHistory, applyGitHistory, readHead } from '../../server/src/node/gitHistory';
import { PhaseOneCache } from '../../server/src/node/cache';
import { Project } from '../../server/src/engine/project';
import { NodeFileSystem } from '../../server/src/node/nodeFileSystem';

test('parseGitLog follows renames, credits authors through them and keeps only the site folder', () => {
  const log = ['\x01Ann', 'A\tdocs/a.md', 'A\tother/x.md', '\x01Bob', 'R100\tdocs/a.md\tdocs/guides/a.md', 'M\tdocs/b.md', '\x01Ann', 'M\t"docs/with\\ttab.md"'].join('\n');
  const h = parseGitLog(log, 'docs/');
  assert.deepEqual(h.renames, [{ from: 'a.md', to: 'guides/a.md' }]);
  assert.deepEqual(h.authors.get('guides/a.md'), ['Ann', 'Bob']);
  assert.equal(h.authors.has('a.md'), false);
  assert.deepEqual(h.authors.get('b.md'), ['Bob']);
  assert.deepEqual(h.authors.get('with\ttab.md'), ['Ann']);
  assert.equal(h.commits, 3);
});

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a page renamed in a real repository: link-missing-file suggests the new path from git history', { skip: hasGit() ? false : 'git is not installed on this machine' }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'msol-git-'));
  const run = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=Ann', '-c', 'user.email=ann@example.org', ...args], { stdio: 'ignore' });
  run('init', '-q');
  writeFileSync(join(root, 'README.md'), '# Home\n\nSee [the guide](notes.md).\n');
  writeFileSync(join(root, 'notes.md'), '# Notes\n\nSome words that make the rename detectable by similarity.\n');
  run('add', '-A');
  run('commit', '-qm', 'first');
  mkdirSync(join(root, 'guides'));
  renameSync(join(root, 'notes.md'), join(root, 'guides', 'how-we-meet.md'));
  run('add', '-A');
  run('commit', '-qm', 'rename');
  const history = await readGitHistory(root);
  assert.deepEqual(history?.renames, [{ from: 'notes.md', to: 'guides/how-we-meet.md' }]);
  const project = new Project({ fs: new NodeFileSystem(root) });
  await project.initialize();
  assert.equal(await applyGitHistory(project, root), true);
  const finding = project.check('README.md').find((f) => f.ruleId === 'link-missing-file');
  assert.equal(finding?.fix?.edits[0]?.newText, 'guides/how-we-meet.md');
});

test('with a cache, git runs only when HEAD moved: the history is kept per commit, read from .git without a process', { skip: hasGit() ? false : 'git is not installed on this machine' }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'msol-git-head-'));
  const run = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=Ann', '-c', 'user.email=ann@example.org', ...args], { stdio: 'ignore' });
  run('init', '-q');
  writeFileSync(join(root, 'README.md'), '# Home\n\nSee [the guide](notes.md).\n');
  writeFileSync(join(root, 'notes.md'), '# Notes\n\nSome words that make the rename detectable by similarity.\n');
  run('add', '-A');
  run('commit', '-qm', 'first');
  const cache = new PhaseOneCache(join(root, '..', `${root.split(/[\\/]/).pop()}-cache`), root, { log() {} }, { key: Buffer.alloc(32, 3), secret: false });
  const head = readHead(root, {});
  assert.equal(head.kind, 'commit');
  run('pack-refs', '--all');
  assert.deepEqual(readHead(root, {}), head, 'packed refs name the same commit');
  const renamesOf = async (): Promise<unknown> => {
    const project = new Project({ fs: new NodeFileSystem(root) });
    await project.initialize();
    return (await applyGitHistory(project, root, undefined, cache)) ? project.index.renamedTo('notes.md') ?? null : 'no history';
  };
  const withoutGit = async <T>(f: () => Promise<T>): Promise<T> => {
    const path = process.env['PATH'];
    process.env['PATH'] = '';
    try {
      return await f();
    } finally {
      process.env['PATH'] = path;
    }
  };
  assert.equal(await withoutGit(renamesOf), 'no history', 'nothing stored yet: git is needed (and missing)');
  assert.equal(await renamesOf(), null, 'read with git and stored');
  assert.equal(await withoutGit(renamesOf), null, 'HEAD stayed: the stored history, no process');
  mkdirSync(join(root, 'guides'));
  renameSync(join(root, 'notes.md'), join(root, 'guides', 'how-we-meet.md'));
  run('add', '-A');
  run('commit', '-qm', 'rename');
  assert.notDeepEqual(readHead(root, {}), head);
  assert.equal(await withoutGit(renamesOf), 'no history', 'HEAD moved: the stored history is not used');
  assert.equal(await renamesOf(), 'guides/how-we-meet.md');
  assert.equal(readHead(mkdtempSync(join(tmpdir(), 'msol-no-repo-')), {}).kind, 'none', 'outside a repository: no git at all');
  assert.equal(readHead(root, { GIT_DIR: join(root, '.git') }).kind, 'unknown', 'GIT_DIR and friends: git decides');
});

test('a folder that is not a repository yields no history and no error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'msol-nogit-'));
  writeFileSync(join(root, 'README.md'), '# Home\n');
  // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folder.
  process.env['GIT_CEILING_DIRECTORIES'] = tmpdir();
  assert.equal(await readGitHistory(root), undefined);
});
