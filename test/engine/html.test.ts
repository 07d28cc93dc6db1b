/** The HTML layer: the `<img>`, `<a>`, `<figure>` and anchors GitBook writes into Markdown. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/parse/markdown';
import { decodeEntities, scanHtml, type HtmlLayer } from '../../server/src/engine/parse/html';

function scan(text: string): HtmlLayer {
  return parseDocument('page.md', text).html;
}

/** The source text a span covers. */
const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('HTML elements', () => {
  test('GitBook figure: img src and alt, with spaces and parentheses in the file name', () => {
    const text =
      'Intro\n\n<figure><img src="../.gitbook/assets/image (1) (1).png" alt="A circle of chairs"><figcaption><p>Chairs</p></figcaption></figure>\n';
    const { elements } = scan(text);
    assert.deepEqual(
      elements.map((e) => e.name),
      ['figure', 'img', 'figcaption'],
    );
    const img = elements[1]!;
    assert.equal(img.attributes['src']!.value, '../.gitbook/assets/image (1) (1).png');
    assert.equal(at(text, img.attributes['src']!.span), '../.gitbook/assets/image (1) (1).png');
    assert.equal(img.attributes['alt']!.value, 'A circle of chairs');
    assert.equal(at(text, img.span), '<img src="../.gitbook/assets/image (1) (1).png" alt="A circle of chairs">');
  });

  test('values: entities decoded, GitBook escapes removed, spans on the raw text', () => {
    const text =
      '<img src="../.gitbook/assets/burning-\\_sassetta.jpg" alt="Captain Planet &amp; the Planeteers &#x2014; a still">\n';
    const img = scan(text).elements[0]!;
    assert.equal(img.attributes['src']!.value, '../.gitbook/assets/burning-_sassetta.jpg');
    assert.equal(at(text, img.attributes['src']!.span), '../.gitbook/assets/burning-\\_sassetta.jpg');
    assert.equal(img.attributes['alt']!.value, 'Captain Planet & the Planeteers — a still');
  });

  test("single quotes, no quotes, upper case, '>' inside a quoted value", () => {
    const text = '<IMG SRC=\'a.png\' ALT="x > y"> <img src=b.png> <a href="c.md" title=\'d\'>c</a>\n';
    const els = scan(text).elements;
    assert.deepEqual(
      els.map((e) => [e.name, e.attributes['src']?.value ?? e.attributes['href']?.value]),
      [
        ['img', 'a.png'],
        ['img', 'b.png'],
        ['a', 'c.md'],
      ],
    );
    assert.equal(els[0]!.attributes['alt']!.value, 'x > y');
    assert.equal(at(text, els[1]!.attributes['src']!.span), 'b.png');
    assert.equal(at(text, els[2]!.attributes['href']!.span), 'c.md');
  });

  test('elements in code and comments are ignored', () => {
    const text =
      '`<img src="a.png">`\n\n```html\n<img src="b.png">\n```\n\n<!-- <img src="c.png"> -->\n\n<img src="d.png">\n';
    assert.deepEqual(
      scan(text).elements.map((e) => e.attributes['src']?.value),
      ['d.png'],
    );
  });

  test('a document without "<" is cheap and empty', () => {
    assert.deepEqual(
      scanHtml('Plain text.', () => false),
      { elements: [], figures: [], anchors: [] },
    );
  });
});

describe('HTML anchors and figures', () => {
  test('id and name on any element are anchors; data-id is not; code is not', () => {
    const text =
      '<a id="credits"></a>\n<div class="x" id="faq"></div>\n<a name="old-anchor"></a>\n<span data-id="nope"></span>\n\n`<a id="in-code"></a>`\n';
    assert.deepEqual(scan(text).anchors, ['credits', 'faq', 'old-anchor']);
  });

  test('figure captions: text without tags, entities decoded, span on the inner source', () => {
    const text =
      '<figure><img src="a.png" alt=""><figcaption><p>Photo by <a href="https://unsplash.com">Wei Cheng Wu</a> on Unsplash &amp; more</p></figcaption></figure>\n\n<figure><img src="b.png"></figure>\n';
    const { figures } = scan(text);
    assert.equal(figures.length, 2);
    assert.equal(figures[0]!.caption!.text, 'Photo by Wei Cheng Wu on Unsplash & more');
    assert.equal(
      at(text, figures[0]!.caption!.span),
      '<p>Photo by <a href="https://unsplash.com">Wei Cheng Wu</a> on Unsplash &amp; more</p>',
    );
    assert.equal(figures[1]!.caption, undefined);
    assert.ok(at(text, figures[1]!.span).startsWith('<figure><img src="b.png">'));
  });

  test('decodeEntities: named, decimal, hex; unknown and out-of-range left as written', () => {
    assert.equal(
      decodeEntities('&lt;a&gt; &quot;b&quot; &apos;c&apos; &amp;amp; &#8212; &#x2019;&#x20;&nbsp;'),
      '<a> "b" \'c\' &amp; — ’ \u00a0',
    );
    assert.equal(decodeEntities('&copy; &#x110000; &#0;'), '&copy; &#x110000; &#0;');
  });
});
