import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/engine/index';
import { parseCommandLine } from '../../../server/src/cli/args';
import { selectFixes } from '../../../server/src/cli/fixer';
import { escapeData, escapeProperty } from '../../../server/src/cli/formats/github';
import { uriOf } from '../../../server/src/cli/formats/sarif';
import { placeOf, placeOfSpan, type FileReport } from '../../../server/src/cli/report';
import { useColor } from '../../../server/src/cli/run';
import { asciiJson } from '../../../server/src/node/cache';

/** The CLI's pure parts, without a process: argument parsing, escaping, fix selection, positions. */

describe('parseCommandLine', () => {
  test('defaults', () => {
    assert.deepEqual(parseCommandLine(['check']), {
      kind: 'check',
      options: {
        paths: ['.'],
        format: 'stylish',
        fix: false,
        maxWarnings: -1,
        quiet: false,
        verbose: false,
        cache: true,
        outputs: [],
      },
    });
  });
  test('every option', () => {
    const c = parseCommandLine([
      'check',
      'a',
      'b.md',
      '--format=sarif',
      '-c',
      'x.json',
      '--fix',
      '--max-warnings',
      '3',
      '-q',
      '--no-color',
      '--root',
      'r',
      '-v',
      '--cache-location',
      'cache',
      '-o',
      'markdown=s.md',
      '--output',
      'github=a=b.txt',
    ]);
    assert.deepEqual(c, {
      kind: 'check',
      options: {
        paths: ['a', 'b.md'],
        format: 'sarif',
        config: 'x.json',
        fix: true,
        maxWarnings: 3,
        quiet: true,
        color: false,
        root: 'r',
        verbose: true,
        cache: true,
        cacheLocation: 'cache',
        outputs: [
          { format: 'markdown', file: 's.md' },
          { format: 'github', file: 'a=b.txt' },
        ],
      },
    });
    assert.deepEqual(parseCommandLine(['check', '--no-cache']), {
      kind: 'check',
      options: {
        paths: ['.'],
        format: 'stylish',
        fix: false,
        maxWarnings: -1,
        quiet: false,
        verbose: false,
        cache: false,
        outputs: [],
      },
    });
    assert.deepEqual(parseCommandLine(['check', '--output', 'xml=a.xml']), {
      kind: 'usage-error',
      message: 'unknown format `xml` in --output; expected one of stylish, json, sarif, github, markdown',
    });
    assert.deepEqual(parseCommandLine(['check', '--output', 'summary.md']), {
      kind: 'usage-error',
      message: '--output expects <format>=<file>, got `summary.md`',
    });
  });
  test('help and version win over everything else', () => {
    assert.equal(parseCommandLine(['check', '--format', 'xml', '--help']).kind, 'help');
    assert.equal(parseCommandLine(['--version']).kind, 'version');
    assert.equal(parseCommandLine(['help']).kind, 'help');
  });
  test('usage errors', () => {
    for (const argv of [
      [],
      ['lint'],
      ['check', '--max-warnings', '1.5'],
      ['check', '--max-warnings=-2'],
      ['check', '--color', '--no-color'],
      ['check', '--root='],
      ['check', '--nope'],
    ]) {
      assert.equal(parseCommandLine(argv).kind, 'usage-error', argv.join(' '));
    }
  });
});

describe('GitHub workflow command escaping', () => {
  test('data escapes %, CR and LF; properties also : and ,', () => {
    assert.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('dir/a,b:c%.md\n'), 'dir/a%2Cb%3Ac%25.md%0A');
    // % first: an escape is never escaped twice.
    assert.equal(escapeProperty(':'), '%3A');
  });
});

test('SARIF URIs: relative references with each segment encoded', () => {
  assert.equal(uriOf('.gitbook/assets/image (1) (1).png'), '.gitbook/assets/image%20(1)%20(1).png');
  assert.equal(uriOf('a/100%.md'), 'a/100%25.md');
  assert.equal(uriOf('a#b/c?.md'), 'a%23b/c%3F.md');
});

function finding(start: number, end: number, edits?: Array<[number, number, string]>): Finding {
  return {
    ruleId: 'r',
    severity: 'warning',
    message: 'm',
    path: 'a.md',
    span: { start, end },
    range: { start: { line: 0, character: start }, end: { line: 0, character: end } },
    ...(edits ? { fix: { title: 't', edits: edits.map(([s, e, newText]) => ({ start: s, end: e, newText })) } } : {}),
  };
}

describe('selectFixes', () => {
  test('takes fixes in order, whole or not at all, never two touching the same text', () => {
    const picked = selectFixes(
      [
        finding(0, 2, [[0, 2, 'A']]),
        finding(1, 3, [[1, 3, 'B']]), // overlaps the first
        finding(5, 6, [
          [5, 6, 'C'],
          [1, 2, 'D'],
        ]), // second edit overlaps the first fix: the whole fix waits
        finding(8, 8, [[8, 8, 'E']]),
        finding(8, 9, [[8, 9, 'F']]), // same start as an insertion: order would be ambiguous
        finding(9, 10, [[9, 10, 'G']]), // adjacent is fine
        finding(3, 4), // no fix
        finding(10, 30, [[10, 30, 'H']]), // beyond the text
      ],
      12,
    );
    assert.equal(picked.count, 3);
    assert.deepEqual(
      picked.edits.map((e) => e.newText),
      ['A', 'E', 'G'],
    );
  });
});

describe('positions', () => {
  const report = (text: string): FileReport => ({
    path: 'a.md',
    absolutePath: '/s/a.md',
    siteRoot: '/s',
    findings: [],
    text,
    checked: true,
  });
  test('1-based; a BOM does not count as a column on line 1, offsets keep it', () => {
    const f = finding(1, 3);
    assert.deepEqual(placeOf(report('\uFEFFab\ncd'), f), {
      start: { line: 1, column: 1, offset: 1 },
      end: { line: 1, column: 3, offset: 3 },
    });
    assert.deepEqual(placeOf(report('xab\ncd'), f), {
      start: { line: 1, column: 2, offset: 1 },
      end: { line: 1, column: 4, offset: 3 },
    });
    assert.deepEqual(placeOfSpan(report('\uFEFFab\r\ncd'), { start: 5, end: 6 }), {
      start: { line: 2, column: 1, offset: 5 },
      end: { line: 2, column: 2, offset: 6 },
    });
  });
});

test('colour: flags over NO_COLOR over FORCE_COLOR over the terminal', () => {
  const host = (env: Record<string, string>, tty: boolean) => ({ env, stdoutIsTTY: tty });
  assert.equal(useColor({}, host({}, true)), true);
  assert.equal(useColor({}, host({}, false)), false);
  assert.equal(useColor({}, host({ FORCE_COLOR: '1' }, false)), true);
  assert.equal(useColor({}, host({ FORCE_COLOR: '0' }, true)), false);
  assert.equal(useColor({}, host({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)), false);
  assert.equal(useColor({ color: false }, host({ FORCE_COLOR: '1' }, true)), false);
  assert.equal(useColor({ color: true }, host({ NO_COLOR: '1' }, false)), true);
});

test('cache shards are ASCII JSON: non-ASCII characters escaped, the value unchanged', () => {
  const value = { a: 'café ’quoted’ \u007f 😀 end', b: ['plain', 'ü'], ké: 1 };
  const json = asciiJson(value);
  assert.ok(/^[\x00-\x7e]*$/.test(json), json);
  assert.deepEqual(JSON.parse(json), value);
  assert.equal(asciiJson({ only: 'ascii' }), JSON.stringify({ only: 'ascii' }));
  assert.equal(asciiJson('é'), '"\\u00e9"');
});
