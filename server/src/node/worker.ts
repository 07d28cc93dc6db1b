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
import type { DocumentParse } from '../engine/project';

/**
 * A worker thread of `msol check` (bundled to server/out/worker.js): phase one
 * (decode, parse once, facts, document rules) for batches of pages the main
 * thread has read. It does no I/O. The site snapshot gives it the main
 * thread's config, file list and knowledge sources, so its findings are the
 * ones the main thread would compute.
 */

export type ToWorker =
  | { readonly type: 'site'; readonly snapshot: SiteSnapshot }
  | { readonly type: 'batch'; readonly id: number; readonly items: readonly BatchItem[]; readonly mode?: BatchMode };

/** Knowledge sources in two steps on one parse (see PoolRun.mode): their facts alone, then their rules. */
export type BatchMode = 'first' | 'settle';

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
/** Parses of the knowledge sources this worker took in a 'first' batch, until their 'settle' batch (or any other batch). */
const kept = new Map<string, DocumentParse>();

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
    if (message.mode === undefined) kept.clear();
    const release = holdKnowledge(index);
    try {
      // Facts alone need no knowledge (and deriving it from a snapshot taken before the sources' facts is wasted).
      if (message.mode !== 'first') knowledgeKey(index);
      analyzeBatch(index, message.items, outcomes, failed, message.mode);
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
  mode: BatchMode | undefined,
): void {
  for (const item of items) {
    try {
      const reuse = mode
        ? {
            earlier: mode === 'settle' ? takeKept(item.path) : undefined,
            onAnalysed: (a: DocumentParse) => {
              if (mode === 'first') kept.set(item.path, a);
            },
            factsOnly: mode === 'first',
          }
        : undefined;
      const outcome = analyzeRead(item.path, item.read, index, false, reuse);
      // Lean facts for pages that are no knowledge source: half the bytes to copy to the main thread, which never reads the rest.
      outcomes.push(
        outcome.kind === 'analysed' && !mode && !sources!.has(item.path)
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

function takeKept(path: string): DocumentParse | undefined {
  const parse = kept.get(path);
  kept.delete(path);
  return parse;
}
