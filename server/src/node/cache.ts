import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, promises as fsp, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as nodeOs from 'node:os';
import * as nodePath from 'node:path';
import type { Logger } from '../engine/host';
import type { PhaseOneOutcome } from '../engine/phaseOne';

/**
 * The persistent cache of `msol check` (`--cache`, on by default): each
 * page's phase one (facts and document findings), so a warm run parses only
 * the pages that changed.
 *
 * An entry is reused only when all of these match:
 * - the page's content hash (SHA-1 of its bytes);
 * - the environment: the engine (msol's version and the bytes of its bundle,
 *   so any rule change invalidates), the effective config (`.msolrc.json`,
 *   `.gitbook.yaml`, `--config`) and whether the proposal page exists;
 * - the site knowledge it was computed with (glossary, site license and
 *   author, derived from README.md / the proposal / GLOSSARY.md): a change to
 *   what they define re-analyses every page that reads it.
 *
 * Phase two (the workspace rules, which read other pages) is cached too,
 * per page, under a site key: everything other pages' rules can see of the
 * site (the file list, every page's title, headings, anchors and front
 * matter, SUMMARY.md's bytes, sidecars, git renames and authors, the
 * knowledge and the environment above). Editing a page's prose leaves the
 * key as it was: only that page's phase two runs again. Renaming a heading
 * changes it: every page's phase two runs again. This is the contract the
 * engine already keeps for the editor (Project.openDocument says when other
 * pages' diagnostics may change).
 *
 * Layout: `<location>/<site id>/` (one folder per site root), 16 JSON shards
 * by path (ASCII: other characters escaped), each rewritten (atomically: temporary file, then rename) only
 * when one of its entries changed. A corrupt or foreign shard is ignored.
 *
 * Each shard is signed (HMAC-SHA-256) with a key that never lives in a
 * repository: `MSOL_CACHE_KEY` when set (a CI secret), else a random key made
 * once in the user's cache folder (`~/.cache/msol/key`, mode 600). A cache
 * committed to a repository, or tampered with, fails the check and is
 * ignored: nobody can hand msol crafted results that hide findings.
 */

export const cacheFormat = 3;
const shardCount = 16;

export interface CacheEntry {
  /** Content hash. */
  readonly h: string;
  /** Environment hash. */
  readonly e: string;
  /** Hash of the knowledge key the findings were computed with. */
  readonly k: string;
  /** The knowledge key itself, for knowledge source pages (they are adopted with it and settled by the Project). */
  readonly kk?: string;
  readonly o: StoredOutcome;
  /** The workspace rules' findings (phase two), valid while the site key `g` is unchanged. */
  readonly w?: { readonly g: string; readonly f: unknown };
}

export type StoredOutcome = { readonly kind: 'analysed'; readonly facts: unknown; readonly findings: unknown } | { readonly kind: 'skipped'; readonly message: string };

interface Shard {
  readonly format: number;
  readonly entries: Record<string, CacheEntry>;
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
export function defaultCacheLocation(siteRoot: string, cwd: string, env: Readonly<Record<string, string | undefined>>): string {
  for (const start of [siteRoot, cwd]) {
    for (let d = nodePath.resolve(start); ; ) {
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
  if (process.platform === 'win32') return nodePath.join(env['LOCALAPPDATA'] ?? nodePath.join(home, 'AppData', 'Local'), 'msol', 'Cache');
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

let engineHashValue: string | undefined;
/** msol's version and the bytes of the running bundle: a new build of any rule is a new engine. */
export function engineHash(version: string): string {
  if (engineHashValue === undefined) {
    let code = '';
    try {
      code = readFileSync(__filename, 'latin1');
    } catch {
      // No bundle to read (an unusual host): the version alone.
    }
    engineHashValue = hashOf(`${version}\0${code}`);
  }
  return engineHashValue;
}

/**
 * The key shards are signed with: MSOL_CACHE_KEY, else `<user cache folder>/key`
 * (made on first use). undefined when neither can be had: no cache then.
 */
export function cacheKey(env: Readonly<Record<string, string | undefined>>, logger: Logger): Buffer | undefined {
  const set = env['MSOL_CACHE_KEY'];
  if (set) return Buffer.from(set, 'utf8');
  const file = nodePath.join(userCacheFolder(env), 'key');
  try {
    const key = readFileSync(file);
    if (key.length >= 32) return key;
  } catch {
    // Not made yet.
  }
  try {
    mkdirSync(nodePath.dirname(file), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another run made it meanwhile: read that one.
    try {
      const key = readFileSync(file);
      if (key.length >= 32) return key;
    } catch {
      // Fall through.
    }
    logger.log('warn', 'no key to sign the cache with (set MSOL_CACHE_KEY, or make the user cache folder writable); not using the cache', { file, error: String(error) });
    return undefined;
  }
}

export class PhaseOneCache {
  readonly folder: string;
  readonly #logger: Logger;
  readonly #key: Buffer;
  readonly #shards: (Shard | undefined)[] = [];
  readonly #dirty = new Set<number>();
  #loading: Promise<void> | undefined;

  constructor(location: string, siteRoot: string, logger: Logger, key: Buffer) {
    // One folder per site root: several sites may share a location.
    this.folder = nodePath.join(location, hashOf(nodePath.resolve(siteRoot)).slice(0, 16));
    this.#logger = logger;
    this.#key = key;
  }

  /** Whether anything is stored yet (a cold run starts its worker threads early). */
  exists(): boolean {
    try {
      return readdirSync(this.folder).some((n) => /^shard-\d+\.json$/.test(n));
    } catch {
      return false;
    }
  }

  #mac(body: Buffer | string): Buffer {
    return createHmac('sha256', this.#key).update(body).digest();
  }

  /** Reads the stored shards, once: every call answers with the same promise (a run starts it early and awaits it where entries are first read). */
  load(): Promise<void> {
    return (this.#loading ??= this.exists() ? this.#load() : Promise.resolve());
  }

  async #load(): Promise<void> {
    await Promise.all(
      Array.from({ length: shardCount }, async (_, i) => {
        try {
          // `<hex HMAC of the rest>\n<JSON>`: a shard signed with another key (committed to a repository, tampered with) is ignored.
          const bytes = await fsp.readFile(this.#shardPath(i));
          const newline = bytes.indexOf(10);
          const mac = Buffer.from(bytes.subarray(0, Math.max(0, newline)).toString('latin1'), 'hex');
          const body = bytes.subarray(newline + 1);
          const expected = this.#mac(body);
          if (newline <= 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
            this.#logger.log('debug', 'ignoring a cache shard signed with another key', { shard: i });
            return;
          }
          // Shards are ASCII (see save): latin1 is the cheapest decode, one copy of the bytes.
          const shard = JSON.parse(body.toString('latin1')) as Shard;
          if (shard && shard.format === cacheFormat && typeof shard.entries === 'object' && shard.entries) this.#shards[i] = shard;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#logger.log('debug', 'ignoring an unreadable cache shard', { shard: i, error: String(error) });
        }
      }),
    );
  }

  #shardPath(i: number): string {
    return nodePath.join(this.folder, `shard-${i}.json`);
  }

  #shardOf(path: string): number {
    let h = 0;
    for (let i = 0; i < path.length; i++) h = (h * 31 + path.charCodeAt(i)) >>> 0;
    return h % shardCount;
  }

  get(path: string): CacheEntry | undefined {
    const e = this.#shards[this.#shardOf(path)]?.entries[path];
    return e && typeof e.h === 'string' && typeof e.e === 'string' && typeof e.k === 'string' && e.o ? e : undefined;
  }

  /** Records a page's current outcome; marks its shard for writing when the entry changed. */
  set(path: string, entry: CacheEntry): void {
    if (this.holds(path, entry.h, entry.e, entry.k, entry.kk, entry.w?.g)) return;
    const i = this.#shardOf(path);
    const shard = (this.#shards[i] ??= { format: cacheFormat, entries: {} });
    shard.entries[path] = entry;
    this.#dirty.add(i);
  }

  /** Whether the stored entry was computed from these very inputs (then storing it again changes nothing). */
  holds(path: string, h: string, e: string, k: string, kk: string | undefined, g: string | undefined): boolean {
    const old = this.#shards[this.#shardOf(path)]?.entries[path];
    return !!old && old.h === h && old.e === e && old.k === k && old.kk === kk && old.w?.g === g;
  }

  /** Drops entries of pages that no longer exist. */
  retain(paths: ReadonlySet<string>): void {
    this.#shards.forEach((shard, i) => {
      if (!shard) return;
      for (const p of Object.keys(shard.entries)) {
        if (paths.has(p)) continue;
        delete shard.entries[p];
        this.#dirty.add(i);
      }
    });
  }

  /** Writes the changed shards. A failure to write is logged, never fatal: the cache is an optimisation. */
  async save(): Promise<void> {
    if (this.#dirty.size === 0) return;
    try {
      await fsp.mkdir(this.folder, { recursive: true });
      await Promise.all(
        [...this.#dirty].map(async (i) => {
          const target = this.#shardPath(i);
          const temp = `${target}.${process.pid}.tmp`;
          const body = asciiJson(this.#shards[i] ?? { format: cacheFormat, entries: {} });
          // ASCII through and through: the latin1 encoding is a plain copy (UTF-8 would inspect every character).
          await fsp.writeFile(temp, `${this.#mac(body).toString('hex')}\n${body}`, 'latin1');
          await fsp.rename(temp, target);
        }),
      );
      this.#dirty.clear();
    } catch (error) {
      this.#logger.log('warn', 'could not write the cache; the next run checks every page again', { folder: this.folder, error: String(error) });
    }
  }
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

/** A stored outcome back into a Project outcome. */
export function outcomeOf(path: string, entry: CacheEntry, key: string): PhaseOneOutcome {
  const o = entry.o;
  if (o.kind === 'skipped') return { kind: 'skipped', path, message: o.message };
  return { kind: 'analysed', path, facts: o.facts as never, findings: o.findings as never, key };
}
