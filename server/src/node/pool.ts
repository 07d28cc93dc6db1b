import { Worker } from 'node:worker_threads';
import type { Logger } from '../engine/host';
import type { PhaseOneOutcome, SiteSnapshot } from '../engine/phaseOne';
import type { BatchItem, BatchMode, FromWorker, ToWorker } from './worker';

/**
 * Worker threads running phase one (server/out/worker.js) for `msol check`.
 * Pages go out in batches of about `batchBytes`, at most two batches in
 * flight per worker, in path order; outcomes come back per batch. A page a
 * worker could not analyse (a worker that died, an engine bug) is handed back
 * through `onFailed`, for the main thread to analyse itself.
 */

export interface PoolRun {
  readonly snapshot: SiteSnapshot;
  readonly items: readonly BatchItem[];
  readonly onOutcome: (outcome: PhaseOneOutcome) => void;
  readonly onFailed: (item: BatchItem, error: string) => void;
  /**
   * Knowledge sources, analysed in two steps on the same parse: 'first'
   * takes their facts alone, each worker keeping the parses of the pages it
   * took; 'settle' runs their rules once the site's knowledge is known, each
   * page on the worker that kept its parse (a page no living worker kept is
   * handed to onFailed). Runs without a mode let the workers drop what they
   * kept.
   */
  readonly mode?: BatchMode;
}

const batchBytes = 96 * 1024;
const batchPages = 48;

interface Lane {
  readonly worker: Worker;
  readonly inFlight: Map<number, readonly BatchItem[]>;
  dead: boolean;
  /** Time spent analysing, for -v. */
  busyMs: number;
  pages: number;
}

export class WorkerPool {
  readonly #lanes: Lane[] = [];
  readonly #logger: Logger;
  #nextId = 0;
  /** Which worker kept the parse of each knowledge source it analysed in a 'first' run, for the 'settle' run. */
  readonly #keptBy = new Map<string, Lane>();
  #onMessage: ((lane: Lane, message: FromWorker) => void) | undefined;
  #onDeath: ((lane: Lane, error: string) => void) | undefined;

  constructor(workerPath: string, size: number, logger: Logger) {
    this.#logger = logger;
    for (let i = 0; i < size; i++) {
      // A larger young generation: parsing allocates many short-lived objects, and scavenges dominate otherwise.
      const worker = new Worker(workerPath, { resourceLimits: { maxYoungGenerationSizeMb: 32 } });
      const lane: Lane = { worker, inFlight: new Map(), dead: false, busyMs: 0, pages: 0 };
      worker.on('message', (m: FromWorker) => this.#onMessage?.(lane, m));
      worker.on('error', (e) => this.#die(lane, e instanceof Error ? (e.stack ?? e.message) : String(e)));
      worker.on('exit', (code) => this.#die(lane, `exited with code ${code}`));
      this.#lanes.push(lane);
    }
  }

  get size(): number {
    return this.#lanes.filter((l) => !l.dead).length;
  }

  #die(lane: Lane, error: string): void {
    if (lane.dead) return;
    lane.dead = true;
    this.#logger.log('warn', 'a worker thread stopped; the main thread takes over its pages', { error });
    this.#onDeath?.(lane, error);
  }

  /** Analyses the items; resolves when every item has an outcome or was handed to onFailed. */
  run(job: PoolRun): Promise<void> {
    const mode = job.mode;
    // Pages go to any worker (one shared queue), but for a settle, where each goes to the worker that kept its parse.
    const queues = new Map<Lane | undefined, { batches: BatchItem[][]; next: number }>();
    const unkept: BatchItem[] = [];
    const queueOf = (lane: Lane | undefined) => {
      let q = queues.get(lane);
      if (!q) queues.set(lane, (q = { batches: [], next: 0 }));
      return q;
    };
    const open = new Map<Lane | undefined, { items: BatchItem[]; bytes: number }>();
    for (const item of job.items) {
      let lane: Lane | undefined;
      if (mode === 'settle') {
        lane = this.#keptBy.get(item.path);
        this.#keptBy.delete(item.path);
        if (!lane || lane.dead) {
          unkept.push(item);
          continue;
        }
      }
      let current = open.get(lane);
      if (!current) open.set(lane, (current = { items: [], bytes: 0 }));
      current.items.push(item);
      current.bytes += item.read?.bytes?.length ?? 0;
      if (current.bytes >= batchBytes || current.items.length >= batchPages) {
        queueOf(lane).batches.push(current.items);
        open.delete(lane);
      }
    }
    for (const [lane, current] of open) queueOf(lane).batches.push(current.items);
    if (mode !== 'first' && mode !== 'settle') this.#keptBy.clear();
    for (const item of unkept) job.onFailed(item, 'no worker thread kept its parse');
    let remaining = 0;
    for (const q of queues.values()) remaining += q.batches.length;
    return new Promise<void>((resolve) => {
      if (remaining === 0 || this.size === 0) {
        for (const q of queues.values())
          for (const b of q.batches) for (const item of b) job.onFailed(item, 'no worker thread');
        resolve();
        return;
      }
      const finish = () => {
        if (--remaining === 0) {
          this.#onMessage = undefined;
          this.#onDeath = undefined;
          resolve();
        }
      };
      const feed = (lane: Lane) => {
        const q = mode === 'settle' ? queues.get(lane) : queues.get(undefined);
        while (q && !lane.dead && lane.inFlight.size < 2 && q.next < q.batches.length) {
          const id = this.#nextId++;
          const items = q.batches[q.next]!;
          // Only the batch in flight keeps the pages' bytes (for a fallback): released when its outcomes arrive.
          q.batches[q.next++] = [];
          lane.inFlight.set(id, items);
          const message: ToWorker = { type: 'batch', id, items, ...(mode ? { mode } : {}) };
          lane.worker.postMessage(message);
        }
      };
      // Batches no worker can take any more: their pages go back to the main thread.
      const flush = (q: { batches: BatchItem[][]; next: number } | undefined, error: string) => {
        while (q && q.next < q.batches.length) {
          for (const item of q.batches[q.next++]!) job.onFailed(item, error);
          finish();
        }
      };
      this.#onMessage = (lane, message) => {
        if (message.type === 'fatal') {
          this.#die(lane, message.error);
          void lane.worker.terminate();
          return;
        }
        const items = lane.inFlight.get(message.id);
        if (!items) return;
        lane.inFlight.delete(message.id);
        lane.busyMs += message.ms;
        lane.pages += items.length;
        for (const o of message.outcomes) {
          if (mode === 'first' && o.kind === 'analysed') this.#keptBy.set(o.path, lane);
          job.onOutcome(o);
        }
        for (const f of message.failed) {
          const item = items.find((i) => i.path === f.path);
          if (item) job.onFailed(item, f.error);
        }
        feed(lane);
        finish();
      };
      this.#onDeath = (lane) => {
        // Its batches in flight, and everything not yet sent when no worker is left, go back to the main thread.
        for (const [, items] of lane.inFlight) {
          for (const item of items) job.onFailed(item, 'worker thread stopped');
          finish();
        }
        lane.inFlight.clear();
        if (mode === 'settle') flush(queues.get(lane), 'worker thread stopped');
        if (this.size === 0) flush(queues.get(undefined), 'no worker thread');
      };
      const site: ToWorker = { type: 'site', snapshot: job.snapshot };
      for (const lane of this.#lanes) if (!lane.dead) lane.worker.postMessage(site);
      for (const lane of this.#lanes) feed(lane);
    });
  }

  /** Pages and busy time per worker, for -v. */
  get load(): { pages: number; busyMs: number }[] {
    return this.#lanes.map((l) => ({ pages: l.pages, busyMs: Math.round(l.busyMs) }));
  }

  async close(): Promise<void> {
    const lanes = this.#lanes.splice(0);
    for (const l of lanes) l.dead = true;
    await Promise.all(lanes.map((l) => l.worker.terminate().catch(() => undefined)));
  }
}
