import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Workspace trust, what can be checked without a VS Code: the extension
 * declares limited support and restricts the one setting that names a folder
 * outside the site (docs/reliability.md), and no source file can run code a
 * workspace supplies. The only process anything starts is `git`, by argument
 * array (no shell), in one place; nothing evaluates text (eval, Function,
 * vm) or loads a module by a computed name. The LSP hostile-workspace test
 * shows at run time that the server writes nothing.
 */

const repoRoot = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { markdownDescription?: string }> } };
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('limited support in untrusted workspaces; the templates folder setting is restricted', () => {
  const trust = pkg.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.ok(trust.restrictedConfigurations?.includes('msol.templates.folder'));
  for (const key of trust.restrictedConfigurations ?? [])
    assert.ok(pkg.contributes.configuration.properties[key], `${key} is a contributed setting`);
});

test('no source runs what a workspace supplies: one git call by argument array, no eval, no computed imports', () => {
  const files = [...sources(join(repoRoot, 'server', 'src')), ...sources(join(repoRoot, 'client', 'src'))];
  assert.ok(files.length > 50);
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    const at = relative(repoRoot, file);
    if (
      /from 'node:child_process'|require\('(?:node:)?child_process'\)/.test(text) &&
      at !== join('server', 'src', 'node', 'gitHistory.ts')
    )
      found.push(`${at}: imports child_process`);
    if (/\b(?:exec|execSync|spawn|spawnSync|fork)\s*\(/.test(text) && /child_process/.test(text))
      found.push(`${at}: starts a process other than by execFile`);
    if (/\beval\s*\(|\bnew\s+Function\s*\(|from 'node:vm'|\brequire\s*\(\s*[^'"`\s)]/.test(text))
      found.push(`${at}: evaluates code or requires a computed name`);
    if (/\bimport\s*\(\s*[^'"`\s)]/.test(text)) found.push(`${at}: imports a computed name`);
  }
  const git = readFileSync(join(repoRoot, 'server', 'src', 'node', 'gitHistory.ts'), 'utf8');
  assert.match(git, /execFile\(\s*'git',\s*\[/, 'git is started by execFile with an argument array');
  assert.doesNotMatch(git, /shell\s*:\s*true/);
  assert.deepEqual(found, []);
});
