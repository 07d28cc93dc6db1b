// The esbuild options every bundle shares (scripts/build.mjs; scripts/bench/speedups.mjs builds variants with them).
import { bundlePatches } from './bundle-patches.mjs';

/** `dev`: readable bundles with inline source maps (`--dev`). */
export function commonOptions({ dev = false, plugins = [bundlePatches] } = {}) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: !dev,
    // No keepNames: it wraps every function esbuild renames in a defineProperty call, run each time
    // a closure is made (micromark makes several per construct attempt): about a tenth of a check's
    // CPU. Nothing may depend on function names (test/engine/parseFastPath.test.ts bundles minified).
    keepNames: false,
    sourcemap: dev ? 'inline' : 'linked',
    logLevel: 'warning',
    // ESM packages that read import.meta.url would break silently in CJS: make that loud.
    logOverride: { 'empty-import-meta': 'error' },
    legalComments: 'none',
    // Prefer ESM builds: some packages' `main` is a UMD wrapper with dynamic requires
    // that bundling cannot follow (jsonc-parser's `./impl/format`).
    mainFields: ['module', 'main'],
    // Node 20 has \p{…} in regular expressions; without this esbuild rewrites
    // such literals to `new RegExp(…)` calls, evaluated anew at every call.
    supported: { 'regexp-unicode-property-escapes': true },
    plugins,
  };
}
