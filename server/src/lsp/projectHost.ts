import * as nodePath from 'node:path';
import { applyGitHistory } from '../node/gitHistory';
import { FileChangeType, type CancellationToken as LspCancellationToken } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import {
  CancelledError,
  LineIndex,
  Project,
  decodeUtf8,
  isSiteDefinitionPath,
  type CancellationToken,
  type Finding,
  type Logger,
} from '../engine/index';
// Pure path helper of the engine; the one definition of "a Markdown page".
import { isMarkdownPath } from '../engine/paths';
import { NodeFileSystem } from '../node/nodeFileSystem';
import { BulkPhaseOne, defaultWorkerCount, defaultWorkerPath } from '../node/bulk';
import { cacheSigning, defaultCacheLocation, PhaseOneCache } from '../node/cache';
import { errorData } from './logging';
import { IndexingLifecycle, untilCancelled, type IndexingStateName, type IndexRun } from './indexing';
import { SiteFindings } from './siteFindings';
import { WorkQueue } from './workQueue';

/**
 * Sites on disk: one engine Project per workspace folder (or, when the client
 * opened no folder at all, per folder of an opened file). A ProjectHost owns
 * its Project's lifecycle (indexing, config reloads, file events) and maps
 * URIs to site paths; it never reads outside its root (NodeFileSystem refuses).
 */

export type HostState = 'indexing' | 'ready' | 'disposed';

/** What a host tells the server; the server turns it into progress, status and diagnostics. */
export interface HostEvents {
  indexingStarted(host: ProjectHost): void;
  indexingProgress(host: ProjectHost, done: number, total: number): void;
  /** The files and the knowledge sources are known: open pages can be checked before the rest is indexed. */
  siteShapeKnown(host: ProjectHost): void;
  indexingFinished(host: ProjectHost): void;
  /** Something other pages can see changed outside a request (re-applied editor text, a closed page). */
  siteChanged(host: ProjectHost): void;
}

/** One file event, already relative to the host. */
export interface SiteFileEvent {
  readonly path: string;
  readonly type: FileChangeType;
}

/** Lets the event loop run the messages that arrived (a long task's pause). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long edits must pause before an edited page is analysed without a request asking for it. */
const editQuietMs = 50;
/** What turns a finding's offsets into an editor's positions: an open document, or a page's text on disk. */
export type PositionSource = { positionAt(offset: number): { line: number; character: number } };

/** A page's bytes as positions, unless they are not UTF-8. */
function lineIndexOf(bytes: Uint8Array): LineIndex | undefined {
  const decoded = decodeUtf8(bytes);
  return decoded.ok ? new LineIndex(decoded.text) : undefined;
}

/** Pages read at a time by `textsOf`. */
const textsChunk = 64;
/** How long indexing waits, once the site's shape is known, for the answers that waited for it (ProjectHost.answering). */
const shapeAnswerWaitMs = 250;

/** How a host runs phase one when it indexes: the CLI's machinery (worker threads, its persistent cache). */
export interface PhaseOneSettings {
  /** msol's version: part of the engine's identity in the cache. */
  readonly version: string;
  /** Where MSOL_WORKERS, MSOL_CACHE_KEY and XDG_CACHE_HOME are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export class ProjectHost {
  readonly root: string;
  readonly rootUri: string;
  readonly name: string;
  /** Created for loose files because the client has no workspace folder. */
  readonly singleFile: boolean;
  readonly fs: NodeFileSystem;
  readonly #logger: Logger;
  readonly #events: HostEvents;
  #project: Project;
  /** The index's life cycle (indexing.ts): what requests wait for. */
  readonly #lifecycle: IndexingLifecycle;
  /** Async engine work runs one operation at a time, in arrival order. */
  readonly #queue: WorkQueue;
  /** A document arrived while queued work ran (which may have read its disk text): re-applied when the queue is idle. */
  #openedWhileBusy = false;
  /** The engine only compares versions for equality: a counter lets the host re-apply a document on purpose. */
  #generation = 0;
  /** Every document the client has open in this site, by site path (config files included). */
  readonly #docs = new Map<string, TextDocument>();
  readonly #siteFindings: SiteFindings;

  /** Phase one on worker threads and from the CLI's cache; without it, the single-threaded Project. */
  readonly #phaseOne: PhaseOneSettings | undefined;

  /** Read `git log` for rename hints and commit authors (never in an untrusted workspace: a repository's config can name programs). */
  readonly #gitHistory: boolean;

  constructor(
    root: string,
    options: {
      name?: string;
      singleFile?: boolean;
      gitHistory?: boolean;
      logger: Logger;
      events: HostEvents;
      phaseOne?: PhaseOneSettings;
    },
  ) {
    this.#phaseOne = options.phaseOne;
    this.#gitHistory = options.gitHistory ?? true;
    this.root = nodePath.resolve(root);
    this.rootUri = URI.file(this.root).toString();
    this.name = options.name ?? nodePath.basename(this.root);
    this.singleFile = options.singleFile ?? false;
    this.#logger = options.logger;
    this.#events = options.events;
    this.fs = new NodeFileSystem(this.root, this.#logger);
    this.#project = this.#newProject();
    this.#lifecycle = new IndexingLifecycle((t) => {
      if (t.to === 'walking') this.#events.indexingStarted(this);
      else if (t.to === 'shapeKnown') this.#events.siteShapeKnown(this);
      else if (t.to === 'ready') this.#events.indexingFinished(this);
    });
    this.#queue = new WorkQueue({
      logger: this.#logger,
      root: this.root,
      before: () => {
        if (this.#lifecycle.state === 'disposed') return false;
        // Queued work (file events, a close, a config reload) sees the editor's latest texts.
        this.#flushEdits();
        return true;
      },
      idle: () => {
        // The engine reads the disk without a lock: an editor text that arrived meanwhile must win.
        if (this.#openedWhileBusy && this.#lifecycle.state === 'ready' && this.#reapplyOpenDocuments())
          this.#events.siteChanged(this);
      },
    });
    this.#siteFindings = new SiteFindings({
      logger: this.#logger,
      isCurrent: (project) => project === this.#project && this.#lifecycle.state !== 'disposed',
      pause: () => this.#pauseForEditor(),
    });
  }

  get state(): HostState {
    const s = this.#lifecycle.state;
    return s === 'ready' || s === 'disposed' ? s : 'indexing';
  }
  /** The index's state in detail (indexing.ts). */
  get indexingState(): IndexingStateName {
    return this.#lifecycle.state;
  }
  /** Indexing, but far enough for whenShapeKnown to answer (or ready). */
  get shapeKnown(): boolean {
    const s = this.#lifecycle.state;
    return s === 'ready' || s === 'shapeKnown';
  }
  /** The current Project, with the editor's latest texts; prefer whenReady() in requests. */
  get project(): Project {
    this.#flushEdits();
    return this.#project;
  }
  get openPaths(): string[] {
    return [...this.#docs.keys()];
  }
  openDocumentAt(path: string): TextDocument | undefined {
    return this.#docs.get(path);
  }

  #newProject(): Project {
    return new Project({ fs: this.fs, logger: this.#logger });
  }

  /** Starts the first index (once). */
  start(): void {
    const run = this.#lifecycle.start();
    if (run) this.#index(this.#project, run);
  }

  dispose(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#edited.clear();
    this.#docs.clear();
    // Cancels the index run; requests waiting for the index see the host is gone.
    this.#lifecycle.dispose();
  }

  /** The site path of a URI inside this root (never the root itself), or undefined. */
  sitePath(uri: string): string | undefined {
    let parsed: URI;
    try {
      parsed = URI.parse(uri);
    } catch {
      return undefined;
    }
    if (parsed.scheme !== 'file') return undefined;
    const path = this.fs.toSitePath(parsed.fsPath);
    return path ? path : undefined;
  }

  /** The URI the client knows a site path by: an open document's own URI when there is one. */
  uriOf(path: string): string | undefined {
    const open = this.#docs.get(path);
    if (open) return open.uri;
    const abs = this.fs.toAbsolute(path);
    return abs ? URI.file(abs).toString() : undefined;
  }

  /**
   * Resolves when the current index is complete and the file events that
   * arrived before the call are applied; throws CancelledError when the token
   * fires or the host goes away. Never call it from queued work (it waits for the queue).
   */
  async whenReady(token?: LspCancellationToken): Promise<Project> {
    await (token ? untilCancelled(this.#queue.drained, token) : this.#queue.drained);
    await this.#lifecycle.until(['ready'], token);
    return this.project;
  }

  /**
   * Like whenReady, but while the site is being indexed resolves as soon as
   * its shape is known: every file, the sidecars and the knowledge sources
   * (README, proposal, glossary) analysed, other pages maybe not yet. Enough
   * for an open page's own diagnostics (a link to a missing file, the
   * glossary's terms); what depends on pages not yet analysed (their
   * anchors, orphans) is corrected by the re-pull asked for when indexing
   * ends. Once the site is indexed, exactly whenReady.
   */
  async whenShapeKnown(token?: LspCancellationToken): Promise<Project> {
    await this.#lifecycle.until(['shapeKnown', 'ready'], token);
    if (this.#lifecycle.state === 'ready') return this.whenReady(token);
    return this.project;
  }

  // ---- documents -------------------------------------------------------------------------------

  /**
   * The editor's text for a file. An opened page is analysed at once (not
   * queued behind indexing); an edit only marks the page, which is analysed
   * when anything next reads the project (a request, a file event) or after a
   * quiet moment: a burst of edits costs one analysis, of the last text.
   * Returns true when other pages' diagnostics may change; for an edit that
   * is known only once analysed, and then told through `siteChanged`.
   */
  updateDocument(doc: TextDocument): boolean {
    const path = this.sitePath(doc.uri);
    if (!path || this.#lifecycle.state === 'disposed') return false;
    const opened = !this.#docs.has(path);
    this.#docs.set(path, doc);
    if (!isMarkdownPath(path)) return false;
    if (this.#queue.busy) this.#openedWhileBusy = true;
    if (opened && this.#lifecycle.state === 'walking') {
      // Before the site's shape is known, the page would be analysed now and again once it is (its glossary and
      // license): it waits for then (the first request that reads the project, or the shape itself).
      this.#edited.add(path);
      return false;
    }
    if (opened) {
      this.#edited.delete(path);
      return this.#openInEngine(path, doc.getText());
    }
    this.#edited.add(path);
    this.#lastEdit = Date.now();
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flushEdits();
    }, editQuietMs);
    return false;
  }

  /** Pages edited since they were last handed to the engine. */
  readonly #edited = new Set<string>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  /** Hands the edited pages' latest texts to the engine; tells the server when other pages can see a difference. */
  #flushEdits(): void {
    if (this.#edited.size === 0 || this.#lifecycle.state === 'disposed') return;
    let changed = false;
    for (const path of this.#edited) {
      const doc = this.#docs.get(path);
      if (doc && this.#openInEngine(path, doc.getText())) changed = true;
    }
    this.#edited.clear();
    if (changed) queueMicrotask(() => this.#events.siteChanged(this));
  }

  /**
   * Hands an open page's text to the engine. When no other page can see the
   * difference, the site-wide findings stay valid but for this page: a
   * keystroke costs one page's check, not the site's (the status bar counts
   * after every check).
   */
  #openInEngine(path: string, text: string): boolean {
    const project = this.#project;
    const revision = project.index.revision;
    const visible = project.openDocument(path, text, ++this.#generation);
    this.#siteFindings.edited(project, path, visible, revision, project.index.revision);
    return visible;
  }

  /**
   * Makes a page's facts complete: pages analysed on worker threads or taken
   * from the cache are lean (no paragraph texts, no bold phrases), which only
   * the page's own document rules and one quick fix read. Other pages see no
   * difference, so only this page's findings are checked again.
   */
  fullFacts(path: string): Promise<void> {
    return this.#queue.enqueue('full facts', async () => {
      const project = this.#project;
      const before = project.index.revision;
      await project.fullFacts(path);
      this.#siteFindings.edited(project, path, false, before, project.index.revision);
    });
  }

  /** The editor closed a file: the page falls back to its text on disk. */
  closeDocument(uri: string): Promise<void> {
    const path = this.sitePath(uri);
    if (!path) return Promise.resolve();
    this.#docs.delete(path);
    if (!isMarkdownPath(path)) return Promise.resolve();
    return this.#queue.enqueue('close document', async () => {
      // Reopened while this waited in the queue: the editor's text still rules.
      if (this.#docs.has(path)) return;
      this.#siteFindings.siteChanged();
      await this.#project.closeDocument(path);
    });
  }

  get hasOpenDocuments(): boolean {
    return this.#docs.size > 0;
  }

  // ---- file events ---------------------------------------------------------------------------

  /** Applies file-system events (watched files); resolves when the index reflects them. */
  applyFileEvents(events: readonly SiteFileEvent[]): Promise<void> {
    return this.#queue.enqueue('file events', async () => {
      const project = this.#project;
      this.#siteFindings.siteChanged();
      let config = false;
      for (const e of events) {
        if (!isIndexable(e.path)) continue;
        // The site's own files (book.toml, book.json, CNAME, LICENSE, as well as the config files) can change what the site is.
        if (isSiteDefinitionPath(e.path, project.config.site.root)) config = true;
        if (e.type === FileChangeType.Deleted) {
          if (project.index.hasFile(e.path)) project.fileDeleted(e.path);
          else for (const f of [...project.index.files]) if (f.startsWith(e.path + '/')) project.fileDeleted(f);
          continue;
        }
        const stat = await this.fs.stat(e.path);
        if (!stat) {
          // Created and gone again before we looked.
          if (project.index.hasFile(e.path)) project.fileDeleted(e.path);
          continue;
        }
        if (stat.type === 'directory') {
          // A folder moved in: its files arrive as one event.
          for (const f of await this.#walk(project, e.path, 0)) {
            project.fileCreated(f);
            await project.refreshFile(f);
          }
          continue;
        }
        if (!project.index.hasFile(e.path)) project.fileCreated(e.path);
        await project.refreshFile(e.path);
      }
      if (config) await this.#reloadConfig();
    });
  }

  /** `.msolrc.json` or `.gitbook.yaml` changed (watched, or saved in the editor). */
  reloadConfig(): Promise<void> {
    return this.#queue.enqueue('reload config', () => this.#reloadConfig());
  }

  async #reloadConfig(): Promise<void> {
    const changed = await this.#project.reloadConfig();
    if (!changed) return;
    // A new config changes what is indexed (ignore globs, root) and every page's phase one:
    // index afresh with a new Project, editor texts carried over.
    this.#logger.log('info', 'configuration changed, re-indexing', { root: this.root });
    const project = this.#newProject();
    this.#project = project;
    this.#siteFindings.forget();
    this.#edited.clear();
    for (const [path, doc] of this.#docs)
      if (isMarkdownPath(path)) project.openDocument(path, doc.getText(), ++this.#generation);
    // Before the first index started, start() indexes this Project.
    const run = this.#lifecycle.reindex();
    if (run) this.#index(project, run);
  }

  async #walk(project: Project, dir: string, depth: number): Promise<string[]> {
    if (depth > 64) return [];
    const out: string[] = [];
    for (const [name, type] of await this.fs.readDirectory(dir)) {
      const path = dir ? `${dir}/${name}` : name;
      if (project.isIgnored(path) || !isIndexable(path)) continue;
      if (type === 'directory') out.push(...(await this.#walk(project, path, depth + 1)));
      else out.push(path);
    }
    return out;
  }

  // ---- checks --------------------------------------------------------------------------------

  /** One file's findings, with the text they were computed on (for fixes). Call after whenReady. */
  async fileFindings(path: string, token: CancellationToken): Promise<Finding[]> {
    const project = this.project;
    // A closed page analysed before the site's glossary or license changed: re-read it first.
    if (!this.#docs.has(path) && project.stalePages().includes(path)) await project.refreshFile(path);
    if (token.isCancellationRequested) throw new CancelledError();
    return project.check(path);
  }

  /**
   * Every file's findings (pages and config files), cached per index
   * revision. Call after whenReady. After an edit no other page can see, only
   * that page is checked again. Otherwise the whole site is, by one run at a
   * time that pauses every few milliseconds so that the editor's requests
   * (a keystroke's diagnostics) are answered in between.
   */
  siteFindings(token: CancellationToken): Promise<ReadonlyMap<string, readonly Finding[]>> {
    return this.#siteFindings.of(() => this.project, token);
  }

  /** Answers to the editor that waited for the site's shape and are still being computed (see `answering`). */
  #answering = 0;
  readonly #answersIdle: (() => void)[] = [];

  /**
   * Marks an answer to the editor that waited for the site's shape as in
   * progress, until the returned function is called: indexing lets it finish
   * before its next long step.
   */
  answering(): () => void {
    this.#answering++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#answering === 0) for (const resolve of this.#answersIdle.splice(0)) resolve();
    };
  }

  /** Resolves once no answer is in progress (see `answering`), or after `maxMs`. */
  #answersSettled(maxMs: number): Promise<void> {
    if (this.#answering === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.#answersIdle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Time of the last edit of an open page. */
  #lastEdit = 0;

  /** A pause of a long task: other messages first, then no edit for editQuietMs (the keystrokes' own diagnostics come first). */
  async #pauseForEditor(): Promise<void> {
    await yieldToEventLoop();
    for (let quiet = Date.now() - this.#lastEdit; quiet < editQuietMs; quiet = Date.now() - this.#lastEdit) {
      await new Promise<void>((resolve) => setTimeout(resolve, editQuietMs - quiet));
    }
  }

  /** What offsets of a file's findings refer to: the open document, or the file on disk. */
  async textOf(path: string): Promise<PositionSource | undefined> {
    const doc = this.#docs.get(path);
    if (doc) return doc;
    const bytes = await this.fs.readFile(path);
    return bytes ? lineIndexOf(bytes) : undefined;
  }

  /**
   * `textOf` for many pages at once (a whole-site answer): the pages the
   * editor does not hold are read in bulk, a chunk at a time with the event
   * loop free in between (one read after another left the thread waiting on
   * the disk: half a second on 2,242 pages).
   */
  async textsOf(paths: readonly string[]): Promise<Map<string, PositionSource>> {
    const out = new Map<string, PositionSource>();
    const toRead: string[] = [];
    for (const path of paths) {
      const doc = this.#docs.get(path);
      if (doc) out.set(path, doc);
      else toRead.push(path);
    }
    for (let i = 0; i < toRead.length; i += textsChunk) {
      if (i > 0) await yieldToEventLoop();
      for (const [path, read] of await this.fs.readFiles(toRead.slice(i, i + textsChunk), Number.MAX_SAFE_INTEGER)) {
        const lines = read?.bytes ? lineIndexOf(read.bytes) : undefined;
        if (lines) out.set(path, lines);
      }
    }
    return out;
  }

  versionOf(path: string): number | undefined {
    return this.#docs.get(path)?.version;
  }

  // ---- internals -----------------------------------------------------------------------------

  /** One index run of `project` (queued behind the work before it); its events count only while it is the current run. */
  #index(project: Project, run: IndexRun): void {
    void this.#queue.enqueue('index', async () => {
      const progress = (done: number, total: number) => {
        if (this.#lifecycle.isCurrent(run)) this.#events.indexingProgress(this, done, total);
      };
      const { bulk, cache } = this.#bulkPhaseOne(project, progress);
      try {
        try {
          void cache?.load();
          await project.initialize(run.token, progress, bulk, async () => {
            this.#lifecycle.shapeKnown(run);
            // Pages opened while the site was walked are analysed now, with the site's knowledge.
            if (this.#lifecycle.isCurrent(run)) this.#flushEdits();
            // The open pages' diagnostics that waited for the shape are answered before indexing goes on (its next
            // step can hold the thread for half a second: a large SUMMARY.md), for at most a quarter of a second.
            await this.#answersSettled(shapeAnswerWaitMs);
          });
        } finally {
          // The worker threads go once phase one is done: their heaps are most of the memory indexing took.
          await bulk?.close();
        }
        // The site's history (moves, contents, line authors) is evidence for "did you mean", moved pictures and author-undeclared.
        if (this.#gitHistory) await applyGitHistory(project, this.root, this.#logger);
        if (bulk && cache?.exists() && this.#lifecycle.isCurrent(run)) {
          // The first whole-site check takes the workspace findings `msol check` stored, while nothing other pages can see changes.
          this.#siteFindings.warmStart(project, bulk.workspaceCache(project, bulk.siteKey(project)), () => {
            this.#logger.log('info', 'site checked with the cache', { root: this.root, ...bulk.stats });
          });
        }
      } catch (error) {
        if (!(error instanceof CancelledError))
          this.#logger.log('error', 'indexing failed; checks use what was indexed', {
            root: this.root,
            ...errorData(error),
          });
      } finally {
        if (this.#lifecycle.isCurrent(run)) {
          // Documents opened while the index was built may have been overwritten by their disk text.
          this.#reapplyOpenDocuments();
          this.#lifecycle.finished(run);
        }
      }
    });
  }

  /**
   * Phase one as `msol check` runs it: pages read in bulk, looked up in the
   * persistent cache `msol check` writes (read only: the server writes no
   * file), the rest analysed on worker threads. A loose-file site (the folder
   * of a file opened without a workspace) uses no cache.
   */
  #bulkPhaseOne(
    project: Project,
    progress: (done: number, total: number) => void,
  ): { bulk?: BulkPhaseOne; cache?: PhaseOneCache } {
    const settings = this.#phaseOne;
    if (!settings) return {};
    const signing = this.singleFile ? undefined : cacheSigning(settings.env, this.#logger, { create: false });
    const cache = signing
      ? new PhaseOneCache(defaultCacheLocation(this.root, this.root, settings.env), this.root, this.#logger, signing, {
          readOnly: true,
        })
      : undefined;
    let done = 0;
    let total: number | undefined;
    const bulk = new BulkPhaseOne(this.fs, {
      workers: defaultWorkerCount(settings.env),
      workerPath: defaultWorkerPath(),
      version: settings.version,
      logger: this.#logger,
      ...(cache ? { cache } : {}),
      startThreadsEarly: false,
      // Pages are analysed once the site is walked: the count is known by then.
      onPage: () => progress(++done, (total ??= project.index.pages().length)),
    });
    return { bulk, ...(cache ? { cache } : {}) };
  }

  /** Hands every open page's text to the engine again; tells the server when other pages can see a difference. */
  #reapplyOpenDocuments(): boolean {
    this.#openedWhileBusy = false;
    this.#edited.clear();
    let changed = false;
    for (const [path, doc] of this.#docs) {
      if (isMarkdownPath(path) && this.#project.openDocument(path, doc.getText(), ++this.#generation)) changed = true;
    }
    if (changed) this.#siteFindings.siteChanged();
    return changed;
  }
}

/**
 * Files the index holds: like the engine's walk, nothing inside a dot-folder
 * other than `.gitbook` (so `.git/`, `.vscode/` events are ignored).
 */
function isIndexable(path: string): boolean {
  const dirs = path.split('/').slice(0, -1);
  return path !== '' && !dirs.some((d) => d.startsWith('.') && d !== '.gitbook');
}
