/**
 * `msol check` sets V8's heap growing factor for its threads (server/src/node/heap.ts) unless the user set it
 * themselves; its effect on peak RSS is measured by `npm run bench` (docs/performance.md), not asserted here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tuneHeapForBatch } from '../../../server/src/node/heap';

test("a user's own --heap-growing-percent (node's argv or NODE_OPTIONS) is kept", () => {
  assert.equal(tuneHeapForBatch(['--heap-growing-percent=80'], ''), false);
  assert.equal(tuneHeapForBatch([], '--max-old-space-size=4096 --heap_growing_percent=80'), false);
});

test('otherwise the batch factor is set (V8 accepts the flag at run time)', () => {
  assert.equal(tuneHeapForBatch(['--enable-source-maps'], '--max-old-space-size=4096'), true);
});
