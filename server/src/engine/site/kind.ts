/**
 * The kinds of site the engine reads, each as its generator publishes it:
 *
 * - `gitbook`: today's GitBook (SUMMARY.md, `.gitbook.yaml` with `root` and
 *   `structure`, `.gitbook/assets/`, README.md as a folder's page);
 * - `mdbook`: mdBook (`book.toml`, `src/SUMMARY.md` with prefix, numbered
 *   and suffix chapters, drafts, separators and part titles; `page.html`
 *   links to `page.md`; README.md is a folder's index; mdBook's heading ids);
 * - `gitbook-legacy`: GitBook 2/3 (`book.json`; `.html` links to `.md` pages);
 * - `plain`: a folder of Markdown without a table of contents: link checks only.
 */
export const siteKinds = ['gitbook', 'mdbook', 'gitbook-legacy', 'plain'] as const;
export type SiteKind = (typeof siteKinds)[number];

/** The generator's name, for messages ("GitBook does not publish a page it does not list"). */
export const generatorName: Readonly<Record<SiteKind, string>> = {
  gitbook: 'GitBook',
  mdbook: 'mdBook',
  'gitbook-legacy': 'GitBook',
  plain: 'the site',
};

/** How `msol check --verbose` and the status bar name a kind. */
export const siteKindLabel: Readonly<Record<SiteKind, string>> = {
  gitbook: 'GitBook',
  mdbook: 'mdBook',
  'gitbook-legacy': 'GitBook 2/3 (book.json)',
  plain: 'a plain folder of Markdown',
};

/** Whether `page.html` (and `folder/index.html`) links name Markdown pages, as the generator turns `.md` into `.html`. */
export function htmlLinksArePages(kind: SiteKind | undefined): boolean {
  return kind === 'mdbook' || kind === 'gitbook-legacy';
}
