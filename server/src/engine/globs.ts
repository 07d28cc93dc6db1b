import ignore, { type Ignore } from 'ignore';

/**
 * Path lists as users write them in `.msolrc.json` (`ignore`,
 * `links.orphanIgnore`): gitignore semantics, by the `ignore` package (the
 * matcher ESLint and vscode-markdownlint use). `drafts/` leaves out a folder
 * named drafts anywhere, `/drafts/**` only the one at the site root,
 * `*.{md,markdown}`, `[ab].md` and `!keep.md` mean what they mean in a
 * `.gitignore`. Paths are site-relative POSIX paths; a folder is tested with
 * a trailing slash, so that `drafts/` matches the folder and not a file.
 */
export class PathPatterns {
  readonly #matcher: Ignore;
  readonly #patterns: readonly string[];

  constructor(patterns: readonly string[]) {
    this.#patterns = patterns.filter((p) => typeof p === 'string');
    this.#matcher = ignore({ allowRelativePaths: true }).add(this.#patterns.map(braces).flat());
  }

  get patterns(): readonly string[] {
    return this.#patterns;
  }

  /** Whether the file (or, with `folder`, the folder) at a site path is matched. */
  matches(path: string, folder = false): boolean {
    const p = path.replace(/^\.\//, '');
    if (p === '' || p === '.') return false;
    return this.#matcher.ignores(folder ? `${p}/` : p);
  }
}

/**
 * git itself has no braces, but users type them (`*.{md,markdown}`) and
 * every other glob tool the site's authors meet expands them: one pattern
 * per alternative, nested braces included.
 */
export function braces(pattern: string): string[] {
  const open = pattern.search(/(?<!\\)\{/);
  if (open < 0) return [pattern];
  let depth = 0;
  const cuts: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      if (cuts.length === 0) return [pattern];
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const bounds = [open, ...cuts, i];
      const parts = bounds.slice(0, -1).map((from, k) => pattern.slice(from + 1, bounds[k + 1]));
      return parts.flatMap((part) => braces(head + part + tail));
    } else if (c === ',' && depth === 1) cuts.push(i);
  }
  return [pattern];
}

/**
 * The user's patterns that match no path the site walk saw (files, and
 * folders with their trailing slash). A negation (`!keep.md`) counts as
 * matching when the path it names exists.
 */
export function unmatchedPatterns(
  patterns: readonly string[],
  files: Iterable<string>,
  folders: Iterable<string>,
): string[] {
  const candidates = [...folders].map((f) => `${f}/`).concat([...files]);
  return patterns.filter((pattern) => {
    const positive = pattern.startsWith('!') ? pattern.slice(1) : pattern;
    if (positive.trim() === '' || positive.startsWith('#')) return false;
    const one = ignore({ allowRelativePaths: true }).add(braces(positive));
    return !candidates.some((c) => one.ignores(c));
  });
}
