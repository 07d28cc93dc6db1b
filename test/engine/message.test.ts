/**
 * The words of a finding (engine/message.ts): one line of at most 120
 * characters, values from the page shortened in the middle, what to write
 * shortened last, the message's own words never.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  code,
  kept,
  labelled,
  maxMessageLength,
  message,
  oneLine,
  said,
  shorten,
  words,
} from '../../server/src/engine/message';

const long = (n: number, s = 'a') => s.repeat(n);

test('short values are written as they are', () => {
  assert.equal(
    message`Unexpected link to missing file ${code('a.md')}, expected ${kept(code('b.md'))}`,
    'Unexpected link to missing file `a.md`, expected `b.md`',
  );
  assert.equal(
    message`Unexpected license ${said('Fooish')} on ${words('Jane')}: ${3} uses`,
    'Unexpected license "Fooish" on Jane: 3 uses',
  );
});

test('a long value is shortened in the middle, keeping more of its end, to exactly the limit', () => {
  const path = `../.gitbook/assets/${long(150, 'x')}-photo.png`;
  const m = message`Unexpected image to missing file ${code(path)}, expected an existing file`;
  assert.equal(m.length, maxMessageLength);
  assert.match(
    m,
    /^Unexpected image to missing file `\.\.\/\.gitbook\/assets\/x*…[x]*-photo\.png`, expected an existing file$/,
  );
});

test('values written as found give way before the value that says what to write', () => {
  const found = `https://www.example.org/${long(100, 'f')}`;
  const want = `../articles/${long(40, 'w')}.md`;
  const m = message`Unexpected absolute link ${code(found)} to this site, expected ${kept(code(want))}`;
  assert.ok(m.length <= maxMessageLength, `${m.length}: ${m}`);
  assert.ok(m.includes(`\`${want}\``), m);
  assert.ok(!m.includes(found), m);
});

test('when every value is long, they share the room and the message still fits', () => {
  const m = message`Unexpected anchor ${code(long(200))}, expected a heading of ${code(long(200, 'b'))}; did you mean ${kept(code(long(200, 'c')))}?`;
  assert.ok(m.length <= maxMessageLength, `${m.length}`);
  for (const c of ['a', 'b', 'c']) assert.match(m, new RegExp(`\`${c}+…${c}+\``));
});

test('line breaks in values and in the text become spaces', () => {
  assert.equal(
    message`Unexpected ${code('two\r\n  lines')} here,\nexpected one`,
    'Unexpected `two lines` here, expected one',
  );
  assert.equal(oneLine('a\n\nb'), 'a b');
});

test('the marks around a value and the fixed text are never cut', () => {
  const m = message`Unexpected ${labelled(`image \`${long(300)}.jpg\``)} without a credit, expected its Title, Author, Source and License`;
  assert.ok(m.length <= maxMessageLength);
  assert.match(m, /^Unexpected image `a+…a+\.jpg` without a credit, expected its Title, Author, Source and License$/);
  assert.deepEqual(labelled('block quote of 12 words'), words('block quote of 12 words'));
});

test('shortening never splits a surrogate pair', () => {
  const emoji = '🙂'.repeat(40);
  for (let n = 3; n < 40; n++) {
    const s = shorten(emoji, n);
    assert.ok(s.length <= n);
    assert.ok(
      !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s),
      `broken pair at ${n}: ${s}`,
    );
  }
});
