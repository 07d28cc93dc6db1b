import { parse as parseToml, TomlError } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { normaliseLicense } from '../attribution/license';

/**
 * What a site's own files say about it, read as its generator reads them:
 * `.gitbook.yaml` (GitBook), `book.toml` (mdBook), `book.json` (GitBook 2/3),
 * a `CNAME` file (GitHub Pages), a `LICENSE` file. Pure: text in, values and
 * problems out; the Project reads the files.
 */

export interface FileProblem {
  readonly path: string;
  readonly message: string;
  /** Offset in the file where the problem is, when known. */
  readonly offset?: number;
}

export interface GitbookYaml {
  readonly root?: string;
  readonly readme?: string;
  readonly summary?: string;
}

export interface BookToml {
  /** `[book] src`: the folder holding the pages (mdBook's default: `src`). */
  readonly src: string;
  readonly title?: string;
  readonly authors: readonly string[];
  /** `[output.html] site-url` when it is a full URL (mdBook also accepts a path such as `/book/`, which names no host). */
  readonly siteUrl?: string;
  /** `[output.html] cname`: the domain mdBook writes into a CNAME file. */
  readonly cname?: string;
}

export interface BookJson {
  readonly root?: string;
  readonly readme?: string;
  readonly summary?: string;
  readonly title?: string;
  readonly author?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function readGitbookYaml(path: string, text: string, problems: FileProblem[]): GitbookYaml {
  try {
    const y = obj(parseYaml(text) ?? {});
    const structure = obj(y['structure']);
    const root = typeof y['root'] === 'string' ? y['root'] : undefined;
    const readme = typeof structure['readme'] === 'string' ? structure['readme'] : undefined;
    const summary = typeof structure['summary'] === 'string' ? structure['summary'] : undefined;
    return {
      ...(root !== undefined ? { root } : {}),
      ...(readme !== undefined ? { readme } : {}),
      ...(summary !== undefined ? { summary } : {}),
    };
  } catch (error) {
    problems.push({
      path,
      message: `Unexpected YAML error in ${path} (${firstLine(error)}), expected valid YAML; GitBook's defaults apply`,
    });
    return {};
  }
}

export function readBookToml(path: string, text: string, problems: FileProblem[]): BookToml {
  let t: Record<string, unknown>;
  try {
    t = obj(parseToml(text));
  } catch (error) {
    const offset = error instanceof TomlError ? offsetOf(text, error.line, error.column) : undefined;
    problems.push({
      path,
      message: `Unexpected TOML error in ${path} (${firstLine(error)}), expected valid TOML; mdBook's defaults apply`,
      ...(offset !== undefined ? { offset } : {}),
    });
    return { src: 'src', authors: [] };
  }
  const book = obj(t['book']);
  const html = obj(obj(t['output'])['html']);
  const authors = Array.isArray(book['authors'])
    ? book['authors'].flatMap((a) => (str(a) ? [str(a)!] : []))
    : str(book['authors'])
      ? [str(book['authors'])!]
      : [];
  const siteUrl = str(html['site-url']);
  const cname = str(html['cname']);
  const title = str(book['title']);
  return {
    src: str(book['src']) ?? 'src',
    authors,
    ...(title ? { title } : {}),
    ...(siteUrl && /^https?:\/\//i.test(siteUrl) ? { siteUrl } : {}),
    ...(cname ? { cname } : {}),
  };
}

export function readBookJson(path: string, text: string, problems: FileProblem[]): BookJson {
  let j: Record<string, unknown>;
  try {
    j = obj(JSON.parse(text));
  } catch (error) {
    problems.push({
      path,
      message: `Unexpected JSON error in ${path} (${firstLine(error)}), expected valid JSON; GitBook's defaults apply`,
    });
    return {};
  }
  const structure = obj(j['structure']);
  const root = str(j['root']);
  const readme = str(structure['readme']);
  const summary = str(structure['summary']);
  const title = str(j['title']);
  const author = str(j['author']);
  return {
    ...(root ? { root } : {}),
    ...(readme ? { readme } : {}),
    ...(summary ? { summary } : {}),
    ...(title ? { title } : {}),
    ...(author ? { author } : {}),
  };
}

/** The site URL a CNAME file (one domain on its first line) or a `cname` setting names. */
export function urlOfCname(text: string): string | undefined {
  const host = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (!host || !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(host.replace(/^https?:\/\//i, '').replace(/\/+$/, '')))
    return undefined;
  return /^https?:\/\//i.test(host) ? host.replace(/\/+$/, '') : `https://${host}`;
}

/**
 * The license a LICENSE file states: an SPDX tag, or the title of a
 * well-known license text (the Creative Commons legal codes, MIT, Apache,
 * the GPL family, CC0, the Unlicense). undefined when the text names none
 * of them (a custom license is not guessed).
 */
export function licenseOfText(text: string): string | undefined {
  const spdx = /SPDX-License-Identifier:\s*([A-Za-z0-9.+-]+)/.exec(text);
  if (spdx) return spdx[1];
  const head = text.slice(0, 4000).replace(/\s+/g, ' ');
  const cc =
    /(?:Creative Commons )?(Attribution(?:-(?:NonCommercial|ShareAlike|NoDerivatives|NoDerivs))*) (\d\.\d)(?: International| Unported| Generic)?/i.exec(
      head,
    );
  if (cc && /creative commons|attribution/i.test(head.slice(0, 600))) {
    const parts = cc[1]!
      .split('-')
      .slice(1)
      .map(
        (p) => ({ noncommercial: 'NC', sharealike: 'SA', noderivatives: 'ND', noderivs: 'ND' })[p.toLowerCase()] ?? '',
      );
    return `CC-BY${parts.map((p) => `-${p}`).join('')}-${cc[2]}`;
  }
  const known: ReadonlyArray<readonly [RegExp, string]> = [
    [/\bCC0 1\.0 Universal\b/i, 'CC0-1.0'],
    [/^\s*MIT License\b|Permission is hereby granted, free of charge, to any person obtaining a copy/i, 'MIT'],
    [/Apache License,? Version 2\.0/i, 'Apache-2.0'],
    [/GNU AFFERO GENERAL PUBLIC LICENSE Version 3/i, 'AGPL-3.0'],
    [/GNU GENERAL PUBLIC LICENSE Version 3/i, 'GPL-3.0'],
    [/GNU GENERAL PUBLIC LICENSE Version 2/i, 'GPL-2.0'],
    [/Mozilla Public License,? (?:Version )?2\.0/i, 'MPL-2.0'],
    [/This is free and unencumbered software released into the public domain/i, 'Unlicense'],
    [/GNU Free Documentation License/i, 'GFDL-1.3'],
  ];
  for (const [pattern, id] of known) if (pattern.test(head)) return id;
  // A one-line LICENSE naming its license ("CC BY-SA 4.0").
  const first = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find(Boolean);
  if (first && first.length <= 80) {
    const n = normaliseLicense(first);
    if (n.kind !== 'unknown' && n.id) return n.id;
  }
  return undefined;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return Math.min(text.length, at + Math.max(0, column - 1));
}
