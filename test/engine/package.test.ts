/**
 * What the .vsix ships, checked with `vsce ls` (the file list `vsce package`
 * would zip, without zipping). `.vscodeignore` is an allowlist: the manifest,
 * the docs, the third-party notices, the bundles (the server's worker threads too), and the contributed grammars, snippets, schemas
 * and media. No sources, maps, tests or node_modules: everything that runs is
 * bundled by scripts/build.mjs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';

const root = resolve(__dirname, '..', '..');
const bundles = ['client/out/extension.js', 'server/out/server.js', 'server/out/worker.js'];

/** Files that may ship: anything else in the list is a packaging leak. */
const allowed = [
  /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|ThirdPartyNotices\.txt)$/,
  /^client\/out\/extension\.js$/,
  /^server\/out\/(server|worker)\.js$/,
  /^(syntaxes|snippets|schemas|media)\//,
];

let cached: string[] | undefined;

/** The `vsce ls` list, building the bundles first when they are missing (as `npm test` would). */
function packagedFiles(): string[] {
  if (cached) return cached;
  if ([...bundles, 'ThirdPartyNotices.txt'].some((b) => !existsSync(join(root, b)))) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `node scripts/build.mjs failed:\n${build.stderr}`);
  }
  const out = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return (cached = out
    .split('\n')
    .map((l) => l.trim().replace(/\\/g, '/'))
    .filter((l) => l !== ''));
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  icon?: string;
  contributes?: {
    grammars?: Array<{ path: string }>;
    snippets?: Array<{ path: string }>;
    jsonValidation?: Array<{ url: string }>;
  };
};

/** A manifest path ("./syntaxes/x.json") as vsce lists it ("syntaxes/x.json"). */
const listed = (p: string) => normalize(p).replace(/\\/g, '/').replace(/^\.\//, '');

test('the vsix holds the bundles and every file the manifest points at', () => {
  const files = packagedFiles();
  for (const b of bundles) assert.ok(files.includes(b), `${b} is not packaged; vsce ls: ${JSON.stringify(files)}`);
  assert.ok(
    files.includes(listed(manifest.main) + (manifest.main.endsWith('.js') ? '' : '.js')),
    `main ${manifest.main} is not packaged`,
  );
  const referenced = [
    ...(manifest.icon ? [manifest.icon] : []),
    ...(manifest.contributes?.grammars ?? []).map((g) => g.path),
    ...(manifest.contributes?.snippets ?? []).map((s) => s.path),
    ...(manifest.contributes?.jsonValidation ?? []).map((j) => j.url).filter((u) => !/^[a-z]+:/i.test(u)),
  ].map(listed);
  assert.ok(
    referenced.length >= 4,
    `expected the icon, grammar, snippets and schema in the manifest, got ${JSON.stringify(referenced)}`,
  );
  for (const r of referenced) assert.ok(files.includes(r), `package.json refers to ${r}, but it is not packaged`);
  for (const doc of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'ThirdPartyNotices.txt'])
    assert.ok(files.includes(doc), `${doc} is not packaged`);
});

test('ThirdPartyNotices.txt names every package bundled into the shipped code, with its license text', () => {
  // The build strips license comments from the bundles, so the notices file must carry them.
  const notices = readFileSync(join(root, 'ThirdPartyNotices.txt'), 'utf8');
  for (const pkg of [
    'unified@',
    'micromark@',
    'vscode-languageclient@',
    'vscode-languageserver@',
    'jsonc-parser@',
    'yaml@',
    'spdx-correct@',
  ]) {
    assert.match(
      notices,
      new RegExp(`^${pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+ \\(`, 'm'),
      `${pkg} is bundled but not in the notices`,
    );
  }
  assert.doesNotMatch(notices, /declares "none"/, 'every bundled package has a license text');
});

test('the vsix holds no sources, maps, tests or node_modules', () => {
  const files = packagedFiles();
  const leaks = files.filter((f) => !allowed.some((a) => a.test(f)));
  assert.deepEqual(leaks, [], 'files outside the .vscodeignore allowlist');
  assert.deepEqual(
    files.filter((f) => /(^|\/)node_modules\//.test(f)),
    [],
    'node_modules',
  );
  assert.deepEqual(
    files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) || /(^|\/)src\//.test(f)),
    [],
    'sources',
  );
  assert.deepEqual(
    files.filter((f) => f.endsWith('.map')),
    [],
    'source maps',
  );
  assert.deepEqual(
    files.filter((f) => /(^|\/)(test|tests|fixtures)\//.test(f)),
    [],
    'tests',
  );
  assert.ok(!files.includes('server/out/msol.js'), 'the CLI bundle is not needed in the extension');
});

test('the vsix stays under 1 MB compressed', () => {
  // Deflate is what a .vsix (a zip) uses: the sum is a close estimate without packaging.
  const files = packagedFiles();
  const compressed = files.reduce(
    (sum, f) => sum + deflateRawSync(readFileSync(join(root, f)), { level: 9 }).length,
    0,
  );
  assert.ok(compressed < 1024 * 1024, `about ${(compressed / 1024).toFixed(0)} KiB compressed`);
});
