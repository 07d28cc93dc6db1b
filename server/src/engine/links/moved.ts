import { parseLocalUrl, type FileFacts, type Reference } from '../facts';
import type { WorkspaceIndex } from '../workspace';
import { basename, dirname, extname, isMarkdownPath } from '../paths';
import { contentWhenLinkWorked } from '../history';
import { editDistance } from '../text';

/**
 * "Did you mean": where the target of a broken link went. Four kinds of
 * evidence, strongest first:
 *
 * 1. `renamed`: the host's rename history (git) says the target file moved.
 * 2. `page-moved`: the linking page itself moved (history, or inferred: several of
 *    its broken links resolve again from one other folder, the folder it
 *    was written in), and from there this link resolves.
 * 3. `moved`: a file with the same name elsewhere, best shared trailing path first.
 * 4. `similar`: a close name in the same folder, else anywhere.
 *
 * A candidate is `certain` (a safe `--fix`) for evidence 1 and 2, for the only
 * candidate, or for a best candidate that shares more trailing folders than
 * any other.
 */

export type MoveEvidence = 'renamed' | 'page-moved' | 'moved' | 'similar' | 'same-content';

export interface MovedTarget {
  /** Candidate files or folders, best first. */
  readonly candidates: readonly string[];
  readonly evidence?: MoveEvidence;
  /** True when the first candidate is safe to apply without asking. */
  readonly certain: boolean;
}

const pageDirCache = new WeakMap<FileFacts, { readonly revision: number; readonly dir: string | undefined }>();

function exists(index: WorkspaceIndex, fromDir: string, url: string): string | undefined {
  const res = index.resolve(fromDir ? `${fromDir}/_.md` : '_.md', url);
  if (res.kind !== 'local' || res.target.path === '' || res.target.path.startsWith('/')) return undefined;
  if (res.exists === 'file') return res.path;
  if (res.exists === 'directory-readme') return res.path;
  return undefined;
}

function isBroken(index: WorkspaceIndex, path: string, ref: Reference): boolean {
  const res = index.resolve(path, ref.url);
  return res.kind === 'local' && res.exists === 'missing' && !res.target.path.startsWith('/');
}

interface Layout {
  readonly revision: number;
  readonly dirs: readonly string[];
  readonly names: ReadonlySet<string>;
  /** Per link URL, the folders it resolves from (`exists`): pages of a site share their broken links' URLs. */
  readonly resolvingFrom: Map<string, ReadonlySet<string>>;
}

/** Per site and index revision: every folder, and the names of every file and folder (see `mayResolveAnywhere`). */
const layouts = new WeakMap<WorkspaceIndex, Layout>();

function layoutOf(index: WorkspaceIndex): Layout {
  const held = layouts.get(index);
  if (held && held.revision === index.revision) return held;
  const dirs = new Set<string>(['']);
  const names = new Set<string>();
  for (const f of index.files) {
    names.add(basename(f));
    for (let d = dirname(f); d !== '' && !dirs.has(d); d = dirname(d)) {
      dirs.add(d);
      names.add(basename(d));
    }
  }
  const layout: Layout = { revision: index.revision, dirs: [...dirs], names, resolvingFrom: new Map() };
  layouts.set(index, layout);
  return layout;
}

/** The folders of the site from which `url` resolves to a file or a folder's README. */
function foldersResolving(index: WorkspaceIndex, layout: Layout, url: string): ReadonlySet<string> {
  let from = layout.resolvingFrom.get(url);
  if (from === undefined) {
    const found = new Set<string>();
    for (const d of layout.dirs) if (exists(index, d, url) !== undefined) found.add(d);
    layout.resolvingFrom.set(url, (from = found));
  }
  return from;
}

/**
 * Whether a link could resolve from some folder (`exists` for some `fromDir`):
 * whatever the folder, what it resolves to is named by the link's last
 * segment (a file, a folder with its README, or `page.html` for `page.md`),
 * so a name no file or folder of the site has resolves from none. A last
 * segment `..` names whatever the folder is: that link may.
 */
function mayResolveAnywhere(names: ReadonlySet<string>, url: string): boolean {
  const target = parseLocalUrl(url);
  if (!target) return false;
  const segments = target.path.split('/').filter((s) => s !== '' && s !== '.');
  const last = segments[segments.length - 1];
  if (last === undefined || last === '..') return true;
  if (names.has(last)) return true;
  const html = /^(.*)\.html?$/i.exec(last);
  return html !== null && (names.has(`${html[1]}.md`) || names.has(`${html[1]}.markdown`) || /^index$/i.test(html[1]!));
}

/**
 * The folder a page's links were written from, when it is not the page's own:
 * its recorded earlier location, or else the one folder from which at least
 * two of its broken links (and more than from any other folder) resolve.
 */
export function originalDirectory(index: WorkspaceIndex, path: string, facts: FileFacts): string | undefined {
  const cached = pageDirCache.get(facts);
  if (cached && cached.revision === index.revision) return cached.dir;
  const broken = facts.references.filter((r) => isBroken(index, path, r));
  let dir: string | undefined;
  const own = dirname(path);
  for (const earlier of index.renamedFrom(path)) {
    const d = dirname(earlier);
    if (d !== own && broken.some((r) => exists(index, d, r.url) !== undefined)) {
      dir = d;
      break;
    }
  }
  // Only links that can resolve from some folder can count for one (most broken links name nothing the site has).
  const layout = dir === undefined && broken.length >= 2 ? layoutOf(index) : undefined;
  const resolvable = layout ? broken.filter((r) => mayResolveAnywhere(layout.names, r.url)) : [];
  if (layout && resolvable.length >= 2) {
    const counts: Array<[string, number]> = [];
    for (const d of layout.dirs) {
      if (d === own) continue;
      const n = resolvable.filter((r) => foldersResolving(index, layout, r.url).has(d)).length;
      if (n >= 2) counts.push([d, n]);
    }
    counts.sort((a, b) => b[1] - a[1]);
    if (counts[0] && (counts.length === 1 || counts[0][1] > counts[1]![1])) dir = counts[0][0];
  }
  pageDirCache.set(facts, { revision: index.revision, dir });
  return dir;
}

/** How many trailing path segments two paths share. */
export function sharedTail(a: string, b: string): number {
  const pa = a.toLowerCase().split('/');
  const pb = b.toLowerCase().split('/');
  let n = 0;
  while (n < pa.length && n < pb.length && pa[pa.length - 1 - n] === pb[pb.length - 1 - n]) n++;
  return n;
}

/** Where the missing target of `ref` (written in `path`, resolving to `missingPath`) may be now. */
export function findMovedTarget(
  index: WorkspaceIndex,
  path: string,
  facts: FileFacts,
  ref: Reference,
  missingPath: string,
  folderLink: boolean,
): MovedTarget {
  const keep = (c: string) => c !== path;
  // 1. Recorded renames of the target (a folder link follows its README.md).
  const renamed = folderLink ? index.renamedTo(`${missingPath}/README.md`) : index.renamedTo(missingPath);
  const renamedTarget = renamed && folderLink ? dirname(renamed) : renamed;
  // 2. The page was moved: resolve the link from where it was written.
  const from = originalDirectory(index, path, facts);
  const fromThere = from !== undefined ? exists(index, from, ref.url) : undefined;
  // 3 and 4: same name elsewhere, or a similar name.
  let nearby = folderLink ? index.findMovedFolder(missingPath) : index.findMoved(missingPath);
  let evidence: MoveEvidence | undefined;
  if (nearby.length > 0)
    evidence =
      folderLink || basename(nearby[0]!).toLowerCase() === basename(missingPath).toLowerCase() ? 'moved' : 'similar';
  else if (!folderLink) {
    nearby = similarAnywhere(index, missingPath);
    if (nearby.length > 0) evidence = 'similar';
  }
  nearby = nearby.filter(keep);
  const tails = new Map(nearby.map((c) => [c, sharedTail(c, missingPath)] as const));
  const ranked = [...nearby].sort((a, b) => tails.get(b)! - tails.get(a)!);
  const strong = [renamedTarget, fromThere].filter((c): c is string => c !== undefined && keep(c));
  const candidates = [...new Set([...strong, ...ranked])];
  // An asset's name says little (GitBook reuses `image.png` for the next picture): follow its content instead.
  if (!folderLink && !isMarkdownPath(missingPath))
    return byContent(
      index,
      path,
      ref,
      candidates,
      keep,
      renamedTarget !== undefined ? 'renamed' : fromThere !== undefined ? 'page-moved' : evidence,
    );
  if (candidates.length === 0) return { candidates, certain: false };
  if (renamedTarget !== undefined && keep(renamedTarget)) return { candidates, evidence: 'renamed', certain: true };
  if (fromThere !== undefined && keep(fromThere)) return { candidates, evidence: 'page-moved', certain: true };
  const best = tails.get(ranked[0]!)!;
  const second = ranked[1] !== undefined ? tails.get(ranked[1])! : -1;
  const certain = ranked.length === 1 || (best >= 2 && best > second);
  return { candidates, ...(evidence ? { evidence } : {}), certain };
}

/**
 * Where an asset went, by what it held: the content its path held when the
 * link last worked (the site's history), and the files holding that content
 * today. One such file is certain (even under another name); none, or no
 * history, leaves only the candidates by name, none of them applied without
 * asking.
 */
function byContent(
  index: WorkspaceIndex,
  path: string,
  ref: Reference,
  byName: readonly string[],
  keep: (c: string) => boolean,
  nameEvidence: MoveEvidence | undefined,
): MovedTarget {
  const was = index.history ? contentWhenLinkWorked(index, path, ref.url) : undefined;
  const holders = was ? index.history!.filesWithContent(was.content).filter(keep) : [];
  if (holders.length === 0)
    return { candidates: byName, ...(nameEvidence ? { evidence: nameEvidence } : {}), certain: false };
  // Several files hold it (copies): the one the name points at, else the one sharing most of its path.
  const named = holders.find((h) => byName[0] === h);
  const ranked = [...holders].sort((a, b) => sharedTail(b, was!.path) - sharedTail(a, was!.path) || a.localeCompare(b));
  const best = named ?? ranked[0]!;
  const certain =
    named !== undefined || ranked.length === 1 || sharedTail(ranked[0]!, was!.path) > sharedTail(ranked[1]!, was!.path);
  const candidates = [...new Set([best, ...holders, ...byName])];
  return { candidates, evidence: named !== undefined && nameEvidence ? nameEvidence : 'same-content', certain };
}

/** Files anywhere whose name is close to the missing one's (same extension), closest first. */
function similarAnywhere(index: WorkspaceIndex, missingPath: string): string[] {
  const name = basename(missingPath).toLowerCase();
  const ext = extname(name);
  const max = Math.max(1, Math.floor(name.length / 5));
  const near: Array<[string, number]> = [];
  for (const f of index.files) {
    const b = basename(f).toLowerCase();
    if (extname(b) !== ext) continue;
    const d = editDistance(b, name, max);
    if (d <= max) near.push([f, d]);
  }
  return near
    .sort(
      (a, b) =>
        a[1] - b[1] || sharedTail(b[0], missingPath) - sharedTail(a[0], missingPath) || a[0].localeCompare(b[0]),
    )
    .map(([f]) => f);
}
