/** Phase one: what a page says about itself, with spans that address the text exactly. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/parse/markdown';
import {
  extractFacts,
  isWhiteSpace,
  parseLocalUrl,
  type FileFacts,
  type Reference,
} from '../../server/src/engine/facts';
import { LineIndex } from '../../server/src/engine/text';

function facts(text: string, path = 'articles/page.md'): FileFacts {
  return extractFacts(parseDocument(path, text));
}

const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

/** Each reference as [kind, url, the raw destination its urlSpan covers]. */
function refs(text: string): Array<[Reference['kind'], string, string]> {
  return facts(text).references.map((r) => [r.kind, r.url, at(text, r.urlSpan)]);
}

describe('references: exact url spans', () => {
  test('inline links: plain, with a title, in angle brackets, with balanced and escaped parentheses', () => {
    const text = [
      '[a](proposal.md) [b](proposal.md "The proposal") [c](<../.gitbook/assets/anatomical heart.png>)',
      '[d](../.gitbook/assets/image-(1).png) [e](image-\\(2\\).png) [f](  spaced.md  )',
    ].join('\n');
    assert.deepEqual(refs(text), [
      ['link', 'proposal.md', 'proposal.md'],
      ['link', 'proposal.md', 'proposal.md'],
      ['link', '../.gitbook/assets/anatomical heart.png', '../.gitbook/assets/anatomical heart.png'],
      ['link', '../.gitbook/assets/image-(1).png', '../.gitbook/assets/image-(1).png'],
      ['link', 'image-(2).png', 'image-\\(2\\).png'],
      ['link', 'spaced.md', 'spaced.md'],
    ]);
  });

  test('images with nested brackets in the alt text, a linked image, a code span with brackets', () => {
    const text = '![a [bracketed] word](a.png) [![heart](heart.png)](proposal.md) [`a]b`](code.md)';
    assert.deepEqual(refs(text), [
      ['image', 'a.png', 'a.png'],
      ['link', 'proposal.md', 'proposal.md'],
      ['image', 'heart.png', 'heart.png'],
      ['link', 'code.md', 'code.md'],
    ]);
    const r = facts(text).references;
    assert.equal(r[0]!.text, 'a [bracketed] word');
    assert.equal(at(text, r[1]!.span), '[![heart](heart.png)](proposal.md)');
  });

  test('GitBook escapes and entities are resolved in url, kept in rawUrl; percent-escapes are kept', () => {
    const text = '![x](../.gitbook/assets/burning-\\_sassetta.jpg) [y](a%20b.md?x=1&amp;y=2#part-1)';
    const [img, link] = facts(text).references;
    assert.equal(img!.url, '../.gitbook/assets/burning-_sassetta.jpg');
    assert.equal(img!.rawUrl, '../.gitbook/assets/burning-\\_sassetta.jpg');
    assert.equal(link!.url, 'a%20b.md?x=1&y=2#part-1');
    assert.equal(link!.rawUrl, 'a%20b.md?x=1&amp;y=2#part-1');
  });

  test('definitions: plain, titled, angle brackets, title on the next line; references to them add nothing', () => {
    const text = [
      'A [ref][prop] and [other][].',
      '',
      '[prop]: proposal.md "The proposal"',
      '[other]: <../a b.md>',
      '[third]:',
      '  third.md',
      "  'Title'",
      '',
    ].join('\n');
    assert.deepEqual(refs(text), [
      ['definition', 'proposal.md', 'proposal.md'],
      ['definition', '../a b.md', '../a b.md'],
      ['definition', 'third.md', 'third.md'],
    ]);
  });

  test('autolinks and bare URLs are not references; links in code, front matter and comments are not either', () => {
    const text =
      '---\ndescription: "[fm](fm.md)"\n---\n\n<https://www.microsolidarity.cc> www.example.org `[c](c.md)`\n\n```\n[d](d.md)\n```\n\n<!-- [e](e.md) -->\n[f](f.md)\n';
    assert.deepEqual(refs(text), [['link', 'f.md', 'f.md']]);
  });

  test('HTML and GitBook references, sorted by position', () => {
    const text = [
      '<figure><img src="../.gitbook/assets/image (1).png" alt="Chairs"><figcaption></figcaption></figure>',
      '',
      '<a href="proposal.md">p</a>',
      '',
      '{% content-ref url="proposal.md" %}',
      '[proposal.md](proposal.md)',
      '{% endcontent-ref %}',
      '{% file src="../.gitbook/assets/handout.pdf" %}',
      '{% page-ref page="crew.md" %}',
      '{% embed url="https://anchor.fm/x" %}',
      '',
    ].join('\n');
    assert.deepEqual(refs(text), [
      ['html-img', '../.gitbook/assets/image (1).png', '../.gitbook/assets/image (1).png'],
      ['html-link', 'proposal.md', 'proposal.md'],
      ['content-ref', 'proposal.md', 'proposal.md'],
      ['link', 'proposal.md', 'proposal.md'],
      ['file', '../.gitbook/assets/handout.pdf', '../.gitbook/assets/handout.pdf'],
      ['page-ref', 'crew.md', 'crew.md'],
      ['embed', 'https://anchor.fm/x', 'https://anchor.fm/x'],
    ]);
    assert.equal(facts(text).references[0]!.text, 'Chairs');
  });

  test('list depth (for SUMMARY.md) and the section a reference stands under', () => {
    const text =
      '[before](a.md)\n\n# Title\n\n* [one](one.md)\n  * [two](two.md)\n    * [three](three.md)\n\n## Next\n\n<img src="x.png">\n';
    const r = facts(text).references;
    assert.deepEqual(
      r.map((x) => [x.url, x.listDepth, x.section]),
      [
        ['a.md', 0, -1],
        ['one.md', 1, 0],
        ['two.md', 2, 0],
        ['three.md', 3, 0],
        ['x.png', 0, 1],
      ],
    );
  });
});

describe('headings and anchors', () => {
  test('GitBook slugs of the handbook headings', () => {
    const text = [
      '# Proposal',
      '## Part 1. Collapse',
      '#### 3: the Crew',
      '## Microsolidarity Part 2: Groups of Groups',
      '## \\#1: Proposal',
      '## People, Practices & Place',
      '## Part 1. Collapse&#x20;',
      '## The *Crew* and `code`',
      '## See [the hub](proposal.md)',
      'Über uns',
      '--------',
      '## Notes',
      '## Notes',
      '',
    ].join('\n');
    assert.deepEqual(
      facts(text).headings.map((h) => [h.depth, h.slug]),
      [
        [1, 'proposal'],
        [2, 'part-1-collapse'],
        [4, '3-the-crew'],
        [2, 'microsolidarity-part-2-groups-of-groups'],
        [2, '1-proposal'],
        [2, 'people-practices--place'],
        [2, 'part-1-collapse-1'],
        [2, 'the-crew-and-code'],
        [2, 'see-the-hub'],
        [2, 'über-uns'],
        [2, 'notes'],
        [2, 'notes-1'],
      ],
    );
  });

  test('heading text and span; anchors are slugs then HTML ids; the title is the H1 unless front matter names one', () => {
    const text = '# The Crew\n\nText <a id="credits"></a>\n\n## Forming\n';
    const f = facts(text);
    assert.equal(f.headings[0]!.text, 'The Crew');
    assert.equal(at(text, f.headings[1]!.span), '## Forming');
    assert.deepEqual(f.anchors, ['the-crew', 'forming', 'credits']);
    assert.equal(f.title, 'The Crew');
    assert.equal(facts('---\ntitle: Crews\n---\n\n# The Crew\n').title, 'Crews');
    assert.equal(facts('No heading.\n').title, undefined);
  });
});

describe('bold phrases', () => {
  test('text, span, the block they stand in, and their section', () => {
    const text =
      '# Definition of terms\n\n**Crew**: a group of 3 to 12 people, like a __Congregation__ but smaller.\n\n* **Assembly** in a list\n\n| Term |\n| --- |\n| **Dyad** |\n';
    const bold = facts(text).bold;
    assert.deepEqual(
      bold.map((b) => b.text),
      ['Crew', 'Congregation', 'Assembly', 'Dyad'],
    );
    assert.equal(at(text, bold[0]!.span), '**Crew**');
    assert.equal(
      at(text, bold[0]!.blockSpan),
      '**Crew**: a group of 3 to 12 people, like a __Congregation__ but smaller.',
    );
    assert.equal(at(text, bold[2]!.blockSpan), '**Assembly** in a list');
    // A table cell's span is the cell with its pipes, on the row's line.
    assert.match(at(text, bold[3]!.blockSpan), /^\|? ?\*\*Dyad\*\* ?\|?$/);
    assert.deepEqual(
      bold.map((b) => b.section),
      [0, 0, 0, 0],
    );
  });

  test('bold in code is not bold', () => {
    assert.deepEqual(facts('`**Crew**`\n\n```\n**Crew**\n```\n').bold, []);
  });
});

describe('paragraph plain text (blocks)', () => {
  test('white space collapses to one space, GitBook tags and images drop out, bold starts are offsets in the text', () => {
    const text =
      '**Crew**\u00a0is \t a {% hint style="info" %} small\u2003group  \nof ![x](y.png) `4–8`  **people**.  \n';
    const f = facts(text);
    assert.deepEqual(
      f.blocks!.map((b) => b.text),
      ['Crew is a small group of 4–8 people.'],
    );
    assert.deepEqual(
      f.bold.map((b) => [b.text, f.blocks![b.block!]!.text.slice(b.blockOffset, b.blockOffset! + b.text.length)]),
      [
        ['Crew', 'Crew'],
        ['people', 'people'],
      ],
    );
  });

  test('a long paragraph is cut at 2,000 characters, inside a word when it must be', () => {
    const word = 'x'.repeat(1500);
    const text = `**Lead** ${word} ${word}\n`;
    const block = facts(text).blocks![0]!.text;
    assert.equal(block.length, 2000);
    assert.equal(block, `Lead ${word} ${'x'.repeat(2000 - 1506)}`);
  });

  test('random paragraphs: the text is their words joined by single spaces', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pieces = [
      'word',
      'Crew',
      ' ',
      '  ',
      '\t',
      '\u00a0',
      '\u2003',
      '\n',
      '  \n',
      ' **bold** ',
      '*em*',
      '`co de`',
      'x{% hint %}y',
      '’s',
      '-',
    ];
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      let body = '';
      const n = 1 + Math.floor(random() * 40);
      for (let j = 0; j < n; j++) body += pieces[Math.floor(random() * pieces.length)];
      const text = `**Lead** ${body} end\n`;
      const f = facts(text);
      const tree = parseDocument('p.md', text).tree;
      const paragraph = tree.children[0];
      if (paragraph?.type !== 'paragraph') continue;
      // The oracle: every text, code and break value in order, then one regular expression.
      let raw = '';
      const collect = (node: { type: string; value?: string; children?: unknown[] }) => {
        if (node.type === 'text' || node.type === 'inlineCode') raw += node.value!.replace(/\{%[^]*?%\}/g, ' ');
        else if (node.type === 'break') raw += ' ';
        else for (const c of (node.children ?? []) as (typeof node)[]) collect(c);
      };
      collect(paragraph);
      assert.equal(f.blocks![0]!.text, raw.replace(/\s+/g, ' ').trim(), JSON.stringify(text));
      compared++;
    }
    assert.ok(compared > 250, `compared ${compared}`);
  });

  test('the white space it collapses is exactly that of \\s', () => {
    for (let c = 0; c <= 0xffff; c++)
      assert.equal(isWhiteSpace(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
  });
});

describe('directives', () => {
  test('kinds, rule lists (spaces or commas), 0-based lines; look-alikes and code are not directives', () => {
    const text = [
      '<!-- msol-disable -->',
      '<!-- msol-enable link-missing-file -->',
      '<!--msol-disable-next-line link-missing-file,term-case-->',
      'x <!-- msol-disable-line  encoding-mojibake  term-case -->',
      '<!-- msol-disabled link-missing-file -->',
      '`<!-- msol-disable -->`',
      '<!-- expect: link-missing-file -->',
      '',
    ].join('\n');
    assert.deepEqual(
      facts(text).directives.map((d) => [d.kind, d.rules, d.line]),
      [
        ['disable', [], 0],
        ['enable', ['link-missing-file'], 1],
        ['disable-next-line', ['link-missing-file', 'term-case'], 2],
        ['disable-line', ['encoding-mojibake', 'term-case'], 3],
      ],
    );
  });
});

describe('front matter', () => {
  test('an object is kept; invalid YAML is an error with the span of the front matter', () => {
    assert.deepEqual(facts('---\ndescription: The proposal.\nlicense: CC-BY-SA-4.0\n---\n# P\n').frontMatter, {
      description: 'The proposal.',
      license: 'CC-BY-SA-4.0',
    });
    const text = '---\ndescription: [unclosed\n---\n# P\n';
    const f = facts(text);
    assert.equal(f.frontMatter, undefined);
    assert.ok(f.frontMatterError);
    assert.ok(at(text, f.frontMatterError.span).startsWith('---\ndescription'));
  });

  test('a scalar front matter is not an object', () => {
    assert.equal(facts('---\njust text\n---\n').frontMatter, undefined);
  });
});

describe('offsets in BOM and CRLF documents', () => {
  const body =
    '# The Crew\n\n[proposal](proposal.md) **Crew** `code` <!-- msol-disable-line -->\n<img src="a.png">\n{% hint style="info" %}\n';

  for (const [name, text] of [
    ['BOM', '\uFEFF' + body],
    ['CRLF', body.replace(/\n/g, '\r\n')],
    ['BOM + CRLF', '\uFEFF' + body.replace(/\n/g, '\r\n')],
  ] as const) {
    test(`${name}: every span addresses the text as read`, () => {
      const doc = parseDocument('a.md', text);
      const f = extractFacts(doc);
      assert.equal(at(text, f.headings[0]!.span), '# The Crew');
      assert.equal(f.headings[0]!.slug, 'the-crew');
      assert.deepEqual(
        f.references.map((r) => at(text, r.urlSpan)),
        ['proposal.md', 'a.png'],
      );
      assert.equal(at(text, f.references[0]!.span), '[proposal](proposal.md)');
      assert.equal(at(text, f.bold[0]!.span), '**Crew**');
      assert.deepEqual(
        doc.excluded.map((s) => at(text, s)),
        ['`code`', '<!-- msol-disable-line -->'],
      );
      assert.equal(f.directives[0]!.line, 2);
      assert.equal(at(text, doc.gitbook.tags[0]!.span), '{% hint style="info" %}');
      assert.deepEqual(
        f.lineStarts,
        Array.from({ length: new LineIndex(text).lineCount }, (_, i) => new LineIndex(text).lineStart(i)),
      );
    });
  }
});

describe('parseLocalUrl', () => {
  test('external, empty and local URLs; fragments and queries; percent-decoding', () => {
    for (const u of [
      'https://www.microsolidarity.cc/articles/proposal',
      'mailto:a@b.org',
      'tel:+64',
      '//example.org/x.md',
      '',
      '   ',
    ])
      assert.equal(parseLocalUrl(u), undefined, u);
    assert.deepEqual(parseLocalUrl('proposal.md'), { path: 'proposal.md' });
    assert.deepEqual(parseLocalUrl('#part-1-collapse'), { path: '', fragment: 'part-1-collapse' });
    assert.deepEqual(parseLocalUrl('a%20b.md?x=1#%C3%BCber-uns'), { path: 'a b.md', fragment: 'über-uns' });
    assert.deepEqual(parseLocalUrl('bad%zz.md'), { path: 'bad%zz.md' });
    assert.deepEqual(parseLocalUrl('x.md#'), { path: 'x.md', fragment: '' });
  });
});
