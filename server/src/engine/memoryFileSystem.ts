import type { EntryType, FileStat, FileSystem } from './host';

/** A FileSystem over a map of site paths to contents: for tests and for hosts with virtual documents. */
export class MemoryFileSystem implements FileSystem {
  readonly #files = new Map<string, Uint8Array>();
  /** Every path read, in order: tests assert how much I/O a feature does. */
  readonly reads: string[] = [];

  constructor(files: Readonly<Record<string, string | Uint8Array>> = {}) {
    for (const [p, c] of Object.entries(files)) this.write(p, c);
  }

  write(path: string, content: string | Uint8Array): void {
    this.#files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  delete(path: string): void {
    this.#files.delete(path);
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    this.reads.push(path);
    return this.#files.get(path);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const f = this.#files.get(path);
    if (f) return { type: 'file', size: f.length };
    const prefix = path === '' ? '' : path + '/';
    for (const k of this.#files.keys()) if (k.startsWith(prefix)) return { type: 'directory', size: 0 };
    return undefined;
  }

  async readDirectory(path: string): Promise<ReadonlyArray<readonly [string, EntryType]>> {
    const prefix = path === '' ? '' : path + '/';
    const out = new Map<string, EntryType>();
    for (const k of this.#files.keys()) {
      if (!k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      const slash = rest.indexOf('/');
      out.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'directory');
    }
    return [...out].sort(([a], [b]) => a.localeCompare(b));
  }
}
