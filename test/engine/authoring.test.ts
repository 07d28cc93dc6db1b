/**
 * The extension's pure writing helpers, without VS Code: SUMMARY.md places
 * and insertions ("New article…"), page templates, and the preview's
 * markdown-it plugin over a plain markdown-it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import {
  findPlace,
  folderForPlace,
  parseSummary,
  slugFileName,
  summaryInsertion,
  summaryPlaces,
} from '../../client/src/commands/summary';
import {
  builtInArticleTemplate,
  renderTemplate,
  yamlScalar,
  type TemplateValues,
} from '../../client/src/templates/index';
import {
  embedImage,
  extendMarkdownIt,
  frontMatterDescription,
  isSafeUrl,
  parseTagLine,
  type MarkdownIt as PluginMd,
  type PreviewHost,
} from '../../client/src/preview/markdownIt';
import { matcherOf, pageTitleOf } from '../../client/src/preview/pageText';

const summaryText = [
  '# Table of contents',
  '',
  '* [Home](README.md)',
  '* [Crews](articles/crews.md)',
  '  * [The first meeting](articles/meeting.md)',
  '    * [Agenda](articles/agenda.md)',
  '* [The proposal](articles/proposal.md)',
  '',
  '## Congregating',
  '',
  '* [Congregating](congregating/README.md)',
  '  * [Hosting gatherings](congregating/hosting-gatherings.md)',
  '',
  '## Empty group',
  '',
  '## Last',
  '',
  '- [Notes](notes/notes.md)',
  '',
].join('\n');

function insert(text: string, at: { line: number; character: number; text: string }): string {
  const lines = text.split('\n');
  const offset = lines.slice(0, at.line).reduce((n, l) => n + l.length + 1, 0) + at.character;
  return text.slice(0, offset) + at.text + text.slice(offset);
}

describe('SUMMARY.md places and insertions', () => {
  const s = parseSummary(summaryText);
  const places = summaryPlaces(s);
  const place = (name: string) => {
    const p = findPlace(s, places, name);
    assert.ok(p, `no place ${name}`);
    return p;
  };

  test('groups and pages, in file order', () => {
    assert.deepEqual(
      places.map((p) => `${p.kind}:${p.label}`),
      [
        'group:Top level',
        'page:Home',
        'page:Crews',
        'page:The first meeting',
        'page:Agenda',
        'page:The proposal',
        'group:Congregating',
        'page:Congregating',
        'page:Hosting gatherings',
        'group:Empty group',
        'group:Last',
        'page:Notes',
      ],
    );
    assert.equal(s.indentUnit, '  ');
    assert.equal(s.bullet, '*');
  });

  test("a page goes after the last line of the parent's subtree, one level deeper, as one new line", () => {
    const at = summaryInsertion(s, place('Crews'), 'Sharing [meals]', 'articles/sharing%20meals.md');
    const out = insert(summaryText, at);
    const lines = out.split('\n');
    assert.equal(lines[6], '  * [Sharing \\[meals\\]](articles/sharing%20meals.md)');
    assert.equal(lines[5], '    * [Agenda](articles/agenda.md)');
    assert.equal(out.replace(lines[6] + '\n', ''), summaryText, 'more than one line changed');
  });

  test('a group gets the page at the end of its top level; a name prefers the group over a page of the same title', () => {
    const at = summaryInsertion(s, place('congregating'), 'Closing', 'congregating/closing.md');
    assert.equal(place('Congregating').kind, 'group');
    const lines = insert(summaryText, at).split('\n');
    assert.equal(lines[12], '* [Closing](congregating/closing.md)');
    assert.equal(lines[11], '  * [Hosting gatherings](congregating/hosting-gatherings.md)');
  });

  test("an empty group, the leading group, a page found by its path, a file's own bullet and CRLF", () => {
    assert.equal(
      insert(summaryText, summaryInsertion(s, place('Empty group'), 'X', 'x.md'))
        .split('\n')
        .slice(13, 17)
        .join('|'),
      '## Empty group||* [X](x.md)|',
    );
    assert.equal(
      insert(summaryText, summaryInsertion(s, place('Top level'), 'X', 'x.md')).split('\n')[7],
      '* [X](x.md)',
    );
    assert.equal(insert(summaryText, summaryInsertion(s, place('Last'), 'X', 'x.md')).split('\n')[18], '- [X](x.md)');
    assert.equal(findPlace(s, places, 'articles/meeting.md')?.label, 'The first meeting');
    const crlf = parseSummary(summaryText.replace(/\n/g, '\r\n'));
    const at = summaryInsertion(crlf, findPlace(crlf, summaryPlaces(crlf), 'Crews')!, 'X', 'x.md');
    assert.equal(at.text, '\r\n  * [X](x.md)');
  });

  test("the folder of a new page: beside its parent, inside a README's folder, the group's folder", () => {
    const none = () => false;
    assert.equal(folderForPlace(s, place('Crews'), none), 'articles');
    assert.equal(
      folderForPlace(s, place('Crews'), (p) => p === 'articles/crews'),
      'articles/crews',
    );
    assert.equal(folderForPlace(s, findPlace(s, places, 'congregating/README.md')!, none), 'congregating');
    assert.equal(folderForPlace(s, place('congregating'), none), 'congregating');
    // Top level: README.md at the root, two pages in articles/ (children not counted).
    assert.equal(folderForPlace(s, place('Top level'), none), 'articles');
    // A tie goes to the folder nearer the root.
    const tie = parseSummary('* [A](a.md)\n* [B](x/b.md)\n');
    assert.equal(folderForPlace(tie, summaryPlaces(tie)[0]!, none), '');
    assert.equal(folderForPlace(s, place('Empty group'), none), '');
  });

  test('file names from titles', () => {
    assert.equal(slugFileName('Sharing meals'), 'sharing-meals.md');
    assert.equal(slugFileName("Crew's first Café: a how-to!"), 'crews-first-cafe-a-how-to.md');
    assert.equal(slugFileName('???'), 'new-page.md');
  });
});

describe('page templates', () => {
  const values: TemplateValues = {
    title: 'Sharing meals',
    description: 'How to share: food',
    author: 'Jane Doe',
    defaultAuthor: 'Richard D. Bartlett',
    proposalLink: '../articles/proposal.md',
    proposalTitle: 'the original proposal',
    license: 'CC-BY-SA-4.0',
    licenseName: 'CC BY-SA 4.0',
    licenseUrl: 'https://creativecommons.org/licenses/by-sa/4.0/',
    date: '2026-01-01',
    fileName: 'sharing-meals.md',
  };

  test('the built-in template: front matter, title, a paragraph linking the proposal, credits; the description only once', () => {
    const out = renderTemplate(builtInArticleTemplate, values);
    // GitBook shows the front matter description under the title: the page does not repeat it.
    assert.match(
      out,
      /^---\ndescription: "How to share: food"\nauthor: Jane Doe\n---\n\n# Sharing meals\n\nThis page builds on the ideas of \[the original proposal\]\(\.\.\/articles\/proposal\.md\)\.\n\n## Credits\n\nWritten by Jane Doe\./,
    );
    assert.equal(out.split('How to share: food').length, 2, 'the description appears once');
    const plain = renderTemplate(builtInArticleTemplate, { ...values, author: '', description: '', proposalLink: '' });
    assert.equal(
      plain,
      '---\ndescription: ""\n---\n\n# Sharing meals\n\n## Credits\n\nPublished under the site\'s license, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).\n',
    );
  });

  test('sections, inverted sections, standalone tags, unknown names', () => {
    assert.equal(
      renderTemplate('a\n{{#author}}\nby {{author}}\n{{/author}}\n{{^author}}\nanon\n{{/author}}\nz', {
        ...values,
        author: '',
      }),
      'a\nanon\nz\n',
    );
    assert.equal(
      renderTemplate('{{#author}}[{{#licenseUrl}}{{licenseName}}{{/licenseUrl}}]{{/author}} {{nothing}}.', values),
      '[CC BY-SA 4.0] .\n',
    );
  });

  test('YAML scalars are quoted only when they must be', () => {
    assert.equal(yamlScalar('A plain sentence, with a comma.'), 'A plain sentence, with a comma.');
    for (const v of ['key: value', 'yes', '#tag', '- item', '"quoted"', 'ends with:', '12'])
      assert.equal(yamlScalar(v), JSON.stringify(v), v);
    assert.equal(yamlScalar(''), '""');
  });
});

describe('preview plugin (markdown-it)', () => {
  const host = (over: Partial<PreviewHost> = {}): PreviewHost => ({
    enabled: () => true,
    allowRemoteContent: () => false,
    glossary: () =>
      matcherOf([{ term: 'Crew', forms: ['Crew', 'Crews', "Crew's"], definition: 'a small <group> of "peers"' }]),
    exists: (_doc, href) => !href.includes('missing'),
    pageTitle: (_doc, href) => (href === 'page.md' ? 'The Page' : undefined),
    ...over,
  });
  const render = (src: string, over?: Partial<PreviewHost>) => {
    const md = new MarkdownIt({ html: true });
    extendMarkdownIt(md as unknown as PluginMd, host(over));
    return md.render(src, { currentDocument: 'doc' });
  };

  test('tags: a whole line, attributes in both quotes, nothing else', () => {
    assert.deepEqual(parseTagLine('{% hint style="info" %}'), {
      name: 'hint',
      attrs: { style: 'info' },
      raw: '{% hint style="info" %}',
    });
    assert.deepEqual(parseTagLine("  {% embed url='https://x.org/a?b=1' %}  ")?.attrs, { url: 'https://x.org/a?b=1' });
    assert.equal(parseTagLine('text {% hint %}'), undefined);
    assert.equal(parseTagLine('{% hint style="info" %} text'), undefined);
  });

  test('nested blocks, an unclosed block left as text, terms only outside links and headings', () => {
    const html = render(
      '# Crew\n\n{% tabs %}\n{% tab title="A" %}\n{% hint style="danger" %}\nCrews meet.\n{% endhint %}\n{% endtab %}\n{% endtabs %}\n\n[Crew](page.md) and the Crew\'s table.\n\n{% hint style="info" %}\nnever closed\n',
    );
    assert.match(
      html,
      /<div class="msol-tabs">\s*<section class="msol-tab"><div class="msol-tab-title">A<\/div><div class="msol-tab-body">\s*<div class="msol-hint msol-hint-danger"[\s\S]*?<span class="msol-term" data-term="Crew" title="Crew: a small &lt;group&gt; of &quot;peers&quot;">Crews<\/span> meet\./,
    );
    assert.match(html, /<h1>Crew<\/h1>/);
    assert.match(html, /<a href="page.md">Crew<\/a> and the <span class="msol-term"[^>]*>Crew's<\/span> table/);
    assert.match(html, /<p>\{% hint style=&quot;info&quot; %\}\nnever closed<\/p>/);
  });

  test('cached tokens: the same tokens render what is true at each render', () => {
    const md = new MarkdownIt({ html: true });
    let on = true;
    let present = false;
    extendMarkdownIt(md as unknown as PluginMd, host({ enabled: () => on, exists: () => present }));
    const tokens = md.parse('[a](a.md)\n\n{% hint style="info" %}\nx\n{% endhint %}\n', {});
    const r = () => md.renderer.render(tokens, md.options, { currentDocument: 'doc' });
    assert.match(r(), /msol-broken-link/);
    present = true;
    assert.doesNotMatch(r(), /msol-broken-link/);
    on = false;
    assert.doesNotMatch(r(), /msol-/);
    on = true;
    present = false;
    assert.match(
      r(),
      /<div class="msol-preview">\n<p><a href="a.md" class="msol-broken-link"[^>]*>a<\/a><\/p>\n<div class="msol-hint msol-hint-info"/,
    );
  });

  test('an HTML <a href> to a missing file is marked like a Markdown link; one that exists, or leaves the site, is not', () => {
    const exists = (_doc: unknown, href: string) => !href.startsWith('gone');
    const inline = render('See <a href="gone.md">the gone page</a> and <a href="here.md">this one</a>.\n', { exists });
    assert.match(inline, /<a href="gone.md" class="msol-broken-link" title="Missing file: gone.md">the gone page<\/a>/);
    assert.match(inline, /<a href="here.md">this one<\/a>/);
    const block = render(
      "<table><tr><td><a class='cell' href='gone%20page.md#x'>x</a></td><td><a href=\"https://x.org/gone.md\">y</a></td></tr></table>\n",
      { exists },
    );
    assert.match(
      block,
      /<a class="cell msol-broken-link" href='gone%20page.md#x' title="Missing file: gone page.md#x">x<\/a>/,
    );
    assert.match(block, /<a href="https:\/\/x.org\/gone.md">y<\/a>/);
    assert.doesNotMatch(render('See <a href="gone.md">x</a>.\n', { exists, enabled: () => false }), /msol-broken-link/);
  });

  test('front matter descriptions: plain, quoted, folded', () => {
    assert.equal(frontMatterDescription('title: x\ndescription: A page.'), 'A page.');
    assert.equal(frontMatterDescription('description: "Say \\"hi\\": now"'), 'Say "hi": now');
    assert.equal(frontMatterDescription("description: 'It''s here'"), "It's here");
    assert.equal(frontMatterDescription('description: >-\n  Two\n  lines.\nauthor: x'), 'Two lines.');
    assert.equal(frontMatterDescription('author: x'), undefined);
    // Without VS Code's front matter plugin the plugin reads the block itself.
    assert.match(
      render('---\ndescription: The lead.\n---\n\n# Title\n'),
      /<h1>Title<\/h1>\n<p class="msol-lead">The lead\.<\/p>/,
    );
  });

  test('safe URLs and remote images', () => {
    for (const u of ['https://x.org', 'http://x.org', 'mailto:a@b.org', 'page.md', '../a/b.md#h', '#top'])
      assert.equal(isSafeUrl(u), true, u);
    for (const u of [
      'command:workbench.action.quit',
      'javascript:alert(1)',
      'JAVASCRIPT:x',
      'vscode://x',
      'data:text/html,x',
      '//evil.org/x',
      'java\tscript:x',
      '',
    ])
      assert.equal(isSafeUrl(u), false, u);
    assert.equal(embedImage('https://youtu.be/abcdefghijk'), 'https://i.ytimg.com/vi/abcdefghijk/hqdefault.jpg');
    assert.equal(
      embedImage('https://www.youtube.com/watch?v=abcdefghijk&t=3'),
      'https://i.ytimg.com/vi/abcdefghijk/hqdefault.jpg',
    );
    assert.equal(embedImage('https://example.org/a.png'), 'https://example.org/a.png');
    assert.equal(embedImage('https://example.org/page'), undefined);
    assert.equal(embedImage('javascript:alert(1)'), undefined);
    const html = render('{% embed url="https://youtu.be/abcdefghijk" %}\n', { allowRemoteContent: () => true });
    assert.match(html, /<img class="msol-embed-image" src="https:\/\/i\.ytimg\.com\/vi\/abcdefghijk\/hqdefault\.jpg"/);
    assert.doesNotMatch(render('{% embed url="https://youtu.be/abcdefghijk" %}\n'), /<img/);
    assert.doesNotMatch(
      render(
        '{% embed url="javascript:alert(1)" %}\n{% content-ref url="command:x" %}\n[x](command:x)\n{% endcontent-ref %}\n{% file src="vscode://x" %}\n',
      ),
      /href="(?:javascript|command|vscode):/,
    );
  });

  test('page titles and the term matcher', () => {
    assert.equal(pageTitleOf('---\ntitle: no\n---\n# The *real* title\n'), 'The real title');
    assert.equal(pageTitleOf('Setext\n===\n'), 'Setext');
    assert.equal(pageTitleOf('no title'), undefined);
    const m = matcherOf([{ term: 'Crew', forms: ['Crew', 'Crews', 'Crew’s'], definition: 'd' }]);
    m.pattern!.lastIndex = 0;
    const words = [...'crewmate, Crews, crew’s and CREW'.matchAll(m.pattern!)].map((x) => x[0]);
    assert.deepEqual(words, ['Crews', 'crew’s', 'CREW']);
    assert.equal(m.lookup("crew's")?.term, 'Crew');
  });
});
