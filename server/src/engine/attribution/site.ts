import type { MsolConfig } from '../config/config';
import { microsolidarityDefaults } from '../site/identity';
import { registerKnowledge, know } from '../knowledge';
import type { WorkspaceIndex } from '../workspace';
import { pageAttribution, type LicenseStatement } from './page';
import { attributionSettings } from './settings';

/**
 * The site's license and default author. `.msolrc.json` (`site.license`,
 * `site.defaultAuthor`) decides when it sets them; otherwise the home page's
 * license statement does ("published with a [CC-BY-SA](…/by-sa/4.0/) license
 * … assume the author is Richard D. Bartlett"); otherwise what the site's
 * files say (a LICENSE file, book.toml `authors`, book.json `author`), or the
 * Microsolidarity handbook's defaults on that site only (site/identity.ts).
 * Otherwise they are unknown (''), and the rules that need them stay silent.
 */

export type SiteValueFrom = 'config' | 'home page' | 'site files' | 'default' | 'unknown';

export interface SiteAttribution {
  /** SPDX id of the site's license; '' when nothing says it. */
  readonly license: string;
  readonly licenseFrom: SiteValueFrom;
  /** '' when nothing says who. */
  readonly defaultAuthor: string;
  readonly authorFrom: SiteValueFrom;
  /** The home page's license statement, when it has one. */
  readonly statement?: LicenseStatement;
}

function fromOf(config: MsolConfig, key: 'license' | 'defaultAuthor'): SiteValueFrom {
  const origin = config.identity?.[key]?.from;
  if (config.explicit?.includes(`site.${key}`) && config.site[key]) return 'config';
  if (!config.site[key]) return 'unknown';
  return origin === microsolidarityDefaults ? 'default' : origin === undefined ? 'config' : 'site files';
}

export const siteAttributionKnowledge = registerKnowledge<SiteAttribution>({
  id: 'attribution-site',
  sources: (index) => [index.readmePath],
  whenBroken: (config) => ({
    license: config.site.license,
    licenseFrom: 'default',
    defaultAuthor: config.site.defaultAuthor,
    authorFrom: 'default',
  }),
  derive(sources, config, index) {
    const readme = sources.get(index.readmePath);
    const page = pageAttribution(readme);
    const statement = siteStatement(page.statements);
    const licenseOrigin = fromOf(config, 'license');
    const authorOrigin = fromOf(config, 'defaultAuthor');
    const stated = statement ? (statement.linked ?? statement.named) : undefined;
    const statedId = stated && stated.kind !== 'unknown' && stated.id ? stated.id : undefined;
    const configuredLicense = licenseOrigin === 'config';
    const configuredAuthor = authorOrigin === 'config';
    const license = configuredLicense ? config.site.license : (statedId ?? config.site.license);
    const licenseFrom = configuredLicense ? 'config' : statedId ? 'home page' : licenseOrigin;
    const author = configuredAuthor
      ? config.site.defaultAuthor
      : (statement?.defaultAuthor?.name ?? config.site.defaultAuthor);
    const authorFrom = configuredAuthor ? 'config' : statement?.defaultAuthor ? 'home page' : authorOrigin;
    return { license, licenseFrom, defaultAuthor: author, authorFrom, ...(statement ? { statement } : {}) };
  },
  // Where the statement sits is seen only by the home page's own rules, which read the value itself: an edit that
  // moves it (a fixed link above it) does not change what other pages see.
  fingerprint: (value) =>
    JSON.stringify(value, (key, v: unknown) => (key === 'span' || key === 'linkUrlSpan' ? undefined : v)),
});

/** The statement about the whole site: one that links a license or speaks of "this site" / "all content". */
export function siteStatement(statements: readonly LicenseStatement[]): LicenseStatement | undefined {
  return (
    statements.find((s) => s.linked && /\b(?:site|content|website|handbook|wiki|book)\b/i.test(s.text)) ??
    statements.find((s) => /\b(?:this site|all (?:the )?content|everything on)\b/i.test(s.text)) ??
    statements.find((s) => s.linked)
  );
}

export function siteAttribution(index: WorkspaceIndex): SiteAttribution {
  return know(index, siteAttributionKnowledge);
}

function normaliseName(n: string): string {
  let out = normalisedNames.get(n);
  if (out === undefined) {
    out = n
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9 ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    // A site has few authors, each compared again for every credit and page: remember them (a bounded memo of a pure function).
    if (normalisedNames.size >= 4096) normalisedNames.clear();
    normalisedNames.set(n, out);
  }
  return out;
}
const normalisedNames = new Map<string, string>();

/**
 * Whether `name` names the same person as `author`: equal names, the same
 * without middle initials, a configured alias, or a first-name nickname
 * ("Rich" for "Richard D. Bartlett").
 */
export function sameAuthor(name: string, author: string, config: MsolConfig): boolean {
  const a = normaliseName(name);
  const b = normaliseName(author);
  if (!a || !b) return false;
  if (a === b) return true;
  const strip = (s: string) =>
    s
      .split(' ')
      .filter((w) => w.length > 1)
      .join(' ');
  if (strip(a) === strip(b)) return true;
  const aliases = attributionSettings(config).aliases;
  for (const [k, list] of Object.entries(aliases)) {
    const names = [k, ...list].map(normaliseName);
    if (names.includes(a) && names.includes(b)) return true;
  }
  const first = b.split(' ')[0]!;
  return !a.includes(' ') && a.length >= 3 && first.startsWith(a);
}

export function isDefaultAuthor(name: string, index: WorkspaceIndex): boolean {
  const author = siteAttribution(index).defaultAuthor;
  return author !== '' && sameAuthor(name, author, index.config);
}
