import { availableParallelism } from 'node:os';
import * as nodePath from 'node:path';
import { existsSync } from 'node:fs';
import type { CancellationToken, Logger } from '../engine/host';
import type { Finding } from '../engine/types';
import { historyFingerprint } from '../engine/history';
import type { FixVerdicts } from '../engine/safeFixes';
import { throwIfCancelled } from '../engine/host';
import type { DocumentParse, Project, WorkspaceFindingsCache } from '../engine/project';
import { analyzeRead, leanFacts, type PhaseOneHost, type PhaseOneOutcome, type ReadResult } from '../engine/phaseOne';
import type { FileFacts } from '../engine/facts';
import {
  adoptKnowledge,
  keptKnowledge,
  knowledgeInputs,
  knowledgeKey,
  knowledgeSources,
  prepareKnowledgeSource,
  sourceHints,
} from '../engine/knowledge';
import type { FileStamp, NodeFileSystem } from './nodeFileSystem';
import { engineHash, hashOf, nowNs, provableStat, type CacheEntry, type PhaseOneCache } from './cache';
import { WorkerPool } from './pool';
import type { BatchItem } from './worker';

/**
 * Phase one of `msol check` in bulk (a PhaseOneHost for Project.initialize):
 * pages are read many at a time, looked up in the persistent cache by content
 * hash, and the rest are analysed by worker threads (or in the main thread
 * when there is little to do). Findings are those of the single-threaded
 * Project: the workers derive the same site knowledge from a snapshot, and
 * an outcome computed with other knowledge is re-analysed.
 */

export interface BulkOptions {
  /** Worker threads for phase one; 0: the main thread only. */
  readonly workers: number;
  readonly workerPath: string;
  readonly cache?: PhaseOneCache;
  readonly version: string;
  readonly logger: Logger;
  /** Fewer bytes than this to analyse: the main thread does it (default workerThresholdBytes). */
  readonly minWorkerBytes?: number;
  /** Called once per page whose phase one is in (from the cache, a worker or the main thread): for progress. */
  readonly onPage?: () => void;
  /**
   * Start the threads while the pages are read (the CLI: they load meanwhile). The language server
   * starts them once the site's shape is known (an open page's diagnostics come first), unless the
   * knowledge sources are enough to share (then when their analysis starts).
   */
  readonly startThreadsEarly?: boolean;
}

/** Pages stat'ed, read and hashed between two pauses that let other work run (the language server's requests). */
const chunkPages = 64;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Analysis in the main thread lets other work run this often. */
const mainSliceMs = 10;

/** From this many pages on, a run without a cache starts its threads before reading the pages. */
export const warmUpPages = 150;

/** Below this many bytes to analyse, starting threads costs more than it saves. */
export const workerThresholdBytes = 768 * 1024;

/** Worker threads to use by default: one per core, at most 4; MSOL_WORKERS overrides (0: none). */
export function defaultWorkerCount(env: Readonly<Record<string, string | undefined>>): number {
  const set = env['MSOL_WORKERS'];
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.min(16, Number(set.trim()));
  return Math.min(4, availableParallelism());
}

/** server/out/worker.js beside the running bundle (or the repository's, when running from sources). */
export function defaultWorkerPath(): string {
  const beside = nodePath.join(__dirname, 'worker.js');
  if (existsSync(beside)) return beside;
  return nodePath.resolve(__dirname, '../../out/worker.js');
}

export interface BulkStats {
  pages: number;
  cacheHits: number;
  /** Pages whose stat matched their cache entry's: not read. */
  statHits: number;
  analysedInMain: number;
  analysedInWorkers: number;
  /** Knowledge sources settled on the worker thread that kept their parse (also counted in analysedInWorkers). */
  sourcesSettledInWorkers: number;
  /** Pages whose phase two came from the cache. */
  workspaceHits: number;
  /** 1 when the site's knowledge (the glossary, the site's license and author) came from the cache, not derived. */
  knowledgeHits: number;
}

export class BulkPhaseOne implements PhaseOneHost {
  readonly #fs: NodeFileSystem;
  readonly #options: BulkOptions;
  #pool: WorkerPool | undefined;
  /** Content hash of each page as read (or as its stat vouched for) this run. */
  readonly #hashes = new Map<string, string>();
  /** The stat signature that proves each page's hash next time, when there is one (see cache.ts). */
  readonly #stats = new Map<string, string>();
  /**
   * The Project's stamp of each page's phase one right after this host
   * handed it over, with the bytes it came from: a page analysed again
   * since (a file event in the language server) is not stored under bytes
   * it may not have come from.
   */
  readonly #stamps = new Map<string, object>();
  /** Visible-facts fingerprints of pages adopted from the cache with deferred facts (their share of the site key). */
  readonly #fingerprints = new Map<string, string>();
  readonly stats: BulkStats = {
    pages: 0,
    cacheHits: 0,
    statHits: 0,
    analysedInMain: 0,
    analysedInWorkers: 0,
    sourcesSettledInWorkers: 0,
    workspaceHits: 0,
    knowledgeHits: 0,
  };
  /** Phase two of each page this run (reused or computed), with the site key it holds for. */
  readonly #workspace = new Map<string, readonly Finding[]>();
  /** Per page, the fix verdicts of this run (Project.verifyFixes), valid as long as its phase two. */
  readonly #verdicts = new Map<string, FixVerdicts>();
  #siteKey: string | undefined;
  /** What each page's bytes hint to site knowledge (`sourceHints`), from this run's read or from the entry its stat vouched for. */
  readonly #hints = new Map<string, string>();
  /**
   * Pages `prepare` looked at, for `analyze` to use once: the stat taken
   * before the read (with when it was taken) and the bytes, unless the
   * stat vouched for them (then they were not read).
   */
  readonly #prepared = new Map<
    string,
    { readonly stamp: FileStamp | undefined; readonly readAt: bigint; readonly read?: ReadResult | undefined }
  >();

  /**
   * The knowledge sources' parses while the site's knowledge settles: a
   * source is analysed for its facts before the others' facts exist, and
   * for its findings once they do, its text the same in between.
   */
  readonly #sourceParses = new Map<string, DocumentParse>();

  constructor(fs: NodeFileSystem, options: BulkOptions) {
    this.#fs = fs;
    this.#options = options;
  }

  /** Starts the worker threads now (they load while the main thread walks the site): for a cold run. */
  warmUp(): void {
    if (!this.#pool && this.#options.workers > 0 && existsSync(this.#options.workerPath))
      this.#pool = new WorkerPool(this.#options.workerPath, this.#options.workers, this.#options.logger);
  }

  /** Content hashes of the knowledge sources as read in the sources phase. */
  #sourceHashes = '';

  /**
   * What every page's phase one may depend on besides its own text: the
   * engine, the config, whether the proposal exists, and the very bytes of
   * the knowledge source pages (README.md, the proposal, GLOSSARY.md), and
   * which pages those are (entries of other pages are stored lean). The
   * last is stricter than the knowledge key: document rules may read more of
   * those pages than the knowledge they derive (term-case reads README's
   * title), so any edit to them re-analyses the site.
   */
  #env(project: Project): string {
    // Once per run, when the sources are analysed: which pages are sources may be known from their text then and from
    // their facts later, and the next run sees them as this one did at the start.
    return (this.#envValue ??= hashOf(
      `${engineHash(this.#options.version)}\0${JSON.stringify(project.config)}\0${project.index.hasFile(project.index.proposalPath)}\0${[...knowledgeSources(project.index)].sort().join('\0')}\0${this.#sourceHashes}`,
    ));
  }
  #envValue: string | undefined;

  /**
   * Before any page is analysed: tells site knowledge what every page's
   * bytes hint (pages that may define terms are glossary sources). A page
   * whose stat vouches for its cache entry's bytes is not read (the entry
   * keeps their hints); the others are read once, for `analyze` too.
   */
  async prepare(project: Project, pages: readonly string[], token: CancellationToken): Promise<void> {
    const cache = this.#options.cache;
    await cache?.load();
    // A large site without a cache, in the CLI: the threads load while the pages are read (they take the knowledge sources next).
    if ((this.#options.startThreadsEarly ?? true) && !cache?.exists() && pages.length >= warmUpPages) this.warmUp();
    const readAt = nowNs();
    // Stats vouch for cache entries, and are stored as proof for the next run: a cache that holds nothing and stores
    // nothing (the language server's, before any `msol check`) needs none.
    const stamps =
      cache && (cache.holdsEntries || !cache.readOnly)
        ? await this.#inChunks(pages, (chunk) => this.#fs.statFiles(chunk))
        : undefined;
    const toRead: string[] = [];
    for (const path of pages) {
      const stored = cache?.get(path);
      const stamp = stamps?.get(path);
      if (stored?.s !== undefined && stored.d !== undefined && stamp && stored.s === stamp.signature) {
        project.noteHints(path, stored.d);
        this.#hints.set(path, stored.d);
        this.#prepared.set(path, { stamp, readAt });
      } else toRead.push(path);
    }
    const reads = await this.#inChunks(toRead, (chunk) => this.#fs.readFiles(chunk, project.config.maxFileSize));
    throwIfCancelled(token);
    for (const path of toRead) {
      const read = reads.get(path);
      this.#prepared.set(path, { stamp: stamps?.get(path), readAt, read });
      if (!read?.bytes) continue;
      const hints = sourceHints(read.bytes);
      project.noteHints(path, hints);
      this.#hints.set(path, hints);
    }
  }

  #adopt(project: Project, outcome: Parameters<Project['adoptPhaseOne']>[0]): void {
    project.adoptPhaseOne(outcome);
    const stamp = project.phaseOneState(outcome.path)?.stamp;
    if (stamp) this.#stamps.set(outcome.path, stamp);
    else this.#stamps.delete(outcome.path);
    this.#options.onPage?.();
  }

  async analyze(
    project: Project,
    pages: readonly string[],
    phase: { readonly sources: boolean; readonly fresh?: boolean },
    token: CancellationToken,
  ): Promise<void> {
    await this.#analyze(project, pages, phase, token);
    // Once the sources' facts are in, the knowledge the last run derived from the same inputs (a warm check) is taken.
    if (phase.sources && !phase.fresh) this.#adoptStoredKnowledge(project);
  }

  /** Whether the site's knowledge came from the cache (it is taken once, before anything derives it). */
  #knowledgeAdopted = false;

  /** The hash of the site knowledge's inputs (knowledgeInputs, the engine), with the sources' contents as hashed this run. */
  #knowledgeInputs(project: Project): string | undefined {
    const inputs = knowledgeInputs(project.index, (path) => this.#hashes.get(path));
    return inputs === undefined ? undefined : hashOf(`${engineHash(this.#options.version)}\0${inputs}`);
  }

  #adoptStoredKnowledge(project: Project): void {
    const stored = this.#options.cache?.knowledge;
    if (this.#knowledgeAdopted || !stored) return;
    if (stored.inputs !== this.#knowledgeInputs(project)) return;
    this.#knowledgeAdopted = adoptKnowledge(project.index, stored.kinds);
    if (this.#knowledgeAdopted) this.stats.knowledgeHits++;
  }

  async #analyze(
    project: Project,
    pages: readonly string[],
    phase: { readonly sources: boolean; readonly fresh?: boolean },
    token: CancellationToken,
  ): Promise<void> {
    // A large site without a cache: start the threads now, they load while the main thread reads (the CLI: before the
    // knowledge sources are analysed; the language server: once they are, an open page's diagnostics come first).
    const early = this.#options.startThreadsEarly ?? true;
    if (
      !phase.fresh &&
      phase.sources === early &&
      !this.#options.cache?.exists() &&
      project.index.pages().length >= warmUpPages
    )
      this.warmUp();
    if (pages.length === 0) return;
    const cache = phase.fresh ? undefined : this.#options.cache;
    await cache?.load();
    this.stats.pages += phase.fresh ? 0 : pages.length;
    // Pages `prepare` looked at come with the stat taken then, and their bytes when it read them.
    const prepared = new Map<
      string,
      { readonly stamp: FileStamp | undefined; readonly readAt: bigint; readonly read?: ReadResult | undefined }
    >();
    if (!phase.fresh)
      for (const path of pages) {
        const p = this.#prepared.get(path);
        if (!p) continue;
        prepared.set(path, p);
        this.#prepared.delete(path);
      }
    // Stat first: a page whose stat is the one its entry recorded as proof of its bytes is not read (unless it must be analysed).
    const readAt = nowNs();
    const stamps = this.#options.cache
      ? await this.#inChunks(
          pages.filter((p) => !prepared.has(p)),
          (chunk) => this.#fs.statFiles(chunk),
        )
      : undefined;
    const stampOf = (path: string) => (prepared.has(path) ? prepared.get(path)!.stamp : stamps?.get(path));
    const reads = new Map<string, ReadResult | undefined>();
    const toRead: string[] = [];
    for (const path of pages) {
      const stored = cache?.get(path);
      const stamp = stampOf(path);
      const ahead = prepared.get(path);
      if (stored?.s !== undefined && stamp && stored.s === stamp.signature) {
        this.#hashes.set(path, stored.h);
        this.#stats.set(path, stored.s);
        if (stored.d !== undefined) this.#hints.set(path, stored.d);
        this.stats.statHits++;
      } else if (ahead && 'read' in ahead) reads.set(path, ahead.read);
      else toRead.push(path);
    }
    for (const [path, read] of await this.#inChunks(toRead, (chunk) =>
      this.#fs.readFiles(chunk, project.config.maxFileSize),
    ))
      reads.set(path, read);
    throwIfCancelled(token);
    for (const [path, read] of reads) {
      const bytes = read?.bytes;
      if (bytes) this.#hashes.set(path, hashOf(bytes));
      else this.#hashes.delete(path);
      if (bytes && this.#options.cache && !prepared.has(path)) this.#hints.set(path, sourceHints(bytes));
      // The stat taken before reading: proof of these bytes next time, unless the page may still change within its timestamp's tick.
      const proof = provableStat(stampOf(path), prepared.get(path)?.readAt ?? readAt);
      if (bytes && proof !== undefined) this.#stats.set(path, proof);
      else this.#stats.delete(path);
    }
    // SUMMARY.md is a source only for which pages are archived: it reaches phase one through the knowledge key alone, so a new entry keeps the cache
    // (the Project analyses it in a batch of its own, after the other sources).
    if (phase.sources && !phase.fresh && pages.some((p) => p !== project.index.summaryPath))
      this.#sourceHashes = pages
        .filter((p) => p !== project.index.summaryPath)
        .map((p) => `${p}:${this.#hashes.get(p) ?? '-'}`)
        .join('\n');
    const env = cache ? this.#env(project) : '';
    // Other pages' entries hold for the knowledge as it is now; sources are adopted with their own (deriving it here, before
    // a batch of sources is in, would be thrown away).
    const key = phase.sources ? '' : knowledgeKey(project.index);
    const keyHash = phase.sources ? '' : hashOf(key);
    const misses: string[] = [];
    for (const path of pages) {
      const hash = this.#hashes.get(path);
      const entry = cache && hash ? cache.get(path) : undefined;
      if (entry && entry.h === hash && entry.e === env) {
        // Sources are adopted with the knowledge they were computed with, facts in full; the Project settles them.
        if (phase.sources && entry.kk !== undefined && entry.o.kind === 'analysed') {
          this.#adopt(project, {
            kind: 'analysed',
            path,
            facts: cache!.factsLoader(path)!(),
            findings: entry.o.findings,
            key: entry.kk,
          });
          this.stats.cacheHits++;
          continue;
        }
        if (!phase.sources && entry.o.kind === 'skipped') {
          this.#adopt(project, { kind: 'skipped', path, message: entry.o.message });
          this.stats.cacheHits++;
          continue;
        }
        if (!phase.sources && entry.k === keyHash && entry.o.kind === 'analysed') {
          // Facts stay unparsed until something reads them: a warm check reads few.
          const load = cache!.factsLoader(path)!;
          this.#adopt(project, {
            kind: 'deferred',
            path,
            facts: { path, directives: entry.o.directives, load },
            findings: entry.o.findings,
            key,
          });
          this.#fingerprints.set(path, entry.o.v);
          this.stats.cacheHits++;
          continue;
        }
      }
      misses.push(path);
    }
    if (misses.length === 0) return;
    // Pages vouched for by their stat whose entry did not hold after all: read them now.
    const unread = misses.filter((p) => !reads.has(p));
    if (unread.length > 0) {
      for (const [path, read] of await this.#fs.readFiles(unread, project.config.maxFileSize)) {
        reads.set(path, read);
        const bytes = read?.bytes;
        if (bytes && hashOf(bytes) !== this.#hashes.get(path)) {
          // Changed since the stat was taken: these bytes are what is analysed, and no stat vouches for them.
          this.#hashes.set(path, hashOf(bytes));
          this.#stats.delete(path);
          this.#hints.set(path, sourceHints(bytes));
        }
      }
    }
    const items: BatchItem[] = [];
    let missBytes = 0;
    for (const path of misses) {
      const read = reads.get(path);
      items.push(read ? { path, read } : { path });
      missBytes += read?.bytes?.length ?? 0;
    }
    if (phase.sources) {
      await this.#sources(project, items, missBytes, phase.fresh ? 'settle' : 'first', token);
      return;
    }
    if (this.#options.workers === 0 || missBytes < (this.#options.minWorkerBytes ?? workerThresholdBytes)) {
      await this.#allInMain(project, items, token);
      return;
    }
    this.warmUp();
    const pool = this.#pool;
    if (!pool) {
      await this.#allInMain(project, items, token);
      return;
    }
    const failed: BatchItem[] = [];
    // The pool holds the pages' bytes from here on; drop this function's references to them.
    reads.clear();
    const running = pool.run({
      snapshot: project.siteSnapshot(),
      items,
      onOutcome: (o: PhaseOneOutcome) => {
        this.#adopt(project, o);
        this.stats.analysedInWorkers++;
      },
      onFailed: (item, error) => {
        this.#options.logger.log('debug', 'worker could not analyse a page; analysing it in the main thread', {
          path: item.path,
          error,
        });
        failed.push(item);
      },
    });
    items.length = 0;
    await running;
    for (const item of failed) this.#inMain(project, item.path, item.read);
  }

  /**
   * Knowledge sources, in two steps on one parse: their facts alone
   * ('first'), then their rules once every source's facts are in
   * ('settle'). With the threads started and enough bytes to share, the
   * threads take them (each keeps its parses for the settle) while the main
   * thread takes SUMMARY.md (the largest page of a large site, whose own
   * findings the main thread settles); a page no thread kept is settled in
   * the main thread.
   */
  async #sources(
    project: Project,
    items: readonly BatchItem[],
    bytes: number,
    step: 'first' | 'settle',
    token: CancellationToken,
  ): Promise<void> {
    // Enough sources to share (hundreds of pages that define terms) and no thread yet (the language server starts them
    // late, for an open page's sake): they start now, while the main thread takes SUMMARY.md.
    if (step === 'first' && !this.#pool && bytes >= (this.#options.minWorkerBytes ?? workerThresholdBytes))
      this.warmUp();
    const pool = this.#pool;
    const shared =
      pool !== undefined &&
      pool.size > 0 &&
      (step === 'settle' || bytes >= (this.#options.minWorkerBytes ?? workerThresholdBytes));
    const onThreads = shared
      ? items.filter((i) =>
          step === 'first' ? i.path !== project.index.summaryPath : this.#sourcesOnThreads.has(i.path),
        )
      : [];
    if (onThreads.length === 0) {
      await this.#allInMain(project, items, token, step);
      return;
    }
    const threaded = new Set(onThreads);
    const inMain = items.filter((i) => !threaded.has(i));
    const failed: BatchItem[] = [];
    const running = pool!.run({
      snapshot: project.siteSnapshot(),
      items: onThreads,
      mode: step,
      onOutcome: (o: PhaseOneOutcome) => {
        if (step === 'first') this.#sourcesOnThreads.add(o.path);
        else {
          this.#sourcesOnThreads.delete(o.path);
          this.stats.sourcesSettledInWorkers++;
        }
        this.#adopt(project, o);
        this.stats.analysedInWorkers++;
        // The main thread waits for the other sources meanwhile: what the knowledge will read of this one is found now.
        if (step === 'first') prepareKnowledgeSource(project.index, o.path);
      },
      onFailed: (item) => failed.push(item),
    });
    await Promise.all([running, this.#allInMain(project, inMain, token, step)]);
    for (const item of failed) {
      this.#sourcesOnThreads.delete(item.path);
      this.#inMain(project, item.path, item.read, step);
    }
  }

  /** Knowledge sources whose parse a thread kept from their first analysis, for their settle. */
  readonly #sourcesOnThreads = new Set<string>();

  /** Whether the knowledge sources' settle runs on the threads (then it goes before the other pages, which need them too). */
  sourcesOnThreads(): boolean {
    return this.#sourcesOnThreads.size > 0;
  }

  /** `work` over `items` a chunk at a time, the event loop free in between; the maps it returns, merged. */
  async #inChunks<V>(
    items: readonly string[],
    work: (chunk: readonly string[]) => Map<string, V> | Promise<Map<string, V>>,
  ): Promise<Map<string, V>> {
    if (items.length <= chunkPages) return work(items);
    const out = new Map<string, V>();
    for (let i = 0; i < items.length; i += chunkPages) {
      if (i > 0) await yieldToEventLoop();
      for (const [k, v] of await work(items.slice(i, i + chunkPages))) out.set(k, v);
    }
    return out;
  }

  /** Analyses pages in the main thread, the event loop free every few milliseconds (the language server's requests: an open page's diagnostics). */
  async #allInMain(
    project: Project,
    items: readonly BatchItem[],
    token: CancellationToken,
    /** Knowledge sources: their first analysis (facts only: knowledge is not settled yet), or once it is. */
    sources?: 'first' | 'settle',
  ): Promise<void> {
    // What waited for the work before (an open page's diagnostics, once the site's shape is told) goes first: one page
    // can take half a second (a SUMMARY.md of thousands of entries).
    let since = -Infinity;
    for (const m of items) {
      throwIfCancelled(token);
      if (performance.now() - since >= mainSliceMs) {
        await yieldToEventLoop();
        throwIfCancelled(token);
        since = performance.now();
      }
      this.#inMain(project, m.path, m.read, sources);
    }
  }

  /** A source's parse from its first analysis, handed out once (the settle that follows it is its last use). */
  #takeSourceParse(path: string): DocumentParse | undefined {
    const parse = this.#sourceParses.get(path);
    this.#sourceParses.delete(path);
    return parse;
  }

  #inMain(project: Project, path: string, read: ReadResult | undefined, source?: 'first' | 'settle'): void {
    const reuse = source
      ? {
          earlier: this.#takeSourceParse(path),
          onAnalysed: (a: DocumentParse) => {
            if (source === 'first') this.#sourceParses.set(path, a);
          },
          factsOnly: source === 'first',
        }
      : undefined;
    this.#adopt(project, analyzeRead(path, read, project.index, true, reuse));
    this.stats.analysedInMain++;
  }

  /**
   * The site key of phase two: everything a page's workspace rules may read
   * of the rest of the site (see cache.ts). Computed once the site is
   * settled. A page whose facts are still deferred contributes the
   * fingerprint stored with them, so computing the key parses no facts.
   */
  siteKey(project: Project): string {
    const index = project.index;
    const parts: string[] = [
      this.#env(project),
      knowledgeKey(index),
      [...index.files].sort().join('\0'),
      `summary:${this.#hashes.get(index.summaryPath) ?? '-'}`,
    ];
    for (const [path, text] of project.siteSnapshot().sidecars) parts.push(`sidecar:${path}:${hashOf(text)}`);
    for (const path of index.pages()) {
      const deferred = index.isDeferred(path) ? this.#fingerprints.get(path) : undefined;
      const f = deferred === undefined ? index.facts(path) : undefined;
      parts.push(`${path}\0${deferred ?? (f ? visibleFingerprint(f) : '-')}`);
    }
    // What the rules read of the site's history: its moves, and each page's committers and line authors.
    parts.push(`history:${hashOf(historyFingerprint(index, index.pages()))}`);
    return (this.#siteKey = hashOf(parts.join('\n')));
  }

  /**
   * Phase two from the cache for a site check, under `siteKey` (computed
   * once the site is settled, git history applied): a page's stored workspace
   * findings are used while its phase one is still the one this host handed
   * over (not an editor's text, not analysed again since); the findings each
   * check used are recorded for `store`.
   */
  workspaceCache(project: Project, siteKey: string): WorkspaceFindingsCache {
    return {
      get: (path) =>
        project.phaseOneState(path)?.stamp === this.#stamps.get(path) ? this.cachedWorkspace(path, siteKey) : undefined,
      record: (path, workspace) => this.recordWorkspace(path, workspace),
    };
  }

  /** A page's cached phase two, when its bytes and the site key are those it was computed with. */
  cachedWorkspace(path: string, siteKey: string): readonly Finding[] | undefined {
    const entry = this.#options.cache?.get(path);
    const hash = this.#hashes.get(path);
    if (!entry || !hash || entry.h !== hash || entry.w?.g !== siteKey || !Array.isArray(entry.w.f)) return undefined;
    this.stats.workspaceHits++;
    return entry.w.f;
  }

  /** Records a page's phase two of this run, for the cache. */
  recordWorkspace(path: string, findings: readonly Finding[] | undefined): void {
    if (findings) this.#workspace.set(path, findings);
    else this.#workspace.delete(path);
    this.#verdicts.delete(path);
  }

  /** A page's cached fix verdicts, when its phase two comes from the cache too (they were computed together). */
  cachedVerdicts(path: string, siteKey: string): FixVerdicts | undefined {
    const entry = this.#options.cache?.get(path);
    const hash = this.#hashes.get(path);
    if (!entry || !hash || entry.h !== hash || entry.w?.g !== siteKey || !Array.isArray(entry.w.u)) return undefined;
    return entry.w.u;
  }

  /** Records a page's fix verdicts of this run (after recordWorkspace), for the cache. */
  recordVerdicts(path: string, verdicts: FixVerdicts): void {
    this.#verdicts.set(path, verdicts);
  }

  /**
   * Writes every page's current phase one to the cache (only changed entries
   * reach the disk). Pages the Project analysed again since this host handed
   * them over are left out, but for those in `changed` (`--fix` rewrote
   * them: hashed again from the disk).
   */
  async store(project: Project, changed: ReadonlySet<string> = new Set()): Promise<void> {
    const cache = this.#options.cache;
    if (!cache) return;
    if (changed.size > 0) {
      const reads = await this.#fs.readFiles([...changed], project.config.maxFileSize);
      for (const p of changed) {
        const bytes = reads.get(p)?.bytes;
        if (bytes) this.#hashes.set(p, hashOf(bytes));
        else this.#hashes.delete(p);
        if (bytes) this.#hints.set(p, sourceHints(bytes));
        else this.#hints.delete(p);
        this.#stats.delete(p);
      }
    }
    const env = this.#env(project);
    const sources = knowledgeSources(project.index);
    const pages = project.index.pages();
    // Pages share a handful of knowledge keys (one, mostly): hash each once.
    const keyHashes = new Map<string, string>();
    const keyHashOf = (key: string) => {
      let h = keyHashes.get(key);
      if (h === undefined) keyHashes.set(key, (h = hashOf(key)));
      return h;
    };
    for (const path of pages) {
      const hash = this.#hashes.get(path);
      const state = project.phaseOneState(path);
      if (!hash || !state) continue;
      if (state.stamp !== this.#stamps.get(path) && !changed.has(path)) continue;
      const k = state.kind === 'skipped' ? '' : keyHashOf(state.key);
      // Pages whose bytes hint at knowledge are sources in the next run's first phase (until their facts say otherwise): stored in full too.
      const kk = state.kind === 'analysed' && (sources.has(path) || !!this.#hints.get(path)) ? state.key : undefined;
      const s = this.#stats.get(path);
      // A page not checked this run (`msol check one-page.md`) keeps its cached phase two while it is still valid.
      const old = cache.get(path);
      const keep = old?.w !== undefined && old.h === hash && old.w.g === this.#siteKey;
      const computed =
        this.#siteKey !== undefined && state.kind === 'analysed' && !changed.has(path)
          ? (this.#workspace.get(path) ?? (keep ? old!.w!.f : undefined))
          : undefined;
      // The verdicts go with the phase two they were computed on.
      const verdicts = computed
        ? (this.#verdicts.get(path) ?? (keep && computed === old!.w!.f ? old!.w!.u : undefined))
        : undefined;
      const w = computed ? { g: this.#siteKey!, f: computed, ...(verdicts ? { u: verdicts } : {}) } : undefined;
      const d = this.#hints.get(path);
      // A warm run leaves almost every entry as it was: decided before anything is built (or any deferred facts parsed).
      if (
        old &&
        old.h === hash &&
        old.e === env &&
        old.k === k &&
        old.kk === kk &&
        (state.kind === 'skipped') === (old.o.kind === 'skipped')
      ) {
        if (
          old.w?.g !== w?.g ||
          (old.w?.u === undefined) !== (w?.u === undefined) ||
          old.s !== s ||
          (d !== undefined && old.d !== d)
        )
          cache.update(path, { w, s, d: d ?? old.d });
        continue;
      }
      const outcome = project.phaseOneOf(path);
      if (!outcome || outcome.kind === 'missing') continue;
      const base = {
        h: hash,
        ...(s !== undefined ? { s } : {}),
        ...(d !== undefined ? { d } : {}),
        e: env,
        k,
        ...(kk !== undefined ? { kk } : {}),
      };
      if (outcome.kind === 'skipped') {
        cache.set(path, { ...base, o: { kind: 'skipped', message: outcome.message } }, undefined);
        continue;
      }
      const facts: FileFacts = kk !== undefined ? outcome.facts : leanFacts(outcome.facts);
      const entry: CacheEntry = {
        ...base,
        o: {
          kind: 'analysed',
          findings: outcome.findings,
          directives: outcome.facts.directives,
          v: visibleFingerprint(outcome.facts),
        },
        ...(w ? { w } : {}),
      };
      cache.set(path, entry, facts);
    }
    cache.retain(new Set(pages));
    // The knowledge as derived now, under its inputs (not after --fix: the sources' contents hashed here may be older than their facts).
    if (changed.size === 0) {
      const inputs = this.#knowledgeInputs(project);
      const kinds = inputs !== undefined ? keptKnowledge(project.index) : undefined;
      if (inputs !== undefined && kinds) cache.setKnowledge({ inputs, kinds });
    }
    await cache.save();
  }

  async close(): Promise<void> {
    this.#prepared.clear();
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool) this.#options.logger.log('debug', 'worker threads', { load: JSON.stringify(pool.load) });
    await pool?.close();
  }
}

/** What other pages' rules can see of a page (title, anchors, front matter, headings), as a short fingerprint. */
export function visibleFingerprint(f: FileFacts): string {
  return hashOf(
    JSON.stringify([f.title ?? null, f.anchors, f.frontMatter ?? null, f.headings.map((h) => [h.depth, h.text])]),
  );
}
