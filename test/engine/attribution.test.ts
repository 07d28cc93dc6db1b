/**
 * License attribution: credit parsing, license normalisation and
 * compatibility, the "Add attribution…" edit (the check must accept what it
 * writes), sidecar records, the report and its formatters, hovers, and the
 * site knowledge (license and default author from the home page).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, type Finding } from '../../server/src/engine/index';
import {
  compatibility,
  findLicenseIn,
  licenseFromUrl,
  normaliseLicense,
} from '../../server/src/engine/attribution/license';
import { parseCredit, type RichText } from '../../server/src/engine/attribution/credit';
import { parseSidecar } from '../../server/src/engine/attribution/records';
import type { PageAuthorship } from '../../server/src/engine/host';
import { thirdPartySignals } from '../../server/src/engine/attribution/signals';
import { siteAttribution, sameAuthor } from '../../server/src/engine/attribution/site';
import { defaultConfig } from '../../server/src/engine/config/config';
import {
  addAttributionEdit,
  attributionHover,
  attributionReport,
  attributionSidecar,
  creditMarkdown,
  formatAttributionCsv,
  formatAttributionJson,
  formatAttributionMarkdown,
} from '../../server/src/engine/features/attribution';
import { checkSite, site, text } from './util';

const attributionRules = new Set([
  'attribution-missing',
  'attribution-incomplete',
  'license-incompatible',
  'license-unknown',
  'author-undeclared',
  'site-license-notice',
  'image-alt-missing',
]);
const ours = (fs: readonly Finding[]) => fs.filter((f) => attributionRules.has(f.ruleId));
const keys = (fs: readonly Finding[]) =>
  ours(fs)
    .map((f) => `${f.path}:${f.range.start.line + 1} ${f.ruleId}`)
    .sort();

const readme = `# Handbook

## About this site

All the content on this site is published with a [CC-BY-SA](https://creativecommons.org/licenses/by-sa/4.0/) license. So please use it however you like: just give credit, and use the same license for derivative works. Unless stated otherwise, assume the author is Richard D. Bartlett.
`;

function rich(t: string, links: { text: string; url: string }[] = []): RichText {
  return {
    text: t,
    links: links.map((l) => ({ ...l, start: t.indexOf(l.text), end: t.indexOf(l.text) + l.text.length })),
  };
}

describe('license normalisation', () => {
  test('names, ids and links become SPDX ids or named values', () => {
    const cases: [string, string][] = [
      ['CC BY 2.0', 'CC-BY-2.0'],
      ['CC BY-SA 4.0', 'CC-BY-SA-4.0'],
      ['Creative Commons Attribution-ShareAlike 4.0 International', 'CC-BY-SA-4.0'],
      ['Creative Commons Attribution-NonCommercial 4.0', 'CC-BY-NC-4.0'],
      ['cc-by-nc-nd-3.0', 'CC-BY-NC-ND-3.0'],
      ['CC0', 'CC0-1.0'],
      ['public domain', 'LicenseRef-PublicDomain'],
      ['no rights reserved', 'LicenseRef-PublicDomain'],
      ['Unsplash License', 'LicenseRef-Unsplash'],
      ['All rights reserved', 'LicenseRef-AllRightsReserved'],
      ['MIT', 'MIT'],
      ['Apache 2', 'Apache-2.0'],
      ['CC-BY-4.0 OR MIT', 'CC-BY-4.0 OR MIT'],
    ];
    for (const [raw, id] of cases) assert.equal(normaliseLicense(raw).id, id, raw);
  });

  test('the Unsplash License is never mistaken for the Sun Public License, and made-up licenses stay unknown', () => {
    assert.notEqual(normaliseLicense('Unsplash License').id, 'SPL-1.0');
    assert.equal(normaliseLicense('the Fooish Art License').kind, 'unknown');
    assert.equal(normaliseLicense('CC BY 3.5').kind, 'unknown', 'CC BY has no version 3.5');
  });

  test('license URLs', () => {
    assert.equal(licenseFromUrl('https://creativecommons.org/licenses/by-sa/4.0/')?.id, 'CC-BY-SA-4.0');
    assert.equal(licenseFromUrl('http://creativecommons.org/licenses/by/2.0/deed.en')?.id, 'CC-BY-2.0');
    assert.equal(licenseFromUrl('https://creativecommons.org/licenses/by-sa/3.0/de/')?.id, 'CC-BY-SA-3.0-DE');
    assert.equal(licenseFromUrl('https://creativecommons.org/publicdomain/zero/1.0/')?.id, 'CC0-1.0');
    assert.equal(licenseFromUrl('https://unsplash.com/license')?.id, 'LicenseRef-Unsplash');
    assert.equal(licenseFromUrl('https://example.org/about'), undefined);
  });

  test('mentions in prose', () => {
    assert.equal(findLicenseIn('Image: Foo (CC BY 2.0)')?.license.id, 'CC-BY-2.0');
    assert.equal(
      findLicenseIn('This story is published by Richard D. Bartlett with no rights reserved')?.license.id,
      'LicenseRef-PublicDomain',
    );
    assert.equal(findLicenseIn('Photo by X, licensed under the Fooish License 2.0.')?.license.kind, 'unknown');
    assert.equal(
      findLicenseIn('Weaving image by Wei Cheng Wu on Unsplash'),
      undefined,
      'a platform implies, it does not state',
    );
  });

  test('compatibility with CC-BY-SA-4.0 and the reason given', () => {
    const site = 'CC-BY-SA-4.0';
    const verdict = (raw: string) => compatibility(normaliseLicense(raw), site).verdict;
    for (const ok of [
      'CC-BY-4.0',
      'CC-BY-2.0',
      'CC-BY-SA-3.0',
      'CC-BY-SA-4.0',
      'CC0-1.0',
      'public domain',
      'MIT',
      'GFDL-1.2-or-later OR CC-BY-SA-3.0',
    ])
      assert.equal(verdict(ok), 'compatible', ok);
    for (const bad of [
      'CC-BY-NC-4.0',
      'CC-BY-ND-4.0',
      'CC-BY-NC-SA-4.0',
      'All rights reserved',
      'Unsplash License',
      'GPL-3.0-only',
      'CC-BY-SA-1.0',
      'used with permission',
    ])
      assert.equal(verdict(bad), 'incompatible', bad);
    assert.equal(verdict('the Fooish Art License'), 'unknown');
    const unsplash = compatibility(normaliseLicense('Unsplash License'), site);
    assert.match(unsplash.reason, /not a Creative Commons license/);
    assert.match(unsplash.reason, /ShareAlike/);
    assert.equal(
      compatibility(normaliseLicense('CC-BY-SA-4.0'), 'CC-BY-4.0').verdict,
      'incompatible',
      'ShareAlike material on a CC-BY site',
    );
    assert.equal(
      compatibility(normaliseLicense('LicenseRef-Permission'), site, ['LicenseRef-Permission']).verdict,
      'compatible',
    );
  });
});

describe('credit parsing', () => {
  test("the real handbook's alt texts", () => {
    const weaving = parseCredit(rich('Weaving image by Wei Cheng Wu on Unsplash'), 'alt');
    assert.deepEqual(
      [weaving?.title, weaving?.author, weaving?.source, weaving?.license, weaving?.impliedLicense?.id],
      ['Weaving', 'Wei Cheng Wu', undefined, undefined, 'LicenseRef-Unsplash'],
    );
    const heretic = parseCredit(rich('Burning of a Heretic by Sassetta'), 'alt');
    assert.deepEqual([heretic?.title, heretic?.author], ['Burning of a Heretic', 'Sassetta']);
    const cartoon = parseCredit(rich('Cartoon characters from "Captain Planet & The Planeteers"'), 'alt', undefined, {
      force: true,
    });
    assert.deepEqual([cartoon?.title, cartoon?.author], ['Captain Planet & The Planeteers', undefined]);
    assert.equal(parseCredit(rich('A fractal map of belonging'), 'alt'), undefined, 'a description is no credit');
  });

  test('the Creative Commons recommended form, with links', () => {
    const c = parseCredit(
      rich('"Loom" by Jane Doe is licensed under CC BY 4.0.', [
        { text: 'Loom', url: 'https://example.org/loom' },
        { text: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
      ]),
      'credit-line',
    );
    assert.deepEqual(
      [c?.title, c?.author, c?.source, c?.license?.id],
      ['Loom', 'Jane Doe', 'https://example.org/loom', 'CC-BY-4.0'],
    );
  });

  test('other common forms', () => {
    const image = parseCredit(rich('Image: Foo Bar (CC BY 2.0)'), 'credit-line');
    assert.deepEqual([image?.author, image?.license?.id], ['Foo Bar', 'CC-BY-2.0']);
    const wiki = parseCredit(
      rich('Sassetta, Public domain, via Wikimedia Commons', [
        { text: 'via Wikimedia Commons', url: 'https://commons.wikimedia.org/wiki/File:X.jpg' },
      ]),
      'credit-line',
    );
    assert.deepEqual(
      [wiki?.author, wiki?.license?.id, wiki?.source],
      ['Sassetta', 'LicenseRef-PublicDomain', 'https://commons.wikimedia.org/wiki/File:X.jpg'],
    );
    const copyright = parseCredit(rich('© 2019 Jane Doe. All rights reserved.'), 'credit-line');
    assert.deepEqual(
      [copyright?.author, copyright?.license?.id, copyright?.copyright],
      ['Jane Doe', 'LicenseRef-AllRightsReserved', 'Jane Doe'],
    );
    const unsplash = parseCredit(rich('Photo by Jane Doe on Unsplash'), 'credit-line');
    assert.deepEqual([unsplash?.title, unsplash?.author, unsplash?.platform], [undefined, 'Jane Doe', 'Unsplash']);
  });

  test('sidecar records in REUSE form', () => {
    const c = parseSidecar(
      'SPDX-FileCopyrightText: 2018 Jane Doe <https://example.org/jane>\nSPDX-License-Identifier: CC-BY-4.0\nTitle: Threads\nSource: https://example.org/threads\n',
    );
    assert.deepEqual(
      [c?.title, c?.author, c?.source, c?.license?.id],
      ['Threads', 'Jane Doe', 'https://example.org/threads', 'CC-BY-4.0'],
    );
  });

  test('third-party signals in file names and text', () => {
    assert.deepEqual(
      thirdPartySignals('.gitbook/assets/weaving-image-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg', 'file').map(
        (s) => s.kind,
      ),
      ['maker', 'platform'],
    );
    assert.equal(
      thirdPartySignals('weaving-image-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg', 'file')[0]?.name,
      'Wei Cheng Wu',
    );
    assert.deepEqual(
      thirdPartySignals('burning-of-a-heretic-_sassetta-melburn_museum.jpg', 'file').map((s) => s.kind),
      ['museum'],
    );
    assert.deepEqual(
      thirdPartySignals('Cartoon characters from "Captain Planet"').map((s) => s.kind),
      ['film'],
    );
    assert.deepEqual(thirdPartySignals('Anatomical heart drawing'), []);
    assert.deepEqual(thirdPartySignals('fractal-map-of-belonging-edited.jpg', 'file'), []);
  });

  test('author names: aliases, middle initials and nicknames of the default author', () => {
    for (const n of ['Richard D. Bartlett', 'Richard Bartlett', 'Rich', 'RichDecibels'])
      assert.ok(sameAuthor(n, 'Richard D. Bartlett', defaultConfig), n);
    for (const n of ['Ness Radich', 'Richard Dawkins', 'Ri'])
      assert.ok(!sameAuthor(n, 'Richard D. Bartlett', defaultConfig), n);
  });
});

describe('checks on a site', () => {
  test('"Photo by X on Unsplash" is incompatible with a clear reason; "Add attribution…" with CC-BY-4.0 makes the check accept it', async () => {
    const page =
      '# Weaving\n\n![A loom](../.gitbook/assets/loom.jpg)\n\n_Photo by Jane Doe on Unsplash_\n\nText after.\n';
    const files = site({ 'README.md': readme, 'articles/weaving.md': page, '.gitbook/assets/loom.jpg': '' });
    const before = await checkSite(files);
    const incompatible = ours(before.findings).filter((f) => f.ruleId === 'license-incompatible');
    assert.equal(incompatible.length, 1);
    assert.equal(incompatible[0]!.severity, 'error');
    assert.equal(
      incompatible[0]!.message,
      'Unexpected image `loom.jpg` under the Unsplash License, expected one compatible with CC BY-SA 4.0',
    );
    // The why is the note's: what implied the license, and why it cannot be passed on.
    assert.match(
      incompatible[0]!.note ?? '',
      /^"On Unsplash" implies the Unsplash License\. The Unsplash License is not a Creative Commons license/,
    );
    assert.match(incompatible[0]!.note ?? '', /ShareAlike requires/);
    assert.deepEqual(keys(before.findings), [
      'articles/weaving.md:3 attribution-incomplete',
      'articles/weaving.md:3 license-incompatible',
    ]);

    const facts = before.project.index.facts('articles/weaving.md')!;
    const edit = addAttributionEdit(page, facts, page.indexOf('![A loom]') + 3, {
      title: 'Loom',
      author: 'Jane Doe',
      sourceUrl: 'https://example.org/loom',
      license: 'CC-BY-4.0',
    });
    assert.ok(edit);
    assert.equal(edit.style, 'line');
    const fixed = applyEdits(page, edit.edits).text;
    assert.equal(
      fixed,
      '# Weaving\n\n![A loom](../.gitbook/assets/loom.jpg)\n\n_"[Loom](https://example.org/loom)" by Jane Doe is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)._\n\nText after.\n',
    );
    const after = await checkSite(
      site({ 'README.md': readme, 'articles/weaving.md': fixed, '.gitbook/assets/loom.jpg': '' }),
    );
    assert.deepEqual(keys(after.findings), []);
  });

  test('"Add attribution…" fills a GitBook figure\'s empty caption, or adds one, and adds a line after a bare image', async () => {
    const page = [
      '# Figures',
      '',
      '<figure><img src="https://cdn.example.org/a.png" alt="A loom"><figcaption></figcaption></figure>',
      '',
      '<figure><img src="https://cdn.example.org/b.png" alt="Threads"></figure>',
      '',
      '* ![Weaving image by Wei Cheng Wu on Unsplash](https://cdn.example.org/c.png)',
      '',
    ].join('\n');
    const input = { title: 'Loom', author: 'Jane Doe', sourceUrl: 'https://example.org/loom', license: 'CC BY-SA 4.0' };
    const files = site({ 'README.md': readme, 'figures.md': page });
    const before = await checkSite(files);
    assert.deepEqual(keys(before.findings), [
      'figures.md:3 attribution-missing',
      'figures.md:5 attribution-missing',
      'figures.md:7 attribution-incomplete',
      'figures.md:7 license-incompatible',
    ]);
    let current = page;
    for (const marker of ['a.png', 'b.png', 'c.png']) {
      const { project } = await checkSite(site({ 'README.md': readme, 'figures.md': current }));
      const edit = addAttributionEdit(current, project.index.facts('figures.md')!, current.indexOf(marker), input);
      assert.ok(edit, marker);
      assert.equal(edit.style, marker === 'c.png' ? 'line' : 'caption');
      current = applyEdits(current, edit.edits).text;
    }
    assert.match(
      current,
      /<figcaption><p>"<a href="https:\/\/example.org\/loom">Loom<\/a>" by Jane Doe is licensed under <a href="https:\/\/creativecommons.org\/licenses\/by-sa\/4.0\/">CC BY-SA 4.0<\/a>.<\/p><\/figcaption><\/figure>/,
    );
    assert.match(current, /\n\* !\[Weaving[^\n]*\n\n {2}_"\[Loom\]/, 'the credit line stays inside the list item');
    const after = await checkSite(site({ 'README.md': readme, 'figures.md': current }));
    assert.deepEqual(keys(after.findings), []);
  });

  test('a sidecar .license record is trusted on every page; deleting it brings the findings back', async () => {
    const use = (n: number) => `# Page ${n}\n\n![Threads by Jane Doe](../.gitbook/assets/threads.jpg)\n`;
    const files = site({
      'README.md': readme,
      'a/one.md': use(1),
      'a/two.md': use(2),
      '.gitbook/assets/threads.jpg': '',
    });
    const before = await checkSite(files);
    assert.deepEqual(keys(before.findings), ['a/one.md:3 attribution-incomplete', 'a/two.md:3 attribution-incomplete']);
    const sidecar = attributionSidecar(before.project.index, 'a/one.md', '../.gitbook/assets/threads.jpg', {
      title: 'Threads',
      author: 'Jane Doe',
      sourceUrl: 'https://example.org/threads',
      license: 'CC BY 4.0',
    });
    assert.deepEqual(sidecar, {
      path: '.gitbook/assets/threads.jpg.license',
      text: 'SPDX-FileCopyrightText: Jane Doe <https://example.org/threads>\nSPDX-License-Identifier: CC-BY-4.0\nTitle: Threads\nSource: https://example.org/threads\n',
    });
    // The host writes the file and tells the Project.
    before.fs.write(sidecar.path, sidecar.text);
    before.project.fileCreated(sidecar.path);
    await before.project.refreshFile(sidecar.path);
    assert.deepEqual(keys([...before.project.checkAll().values()].flat()), []);
    before.fs.delete(sidecar.path);
    before.project.fileDeleted(sidecar.path);
    assert.equal(keys([...before.project.checkAll().values()].flat()).length, 2);
  });

  test("a record in .msolrc.json can mark an asset as the site's own", async () => {
    const config = JSON.stringify({
      attribution: { assets: { '.gitbook/assets/museum-map.png': { thirdParty: false } } },
    });
    const files = site({
      'README.md': readme,
      '.msolrc.json': config,
      'p.md': '# P\n\n![Our map of the museum](.gitbook/assets/museum-map.png)\n',
      '.gitbook/assets/museum-map.png': '',
    });
    assert.deepEqual(keys((await checkSite(files)).findings), []);
  });

  test('no finding on pages by the default author, an own diagram, or a short quote', async () => {
    const files = site({
      'README.md': readme + '\n![A fractal view of belonging](.gitbook/assets/fractal.jpg)\n',
      'articles/update.md':
        '---\ndescription: >-\n  A year into the project, Rich published a substantial update.\n---\n\n# Update\n\n_A note from Rich_: hello.\n\n> Small is beautiful.\n\np.p.s. This story is published by Richard D. Bartlett with no rights reserved.\n',
      '.gitbook/assets/fractal.jpg': '',
    });
    assert.deepEqual(keys((await checkSite(files)).findings), []);
  });

  test('author-undeclared: a byline hint, and commit authors supplied by a host', async () => {
    const files = site({
      'README.md': readme,
      'guide.md': '# Guide\n\nJane Doe wrote this guide after a year of hosting.\n',
      'history.md': '# History\n\nA page with no byline.\n',
      'mixed.md': '# Mixed\n\nEdited by many.\n',
    });
    const checked = await checkSite(files);
    assert.deepEqual(keys(checked.findings), ['guide.md:3 author-undeclared']);
    const guide = ours(checked.findings)[0]!;
    assert.equal(guide.suggestions?.[0]?.edits[0]?.newText, '---\nauthor: Jane Doe\n---\n\n');
    // Line authors as a host's history gives them (git blame): a page is its main author's; a bot and the default author are no one else.
    const lines: Record<string, PageAuthorship> = {
      'history.md': { lines: 3, authors: [{ name: 'Ness Radich', lines: 3 }] },
      'mixed.md': {
        lines: 2,
        authors: [
          { name: 'Rich Bartlett', lines: 1 },
          { name: 'Ness Radich', lines: 1 },
        ],
      },
      'guide.md': { lines: 2, authors: [{ name: 'gitbook-bot', lines: 2 }] },
    };
    checked.project.index.setHistory({
      commits: [],
      moves: [],
      contentAt: () => undefined,
      filesWithContent: () => [],
      committersOf: () => undefined,
      authorshipOf: (p) => lines[p],
    });
    const all = [...checked.project.checkAll().values()].flat();
    assert.deepEqual(keys(all), ['guide.md:3 author-undeclared', 'history.md:1 author-undeclared']);
    const fromHistory = ours(all).find((f) => f.path === 'history.md')!;
    assert.equal(
      fromHistory.message,
      'Unexpected page by Ness Radich (its history) without a declared author, expected front matter `author: Ness Radich`',
    );
    assert.match(fromHistory.note ?? '', /^Ness Radich wrote 100% of the lines of this page that still stand/);
  });

  test('site-license-notice: a home page without a statement; site knowledge read from the statement', async () => {
    // The Microsolidarity handbook (known by its home page's title) has its license by default; another site that says none has none to state.
    const none = await checkSite(site({ 'README.md': '# Microsolidarity\n\nWelcome.\n' }));
    const f = ours(none.findings).filter((x) => x.ruleId === 'site-license-notice');
    assert.equal(f.length, 1);
    const another = await checkSite(site({ 'README.md': '# Home\n\nWelcome.\n' }));
    assert.deepEqual(
      ours(another.findings).filter((x) => x.ruleId === 'site-license-notice'),
      [],
      'no license anywhere: nothing to ask the home page to state',
    );
    assert.match(
      f[0]!.suggestions![0]!.edits[0]!.newText,
      /\[CC BY-SA 4\.0\]\(https:\/\/creativecommons.org\/licenses\/by-sa\/4.0\/\)/,
    );
    const other = await checkSite(
      site({
        'README.md':
          '# Home\n\nAll content on this site is published under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). Unless stated otherwise, assume the author is Jane Doe.\n',
      }),
    );
    assert.deepEqual(siteAttribution(other.project.index), {
      license: 'CC-BY-4.0',
      licenseFrom: 'home page',
      defaultAuthor: 'Jane Doe',
      authorFrom: 'home page',
      statement: siteAttribution(other.project.index).statement!,
    });
    assert.deepEqual(keys(other.findings), []);
  });

  test("credits in a footnote, a figure caption and a quote's lead-in are read", async () => {
    const page = [
      '# Credits elsewhere',
      '',
      '![Loom by Jane Doe](https://cdn.example.org/loom.png)[^loom]',
      '',
      '<figure><img src="https://cdn.example.org/b.png" alt="Threads"><figcaption><p>"<a href="https://example.org/t">Threads</a>" by Ana Lima, CC BY-NC 4.0</p></figcaption></figure>',
      '',
      'As Jane Doe writes in [Weaving Notes](https://example.org/notes):',
      '',
      '> ' + 'word '.repeat(45).trim(),
      '',
      '[^loom]: "[Loom](https://example.org/loom)" by Jane Doe, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).',
      '',
    ].join('\n');
    const checked = await checkSite(site({ 'README.md': readme, 'p.md': page }));
    assert.deepEqual(keys(checked.findings), ['p.md:5 license-incompatible']);
    const report = attributionReport(checked.project.index);
    const loom = report.items.find((i) => i.key === 'https://cdn.example.org/loom.png')!;
    assert.deepEqual(
      [loom.title, loom.source, loom.license?.id, loom.creditFrom],
      ['Loom', 'https://example.org/loom', 'CC-BY-4.0', 'footnote and alt text'],
    );
    const quote = report.items.find((i) => i.kind === 'quote')!;
    assert.deepEqual([quote.author, quote.source, quote.missing], ['Jane Doe', 'https://example.org/notes', []]);
  });

  test('image-alt-missing counts GitBook\'s alt=""', async () => {
    const files = site({
      'README.md': readme,
      'p.md':
        '# P\n\n<figure><img src=".gitbook/assets/x.png" alt=""><figcaption></figcaption></figure>\n\n![](x.png)\n\n![ok](x.png)\n',
      'x.png': '',
      '.gitbook/assets/x.png': '',
    });
    assert.deepEqual(keys((await checkSite(files)).findings), ['p.md:3 image-alt-missing', 'p.md:5 image-alt-missing']);
  });
});

describe('attribution report, formatters and hover', () => {
  const files = site({
    'README.md': readme + '\n![A fractal view of belonging](.gitbook/assets/fractal.jpg)\n',
    'articles/update.md':
      '# Update\n\n![Weaving image by Wei Cheng Wu on Unsplash](../.gitbook/assets/weaving-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg)\n\nText.\n',
    'articles/again.md':
      '---\nauthor: Jane Doe\n---\n\n# Again, by "Jane", with a comma\n\n![Weaving](../.gitbook/assets/weaving-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg)\n\n![Loom](https://cdn.example.org/loom.png)\n\n_"[Loom](https://example.org/loom)" by Ana Lima, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)_\n',
    '.gitbook/assets/fractal.jpg': '',
    '.gitbook/assets/weaving-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg': '',
  });

  test('every asset with its credit, verdict and pages; every page with its authors', async () => {
    const { project } = await checkSite(files);
    const report = attributionReport(project.index);
    assert.equal(report.site.license, 'CC-BY-SA-4.0');
    assert.equal(report.site.defaultAuthor, 'Richard D. Bartlett');
    const byKey = new Map(report.items.map((i) => [i.key, i]));
    const weaving = byKey.get('.gitbook/assets/weaving-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg')!;
    assert.equal(weaving.thirdParty, true);
    assert.equal(weaving.verdict, 'incompatible');
    assert.equal(weaving.author, 'Wei Cheng Wu');
    assert.deepEqual(weaving.license, {
      id: 'LicenseRef-Unsplash',
      name: 'the Unsplash License',
      url: 'https://unsplash.com/license',
      implied: true,
    });
    assert.deepEqual(weaving.uses.map((u) => `${u.path}:${u.line}`).sort(), [
      'articles/again.md:7',
      'articles/update.md:3',
    ]);
    assert.deepEqual(weaving.missing, ['Source', 'License']);
    const loom = byKey.get('https://cdn.example.org/loom.png')!;
    assert.deepEqual(
      [loom.verdict, loom.title, loom.author, loom.source, loom.license?.id, loom.missing],
      ['compatible', 'Loom', 'Ana Lima', 'https://example.org/loom', 'CC-BY-4.0', []],
    );
    const fractal = byKey.get('.gitbook/assets/fractal.jpg')!;
    assert.deepEqual([fractal.thirdParty, fractal.verdict], [false, 'compatible']);
    assert.deepEqual(report.summary, {
      assets: 3,
      thirdParty: 2,
      compatible: 1,
      incompatible: 1,
      unknown: 0,
      incomplete: 1,
      uncredited: 0,
    });
    assert.deepEqual(
      report.pages.map((p) => [p.path, p.authors.join('+'), p.authorsFrom]),
      [
        ['README.md', 'Richard D. Bartlett', 'default author'],
        ['articles/again.md', 'Jane Doe', 'front-matter'],
        ['articles/update.md', 'Richard D. Bartlett', 'default author'],
      ],
    );

    const json = JSON.parse(formatAttributionJson(report));
    assert.deepEqual(json, JSON.parse(JSON.stringify(report)));
    const csv = formatAttributionCsv(report);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'kind,key,third_party,title,author,source,license,license_name,verdict,reason,missing,pages',
    );
    assert.equal(lines.length, 1 + report.items.length + report.pages.length);
    assert.ok(
      lines.some((l) => l.startsWith('page,articles/again.md,false,"Again, by ""Jane"", with a comma",Jane Doe,')),
      'quotes and commas are escaped',
    );
    const md = formatAttributionMarkdown(report);
    assert.match(md, /^# Attribution report/);
    assert.match(
      md,
      /\| `\.gitbook\/assets\/weaving-by-wei-cheng-wu-on-unsplash-r7lswitk0le\.jpg` \| Weaving \| Wei Cheng Wu \| — \| \[the Unsplash License\]\(https:\/\/unsplash.com\/license\) \(implied\) \| ✗ incompatible/,
    );
    assert.match(md, /## The site's own assets\n\n- `\.gitbook\/assets\/fractal\.jpg`/);
    assert.match(
      md,
      /\| \[Again, by "Jane", with a comma\]\(articles\/again\.md\) \| Jane Doe \(front-matter\) \| CC BY-SA 4\.0 \|/,
    );
  });

  test('a scope limits the pages', async () => {
    const { project } = await checkSite(files);
    const report = attributionReport(project.index, { scope: 'articles/update.md' });
    assert.deepEqual(
      report.pages.map((p) => p.path),
      ['articles/update.md'],
    );
    assert.deepEqual(
      report.items.map((i) => i.key),
      ['.gitbook/assets/weaving-by-wei-cheng-wu-on-unsplash-r7lswitk0le.jpg'],
    );
  });

  test("hover on an image: its credit and verdict; the site's own image says so", async () => {
    const { project } = await checkSite(files);
    const page = text(files.get('articles/update.md')!);
    const hover = attributionHover(project.index, 'articles/update.md', page.indexOf('weaving-by'));
    assert.ok(hover);
    assert.match(hover.markdown, /Third-party image/);
    assert.match(hover.markdown, /Author: Wei Cheng Wu/);
    assert.match(hover.markdown, /✗ incompatible/);
    const home = text(files.get('README.md')!);
    assert.match(
      attributionHover(project.index, 'README.md', home.indexOf('fractal.jpg'))!.markdown,
      /site's own image/,
    );
    assert.equal(attributionHover(project.index, 'README.md', 0), undefined);
  });

  test('creditMarkdown escapes Markdown in titles and names', () => {
    assert.equal(
      creditMarkdown({
        title: 'A *bold* [claim]',
        author: 'J_D',
        sourceUrl: 'https://example.org/a b',
        license: 'public domain',
      }),
      '"[A \\*bold\\* \\[claim\\]](https://example.org/a%20b)" by J\\_D is in the public domain.',
    );
  });
});

// Credits as the living handbook writes them (passages from microsolidarity/handbook, CC BY-SA 4.0, Richard D. Bartlett unless stated).
describe('credits on the living handbook', () => {
  test('a page-level adaption note reads the original: title and source from its link, author from "from the …"; only the license is missing', async () => {
    const page = `# Case Clinic

By Theory U

_Credit: this is an adaption from the official_ [_**Case Clinic recipe**_](https://www.u-school.org/caseclinic) _from the_ [_**Presencing Institute**_](https://www.presencing.org/)_. If you want to learn about this methodology, check out_ [_**u.lab**_](https://www.u-school.org/programs)_._

## Overview

Case Clinics are a peer support practice for a group of 3 - 5 people.
`;
    const { project, findings } = await checkSite(site({ 'README.md': readme, 'articles/case-clinic.md': page }));
    const [a] = (await import('../../server/src/engine/attribution/assess')).assessPage(
      project.index,
      'articles/case-clinic.md',
    );
    assert.ok(a && a.item.kind === 'adapted' && a.item.page, 'a note in italics at the top speaks for the page');
    assert.deepEqual(
      [a.credit.title, a.credit.author, a.credit.source, a.missing],
      ['Case Clinic recipe', 'Presencing Institute', 'https://www.u-school.org/caseclinic', ['License']],
    );
    const f = ours(findings).filter((x) => x.path === 'articles/case-clinic.md');
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.message]),
      [
        [
          'attribution-incomplete',
          'Unexpected credit for page adapted from `Case Clinic recipe` without License, expected it in the credit',
        ],
      ],
    );
  });

  test('a quotation credited after its closing quotation mark ("… – Riane Eisler, [Partnership 101](…)") is credited; the same words without a source are incomplete, never missing', async () => {
    const quote = (credit: string) =>
      `# From Domination to Partnership\n\nShe described the "**partnership-domination spectrum**" as a lens for understanding groups:\n\n> "In the domination system, somebody has to be on top and somebody has to be on the bottom. People learn, starting in early childhood, to obey orders without question. They learn to carry a harsh voice in their heads telling them they're no good, they don't deserve love, they need to be punished." ${credit}\n`;
    const credited = await checkSite(
      site({
        'README.md': readme,
        'q.md': quote('– Riane Eisler, [Partnership 101](https://rianeeisler.com/partnership-101/)'),
      }),
    );
    assert.deepEqual(keys(credited.findings.filter((f) => f.path === 'q.md')), []);
    const nameOnly = await checkSite(site({ 'README.md': readme, 'q.md': quote('– Riane Eisler') }));
    assert.deepEqual(keys(nameOnly.findings.filter((f) => f.path === 'q.md')), ['q.md:5 attribution-incomplete']);
    assert.match(nameOnly.findings.find((f) => f.ruleId === 'attribution-incomplete')!.message, /without Source/);
  });

  test('a page adapted from its author’s own blog post and signed at its end is that person’s page', async () => {
    const page = `# Community Mastery Board

_Adapted from_ [_my blog post here_](https://becomingtogether.net/2024/03/22/community-mastery/).

**The Community Mastery Board** is a tool for actively shaping your group's culture and norms.

* Jocelyn Endres
`;
    const { findings } = await checkSite(site({ 'README.md': readme, 'articles/mastery-board.md': page }));
    const f = ours(findings).filter((x) => x.path === 'articles/mastery-board.md');
    // Own work: no credit asked for the blog post; the signature names the author to declare.
    assert.deepEqual(
      f.map((x) => x.ruleId),
      ['author-undeclared'],
    );
    assert.equal(
      f[0]!.message,
      'Unexpected page by Jocelyn Endres without a declared author, expected front matter `author: Jocelyn Endres`',
    );
    assert.equal(applyEdits(page, f[0]!.suggestions![0]!.edits).text, `---\nauthor: Jocelyn Endres\n---\n\n${page}`);
  });

  test('photos uploaded to the site’s own repository are the site’s own; the same upload in another repository is not', async () => {
    const home = `${readme}\nDownload the [pdf](https://github.com/microsolidarity/handbook/raw/master/print%20export/Microsolidarity.pdf).\n`;
    const camp = (repo: string) =>
      `# EU Summer Camp 2024\n\n<img src="https://github.com/${repo}/assets/71654862/ea203ac1-75d6-4191-89e6-b175fd32bdfe" alt="The camp from above">\n`;
    const own = await checkSite(
      site({
        'README.md': home,
        'print export/Microsolidarity.pdf': '%PDF',
        'camp.md': camp('microsolidarity/handbook'),
      }),
    );
    assert.deepEqual(keys(own.findings.filter((f) => f.path === 'camp.md')), []);
    const other = await checkSite(
      site({ 'README.md': home, 'print export/Microsolidarity.pdf': '%PDF', 'camp.md': camp('someone/elses') }),
    );
    assert.deepEqual(keys(other.findings.filter((f) => f.path === 'camp.md')), ['camp.md:3 attribution-missing']);
    assert.match(
      other.findings.find((f) => f.ruleId === 'attribution-missing')!.message +
        ' ' +
        (other.findings.find((f) => f.ruleId === 'attribution-missing')!.note ?? ''),
      /loaded from github\.com/,
    );
  });
});
