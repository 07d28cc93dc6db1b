/** The generators' renderers: the README table, the msol.rules setting and package.json patching. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { severities } from '../../server/src/engine/index';
import {
  renderPackageJson,
  renderReadme,
  renderRulesTable,
  rulesSetting,
  type RuleRow,
} from '../../scripts/generate/render';

const rows: RuleRow[] = [
  {
    id: 'link-missing-file',
    category: 'links',
    scope: 'workspace',
    defaultSeverity: 'error',
    description: 'A link to a file that | is missing.',
    fixable: true,
    url: 'https://example.org/link-missing-file/docs.md',
  },
  {
    id: 'encoding-mojibake',
    category: 'hygiene',
    scope: 'document',
    defaultSeverity: 'warning',
    description: 'Mojibake.',
    fixable: false,
    url: 'https://example.org/encoding-mojibake/docs.md',
  },
];

describe('README rules table', () => {
  test('one row per rule in registry order, docs linked, pipes escaped, engine ids listed', () => {
    const table = renderRulesTable(rows, ['config-invalid', 'rule-crashed']);
    const body = table.split('\n').filter((l) => l.startsWith('| ['));
    assert.deepEqual(body, [
      '| [`link-missing-file`](server/src/engine/rules/link-missing-file/docs.md) | links | error | yes | A link to a file that \\| is missing. |',
      '| [`encoding-mojibake`](server/src/engine/rules/encoding-mojibake/docs.md) | hygiene | warning |  | Mojibake. |',
    ]);
    assert.match(table, /`config-invalid`, `rule-crashed`/);
  });

  test('only the text between the markers changes; a second run changes nothing', () => {
    const readme = '# Title\n\n## Rules\n\n<!-- rules:start -->\nold table\n<!-- rules:end -->\n\n## Development\n';
    const once = renderReadme(readme, rows, [])!;
    assert.ok(once.startsWith('# Title\n\n## Rules\n\n<!-- rules:start -->\n'));
    assert.ok(once.endsWith('\n<!-- rules:end -->\n\n## Development\n'));
    assert.ok(!once.includes('old table'));
    assert.equal(renderReadme(once, rows, []), once);
  });

  test('CRLF READMEs stay CRLF', () => {
    const out = renderReadme('a\r\n<!-- rules:start -->\r\n<!-- rules:end -->\r\n', rows, [])!;
    assert.equal(out.replace(/\r\n/g, '').includes('\n'), false);
  });

  test('no markers, or markers out of order: README is left alone', () => {
    assert.equal(renderReadme('# Title\n', rows, []), undefined);
    assert.equal(renderReadme('<!-- rules:end -->\n<!-- rules:start -->\n', rows, []), undefined);
  });
});

describe('msol.rules setting', () => {
  test('an object setting, resource scope, one severity enum per rule with its default and docs link', () => {
    const s = rulesSetting(rows) as {
      type: string;
      scope: string;
      default: object;
      properties: Record<string, { enum: string[]; default: string; markdownDescription: string }>;
    };
    assert.equal(s.type, 'object');
    assert.equal(s.scope, 'resource');
    assert.deepEqual(s.default, {});
    assert.deepEqual(Object.keys(s.properties), ['link-missing-file', 'encoding-mojibake']);
    assert.deepEqual(s.properties['encoding-mojibake']!.enum, [...severities]);
    assert.equal(s.properties['encoding-mojibake']!.default, 'warning');
    assert.match(
      s.properties['link-missing-file']!.markdownDescription,
      /\(\[docs\]\(https:\/\/example\.org\/link-missing-file\/docs\.md\)\)$/,
    );
  });

  test('patching package.json changes only msol.rules and keeps every other key in place', () => {
    const pkg = {
      name: 'x',
      contributes: {
        commands: [{ command: 'a' }],
        configuration: {
          title: 'T',
          properties: {
            'msol.enable': { type: 'boolean' },
            'msol.rules': { stale: true },
            'msol.trace.server': { type: 'string' },
          },
        },
      },
      scripts: { a: 'b' },
    };
    const out = JSON.parse(renderPackageJson(JSON.stringify(pkg), rows)) as typeof pkg;
    assert.deepEqual(Object.keys(out), ['name', 'contributes', 'scripts']);
    assert.deepEqual(Object.keys(out.contributes.configuration.properties), [
      'msol.enable',
      'msol.rules',
      'msol.trace.server',
    ]);
    assert.deepEqual(out.contributes.commands, pkg.contributes.commands);
    assert.deepEqual(out.contributes.configuration.properties['msol.rules'], rulesSetting(rows));
  });

  test('a package.json without contributes gets one', () => {
    const out = JSON.parse(renderPackageJson('{"name":"x"}', rows)) as {
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    assert.ok(out.contributes.configuration.properties['msol.rules']);
  });
});
