/**
 * Writes (or, with --check, verifies) every file generated from the rule
 * registry: each fact about a rule lives in the registry and its docs.md.
 *
 *   node --import tsx scripts/generate/main.ts [--check]
 *
 * - schemas/msolrc.schema.json  from configSchemaForRegistry()
 * - README.md                   the rules table between the rules markers
 * - package.json                contributes.configuration.properties["msol.rules"] only
 * - ARCHITECTURE.md             the credit phrases table (attribution/phrases.ts) between its markers
 *
 * Fails when the schema uses a keyword the engine's validator does not implement.
 *
 * Run through scripts/generate.mjs (`npm run generate`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configSchemaForRegistry, engineFindingIds, rules } from '../../server/src/engine/index';
import { creditPhrases } from '../../server/src/engine/attribution/phrases';
import { unsupportedKeywords } from '../../server/src/engine/config/validate';
import {
  phrasesEnd,
  phrasesStart,
  readmeEnd,
  readmeStart,
  renderPackageJson,
  renderPhrases,
  renderReadme,
  renderSchema,
  type RuleRow,
} from './render';

const root = join(__dirname, '..', '..');
const check = process.argv.includes('--check');

function read(path: string): string | undefined {
  const abs = join(root, path);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
}

/** Each output is rendered from the file as it is right now, just before it is compared or written. */
const outputs: ReadonlyArray<{
  path: string;
  render: (current: string | undefined) => string | undefined;
  skipNote?: string;
}> = [
  { path: 'schemas/msolrc.schema.json', render: () => renderSchema(configSchemaForRegistry()) },
  {
    path: 'README.md',
    render: (current) =>
      current === undefined ? undefined : renderReadme(current, rows(), Object.values(engineFindingIds)),
    skipNote: `README.md is missing or lacks the ${readmeStart} / ${readmeEnd} markers: the rules table was not generated`,
  },
  {
    path: 'package.json',
    render: (current) => (current === undefined ? undefined : renderPackageJson(current, rows())),
    skipNote: 'package.json is missing',
  },
  {
    path: 'ARCHITECTURE.md',
    render: (current) =>
      current === undefined
        ? undefined
        : renderPhrases(
            current,
            Object.entries(creditPhrases).map(([id, p]) => ({ id, means: p.means, examples: p.examples })),
          ),
    skipNote: `ARCHITECTURE.md is missing or lacks the ${phrasesStart} / ${phrasesEnd} markers: the credit phrases table was not generated`,
  },
];

function rows(): RuleRow[] {
  return rules.map((r) => ({ ...r.meta }));
}

// The engine validates .msolrc.json with its own validator: a schema keyword it does not implement would pass silently.
const unsupported = unsupportedKeywords(configSchemaForRegistry());
if (unsupported.length) {
  console.error(
    `The .msolrc.json schema uses keywords server/src/engine/config/validate.ts does not implement: ${unsupported.join(', ')}\nImplement them in validate() (validationKeywords) or leave them out of the schema.`,
  );
  process.exit(1);
}

const stale: string[] = [];
for (const o of outputs) {
  const current = read(o.path);
  const next = o.render(current);
  if (next === undefined) {
    console.log(`note: ${o.skipNote ?? `${o.path} skipped`}`);
    continue;
  }
  if (next === current) continue;
  if (check) {
    stale.push(o.path);
    continue;
  }
  mkdirSync(dirname(join(root, o.path)), { recursive: true });
  writeFileSync(join(root, o.path), next);
  console.log(`wrote ${o.path}`);
}
if (check) {
  if (stale.length) {
    console.error(
      `Generated files are out of date: ${stale.join(', ')}\nRun \`npm run generate\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log('generated files are up to date');
}
