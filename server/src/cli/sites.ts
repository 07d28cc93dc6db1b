import { statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { findSiteRoot } from '../node/siteRoot';

export { findSiteRoot };

/**
 * Which sites a command line names, and what to check in each. A folder is a
 * site root; a file is checked within the nearest folder above it that marks a
 * site; `--root` puts every path in one site.
 */

export interface SiteTarget {
  /** Absolute path of the site root. */
  readonly root: string;
  /** Check every page of the site. */
  all: boolean;
  /** Site-relative folders whose pages are checked ('' = all). */
  readonly folders: Set<string>;
  /** Site-relative files to check. */
  readonly files: Set<string>;
}

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

function isInside(root: string, abs: string): boolean {
  const rel = nodePath.relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel));
}

function toSitePath(root: string, abs: string): string {
  return nodePath.relative(root, abs).split(nodePath.sep).join('/');
}

/** Groups path arguments by site. Throws TargetError for a path that does not exist or lies outside `--root`. */
export function resolveTargets(paths: readonly string[], cwd: string, rootOption?: string): SiteTarget[] {
  const sites = new Map<string, SiteTarget>();
  const site = (root: string): SiteTarget => {
    let s = sites.get(root);
    if (!s) sites.set(root, (s = { root, all: false, folders: new Set(), files: new Set() }));
    return s;
  };
  let fixedRoot: string | undefined;
  if (rootOption !== undefined) {
    fixedRoot = nodePath.resolve(cwd, rootOption);
    const st = statOrUndefined(fixedRoot);
    if (!st) throw new TargetError(`--root: no such folder: ${rootOption}`);
    if (!st.isDirectory()) throw new TargetError(`--root: not a folder: ${rootOption}`);
  }
  for (const p of paths) {
    const abs = nodePath.resolve(cwd, p);
    const st = statOrUndefined(abs);
    if (!st) throw new TargetError(`no such file or folder: ${p}`);
    const isDir = st.isDirectory();
    if (!isDir && !st.isFile()) throw new TargetError(`not a file or folder: ${p}`);
    if (fixedRoot !== undefined) {
      if (!isInside(fixedRoot, abs))
        throw new TargetError(`${p} is outside the site root given by --root (${rootOption})`);
      const s = site(fixedRoot);
      const rel = toSitePath(fixedRoot, abs);
      if (isDir) {
        if (rel === '') s.all = true;
        else s.folders.add(rel);
      } else s.files.add(rel);
      continue;
    }
    if (isDir) {
      site(abs).all = true;
      continue;
    }
    const dir = nodePath.dirname(abs);
    const root = findSiteRoot(dir) ?? (isInside(cwd, abs) ? nodePath.resolve(cwd) : dir);
    site(root).files.add(toSitePath(root, abs));
  }
  return [...sites.values()];
}

function statOrUndefined(abs: string) {
  try {
    return statSync(abs);
  } catch {
    return undefined;
  }
}

/** Whether a site path is one the target asks to check. */
export function isTargeted(target: SiteTarget, sitePath: string): boolean {
  if (target.all || target.files.has(sitePath)) return true;
  for (const f of target.folders) if (sitePath.startsWith(f + '/')) return true;
  return false;
}
