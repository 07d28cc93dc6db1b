import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { HistoryCommit, HistoryMove, Logger, PageAuthorship, SiteHistory } from '../engine/host';
import type { Project } from '../engine/project';
import { historyAuthorCandidates } from '../engine/attribution/history';

/**
 * The site's history from git, as the engine's `SiteHistory` (engine/host.ts):
 * - one `git log --raw` below the site folder gives every commit, every
 *   file's content ids over time, and moves: renames in one commit, and a
 *   delete and an add of the same file in separate commits (same content,
 *   or the same name a few commits apart);
 * - `git ls-files -s` gives the content of each file now (a file changed
 *   since it was committed is left out: its content is not known);
 * - `git blame`, only for the few pages the engine asks about (pages that
 *   declare no author and that someone other than the default author
 *   changed), gives who wrote the lines that still stand; lines a move
 *   across commits brought are followed to the old path, and lines of a
 *   commit that imports many pages at once author nothing.
 *
 * History is used only when it is the site's own: the site's folder inside
 * a work tree whose commits touch its pages. A repository that merely holds
 * a copy of the site shows one commit adding all its pages: an import, which
 * authors nothing and moves nothing. No repository, no git, or a slow git:
 * no history, and no error.
 */

/**
 * A commit adding 5 pages or more that make up at least `importShare` of the
 * site's pages after it is an import (a site copied or migrated in): its
 * lines author nothing and its adds are no moves. A large overhaul adding
 * pages to a living site (the handbook's "2022 overhaul": 15 of 45) is not.
 */
export const importShare = 0.8;
/** A delete and a later add of a file with the same name count as a move when at most this many commits apart. */
export const moveWindow = 5;

function git(root: string, args: readonly string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    // A repository's config may name programs (core.fsmonitor runs on ls-files and diff-files, textconv on blame): none of them runs.
    execFile(
      'git',
      ['--no-pager', '-C', root, '-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false', ...args],
      { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, windowsHide: true },
      (error, stdout) => {
        resolve(error ? undefined : stdout);
      },
    );
  });
}

interface Change {
  readonly commit: number;
  readonly status: string;
  readonly from?: string;
  readonly path: string;
  readonly oldId: string;
  readonly newId: string;
}

export interface ParsedLog {
  readonly commits: HistoryCommit[];
  readonly changes: Change[];
}

const isPage = (p: string) => /\.(md|markdown)$/i.test(p);

/**
 * Parses `git log --reverse --raw -z --no-abbrev -M --format=%x01%H%x00%an%x00%at`
 * output, keeping paths inside the site (`prefix`, the site folder in the
 * repository, with its trailing slash) as site paths. Pure: exported for tests.
 */
export function parseRawLog(output: string, prefix: string): ParsedLog {
  const commits: HistoryCommit[] = [];
  const changes: Change[] = [];
  const tokens = output.split('\0');
  const inSite = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : undefined);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.replace(/^\n+/, '');
    if (t.startsWith('\x01')) {
      commits.push({
        id: t.slice(1),
        author: (tokens[i + 1] ?? '').trim(),
        time: Number(tokens[i + 2] ?? 0),
        import: false,
      });
      i += 2;
      continue;
    }
    if (!t.startsWith(':') || commits.length === 0) continue;
    const [, , oldId = '', newId = '', status = ''] = t.slice(1).split(' ');
    const first = tokens[++i] ?? '';
    const two = /^[RC]/.test(status);
    const second = two ? (tokens[++i] ?? '') : undefined;
    const commit = commits.length - 1;
    const to = inSite(second ?? first);
    const from = two ? inSite(first) : undefined;
    if (to === undefined && from === undefined) continue;
    if (two && from !== undefined && to === undefined)
      changes.push({ commit, status: 'D', path: from, oldId, newId: '' });
    else if (two && from === undefined) changes.push({ commit, status: 'A', path: to!, oldId: '', newId });
    else changes.push({ commit, status: status[0]!, ...(from !== undefined ? { from } : {}), path: to!, oldId, newId });
  }
  return { commits, changes };
}

/** The history of a site: content ids per path, moves, committers per page. Pure over a parsed log and the files' current content. */
export class GitSiteHistory implements SiteHistory {
  readonly commits: HistoryCommit[];
  readonly moves: HistoryMove[] = [];
  /** Per path, its content after each commit that changed it (null: deleted), oldest first. */
  readonly #contents = new Map<string, Array<readonly [number, string | null]>>();
  readonly #holders = new Map<string, string[]>();
  readonly #committers = new Map<string, string[]>();
  readonly #authorship = new Map<string, PageAuthorship>();
  /** Commits that add a page moved from elsewhere in an earlier commit (their lines were written before). */
  readonly moveAdds = new Map<string, { readonly from: string; readonly beforeCommit: string }>();

  constructor(log: ParsedLog, current: ReadonlyMap<string, string>) {
    this.commits = log.commits;
    const changes = log.changes;
    // Imports: many pages added at once (a site copied in, a migration).
    const pages = new Set<string>();
    const added = new Map<number, number>();
    for (const c of changes) {
      if (!isPage(c.path)) continue;
      if (c.status === 'A' || c.status === 'C') added.set(c.commit, (added.get(c.commit) ?? 0) + 1);
    }
    const byCommit = new Map<number, Change[]>();
    for (const c of changes) byCommit.set(c.commit, [...(byCommit.get(c.commit) ?? []), c]);
    for (let i = 0; i < this.commits.length; i++) {
      for (const c of byCommit.get(i) ?? []) {
        if (!isPage(c.path)) continue;
        if (c.status === 'D') pages.delete(c.path);
        else pages.add(c.path);
        if (c.from) pages.delete(c.from);
      }
      const n = added.get(i) ?? 0;
      if (n >= 5 && n >= importShare * pages.size) this.commits[i] = { ...this.commits[i]!, import: true };
    }
    // Content over time, and renames.
    for (const c of changes) {
      const list = (p: string) => {
        let l = this.#contents.get(p);
        if (!l) this.#contents.set(p, (l = []));
        return l;
      };
      if (c.status === 'D') list(c.path).push([c.commit, null]);
      else {
        if (c.status === 'R' && c.from !== undefined) {
          list(c.from).push([c.commit, null]);
          if (!this.commits[c.commit]!.import)
            this.moves.push({ from: c.from, to: c.path, commit: c.commit, leftAt: c.commit, kind: 'rename' });
        }
        list(c.path).push([c.commit, c.newId]);
      }
    }
    // A delete and an add in separate commits: the same content, or the same name a few commits apart.
    const deletes = changes.filter((c) => c.status === 'D' && !this.commits[c.commit]!.import);
    const adds = changes.filter((c) => c.status === 'A' && !this.commits[c.commit]!.import);
    const used = new Set<Change>();
    for (const d of deletes) {
      const name = d.path.slice(d.path.lastIndexOf('/') + 1).toLowerCase();
      const near = (a: Change) =>
        a.path !== d.path && !used.has(a) && a.commit !== d.commit && Math.abs(a.commit - d.commit) <= 50;
      const match =
        adds.find((a) => near(a) && a.commit > d.commit && a.newId === d.oldId) ??
        adds.find((a) => near(a) && a.commit < d.commit && a.newId === d.oldId) ??
        adds.find(
          (a) =>
            near(a) &&
            a.commit > d.commit &&
            a.commit - d.commit <= moveWindow &&
            a.path.slice(a.path.lastIndexOf('/') + 1).toLowerCase() === name,
        );
      if (!match) continue;
      used.add(match);
      this.moves.push({
        from: d.path,
        to: match.path,
        commit: Math.max(match.commit, d.commit),
        leftAt: d.commit,
        kind: 'delete-add',
      });
      if (match.commit > d.commit)
        this.moveAdds.set(`${this.commits[match.commit]!.id}\u0000${match.path}`, {
          from: d.path,
          beforeCommit: this.commits[d.commit]!.id,
        });
    }
    this.moves.sort((a, b) => a.commit - b.commit);
    // Committers of each page's text, following its moves: not the move itself, not an import.
    const moveTo = new Map(this.moves.filter((m) => m.kind === 'delete-add').map((m) => [`${m.to}@${m.commit}`, m]));
    const stash = new Map<string, string[]>();
    for (const c of changes) {
      if (!isPage(c.path)) continue;
      const commit = this.commits[c.commit]!;
      const own = (p: string) => this.#committers.get(p) ?? [];
      if (c.status === 'D') {
        stash.set(c.path, own(c.path));
        this.#committers.delete(c.path);
        continue;
      }
      let list: string[];
      if (c.status === 'R' && c.from !== undefined) {
        list = [...own(c.from)];
        this.#committers.delete(c.from);
        if (!c.oldId || c.oldId !== c.newId) list.push(commit.author);
      } else if (c.status === 'A') {
        const move =
          moveTo.get(`${c.path}@${c.commit}`) ??
          this.moves.find((m) => m.kind === 'delete-add' && m.to === c.path && m.commit === c.commit);
        const before = move ? (stash.get(move.from) ?? this.#committers.get(move.from) ?? []) : [];
        list = [...before];
        const sameContent =
          move !== undefined && changes.some((x) => x.status === 'D' && x.path === move.from && x.oldId === c.newId);
        if (!commit.import && !sameContent) list.push(commit.author);
      } else {
        list = [...own(c.path)];
        if (!commit.import) list.push(commit.author);
      }
      this.#committers.set(c.path, list);
    }
    for (const [path, id] of current) this.#holders.set(id, [...(this.#holders.get(id) ?? []), path]);
  }

  contentAt(path: string, commit: number): string | undefined {
    const list = this.#contents.get(path);
    if (!list) return undefined;
    let found: string | null | undefined;
    for (const [c, id] of list) {
      if (c > commit) break;
      found = id;
    }
    return found ?? undefined;
  }

  filesWithContent(id: string): readonly string[] {
    return this.#holders.get(id) ?? [];
  }

  committersOf(path: string): readonly string[] | undefined {
    return this.#committers.get(path);
  }

  authorshipOf(path: string): PageAuthorship | undefined {
    return this.#authorship.get(path);
  }

  setAuthorship(path: string, authorship: PageAuthorship): void {
    this.#authorship.set(path, authorship);
  }

  isImport(commitId: string): boolean {
    return this.commits.some((c) => c.id === commitId && c.import);
  }
}

/** Parses `git blame --porcelain` output: each line's commit, author and text. Pure: exported for tests. */
export function parseBlame(
  output: string,
): Array<{ readonly commit: string; readonly author: string; readonly text: string }> {
  const authors = new Map<string, string>();
  const out: Array<{ commit: string; author: string; text: string }> = [];
  let commit = '';
  for (const line of output.split('\n')) {
    const head = line.match(/^([0-9a-f]{40}) \d+ \d+(?: \d+)?$/);
    if (head) {
      commit = head[1]!;
      continue;
    }
    if (line.startsWith('author ')) authors.set(commit, line.slice(7));
    else if (line.startsWith('\t')) out.push({ commit, author: authors.get(commit) ?? '', text: line.slice(1) });
  }
  return out;
}

export interface ReadOptions {
  readonly maxCommits?: number;
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

/** Reads the site's history (without line authors), or undefined when there is none that is the site's own. */
export async function readGitHistory(
  root: string,
  options: ReadOptions = {},
): Promise<{ readonly history: GitSiteHistory; readonly prefix: string } | undefined> {
  const timeoutMs = options.timeoutMs ?? 10000;
  const prefixOut = await git(root, ['rev-parse', '--show-prefix'], timeoutMs);
  if (prefixOut === undefined) return undefined;
  const prefix = prefixOut.trim();
  const [log, files, changed] = await Promise.all([
    git(
      root,
      [
        'log',
        '--reverse',
        '--raw',
        '-z',
        '--no-abbrev',
        '-M',
        '--no-color',
        `--max-count=${options.maxCommits ?? 5000}`,
        '--format=%x01%H%x00%an%x00%at',
        '--',
        '.',
      ],
      timeoutMs,
    ),
    git(root, ['ls-files', '-s', '-z', '--full-name', '--', '.'], timeoutMs),
    git(root, ['diff-files', '--name-only', '-z', '--', '.'], timeoutMs),
  ]);
  if (log === undefined || files === undefined) {
    options.logger?.log('info', 'git history unavailable or too slow; history hints are off', { root });
    return undefined;
  }
  const modified = new Set((changed ?? '').split('\0').filter(Boolean));
  const current = new Map<string, string>();
  for (const entry of files.split('\0')) {
    const m = entry.match(/^\d+ ([0-9a-f]+) \d+\t(.*)$/s);
    if (!m || modified.has(m[2]!) || !m[2]!.startsWith(prefix)) continue;
    current.set(m[2]!.slice(prefix.length), m[1]!);
  }
  // The site's own history touches its pages; a folder whose pages git does not track has none.
  if (![...current.keys()].some(isPage)) return undefined;
  const parsed = parseRawLog(log, prefix);
  const history = new GitSiteHistory(parsed, current);
  options.logger?.log('debug', 'read git history', {
    root,
    commits: history.commits.length,
    moves: history.moves.length,
    imports: history.commits.filter((c) => c.import).length,
  });
  return { history, prefix };
}

/**
 * Who wrote the lines of a page that still stand: `git blame` of the file as
 * it is; lines of an import or of a not yet committed change author nothing;
 * lines that arrived with a move across commits are looked up in the old
 * path's blame just before it was deleted (by their text).
 */
export async function blameAuthorship(
  root: string,
  history: GitSiteHistory,
  path: string,
  timeoutMs = 10000,
): Promise<PageAuthorship | undefined> {
  const lines = await blameLines(root, undefined, path, timeoutMs);
  if (!lines) return undefined;
  const counts = new Map<string, number>();
  const credit = async (
    entries: Array<{ commit: string; author: string; text: string }>,
    at: string,
    depth: number,
  ): Promise<void> => {
    const moved = new Map<string, Array<{ commit: string; author: string; text: string }>>();
    for (const l of entries) {
      if (/^0+$/.test(l.commit) || history.isImport(l.commit)) continue;
      const move = history.moveAdds.get(`${l.commit}\u0000${at}`);
      if (move && depth < 4) {
        moved.set(`${move.beforeCommit}\u0000${move.from}`, [
          ...(moved.get(`${move.beforeCommit}\u0000${move.from}`) ?? []),
          l,
        ]);
        continue;
      }
      counts.set(l.author, (counts.get(l.author) ?? 0) + 1);
    }
    for (const [key, ls] of moved) {
      const [deleteCommit, from] = key.split('\u0000') as [string, string];
      const old = await blameLines(root, `${deleteCommit}^`, from, timeoutMs);
      const byText = new Map<string, Array<{ commit: string; author: string; text: string }>>();
      for (const o of old ?? []) byText.set(o.text, [...(byText.get(o.text) ?? []), o]);
      const found: Array<{ commit: string; author: string; text: string }> = [];
      for (const l of ls) {
        const o = byText.get(l.text)?.shift();
        // A line the move itself changed is the mover's.
        if (o) found.push(o);
        else counts.set(l.author, (counts.get(l.author) ?? 0) + 1);
      }
      await credit(found, from, depth + 1);
    }
  };
  const standing = lines.filter((l) => l.text.trim() !== '');
  await credit(standing, path, 0);
  return {
    lines: standing.length,
    authors: [...counts]
      .map(([name, n]) => ({ name, lines: n }))
      .sort((a, b) => b.lines - a.lines || a.name.localeCompare(b.name)),
  };
}

async function blameLines(root: string, revision: string | undefined, sitePath: string, timeoutMs: number) {
  // `--root`: the first commit's lines are that commit's, not a boundary; `-w`: re-indenting authors nothing.
  const out = await git(
    root,
    ['blame', '--porcelain', '--root', '-w', '--no-textconv', ...(revision ? [revision] : []), '--', sitePath],
    timeoutMs,
  );
  return out === undefined ? undefined : parseBlame(out);
}

/** Runs `f` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await f(items[next++]!);
    }),
  );
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
  for (let d = real; ;) {
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
 * Whether no repository can hold the site: no `.git` in its folder or any
 * folder above, and none of the variables that point git elsewhere
 * (GIT_DIR and friends) set. Read from the folders, without starting git:
 * outside every repository (a copy of a site, a test's temp folder), git is
 * not asked at all.
 */
export function outsideEveryRepository(
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  for (const v of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_CEILING_DIRECTORIES',
    'GIT_DISCOVERY_ACROSS_FILESYSTEM',
    'GIT_COMMON_DIR',
  ])
    if (env[v]) return false;
  try {
    for (let d = realpathSync(root); ;) {
      if (existsSync(nodePath.join(d, '.git'))) return false;
      const up = nodePath.dirname(d);
      if (up === d) return true;
      d = up;
    }
  } catch {
    return false;
  }
}

export interface ApplyOptions {
  readonly logger?: Logger;
  /** A read started earlier (the CLI starts it while phase one runs). */
  readonly reading?: ReturnType<typeof readGitHistory>;
}

/**
 * Hands a site's history to its Project: moves and content for "did you
 * mean" and the fixes of moved pictures, then the line authors of the pages
 * the engine asks about (`historyAuthorCandidates`). Returns whether there
 * was a history.
 */
export async function applyGitHistory(
  project: Project,
  root: string,
  loggerOrOptions?: Logger | ApplyOptions,
): Promise<boolean> {
  const options: ApplyOptions =
    loggerOrOptions && 'log' in loggerOrOptions ? { logger: loggerOrOptions } : (loggerOrOptions ?? {});
  // Outside every repository (read from the folders, no process): nothing to ask git.
  if (!options.reading && outsideEveryRepository(root)) {
    project.index.setHistory(undefined);
    return false;
  }
  const started = performance.now();
  const read = await (options.reading ?? readGitHistory(root, options.logger ? { logger: options.logger } : {}));
  if (!read) {
    project.index.setHistory(undefined);
    return false;
  }
  const { history } = read;
  project.index.setHistory(history);
  const candidates = historyAuthorCandidates(project.index);
  await eachLimited(candidates, 4, async (path) => {
    const a = await blameAuthorship(root, history, path);
    if (a) history.setAuthorship(path, a);
  });
  // Line authors arrived: what rules read of the history changed.
  if (candidates.length > 0) project.index.setHistory(history);
  options.logger?.log('info', "read the site's history", {
    commits: history.commits.length,
    moves: history.moves.length,
    blamed: candidates.length,
    ms: Math.round(performance.now() - started),
  });
  return true;
}
