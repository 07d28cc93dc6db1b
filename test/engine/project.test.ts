/**
 * The Project façade as hosts use it: files that cannot be checked, editor
 * overlays, file events, crashing rules, directives, cancellation. Never
 * throws for content; every problem is a finding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, Project, rules, type Finding } from '../../server/src/engine/index';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';
import { defineRule, type RuleDefinition } from '../../server/src/engine/rules/define';
import { bytes, onlyRuleConfig } from './util';

/** A Project over in-memory files, checking only `only` (default: link-missing-file) unless `config` says otherwise. */
async function open(
  files: Record<string, string | Uint8Array>,
  options: { only?: string; config?: string } = {},
): Promise<{ project: Project; fs: MemoryFileSystem }> {
  const fs = new MemoryFileSystem(files);
  const project = new Project({
    fs,
    configText: { path: '.msolrc.json', text: options.config ?? onlyRuleConfig(options.only ?? 'link-missing-file') },
  });
  await project.initialize();
  return { project, fs };
}

/** Findings of one file as `line ruleId`, 1-based. */
function lines(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`);
}

describe('files that cannot be checked', () => {
  const broken = '# Broken\n\n[missing](missing.md)\n';

  test('binary, invalid UTF-8 and oversize pages: one file-unreadable finding each, the rest still checked', async () => {
    const { project } = await open(
      {
        'binary.md': new Uint8Array([0x23, 0x20, 0x00, 0x01, 0x02]),
        'latin1.md': new Uint8Array([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
        'huge.md': '# Huge\n\n' + 'x'.repeat(5000),
        'ok.md': broken,
      },
      { config: JSON.stringify({ ...JSON.parse(onlyRuleConfig('link-missing-file')), maxFileSize: 4096 }) },
    );
    const all = project.checkAll();
    assert.deepEqual([...all.keys()], ['binary.md', 'huge.md', 'latin1.md', 'ok.md']);
    for (const [path, reason] of [
      ['binary.md', /binary/],
      ['latin1.md', /UTF-8/],
      ['huge.md', /maxFileSize/],
    ] as const) {
      const fs = all.get(path)!;
      assert.deepEqual(lines(fs), ['1 file-unreadable'], path);
      assert.equal(fs[0]!.severity, 'warning');
      assert.match(fs[0]!.message, reason);
      assert.match(fs[0]!.message, /^Unexpected .+expected .+/s, 'says what was expected');
    }
    assert.deepEqual(lines(all.get('ok.md')!), ['3 link-missing-file']);
  });

  test('links to an unreadable page: the file exists, and its anchors are not guessed at', async () => {
    const { project } = await open(
      { 'binary.md': new Uint8Array([0, 1, 2]), 'a.md': '[b](binary.md) [c](binary.md#somewhere)\n' },
      {
        config: JSON.stringify({
          rules: Object.fromEntries(
            rules.map((r) => [
              r.meta.id,
              ['link-missing-file', 'link-missing-heading'].includes(r.meta.id) ? 'error' : 'off',
            ]),
          ),
        }),
      },
    );
    assert.deepEqual(project.check('a.md'), []);
  });

  test('a page that becomes readable again loses its file-unreadable finding', async () => {
    const { project, fs } = await open({ 'a.md': new Uint8Array([0xff, 0xfe]) });
    assert.deepEqual(lines(project.check('a.md')), ['1 file-unreadable']);
    fs.write('a.md', broken);
    await project.refreshFile('a.md');
    assert.deepEqual(lines(project.check('a.md')), ['3 link-missing-file']);
  });
});

describe('editor overlays', () => {
  test('an open document wins over the disk until it is closed', async () => {
    const { project } = await open({ 'a.md': '# A\n\n[missing](missing.md)\n', 'b.md': '# B\n' });
    assert.deepEqual(lines(project.check('a.md')), ['3 link-missing-file']);
    project.openDocument('a.md', '# A\n\n[b](b.md)\n\n\n[gone](gone.md)\n', 1);
    assert.deepEqual(lines(project.check('a.md')), ['6 link-missing-file']);
    assert.ok(project.parsed('a.md'), 'the open document keeps its parse');
    await project.closeDocument('a.md');
    assert.deepEqual(lines(project.check('a.md')), ['3 link-missing-file']);
    assert.equal(project.parsed('a.md'), undefined);
  });

  test('an open document is not re-read from disk, even when the disk changes', async () => {
    const { project, fs } = await open({ 'a.md': '[x](x.md)\n' });
    project.openDocument('a.md', 'fixed\n', 1);
    fs.write('a.md', '[y](y.md) [z](z.md)\n');
    await project.refreshFile('a.md');
    assert.deepEqual(project.check('a.md'), []);
  });

  test('headings of an open page are what other pages link against; the return value says when they changed', async () => {
    // (A heading such as "3: the Crew" with a paragraph under it would define a term: the glossary is something other pages see too.)
    const { project } = await open(
      { 'a.md': '[part](b.md#part-three)\n', 'b.md': '# B\n' },
      { only: 'link-missing-heading' },
    );
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-heading']);
    assert.equal(project.openDocument('b.md', '# B\n\n#### Part three\n', 1), true);
    assert.deepEqual(project.check('a.md'), []);
    assert.equal(project.openDocument('b.md', '# B\n\n#### Part three\n', 1), false, 'same version: nothing to do');
    assert.equal(project.openDocument('b.md', '# B\n\n#### Part three\n\nMore text.\n', 2), false, 'anchors unchanged');
    await project.closeDocument('b.md');
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-heading']);
  });

  test('an unsaved new page is checked, and linkable, while open', async () => {
    const { project } = await open({ 'a.md': '[new](new.md)\n' });
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-file']);
    project.openDocument('new.md', '# New\n\n[missing](missing.md)\n', 1);
    assert.deepEqual(project.check('a.md'), []);
    assert.deepEqual(lines(project.check('new.md')), ['3 link-missing-file']);
    await project.closeDocument('new.md');
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-file'], 'closed without saving: gone again');
  });
});

describe('file events', () => {
  test('created and deleted files update the findings of pages that link to them', async () => {
    const { project, fs } = await open({ 'a.md': '[b](b.md) ![img](.gitbook/assets/x.png)\n' });
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-file', '1 link-missing-file']);
    fs.write('.gitbook/assets/x.png', new Uint8Array([0x89, 0x50]));
    project.fileCreated('.gitbook/assets/x.png');
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-file']);
    fs.write('b.md', '# B\n');
    project.fileCreated('b.md');
    await project.refreshFile('b.md');
    assert.deepEqual(project.check('a.md'), []);
    fs.delete('b.md');
    project.fileDeleted('b.md');
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-file']);
    assert.deepEqual(project.check('b.md'), [], 'a deleted page has no findings');
    assert.equal(project.checkAll().has('b.md'), false);
  });

  test('refreshFile notices a file deleted behind its back', async () => {
    const { project, fs } = await open({ 'a.md': '[b](b.md)\n', 'b.md': '# B\n' });
    assert.deepEqual(project.check('a.md'), []);
    fs.delete('b.md');
    await project.refreshFile('b.md');
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-file']);
  });

  test('an ignored file created later stays out', async () => {
    const { project, fs } = await open(
      { 'a.md': '[d](drafts/d.md)\n' },
      { config: JSON.stringify({ ...JSON.parse(onlyRuleConfig('link-missing-file')), ignore: ['drafts/**'] }) },
    );
    fs.write('drafts/d.md', '# D\n');
    project.fileCreated('drafts/d.md');
    await project.refreshFile('drafts/d.md');
    assert.equal(project.index.hasFile('drafts/d.md'), false);
    assert.deepEqual(lines(project.check('a.md')), ['1 link-missing-file']);
  });
});

describe('a rule that throws', () => {
  /** Registers a crafted rule for the duration of `body` (the registry is a plain array at run time). */
  async function withRule(rule: RuleDefinition<object>, body: () => Promise<void>): Promise<void> {
    const list = rules as unknown as RuleDefinition<object>[];
    list.push(rule);
    try {
      await body();
    } finally {
      list.splice(list.indexOf(rule), 1);
    }
  }

  for (const scope of ['document', 'workspace'] as const) {
    test(`${scope} scope: one rule-crashed finding per file, and the other rules still run`, async () => {
      const crashing = defineRule(
        {
          id: `test-crash-${scope}`,
          category: 'hygiene',
          scope,
          defaultSeverity: 'warning',
          description: 'Crashes on pages that mention a crash.',
          fixable: false,
        },
        { defaults: {} },
        ({ facts }, report) => {
          report({ start: 0, end: 1 }, 'Unexpected first character, expected nothing (reported before the crash)');
          if (facts.headings.some((h) => h.text === 'Crash')) throw new TypeError('boom');
        },
      );
      await withRule(crashing, async () => {
        // Any valid config: a fresh config object gets a processor with the crafted rule in it.
        const { project } = await open(
          { 'a.md': '# Crash\n\n[missing](missing.md)\n', 'b.md': '# Fine\n' },
          { config: '{ "site": { "kind": "gitbook" } }' },
        );
        const a = project
          .check('a.md')
          .filter(
            (f) => f.ruleId === 'rule-crashed' || f.ruleId === 'link-missing-file' || f.ruleId === crashing.meta.id,
          );
        assert.deepEqual(lines(a), ['1 rule-crashed', `1 ${crashing.meta.id}`, '3 link-missing-file']);
        const crash = a.find((f) => f.ruleId === 'rule-crashed')!;
        assert.equal(crash.severity, 'error');
        assert.match(
          crash.message,
          new RegExp(
            `^Unexpected crash of rule \`${crashing.meta.id}\` on this file \\(boom\\), expected it to finish`,
          ),
        );
        assert.equal(crash.url, undefined, 'no docs link to a rule page for a crash');
        assert.deepEqual(
          lines(project.check('b.md').filter((f) => f.ruleId === 'rule-crashed' || f.ruleId === crashing.meta.id)),
          [`1 ${crashing.meta.id}`],
          'other files are unaffected',
        );
      });
    });
  }
});

describe('directives', () => {
  const page = [
    '# Directives', //                                       1
    '[a](a.md)', //                                           2 reported
    '<!-- msol-disable-next-line link-missing-file -->', //   3
    '[b](b.md)', //                                           4 off
    '[c](c.md) <!-- msol-disable-line -->', //                5 off (all rules)
    '<!-- msol-disable-next-line encoding-mojibake -->', //   6 another rule
    '[d](d.md)', //                                           7 reported
    '<!-- msol-disable link-missing-file -->', //             8
    '[e](e.md)', //                                           9 off
    '<!-- msol-enable -->', //                               10
    '[f](f.md)', //                                          11 reported
    '<!-- msol-disable -->', //                              12
    '[g](g.md)', //                                          13 off
    '<!-- msol-enable link-missing-file -->', //             14
    '[h](h.md) <!-- msol-disable-line encoding-mojibake, link-missing-file -->', // 15 off
    '[i](i.md)', //                                          16 reported
    '',
  ].join('\n');

  test('next-line, line, ranges, with and without rule lists', async () => {
    const { project } = await open({ 'page.md': page });
    assert.deepEqual(lines(project.check('page.md')), [
      '2 link-missing-file',
      '7 link-missing-file',
      '11 link-missing-file',
      '16 link-missing-file',
    ]);
  });

  test('directives in code are not directives', async () => {
    const { project } = await open({
      'page.md': '`<!-- msol-disable -->`\n\n```\n<!-- msol-disable -->\n```\n\n[a](a.md)\n',
    });
    assert.deepEqual(lines(project.check('page.md')), ['7 link-missing-file']);
  });
});

describe('the site walk', () => {
  test('.gitbook is walked, other dot folders and default ignores are not', async () => {
    const { project } = await open({
      'README.md': '# Home\n',
      '.gitbook/assets/x.png': bytes('png'),
      '.git/notes.md': '# Not the site\n',
      '.github/ISSUE_TEMPLATE.md': '# Not the site\n',
      'node_modules/pkg/README.md': '# Not the site\n',
      '_book/index.md': '# Built output\n',
    });
    assert.deepEqual([...project.index.files].sort(), ['.gitbook/assets/x.png', 'README.md']);
  });

  test('checkAll lists config findings and pages in path order', async () => {
    const { project } = await open(
      { 'b.md': '[x](x.md)\n', 'a.md': '[y](y.md)\n' },
      { config: '{ "rules": { "link-missing-file": "loud" } }' },
    );
    assert.deepEqual([...project.checkAll().keys()], ['.msolrc.json', 'a.md', 'b.md']);
  });

  test('a cancelled token stops initialize with CancelledError', async () => {
    const project = new Project({ fs: new MemoryFileSystem({ 'a.md': '# A\n' }) });
    await assert.rejects(project.initialize({ isCancellationRequested: true }), CancelledError);
  });

  test('progress is reported once per page', async () => {
    const project = new Project({ fs: new MemoryFileSystem({ 'a.md': '# A\n', 'b.md': '# B\n', 'c.png': '' }) });
    const seen: string[] = [];
    await project.initialize(undefined, (done, total) => seen.push(`${done}/${total}`));
    assert.deepEqual(seen, ['1/2', '2/2']);
  });
});
