import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { Logger } from '../engine/host';
import type { FileRename } from '../engine/workspace';
import type { Project } from '../engine/project';
import { setCommitAuthors } from '../engine/attribution/records';
import type { PhaseOneCache } from './cache';

/**
 * What git knows that the engine may use as evidence: renames (for
 * link-missing-file's "did you mean") and who committed each page (a hint for
 * author-undeclared). Read once per site with one bounded `git log`; a folder
 * that is not a repository, a missing git or a slow one simply yields nothing.
 * Only history below the site root is read (`-- .`).
 */
export interface GitHistory {
  /** Oldest first, site-relative. */
  readonly renames: readonly FileRename[];
  /** Site path → commit author names, oldest first, following renames. */
  readonly authors: ReadonlyMap<string, readonly string[]>;
  readonly commits: number;
}

function git(root: string, args: readonly string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', root, '-c', 'core.quotePath=false', ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

/** Undoes git's C-style quoting of unusual path names ("a\tb.md"). */
function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  return path.slice(1, -1).replace(/\\([\\"tnr]|[0-7]{3})/g, (_, c: string) =>
    c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : /^[0-7]{3}$/.test(c) ? String.fromCharCode(parseInt(c, 8)) : c,
  );
}

/** Parses `git log --reverse --name-status -M --format=%x01%an` output. Pure: exported for tests. */
export function parseGitLog(output: string, prefix: string): GitHistory {
  const renames: FileRename[] = [];
  const authors = new Map<string, string[]>();
  let author = '';
  let commits = 0;
  const inSite = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : undefined);
  const credit = (path: string) => {
    const list = authors.get(path) ?? [];
    if (author && list[list.length - 1] !== author) list.push(author);
    authors.set(path, list);
  };
  for (const line of output.split('\n')) {
    if (line.startsWith('\x01')) {
      author = line.slice(1).trim();
      commits++;
      continue;
    }
    const parts = line.split('\t');
    const status = parts[0] ?? '';
    if (/^R\d*$/.test(status) && parts.length >= 3) {
      const from = inSite(unquote(parts[1]!));
      const to = inSite(unquote(parts[2]!));
      if (from !== undefined && to !== undefined) {
        renames.push({ from, to });
        authors.set(to, [...(authors.get(from) ?? [])]);
        authors.delete(from);
        credit(to);
      } else if (to !== undefined) credit(to);
    } else if (/^[AMC]\d*$/.test(status) && parts.length >= 2) {
      const p = inSite(unquote(parts[parts.length - 1]!));
      if (p !== undefined) credit(p);
    }
  }
  return { renames, authors, commits };
}

export async function readGitHistory(root: string, options: { readonly maxCommits?: number; readonly timeoutMs?: number; readonly logger?: Logger } = {}): Promise<GitHistory | undefined> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const prefix = await git(root, ['rev-parse', '--show-prefix'], timeoutMs);
  if (prefix === undefined) return undefined;
  const out = await git(root, ['log', '--reverse', '--name-status', '-M', '--no-color', `--max-count=${options.maxCommits ?? 5000}`, '--format=%x01%an', '--', '.'], timeoutMs);
  if (out === undefined) {
    options.logger?.log('info', 'git history unavailable or too slow; rename and author hints are off', { root });
    return undefined;
  }
  const history = parseGitLog(out, prefix.trim());
  options.logger?.log('debug', 'read git history', { root, commits: history.commits, renames: history.renames.length });
  return history;
}

/**
 * Whether no file of `folder` is tracked by git: the folder is outside every
 * repository's work tree, or git lists nothing in it. false when that cannot
 * be told (no git, an error). The cache reads a file signed elsewhere only
 * then (cache.ts, docs/ci.md).
 */
export async function untrackedByGit(folder: string): Promise<boolean> {
  let real: string;
  try {
    real = realpathSync(folder);
  } catch {
    return false;
  }
  for (let d = real; ; ) {
    if (existsSync(nodePath.join(d, '.git'))) break;
    const up = nodePath.dirname(d);
    if (up === d) return true;
    d = up;
  }
  // Lists the index only: no fsmonitor hook (a repository's config could name a command), no refresh.
  const listed = await git(real, ['-c', 'core.fsmonitor=false', 'ls-files', '-z', '--', '.'], 5000);
  return listed === '';
}

/**
 * What the history of a site depends on, read from the repository's files
 * without starting git: the commit HEAD names, the site's folder within the
 * work tree, and a shallow clone's boundary. `none`: no repository holds the
 * site (git would find none either). `unknown`: a setup this reader does not
 * follow (GIT_DIR and friends, grafts, replace refs, a symbolic ref chain, a
 * branch without commits); then git is asked.
 */
export type HeadState = { readonly kind: 'none' } | { readonly kind: 'commit'; readonly key: string } | { readonly kind: 'unknown'; readonly why: string };

export function readHead(root: string, env: Readonly<Record<string, string | undefined>> = process.env): HeadState {
  const unknown = (why: string): HeadState => ({ kind: 'unknown', why });
  for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM', 'GIT_COMMON_DIR', 'GIT_REPLACE_REF_BASE', 'GIT_GRAFT_FILE']) if (env[v]) return unknown(`${v} is set`);
  try {
    const real = realpathSync(root);
    let top = real;
    let dotGit: ReturnType<typeof statSync> | undefined;
    for (;;) {
      dotGit = statSync(nodePath.join(top, '.git'), { throwIfNoEntry: false });
      if (dotGit) break;
      const up = nodePath.dirname(top);
      if (up === top) return { kind: 'none' };
      top = up;
    }
    let gitDir = nodePath.join(top, '.git');
    if (dotGit.isFile()) {
      // A worktree or a submodule: `gitdir: <path>`.
      const m = readFileSync(gitDir, 'utf8').match(/^gitdir: (.+?)\s*$/m);
      if (!m) return unknown('unreadable .git file');
      gitDir = nodePath.resolve(top, m[1]!);
    } else if (!dotGit.isDirectory()) return unknown('.git is neither a folder nor a file');
    const read = (p: string) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    };
    const common = read(nodePath.join(gitDir, 'commondir'));
    const commonDir = common !== undefined ? nodePath.resolve(gitDir, common.trim()) : gitDir;
    if (read(nodePath.join(commonDir, 'info', 'grafts')) !== undefined) return unknown('grafts');
    const packed = read(nodePath.join(commonDir, 'packed-refs')) ?? '';
    const replace = (() => {
      try {
        return readdirSync(nodePath.join(commonDir, 'refs', 'replace')).length > 0;
      } catch {
        return false;
      }
    })();
    if (replace || packed.includes(' refs/replace/')) return unknown('replace refs');
    const head = read(nodePath.join(gitDir, 'HEAD'))?.trim();
    if (head === undefined) return unknown('no HEAD');
    let commit: string | undefined;
    if (/^[0-9a-f]{40,64}$/.test(head)) commit = head;
    else if (head.startsWith('ref: ')) {
      const ref = head.slice(5).trim();
      for (const dir of [gitDir, commonDir]) {
        const v = read(nodePath.join(dir, ...ref.split('/')))?.trim();
        if (v !== undefined) {
          commit = /^[0-9a-f]{40,64}$/.test(v) ? v : undefined;
          if (!commit) return unknown('a symbolic ref chain');
          break;
        }
      }
      commit ??= packed.split('\n').find((line) => line.endsWith(` ${ref}`) && /^[0-9a-f]{40,64} /.test(line))?.split(' ')[0];
    }
    if (!commit) return unknown('HEAD names no commit yet');
    const prefix = nodePath.relative(top, real).split(nodePath.sep).join('/');
    const shallow = read(nodePath.join(commonDir, 'shallow')) ?? '';
    return { kind: 'commit', key: createHash('sha1').update(`${commit}\0${prefix}\0${shallow}`).digest('base64url') };
  } catch (error) {
    return unknown(String(error));
  }
}

/**
 * Hands a site's git history to its Project (renames and commit authors).
 * With a cache, git runs only when the commit HEAD names differs from the
 * one the stored history was read at (a warm check after no commit starts
 * no process), and not at all outside a repository. Returns whether there
 * was any history.
 */
export async function applyGitHistory(project: Project, root: string, logger?: Logger, cache?: PhaseOneCache): Promise<boolean> {
  const head = readHead(root);
  if (head.kind === 'none') return false;
  let history: Pick<GitHistory, 'renames' | 'authors'> | undefined;
  const stored = head.kind === 'commit' ? await cache?.loadHistory(head.key) : undefined;
  if (stored) history = { renames: stored.renames, authors: new Map(stored.authors) };
  else {
    history = await readGitHistory(root, logger ? { logger } : {});
    if (history && head.kind === 'commit') await cache?.saveHistory(head.key, { renames: history.renames, authors: [...history.authors] });
  }
  if (!history) return false;
  const authors = history.authors;
  project.index.setRenames(history.renames);
  setCommitAuthors(project.index, { authorsOf: (path) => authors.get(path) });
  return true;
}
