// Generates the files that derive from the rule registry: schemas/msolrc.schema.json,
// the README rules table and package.json's `msol.rules` setting.
//   node scripts/generate.mjs            write them
//   node scripts/generate.mjs --check    exit 1, listing stale files, if any would change (npm test runs this)
// The registry is TypeScript, so the work happens in scripts/generate/main.ts under tsx.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', join('scripts', 'generate', 'main.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (result.error) {
  console.error(result.error.message);
  process.exit(1);
}
process.exit(result.status ?? 1);
