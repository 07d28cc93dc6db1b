import * as nodePath from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { ProjectHost } from './projectHost';

/**
 * The set of sites: workspace folders (added and removed at runtime) and,
 * only while the client has no folder, one site per folder of an opened file.
 * Each open document belongs to exactly one host: the innermost folder.
 */
export class Sites {
  readonly #folders = new Map<string, ProjectHost>();
  readonly #singles = new Map<string, ProjectHost>();
  /** Which host owns each open document. */
  readonly #owner = new Map<string, ProjectHost>();
  readonly #create: (root: string, name: string | undefined, singleFile: boolean) => ProjectHost;

  constructor(create: (root: string, name: string | undefined, singleFile: boolean) => ProjectHost) {
    this.#create = create;
  }

  get hosts(): ProjectHost[] {
    return [...this.#folders.values(), ...this.#singles.values()];
  }
  get hasFolders(): boolean {
    return this.#folders.size > 0;
  }

  /** Adds a workspace folder (file: URIs only). Returns the new host, or undefined when it exists or is not local. */
  addFolder(uri: string, name?: string): ProjectHost | undefined {
    const root = fsPathOf(uri);
    if (!root || this.#folders.has(root)) return undefined;
    const host = this.#create(root, name || undefined, false);
    this.#folders.set(root, host);
    return host;
  }

  removeFolder(uri: string): ProjectHost | undefined {
    const root = fsPathOf(uri);
    const host = root ? this.#folders.get(root) : undefined;
    if (!host || !root) return undefined;
    this.#folders.delete(root);
    host.dispose();
    for (const [doc, owner] of this.#owner) if (owner === host) this.#owner.delete(doc);
    return host;
  }

  /** Loose-file sites are dropped once a real folder exists. */
  dropSingleFileHosts(): ProjectHost[] {
    const dropped = [...this.#singles.values()];
    for (const h of dropped) {
      h.dispose();
      for (const [doc, owner] of this.#owner) if (owner === h) this.#owner.delete(doc);
    }
    this.#singles.clear();
    return dropped;
  }

  /** The innermost workspace folder holding a URI. */
  folderHostFor(uri: string): ProjectHost | undefined {
    let best: ProjectHost | undefined;
    for (const h of this.#folders.values())
      if (h.sitePath(uri) !== undefined && (!best || h.root.length > best.root.length)) best = h;
    return best;
  }

  /** Every host whose root holds a URI (nested folders index the same file twice). */
  hostsContaining(uri: string): ProjectHost[] {
    return this.hosts.filter((h) => h.sitePath(uri) !== undefined);
  }

  /** The host a document belongs to now, creating a loose-file site when there is no folder at all. */
  hostForDocument(uri: string, create: boolean): ProjectHost | undefined {
    const folder = this.folderHostFor(uri);
    if (folder || this.hasFolders) return folder;
    const fsPath = fsPathOf(uri);
    if (!fsPath) return undefined;
    let best: ProjectHost | undefined;
    for (const h of this.#singles.values())
      if (h.sitePath(uri) !== undefined && (!best || h.root.length > best.root.length)) best = h;
    if (best || !create) return best;
    const root = nodePath.dirname(fsPath);
    const host = this.#create(root, undefined, true);
    this.#singles.set(root, host);
    return host;
  }

  /** The host that currently holds an open document's text. */
  ownerOf(uri: string): ProjectHost | undefined {
    return this.#owner.get(uri);
  }

  /**
   * The editor opened or changed a document: give its text to its host
   * (moving it when folders changed). Returns the host and whether other
   * pages may see a difference.
   */
  updateDocument(doc: TextDocument): { host: ProjectHost | undefined; siteChanged: boolean } {
    const host = this.hostForDocument(doc.uri, true);
    const previous = this.#owner.get(doc.uri);
    if (previous && previous !== host) {
      void previous.closeDocument(doc.uri);
      this.#owner.delete(doc.uri);
    }
    if (!host) return { host, siteChanged: false };
    this.#owner.set(doc.uri, host);
    return { host, siteChanged: host.updateDocument(doc) };
  }

  /** The editor closed a document. Resolves when its page is back on its disk text. */
  async closeDocument(uri: string): Promise<ProjectHost | undefined> {
    const host = this.#owner.get(uri);
    this.#owner.delete(uri);
    if (!host) return undefined;
    await host.closeDocument(uri);
    if (host.singleFile && !host.hasOpenDocuments && host.state !== 'disposed') {
      host.dispose();
      this.#singles.delete(host.root);
    }
    return host;
  }
}

function fsPathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? nodePath.resolve(u.fsPath) : undefined;
  } catch {
    return undefined;
  }
}
