import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { configFileName, gitbookYamlName } from '../engine/index';

/**
 * What makes a folder a site this product serves, for the CLI and the
 * language server alike: a configuration of ours (`.msolrc.json`), GitBook's
 * (`.gitbook.yaml`, `SUMMARY.md`) or mdBook's (`book.toml`) at its root.
 * Anywhere else the editor stays quiet: a plain Markdown folder is no site.
 */

/** The files whose presence makes a folder a site root. */
export const siteMarkers: readonly string[] = [configFileName, 'SUMMARY.md', gitbookYamlName, 'book.toml'];

/** Whether `dir` itself holds a site marker. */
export function isSiteRoot(dir: string): boolean {
  return siteMarkers.some((m) => existsSync(nodePath.join(dir, m)));
}

/** The nearest folder at or above `dir` holding a site marker, or undefined. */
export function findSiteRoot(dir: string): string | undefined {
  for (let d = nodePath.resolve(dir); ; ) {
    if (isSiteRoot(d)) return d;
    const up = nodePath.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}
