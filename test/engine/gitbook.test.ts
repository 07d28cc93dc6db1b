/** The GitBook layer: template tags found in the source, attributes with exact spans, blocks paired. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/parse/markdown';
import { scanGitbook, type GitbookLayer } from '../../server/src/engine/parse/gitbook';

/** Scans a document the way the engine does: outside code, front matter and comments. */
function scan(text: string): GitbookLayer {
  return parseDocument('page.md', text).gitbook;
}

/** Each problem as `kind name@line` (1-based line), for compact assertions. */
function problems(text: string): string[] {
  const layer = scan(text);
  return layer.problems.map(
    (p) => `${p.kind} ${p.tag.closing ? 'end' : ''}${p.tag.name}@${text.slice(0, p.tag.span.start).split('\n').length}`,
  );
}

describe('GitBook tags', () => {
  test('a tag: name, closing, span of the whole tag', () => {
    const text = 'Before {% hint style="info" %}\nHi\n{% endhint %} after';
    const [open, close] = scan(text).tags;
    assert.equal(open?.name, 'hint');
    assert.equal(open?.closing, false);
    assert.equal(text.slice(open!.span.start, open!.span.end), '{% hint style="info" %}');
    assert.equal(close?.name, 'hint');
    assert.equal(close?.closing, true);
    assert.equal(text.slice(close!.span.start, close!.span.end), '{% endhint %}');
  });

  test('attribute values are unescaped, and their spans cover the raw value without quotes', () => {
    const text = `{% file src="../.gitbook/assets/burning-\\_sassetta.jpg" %}\n{% hint style='warning' %}{% endhint %}\n{% hint  Style = danger %}{% endhint %}\n`;
    const tags = scan(text).tags.filter((t) => !t.closing);
    const src = tags[0]!.attributes['src']!;
    assert.equal(src.value, '../.gitbook/assets/burning-_sassetta.jpg');
    assert.equal(text.slice(src.span.start, src.span.end), '../.gitbook/assets/burning-\\_sassetta.jpg');
    const single = tags[1]!.attributes['style']!;
    assert.equal(single.value, 'warning');
    assert.equal(text.slice(single.span.start, single.span.end), 'warning');
    // Attribute names are case-insensitive; unquoted values end at whitespace.
    const bare = tags[2]!.attributes['style']!;
    assert.equal(bare.value, 'danger');
    assert.equal(text.slice(bare.span.start, bare.span.end), 'danger');
  });

  test('several attributes, an empty value, whitespace control and a tag over two lines', () => {
    const text = '{%- code title="a.js" lineNumbers="true" -%}\n{% embed url="" %}\n{% content-ref\n  url="x.md" %}\n';
    const [code, embed, ref] = scan(text).tags;
    assert.equal(code?.name, 'code');
    assert.deepEqual(Object.keys(code!.attributes).sort(), ['linenumbers', 'title']);
    assert.equal(code!.attributes['title']!.value, 'a.js');
    assert.equal(embed!.attributes['url']!.value, '');
    assert.equal(embed!.attributes['url']!.span.start, embed!.attributes['url']!.span.end);
    assert.equal(text.slice(ref!.attributes['url']!.span.start, ref!.attributes['url']!.span.end), 'x.md');
  });

  test('a bare string argument: {% include "x.md" %}', () => {
    const [tag] = scan('{% include "summary.md" %}\n').tags;
    assert.equal(tag?.argument, 'summary.md');
  });

  test('tags in code, front matter and comments are not tags', () => {
    const text = [
      '---',
      'description: "{% hint %}"',
      '---',
      '',
      'Inline `{% hint %}` code.',
      '',
      '```liquid',
      '{% tabs %}',
      '```',
      '',
      '    {% tab %} indented',
      '',
      '<!-- {% hint %} -->',
      '',
      '{% embed url="https://example.org" %}',
      '',
    ].join('\n');
    assert.deepEqual(
      scan(text).tags.map((t) => t.name),
      ['embed'],
    );
  });

  test('plain text with no tag is cheap and empty', () => {
    assert.deepEqual(scanGitbook('No tags here, 100% sure.', []), { tags: [], blocks: [], problems: [] });
  });
});

describe('GitBook blocks', () => {
  test('nested paired tags become blocks, in source order', () => {
    const text =
      '{% tabs %}\n{% tab title="A" %}\n{% hint style="info" %}\nx\n{% endhint %}\n{% endtab %}\n{% endtabs %}\n';
    const layer = scan(text);
    assert.deepEqual(layer.problems, []);
    assert.deepEqual(
      layer.blocks.map((b) => [b.open.name, b.close?.name]),
      [
        ['tabs', 'tabs'],
        ['tab', 'tab'],
        ['hint', 'hint'],
      ],
    );
  });

  test('embed and file may stand alone or close; page-ref never closes', () => {
    const text =
      '{% embed url="a" %}\n{% embed url="b" %}\ncaption\n{% endembed %}\n{% file src="c" %}\n{% page-ref page="d.md" %}\n';
    const layer = scan(text);
    assert.deepEqual(layer.problems, []);
    assert.deepEqual(
      layer.blocks.map((b) => [b.open.attributes['url']?.value ?? b.open.name, b.close !== undefined]),
      [
        ['a', false],
        ['b', true],
        ['file', false],
        ['page-ref', false],
      ],
    );
  });

  test('unclosed at the end, closed twice, and an end tag that closes over an open inner block', () => {
    assert.deepEqual(problems('{% hint style="info" %}\ntext\n'), ['unclosed hint@1']);
    assert.deepEqual(problems('{% hint style="info" %}\n{% endhint %}\n{% endhint %}\n'), ['unopened endhint@3']);
    assert.deepEqual(problems('{% tabs %}\n{% tab title="A" %}\n{% endtabs %}\n'), ['unclosed tab@2']);
    assert.deepEqual(problems('{% hint style="info" %}\n{% tabs %}\n{% endhint %}\n{% endtabs %}\n'), [
      'unclosed tabs@2',
      'unopened endtabs@4',
    ]);
    assert.deepEqual(problems('{% endembed %}\n'), ['unopened endembed@1']);
  });

  test('an end tag in a code block inside a block does not close it', () => {
    const text = '{% hint style="danger" %}\n```\n{% endhint %}\n```\n';
    assert.deepEqual(problems(text), ['unclosed hint@1']);
  });

  test('unknown tags: a close known name is suggested, the rest are only unknown', () => {
    const layer = scan(
      '{% hnit style="info" %}\n{% endhnit %}\n{% youtube id="x" %}\n{% Hint style="info" %}{% endhint %}\n',
    );
    const unknown = layer.problems.filter((p) => p.kind === 'unknown-tag');
    assert.deepEqual(
      unknown.map((p) => [p.tag.closing, p.tag.name, p.kind === 'unknown-tag' ? p.suggestion : undefined]),
      [
        [false, 'hnit', 'hint'],
        [true, 'hnit', 'hint'],
        [false, 'youtube', undefined],
      ],
    );
    // Unknown tags do not take part in pairing: no unclosed/unopened noise from the typo.
    assert.equal(layer.problems.length, 3);
  });
});
