import type { MsolConfig, SiteConfig } from '../config/config';
import { readBookJson, readBookToml, readGitbookYaml, licenseOfText, urlOfCname, type FileProblem } from './files';
import { siteKinds, type SiteKind } from './kind';
import { linksSection, mediumCopyOfProposal } from '../links/config';

/**
 * The site read from the site: which generator publishes it (from what the
 * folder holds), where its pages and table of contents are, and who it is
 * (URL, license, default author, the hub page). Every value says where it
 * came from. The Microsolidarity handbook's own values are defaults for
 * that site only: it is recognised by its URL (configured, or in a CNAME
 * or book.toml) or, when no URL is given anywhere, by its home page's title
 * "Microsolidarity" (both the 2020 and today's handbook; the real site has
 * no configuration file). Another site keeps unknown what it does not say,
 * and the rules that need such a value stay silent (`silentRules`).
 */

/** The files the Project reads to know the site, site-relative. */
export const siteFileNames = {
  config: '.msolrc.json',
  gitbookYaml: '.gitbook.yaml',
  bookToml: 'book.toml',
  bookJson: 'book.json',
  cname: 'CNAME',
  licenses: ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'LICENCE.md', 'LICENCE.txt', 'COPYING'],
} as const;

/** Whether a change to this site path can change what the site is (its kind, structure or identity). */
export function isSiteDefinitionPath(path: string, root = ''): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (
    dir === '' &&
    (name === siteFileNames.config ||
      name === siteFileNames.gitbookYaml ||
      name === siteFileNames.bookToml ||
      name === siteFileNames.bookJson)
  )
    return true;
  return (
    (dir === '' || dir === root) &&
    (name === siteFileNames.cname || (siteFileNames.licenses as readonly string[]).includes(name))
  );
}

/** What the Project read: each file's text (undefined: absent or unusable). */
export interface SiteFileTexts {
  readonly gitbookYaml?: string;
  readonly bookToml?: string;
  readonly bookJson?: string;
  /** CNAME and LICENSE may sit at the workspace root or in the content root: the reader is asked per path. */
  read(path: string): string | undefined;
}

export type SiteValueOrigin = string;

export interface SiteValue {
  readonly value: string;
  /** Where it came from, as a user would look for it: `.msolrc.json site.url`, `book.toml [output.html] cname`, `LICENSE`, `the Microsolidarity handbook's defaults`. */
  readonly from: SiteValueOrigin;
}

export interface SiteIdentity {
  readonly kind: SiteKind;
  /** Why this kind: the file that decided it, or the setting. */
  readonly kindFrom: string;
  /** The site's own files that were read, in order. */
  readonly read: readonly string[];
  readonly title?: SiteValue;
  readonly url?: SiteValue;
  readonly license?: SiteValue;
  readonly defaultAuthor?: SiteValue;
  readonly proposal?: SiteValue;
  /** Whether the Microsolidarity handbook's defaults apply, and why. */
  readonly microsolidarity?: string;
}

/** The Microsolidarity handbook's values: defaults for that site only. */
export const microsolidarity = {
  url: 'https://www.microsolidarity.cc',
  license: 'CC-BY-SA-4.0',
  defaultAuthor: 'Richard D. Bartlett',
  proposal: 'articles/proposal.md',
  proposalCopies: [mediumCopyOfProposal],
  proposalMentions: ["Rich's proposal"],
  title: 'Microsolidarity',
} as const;

const isMicrosolidarityUrl = (url: string): boolean =>
  /^https?:\/\/(?:www\.)?microsolidarity\.cc(?:[/:?#]|$)/i.test(url.trim());

export interface ResolvedSite {
  readonly config: MsolConfig;
  readonly problems: readonly FileProblem[];
}

/** Cleans a folder or file setting: `./docs/`, `/docs`, `.` → `docs`, `docs`, ``; a hidden folder keeps its dot. */
export function cleanSitePath(p: string): string {
  return p
    .trim()
    .replace(/^(?:\.?\/)+/, '')
    .replace(/^\.$/, '')
    .replace(/\/+$/, '');
}

/**
 * The effective config of a site: the user's config (`.msolrc.json`, its
 * explicit values winning for identity) over what the generator's files say
 * (which win for structure, as the generator reads them) over the
 * Microsolidarity defaults when the site is that one.
 * `homeTitle(path)` gives the title of the home page at a site path.
 */
export function resolveSite(
  user: MsolConfig,
  files: SiteFileTexts,
  homeTitle: (path: string) => string | undefined,
): ResolvedSite {
  const problems: FileProblem[] = [];
  const read: string[] = [];
  const explicit = new Set(user.explicit ?? []);
  const set = (key: keyof SiteConfig) => explicit.has(`site.${key}`);

  // Which generator: a setting, else what the folder holds.
  const gitbookYaml =
    files.gitbookYaml !== undefined
      ? readGitbookYaml(siteFileNames.gitbookYaml, files.gitbookYaml, problems)
      : undefined;
  const bookToml =
    files.bookToml !== undefined ? readBookToml(siteFileNames.bookToml, files.bookToml, problems) : undefined;
  const bookJson =
    files.bookJson !== undefined ? readBookJson(siteFileNames.bookJson, files.bookJson, problems) : undefined;
  if (files.gitbookYaml !== undefined) read.push(siteFileNames.gitbookYaml);
  if (files.bookToml !== undefined) read.push(siteFileNames.bookToml);
  if (files.bookJson !== undefined) read.push(siteFileNames.bookJson);
  let kind: SiteKind;
  let kindFrom: string;
  const configured = user.site.kind;
  if (configured && (siteKinds as readonly string[]).includes(configured)) {
    kind = configured as SiteKind;
    kindFrom = '.msolrc.json site.kind';
  } else if (bookToml) {
    kind = 'mdbook';
    kindFrom = 'book.toml';
  } else if (gitbookYaml) {
    kind = 'gitbook';
    kindFrom = '.gitbook.yaml';
  } else if (bookJson) {
    kind = 'gitbook-legacy';
    kindFrom = 'book.json';
  } else {
    kind = 'gitbook';
    kindFrom = '';
  }

  // Structure, as the generator reads it.
  let root = cleanSitePath(user.site.root);
  let readme = cleanSitePath(user.site.readme) || 'README.md';
  let summary = cleanSitePath(user.site.summary) || 'SUMMARY.md';
  if (kind === 'mdbook' && bookToml) root = cleanSitePath(bookToml.src);
  if (kind === 'gitbook-legacy' && bookJson) {
    if (bookJson.root !== undefined) root = cleanSitePath(bookJson.root);
    if (bookJson.readme !== undefined) readme = cleanSitePath(bookJson.readme);
    if (bookJson.summary !== undefined) summary = cleanSitePath(bookJson.summary);
  }
  if (gitbookYaml && kind === 'gitbook') {
    if (gitbookYaml.root !== undefined) root = cleanSitePath(gitbookYaml.root);
    if (gitbookYaml.readme !== undefined) readme = cleanSitePath(gitbookYaml.readme);
    if (gitbookYaml.summary !== undefined) summary = cleanSitePath(gitbookYaml.summary);
  }
  const inRoot = (p: string) => (root ? `${root}/${p}` : p);
  // A folder with no table of contents at all is a plain folder of Markdown: link checks only.
  if (!configured && kindFrom === '') {
    if (files.read(inRoot(summary)) !== undefined) kindFrom = `${inRoot(summary)}`;
    else if (files.read(inRoot('.gitbook')) !== undefined) kindFrom = `${inRoot('.gitbook')}/`;
    else kind = 'plain';
  }
  if (kind !== 'plain' && files.read(inRoot(summary)) !== undefined) read.push(inRoot(summary));

  // Identity: the user's explicit values, else the site's files, else the Microsolidarity defaults when it is that site.
  const fromFile = (names: readonly string[]): { path: string; text: string } | undefined => {
    for (const dir of [...new Set(['', root])]) {
      for (const n of names) {
        const path = dir ? `${dir}/${n}` : n;
        const text = files.read(path);
        if (text !== undefined) return { path, text };
      }
    }
    return undefined;
  };
  let url: SiteValue | undefined;
  if (set('url') && user.site.url) url = { value: user.site.url, from: '.msolrc.json site.url' };
  else if (bookToml?.siteUrl) url = { value: bookToml.siteUrl, from: 'book.toml [output.html] site-url' };
  else if (bookToml?.cname && urlOfCname(bookToml.cname))
    url = { value: urlOfCname(bookToml.cname)!, from: 'book.toml [output.html] cname' };
  if (!url) {
    const cname = fromFile([siteFileNames.cname]);
    if (cname) {
      read.push(cname.path);
      const u = urlOfCname(cname.text);
      if (u) url = { value: u, from: cname.path };
    }
  }
  let license: SiteValue | undefined;
  if (set('license') && user.site.license) license = { value: user.site.license, from: '.msolrc.json site.license' };
  else {
    const file = fromFile(siteFileNames.licenses);
    if (file) {
      read.push(file.path);
      const id = licenseOfText(file.text);
      if (id) license = { value: id, from: file.path };
    }
  }
  let defaultAuthor: SiteValue | undefined;
  if (set('defaultAuthor') && user.site.defaultAuthor)
    defaultAuthor = { value: user.site.defaultAuthor, from: '.msolrc.json site.defaultAuthor' };
  else if (kind === 'mdbook' && bookToml && bookToml.authors.length > 0)
    defaultAuthor = { value: bookToml.authors.join(', '), from: 'book.toml [book] authors' };
  else if (kind === 'gitbook-legacy' && bookJson?.author)
    defaultAuthor = { value: bookJson.author, from: 'book.json author' };
  let proposal: SiteValue | undefined =
    set('proposal') && user.site.proposal
      ? { value: cleanSitePath(user.site.proposal), from: '.msolrc.json site.proposal' }
      : undefined;
  const titleValue =
    kind === 'mdbook' && bookToml?.title
      ? { value: bookToml.title, from: 'book.toml [book] title' }
      : kind === 'gitbook-legacy' && bookJson?.title
        ? { value: bookJson.title, from: 'book.json title' }
        : undefined;
  const homePath = inRoot(readme);
  const home = titleValue ? undefined : homeTitle(homePath);
  const title = titleValue ?? (home ? { value: home, from: homePath } : undefined);
  if (home !== undefined) read.push(homePath);

  // The Microsolidarity handbook: by its URL, or, when no URL is given, by its name.
  let ms: string | undefined;
  if (url) ms = isMicrosolidarityUrl(url.value) ? `its URL (${url.from})` : undefined;
  else if (title && title.value.trim().toLowerCase() === microsolidarity.title.toLowerCase())
    ms = `its home page's title "${title.value}" (${title.from})`;
  const defaults = microsolidarityDefaults;
  if (ms && kind === 'plain' && !configured) {
    // The handbook is a GitBook site, with or without its table of contents at hand.
    kind = 'gitbook';
    kindFrom = `the Microsolidarity handbook (${ms})`;
  }
  if (ms) {
    url ??= { value: microsolidarity.url, from: defaults };
    license ??= { value: microsolidarity.license, from: defaults };
    defaultAuthor ??= { value: microsolidarity.defaultAuthor, from: defaults };
    proposal ??= { value: microsolidarity.proposal, from: defaults };
  }

  const site: SiteConfig = {
    ...user.site,
    root,
    readme,
    summary,
    url: url?.value ?? '',
    license: license?.value ?? '',
    defaultAuthor: defaultAuthor?.value ?? '',
    proposal: proposal?.value ?? '',
  };
  const sections = { ...user.sections };
  if (ms) {
    // The proposal's old Medium copy and "Rich's proposal": the handbook's, unless its config says otherwise.
    const links = {
      ...linksSection.defaults,
      ...((sections['links'] as Record<string, unknown> | undefined) ?? {}),
    } as Record<string, unknown>;
    if (!explicit.has('links.proposalCopies')) links['proposalCopies'] = [...microsolidarity.proposalCopies];
    if (!explicit.has('links.proposalMentions'))
      links['proposalMentions'] = [
        ...((links['proposalMentions'] as string[] | undefined) ?? defaultProposalMentions),
        ...microsolidarity.proposalMentions,
      ];
    sections['links'] = links;
  }
  const identity: SiteIdentity = {
    kind,
    kindFrom,
    read,
    ...(title ? { title } : {}),
    ...(url ? { url } : {}),
    ...(license ? { license } : {}),
    ...(defaultAuthor ? { defaultAuthor } : {}),
    ...(proposal ? { proposal } : {}),
    ...(ms ? { microsolidarity: ms } : {}),
  };
  return { config: { ...user, site, sections, identity }, problems };
}

/** The origin of a value taken from the Microsolidarity handbook's defaults. */
export const microsolidarityDefaults = "the Microsolidarity handbook's defaults";

/** The `links.proposalMentions` default of any site (the links section's own default). */
export const defaultProposalMentions: readonly string[] = ['the proposal', 'the original proposal'];
