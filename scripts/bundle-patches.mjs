// Build-time patches of dependencies, applied by esbuild when it bundles them
// (scripts/build.mjs). Each patch names the exact text it replaces and the
// build fails when that text is gone (a dependency update), so a patch never
// silently stops applying. test/engine/bundlePatches.test.ts checks that each
// patched module behaves exactly like the original.
import { readFile } from 'node:fs/promises';

export const patches = [
  {
    // micromark combines its constructs with the extensions' on every parse,
    // a fresh merge of every construct map per document (3.3 % of a cold
    // check's instructions at 1,000 pages: ARCHITECTURE.md). The
    // extensions come in the same array each time (a frozen processor's
    // data) and micromark never writes to the result: combine once per array.
    name: 'micromark: constructs combined once per extension list',
    file: /[\\/]node_modules[\\/]micromark[\\/]lib[\\/]parse\.js$/,
    path: 'micromark/lib/parse.js',
    replacements: [
      [
        `  const constructs = /** @type {FullNormalizedExtension} */
  combineExtensions([defaultConstructs, ...(settings.extensions || [])]);`,
        `  const constructs = combinedConstructs(settings.extensions);`,
      ],
      [
        `/**
 * @param {ParseOptions | null | undefined} [options]`,
        `const combinedByList = new WeakMap();
function combinedConstructs(extensions) {
  if (!extensions) return combineExtensions([defaultConstructs]);
  let combined = combinedByList.get(extensions);
  if (!combined) {
    combined = combineExtensions([defaultConstructs, ...extensions]);
    combinedByList.set(extensions, combined);
  }
  return combined;
}

/**
 * @param {ParseOptions | null | undefined} [options]`,
      ],
    ],
  },
  {
    // mdast-util-from-markdown copies its whole compile context for every
    // event it handles (`{...context, sliceSerialize}`): millions of short-lived
    // objects on a large site, a large share of the parser's garbage (7 % or
    // more of a cold check's instructions: ARCHITECTURE.md). Its
    // handlers only read the context and never keep it, so one shared context
    // whose `sliceSerialize` is set before each call is the same.
    name: 'mdast-util-from-markdown: one compile context',
    file: /[\\/]node_modules[\\/]mdast-util-from-markdown[\\/]lib[\\/]index\.js$/,
    path: 'mdast-util-from-markdown/lib/index.js',
    replacements: [
      [
        '    events = prepared;\n    index = -1;\n',
        '    events = prepared;\n    index = -1;\n    const shared = {\n      ...context,\n      sliceSerialize: undefined\n    };\n',
      ],
      [
        `        handler[events[index][1].type].call({
          ...context,
          sliceSerialize: events[index][2].sliceSerialize
        }, events[index][1]);`,
        `        shared.sliceSerialize = events[index][2].sliceSerialize;
        handler[events[index][1].type].call(shared, events[index][1]);`,
      ],
    ],
  },
];

/** Applies a patch's replacements to a file's text; throws when one does not match exactly once. */
export function applyPatch(patch, text) {
  let out = text;
  for (const [from, to] of patch.replacements) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0)
      throw new Error(
        `bundle patch "${patch.name}" no longer applies: the text it replaces is not found exactly once (update scripts/bundle-patches.mjs)`,
      );
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

/** The esbuild plugin that applies every patch. */
export const bundlePatches = {
  name: 'bundle-patches',
  setup(build) {
    for (const patch of patches) {
      build.onLoad({ filter: patch.file }, async (args) => ({
        contents: applyPatch(patch, await readFile(args.path, 'utf8')),
        loader: 'js',
      }));
    }
  },
};
