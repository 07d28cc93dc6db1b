import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Project,
  configSchemaForRegistry,
  defaultConfig,
  engineFindingIds,
  ruleIds,
  type Finding,
} from '../../../server/src/engine/index';
import { configSections } from '../../../server/src/engine/config/config';
import type { JsonSchema } from '../../../server/src/engine/config/validate';
import { MemoryFileSystem } from '../../../server/src/engine/memoryFileSystem';
import { maxMessageLength } from '../../../server/src/engine/message';
import { cleanup, ensureBuilt, msol, tempDir, writeFiles } from '../cli/cliHarness';
import { params, runs } from './support';

/**
 * Bad config. The cases are enumerated from configSchemaForRegistry(), so a
 * field or a section added later is covered without touching this file:
 * every field is made wrong in turn (wrong type, value outside its enum or
 * minimum, not a URL, a wrong array item, an unknown field), and each must
 * give a config-invalid finding that names the field and points at the
 * value, the defaults for that part, and no crash. Random JSON anywhere in
 * the file must never crash. The CLI exits 2 on a few representative ones.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Case {
  /** JSON path of the wrong field, dotted (array items by index). */
  readonly field: string;
  readonly value: Json;
  /** The config object with the wrong value in place. */
  readonly config: { [k: string]: Json };
}

/** Builds `{ a: { b: value } }` for path ['a', 'b'] (numbers make arrays). */
function nest(path: readonly (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') return [nest(rest, value)];
  return { [head!]: nest(rest, value) };
}

/** A value of the wrong type for a schema (never valid for it). */
function wrongType(schema: JsonSchema): Json {
  switch (schema.type) {
    case 'string':
      return 42;
    case 'integer':
    case 'number':
      return 'many';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'a list' };
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return null;
  }
}

/** Every way to make each field of the schema wrong, one field at a time. */
function cases(schema: JsonSchema, path: (string | number)[] = []): Array<{ path: (string | number)[]; value: Json }> {
  const out: Array<{ path: (string | number)[]; value: Json }> = [];
  if (schema.oneOf) {
    // A rule setting: a severity, [severity, options] or { severity, ...options }.
    out.push(
      { path, value: 'loud' },
      { path, value: 42 },
      { path, value: ['loud'] },
      { path, value: { severity: 'loud' } },
    );
    const objectForm = schema.oneOf.find((s) => s.type === 'object');
    for (const [k, s] of Object.entries(objectForm?.properties ?? {})) {
      if (k === 'severity') continue;
      for (const c of cases(s, [k])) out.push({ path: [...path, ...c.path], value: c.value });
    }
    return out;
  }
  if (path.length > 0 && schema.type) out.push({ path, value: wrongType(schema) });
  if (schema.enum) out.push({ path, value: 'not-one-of-them' });
  if (schema.minimum !== undefined) out.push({ path, value: schema.minimum - 1 });
  if (schema.type === 'integer') out.push({ path, value: 1.5 });
  if (schema.format === 'uri') out.push({ path, value: 'example.org/no-scheme' });
  if (schema.type === 'array' && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items as JsonSchema;
    if (items.properties) for (const c of cases(items, [])) out.push({ path: [...path, 0, ...c.path], value: c.value });
    else out.push({ path: [...path, 0], value: wrongType(items) });
  }
  if (schema.properties) {
    for (const [k, s] of Object.entries(schema.properties)) out.push(...cases(s, [...path, k]));
    if (schema.additionalProperties === false) out.push({ path: [...path, 'noSuchField'], value: true });
  }
  if (typeof schema.additionalProperties === 'object')
    out.push(...cases(schema.additionalProperties, [...path, 'some-key']));
  return out;
}

const schema = configSchemaForRegistry();
const allCases: Case[] = cases(schema).map(({ path, value }) => ({
  field: path.join('.'),
  value,
  config: nest(path, value) as { [k: string]: Json },
}));

const site = {
  'README.md': '# Home\n\n[x](missing.md)\n',
  'SUMMARY.md': '# Summary\n\n* [Home](README.md)\n',
};

async function load(
  configText: string,
  extraFiles: Record<string, string> = {},
): Promise<{ project: Project; findings: Finding[] }> {
  const project = new Project({ fs: new MemoryFileSystem({ ...site, ...extraFiles, '.msolrc.json': configText }) });
  await project.initialize();
  return { project, findings: [...project.checkAll().values()].flat() };
}

/** The part of the config that falls back to its default when `field` is wrong: the top-level field, or a section's field. */
function effective(project: Project, field: string): unknown {
  const [top, second] = field.split('.');
  const c = project.config as unknown as Record<string, unknown>;
  if (top === 'site') return (project.config.site as unknown as Record<string, unknown>)[second!];
  if (top === 'rules') return project.config.rules[second!];
  if (top === 'ignore' || top === 'maxFileSize') return c[top];
  return (project.config.sections[top!] as Record<string, unknown> | undefined)?.[second!];
}

function defaultOf(field: string): unknown {
  const [top, second] = field.split('.');
  if (top === 'site') return (defaultConfig.site as unknown as Record<string, unknown>)[second!];
  if (top === 'rules') return undefined;
  if (top === 'ignore' || top === 'maxFileSize') return (defaultConfig as unknown as Record<string, unknown>)[top];
  const section = configSections().find((s) => s.key === top);
  return second === 'noSuchField' ? undefined : (section?.defaults as Record<string, unknown> | undefined)?.[second!];
}

test('the enumeration covers every field of the schema, every section and every rule', () => {
  const tops = new Set(allCases.map((c) => c.field.split('.')[0]));
  for (const k of Object.keys(schema.properties!)) assert.ok(tops.has(k), `no case for ${k}`);
  for (const s of configSections()) assert.ok(tops.has(s.key), `no case for section ${s.key}`);
  const ruleCases = new Set(allCases.filter((c) => c.field.startsWith('rules.')).map((c) => c.field.split('.')[1]));
  for (const id of ruleIds) assert.ok(ruleCases.has(id), `no case for rule ${id}`);
  assert.ok(allCases.length > 100, `${allCases.length} cases`);
  console.log(
    `# ${allCases.length} wrong-field cases over ${Object.keys(schema.properties!).length} top-level fields (${configSections()
      .map((s) => s.key)
      .join(', ')} sections) and ${ruleIds.length} rules`,
  );
});

test('a valid config gives no config finding (the cases below are wrong for a reason)', async () => {
  // A drafts page: an `ignore` pattern that matches nothing is a config-invalid warning of its own (test/engine/globs.test.ts).
  const { findings } = await load(
    JSON.stringify({
      site: { url: 'https://example.org' },
      rules: { 'link-missing-file': 'warning' },
      ignore: ['drafts/**'],
      maxFileSize: 1000,
    }),
    { 'drafts/a.md': '# Draft\n' },
  );
  assert.deepEqual(
    findings.filter((f) => f.ruleId === engineFindingIds.configInvalid),
    [],
  );
});

test('every field wrong in turn: one clear finding naming the field and pointing at the value, the default for that part, no crash', async () => {
  const problems: string[] = [];
  for (const c of allCases) {
    const text = JSON.stringify(c.config, null, 2);
    let loaded;
    try {
      loaded = await load(text);
    } catch (error) {
      problems.push(`${c.field} = ${JSON.stringify(c.value)}: threw ${String(error)}`);
      continue;
    }
    const { project, findings } = loaded;
    const config = findings.filter((f) => f.ruleId === engineFindingIds.configInvalid);
    const at = `${c.field} = ${JSON.stringify(c.value)}`;
    if (config.length !== 1) {
      problems.push(`${at}: ${config.length} config findings (${config.map((f) => f.message).join(' | ')})`);
      continue;
    }
    const f = config[0]!;
    const named = /`([^`]+)`/.exec(f.message)?.[1] ?? '';
    if (!(named === c.field || named.startsWith(c.field + '.') || c.field.startsWith(named + '.')))
      problems.push(`${at}: the message names \`${named}\`: ${f.message}`);
    if (!/^Unexpected (value for|field) `[^`]+`, expected .+$/.test(f.message) || f.message.length > maxMessageLength)
      problems.push(`${at}: unclear message: ${f.message}`);
    if (!/Until it is fixed, (the default value applies|it is ignored)\.$/.test(f.note ?? ''))
      problems.push(`${at}: the note does not say what applies meanwhile: ${f.note}`);
    if (f.path !== '.msolrc.json' || f.severity !== 'error')
      problems.push(`${at}: finding on ${f.path} with severity ${f.severity}`);
    // The span covers the wrong value (or the part of it that is wrong: "loud" in ["loud"]).
    const pointed = text.slice(f.span.start, f.span.end);
    let parsed: unknown;
    try {
      parsed = JSON.parse(pointed);
    } catch {
      parsed = Symbol('not JSON');
    }
    if (typeof parsed === 'symbol' || !JSON.stringify(c.value).includes(JSON.stringify(parsed)))
      problems.push(`${at}: points at ${JSON.stringify(pointed)}`);
    const want = defaultOf(c.field);
    if (JSON.stringify(effective(project, c.field)) !== JSON.stringify(want))
      problems.push(`${at}: effective ${JSON.stringify(effective(project, c.field))}, default ${JSON.stringify(want)}`);
    if (!findings.some((x) => x.ruleId === 'link-missing-file')) problems.push(`${at}: the site was not checked`);
  }
  assert.deepEqual(problems, [], `${problems.length} of ${allCases.length} cases:\n${problems.join('\n')}`);
});

test('field names that objects inherit (__proto__, constructor, toString, hasOwnProperty) are unknown fields like any other, at every level', async () => {
  const levels = allCases
    .filter((c) => c.field.endsWith('.noSuchField') || c.field === 'noSuchField')
    .map((c) => c.field.split('.').slice(0, -1));
  assert.ok(levels.length >= 6);
  const problems: string[] = [];
  for (const level of levels) {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const path = [...level.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), name];
      const text = JSON.stringify(nest(path, { polluted: true }));
      const { project, findings } = await load(text);
      const config = findings.filter((f) => f.ruleId === engineFindingIds.configInvalid);
      const field = path.join('.');
      if (config.length !== 1 || !config[0]!.message.startsWith(`Unexpected field \`${field}\`, expected `))
        problems.push(`${field}: ${config.map((f) => f.message).join(' | ') || 'no finding'}`);
      if (
        ({} as Record<string, unknown>)['polluted'] !== undefined ||
        (project.config.site as unknown as Record<string, unknown>)['polluted'] !== undefined
      )
        problems.push(`${field}: a prototype was changed`);
      if (
        typeof project.config.site.url !== 'string' ||
        typeof (project.config.site as unknown as { toString: unknown }).toString !== 'function'
      )
        problems.push(`${field}: site settings were overwritten`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('a syntax error at the very end of the file is pointed at inside the file (found by a widened run: `{`)', async () => {
  for (const text of ['{', '{ "rules": ', '[', '{ "site": { "url": "x" ']) {
    const { findings } = await load(text);
    const f = findings.find((x) => x.ruleId === engineFindingIds.configInvalid);
    assert.ok(f, `${JSON.stringify(text)} is reported`);
    assert.ok(
      f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end,
      `${JSON.stringify(text)}: span ${JSON.stringify(f.span)} inside ${text.length}`,
    );
  }
});

/** Any JSON at any known path, or anywhere: never a crash; every finding is a config finding inside the file. */
const knownPaths = [
  ...new Set(
    allCases.map((c) =>
      c.field
        .split('.')
        .filter((p) => !/^\d+$/.test(p))
        .slice(0, 3)
        .join('.'),
    ),
  ),
].map((f) => f.split('.'));

test('random JSON in any field, and random text as the file: no crash, findings inside the file, the site still checked', async () => {
  const anyJson = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.constantFrom(...knownPaths), anyJson), { maxLength: 4 }),
      fc.option(fc.string({ maxLength: 40 }), { freq: 5 }),
      async (fields, raw) => {
        const config: { [k: string]: Json } = {};
        for (const [path, value] of fields) {
          let o = config;
          path.slice(0, -1).forEach((k) => {
            if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) o[k] = {};
            o = o[k] as { [k: string]: Json };
          });
          o[path[path.length - 1]!] = value;
        }
        const text = raw ?? JSON.stringify(config);
        const { findings } = await load(text);
        for (const f of findings.filter((x) => x.path === '.msolrc.json')) {
          assert.equal(f.ruleId, engineFindingIds.configInvalid);
          assert.ok(f.span.start >= 0 && f.span.end <= text.length, `span inside: ${JSON.stringify(f.span)}`);
        }
        assert.ok(
          findings.some((x) => x.path === 'README.md'),
          'the site was checked',
        );
      },
    ),
    params(30, runs),
  );
});

before(ensureBuilt);
after(cleanup);

test('through the CLI: a wrong field is named on stderr-visible output and the exit code is 2, for representative fields', () => {
  const representative: Array<[string, string]> = [
    ['site.url', '{ "site": { "url": "microsolidarity.cc" } }'],
    ['rules.term-case', '{ "rules": { "term-case": "loud" } }'],
    ['maxFileSize', '{ "maxFileSize": -1 }'],
    ['glossary.terms.0.case', '{ "glossary": { "terms": [{ "term": "Crew", "case": "weird" }] } }'],
    ['ignore.0', '{ "ignore": [42] }'],
  ];
  for (const [field, config] of representative) {
    const dir = writeFiles(tempDir(), { ...site, '.msolrc.json': config });
    const r = msol(['check', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 2, `${field}: exit ${r.code}\n${r.stderr}`);
    const files = JSON.parse(r.stdout) as Array<{ path: string; messages: Array<{ ruleId: string; reason: string }> }>;
    const messages = files.find((f) => f.path === '.msolrc.json')?.messages ?? [];
    assert.equal(messages.length, 1, `${field}: one finding`);
    assert.match(messages[0]!.reason, new RegExp('`' + field.replace(/\./g, '\\.') + '`'));
    assert.ok(
      files.find((f) => f.path === 'README.md')!.messages.some((m) => m.ruleId === 'link-missing-file'),
      `${field}: the site is still checked`,
    );
    assert.match(r.stderr, /configuration is invalid/);
  }
});
