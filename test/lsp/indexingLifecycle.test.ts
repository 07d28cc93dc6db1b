import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError } from '../../server/src/engine/index';
import {
  IndexingLifecycle,
  indexingTransitions,
  type IndexingEvent,
  type IndexingStateName,
  type IndexingTransition,
  type WaitToken,
} from '../../server/src/lsp/indexing';

/**
 * The language server's indexing life cycle (server/src/lsp/indexing.ts),
 * one state machine per site: every state and transition by name, the runs
 * it cancels, the events of superseded runs it ignores, and the requests
 * waiting on it. The protocol tests (indexing.test.ts, lifecycle.test.ts,
 * workspace.test.ts) show the same machine through a real server.
 */

const states: IndexingStateName[] = ['unstarted', 'walking', 'shapeKnown', 'ready', 'disposed'];
const events: IndexingEvent[] = ['start', 'shapeKnown', 'finished', 'reindex', 'dispose'];

/** A lifecycle driven into `state` by the shortest path of events, with its transitions recorded. */
function lifecycleIn(state: IndexingStateName): { lifecycle: IndexingLifecycle; seen: IndexingTransition[] } {
  const seen: IndexingTransition[] = [];
  const lifecycle = new IndexingLifecycle((t) => seen.push(t));
  const path: Record<IndexingStateName, (l: IndexingLifecycle) => void> = {
    unstarted: () => {},
    walking: (l) => l.start(),
    shapeKnown: (l) => l.shapeKnown(l.start()!),
    ready: (l) => l.finished(l.start()!),
    disposed: (l) => l.dispose(),
  };
  path[state](lifecycle);
  seen.length = 0;
  assert.equal(lifecycle.state, state);
  return { lifecycle, seen };
}

/** Sends one event the way the host does (shapeKnown and finished on behalf of the current run). */
function send(l: IndexingLifecycle, event: IndexingEvent): boolean {
  switch (event) {
    case 'start':
      return l.start() !== undefined;
    case 'reindex':
      return l.reindex() !== undefined;
    case 'shapeKnown':
      return l.run ? l.shapeKnown(l.run) : false;
    case 'finished':
      return l.run ? l.finished(l.run) : false;
    case 'dispose': {
      const before = l.state;
      l.dispose();
      return before !== 'disposed';
    }
  }
}

function token(): WaitToken & { cancel(): void } {
  const listeners = new Set<() => void>();
  let cancelled = false;
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    cancel() {
      cancelled = true;
      for (const l of [...listeners]) l();
    },
  };
}

/** Whether a promise has settled, after the microtasks queued so far. */
async function settled(p: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  let outcome: 'resolved' | 'rejected' | 'pending' = 'pending';
  p.then(
    () => (outcome = 'resolved'),
    () => (outcome = 'rejected'),
  );
  await new Promise((r) => setImmediate(r));
  return outcome;
}

describe('indexing life cycle: the transition table', () => {
  it('names the transitions of issue 17 and nothing else', () => {
    assert.deepEqual(indexingTransitions, {
      unstarted: { start: 'walking', dispose: 'disposed' },
      walking: { shapeKnown: 'shapeKnown', finished: 'ready', reindex: 'walking', dispose: 'disposed' },
      shapeKnown: { finished: 'ready', reindex: 'walking', dispose: 'disposed' },
      ready: { reindex: 'walking', dispose: 'disposed' },
      disposed: {},
    });
  });

  for (const from of states) {
    for (const event of events) {
      const to = indexingTransitions[from][event];
      it(`${from} --${event}--> ${to ?? '(ignored)'}`, () => {
        const { lifecycle, seen } = lifecycleIn(from);
        const fired = send(lifecycle, event);
        assert.equal(fired, to !== undefined);
        assert.equal(lifecycle.state, to ?? from);
        assert.deepEqual(
          seen.map((t) => [t.from, t.event, t.to]),
          to === undefined ? [] : [[from, event, to]],
        );
        // A run is in progress exactly while the site walks or knows its shape.
        assert.equal(lifecycle.run !== undefined, lifecycle.state === 'walking' || lifecycle.state === 'shapeKnown');
      });
    }
  }
});

describe('indexing life cycle: runs', () => {
  it('each start or re-index begins a new run; the run it replaces is cancelled, a finished one is not', () => {
    const l = new IndexingLifecycle();
    const first = l.start()!;
    assert.equal(first.generation, 1);
    assert.equal(l.start(), undefined, 'start happens once');
    const second = l.reindex()!;
    assert.equal(second.generation, 2);
    assert.equal(first.token.isCancellationRequested, true, 'a re-index cancels the run in progress');
    assert.equal(second.token.isCancellationRequested, false);
    assert.equal(l.finished(second), true);
    assert.equal(second.token.isCancellationRequested, false, 'a run that finished is not cancelled');
    const third = l.reindex()!;
    l.dispose();
    assert.equal(third.token.isCancellationRequested, true, 'dispose cancels the run in progress');
  });

  it('ignores the events of a run that is no longer current', () => {
    const l = new IndexingLifecycle();
    const first = l.start()!;
    const second = l.reindex()!;
    assert.equal(l.shapeKnown(first), false);
    assert.equal(l.finished(first), false);
    assert.equal(l.state, 'walking', 'the old run finishing does not make the site ready');
    assert.equal(l.isCurrent(first), false);
    assert.equal(l.isCurrent(second), true);
    assert.equal(l.shapeKnown(second), true);
    assert.equal(l.run, second, 'the run goes on once its shape is known');
    assert.equal(l.finished(second), true);
    assert.equal(l.isCurrent(second), false);
  });

  it('a re-index before start waits for start (which indexes the newest Project)', () => {
    const l = new IndexingLifecycle();
    assert.equal(l.reindex(), undefined);
    assert.equal(l.state, 'unstarted');
    assert.equal(l.start()!.generation, 1);
  });
});

describe('indexing life cycle: waiting', () => {
  it('until(ready) resolves when the current run finishes, not when a superseded one does', async () => {
    const l = new IndexingLifecycle();
    const ready = l.until(['ready']);
    const first = l.start()!;
    assert.equal(await settled(ready), 'pending');
    const second = l.reindex()!;
    l.finished(first);
    assert.equal(await settled(ready), 'pending');
    l.shapeKnown(second);
    assert.equal(await settled(ready), 'pending');
    l.finished(second);
    assert.equal(await settled(ready), 'resolved');
  });

  it('until(shapeKnown or ready) resolves at the shape, and at once when already ready', async () => {
    const l = new IndexingLifecycle();
    const run = l.start()!;
    const shape = l.until(['shapeKnown', 'ready']);
    assert.equal(await settled(shape), 'pending');
    l.shapeKnown(run);
    assert.equal(await settled(shape), 'resolved');
    l.finished(run);
    assert.equal(await settled(l.until(['shapeKnown', 'ready'])), 'resolved');
  });

  it('a waiter of a ready site that re-indexes waits for the new run', async () => {
    const l = new IndexingLifecycle();
    l.finished(l.start()!);
    const run = l.reindex()!;
    const ready = l.until(['ready']);
    assert.equal(await settled(ready), 'pending');
    l.finished(run);
    assert.equal(await settled(ready), 'resolved');
  });

  it('dispose rejects every waiter with CancelledError, and later waits too', async () => {
    const l = new IndexingLifecycle();
    l.start();
    const ready = l.until(['ready']);
    const shape = l.until(['shapeKnown', 'ready']);
    l.dispose();
    await assert.rejects(ready, CancelledError);
    await assert.rejects(shape, CancelledError);
    await assert.rejects(l.until(['ready']), CancelledError);
  });

  it("a waiter's own token cancels its wait (and only its wait)", async () => {
    const l = new IndexingLifecycle();
    const run = l.start()!;
    const t = token();
    const mine = l.until(['ready'], t);
    const other = l.until(['ready']);
    t.cancel();
    await assert.rejects(mine, CancelledError);
    assert.equal(await settled(other), 'pending');
    l.finished(run);
    assert.equal(await settled(other), 'resolved');
    const cancelled = token();
    cancelled.cancel();
    await assert.rejects(
      l.until(['disposed'], cancelled),
      CancelledError,
      'a token cancelled before the wait rejects at once',
    );
  });
});
