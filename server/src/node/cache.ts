import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, promises as fsp, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import * as nodeOs from 'node:os';
import * as nodePath from 'node:path';
import type { Logger } from '../engine/host';
import type { Directive, FileFacts } from '../engine/facts';
import type { Finding } from '../engine/types';
import type { FixVerdicts } from '../engine/safeFixes';
import type { KeptKnowledge } from '../engine/knowledge';
import { untrackedByGit } from './gitHistory';

/**
 * The persistent cache of `msol check` and the language server (on by
 * default): each page's phase one (facts and document findings), so a warm
 * run parses only the pages that changed.
 *
 * An entry is reused only when all of these match:
 * - the page's content hash (SHA-1 of its bytes). A page whose stat (size,
 *   modification and change time in nanoseconds, inode) is the one recorded
 *   when its bytes were hashed is not read again, as git's index and ESLint's
 *   `metadata` strategy do; racy git's rule: a stat is recorded as proof only
 *   when the file was older than `racyMarginNs` when it was read, so an edit
 *   within the same second (or the same tick of a coarse clock) that keeps
 *   the size is still seen;
 * - the environment: the engine (msol's version and a hash of the engine's
 *   bundle, the same for the CLI and the language server), the effective
 *   config (`.msolrc.json`, `.gitbook.yaml`, `--config`), the knowledge
 *   source pages' bytes and whether the proposal page exists;
 * - the site knowledge it was computed with (glossary, site license and
 *   author).
 *
 * Phase two (the workspace rules, which read other pages) is cached too,
 * per page, under a site key: everything other pages' rules can see of the
 * site (the file list, every page's title, headings, anchors and front
 * matter, SUMMARY.md's bytes, sidecars, what the rules read of the site's
 * git history, the knowledge and the environment above); so are the
 * verdicts on its fixes (Project.verifyFixes), computed with it.
 *
 * Layout: `<location>/<site id>/` (one folder per site root), 16 shards by
 * path, each rewritten (atomically: temporary file, then rename) only when one
 * of its entries changed. A shard is ASCII: a signature line, one
 * line of JSON with every entry but its facts, then the entries' facts, one
 * JSON text each at the offset its entry names. Facts are parsed only when
 * something reads them (`factsLoader`): a warm check reads few pages' facts.
 * Beside them, `knowledge.json`: the site knowledge the last run derived
 * (the glossary, the site's license and author), under a hash of everything
 * it was derived from (`knowledgeInputs`, with the engine): a warm check
 * whose knowledge sources and file list are unchanged takes it as it is.
 *
 * Trust (docs/ci.md has the threat model): each file's first line is
 * `<HMAC-SHA-256 under the signing key> <SHA-256>` of the rest. The signing
 * key is `MSOL_CACHE_KEY` when set (a CI secret: then only files signed with
 * it are read), else a random key made once in the user's cache folder. A
 * file signed with another key is read only without `MSOL_CACHE_KEY`, when
 * the cache folder is outside the site, no file of it is tracked by git (the
 * folder is outside every repository, or git lists nothing in it) and its
 * SHA-256 holds; its entries are then matched by content only (stats from
 * another machine vouch for nothing). So a fresh CI runner reads the cache
 * `actions/cache` restored, while a cache committed to a repository, the way
 * a pull request could hand msol crafted results, is ignored.
 */

export const cacheFormat = 5;
const shardCount = 16;

/** A stat is proof of a page's bytes only when the page was older than this when read (2 s covers FAT's timestamps, 1 s most others'). */
export const racyMarginNs = 3_000_000_000n;

/** The wall clock in nanoseconds, comparable with file modification times. */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}

/** The stat signature worth recording for bytes read at `readAtNs`: none when the file may still change within its timestamp's tick. */
export function provableStat(
  stamp: { readonly mtimeNs: bigint; readonly signature: string } | undefined,
  readAtNs: bigint,
): string | undefined {
  return stamp && stamp.mtimeNs < readAtNs - racyMarginNs ? stamp.signature : undefined;
}

export interface StoredAnalysis {
  readonly kind: 'analysed';
  readonly findings: readonly Finding[];
  /** The page's directives (every check applies them, without reading the facts). */
  readonly directives: readonly Directive[];
  /** Fingerprint of what other pages can see of the page (title, anchors, front matter, headings): its share of the site key. */
  readonly v: string;
}
export type StoredOutcome = StoredAnalysis | { readonly kind: 'skipped'; readonly message: string };

export interface CacheEntry {
  /** Content hash. */
  readonly h: string;
  /** The page's stat signature when its bytes hashed to `h`, when that stat is proof (see provableStat). */
  readonly s?: string;
  /** Environment hash. */
  readonly e: string;
  /** Hash of the knowledge key the findings were computed with. */
  readonly k: string;
  /** The knowledge key itself, for knowledge source pages (they are adopted with it and settled by the Project). */
  readonly kk?: string;
  readonly o: StoredOutcome;
  /** What the page's bytes hint to site knowledge (`sourceHints`): noted without reading them when the stat vouches for `h`. */
  readonly d?: string;
  /** The workspace rules' findings (phase two), valid while the site key `g` is unchanged, with the verdicts on their fixes (`u`) once checked. */
  readonly w?: { readonly g: string; readonly f: readonly Finding[]; readonly u?: FixVerdicts };
}

/** The site's knowledge as a run derived it (engine/knowledge.ts), and a hash of what it was derived from. */
export interface StoredKnowledge {
  readonly inputs: string;
  readonly kinds: readonly KeptKnowledge[];
}

const knowledgeFile = 'knowledge.json';

/** An entry as the shard's JSON line holds it: `a` is where its facts are, [offset, length] after that line. */
type StoredEntry = CacheEntry & { readonly a?: readonly [number, number] };

/** An entry in memory: its facts as stored bytes (not parsed yet) or as computed this run. */
interface Held {
  readonly entry: CacheEntry;
  readonly facts: Buffer | FileFacts | undefined;
}

export function hashOf(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('base64url');
}

/**
 * The default cache folder: `node_modules/.cache/msol` in the nearest folder
 * at or above the site root that has a `node_modules` (then at or above the
 * current folder), the convention of Babel, ESLint loaders and Prettier:
 * node_modules is never committed. Without one, the user's cache folder
 * (`$XDG_CACHE_HOME/msol`, `~/.cache/msol`, `~/Library/Caches/msol`,
 * `%LOCALAPPDATA%\msol\Cache`): a content repository never gains a folder.
 */
export function defaultCacheLocation(
  siteRoot: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  for (const start of [siteRoot, cwd]) {
    for (let d = nodePath.resolve(start); ;) {
      const nm = nodePath.join(d, 'node_modules');
      if (isDirectory(nm)) return nodePath.join(nm, '.cache', 'msol');
      const up = nodePath.dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return userCacheFolder(env);
}

export function userCacheFolder(env: Readonly<Record<string, string | undefined>>): string {
  const home = nodeOs.homedir();
  if (process.platform === 'win32')
    return nodePath.join(env['LOCALAPPDATA'] ?? nodePath.join(home, 'AppData', 'Local'), 'msol', 'Cache');
  if (process.platform === 'darwin') return nodePath.join(home, 'Library', 'Caches', 'msol');
  const xdg = env['XDG_CACHE_HOME'];
  return nodePath.join(xdg && nodePath.isAbsolute(xdg) ? xdg : nodePath.join(home, '.cache'), 'msol');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The engine's identity, set by scripts/build.mjs: a hash of the bundled engine (server/out/worker.js) and of this folder's sources. */
declare const MSOL_ENGINE_ID: string | undefined;

let engineHashValue: string | undefined;
/**
 * msol's version and the engine's identity: a new build of any rule is a new
 * engine. The CLI and the language server share it (so the editor reads what
 * `msol check` wrote). Unbundled (tests from sources), the running file's bytes.
 */
export function engineHash(version: string): string {
  if (engineHashValue === undefined) {
    let id = typeof MSOL_ENGINE_ID === 'string' ? MSOL_ENGINE_ID : '';
    if (!id) {
      try {
        id = readFileSync(__filename, 'latin1');
      } catch {
        // No bundle to read (an unusual host): the version alone.
      }
    }
    engineHashValue = hashOf(`${version}\0${cacheFormat}\0${id}`);
  }
  return engineHashValue;
}

export interface CacheSigning {
  readonly key: Buffer;
  /** The key is MSOL_CACHE_KEY: only files signed with it are read. */
  readonly secret: boolean;
}

/**
 * The key files are signed with: MSOL_CACHE_KEY, else `<user cache folder>/key`
 * (made on first use). undefined when neither can be had: no cache then.
 * A reader that writes nothing (`create: false`, the language server) uses a
 * key of its own for the run when there is no key file yet: it then reads
 * only what `untrackedOutside` lets it read.
 */
export function cacheSigning(
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
  options: { readonly create?: boolean } = {},
): CacheSigning | undefined {
  const set = env['MSOL_CACHE_KEY'];
  if (set) return { key: Buffer.from(set, 'utf8'), secret: true };
  const file = nodePath.join(userCacheFolder(env), 'key');
  try {
    const key = readFileSync(file);
    if (key.length >= 32) return { key, secret: false };
  } catch {
    // Not made yet.
  }
  if (options.create === false) return { key: randomBytes(32), secret: false };
  try {
    mkdirSync(nodePath.dirname(file), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return { key, secret: false };
  } catch (error) {
    // Another run made it meanwhile: read that one.
    try {
      const key = readFileSync(file);
      if (key.length >= 32) return { key, secret: false };
    } catch {
      // Fall through.
    }
    logger.log(
      'warn',
      'no key to sign the cache with (set MSOL_CACHE_KEY, or make the user cache folder writable); not using the cache',
      { file, error: String(error) },
    );
    return undefined;
  }
}

/** Why a file was trusted: signed with our key, or found where no commit could have put it. */
type Trust = 'signed' | 'untracked';

export class PhaseOneCache {
  readonly folder: string;
  readonly #siteRoot: string;
  readonly #logger: Logger;
  readonly #signing: CacheSigning;
  /** Reads only: save does nothing (the language server never writes a file). */
  readonly readOnly: boolean;
  readonly #shards: (Map<string, Held> | undefined)[] = [];
  readonly #dirty = new Set<number>();
  #loading: Promise<void> | undefined;
  #untracked: Promise<boolean> | undefined;
  /** Shards read, and how they were trusted (for -v and the tests). */
  readonly trust: (Trust | undefined)[] = [];
  /** The site's knowledge as the last run derived it, with the inputs it was derived from (see knowledgeInputs). */
  #knowledge: StoredKnowledge | undefined;
  #knowledgeDirty = false;

  constructor(
    location: string,
    siteRoot: string,
    logger: Logger,
    signing: CacheSigning,
    options: { readonly readOnly?: boolean } = {},
  ) {
    // One folder per site root: several sites may share a location.
    this.folder = nodePath.join(location, hashOf(nodePath.resolve(siteRoot)).slice(0, 16));
    this.#siteRoot = nodePath.resolve(siteRoot);
    this.#logger = logger;
    this.#signing = signing;
    this.readOnly = options.readOnly ?? false;
  }

  /** Whether anything is stored yet (a cold run starts its worker threads early). */
  exists(): boolean {
    try {
      return readdirSync(this.folder).some((n) => /^shard-\d+\.json$/.test(n));
    } catch {
      return false;
    }
  }

  #mac(parts: readonly Uint8Array[]): Buffer {
    const h = createHmac('sha256', this.#signing.key);
    for (const p of parts) h.update(p);
    return h.digest();
  }

  /** `<hex HMAC> <hex SHA-256>` of the parts. */
  #signatureLine(parts: readonly Uint8Array[]): string {
    const sha = createHash('sha256');
    for (const p of parts) sha.update(p);
    return `${this.#mac(parts).toString('hex')} ${sha.digest('hex')}\n`;
  }

  /** The body of a file this cache may read, and why; undefined for a file to ignore (logged). */
  async #verified(bytes: Buffer, what: string): Promise<{ body: Buffer; trust: Trust } | undefined> {
    const newline = bytes.indexOf(10);
    const line = newline > 0 ? bytes.toString('latin1', 0, newline) : '';
    const [macHex = '', shaHex = ''] = line.split(' ');
    const body = bytes.subarray(newline + 1);
    const mac = Buffer.from(macHex, 'hex');
    const expected = this.#mac([body]);
    if (newline > 0 && mac.length === expected.length && timingSafeEqual(mac, expected))
      return { body, trust: 'signed' };
    if (this.#signing.secret) {
      this.#logger.log('debug', 'ignoring a cache file not signed with MSOL_CACHE_KEY', { file: what });
      return undefined;
    }
    // Signed elsewhere (a fresh CI runner has a key of its own): read only where no commit could have put it.
    if (!(await (this.#untracked ??= untrackedOutside(this.folder, this.#siteRoot)))) {
      this.#logger.log(
        'debug',
        'ignoring a cache file signed with another key: the cache folder is inside the site, or holds files tracked by git, or git cannot tell',
        { file: what },
      );
      return undefined;
    }
    if (createHash('sha256').update(body).digest('hex') !== shaHex) {
      this.#logger.log('debug', 'ignoring a damaged cache file', { file: what });
      return undefined;
    }
    return { body, trust: 'untracked' };
  }

  /** Reads the stored shards, once: every call answers with the same promise (a run starts it early and awaits it where entries are first read). */
  load(): Promise<void> {
    return (this.#loading ??= this.exists() ? this.#load() : Promise.resolve());
  }

  async #load(): Promise<void> {
    await Promise.all([
      this.#loadKnowledge(),
      ...Array.from({ length: shardCount }, async (_, i) => {
        try {
          const verified = await this.#verified(await fsp.readFile(this.#shardPath(i)), `shard-${i}.json`);
          if (!verified) return;
          const { body, trust } = verified;
          const newline = body.indexOf(10);
          if (newline < 0) return;
          // Shards are ASCII (see save): latin1 is the cheapest decode. The facts after the JSON line stay bytes until read.
          const head = JSON.parse(body.toString('latin1', 0, newline)) as {
            format?: unknown;
            entries?: Record<string, StoredEntry>;
          };
          if (!head || head.format !== cacheFormat || typeof head.entries !== 'object' || !head.entries) return;
          const payload = body.subarray(newline + 1);
          const shard = new Map<string, Held>();
          for (const [path, stored] of Object.entries(head.entries)) {
            if (!isEntry(stored)) continue;
            const { a, s, ...rest } = stored;
            const facts =
              a && a[0] >= 0 && a[1] >= 0 && a[0] + a[1] <= payload.length
                ? payload.subarray(a[0], a[0] + a[1])
                : undefined;
            if (rest.o.kind === 'analysed' && !facts) continue;
            // From another machine, a stat proves nothing: such entries are matched by content.
            shard.set(path, { entry: trust === 'signed' && s !== undefined ? { ...rest, s } : rest, facts });
          }
          this.#shards[i] = shard;
          this.trust[i] = trust;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
            this.#logger.log('debug', 'ignoring an unreadable cache shard', { shard: i, error: String(error) });
        }
      }),
    ]);
  }

  async #loadKnowledge(): Promise<void> {
    try {
      const verified = await this.#verified(await fsp.readFile(this.#knowledgePath()), knowledgeFile);
      if (!verified) return;
      const stored = JSON.parse(verified.body.toString('latin1')) as Partial<StoredKnowledge> & { format?: unknown };
      if (
        stored?.format === cacheFormat &&
        typeof stored.inputs === 'string' &&
        Array.isArray(stored.kinds) &&
        stored.kinds.every((k) => typeof k?.id === 'string' && typeof k.fingerprint === 'string' && 'value' in k)
      )
        this.#knowledge = { inputs: stored.inputs, kinds: stored.kinds };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#logger.log('debug', 'ignoring an unreadable cache file', { file: knowledgeFile, error: String(error) });
    }
  }

  #knowledgePath(): string {
    return nodePath.join(this.folder, knowledgeFile);
  }

  /** The site's knowledge as stored (after `load`), with the hash of the inputs it was derived from. */
  get knowledge(): StoredKnowledge | undefined {
    return this.#knowledge;
  }

  /** Keeps the site's knowledge as derived from `inputs` (a hash), written by the next `save` when it differs from what is stored. */
  setKnowledge(knowledge: StoredKnowledge): void {
    if (this.#knowledge?.inputs === knowledge.inputs) return;
    this.#knowledge = knowledge;
    this.#knowledgeDirty = true;
  }

  #shardPath(i: number): string {
    return nodePath.join(this.folder, `shard-${i}.json`);
  }

  #shardOf(path: string): number {
    let h = 0;
    for (let i = 0; i < path.length; i++) h = (h * 31 + path.charCodeAt(i)) >>> 0;
    return h % shardCount;
  }

  #held(path: string): Held | undefined {
    return this.#shards[this.#shardOf(path)]?.get(path);
  }

  get(path: string): CacheEntry | undefined {
    return this.#held(path)?.entry;
  }

  /** Whether the shards read (after `load`) hold any entry: a stat can vouch for nothing otherwise. */
  get holdsEntries(): boolean {
    return this.#shards.some((s) => s !== undefined && s.size > 0);
  }

  /**
   * A function that parses the stored facts of the entry as it is now (later
   * changes to the entry do not change what it returns); undefined for an
   * entry without facts.
   */
  factsLoader(path: string): (() => FileFacts) | undefined {
    const held = this.#held(path);
    const facts = held?.facts;
    if (!facts) return undefined;
    if (!Buffer.isBuffer(facts)) return () => facts;
    return () => JSON.parse(facts.toString('latin1')) as FileFacts;
  }

  /** Records a page's outcome (with its facts for an analysed page); marks its shard for writing. */
  set(path: string, entry: CacheEntry, facts: FileFacts | undefined): void {
    const i = this.#shardOf(path);
    (this.#shards[i] ??= new Map()).set(path, { entry, facts });
    this.#dirty.add(i);
  }

  /** Replaces an entry's phase two, stat and hints, keeping its stored facts as they are (not parsed, not rewritten). */
  update(
    path: string,
    change: { readonly w: CacheEntry['w']; readonly s: string | undefined; readonly d: string | undefined },
  ): void {
    const held = this.#held(path);
    if (!held) return;
    const { w: _w, s: _s, d: _d, ...rest } = held.entry;
    const entry: CacheEntry = {
      ...rest,
      ...(change.s !== undefined ? { s: change.s } : {}),
      ...(change.d !== undefined ? { d: change.d } : {}),
      ...(change.w ? { w: change.w } : {}),
    };
    const i = this.#shardOf(path);
    this.#shards[i]!.set(path, { entry, facts: held.facts });
    this.#dirty.add(i);
  }

  /** Drops entries of pages that no longer exist. */
  retain(paths: ReadonlySet<string>): void {
    this.#shards.forEach((shard, i) => {
      if (!shard) return;
      for (const p of shard.keys()) {
        if (paths.has(p)) continue;
        shard.delete(p);
        this.#dirty.add(i);
      }
    });
  }

  /** Writes the changed shards. A failure to write is logged, never fatal: the cache is an optimisation. */
  async save(): Promise<void> {
    if ((this.#dirty.size === 0 && !this.#knowledgeDirty) || this.readOnly) return;
    try {
      await fsp.mkdir(this.folder, { recursive: true });
      const knowledge = this.#knowledgeDirty ? this.#knowledge : undefined;
      await Promise.all([
        ...[...this.#dirty].map((i) =>
          this.#writeAtomically(this.#shardPath(i), this.#shardBytes(this.#shards[i] ?? new Map())),
        ),
        ...(knowledge
          ? [
              this.#writeAtomically(this.#knowledgePath(), [
                Buffer.from(asciiJson({ format: cacheFormat, ...knowledge }), 'latin1'),
              ]),
            ]
          : []),
      ]);
      this.#dirty.clear();
      this.#knowledgeDirty = false;
    } catch (error) {
      this.#logger.log('warn', 'could not write the cache; the next run checks every page again', {
        folder: this.folder,
        error: String(error),
      });
    }
  }

  /** One shard: the entries as one JSON line, then each entry's facts (kept bytes, or computed facts as ASCII JSON). */
  #shardBytes(shard: ReadonlyMap<string, Held>): Buffer[] {
    const entries: Record<string, StoredEntry> = {};
    const payload: Buffer[] = [];
    let offset = 0;
    for (const [path, { entry, facts }] of shard) {
      if (facts === undefined) {
        entries[path] = entry;
        continue;
      }
      // ASCII through and through: the latin1 encoding is a plain copy (UTF-8 would inspect every character).
      const bytes = Buffer.isBuffer(facts) ? facts : Buffer.from(asciiJson(facts), 'latin1');
      entries[path] = { ...entry, a: [offset, bytes.length] };
      payload.push(bytes);
      offset += bytes.length;
    }
    return [Buffer.from(`${asciiJson({ format: cacheFormat, entries })}\n`, 'latin1'), ...payload];
  }

  async #writeAtomically(target: string, parts: readonly Buffer[]): Promise<void> {
    const temp = `${target}.${process.pid}.tmp`;
    await fsp.writeFile(temp, Buffer.concat([Buffer.from(this.#signatureLine(parts), 'latin1'), ...parts]));
    await fsp.rename(temp, target);
  }
}

/**
 * Where a cache file signed with another key may be read: a cache folder
 * outside the site (a site's own files, a downloaded archive included, never
 * vouch for results) in which git tracks no file (no commit put it there).
 */
async function untrackedOutside(folder: string, siteRoot: string): Promise<boolean> {
  try {
    const rel = nodePath.relative(realpathSync(siteRoot), realpathSync(folder));
    if (rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel))) return false;
  } catch {
    return false;
  }
  return untrackedByGit(folder);
}

function isEntry(e: unknown): e is StoredEntry {
  const x = e as Partial<StoredEntry> | undefined;
  if (!x || typeof x.h !== 'string' || typeof x.e !== 'string' || typeof x.k !== 'string' || !x.o) return false;
  if (x.o.kind === 'skipped') return typeof x.o.message === 'string';
  return (
    x.o.kind === 'analysed' && Array.isArray(x.o.findings) && Array.isArray(x.o.directives) && typeof x.o.v === 'string'
  );
}

/** JSON with every non-ASCII character escaped (`\\u00e9`): the same value, read back with the cheapest decode. */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  // An exec loop: a few hundred escapes in megabytes of JSON, three times faster than String.replace with a callback.
  nonAscii.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = nonAscii.exec(json); m; m = nonAscii.exec(json)) {
    out += `${json.slice(last, m.index)}\\u${json.charCodeAt(m.index).toString(16).padStart(4, '0')}`;
    last = m.index + 1;
  }
  return last === 0 ? json : out + json.slice(last);
}
const nonAscii = /[\u007f-\uffff]/g;
