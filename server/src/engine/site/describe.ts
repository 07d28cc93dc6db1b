import type { WorkspaceIndex } from '../workspace';
import { severityOf } from '../linter';
import { rules } from '../rules/index';
import { siteAttribution } from '../attribution/site';
import { siteKindLabel, type SiteKind } from './kind';
import type { SiteValue } from './identity';

/**
 * What the engine made of a site, for `msol check --verbose` and the
 * editor's status: its kind and why, the files it read, each identity value
 * with where it came from, and the rules that stay silent for want of a
 * value, with the setting that would turn each on.
 */

export interface SilentRule {
  readonly rule: string;
  /** What the rule lacks ("the site's URL"). */
  readonly needs: string;
  /** What would give it ("`site.url` in .msolrc.json, a CNAME file or book.toml `[output.html] cname`"). */
  readonly setting: string;
}

export interface SiteDescription {
  readonly kind: SiteKind;
  readonly kindLabel: string;
  /** The file or setting that decided the kind ('' when nothing did: GitBook's layout by default). */
  readonly kindFrom: string;
  /** Content root ('' = the folder itself), table of contents and home page, site-relative. */
  readonly root: string;
  readonly summary: string;
  readonly readme: string;
  readonly read: readonly string[];
  readonly title?: SiteValue;
  readonly url?: SiteValue;
  readonly license?: SiteValue;
  readonly defaultAuthor?: SiteValue;
  readonly proposal?: SiteValue;
  readonly microsolidarity?: string;
  readonly silent: readonly SilentRule[];
}

export function describeSite(index: WorkspaceIndex): SiteDescription {
  const config = index.config;
  const identity = config.identity;
  const kind: SiteKind = identity?.kind ?? 'gitbook';
  const attribution = siteAttribution(index);
  // The home page's statement gives a license and author the config does not know of.
  const license: SiteValue | undefined =
    attribution.licenseFrom === 'home page'
      ? { value: attribution.license, from: `${index.readmePath} (its license statement)` }
      : identity?.license;
  const defaultAuthor: SiteValue | undefined =
    attribution.authorFrom === 'home page'
      ? { value: attribution.defaultAuthor, from: `${index.readmePath} (its license statement)` }
      : identity?.defaultAuthor;
  const silent: SilentRule[] = [];
  const on = (rule: string) => severityOf(config, rule) !== 'off';
  const quiet = (rule: string, needs: string, setting: string) => {
    if (on(rule)) silent.push({ rule, needs, setting });
  };
  if (kind === 'plain') {
    for (const r of rules) {
      if (r.meta.category === 'links' || config.rules[r.meta.id]) continue;
      silent.push({
        rule: r.meta.id,
        needs: 'a table of contents (a plain folder gets link checks only)',
        setting: "a SUMMARY.md (GitBook) or book.toml (mdBook), `site.kind` or the rule's severity in .msolrc.json",
      });
    }
  }
  if (!config.site.url)
    quiet(
      'link-site-absolute',
      "the site's URL",
      '`site.url` in .msolrc.json, a CNAME file, or book.toml `[output.html] site-url` / `cname`',
    );
  if (!index.proposalPath) {
    quiet('proposal-mention-unlinked', 'a hub page', '`site.proposal` in .msolrc.json');
    quiet('proposal-external-copy', 'a hub page', '`site.proposal` and `links.proposalCopies` in .msolrc.json');
  }
  if (!attribution.license) {
    quiet(
      'license-incompatible',
      "the site's license",
      '`site.license` in .msolrc.json, a LICENSE file, or a license statement on the home page',
    );
    quiet(
      'site-license-notice',
      "the site's license",
      '`site.license` in .msolrc.json, a LICENSE file, or a license statement on the home page',
    );
  }
  if (!attribution.defaultAuthor)
    quiet(
      'author-undeclared',
      "the site's default author",
      '`site.defaultAuthor` in .msolrc.json, book.toml `authors`, or "assume the author is …" on the home page',
    );
  return {
    kind,
    kindLabel: siteKindLabel[kind],
    kindFrom: identity?.kindFrom ?? '',
    root: config.site.root,
    summary: index.summaryPath,
    readme: index.readmePath,
    read: identity?.read ?? [],
    ...(identity?.title ? { title: identity.title } : {}),
    ...(identity?.url ? { url: identity.url } : {}),
    ...(license && license.value ? { license } : {}),
    ...(defaultAuthor && defaultAuthor.value ? { defaultAuthor } : {}),
    ...(identity?.proposal ? { proposal: identity.proposal } : {}),
    ...(identity?.microsolidarity ? { microsolidarity: identity.microsolidarity } : {}),
    silent,
  };
}

/** The description as lines for a person (`msol check --verbose`). */
export function formatSiteDescription(d: SiteDescription): string[] {
  const value = (name: string, v: SiteValue | undefined, unknown: string) =>
    `${name}: ${v ? `${v.value} (from ${v.from})` : unknown}`;
  const lines = [
    `site: ${d.kindLabel}${d.kindFrom ? ` (from ${d.kindFrom})` : d.kind === 'gitbook' ? " (GitBook's layout by default)" : ' (no SUMMARY.md, book.toml, book.json or .gitbook.yaml)'}; pages in ${d.root ? `${d.root}/` : 'the folder itself'}${d.kind === 'plain' ? '' : `, table of contents ${d.summary}`}, home page ${d.readme}`,
    `read: ${d.read.length ? d.read.join(', ') : 'no generator or site files'}`,
    value('title', d.title, 'unknown'),
    value('URL', d.url, 'unknown'),
    value('license', d.license, 'unknown'),
    value('default author', d.defaultAuthor, 'unknown'),
    value('hub page (the proposal)', d.proposal, 'none'),
  ];
  if (d.microsolidarity)
    lines.push(
      `the Microsolidarity handbook, known by ${d.microsolidarity}: its defaults fill what the site does not say`,
    );
  for (const s of d.silent) lines.push(`silent: ${s.rule} (needs ${s.needs}; set ${s.setting})`);
  return lines;
}
