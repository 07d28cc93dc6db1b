/**
 * Shared helpers for the engine tests: build a site in memory, run a Project
 * over it, and read fixture folders from disk. One `check`-style entry point
 * per need, so tests state inputs and expectations rather than API calls.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { Project, ruleIds, type Finding } from '../../server/src/engine/index';
import { MemoryFileSystem } from '../../server/src/engine/memoryFileSystem';

export type SiteFiles = ReadonlyMap<string, Uint8Array>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(content: Uint8Array): string {
  return decoder.decode(content);
}

export function isMarkdown(path: string): boolean {
  return /\.(md|markdown)$/i.test(path);
}

/** Every file under a folder, as site-relative POSIX paths (dot files and folders included), sorted. */
export function readSite(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(a).isDirectory()) walk(a, r);
      else out.set(r, new Uint8Array(readFileSync(a)));
    }
  };
  walk(dir, '');
  return out;
}

/** A site from inline strings: `site({ 'README.md': '# Home' })`. */
export function site(files: Readonly<Record<string, string | Uint8Array>>): Map<string, Uint8Array> {
  return new Map(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? bytes(c) : c]));
}

/**
 * The `.msolrc.json` text that turns every rule off except `only` (kept at
 * the site's own setting, or its default). A `.msolrc.json` in the site is
 * honoured for everything else (site facts, options).
 */
export function onlyRuleConfig(only: string | undefined, siteConfigText?: string): string {
  const base = (siteConfigText ? (parseJsonc(siteConfigText) as Record<string, unknown>) : {}) ?? {};
  const own = (base['rules'] ?? {}) as Record<string, unknown>;
  const rules: Record<string, unknown> = {};
  for (const id of ruleIds) if (id !== only) rules[id] = 'off';
  if (only !== undefined && own[only] !== undefined) rules[only] = own[only];
  // A test site is a GitBook site unless its own config says otherwise, with or without a SUMMARY.md (a plain folder gets link checks only).
  const site = { kind: 'gitbook', ...((base['site'] ?? {}) as Record<string, unknown>) };
  return JSON.stringify({ ...base, site, rules });
}

export interface CheckedSite {
  readonly project: Project;
  readonly fs: MemoryFileSystem;
  /** Every finding of every file (config findings included), in path order. */
  readonly findings: readonly Finding[];
}

/**
 * Loads a site into a MemoryFileSystem and checks it all; `only` restricts
 * the check to one rule. A test site is a GitBook site (most have no
 * SUMMARY.md, which would make them plain folders, link checks only) unless
 * it has its own `.msolrc.json` or `detectKind` asks to read the kind from
 * what the site holds.
 */
export async function checkSite(
  files: SiteFiles,
  options: { only?: string; detectKind?: boolean } = {},
): Promise<CheckedSite> {
  const fs = new MemoryFileSystem(Object.fromEntries(files));
  const own = files.get('.msolrc.json');
  const configText =
    'only' in options
      ? onlyRuleConfig(options.only, own ? text(own) : undefined)
      : !own && !options.detectKind
        ? JSON.stringify({ site: { kind: 'gitbook' } })
        : undefined;
  const project = new Project({
    fs,
    ...(configText !== undefined ? { configText: { path: '.msolrc.json', text: configText } } : {}),
  });
  await project.initialize();
  const findings = [...project.checkAll().values()].flat();
  return { project, fs, findings };
}

/** `path:line ruleId`, 1-based line: how findings are compared with markers. */
export function findingKey(f: Finding): string {
  return `${f.path}:${f.range.start.line + 1} ${f.ruleId}`;
}

/** Every Markdown file under `dir` (none when it does not exist), skipping node_modules and build output. */
export function markdownFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    if (n === 'node_modules' || n === 'out') continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) markdownFiles(p, out);
    else if (n.endsWith('.md')) out.push(p);
  }
  return out;
}

/** The Markdown pages the equivalence tests read: rule fixtures, the example site, the corpus beside the checkout, the tests' own, and `extra`. */
export function samplePages(repo: string, ...extra: string[]): string[] {
  return [
    ...markdownFiles(join(repo, 'server', 'src', 'engine', 'rules')),
    ...markdownFiles(join(repo, 'examples')),
    ...markdownFiles(join(repo, '..', 'shared', 'corpus')),
    ...markdownFiles(join(repo, 'test')),
    ...extra.flatMap((d) => markdownFiles(d)),
  ];
}
