// Bundles the client, the server and the CLI to CommonJS with esbuild.
// unified 11 and its plugins are ESM-only; the extension host and `node bin/msol.js`
// load CommonJS, so everything is bundled. `tsc -b` type-checks separately.
//   node scripts/build.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonOptions } from './build-options.mjs';

const watch = process.argv.includes('--watch');
// --product: only what ships (client, server, CLI), not the test bundles.
const productOnly = process.argv.includes('--product');
const dev = process.argv.includes('--dev');
const common = commonOptions({ dev });

/** Every bundle the project ships or tests. An entry whose source is absent is skipped. */
const entries = [
  // The worker first: its bytes are part of the engine's identity, which the server and the CLI are built with.
  { in: 'server/src/node/worker.ts', out: 'server/out/worker.js' },
  { in: 'client/src/extension.ts', out: 'client/out/extension.js', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server/out/server.js', engineId: true },
  { in: 'server/src/cli/main.ts', out: 'server/out/msol.js', engineId: true },
  // The unified preset `microsolidarity-authoring/remark` (package.json `exports`).
  { in: 'server/src/remark/index.ts', out: 'server/out/remark.js' },
  {
    in: 'test/vscode/suite/index.ts',
    out: 'test/vscode/out/suite/index.js',
    external: ['vscode', 'mocha'],
    test: true,
  },
];

/**
 * The engine's identity for the persistent cache (server/src/node/cache.ts): a hash of the bundled engine
 * (server/out/worker.js: parser, patches, facts, every rule) and of server/src/node (how the cache stores and
 * matches entries). The server and the CLI get the same one, so the editor reads what `msol check` wrote.
 */
function engineId() {
  const hash = createHash('sha1').update(readFileSync('server/out/worker.js'));
  for (const name of readdirSync('server/src/node').sort())
    hash.update(`\0${name}\0`).update(readFileSync(join('server/src/node', name)));
  return hash.digest('base64url');
}

const contexts = [];
/** Packages whose code ends up in a shipped bundle (legal comments are stripped, so their licenses are collected). */
const bundledPackages = new Set();
for (const e of entries) {
  if (!existsSync(e.in) || (productOnly && e.test)) continue;
  // Watching rebuilds bundles one by one: no shared identity then (each bundle hashes its own bytes at run time).
  const define = e.engineId && !watch ? { MSOL_ENGINE_ID: JSON.stringify(engineId()) } : {};
  const options = {
    ...common,
    entryPoints: [e.in],
    outfile: e.out,
    external: e.external ?? [],
    metafile: !e.test,
    define,
  };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    contexts.push(ctx);
  } else {
    const result = await esbuild.build(options);
    for (const input of Object.keys(result.metafile?.inputs ?? {})) {
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) bundledPackages.add(m[1]);
    }
  }
}
if (!watch) writeNotices([...bundledPackages].sort());

/** The "License" section of a package's readme, for packages that ship no license file. */
function readmeLicense(dir) {
  const readme = readdirSync(dir).find((n) => /^readme(\.|$)/i.test(n));
  if (!readme) return undefined;
  const m =
    /^(?:#+\s*licen[cs]e\b[^\n]*|licen[cs]e\n[=-]+)\n([\s\S]*?)(?=\n#+\s|\n[^\n]+\n[=-]{3,}\n|(?![\s\S]))/im.exec(
      readFileSync(join(dir, readme), 'utf8'),
    );
  return m ? `(from the package's ${readme})\n${m[1].trim()}\n` : undefined;
}

/** ThirdPartyNotices.txt: name, version, license and license text of every bundled package. */
function writeNotices(dirs) {
  let out =
    'Third-party software bundled in Microsolidarity Authoring (client/out, server/out).\n' +
    'Each package keeps its own license, reproduced below.\n';
  for (const dir of dirs) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const licenseFile = readdirSync(dir).find((n) => /^(licen[cs]e|copying)(\.|$)/i.test(n));
    out += `\n${'='.repeat(78)}\n${pkg.name}@${pkg.version} (${typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'see below')})\n${'='.repeat(78)}\n`;
    out += licenseFile
      ? readFileSync(join(dir, licenseFile), 'utf8').trim() + '\n'
      : (readmeLicense(dir) ??
        `No license file in the package; its package.json declares ${JSON.stringify(pkg.license ?? 'none')}.\n`);
  }
  writeFileSync('ThirdPartyNotices.txt', out);
}
if (watch) console.log(`watching ${contexts.length} bundles`);
