import { execFile } from 'node:child_process';
import type { Logger } from '../engine/host';
import type { FileRename } from '../engine/workspace';
import type { Project } from '../engine/project';
import { setCommitAuthors } from '../engine/attribution/records';

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

/** Hands a site's git history to its Project (renames and commit authors). Returns whether there was any. */
export async function applyGitHistory(project: Project, root: string, logger?: Logger): Promise<boolean> {
  const history = await readGitHistory(root, logger ? { logger } : {});
  if (!history) return false;
  project.index.setRenames(history.renames);
  setCommitAuthors(project.index, { authorsOf: (path) => history.authors.get(path) });
  return true;
}
