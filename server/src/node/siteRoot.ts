import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { configFileName, gitbookYamlName } from '../engine/index';

/**
 * What makes a folder a site this product serves, for the CLI and the
 * language server alike: a configuration of ours (`.msolrc.json`), GitBook's
 * (`.gitbook.yaml`, `SUMMARY.md`, GitBook 2/3's `book.json`) or mdBook's
 * (`book.toml`) at its root; a page in an mdBook's `src/` belongs to the book above it.
 * Anywhere else the editor stays quiet: a plain Markdown folder is no site.
 */

/** The files whose presence makes a folder a site root. */
export const siteMarkers: readonly string[] = [configFileName, 'SUMMARY.md', gitbookYamlName, 'book.toml', 'book.json'];

/** Whether `dir` itself holds a site marker. */
export function isSiteRoot(dir: string): boolean {
  return siteMarkers.some((m) => existsSync(nodePath.join(dir, m)));
}

/** The nearest folder at or above `dir` holding a site marker, or undefined. */
export function findSiteRoot(dir: string): string | undefined {
  for (let d = nodePath.resolve(dir); ;) {
    if (isSiteRoot(d)) return bookAbove(d) ?? d;
    const up = nodePath.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** An mdBook's folder when `dir` is (inside) its `src`: its SUMMARY.md marks the book's pages, book.toml the site. */
function bookAbove(dir: string): string | undefined {
  for (let d = nodePath.dirname(dir), depth = 0; depth < 4; d = nodePath.dirname(d), depth++) {
    if (existsSync(nodePath.join(d, 'book.toml'))) return d;
    if (nodePath.dirname(d) === d) break;
  }
  return undefined;
}
