import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  applyGitHistory,
  parseBlame,
  outsideEveryRepository,
  parseRawLog,
  readGitHistory,
} from '../../server/src/node/gitHistory';
import { Project } from '../../server/src/engine/project';
import { NodeFileSystem } from '../../server/src/node/nodeFileSystem';

/**
 * The site's history from git (server/src/node/gitHistory.ts) and what the
 * engine does with it: moves followed across commits, pictures followed by
 * content rather than by name, authors by the lines they wrote that still
 * stand, imports and moves authoring nothing, and no history from a
 * repository that merely holds a copy of the site.
 */

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = hasGit() ? false : 'git is not installed on this machine';

/** A repository in a temporary folder, committed to by named people. */
class Repo {
  readonly root = mkdtempSync(join(tmpdir(), 'msol-git-'));
  constructor() {
    this.git('init', '-q');
  }
  git(...args: string[]): string {
    return execFileSync(
      'git',
      ['-C', this.root, '-c', 'user.email=a@example.org', '-c', 'commit.gpgsign=false', ...args],
      { encoding: 'utf8' },
    );
  }
  write(files: Record<string, string>): this {
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(dirname(join(this.root, p)), { recursive: true });
      writeFileSync(join(this.root, p), c);
    }
    return this;
  }
  remove(...paths: string[]): this {
    for (const p of paths) rmSync(join(this.root, p));
    return this;
  }
  move(from: string, to: string): this {
    mkdirSync(dirname(join(this.root, to)), { recursive: true });
    renameSync(join(this.root, from), join(this.root, to));
    return this;
  }
  commit(author: string, message = 'change'): this {
    this.git('add', '-A');
    this.git('-c', `user.name=${author}`, 'commit', '-qm', message);
    return this;
  }
}

async function checked(root: string) {
  const project = new Project({ fs: new NodeFileSystem(root) });
  await project.initialize();
  const had = await applyGitHistory(project, root);
  return { project, had, findings: [...project.checkAll().values()].flat() };
}

const home =
  '# Home\n\nWelcome.\n\n## About this site\n\nAll the content on this site is published with a [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/) license. Unless stated otherwise, assume the author is Richard D. Bartlett.\n';
const summary = (...pages: string[]) =>
  `# Summary\n\n* [Home](README.md)\n${pages.map((p) => `* [${p}](${p})\n`).join('')}`;

test('parseRawLog: commits, contents, renames, and paths outside the site left out', () => {
  const h = (id: string, who: string) => `\x01${id.padEnd(40, '0')}\0${who}\0${1700000000}\0\n`;
  const a = 'a'.repeat(40);
  const b = 'b'.repeat(40);
  const z = '0'.repeat(40);
  const log = [
    h('1', 'Ann'),
    `:000000 100644 ${z} ${a} A\0docs/a.md\0:000000 100644 ${z} ${a} A\0other/x.md\0`,
    h('2', 'Bob'),
    `:100644 100644 ${a} ${a} R100\0docs/a.md\0docs/guides/a.md\0:100644 100644 ${a} ${b} M\0docs/with\ttab.md\0`,
  ].join('');
  const parsed = parseRawLog(log, 'docs/');
  assert.deepEqual(
    parsed.commits.map((c) => c.author),
    ['Ann', 'Bob'],
  );
  assert.deepEqual(
    parsed.changes.map((c) => [c.commit, c.status, c.from ?? '', c.path]),
    [
      [0, 'A', '', 'a.md'],
      [1, 'R', 'a.md', 'guides/a.md'],
      [1, 'M', '', 'with\ttab.md'],
    ],
  );
});

test('parseBlame: every line with its commit and author', () => {
  const c1 = '1'.repeat(40);
  const c2 = '2'.repeat(40);
  const out = `${c1} 1 1 2\nauthor Ann\nauthor-mail <a>\n\tfirst\n${c1} 2 2\n\tsecond\n${c2} 1 3 1\nauthor Bob\n\tthird\n`;
  assert.deepEqual(parseBlame(out), [
    { commit: c1, author: 'Ann', text: 'first' },
    { commit: c1, author: 'Ann', text: 'second' },
    { commit: c2, author: 'Bob', text: 'third' },
  ]);
});

test('a page renamed in a real repository: link-missing-file points at the new path', { skip }, async () => {
  const repo = new Repo()
    .write({
      'README.md': '# Home\n\nSee [the guide](notes.md).\n',
      'notes.md': '# Notes\n\nSome words that make the rename detectable by similarity.\n',
    })
    .commit('Ann');
  repo.move('notes.md', 'guides/how-we-meet.md').commit('Ann', 'rename');
  const read = await readGitHistory(repo.root);
  assert.deepEqual(
    read?.history.moves.map((m) => [m.from, m.to, m.kind]),
    [['notes.md', 'guides/how-we-meet.md', 'rename']],
  );
  const { project } = await checked(repo.root);
  assert.equal(
    project.check('README.md').find((f) => f.ruleId === 'link-missing-file')?.fix?.edits[0]?.newText,
    'guides/how-we-meet.md',
  );
});

test(
  'a page moved by one person (a delete and an add in separate commits) and written by another: the writer is its author',
  { skip },
  async () => {
    const page = [
      '# Summer camp 2024',
      '',
      'It is time for our annual summer camp!',
      '',
      'We will come together for a week of peer learning.',
      '',
      'Register on the events page.',
      '',
    ].join('\n');
    const repo = new Repo()
      .write({ 'README.md': home, 'SUMMARY.md': summary('camp.md'), 'camp.md': page })
      .commit('Richard D. Bartlett', 'first');
    // The page is written (rewritten) by Puschmie...
    repo
      .write({
        'camp.md': page
          .replace('It is time', 'It is finally time')
          .replace('peer learning', 'peer learning and rest')
          .replace('Register', 'Please register'),
      })
      .commit('puschmie', 'Update camp.md');
    // ...and moved into archive/ by Sara: deleted in one commit, added in the next.
    repo
      .remove('camp.md')
      .write({ 'SUMMARY.md': summary('archive/camp.md') })
      .commit('Sara', 'Updates to events');
    repo
      .write({
        'archive/camp.md': page
          .replace('It is time', 'It is finally time')
          .replace('peer learning', 'peer learning and rest')
          .replace('Register', 'Please register'),
      })
      .commit('Sara', 'move camp page to archive');
    const { project, findings } = await checked(repo.root);
    const history = project.index.history!;
    assert.deepEqual(
      history.moves.map((m) => [m.from, m.to, m.kind]),
      [['camp.md', 'archive/camp.md', 'delete-add']],
    );
    assert.deepEqual(
      history.committersOf('archive/camp.md'),
      ['Richard D. Bartlett', 'puschmie'],
      'the move authors nothing',
    );
    const a = history.authorshipOf('archive/camp.md');
    assert.deepEqual(
      a?.authors.map((x) => x.name),
      ['puschmie', 'Richard D. Bartlett'],
      JSON.stringify(a),
    );
    const f = findings.find((x) => x.ruleId === 'author-undeclared' && x.path === 'archive/camp.md');
    assert.match(f?.message ?? '', /^Unexpected page by puschmie \(its history\)/);
    assert.match(f?.note ?? '', /^puschmie wrote 75% of the lines of this page that still stand/);
    assert.doesNotMatch(f?.message ?? '', /Sara/);
    assert.equal(f?.suggestions?.[0]?.edits[0]?.newText, '---\nauthor: puschmie\n---\n\n');
  },
);

test("the default author's page edited a little by someone else stays the default author's", { skip }, async () => {
  const page = '# Crews\n\nA crew is a small group.\n\nIt meets often.\n\nIt grows trust.\n';
  const repo = new Repo()
    .write({ 'README.md': home, 'SUMMARY.md': summary('crews.md'), 'crews.md': page })
    .commit('Richard D. Bartlett');
  repo.write({ 'crews.md': page.replace('It meets often.', 'It meets every week.') }).commit('Sara');
  const { project, findings } = await checked(repo.root);
  assert.deepEqual(project.index.history!.authorshipOf('crews.md')?.authors, [
    { name: 'Richard D. Bartlett', lines: 3 },
    { name: 'Sara', lines: 1 },
  ]);
  assert.deepEqual(
    findings.filter((x) => x.ruleId === 'author-undeclared'),
    [],
  );
});

test(
  'a repository that merely holds a copy of the site (one commit adding it all): no authors, no moves',
  { skip },
  async () => {
    const pages = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `articles/p${i}.md`,
        `# Page ${i}\n\nText of page ${i}, written by someone long ago.\n`,
      ]),
    );
    const repo = new Repo().write({ 'tools/build.sh': 'echo build\n' }).commit('Tool Maker', 'tools');
    repo
      .write(
        Object.fromEntries(
          Object.entries({ 'README.md': home, 'SUMMARY.md': summary(...Object.keys(pages)), ...pages }).map(
            ([p, c]) => [`copy/${p}`, c],
          ),
        ),
      )
      .commit('Importer', 'add a copy of the handbook');
    const { project, had, findings } = await checked(join(repo.root, 'copy'));
    assert.equal(had, true);
    const history = project.index.history!;
    assert.equal(history.commits.filter((c) => c.import).length, 1);
    assert.deepEqual(history.committersOf('articles/p1.md'), [], 'an import authors nothing');
    assert.deepEqual(
      findings.filter((x) => x.ruleId === 'author-undeclared'),
      [],
    );
  },
);

test('a site folder whose pages git does not track has no history', { skip }, async () => {
  const repo = new Repo().write({ 'code.js': '1\n' }).commit('Ann');
  repo.write({ 'site/README.md': home, 'site/SUMMARY.md': summary() });
  writeFileSync(join(repo.root, '.gitignore'), 'site/\n');
  assert.equal(await readGitHistory(join(repo.root, 'site')), undefined);
});

test(
  'pictures are followed by content, not by name: GitBook reused image.png for another picture',
  { skip },
  async () => {
    const picture = (n: string) => `placeholder for picture ${n}\n`;
    const page =
      '# Camp 2023\n\n<figure><img src=".gitbook/assets/image.png" alt=""></figure>\n\n<figure><img src=".gitbook/assets/image (4).png" alt=""></figure>\n\n<figure><img src=".gitbook/assets/image (1).png" alt=""></figure>\n';
    const repo = new Repo()
      .write({
        'README.md': home,
        'SUMMARY.md': summary('camp.md'),
        'camp.md': page,
        '.gitbook/assets/image.png': picture('A: the opening circle'),
        '.gitbook/assets/image (4).png': picture('B: the lake'),
        '.gitbook/assets/image (1).png': picture('C: the tents'),
      })
      .commit('Richard D. Bartlett');
    repo
      .move('camp.md', 'archive/camp.md')
      .write({ 'SUMMARY.md': summary('archive/camp.md') })
      .commit('puschmie', 'Rename camp.md to archive/camp.md');
    // Months later GitBook renumbers its uploads: A becomes image (2).png, image.png holds a new picture; C is gone.
    repo
      .write({
        '.gitbook/assets/image (2).png': picture('A: the opening circle'),
        '.gitbook/assets/image.png': picture('D: a new banner'),
        '.gitbook/assets/image (1).png': picture('E: another one'),
      })
      .commit('Richard D. Bartlett', 'GITBOOK-99');
    const { project } = await checked(repo.root);
    const findings = project.check('archive/camp.md').filter((f) => f.ruleId === 'link-missing-file');
    assert.equal(findings.length, 3);
    const [a, b, c] = findings;
    assert.equal(
      a!.fix?.edits[0]?.newText,
      '../.gitbook/assets/image (2).png',
      'the picture the link showed, under its new name',
    );
    assert.match(`${a!.message} ${a!.note ?? ''}`, /says the history/);
    assert.equal(b!.fix?.edits[0]?.newText, '../.gitbook/assets/image (4).png', 'same name, same picture');
    assert.equal(c!.fix, undefined, 'the picture it showed is no longer in the site: no automatic fix');
    assert.ok((c!.suggestions?.length ?? 0) > 0, 'the candidates by name are still offered');
  },
);

test("without history, a moved page's pictures get no automatic fix, only candidates", async () => {
  const root = mkdtempSync(join(tmpdir(), 'msol-nogit-'));
  process.env['GIT_CEILING_DIRECTORIES'] = tmpdir();
  for (const [p, c] of Object.entries({
    'README.md': home,
    'SUMMARY.md': summary('archive/camp.md'),
    'archive/camp.md': '# Camp\n\n![a](.gitbook/assets/a.png)\n\n![b](.gitbook/assets/b.png)\n',
    '.gitbook/assets/a.png': 'a',
    '.gitbook/assets/b.png': 'b',
  })) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  const { had, project } = await checked(root);
  assert.equal(had, false);
  const findings = project.check('archive/camp.md').filter((f) => f.ruleId === 'link-missing-file');
  assert.equal(findings.length, 2);
  for (const f of findings) {
    assert.equal(f.fix, undefined);
    assert.match(f.suggestions?.[0]?.edits[0]?.newText ?? '', /^\.\.\/\.gitbook\/assets\/[ab]\.png$/);
  }
});

test(
  'outsideEveryRepository: no .git in the site folder or above and no GIT_DIR; applyGitHistory then has no history',
  { skip },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'msol-git-inside-'));
    execFileSync('git', ['-C', root, 'init', '-q'], { stdio: 'ignore' });
    mkdirSync(join(root, 'site'));
    assert.equal(outsideEveryRepository(join(root, 'site'), {}), false, 'a repository above the site');
    const outside = mkdtempSync(join(tmpdir(), 'msol-no-repo-'));
    writeFileSync(join(outside, 'README.md'), '# Home\n');
    assert.equal(outsideEveryRepository(outside, {}), true);
    assert.equal(
      outsideEveryRepository(outside, { GIT_DIR: join(root, '.git') }),
      false,
      'GIT_DIR and friends: git decides',
    );
    const project = new Project({ fs: new NodeFileSystem(outside) });
    await project.initialize();
    assert.equal(await applyGitHistory(project, outside), false);
    assert.equal(project.index.history, undefined);
  },
);

test('a folder that is not a repository yields no history and no error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'msol-nogit-'));
  writeFileSync(join(root, 'README.md'), '# Home\n');
  // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folder.
  process.env['GIT_CEILING_DIRECTORIES'] = tmpdir();
  assert.equal(await readGitHistory(root), undefined);
});
