import { Worker } from 'node:worker_threads';
import type { Logger } from '../engine/host';
import type { PhaseOneOutcome, SiteSnapshot } from '../engine/phaseOne';
import type { BatchItem, FromWorker, ToWorker } from './worker';

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
    const batches: BatchItem[][] = [];
    let current: BatchItem[] = [];
    let bytes = 0;
    for (const item of job.items) {
      current.push(item);
      bytes += item.read?.bytes?.length ?? 0;
      if (bytes >= batchBytes || current.length >= batchPages) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
    }
    if (current.length) batches.push(current);
    let remaining = batches.length;
    return new Promise<void>((resolve) => {
      if (remaining === 0 || this.size === 0) {
        for (const b of batches) for (const item of b) job.onFailed(item, 'no worker thread');
        resolve();
        return;
      }
      let next = 0;
      const finish = () => {
        if (--remaining === 0) {
          this.#onMessage = undefined;
          this.#onDeath = undefined;
          resolve();
        }
      };
      const feed = (lane: Lane) => {
        while (!lane.dead && lane.inFlight.size < 2 && next < batches.length) {
          const id = this.#nextId++;
          const items = batches[next]!;
          // Only the batch in flight keeps the pages' bytes (for a fallback): released when its outcomes arrive.
          batches[next++] = [];
          lane.inFlight.set(id, items);
          const message: ToWorker = { type: 'batch', id, items };
          lane.worker.postMessage(message);
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
        for (const o of message.outcomes) job.onOutcome(o);
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
        if (this.size === 0) {
          while (next < batches.length) {
            for (const item of batches[next++]!) job.onFailed(item, 'no worker thread');
            finish();
          }
        }
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
