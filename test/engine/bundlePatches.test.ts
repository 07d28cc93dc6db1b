/**
 * scripts/bundle-patches.mjs patches dependencies (micromark,
 * mdast-util-from-markdown) when esbuild bundles them.
 * Each patched module must behave exactly like the original: the parser is
 * bundled twice here, with and without the patches, and both must give the
 * same trees for every fixture, example, corpus page and a generated site.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { applyPatch, bundlePatches, patches } from '../../scripts/bundle-patches.mjs';
import { generateSite } from '../../scripts/bench/generate-site.mjs';
import { samplePages } from './util';

const repo = resolve(__dirname, '..', '..');

/** The engine's parser (remark-parse, remark-gfm, remark-frontmatter) bundled to CommonJS and loaded. */
async function bundledParser(dir: string, name: string, patched: boolean): Promise<(text: string) => unknown> {
  const entry = join(dir, `${name}-entry.mjs`);
  writeFileSync(
    entry,
    `import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
// One options object for every parse, as remark-parse passes a frozen processor's data.
const options = { extensions: [gfm(), frontmatter(['yaml'])], mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])] };
export const parse = (text) => fromMarkdown(text, options);
`,
  );
  const out = join(dir, `${name}.cjs`);
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    nodePaths: [join(repo, 'node_modules')],
    logLevel: 'error',
    plugins: patched ? [bundlePatches] : [],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(out) as { parse: (text: string) => unknown }).parse;
}

test('every patch still applies to the installed dependency (the build would fail otherwise)', () => {
  assert.ok(patches.length > 0);
  for (const patch of patches) {
    const file = join(repo, 'node_modules', ...patch.path.split('/'));
    assert.match(file, patch.file);
    const patched = applyPatch(patch, readFileSync(file, 'utf8'));
    assert.notEqual(patched, readFileSync(file, 'utf8'));
  }
  assert.throws(() => applyPatch(patches[0]!, 'unrelated text'), /no longer applies/);
});

test('the patched parser gives the very trees of the original one', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'msol-patch-'));
  try {
    const original = await bundledParser(tmp, 'original', false);
    const patched = await bundledParser(tmp, 'patched', true);
    assert.match(readFileSync(join(tmp, 'patched.cjs'), 'utf8'), /shared\.sliceSerialize = /);
    assert.doesNotMatch(readFileSync(join(tmp, 'original.cjs'), 'utf8'), /shared\.sliceSerialize = /);
    assert.match(readFileSync(join(tmp, 'patched.cjs'), 'utf8'), /combinedByList/);
    assert.doesNotMatch(readFileSync(join(tmp, 'original.cjs'), 'utf8'), /combinedByList/);
    const site = join(tmp, 'site');
    generateSite({ pages: 60, out: site, seed: 5 });
    const files = samplePages(repo, site);
    const texts = files.map((f) => readFileSync(f, 'utf8'));
    texts.push(
      '---\ntitle: x\n---\n\n- [ ] task\n- [x] done\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\nText[^1] ~~gone~~ www.x.com a@b.co\n\n[^1]: Note.\n\n> quote\n>\n> 1. list\n\n    code\n\n```js\nx\n```\n\n<div>\nhtml\n</div>\n\n[ref]: http://x "t"\n',
    );
    let compared = 0;
    for (const t of texts) {
      assert.equal(JSON.stringify(patched(t)), JSON.stringify(original(t)), t.slice(0, 120));
      compared++;
    }
    assert.ok(compared > 100, `compared ${compared} texts`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
