/**
 * The engine's only doors to the outside world. The engine never touches the
 * file system, the network or a protocol itself: a host (the CLI, the language
 * server, a test) hands it one of each of these.
 *
 * Paths given to a FileSystem are site-relative POSIX paths ("articles/proposal.md",
 * "" for the root). A host maps them onto its own storage and must refuse any
 * path that would leave the workspace (the engine never builds one, but a host
 * is the last line of defence).
 */

/** What kind of entry a path names. Symbolic links are reported as what they point at, or not at all when they leave the workspace or loop. */
export type EntryType = 'file' | 'directory';

export interface FileStat {
  readonly type: EntryType;
  /** Size in bytes. */
  readonly size: number;
}

export interface FileSystem {
  /** The bytes of a file, or undefined when it does not exist or cannot be read. Throws only for programming errors. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** undefined when the path does not exist (or leaves the workspace). */
  stat(path: string): Promise<FileStat | undefined>;
  /** Entries of a directory as [name, type]; [] when it does not exist. */
  readDirectory(path: string): Promise<ReadonlyArray<readonly [string, EntryType]>>;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
}

/** The minimal shape shared by LSP's and our own cancellation tokens. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const neverCancelled: CancellationToken = Object.freeze({ isCancellationRequested: false });

export const nullLogger: Logger = Object.freeze({
  log() {
    /* discards by design */
  },
});

/** Thrown (and caught by the engine's callers) when a token asks to stop. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new CancelledError();
}

/**
 * What version control knows about the site's own files, as a host read it
 * (the CLI and the language server: git). The engine asks synchronously, so
 * a host loads what it offers before checks run. Paths are site-relative.
 * A host gives history only when it is the site's own: the site's folder
 * inside the repository whose commits touch its pages (see the host).
 */
export interface SiteHistory {
  /** Commits that touch the site, oldest first. */
  readonly commits: readonly HistoryCommit[];
  /** Files that moved, oldest first: renames in one commit, and a delete and an add of the same file in separate commits. */
  readonly moves: readonly HistoryMove[];
  /** The content id (a git blob id) `path` held after commit `commit` (an index into `commits`); undefined when it did not exist then. */
  contentAt(path: string, commit: number): string | undefined;
  /** Files of the site holding this content now (a file changed since its last commit is left out: its content is not known). */
  filesWithContent(id: string): readonly string[];
  /** Authors of the commits that changed a page's text (not moves, not imports), oldest first, following its moves; undefined when history does not know the page. */
  committersOf(path: string): readonly string[] | undefined;
  /** Who wrote the lines of a page that still stand (`git blame`, moves followed, imports and moves authoring nothing); undefined when the host did not look. */
  authorshipOf(path: string): PageAuthorship | undefined;
}

export interface HistoryCommit {
  readonly id: string;
  readonly author: string;
  /** Seconds since the epoch. */
  readonly time: number;
  /** The commit adds many pages at once (a site imported or copied in): it authors nothing and moves nothing. */
  readonly import: boolean;
}

export interface HistoryMove {
  readonly from: string;
  readonly to: string;
  /** The commit after which the file is at `to` (an index into `commits`). */
  readonly commit: number;
  /** The commit after which the file is no longer at `from` (the delete of a delete-and-add; the same commit for a rename). */
  readonly leftAt: number;
  readonly kind: 'rename' | 'delete-add';
}

export interface PageAuthorship {
  /** The page's lines that are not blank. */
  readonly lines: number;
  /** Each author's share of them, most first (lines no one authored, such as an import's, are left out). */
  readonly authors: readonly { readonly name: string; readonly lines: number }[];
}
