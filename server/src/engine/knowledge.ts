import type { FileFacts } from './facts';
import type { MsolConfig } from './config/config';
import type { WorkspaceIndex } from './workspace';

/**
 * Site knowledge: what a few source pages say about the whole site (the
 * glossary from README.md / the proposal / GLOSSARY.md, the site's license and
 * default author from the home page). Document rules read it in phase one,
 * so it is derived before other pages are checked and re-derived only when a
 * source page's facts or the config change.
 *
 * Each kind of knowledge declares its source pages and a pure `derive`.
 * Its fingerprint (a string of the derived value) tells the Project which
 * pages' phase-one findings went stale.
 */
export interface KnowledgeKind<T> {
  readonly id: string;
  /** Site paths whose facts the knowledge is derived from. */
  sources(index: WorkspaceIndex): readonly string[];
  derive(sources: ReadonlyMap<string, FileFacts>, config: MsolConfig, index: WorkspaceIndex): T;
  /** A stable string of what rules can observe; defaults to JSON. */
  fingerprint?(value: T): string;
  /**
   * For kinds whose sources are found by what pages hold (the glossary's
   * defining pages): whether a page's raw text, before the page is analysed,
   * may make it a source (`hintOf`), and taking note of that answer for a
   * page (`noteHint`), so that `sources` can name it before its facts exist.
   * A host may keep the answer with the page's bytes and note it again
   * without reading them (the CLI's cache).
   */
  hintOf?(page: string | Uint8Array): boolean;
  noteHint?(index: WorkspaceIndex, path: string, hint: boolean): void;
  /** The value while `derive` throws (a bug, never content): the rules read it, and the first source page gets a `rule-crashed` finding. */
  whenBroken(config: MsolConfig): T;
  /**
   * Works out ahead what `derive` will read of one page's facts (kept with
   * them), for a host that has a source's facts while it waits for the
   * others'. The derivation's result is the same whether or not it was called.
   */
  prepareSource?(index: WorkspaceIndex, facts: FileFacts): void;
}

/** A kind of knowledge whose `derive` threw: reported on its first source page, like a rule's crash. */
export interface KnowledgeFailure {
  readonly kind: string;
  readonly path: string;
  readonly sources: readonly string[];
  readonly message: string;
}

interface Entry {
  readonly facts: readonly (FileFacts | undefined)[];
  readonly config: MsolConfig;
  /** The index revision this entry was last found current at: until it changes, neither can the sources' facts. */
  revision: number;
  /** The hold (see `holdKnowledge`) this entry was found current in: within it, it stays as it is. */
  hold: number | undefined;
  readonly value: unknown;
  readonly fingerprint: string;
  readonly failure?: KnowledgeFailure;
}

const caches = new WeakMap<WorkspaceIndex, Map<string, Entry>>();
/** Per site, each kind's entry before the current one (see entryFor). */
const previousEntries = new WeakMap<WorkspaceIndex, Map<string, Entry>>();

/** Sites whose knowledge is held (see `holdKnowledge`): how many holders, and which hold it is. */
const holds = new WeakMap<WorkspaceIndex, { holders: number; id: number }>();
let lastHold = 0;

/**
 * Derives each kind of knowledge at most once while a batch of pages is
 * analysed (until the returned function is called): analysing a source page
 * gives it new facts, and deriving again after each would cost the square of
 * the number of sources (a site with hundreds of pages that define terms).
 * The first page of the batch to ask derives from the facts as they are then;
 * the batch's findings carry that knowledge's key; once released, knowledge
 * is derived as usual, and the pages whose key differs are stale. The config
 * changing still derives anew.
 */
export function holdKnowledge(index: WorkspaceIndex): () => void {
  const hold = holds.get(index) ?? { holders: 0, id: 0 };
  if (hold.holders === 0) hold.id = ++lastHold;
  hold.holders++;
  holds.set(index, hold);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    hold.holders--;
  };
}

function entryFor<T>(index: WorkspaceIndex, kind: KnowledgeKind<T>): Entry {
  let cache = caches.get(index);
  if (!cache) caches.set(index, (cache = new Map()));
  const cached = cache.get(kind.id);
  const hold = holds.get(index);
  const heldId = hold && hold.holders > 0 ? hold.id : undefined;
  if (cached && cached.config === index.config) {
    // Asked for every page checked: nothing in the index changed, nothing to compare.
    if (cached.revision === index.revision) {
      if (heldId !== undefined) cached.hold = heldId;
      return cached;
    }
    if (heldId !== undefined && cached.hold === heldId) return cached;
  }
  const paths = kind.sources(index);
  const facts = paths.map((p) => index.facts(p));
  const current = (e: Entry | undefined): e is Entry =>
    e !== undefined &&
    e.config === index.config &&
    e.facts.length === facts.length &&
    e.facts.every((f, i) => f === facts[i]);
  if (current(cached)) {
    cached.revision = index.revision;
    cached.hold = heldId;
    return cached;
  }
  // Checking a fix puts a source page's new facts in the index and then its old ones back: the old knowledge is kept for that.
  const earlier = previousEntries.get(index)?.get(kind.id);
  if (current(earlier)) {
    earlier.revision = index.revision;
    earlier.hold = heldId;
    cache.set(kind.id, earlier);
    if (cached) previousEntriesOf(index).set(kind.id, cached);
    return earlier;
  }
  const sources = new Map<string, FileFacts>();
  paths.forEach((p, i) => {
    const f = facts[i];
    if (f) sources.set(p, f);
  });
  let value: T;
  let failure: KnowledgeFailure | undefined;
  try {
    value = kind.derive(sources, index.config, index);
  } catch (error) {
    // The engine never throws for content: the rules run with `whenBroken`, and the crash is a finding, never silence.
    value = kind.whenBroken(index.config);
    const blamed = [...sources.keys()];
    failure = {
      kind: kind.id,
      path: blamed[0] ?? paths[0] ?? index.readmePath,
      sources: blamed,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const fingerprint =
    (kind.fingerprint ? kind.fingerprint(value) : JSON.stringify(value)) + (failure ? `\0${failure.message}` : '');
  const entry: Entry = {
    facts,
    config: index.config,
    revision: index.revision,
    hold: heldId,
    value,
    fingerprint,
    ...(failure ? { failure } : {}),
  };
  if (cached) previousEntriesOf(index).set(kind.id, cached);
  cache.set(kind.id, entry);
  return entry;
}

function previousEntriesOf(index: WorkspaceIndex): Map<string, Entry> {
  let m = previousEntries.get(index);
  if (!m) previousEntries.set(index, (m = new Map()));
  return m;
}

/** One kind's value as derived, for a host to keep between runs (`keptKnowledge`, `adoptKnowledge`). */
export interface KeptKnowledge {
  readonly id: string;
  /** Plain data (JSON): the value `derive` returned. */
  readonly value: unknown;
  readonly fingerprint: string;
}

/**
 * Everything the derivations read of a site besides their sources' facts,
 * with each source's content as `contentOf` names it (a hash of its bytes):
 * a host that keeps the derived knowledge may give it back (`adoptKnowledge`)
 * to a later run whose inputs are this same string. The config (which holds
 * the site's identity), where the home page, the table of contents and the
 * proposal are, the site's file list (links resolve against it: a
 * definition's citations), and every source page with its content.
 * undefined when a source's content is unknown.
 */
export function knowledgeInputs(
  index: WorkspaceIndex,
  contentOf: (path: string) => string | undefined,
): string | undefined {
  const sources = [...new Set([...knowledgeSources(index), index.readmePath, index.summaryPath])].sort();
  const parts = [
    JSON.stringify(index.config),
    `${index.readmePath}\0${index.summaryPath}\0${index.proposalPath}`,
    kinds.map((k) => k.id).join(','),
  ];
  for (const path of sources) {
    if (!index.hasFile(path)) {
      parts.push(`${path}:-`);
      continue;
    }
    const content = contentOf(path);
    if (content === undefined) return undefined;
    parts.push(`${path}:${content}`);
  }
  parts.push([...index.files].sort().join('\0'));
  return parts.join('\n');
}

/** Every kind's value as derived now, for a host to keep; undefined when a derivation threw (a crash is never kept). */
export function keptKnowledge(index: WorkspaceIndex): KeptKnowledge[] | undefined {
  const entries = kinds.map((k) => entryFor(index, k));
  if (entries.some((e) => e.failure)) return undefined;
  return kinds.map((k, i) => ({ id: k.id, value: entries[i]!.value, fingerprint: entries[i]!.fingerprint }));
}

/**
 * Takes the values a host kept from a run with the same `knowledgeInputs`
 * instead of deriving them again (a warm check: deriving a glossary from
 * hundreds of defining pages is most of what is left to do). Only once every
 * source page that exists has its facts (the values stand for those facts),
 * and only for a site whose knowledge nothing has derived yet; any later
 * change to a source's facts or to the config derives anew, as usual.
 * Whether `kept` matches is the host's promise: the inputs it was kept with
 * must be the index's `knowledgeInputs` now.
 */
export function adoptKnowledge(index: WorkspaceIndex, kept: readonly KeptKnowledge[]): boolean {
  if (caches.get(index)?.size) return false;
  const byId = new Map(kept.map((k) => [k.id, k]));
  if (kinds.some((k) => !byId.has(k.id))) return false;
  const sourcesOf = kinds.map((k) => k.sources(index));
  if (sourcesOf.some((paths) => paths.some((p) => index.hasFile(p) && !index.hasFacts(p)))) return false;
  const cache = new Map<string, Entry>();
  kinds.forEach((k, i) => {
    const { value, fingerprint } = byId.get(k.id)!;
    const facts = sourcesOf[i]!.map((p) => index.facts(p));
    cache.set(k.id, { facts, config: index.config, revision: index.revision, hold: undefined, value, fingerprint });
  });
  caches.set(index, cache);
  return true;
}

/** The current value of one kind of knowledge for a site. */
export function know<T>(index: WorkspaceIndex, kind: KnowledgeKind<T>): T {
  return entryFor(index, kind).value as T;
}

/** The kinds of knowledge whose derivation threw, as things stand. */
export function knowledgeFailures(index: WorkspaceIndex): KnowledgeFailure[] {
  return kinds.flatMap((k) => entryFor(index, k).failure ?? []);
}

const kinds: KnowledgeKind<unknown>[] = [];

/** Registers a kind of knowledge so that its changes invalidate phase-one findings. Call once per kind, at module load. */
export function registerKnowledge<T>(kind: KnowledgeKind<T>): KnowledgeKind<T> {
  if (!kinds.some((k) => k.id === kind.id)) kinds.push(kind as KnowledgeKind<unknown>);
  return kind;
}

/** What a page's raw text or bytes hint to the kinds whose sources depend on what pages hold: the ids of those it may be a source of. */
export function sourceHints(page: string | Uint8Array): string {
  return kinds
    .filter((k) => k.hintOf?.(page))
    .map((k) => k.id)
    .join(',');
}

/** Notes a page's `sourceHints` (from its text now, or kept with its bytes by a host) for every kind that takes hints. */
export function noteSourceHints(index: WorkspaceIndex, path: string, hints: string): void {
  const ids = new Set(hints.split(','));
  for (const k of kinds) k.noteHint?.(index, path, ids.has(k.id));
}

/** A page's raw text or bytes, read before it is analysed: kinds whose sources depend on what pages hold take note. */
export function noteSourceText(index: WorkspaceIndex, path: string, page: string | Uint8Array): void {
  noteSourceHints(index, path, sourceHints(page));
}

/** A page's facts are in while other sources' are awaited: kinds that can work ahead on them do (`prepareSource`). */
export function prepareKnowledgeSource(index: WorkspaceIndex, path: string): void {
  if (index.isDeferred(path)) return;
  const facts = index.facts(path);
  if (facts) for (const k of kinds) k.prepareSource?.(index, facts);
}

/** Every source page of every registered kind: the Project analyses these first. */
export function knowledgeSources(index: WorkspaceIndex): Set<string> {
  return new Set(kinds.flatMap((k) => k.sources(index)));
}

const digests = new WeakMap<Entry, string>();

/** A knowledge entry's fingerprint as 106 bits of two seeded cyrb53 hashes and its length: what the key compares. */
function digestOf(entry: Entry): string {
  let d = digests.get(entry);
  if (d === undefined) {
    const text = entry.fingerprint;
    d = `${cyrb53(text, 0).toString(36)}.${cyrb53(text, 0x9e3779b9).toString(36)}.${text.length.toString(36)}`;
    digests.set(entry, d);
  }
  return d;
}

/** cyrb53 (public domain, bryc): a fast 53-bit string hash with good dispersion; not for security. */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const keys = new WeakMap<WorkspaceIndex, { readonly entries: readonly Entry[]; readonly key: string }>();

/** One string that changes whenever any registered knowledge changes. */
export function knowledgeKey(index: WorkspaceIndex): string {
  // Asked for every page checked: the same entries (nothing re-derived) give the same string, without joining it again.
  const entries = kinds.map((k) => entryFor(index, k));
  const last = keys.get(index);
  if (last && last.entries.length === entries.length && last.entries.every((e, i) => e === entries[i])) return last.key;
  // Digests, not the fingerprints themselves: the key travels with every page's phase one (from workers, into the cache),
  // and a glossary of hundreds of terms fingerprints to tens of kilobytes.
  const key = kinds.map((k, i) => `${k.id}:${digestOf(entries[i]!)}`).join('\n');
  keys.set(index, { entries, key });
  return key;
}
