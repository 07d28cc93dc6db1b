/**
 * The config validator means what JSON Schema means: on the keywords it
 * implements, its verdict (valid or not) is ajv's, on the shipped
 * `.msolrc.json` schema and on small schemas for each keyword, over values
 * fast-check generates. The generator refuses a schema with a keyword the
 * validator does not implement.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import fc from 'fast-check';
import { configSchemaForRegistry } from '../../server/src/engine/index';
import { unsupportedKeywords, validate, type JsonSchema } from '../../server/src/engine/config/validate';

// `format: uri` as VS Code's JSON language service checks it (and so the validator): a scheme, then no white space.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);

function agree(schema: JsonSchema, values: fc.Arbitrary<unknown>, runs = 400): void {
  const check = ajv.compile(schema as object);
  fc.assert(
    fc.property(values, (value) => {
      const ours = validate(value, schema).length === 0;
      assert.equal(
        ours,
        check(value),
        `validate says ${ours ? 'valid' : 'invalid'}, ajv ${check(value) ? 'valid' : 'invalid'} for ${JSON.stringify(value)}`,
      );
    }),
    { numRuns: runs, seed: 17 },
  );
}

describe('the validator agrees with ajv', () => {
  test('oneOf: exactly one alternative, not at least one', () => {
    const schema: JsonSchema = {
      oneOf: [{ type: 'number' }, { type: 'integer' }, { type: 'string', enum: ['a', 'b'] }],
    };
    assert.equal(validate(1, schema).length > 0, true, 'an integer fits two alternatives');
    assert.deepEqual(validate(1.5, schema), []);
    agree(schema, fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom('a', 'b', 'c')));
  });

  test('required names each missing field', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['term', 'avoid'],
      properties: { term: { type: 'string' } },
    };
    assert.deepEqual(
      validate({ term: 'Crew' }, schema).map((p) => p.path.join('.')),
      ['avoid'],
    );
    agree(schema, fc.dictionary(fc.constantFrom('term', 'avoid', 'other'), fc.oneof(fc.string(), fc.integer())));
  });

  test('pattern is an unanchored regular expression', () => {
    const schema: JsonSchema = { type: 'string', pattern: '^[a-z]+(-[a-z]+)*$' };
    assert.equal(validate('link-missing-file', schema).length, 0);
    assert.equal(validate('Link', schema).length, 1);
    agree(schema, fc.stringMatching(/^[a-zA-Z-]{0,8}$/));
    agree({ type: 'string', pattern: 'md' }, fc.string({ unit: fc.constantFrom('m', 'd', 'x') }));
  });

  test('the shipped .msolrc.json schema, over generated configs', () => {
    const schema = configSchemaForRegistry();
    const severity = fc.constantFrom('off', 'hint', 'info', 'warning', 'error', 'loud', 'inherit');
    const scalar = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -5, max: 5 }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('https://example.org', 'drafts/**'),
    );
    const value = fc.oneof(
      scalar,
      fc.array(scalar, { maxLength: 3 }),
      severity,
      fc.tuple(severity, fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 2 })),
    );
    const ruleIds = Object.keys((schema.properties?.['rules'] as JsonSchema).properties ?? {});
    const sectionKeys = Object.keys(schema.properties ?? {});
    const fieldsOf = (key: string) =>
      Object.keys((schema.properties?.[key] as JsonSchema | undefined)?.properties ?? {});
    const section = (key: string) =>
      fc.dictionary(fc.constantFrom(...fieldsOf(key), 'unknownField'), value, { maxKeys: 3 });
    const config = fc.record(
      {
        rules: fc.dictionary(
          fc.constantFrom(...ruleIds, 'no-such-rule'),
          fc.oneof(
            severity,
            fc.tuple(severity),
            fc.tuple(severity, fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 2 })),
            fc.record({ severity }),
            scalar,
          ),
          { maxKeys: 3 },
        ),
        site: section('site'),
        ignore: fc.oneof(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), scalar),
        maxFileSize: fc.oneof(
          fc.integer({ min: -10, max: 1e7 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          scalar,
        ),
        ...Object.fromEntries(
          sectionKeys
            .filter((k) => !['rules', 'site', 'ignore', 'maxFileSize', '$schema'].includes(k))
            .map((k) => [k, section(k)]),
        ),
      },
      { requiredKeys: [] },
    );
    agree(schema, config, 1500);
    agree(schema, fc.jsonValue({ maxDepth: 3 }), 300);
  });
});

describe('the generator refuses what the validator does not implement', () => {
  test('the shipped schema uses only implemented keywords', () => {
    assert.deepEqual(unsupportedKeywords(configSchemaForRegistry()), []);
  });

  test('an unimplemented keyword is found wherever it is, with its place', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'array', items: { anyOf: [{ type: 'string' }] } },
        b: { oneOf: [{ type: 'string', maxLength: 3 }] },
      },
      additionalProperties: { not: {} },
    } as unknown as JsonSchema;
    assert.deepEqual(unsupportedKeywords(schema), [
      '#/properties/a/items/anyOf',
      '#/properties/b/oneOf/0/maxLength',
      '#/additionalProperties/not',
    ]);
  });
});
