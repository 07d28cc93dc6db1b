import { editDistance } from '../text';

/**
 * A validator for the part of JSON Schema (draft-07) our own schemas use:
 * exactly the keywords of `validationKeywords`, each with its meaning in the
 * standard (`oneOf` is exactly one, `required` names missing fields,
 * `pattern` is an ECMAScript regular expression, unanchored). The schema
 * shipped for editors is the same object, so what VS Code underlines and what
 * the engine reports agree. `npm run generate` refuses a schema that uses any
 * other keyword (`unsupportedKeywords`), and test/engine/config.test.ts
 * compares the verdicts with ajv's on generated values.
 */

/** The keywords `validate` implements. */
export const validationKeywords: ReadonlySet<string> = new Set([
  'type',
  'enum',
  'properties',
  'additionalProperties',
  'required',
  'items',
  'oneOf',
  'minimum',
  'minItems',
  'maxItems',
  'pattern',
  'format',
]);
/** Keywords that only annotate (no value is ever invalid because of them). */
export const annotationKeywords: ReadonlySet<string> = new Set([
  'description',
  'markdownDescription',
  'default',
  '$schema',
  'title',
  'examples',
  'deprecationMessage',
  'enumDescriptions',
  'markdownEnumDescriptions',
]);

/** Every keyword a schema uses that `validate` neither implements nor may ignore, with where it is. */
export function unsupportedKeywords(schema: JsonSchema, at = '#'): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!validationKeywords.has(key) && !annotationKeywords.has(key)) out.push(`${at}/${key}`);
    if (key === 'properties')
      for (const [name, s] of Object.entries(value as Record<string, JsonSchema>))
        out.push(...unsupportedKeywords(s, `${at}/properties/${name}`));
    if (key === 'additionalProperties' && typeof value === 'object')
      out.push(...unsupportedKeywords(value as JsonSchema, `${at}/additionalProperties`));
    if (key === 'items')
      (Array.isArray(value) ? (value as JsonSchema[]) : [value as JsonSchema]).forEach((s, i) =>
        out.push(...unsupportedKeywords(s, Array.isArray(value) ? `${at}/items/${i}` : `${at}/items`)),
      );
    if (key === 'oneOf')
      (value as JsonSchema[]).forEach((s, i) => out.push(...unsupportedKeywords(s, `${at}/oneOf/${i}`)));
  }
  return out;
}

export interface JsonSchema {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema | readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly required?: readonly string[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly description?: string;
  readonly markdownDescription?: string;
  readonly default?: unknown;
  readonly $schema?: string;
  readonly title?: string;
  readonly format?: string;
}

export interface SchemaProblem {
  readonly path: readonly (string | number)[];
  /** Short: what is wrong and what to write ("unknown field; expected `license`"). */
  readonly message: string;
  /** More than the message has room for (the value found, every known field). */
  readonly detail?: string;
  /** The field itself is unknown (its value is not looked at). */
  readonly unknownField?: boolean;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** The known name a misspelt one most likely meant (at most a third of it differs). */
function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const limit = Math.floor(Math.max(k.length, lower.length) / 3);
    const d = editDistance(k.toLowerCase(), lower, limit);
    if (d <= limit && d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

export function validate(value: unknown, schema: JsonSchema, path: (string | number)[] = []): SchemaProblem[] {
  if (schema.oneOf) {
    const attempts = schema.oneOf.map((s) => validate(value, s, path));
    const matching = attempts.filter((a) => a.length === 0).length;
    if (matching === 1) return [];
    if (matching > 1)
      return [{ path, message: `expected a value of exactly one form, got one that fits ${matching} of them` }];
    // Report the alternative the value was meant for: one of its type if any (`["loud"]` is a
    // wrong severity, not "expected a string"), then the one that got furthest (fewest problems).
    const sameType = attempts.filter((_, i) => {
      const t = schema.oneOf![i]!.type;
      return t !== undefined && (t === typeOf(value) || (t === 'integer' && typeof value === 'number'));
    });
    return (sameType.length ? sameType : attempts).reduce((a, b) => (b.length < a.length ? b : a));
  }
  const problems: SchemaProblem[] = [];
  if (schema.type) {
    const t = typeOf(value);
    const okType = schema.type === 'integer' ? Number.isInteger(value) : schema.type === t;
    if (!okType)
      return [
        {
          path,
          message: `expected ${schema.type === 'integer' ? 'a whole number' : `a${/^[aeiou]/.test(schema.type) ? 'n' : ''} ${schema.type}`}`,
          detail: `It is ${t === 'object' ? 'an object' : t === 'array' ? 'an array' : JSON.stringify(value)}.`,
        },
      ];
  }
  // `format: uri` as editors check it (vscode-json-languageservice): an absolute URI, with a scheme.
  if (schema.format === 'uri' && typeof value === 'string' && !/^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(value)) {
    return [
      {
        path,
        message: 'expected an absolute URL such as "https://example.org"',
        detail: `It is ${JSON.stringify(value)}.`,
      },
    ];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    const names = schema.enum.map((e) => JSON.stringify(e));
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
    return [{ path, message: `expected ${list}`, detail: `It is ${JSON.stringify(value)}.` }];
  }
  if (typeof value === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push({ path, message: `expected text matching /${schema.pattern}/, got ${JSON.stringify(value)}` });
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    problems.push({ path, message: `expected at least ${schema.minimum}`, detail: `It is ${value}.` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push({ path, message: `expected at least ${schema.minItems} item(s)` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      problems.push({ path, message: `expected at most ${schema.maxItems} item(s)` });
    if (schema.items) {
      value.forEach((item, i) => {
        const s = Array.isArray(schema.items)
          ? (schema.items as readonly JsonSchema[])[i]
          : (schema.items as JsonSchema);
        if (s) problems.push(...validate(item, s, [...path, i]));
      });
    }
  }
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    for (const name of schema.required ?? [])
      if (!Object.hasOwn(o, name)) problems.push({ path: [...path, name], message: 'missing; this field is required' });
    for (const [k, v] of Object.entries(o)) {
      if (k === '$schema') continue;
      // Own properties only: a field named `constructor` or `toString` is unknown, not Object.prototype's.
      const s = schema.properties && Object.hasOwn(schema.properties, k) ? schema.properties[k] : undefined;
      if (s) problems.push(...validate(v, s, [...path, k]));
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        const near = closestName(k, known);
        problems.push({
          path: [...path, k],
          message: `expected ${near ? `\`${near}\`` : 'a known field'}`,
          detail: `The known fields here: ${known.map((n) => `\`${n}\``).join(', ')}.`,
          unknownField: true,
        });
      } else if (typeof schema.additionalProperties === 'object')
        problems.push(...validate(v, schema.additionalProperties, [...path, k]));
    }
  }
  return problems;
}
