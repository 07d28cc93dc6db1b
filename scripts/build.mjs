// Bundles the client, the server and the CLI to CommonJS with esbuild.
// unified 11 and its plugins are ESM-only; the extension host and `node bin/msol.js`
// load CommonJS, so everything is bundled. `tsc -b` type-checks separately.
//   node scripts/build.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
// --product: only what ships (client, server, CLI), not the test bundles.
const productOnly = process.argv.includes('--product');
const dev = process.argv.includes('--dev');

/** Every bundle the project ships or tests. An entry whose source is absent is skipped. */
const entries = [
  { in: 'client/src/extension.ts', out: 'client/out/extension.js', external: ['vscode'] },
  { in: 'client/src/markdownPreview.ts', out: 'client/out/markdownPreview.js', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server/out/server.js' },
  { in: 'server/src/cli/main.ts', out: 'server/out/msol.js' },
  { in: 'server/src/cli/worker.ts', out: 'server/out/worker.js' },
  { in: 'test/vscode/suite/index.ts', out: 'test/vscode/out/suite/index.js', external: ['vscode', 'mocha'], test: true },
];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: !dev,
  keepNames: true,
  sourcemap: dev ? 'inline' : 'linked',
  logLevel: 'warning',
  // ESM packages that read import.meta.url would break silently in CJS: make that loud.
  logOverride: { 'empty-import-meta': 'error' },
  legalComments: 'none',
  // Prefer ESM builds: some packages' `main` is a UMD wrapper with dynamic requires
  // that bundling cannot follow (jsonc-parser's `./impl/format`).
  mainFields: ['module', 'main'],
};

const contexts = [];
for (const e of entries) {
  if (!existsSync(e.in) || (productOnly && e.test)) continue;
  const options = { ...common, entryPoints: [e.in], outfile: e.out, external: e.external ?? [] };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    contexts.push(ctx);
  } else await esbuild.build(options);
}
if (watch) console.log(`watching ${contexts.length} bundles`);
