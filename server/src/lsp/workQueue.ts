import { CancelledError, type Logger } from '../engine/index';
import { errorData } from './logging';

/**
 * A site's async engine work (indexing, file events, closing a page, a
 * config reload), one operation at a time, in arrival order: the engine reads
 * the disk without locks, so two operations must never interleave. A failure
 * is logged and the queue goes on.
 */
export interface WorkQueueOptions {
  readonly logger: Logger;
  readonly root: string;
  /** Runs before each operation; false skips it (the site is gone). */
  readonly before: () => boolean;
  /** Runs when the last operation of a busy stretch has ended. */
  readonly idle: () => void;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  #tail: Promise<void> = Promise.resolve();
  #busy = 0;

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  /** Whether an operation is running. */
  get busy(): boolean {
    return this.#busy > 0;
  }

  /** Settles when every operation queued so far has ended. */
  get drained(): Promise<void> {
    return this.#tail;
  }

  /** Queues an operation; resolves when it has ended (it never rejects). */
  enqueue(name: string, work: () => Promise<void>): Promise<void> {
    const run = async () => {
      if (!this.#options.before()) return;
      this.#busy++;
      try {
        await work();
      } catch (error) {
        if (!(error instanceof CancelledError))
          this.#options.logger.log('error', `${name} failed`, { root: this.#options.root, ...errorData(error) });
      } finally {
        this.#busy--;
        if (this.#busy === 0) this.#options.idle();
      }
    };
    const next = this.#tail.then(run);
    this.#tail = next;
    return next;
  }
}
