/** Types of bundle-patches.mjs (build-time patches of dependencies), for the tests. */
export interface BundlePatch {
  readonly name: string;
  readonly file: RegExp;
  /** The patched file, relative to node_modules. */
  readonly path: string;
  readonly replacements: readonly (readonly [string, string])[];
}
export declare const patches: readonly BundlePatch[];
export declare function applyPatch(patch: BundlePatch, text: string): string;
export declare const bundlePatches: { readonly name: string; setup(build: unknown): void };
