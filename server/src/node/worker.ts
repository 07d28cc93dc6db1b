import { parentPort } from 'node:worker_threads';
import type { WorkspaceIndex } from '../engine/workspace';
import {
  analyzeRead,
  indexFromSnapshot,
  leanFacts,
  type PhaseOneOutcome,
  type ReadResult,
  type SiteSnapshot,
} from '../engine/phaseOne';
import { holdKnowledge, knowledgeKey, knowledgeSources } from '../engine/knowledge';

/**
 * A worker thread of `msol check` (bundled to server/out/worker.js): phase one
 * (decode, parse once, facts, document rules) for batches of pages the main
 * thread has read. It does no I/O. The site snapshot gives it the main
 * thread's config, file list and knowledge sources, so its findings are the
 * ones the main thread would compute.
 */

export type ToWorker =
  | { readonly type: 'site'; readonly snapshot: SiteSnapshot }
  | { readonly type: 'batch'; readonly id: number; readonly items: readonly BatchItem[] };

export interface BatchItem {
  readonly path: string;
  readonly read?: ReadResult;
}

export type FromWorker =
  | {
      readonly type: 'done';
      readonly id: number;
      readonly outcomes: readonly PhaseOneOutcome[];
      readonly failed: readonly { readonly path: string; readonly error: string }[];
      readonly ms: number;
    }
  | { readonly type: 'fatal'; readonly error: string };

const port = parentPort;
let index: WorkspaceIndex | undefined;
let sources: ReadonlySet<string> | undefined;

port?.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'site') {
      index = indexFromSnapshot(message.snapshot);
      sources = knowledgeSources(index);
      return;
    }
    if (!index) throw new Error('a batch arrived before the site snapshot');
    const started = performance.now();
    const outcomes: PhaseOneOutcome[] = [];
    const failed: { path: string; error: string }[] = [];
    // Knowledge as the snapshot gives it, held for the batch: each page's facts come and go in this index, and the
    // knowledge a page could change (one that defines terms without hinting so) is judged by the main thread, by its key.
    const release = holdKnowledge(index);
    try {
      knowledgeKey(index);
      analyzeBatch(index, message.items, outcomes, failed);
    } finally {
      release();
    }
    const reply: FromWorker = { type: 'done', id: message.id, outcomes, failed, ms: performance.now() - started };
    port.postMessage(reply);
  } catch (error) {
    const reply: FromWorker = {
      type: 'fatal',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
    port.postMessage(reply);
  }
});

function analyzeBatch(
  index: WorkspaceIndex,
  items: readonly BatchItem[],
  outcomes: PhaseOneOutcome[],
  failed: { path: string; error: string }[],
): void {
  for (const item of items) {
    try {
      const outcome = analyzeRead(item.path, item.read, index);
      // Lean facts for pages that are no knowledge source: half the bytes to copy to the main thread, which never reads the rest.
      outcomes.push(
        outcome.kind === 'analysed' && !sources!.has(item.path)
          ? { ...outcome, facts: leanFacts(outcome.facts) }
          : outcome,
      );
    } catch (error) {
      // The engine turns content problems into findings; a throw is a bug. The main thread re-analyses the page itself.
      failed.push({
        path: item.path,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }
}
