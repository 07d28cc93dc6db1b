import type { CancellationToken } from './host';
import type { Finding } from './types';
import type { MsolConfig } from './config/config';
import type { FileFacts } from './facts';
import {
  analyzeDocument,
  tooLargeMessage,
  undecodableMessage,
  unreadableMessage,
  type DocumentParse,
  type Project,
} from './project';
import { WorkspaceIndex, type DeferredFacts } from './workspace';
import { adoptKnowledge, knowledgeKey, type KeptKnowledge } from './knowledge';
import { setSidecarText } from './attribution/records';
import { decodeUtf8 } from './text';

/**
 * Phase one outside the Project: in worker threads, or from a cache. Every
 * type here is plain data (structured-clone and JSON safe): it crosses
 * worker threads and is written to disk.
 *
 * A worker rebuilds what phase one reads of the site from a SiteSnapshot
 * (config, file list, sidecars and the facts of the knowledge sources), so
 * its site knowledge — and so its findings — are those of the main thread.
 * Each outcome carries the knowledge key it was computed with; the Project
 * re-analyses a page whose key differs from its own (never a silent mismatch).
 */

export interface SiteSnapshot {
  readonly config: MsolConfig;
  readonly files: readonly string[];
  readonly sidecars: readonly (readonly [string, string])[];
  readonly sourceFacts: readonly FileFacts[];
  /** The knowledge key of the main thread when the snapshot was taken. */
  readonly knowledgeKey: string;
  /**
   * The main thread's knowledge as derived from these very facts, config and
   * files (none when a derivation threw): a worker takes it instead of
   * deriving it again from the same inputs (adoptKnowledge).
   */
  readonly knowledge?: readonly KeptKnowledge[];
}

export type PhaseOneOutcome =
  | {
      readonly kind: 'analysed';
      readonly path: string;
      readonly facts: FileFacts;
      readonly findings: readonly Finding[];
      readonly key: string;
    }
  | { readonly kind: 'skipped'; readonly path: string; readonly message: string }
  | { readonly kind: 'missing'; readonly path: string };

/** A stored outcome whose facts the host reads only when something asks for them (a cache entry). */
export interface DeferredOutcome {
  readonly kind: 'deferred';
  readonly path: string;
  readonly facts: DeferredFacts;
  readonly findings: readonly Finding[];
  readonly key: string;
}

/** A host that runs phase one in bulk for `Project.initialize`; it hands every outcome to `project.adoptPhaseOne`. */
export interface PhaseOneHost {
  /**
   * Called once before any page is analysed, with every page: a host that
   * reads pages ahead gives their bytes to `project.noteText`, so that
   * knowledge sources found by content (pages that define terms) are known.
   */
  prepare?(project: Project, pages: readonly string[], token: CancellationToken): Promise<void>;
  analyze(
    project: Project,
    pages: readonly string[],
    phase: { readonly sources: boolean; readonly fresh?: boolean },
    token: CancellationToken,
  ): Promise<void>;
  /**
   * Whether the knowledge sources' settle (their analysis once the site's
   * knowledge is known) runs on the threads the other pages need: then it
   * goes first, else alongside them.
   */
  sourcesOnThreads?(): boolean;
}

/** What phase one reads of the site, rebuilt from a snapshot (in a worker). */
export function indexFromSnapshot(snapshot: SiteSnapshot): WorkspaceIndex {
  const index = new WorkspaceIndex(snapshot.config);
  for (const f of snapshot.files) index.addFile(f);
  for (const [path, text] of snapshot.sidecars) setSidecarText(index, path, text);
  for (const facts of snapshot.sourceFacts) index.setFacts(facts);
  if (snapshot.knowledge) adoptKnowledge(index, snapshot.knowledge);
  return index;
}

/**
 * A file as a host read it: its size, and its bytes unless it was too large
 * to read (or could not be read). undefined: the file is gone.
 */
export interface ReadResult {
  readonly size: number;
  readonly bytes?: Uint8Array;
}

/**
 * Phase one of one page from its bytes, exactly as Project.refreshFile does
 * it (size limit, UTF-8, then analyzeDocument). The page's facts are not kept
 * in `index` unless `keep` is set (a worker's index holds only the sources').
 */
/** The knowledge key of a page analysed for its facts alone: no knowledge has it (knowledgeKey never returns an empty string). */
const unsettledKey = '';

export function analyzeRead(
  path: string,
  read: ReadResult | undefined,
  index: WorkspaceIndex,
  keep = false,
  reuse?: {
    /** The page's parse from an earlier analysis, used when the text is the same. */
    readonly earlier?: DocumentParse | undefined;
    readonly onAnalysed: (analysis: DocumentParse) => void;
    /**
     * Facts only, no document rules: a knowledge source analysed before the
     * other sources' facts exist, whose findings would be thrown away once
     * they do. Its key is one no knowledge has: the page is stale until
     * analysed again (with `earlier`, only its rules run then).
     */
    readonly factsOnly?: boolean;
  },
): PhaseOneOutcome {
  if (!read) return { kind: 'missing', path };
  const config = index.config;
  if (read.size > config.maxFileSize)
    return { kind: 'skipped', path, message: tooLargeMessage(read.size, config.maxFileSize) };
  if (!read.bytes) return { kind: 'skipped', path, message: unreadableMessage };
  const decoded = decodeUtf8(read.bytes);
  if (!decoded.ok) return { kind: 'skipped', path, message: undecodableMessage(decoded.reason) };
  const hadFacts = index.facts(path);
  const factsOnly = reuse?.factsOnly === true;
  const analysis = analyzeDocument(path, decoded.text, config, index, reuse?.earlier, !factsOnly);
  reuse?.onAnalysed(analysis);
  const key = factsOnly ? unsettledKey : knowledgeKey(index);
  if (!keep) {
    if (hadFacts) index.setFacts(hadFacts);
    else index.deleteFacts(path);
  }
  return { kind: 'analysed', path, facts: analysis.facts, findings: analysis.documentFindings, key };
}

/**
 * A page's facts without the paragraph texts and bold phrases, which only the
 * page's own document rules (phase one, whose findings travel beside) and the
 * glossary's derivation from the knowledge source pages read: about half of
 * the facts' bytes. What workers send back for pages that are no knowledge
 * source, and what the CLI's cache stores for them. A page that becomes a
 * source is analysed again, in full (the cache keys on the source list).
 */
export function leanFacts(facts: FileFacts): FileFacts {
  const { blocks: _blocks, ...rest } = facts;
  return { ...rest, bold: [], lean: true };
}
