/**
 * Cross-link editor features (server/src/engine/features/links.ts) over an
 * in-memory site: completion at a `$$CURSOR$$`, document links, hover,
 * definition, references, code lenses, heading rename, edits for moved files,
 * symbols, "insert link to the proposal" and the `msol links` report.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Project, applyEdits, type Finding } from '../../server/src/engine/index';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';
import type { SymbolEntry, WorkspaceEdits } from '../../server/src/engine/features/types';
import {
  destinationAt,
  formatLinksJson,
  formatLinksText,
  headingDocumentSymbols,
  headingTextSpan,
  headingWorkspaceSymbols,
  linkCompletions,
  linkDefinition,
  linkDocumentLinks,
  linkEditsForMoves,
  linkHover,
  linkReferences,
  linksReport,
  prepareHeadingRename,
  proposalCodeLenses,
  proposalLinkChoices,
  renameHeading,
  workspaceEditRanges,
} from '../../server/src/engine/features/links';

const CURSOR = '$$CURSOR$$';

/** Text with the cursor marker removed, and the cursor's offset. */
function cursor(withMarker: string): { text: string; offset: number } {
  const offset = withMarker.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no $$CURSOR$$ marker');
  return { text: withMarker.slice(0, offset) + withMarker.slice(offset + CURSOR.length), offset };
}

const proposal = `---
description: >-
  The original microsolidarity proposal,
  published in 2018.
---

# \\#1: Proposal

## Part 1. Collapse

See [the crew](#3-the-crew) below.

### Design criteria

## Microsolidarity Part 2: a Theory of Groups

#### 3: the Crew

A small group.
`;

const baseSite: Record<string, string> = {
  'README.md':
    '# Microsolidarity\n\nStart with [the proposal](articles/proposal.md) and [the update](articles/update.md).\n',
  'SUMMARY.md': [
    '# Table of contents',
    '',
    '* [Microsolidarity](README.md)',
    '* [Articles](articles/README.md)',
    '  * [\\#1: Proposal](articles/proposal.md)',
    '  * [Update](articles/update.md)',
    '* [Crewing](crewing/README.md)',
    '  * [Notes](crewing/notes.md)',
    '',
  ].join('\n'),
  'articles/README.md': '# Articles\n\n* [Proposal](proposal.md)\n',
  'articles/proposal.md': proposal,
  'articles/update.md': [
    '# Update',
    '',
    'Read [part 1](proposal.md#part-1-collapse) and [the crew](proposal.md#3-the-crew).',
    'Also [on the site](https://www.microsolidarity.cc/articles/proposal#part-1-collapse).',
    'The [crewing page](../crewing/) and [notes](../crewing/notes.md#top).',
    '',
  ].join('\n'),
  'crewing/README.md':
    '# Crewing\n\n[The Crew](../articles/proposal.md#3-the-crew).\n\n![A circle](../.gitbook/assets/circle%20(1).png)\n\n<img src="../.gitbook/assets/circle (1).png" alt="">\n',
  'crewing/notes.md': '# Notes\n\n## Top\n\nBack [home](../README.md) or [up](./README.md).\n',
  '.gitbook/assets/circle (1).png': '',
  'todo.md': '# Todo\n\nNothing links to the proposal from here; [a broken one](missing.md).\n',
};

async function load(files: Record<string, string> = baseSite): Promise<{ project: Project; fs: MemoryFileSystem }> {
  const fs = new MemoryFileSystem(files);
  const project = new Project({ fs });
  await project.initialize();
  return { project, fs };
}

/** Opens a page in the "editor" with a cursor marker; returns the offset. */
function openAt(project: Project, path: string, withMarker: string): number {
  const { text, offset } = cursor(withMarker);
  project.openDocument(path, text, 1);
  return offset;
}

/** Applies a WorkspaceEdits to the in-memory texts; returns the changed texts by path. */
function applyWorkspaceEdits(files: Record<string, string>, edits: WorkspaceEdits): Record<string, string> {
  const out = { ...files };
  for (const [path, list] of edits.changes) {
    assert.ok(path in out, `an edit to ${path}, which is not in the site`);
    out[path] = applyEdits(out[path]!, list).text;
  }
  return out;
}

function linkFindings(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => f.ruleId.startsWith('link-missing'))
    .map((f) => `${f.path}:${f.range.start.line + 1} ${f.ruleId}`);
}

async function allFindings(files: Record<string, string>): Promise<Finding[]> {
  const { project } = await load(files);
  return [...project.checkAll().values()].flat();
}

describe('completion', () => {
  test('the cursor helper finds and removes the marker', () => {
    assert.deepEqual(cursor(`ab${CURSOR}c`), { text: 'abc', offset: 2 });
  });

  test("after `proposal.md#`: the proposal's headings, replacing what is typed after #", async () => {
    const { project } = await load();
    const offset = openAt(project, 'articles/update.md', `# Update\n\nSee [it](proposal.md#par${CURSOR}) now.\n`);
    const entries = linkCompletions(project, 'articles/update.md', offset);
    assert.deepEqual(
      entries.map((e) => e.label),
      ['1-proposal', 'part-1-collapse', 'design-criteria', 'microsolidarity-part-2-a-theory-of-groups', '3-the-crew'],
    );
    assert.ok(entries.every((e) => e.kind === 'heading' && e.replace.start === offset - 3 && e.replace.end === offset));
    assert.equal(entries.find((e) => e.label === '3-the-crew')!.detail, '#### 3: the Crew');
  });

  test('after `../articles/proposal.md#` from another folder, and after a bare `#` (this page)', async () => {
    const { project } = await load();
    let offset = openAt(project, 'crewing/notes.md', `# Notes\n\n## Top\n\n[x](../articles/proposal.md#${CURSOR})\n`);
    assert.ok(linkCompletions(project, 'crewing/notes.md', offset).some((e) => e.label === 'part-1-collapse'));
    offset = openAt(project, 'crewing/notes.md', `# Notes\n\n## Top\n\n[x](#${CURSOR})\n`);
    project.openDocument('crewing/notes.md', cursor(`# Notes\n\n## Top\n\n[x](#${CURSOR})\n`).text, 2);
    assert.deepEqual(
      linkCompletions(project, 'crewing/notes.md', offset).map((e) => e.label),
      ['notes', 'top'],
    );
  });

  test('paths: the folder typed so far, folders with a slash, hidden folders except .gitbook, ../ and the proposal first', async () => {
    const { project } = await load({ ...baseSite, '.github/workflow.md': '# CI\n' });
    const offset = openAt(project, 'crewing/notes.md', `# Notes\n\n[x](../${CURSOR})\n`);
    const entries = linkCompletions(project, 'crewing/notes.md', offset);
    const labels = entries.map((e) => e.label);
    assert.ok(
      labels.includes('articles/') &&
        labels.includes('crewing/') &&
        labels.includes('.gitbook/') &&
        labels.includes('README.md') &&
        labels.includes('todo.md'),
      labels.join(' '),
    );
    assert.ok(!labels.includes('.github/'));
    assert.ok(!labels.includes('../'), 'no parent above the root');
    assert.equal(entries.find((e) => e.label === 'README.md')!.detail, 'Microsolidarity');
    assert.ok(entries.every((e) => e.replace.start === offset && e.replace.end === offset));

    const empty = openAt(project, 'crewing/notes.md', `# Notes\n\n[x](${CURSOR})\n`);
    project.openDocument('crewing/notes.md', cursor(`# Notes\n\n[x](${CURSOR})\n`).text, 3);
    const first = linkCompletions(project, 'crewing/notes.md', empty);
    assert.equal(first[0]!.insertText, '../articles/proposal.md');
    assert.equal(first[0]!.sortText, '0');
    assert.ok(first.some((e) => e.label === '../'));
    assert.ok(!first.some((e) => e.label === 'notes.md'), 'not the page itself');
  });

  test('assets: encoded in a Markdown image, as written in <img src>, assets sorted first for images', async () => {
    const { project } = await load();
    let offset = openAt(project, 'crewing/notes.md', `# Notes\n\n![a](../.gitbook/assets/ci${CURSOR})\n`);
    let entries = linkCompletions(project, 'crewing/notes.md', offset);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.insertText]),
      [
        ['folder', '../'],
        ['asset', 'circle%20%281%29.png'],
      ],
    );
    assert.deepEqual(entries[1]!.replace, { start: offset - 2, end: offset });
    const text = `# Notes\n\n<figure><img src="../.gitbook/assets/${CURSOR}" alt=""></figure>\n`;
    offset = cursor(text).offset;
    project.openDocument('crewing/notes.md', cursor(text).text, 5);
    entries = linkCompletions(project, 'crewing/notes.md', offset);
    assert.equal(entries.find((e) => e.kind === 'asset')!.insertText, 'circle (1).png');
    const image = cursor(`![a](../${CURSOR})`);
    project.openDocument('crewing/notes.md', image.text, 6);
    const sorted = linkCompletions(project, 'crewing/notes.md', image.offset).sort((a, b) =>
      (a.sortText ?? '').localeCompare(b.sortText ?? ''),
    );
    assert.equal(sorted[0]!.kind, 'folder', 'no assets at the root: folders before pages for an image');
    assert.equal(sorted[sorted.length - 1]!.kind, 'page');
  });

  test('content-ref url, file src, angle-bracket and reference definitions', async () => {
    const { project } = await load();
    const cases = [
      `{% content-ref url="${CURSOR}" %}`,
      `{% file src="../.gitbook/${CURSOR}" %}`,
      `[x](<../.gitbook/assets/${CURSOR}>)`,
      `[ref]: ../articles/${CURSOR}`,
    ];
    let version = 10;
    const got = cases.map((c) => {
      const { text, offset } = cursor(`# Notes\n\n${c}\n`);
      project.openDocument('crewing/notes.md', text, version++);
      return linkCompletions(project, 'crewing/notes.md', offset).map((e) => e.insertText);
    });
    assert.ok(got[0]!.includes('../articles/proposal.md') && got[0]!.includes('README.md'));
    assert.ok(got[1]!.includes('assets/'));
    assert.deepEqual(got[2], ['../', 'circle (1).png']);
    assert.ok(got[3]!.includes('proposal.md') && got[3]!.includes('update.md'));
  });

  test('nothing outside a destination, in code, for an external URL or a missing folder', async () => {
    const { project } = await load();
    const cases = [
      `plain ${CURSOR} text`,
      `\`[x](${CURSOR})\``,
      `[x](https://example.org/${CURSOR})`,
      `[x](nowhere/${CURSOR})`,
      `[x](../../${CURSOR})`,
    ];
    let version = 20;
    for (const c of cases) {
      const { text, offset } = cursor(`# Notes\n\n${c}\n`);
      project.openDocument('crewing/notes.md', text, version++);
      assert.deepEqual(linkCompletions(project, 'crewing/notes.md', offset), [], c);
    }
  });

  test('destinationAt reads what is typed in each syntax', () => {
    const at = (s: string) => {
      const { text, offset } = cursor(s);
      const d = destinationAt(text, offset);
      return d && [d.value, d.style, d.image];
    };
    assert.deepEqual(at(`![alt](a/b${CURSOR}`), ['a/b', 'markdown', true]);
    assert.deepEqual(at(`[t](img%20\\(1\\)${CURSOR}`), ['img%20\\(1\\)', 'markdown', false]);
    assert.deepEqual(at(`<a href='x/${CURSOR}`), ['x/', 'raw', false]);
    assert.equal(at(`[t](done) after${CURSOR}`), undefined);
  });
});

describe('document links, hover and definition', () => {
  test('document links: every local reference that reaches a file, with its fragment', async () => {
    const { project } = await load();
    const links = linkDocumentLinks(project, 'articles/update.md');
    assert.deepEqual(
      links.map((l) => [l.targetPath, l.fragment ?? '']),
      [
        ['articles/proposal.md', 'part-1-collapse'],
        ['articles/proposal.md', '3-the-crew'],
        ['crewing/README.md', ''],
        ['crewing/notes.md', 'top'],
      ],
    );
    assert.equal(linkDocumentLinks(project, 'todo.md').length, 0, 'a missing target is left to diagnostics');
  });

  test('hover on a link: title, front matter description and the heading', async () => {
    const { project } = await load();
    const text = baseSite['articles/update.md']!;
    const hover = linkHover(project, 'articles/update.md', text.indexOf('proposal.md#3-the-crew') + 3)!;
    assert.equal(
      hover.markdown,
      '**\\#1: Proposal**\n\nThe original microsolidarity proposal, published in 2018.\n\n§ 3: the Crew\n\n`articles/proposal.md`',
    );
    assert.deepEqual(hover.span, {
      start: text.indexOf('[the crew]'),
      end: text.indexOf(')', text.indexOf('[the crew]')) + 1,
    });
    const site = linkHover(project, 'articles/update.md', text.indexOf('https://www'))!;
    assert.match(site.markdown, /This site's own URL, served from `articles\/proposal.md`/);
    assert.match(site.markdown, /§ Part 1\. Collapse/);
    const broken = linkHover(project, 'todo.md', baseSite['todo.md']!.indexOf('missing.md'))!;
    assert.equal(broken.markdown, 'Missing file `missing.md`');
    assert.equal(linkHover(project, 'articles/update.md', 2), undefined, 'not on a link');
  });

  test('definition: the target file at the heading its anchor names, or its start', async () => {
    const { project } = await load();
    const text = baseSite['articles/update.md']!;
    const [crew] = linkDefinition(project, 'articles/update.md', text.indexOf('proposal.md#3-the-crew'));
    assert.equal(crew!.path, 'articles/proposal.md');
    assert.equal(crew!.range.start.line, 16);
    assert.equal(proposal.slice(crew!.span.start, crew!.span.end), '#### 3: the Crew');
    const [folder] = linkDefinition(project, 'articles/update.md', text.indexOf('../crewing/'));
    assert.deepEqual([folder!.path, folder!.range.start.line], ['crewing/README.md', 0]);
    const c = baseSite['crewing/README.md']!;
    const [asset] = linkDefinition(project, 'crewing/README.md', c.indexOf('circle%20'));
    assert.equal(asset!.path, '.gitbook/assets/circle (1).png');
    assert.deepEqual(linkDefinition(project, 'todo.md', baseSite['todo.md']!.indexOf('missing.md')), []);
  });
});

describe('references and code lenses', () => {
  test("references of a heading: relative links, the site URL and the page's own #anchor links", async () => {
    const { project } = await load();
    const crewHeading = proposal.indexOf('#### 3: the Crew') + 6;
    const refs = linkReferences(project, 'articles/proposal.md', crewHeading);
    assert.deepEqual(refs.map((r) => `${r.path}:${r.range.start.line}`).sort(), [
      'articles/proposal.md:10',
      'articles/update.md:2',
      'crewing/README.md:2',
    ]);
    const part1 = linkReferences(project, 'articles/proposal.md', proposal.indexOf('## Part 1'), {
      includeDeclaration: true,
    });
    assert.deepEqual(
      part1.map((r) => `${r.path}:${r.range.start.line}`),
      ['articles/proposal.md:8', 'articles/update.md:2', 'articles/update.md:3'],
    );
  });

  test('references of a page (cursor off any heading or link): every link to it, SUMMARY.md included', async () => {
    const { project } = await load();
    const refs = linkReferences(project, 'articles/proposal.md', proposal.indexOf('A small group'));
    assert.deepEqual([...new Set(refs.map((r) => r.path))].sort(), [
      'README.md',
      'SUMMARY.md',
      'articles/README.md',
      'articles/proposal.md',
      'articles/update.md',
      'crewing/README.md',
    ]);
    assert.equal(refs.length, 8);
  });

  test('references from a link: the heading the link points at', async () => {
    const { project } = await load();
    const c = baseSite['crewing/README.md']!;
    const refs = linkReferences(project, 'crewing/README.md', c.indexOf('#3-the-crew'));
    assert.equal(refs.length, 3);
  });

  test('code lenses on each heading of the proposal: pages linking there, without the proposal itself and SUMMARY.md', async () => {
    const { project } = await load();
    const lenses = proposalCodeLenses(project, 'articles/proposal.md');
    assert.deepEqual(
      lenses.map((l) => [proposal.slice(l.span.start, l.span.end), l.title, l.locations.length]),
      [
        ['# \\#1: Proposal', '2 pages link here', 2],
        ['## Part 1. Collapse', '1 page links here', 2],
        ['### Design criteria', 'No pages link here', 0],
        ['## Microsolidarity Part 2: a Theory of Groups', 'No pages link here', 0],
        ['#### 3: the Crew', '2 pages link here', 2],
      ],
    );
    assert.deepEqual(proposalCodeLenses(project, 'articles/update.md'), [], 'only on the proposal');
  });

  test('a code lens count follows an edit of a linking page', async () => {
    const { project } = await load();
    project.openDocument('todo.md', '# Todo\n\nSee [design](articles/proposal.md#design-criteria).\n', 1);
    assert.equal(proposalCodeLenses(project, 'articles/proposal.md')[2]!.title, '1 page links here');
  });
});

describe('heading rename', () => {
  test('headingTextSpan: ATX with closing hashes, setext, empty', () => {
    const span = (text: string) => {
      const h = { depth: 2, text: '', slug: '', span: { start: 0, end: text.length } };
      const s = headingTextSpan(text, h);
      return s && text.slice(s.start, s.end);
    };
    assert.equal(span('## Part 1. Collapse'), 'Part 1. Collapse');
    assert.equal(span('### Closed ###  '), 'Closed');
    assert.equal(span('Setext\n------'), 'Setext');
    assert.equal(span('##'), undefined);
  });

  test('renaming a proposal heading updates every #anchor to it across the workspace, in one edit', async () => {
    const { project } = await load();
    project.openDocument('articles/proposal.md', proposal, 1);
    const at = proposal.indexOf('3: the Crew');
    const prepared = prepareHeadingRename(project, 'articles/proposal.md', at)!;
    assert.equal(prepared.placeholder, '3: the Crew');
    const edits = renameHeading(project, 'articles/proposal.md', at, 'Three: the *Crew*')!;
    assert.deepEqual([...edits.changes.keys()].sort(), [
      'articles/proposal.md',
      'articles/update.md',
      'crewing/README.md',
    ]);
    const after = applyWorkspaceEdits(baseSite, edits);
    assert.match(after['articles/proposal.md']!, /^#### Three: the \*Crew\*$/m);
    assert.match(after['articles/proposal.md']!, /See \[the crew\]\(#three-the-crew\) below\./);
    assert.equal(
      after['articles/update.md'],
      baseSite['articles/update.md']!.replace('proposal.md#3-the-crew', 'proposal.md#three-the-crew'),
    );
    assert.equal(after['crewing/README.md'], baseSite['crewing/README.md']!.replace('#3-the-crew', '#three-the-crew'));
    assert.deepEqual(
      linkFindings(await allFindings(after)),
      linkFindings(await allFindings(baseSite)),
      'no link broken by the rename',
    );
    const ranges = workspaceEditRanges(project, edits);
    assert.deepEqual(
      ranges
        .get('crewing/README.md')!
        .map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]),
      [[2, 35, 45, 'three-the-crew']],
    );
  });

  test("renaming from a link's #anchor renames the target heading (its text comes from the host when the page is not open)", async () => {
    const { project } = await load();
    const text = baseSite['articles/update.md']!;
    const at = text.indexOf('part-1-collapse') + 2;
    assert.equal(
      prepareHeadingRename(project, 'articles/update.md', at),
      undefined,
      'no text for the proposal: no rename',
    );
    const getText = (p: string) => baseSite[p];
    const prepared = prepareHeadingRename(project, 'articles/update.md', at, getText)!;
    assert.equal(text.slice(prepared.span.start, prepared.span.end), 'part-1-collapse');
    assert.equal(prepared.placeholder, 'Part 1. Collapse');
    const edits = renameHeading(project, 'articles/update.md', at, 'Part 1: Collapse', getText)!;
    const after = applyWorkspaceEdits(baseSite, edits);
    assert.match(after['articles/proposal.md']!, /^## Part 1: Collapse$/m);
    assert.equal(
      (after['articles/update.md']!.match(/#part-1-collapse/g) ?? []).length,
      2,
      'the slug of "Part 1: Collapse" is the same: links stay',
    );
    assert.deepEqual([...edits.changes.keys()], ['articles/proposal.md']);
  });

  test('duplicate headings: a rename that frees or takes a number shifts the other anchors too', async () => {
    const files = {
      ...baseSite,
      'crewing/notes.md': '# Notes\n\n## Steps\n\n## Steps\n\n[first](#steps) [second](#steps-1)\n',
      'todo.md': '# Todo\n\n[second steps](crewing/notes.md#steps-1)\n',
    };
    const { project } = await load(files);
    project.openDocument('crewing/notes.md', files['crewing/notes.md'], 1);
    const edits = renameHeading(
      project,
      'crewing/notes.md',
      files['crewing/notes.md'].indexOf('## Steps') + 3,
      'First steps',
    )!;
    const after = applyWorkspaceEdits(files, edits);
    assert.equal(
      after['crewing/notes.md'],
      '# Notes\n\n## First steps\n\n## Steps\n\n[first](#first-steps) [second](#steps)\n',
    );
    assert.equal(after['todo.md'], '# Todo\n\n[second steps](crewing/notes.md#steps)\n');
  });

  test('no rename off a heading or a link anchor, or to an empty name', async () => {
    const { project } = await load();
    project.openDocument('articles/proposal.md', proposal, 1);
    assert.equal(prepareHeadingRename(project, 'articles/proposal.md', proposal.indexOf('A small group')), undefined);
    assert.equal(renameHeading(project, 'articles/proposal.md', proposal.indexOf('3: the Crew'), '  '), undefined);
  });
});

describe('links updated when files move', () => {
  test('a page moved into a folder: links to it, and its own relative links', async () => {
    const { project } = await load();
    const edits = linkEditsForMoves(project, [{ from: 'articles/update.md', to: 'archive/2020/update.md' }]);
    assert.deepEqual([...edits.changes.keys()].sort(), ['README.md', 'SUMMARY.md', 'articles/update.md']);
    const after = applyWorkspaceEdits(baseSite, edits);
    assert.equal(
      after['README.md'],
      baseSite['README.md']!.replace('(articles/update.md)', '(archive/2020/update.md)'),
    );
    assert.equal(
      after['SUMMARY.md'],
      baseSite['SUMMARY.md']!.replace('(articles/update.md)', '(archive/2020/update.md)'),
    );
    assert.equal(
      after['articles/update.md'],
      [
        '# Update',
        '',
        'Read [part 1](../../articles/proposal.md#part-1-collapse) and [the crew](../../articles/proposal.md#3-the-crew).',
        'Also [on the site](https://www.microsolidarity.cc/articles/proposal#part-1-collapse).',
        'The [crewing page](../../crewing/) and [notes](../../crewing/notes.md#top).',
        '',
      ].join('\n'),
    );
    // Move the file as the editor would, then check: nothing broken.
    const moved: Record<string, string> = { ...after, 'archive/2020/update.md': after['articles/update.md']! };
    delete moved['articles/update.md'];
    assert.deepEqual(
      linkFindings(await allFindings(moved)),
      ['todo.md:3 link-missing-file'],
      'only the link that was broken before',
    );
  });

  test('an asset renamed: Markdown images stay encoded, <img src> keeps spaces', async () => {
    const { project } = await load();
    const edits = linkEditsForMoves(project, [
      { from: '.gitbook/assets/circle (1).png', to: '.gitbook/assets/circle of chairs.png' },
    ]);
    const after = applyWorkspaceEdits(baseSite, edits);
    assert.equal(
      after['crewing/README.md'],
      baseSite['crewing/README.md']!.replace('circle%20(1).png', 'circle%20of%20chairs.png').replace(
        'circle (1).png',
        'circle of chairs.png',
      ),
    );
    assert.deepEqual([...edits.changes.keys()], ['crewing/README.md']);
  });

  test('a folder moved: links into it, folder links, and relative links inside it; ./ kept', async () => {
    const { project } = await load();
    const edits = linkEditsForMoves(project, [{ from: 'crewing', to: 'practices/crewing' }]);
    const after = applyWorkspaceEdits(baseSite, edits);
    assert.equal(
      after['crewing/notes.md'],
      '# Notes\n\n## Top\n\nBack [home](../../README.md) or [up](./README.md).\n',
    );
    assert.equal(after['crewing/README.md'], baseSite['crewing/README.md']!.replaceAll('../', '../../'));
    assert.match(
      after['articles/update.md']!,
      /\[crewing page\]\(\.\.\/practices\/crewing\/\) and \[notes\]\(\.\.\/practices\/crewing\/notes\.md#top\)/,
    );
    assert.match(after['SUMMARY.md']!, /\(practices\/crewing\/README\.md\)[\s\S]*\(practices\/crewing\/notes\.md\)/);
    const moved: Record<string, string> = {};
    for (const [p, t] of Object.entries(after)) moved[p.startsWith('crewing/') ? `practices/${p}` : p] = t;
    assert.deepEqual(linkFindings(await allFindings(moved)), ['todo.md:3 link-missing-file']);
  });

  test('nothing to do for a move that no link sees; broken links are left alone', async () => {
    const { project } = await load();
    assert.equal(linkEditsForMoves(project, [{ from: 'todo.md', to: 'notes/todo.md' }]).changes.size, 0);
  });
});

describe('symbols and proposal links', () => {
  test('document symbols nest headings by depth', async () => {
    const { project } = await load();
    const outline = headingDocumentSymbols(project, 'articles/proposal.md');
    const shape = (s: readonly SymbolEntry[]): unknown =>
      s.map((e) => (e.children ? [e.name, shape(e.children)] : e.name));
    assert.deepEqual(shape(outline), [
      [
        '#1: Proposal',
        [
          ['Part 1. Collapse', ['Design criteria']],
          ['Microsolidarity Part 2: a Theory of Groups', ['3: the Crew']],
        ],
      ],
    ]);
    assert.equal(outline[0]!.range.start.line, 6);
  });

  test('workspace symbols: every heading, filtered by a fuzzy query', async () => {
    const { project } = await load();
    assert.equal(headingWorkspaceSymbols(project, '').length, 13);
    assert.deepEqual(
      headingWorkspaceSymbols(project, 'crew').map((s) => `${s.path}:${s.name}`),
      ['articles/proposal.md:3: the Crew', 'crewing/README.md:Crewing'],
    );
    assert.deepEqual(
      headingWorkspaceSymbols(project, 'p1col').map((s) => s.detail),
      ['articles/proposal.md#part-1-collapse'],
    );
  });

  test('"Insert link to the proposal": the page and each section, with the right relative link', async () => {
    const { project } = await load();
    const choices = proposalLinkChoices(project, 'crewing/notes.md');
    assert.deepEqual(
      choices.map((c) => [c.depth, c.markdown, c.linkedFrom]),
      [
        [0, '[#1: Proposal](../articles/proposal.md)', 4],
        [2, '[Part 1. Collapse](../articles/proposal.md#part-1-collapse)', 1],
        [3, '[Design criteria](../articles/proposal.md#design-criteria)', 0],
        [
          2,
          '[Microsolidarity Part 2: a Theory of Groups](../articles/proposal.md#microsolidarity-part-2-a-theory-of-groups)',
          0,
        ],
        [4, '[3: the Crew](../articles/proposal.md#3-the-crew)', 2],
      ],
    );
    assert.equal(proposalLinkChoices(project, 'articles/proposal.md')[1]!.url, '#part-1-collapse');
    assert.equal(proposalLinkChoices(project, 'README.md')[0]!.url, 'articles/proposal.md');
  });
});

describe('msol links report', () => {
  const files = {
    ...baseSite,
    'orphan.md': '# Orphan\n\n[home](README.md) and [a gone heading](articles/proposal.md#gone).\n',
    'island.md': '# Island\n\nLinks only to [todo](todo.md), which leads nowhere.\n',
  };

  test('pages, links, broken links, orphans and pages that never reach the proposal', async () => {
    const { project } = await load(files);
    const report = linksReport(project);
    assert.equal(report.pages, 10);
    assert.deepEqual(report.links, {
      total: 24,
      local: 23,
      siteAbsolute: 1,
      proposalCopies: 0,
      external: 0,
      broken: 2,
    });
    assert.deepEqual(
      report.broken.map((b) => `${b.path}:${b.line}:${b.column} ${b.url} ${b.reason}`),
      ['orphan.md:3:40 articles/proposal.md#gone missing-heading', 'todo.md:3:57 missing.md missing-file'],
    );
    assert.deepEqual(report.orphans, ['island.md', 'orphan.md', 'todo.md']);
    assert.deepEqual(report.unreachable, ['island.md', 'todo.md']);
    assert.deepEqual(
      report.perPage.find((p) => p.path === 'articles/proposal.md'),
      {
        path: 'articles/proposal.md',
        title: '#1: Proposal',
        outgoing: 0,
        incoming: 7,
        inSummary: true,
        reachesProposal: true,
      },
    );
  });

  test('a scope limits the lists, not the graph', async () => {
    const { project } = await load(files);
    const report = linksReport(project, { scope: 'crewing/' });
    assert.equal(report.scope, 'crewing');
    assert.deepEqual(
      report.perPage.map((p) => [p.path, p.reachesProposal]),
      [
        ['crewing/README.md', true],
        ['crewing/notes.md', true],
      ],
    );
    assert.deepEqual([report.broken.length, report.orphans.length, report.unreachable.length], [0, 0, 0]);
  });

  test('text and JSON formatters', async () => {
    const { project } = await load(files);
    const report = linksReport(project);
    const text = formatLinksText(report);
    assert.equal(
      text,
      [
        "10 pages, 24 links (23 local, 0 external, 1 to the site's own URL, 0 to copies of the proposal)",
        '',
        'Broken links (2):',
        '  orphan.md:3:40  articles/proposal.md#gone  missing heading',
        '  todo.md:3:57  missing.md  missing file',
        '',
        'Pages SUMMARY.md does not list (3):',
        '  island.md',
        '  orphan.md',
        '  todo.md',
        '',
        'Pages that never reach the proposal (articles/proposal.md) through links (2):',
        '  island.md',
        '  todo.md',
        '',
      ].join('\n'),
    );
    assert.deepEqual(JSON.parse(formatLinksJson(report)), JSON.parse(JSON.stringify(report)));
    assert.ok(formatLinksJson(report).endsWith('}\n'));
  });

  test('a site without SUMMARY.md or proposal says so', async () => {
    const { project } = await load({ 'README.md': '# Home\n' });
    const text = formatLinksText(linksReport(project));
    assert.match(text, /no SUMMARY\.md/);
    assert.match(text, /the site has no hub page \(`site\.proposal` in \.msolrc\.json\)/);
    // The Microsolidarity handbook's proposal is its hub by default: missing there, it is said missing.
    const handbook = await load({ 'README.md': '# Microsolidarity\n' });
    assert.match(
      formatLinksText(linksReport(handbook.project)),
      /the proposal \(articles\/proposal\.md\) does not exist/,
    );
  });
});
