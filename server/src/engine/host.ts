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

export const nullLogger: Logger = Object.freeze({ log() { /* discards by design */ } });

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
