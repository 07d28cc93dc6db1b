import { CancelledError, type CancellationToken } from '../engine/index';

/**
 * The life cycle of one site's index, as a state machine (ARCHITECTURE.md
 * draws it). A ProjectHost owns one; requests wait on its states, and the
 * work of an index run reports back to it. Everything that may happen to a
 * site while it indexes — a config reload starting a new run, the folder
 * closing, a run finishing after a newer one began — is a named event with a
 * defined outcome in `indexingTransitions`; events of a run that is no longer
 * the current one are ignored.
 *
 *                 start                 shapeKnown                finished
 *   unstarted ───────────► walking ─────────────────► shapeKnown ──────────► ready
 *                            ▲  │            finished                          │
 *                            │  └────────────────────────────────────────────►│
 *                            └──────────────── reindex ───────────────────────┘
 *                                  (from walking, shapeKnown or ready)
 *   any state ── dispose ──► disposed (final)
 */

export type IndexingStateName = 'unstarted' | 'walking' | 'shapeKnown' | 'ready' | 'disposed';

/**
 * - `start`: the client is initialized; index the site (once).
 * - `shapeKnown`: the run has walked the files and analysed the knowledge
 *   sources: an open page's own diagnostics can be answered.
 * - `finished`: the run ended (complete, failed or cancelled: checks use what
 *   was indexed).
 * - `reindex`: the effective config changed; a new run indexes a new Project
 *   (before `start`, nothing happens: `start` indexes the newest Project).
 * - `dispose`: the folder was closed or the server shuts down.
 */
export type IndexingEvent = 'start' | 'shapeKnown' | 'finished' | 'reindex' | 'dispose';

/** Every transition there is. An event missing from a state's row is ignored in that state. */
export const indexingTransitions: Readonly<
  Record<IndexingStateName, Readonly<Partial<Record<IndexingEvent, IndexingStateName>>>>
> = {
  unstarted: { start: 'walking', dispose: 'disposed' },
  walking: { shapeKnown: 'shapeKnown', finished: 'ready', reindex: 'walking', dispose: 'disposed' },
  shapeKnown: { finished: 'ready', reindex: 'walking', dispose: 'disposed' },
  ready: { reindex: 'walking', dispose: 'disposed' },
  disposed: {},
};

/** One index run: the events `shapeKnown` and `finished` count only for the current run. */
export interface IndexRun {
  /** 1 for the first run, one more for each re-index. */
  readonly generation: number;
  /** Cancelled when a newer run starts or the site is disposed. */
  readonly token: CancellationToken;
}

export interface IndexingTransition {
  readonly from: IndexingStateName;
  readonly to: IndexingStateName;
  readonly event: IndexingEvent;
  /** The run in progress after the transition (walking, shapeKnown), if any. */
  readonly run: IndexRun | undefined;
}

export class IndexingLifecycle {
  #state: IndexingStateName = 'unstarted';
  #run: (IndexRun & { token: { isCancellationRequested: boolean } }) | undefined;
  #generation = 0;
  /** Settles (and is replaced) on every transition: waiters look at the new state. */
  #changed: Promise<void>;
  #settleChanged!: () => void;
  readonly #onTransition: (t: IndexingTransition) => void;

  constructor(onTransition: (t: IndexingTransition) => void = () => {}) {
    this.#onTransition = onTransition;
    this.#changed = new Promise<void>((r) => (this.#settleChanged = r));
  }

  get state(): IndexingStateName {
    return this.#state;
  }
  /** The run in progress (walking or shapeKnown), if any. */
  get run(): IndexRun | undefined {
    return this.#run;
  }
  /** Whether `run` is the run in progress: its work still counts. */
  isCurrent(run: IndexRun): boolean {
    return this.#run === run;
  }

  /** The client is initialized: the first run begins. Returns it, or undefined when started before (or disposed). */
  start(): IndexRun | undefined {
    return this.#fire('start') ? this.#run : undefined;
  }
  /** The config changed: a new run begins, the current one is cancelled. undefined before start and after dispose. */
  reindex(): IndexRun | undefined {
    return this.#fire('reindex') ? this.#run : undefined;
  }
  /** A run knows the site's shape; ignored for a run that is no longer current. */
  shapeKnown(run: IndexRun): boolean {
    return this.#run === run && this.#fire('shapeKnown');
  }
  /** A run ended; ignored for a run that is no longer current. */
  finished(run: IndexRun): boolean {
    return this.#run === run && this.#fire('finished');
  }
  dispose(): void {
    this.#fire('dispose');
  }

  #fire(event: IndexingEvent): boolean {
    const from = this.#state;
    const to = indexingTransitions[from][event];
    if (to === undefined) return false;
    const previous = this.#run;
    // The run in progress afterwards: the same while it goes on, a new one when a run begins, none otherwise.
    const run =
      event === 'shapeKnown'
        ? previous
        : to === 'walking'
          ? { generation: ++this.#generation, token: { isCancellationRequested: false } }
          : undefined;
    // A run left before it finished (a re-index, dispose) is cancelled: its work stops at its next check.
    if (previous && previous !== run && event !== 'finished') previous.token.isCancellationRequested = true;
    this.#run = run;
    this.#state = to;
    const settle = this.#settleChanged;
    this.#changed = new Promise<void>((r) => (this.#settleChanged = r));
    settle();
    this.#onTransition({ from, to, event, run: this.#run });
    return true;
  }

  /**
   * Resolves once the state is one of `states` (at once when it is);
   * rejects with CancelledError when the site is disposed first or the
   * token fires.
   */
  async until(states: readonly IndexingStateName[], token?: WaitToken): Promise<void> {
    for (;;) {
      if (states.includes(this.#state)) return;
      if (this.#state === 'disposed') throw new CancelledError();
      await (token ? untilCancelled(this.#changed, token) : this.#changed);
    }
  }
}

/** A cancellation token that can also tell when it fires (the LSP's, and the test's). */
export interface WaitToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** `promise`, or CancelledError as soon as `token` fires. */
export function untilCancelled<T>(promise: Promise<T>, token: WaitToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(new CancelledError());
    });
    promise.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        sub.dispose();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
