import type { Directive, FileFacts, LocalTarget } from './facts';
import { parseLocalUrl } from './facts';
import type { MsolConfig } from './config/config';
import { basename, dirname, isMarkdownPath, relativePath, resolvePath } from './paths';
import { editDistance } from './text';
import { htmlLinksArePages } from './site/kind';
import type { SiteHistory } from './host';

/**
 * Phase two's view of the whole site: which files and folders exist, and the
 * facts of every Markdown page. Updated one file at a time; nothing here reads
 * a file system.
 */

export type Resolution =
  | { readonly kind: 'external' }
  | { readonly kind: 'outside'; readonly target: LocalTarget }
  | {
      readonly kind: 'local';
      readonly target: LocalTarget;
      readonly path: string;
      readonly exists: 'file' | 'directory-readme' | 'directory' | 'missing';
      readonly page?: string;
    };

export interface SummaryEntry {
  readonly title: string;
  /** The page, resolved to a site path; undefined for a link that is external or leaves the site. */
  readonly path?: string;
  readonly depth: number;
  readonly referenceIndex: number;
}

/**
 * A rename recorded in version control (`git log --name-status -M`: `R100 old new`),
 * as workspace-relative paths. Hosts fill the list; the engine has no git.
 */
export interface FileRename {
  readonly from: string;
  readonly to: string;
}

/**
 * A page's facts that a host produces on demand: a cache entry whose facts
 * are parsed when something first reads them. A warm check reads few pages'
 * facts (the site key and the unchanged pages' findings come from the cache),
 * so most are never parsed. `load` must return the very facts the page's
 * analysis produced.
 */
export interface DeferredFacts {
  readonly path: string;
  /** The page's `msol-disable` directives: every check of the page applies them, so they are at hand. */
  readonly directives: readonly Directive[];
  load(): FileFacts;
}

export class WorkspaceIndex {
  readonly #files = new Set<string>();
  /** Old path → newer path, from the host's rename history. */
  readonly #renamedTo = new Map<string, string>();
  readonly #dirs = new Map<string, number>();
  readonly #byBasename = new Map<string, Set<string>>();
  /** The files directly in each folder (findMoved's close names). */
  readonly #byFolder = new Map<string, Set<string>>();
  /** Facts by page, some deferred (loaded in place on first read: the order of pages stays as they were set). */
  readonly #facts = new Map<string, FileFacts | DeferredFacts>();
  #summary: readonly SummaryEntry[] | undefined;
  #config: MsolConfig;
  /** Bumped on every change: caches keyed on it stay honest. */
  #revision = 0;
  /** Bumped when the files, folders or config change (not a page's facts): for caches of the site's layout. */
  #layoutRevision = 0;

  constructor(config: MsolConfig) {
    this.#config = config;
  }

  get config(): MsolConfig {
    return this.#config;
  }
  set config(c: MsolConfig) {
    this.#config = c;
    this.#summary = undefined;
    this.#revision++;
    this.#layoutRevision++;
  }
  get revision(): number {
    return this.#revision;
  }
  /** Changes with the file list, the folders and the config only: an edit of a page's text leaves it as it is. */
  get layoutRevision(): number {
    return this.#layoutRevision;
  }

  /** The site-relative path of a file named relative to the content root. */
  sitePath(relativeToRoot: string): string {
    const root = this.#config.site.root;
    return root ? `${root}/${relativeToRoot}` : relativeToRoot;
  }
  get summaryPath(): string {
    return this.sitePath(this.#config.site.summary);
  }
  get readmePath(): string {
    return this.sitePath(this.#config.site.readme);
  }
  /** The hub page; '' when the site has none. */
  get proposalPath(): string {
    return this.#config.site.proposal ? this.sitePath(this.#config.site.proposal) : '';
  }

  addFile(path: string): void {
    if (this.#files.has(path)) return;
    this.#files.add(path);
    const b = basename(path).toLowerCase();
    let set = this.#byBasename.get(b);
    if (!set) this.#byBasename.set(b, (set = new Set()));
    set.add(path);
    const folder = dirname(path);
    let inFolder = this.#byFolder.get(folder);
    if (!inFolder) this.#byFolder.set(folder, (inFolder = new Set()));
    inFolder.add(path);
    for (let d = folder; ; d = dirname(d)) {
      this.#dirs.set(d, (this.#dirs.get(d) ?? 0) + 1);
      if (d === '') break;
    }
    // SUMMARY.md entries resolve folders to their README.md when it exists.
    this.#summary = undefined;
    this.#revision++;
    this.#layoutRevision++;
  }

  removeFile(path: string): void {
    if (!this.#files.delete(path)) return;
    this.#byBasename.get(basename(path).toLowerCase())?.delete(path);
    this.#byFolder.get(dirname(path))?.delete(path);
    for (let d = dirname(path); ; d = dirname(d)) {
      const n = (this.#dirs.get(d) ?? 1) - 1;
      if (n <= 0) this.#dirs.delete(d);
      else this.#dirs.set(d, n);
      if (d === '') break;
    }
    this.#summary = undefined;
    this.deleteFacts(path);
    this.#revision++;
    this.#layoutRevision++;
  }

  hasFile(path: string): boolean {
    return this.#files.has(path);
  }
  hasDirectory(path: string): boolean {
    return this.#dirs.has(path);
  }
  get files(): ReadonlySet<string> {
    return this.#files;
  }
  pages(): string[] {
    return [...this.#files].filter(isMarkdownPath).sort();
  }

  setFacts(facts: FileFacts | DeferredFacts): void {
    this.#facts.set(facts.path, facts);
    if (facts.path === this.summaryPath) this.#summary = undefined;
    this.#revision++;
  }
  deleteFacts(path: string): void {
    if (this.#facts.delete(path)) {
      if (path === this.summaryPath) this.#summary = undefined;
      this.#revision++;
    }
  }
  facts(path: string): FileFacts | undefined {
    const f = this.#facts.get(path);
    return f && isDeferred(f) ? this.#load(f) : f;
  }
  /** Whether a page has facts, without loading deferred ones. */
  hasFacts(path: string): boolean {
    return this.#facts.has(path);
  }
  /** Whether a page's facts are deferred and not read yet (then a host still knows what they are). */
  isDeferred(path: string): boolean {
    const f = this.#facts.get(path);
    return f !== undefined && isDeferred(f);
  }
  /** A page's directives, without loading deferred facts. */
  directivesOf(path: string): readonly Directive[] {
    return this.#facts.get(path)?.directives ?? [];
  }
  allFacts(): IterableIterator<FileFacts> {
    for (const f of this.#facts.values()) if (isDeferred(f)) this.#load(f);
    return (this.#facts as Map<string, FileFacts>).values();
  }

  /** Loading is no change (the same facts, read late): the revision stays. */
  #load(deferred: DeferredFacts): FileFacts {
    const facts = deferred.load();
    if (facts.path !== deferred.path) throw new Error(`deferred facts of ${deferred.path} loaded as ${facts.path}`);
    this.#facts.set(deferred.path, facts);
    return facts;
  }

  /** Resolves a reference's URL as written in `fromPath`. */
  resolve(fromPath: string, url: string): Resolution {
    const target = parseLocalUrl(url);
    if (!target) return { kind: 'external' };
    if (target.path === '') return { kind: 'local', target, path: fromPath, exists: 'file', page: fromPath };
    // A leading slash means the content root, as GitBook reads it.
    const rooted = target.path.startsWith('/');
    const path = resolvePath(
      rooted ? this.#config.site.root : dirname(fromPath),
      rooted ? target.path.replace(/^\/+/, '') : target.path,
    );
    if (path === undefined) return { kind: 'outside', target };
    // GitBook publishes only the content root: from a page inside it, a path above it leaves the site.
    const root = this.#config.site.root;
    const within = (p: string) => root === '' || p === root || p.startsWith(`${root}/`);
    if (within(fromPath) && !within(path)) return { kind: 'outside', target };
    if (this.#files.has(path)) return { kind: 'local', target, path, exists: 'file', page: path };
    if (this.#dirs.has(path)) {
      const readme = path === '' ? 'README.md' : `${path}/README.md`;
      return this.#files.has(readme)
        ? { kind: 'local', target, path, exists: 'directory-readme', page: readme }
        : { kind: 'local', target, path, exists: 'directory' };
    }
    // mdBook and GitBook 2/3 publish `page.md` as `page.html` and a folder's README.md as its `index.html`: such links name the page.
    if (htmlLinksArePages(this.#config.identity?.kind) && /\.html?$/i.test(path)) {
      const stem = path.replace(/\.html?$/i, '');
      const index = /(^|\/)index$/i.test(stem)
        ? [
            `${stem.replace(/index$/i, '')}README.md`,
            ...(stem.replace(/index$/i, '') === (root ? `${root}/` : '') ? [this.readmePath] : []),
          ]
        : [];
      const page = [`${stem}.md`, `${stem}.markdown`, ...index].find((p) => this.#files.has(p));
      if (page !== undefined) return { kind: 'local', target, path: page, exists: 'file', page };
    }
    return { kind: 'local', target, path, exists: 'missing' };
  }

  /**
   * Where a missing file may have gone: files with the same name elsewhere,
   * else a close name in the same folder. Best candidate first.
   */
  findMoved(missingPath: string): string[] {
    const name = basename(missingPath).toLowerCase();
    const same = this.#byBasename.get(name);
    if (same && same.size > 0) return closestFirst(missingPath, [...same]);
    const dir = dirname(missingPath);
    const max = Math.max(1, Math.floor(name.length / 4));
    const near: Array<[string, number]> = [];
    for (const f of this.#byFolder.get(dir) ?? []) {
      const d = editDistance(basename(f).toLowerCase(), name, max);
      if (d <= max) near.push([f, d]);
    }
    return near.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([f]) => f);
  }

  #history: SiteHistory | undefined;

  /** The site's history as the host read it (host.ts), or undefined: no history, or not the site's own. */
  get history(): SiteHistory | undefined {
    return this.#history;
  }

  /** Takes the site's history from the host: its moves become the rename history; rules read the rest (history.ts). */
  setHistory(history: SiteHistory | undefined): void {
    this.#history = history;
    this.setRenames((history?.moves ?? []).map((m) => ({ from: m.from, to: m.to })));
  }

  /** Replaces the rename history (oldest first); a later rename of the same path wins. */
  setRenames(renames: readonly FileRename[]): void {
    this.#renamedTo.clear();
    for (const r of renames) if (r.from !== r.to) this.#renamedTo.set(r.from, r.to);
    this.#revision++;
  }

  /** Where the history says a path went, following chains of renames, when that file exists now. */
  renamedTo(path: string): string | undefined {
    const seen = new Set<string>([path]);
    let p = this.#renamedTo.get(path);
    let found: string | undefined;
    while (p !== undefined && !seen.has(p)) {
      seen.add(p);
      if (this.#files.has(p)) found = p;
      p = this.#renamedTo.get(p);
    }
    return found;
  }

  /** Earlier paths of a file, most recent first, per the rename history. */
  renamedFrom(path: string): string[] {
    const out: string[] = [];
    let current = path;
    for (let guard = 0; guard < 64; guard++) {
      let previous: string | undefined;
      for (const [from, to] of this.#renamedTo)
        if (to === current && !out.includes(from) && from !== path) previous = from;
      if (previous === undefined) break;
      out.push(previous);
      current = previous;
    }
    return out;
  }

  /** Folders (holding README.md) with the same name as a missing folder: where it may have gone. */
  findMovedFolder(missingPath: string): string[] {
    const name = basename(missingPath.replace(/\/+$/, '')).toLowerCase();
    if (!name) return [];
    const out: string[] = [];
    for (const d of this.#dirs.keys()) {
      if (basename(d).toLowerCase() === name && this.#files.has(`${d}/README.md`)) out.push(d);
    }
    return closestFirst(missingPath, out);
  }

  /** The table of contents: every link in SUMMARY.md's lists, in order. */
  summary(): readonly SummaryEntry[] {
    if (this.#summary) return this.#summary;
    const facts = this.facts(this.summaryPath);
    const entries: SummaryEntry[] = [];
    // mdBook's prefix and suffix chapters are links outside the list; a draft chapter (`[Draft]()`) has no page yet.
    const outsideLists = this.#config.identity?.kind === 'mdbook';
    facts?.references.forEach((r, i) => {
      if (r.kind !== 'link' || (r.listDepth === 0 && !outsideLists) || r.url.trim() === '') return;
      const res = this.resolve(this.summaryPath, r.url);
      const path = res.kind === 'local' ? (res.page ?? res.path) : undefined;
      entries.push({
        title: r.text ?? '',
        ...(path !== undefined ? { path } : {}),
        depth: r.listDepth,
        referenceIndex: i,
      });
    });
    return (this.#summary = entries);
  }

  /** A relative URL from one file to another, percent-encoding what Markdown needs encoded. */
  linkBetween(fromPath: string, toPath: string): string {
    return encodeLinkPath(relativePath(dirname(fromPath), toPath));
  }
}

function isDeferred(f: FileFacts | DeferredFacts): f is DeferredFacts {
  return typeof (f as Partial<DeferredFacts>).load === 'function';
}

/** Candidates for a missing path, the closest folder first (then by path): each one's closeness computed once. */
function closestFirst(missingPath: string, candidates: readonly string[]): string[] {
  return candidates
    .map((path) => ({ path, closeness: pathCloseness(missingPath, path) }))
    .sort((a, b) => b.closeness - a.closeness || a.path.localeCompare(b.path))
    .map((c) => c.path);
}

/** How many leading folders two paths share, plus a bonus for equal depth. */
function pathCloseness(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  let n = 0;
  while (n < pa.length && n < pb.length && pa[n] === pb[n]) n++;
  return n * 2 + (pa.length === pb.length ? 1 : 0);
}

/** Encodes characters that would break a Markdown link destination; keeps the rest readable. */
export function encodeLinkPath(path: string): string {
  return path.replace(/[ <>()%#?\\[\]`"]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}
