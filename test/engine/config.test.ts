/** `.msolrc.json` and `.gitbook.yaml`: a broken file never stops a check; every problem names its field and the defaults fill in. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, loadConfig, withGitbookYaml, type LoadedConfig } from '../../server/src/engine/config/config';
import { configSchemaForRegistry, ruleIds, rules, type Finding } from '../../server/src/engine/index';
import { LineIndex } from '../../server/src/engine/text';
import { configSchema } from '../../server/src/engine/config/schema';
import type { JsonSchema } from '../../server/src/engine/config/validate';
import { defineRule, type RuleDefinition } from '../../server/src/engine/rules/define';
import { runRules } from '../../server/src/engine/linter';
import { parseDocument } from '../../server/src/engine/parse/markdown';
import { extractFacts } from '../../server/src/engine/facts';
import { WorkspaceIndex } from '../../server/src/engine/workspace';
import { checkSite, site } from './util';

function load(text: string | undefined): LoadedConfig {
  return loadConfig(text, ruleIds, configSchemaForRegistry());
}

describe('loadConfig', () => {
  test('no file, an empty file: the defaults, no problems', () => {
    assert.deepEqual(load(undefined), { config: defaultConfig, problems: [] });
    assert.deepEqual(load('  \n'), { config: defaultConfig, problems: [] });
  });

  test('JSON with comments and trailing commas is fine', () => {
    const { config, problems } = load(
      '{\n  // the handbook\n  "site": { "proposal": "articles/the-proposal.md", },\n}\n',
    );
    assert.deepEqual(problems, []);
    assert.equal(config.site.proposal, 'articles/the-proposal.md');
    assert.equal(config.site.readme, 'README.md');
  });

  test('invalid JSON: one problem, at the place of the error, and the defaults', () => {
    const text = '{\n  "rules": {\n    "link-missing-file": "off"\n    "encoding-mojibake": "error"\n  }\n}\n';
    const { config, problems } = load(text);
    assert.equal(problems.length, 1);
    const p = problems[0]!;
    assert.match(p.message, /^Unexpected .+ in \.msolrc\.json, expected valid JSON/);
    assert.equal(p.field, '');
    assert.deepEqual(new LineIndex(text).positionAt(p.span.start), { line: 3, character: 4 });
    assert.ok(p.span.end > p.span.start);
    assert.equal(config, defaultConfig);
  });

  test('a file cut short is one problem too', () => {
    const { problems } = load('{ "rules": {');
    assert.equal(problems.length, 1);
    assert.ok(problems[0]!.span.start <= 12);
  });

  // Each wrong field in turn: one problem naming the field, pointing at its value; the default for that field; the rest kept.
  const cases: ReadonlyArray<{
    field: string;
    json: string;
    value: string;
    check: (c: LoadedConfig['config']) => void;
  }> = [
    {
      field: 'site.url',
      json: '"site": { "url": 42, "proposal": "p.md" }',
      value: '42',
      check: (c) => assert.equal(c.site.url, defaultConfig.site.url),
    },
    {
      field: 'site.colour',
      json: '"site": { "colour": "red", "proposal": "p.md" }',
      value: '"red"',
      check: (c) => assert.equal('colour' in c.site, false),
    },
    {
      field: 'rules.no-such-rule',
      json: '"rules": { "no-such-rule": "off" }, "site": { "proposal": "p.md" }',
      value: '"off"',
      check: (c) => assert.deepEqual(c.rules, {}),
    },
    {
      field: 'rules.link-missing-file',
      json: '"rules": { "link-missing-file": "loud" }, "site": { "proposal": "p.md" }',
      value: '"loud"',
      check: (c) => assert.equal(c.rules['link-missing-file'], undefined),
    },
    {
      field: 'rules.encoding-mojibake.0',
      json: '"rules": { "encoding-mojibake": ["loud", {}] }, "site": { "proposal": "p.md" }',
      value: '"loud"',
      check: (c) => assert.equal(c.rules['encoding-mojibake'], undefined),
    },
    {
      field: 'ignore',
      json: '"ignore": "drafts/**", "site": { "proposal": "p.md" }',
      value: '"drafts/**"',
      check: (c) => assert.deepEqual(c.ignore, defaultConfig.ignore),
    },
    {
      field: 'ignore.1',
      json: '"ignore": ["drafts/**", 3], "site": { "proposal": "p.md" }',
      value: '3',
      check: (c) => assert.deepEqual(c.ignore, defaultConfig.ignore),
    },
    {
      field: 'maxFileSize',
      json: '"maxFileSize": 0, "site": { "proposal": "p.md" }',
      value: '0',
      check: (c) => assert.equal(c.maxFileSize, defaultConfig.maxFileSize),
    },
    {
      field: 'maxFileSize',
      json: '"maxFileSize": 1.5, "site": { "proposal": "p.md" }',
      value: '1.5',
      check: (c) => assert.equal(c.maxFileSize, defaultConfig.maxFileSize),
    },
    {
      field: 'maxFileSize',
      json: '"maxFileSize": "big", "site": { "proposal": "p.md" }',
      value: '"big"',
      check: (c) => assert.equal(c.maxFileSize, defaultConfig.maxFileSize),
    },
    {
      field: 'colour',
      json: '"colour": "red", "site": { "proposal": "p.md" }',
      value: '"red"',
      check: (c) => assert.equal('colour' in c, false),
    },
  ];
  for (const c of cases) {
    test(`a wrong \`${c.field}\` (${c.value}): one problem naming it, its default, the rest kept`, () => {
      const text = `{ ${c.json} }`;
      const { config, problems } = load(text);
      assert.equal(problems.length, 1, problems.map((p) => p.message).join('\n'));
      const p = problems[0]!;
      assert.equal(p.field, c.field);
      assert.ok(p.message.includes(`\`${c.field}\``), p.message);
      assert.match(p.message, /^Unexpected (value for|field) `[^`]+`, expected .+$/);
      assert.match(
        p.note ?? '',
        /in \.msolrc\.json: .+ Until it is fixed, (the default value applies|it is ignored)\.$/,
      );
      assert.equal(text.slice(p.span.start, p.span.end), c.value);
      c.check(config);
      assert.equal(config.site.proposal, 'p.md', 'valid fields are kept');
    });
  }

  test('not an object at all: one problem at the root, the defaults', () => {
    const { config, problems } = load('["rules"]');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /`\(root\)`/);
    assert.equal(config, defaultConfig);
  });

  test('$schema is allowed', () => {
    assert.deepEqual(load('{ "$schema": "./schemas/msolrc.schema.json" }').problems, []);
  });

  test('rule severities and options in each accepted shape', () => {
    const { config, problems } = load(
      JSON.stringify({
        rules: {
          'link-missing-file': 'off',
          'link-missing-heading': ['warning'],
          'gitbook-block-unclosed': ['info', {}],
          'gitbook-block-invalid': { severity: 'hint' },
          'encoding-mojibake': {},
        },
        ignore: ['drafts/**'],
        maxFileSize: 1000,
      }),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(config.rules['link-missing-file'], { severity: 'off', options: {} });
    assert.deepEqual(config.rules['link-missing-heading'], { severity: 'warning', options: {} });
    assert.deepEqual(config.rules['gitbook-block-unclosed'], { severity: 'info', options: {} });
    assert.deepEqual(config.rules['gitbook-block-invalid'], { severity: 'hint', options: {} });
    assert.deepEqual(config.ignore, [...defaultConfig.ignore, 'drafts/**']);
    assert.equal(config.maxFileSize, 1000);
  });
});

describe('rule options', () => {
  const optionsSchema: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    properties: { max: { type: 'integer', minimum: 1 } },
  };
  const schema = configSchema(['demo-rule'], { 'demo-rule': optionsSchema });

  test('valid options are kept in every shape; a wrong option is one problem naming it', () => {
    assert.deepEqual(
      loadConfig('{ "rules": { "demo-rule": ["warning", { "max": 2 }] } }', ['demo-rule'], schema).config.rules[
        'demo-rule'
      ],
      { severity: 'warning', options: { max: 2 } },
    );
    assert.deepEqual(
      loadConfig('{ "rules": { "demo-rule": { "severity": "info", "max": 3 } } }', ['demo-rule'], schema).config.rules[
        'demo-rule'
      ],
      { severity: 'info', options: { max: 3 } },
    );
    const bad = loadConfig('{ "rules": { "demo-rule": ["warning", { "max": 0 }] } }', ['demo-rule'], schema);
    assert.deepEqual(
      bad.problems.map((p) => p.field),
      ['rules.demo-rule.1.max'],
    );
    assert.equal(bad.config.rules['demo-rule'], undefined, 'the rule falls back to its defaults');
    const unknown = loadConfig(
      '{ "rules": { "demo-rule": { "severity": "info", "colour": "red" } } }',
      ['demo-rule'],
      schema,
    );
    assert.deepEqual(
      unknown.problems.map((p) => p.field),
      ['rules.demo-rule.colour'],
    );
  });

  test("options reach the rule's check, over its defaults", () => {
    const seen: unknown[] = [];
    const rule = defineRule(
      {
        id: 'demo-rule',
        category: 'hygiene',
        scope: 'document',
        defaultSeverity: 'warning',
        description: 'Records its options.',
        fixable: false,
      },
      { defaults: { max: 1, label: 'x' }, schema: optionsSchema },
      (_ctx, _report, options) => void seen.push(options),
    );
    const list = rules as unknown as RuleDefinition<object>[];
    list.push(rule);
    try {
      const doc = parseDocument('a.md', '# A\n');
      const config = { ...defaultConfig, rules: { 'demo-rule': { severity: 'info', options: { max: 5 } } } } as const;
      runRules('document', { path: 'a.md', doc, facts: extractFacts(doc), config, index: new WorkspaceIndex(config) });
      assert.deepEqual(seen, [{ max: 5, label: 'x' }]);
    } finally {
      list.splice(list.indexOf(rule), 1);
    }
  });
});

describe('withGitbookYaml', () => {
  test('root and structure paths are cleaned of ./, leading and trailing slashes', () => {
    const c = withGitbookYaml(defaultConfig, { root: './docs/', readme: './intro.md', summary: '/toc.md' });
    assert.deepEqual([c.site.root, c.site.readme, c.site.summary], ['docs', 'intro.md', 'toc.md']);
    assert.equal(withGitbookYaml(defaultConfig, { root: '.' }).site.root, '');
    assert.equal(withGitbookYaml(defaultConfig, { root: './' }).site.root, '');
  });

  test('a hidden folder keeps its dot', () => {
    assert.equal(
      withGitbookYaml(defaultConfig, { summary: '.gitbook/SUMMARY.md' }).site.summary,
      '.gitbook/SUMMARY.md',
    );
  });
});

describe('configuration through a Project', () => {
  const page = '# Page\n\n[missing](missing.md)\n\nâ€” and {% hint style="info" %}\n';

  // The page trips exactly these three rules; other rules (and rules added later) are not this test's business.
  const watched = new Set(['link-missing-file', 'encoding-mojibake', 'gitbook-block-unclosed']);

  function byRule(findings: readonly Finding[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const f of findings)
      if (watched.has(f.ruleId)) (out[f.ruleId] ??= []).push(`${f.path}:${f.range.start.line + 1} ${f.severity}`);
    return out;
  }

  test('a broken .msolrc.json is a config-invalid finding on it, and the page is still checked with the defaults', async () => {
    const text = '{\n  "rules": { "link-missing-file": "loud" },\n  "maxFileSize": -1\n}\n';
    // A GitBook site (its .gitbook/ folder): the defaults check more than a plain folder's links.
    const { findings } = await checkSite(site({ '.msolrc.json': text, 'a.md': page, '.gitbook/assets/x.png': '' }));
    const config = findings.filter((f) => f.path === '.msolrc.json');
    assert.deepEqual(
      config.map((f) => [f.ruleId, f.severity, f.range.start.line]),
      [
        ['config-invalid', 'error', 1],
        ['config-invalid', 'error', 2],
      ],
    );
    assert.equal(text.slice(config[0]!.span.start, config[0]!.span.end), '"loud"');
    assert.deepEqual(byRule(findings.filter((f) => f.path === 'a.md')), {
      'link-missing-file': ['a.md:3 error'],
      'encoding-mojibake': ['a.md:5 warning'],
      'gitbook-block-unclosed': ['a.md:5 error'],
    });
  });

  test('severities from .msolrc.json: off removes a rule, others change the finding severity', async () => {
    const text = JSON.stringify({
      rules: { 'link-missing-file': 'off', 'encoding-mojibake': 'error', 'gitbook-block-unclosed': ['hint'] },
    });
    const { findings } = await checkSite(site({ '.msolrc.json': text, 'a.md': page }));
    assert.deepEqual(byRule(findings), {
      'encoding-mojibake': ['a.md:5 error'],
      'gitbook-block-unclosed': ['a.md:5 hint'],
    });
  });

  test('ignore globs leave pages out', async () => {
    const { project, findings } = await checkSite(
      site({ '.msolrc.json': '{ "ignore": ["drafts/**"] }', 'drafts/a.md': page, 'b.md': '# B\n' }),
    );
    assert.deepEqual(project.index.pages(), ['b.md']);
    assert.deepEqual(
      findings.filter((f) => f.path.startsWith('drafts/')),
      [],
    );
  });

  test('.gitbook.yaml root and structure: SUMMARY.md and leading-slash links are read under the root', async () => {
    const { project, findings } = await checkSite(
      site({
        '.gitbook.yaml': 'root: ./docs/\nstructure:\n  readme: intro.md\n  summary: toc.md\n',
        'docs/intro.md': '# Intro\n\n[crew](/crewing/crew.md) [gone](/crewing/gone.md)\n',
        'docs/toc.md': '* [Intro](intro.md)\n* [Crew](crewing/crew.md)\n* [Missing](missing.md)\n',
        'docs/crewing/crew.md': '# Crew\n\n[home](/intro.md) [outside](../../README.md)\n',
        'README.md': '# The repository, not the site\n',
      }),
      { only: 'link-missing-file' },
    );
    assert.equal(project.config.site.root, 'docs');
    assert.equal(project.index.summaryPath, 'docs/toc.md');
    assert.equal(project.index.readmePath, 'docs/intro.md');
    assert.deepEqual(
      project.index.summary().map((e) => e.path),
      ['docs/intro.md', 'docs/crewing/crew.md', 'docs/missing.md'],
    );
    assert.deepEqual(
      findings.map((f) => `${f.path}:${f.range.start.line + 1}`),
      ['docs/crewing/crew.md:3', 'docs/intro.md:3', 'docs/toc.md:3'],
    );
  });

  test('invalid .gitbook.yaml: a config-invalid finding on it, GitBook defaults', async () => {
    const { project, findings } = await checkSite(site({ '.gitbook.yaml': 'root: [docs\n', 'README.md': '# Home\n' }));
    const onYaml = findings.filter((f) => f.path === '.gitbook.yaml');
    assert.deepEqual(
      onYaml.map((f) => f.ruleId),
      ['config-invalid'],
    );
    assert.match(onYaml[0]!.message, /^Unexpected YAML error in \.gitbook\.yaml .+, expected valid YAML/);
    assert.equal(project.config.site.root, '');
  });
});
