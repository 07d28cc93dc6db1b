import { defaultSite, type MsolConfig } from '../config/config';
import { registerKnowledge, know } from '../knowledge';
import type { WorkspaceIndex } from '../workspace';
import { pageAttribution, type LicenseStatement } from './page';
import { attributionSettings } from './settings';

/**
 * The site's license and default author. `.msolrc.json` (`site.license`,
 * `site.defaultAuthor`) decides when it sets a value other than the built-in
 * default; otherwise the home page's license statement does ("published with
 * a [CC-BY-SA](…/by-sa/4.0/) license … assume the author is Richard D.
 * Bartlett"); otherwise the built-in defaults (CC-BY-SA-4.0, Richard D.
 * Bartlett) apply.
 */

export interface SiteAttribution {
  /** SPDX id of the site's license. */
  readonly license: string;
  readonly licenseFrom: 'config' | 'home page' | 'default';
  readonly defaultAuthor: string;
  readonly authorFrom: 'config' | 'home page' | 'default';
  /** The home page's license statement, when it has one. */
  readonly statement?: LicenseStatement;
}

export const siteAttributionKnowledge = registerKnowledge<SiteAttribution>({
  id: 'attribution-site',
  sources: (index) => [index.readmePath],
  whenBroken: (config) => ({ license: config.site.license, licenseFrom: 'default', defaultAuthor: config.site.defaultAuthor, authorFrom: 'default' }),
  derive(sources, config, index) {
    const readme = sources.get(index.readmePath);
    const page = pageAttribution(readme);
    const statement = siteStatement(page.statements);
    const configuredLicense = config.site.license !== defaultSite.license;
    const configuredAuthor = config.site.defaultAuthor !== defaultSite.defaultAuthor;
    const stated = statement ? statement.linked ?? statement.named : undefined;
    const statedId = stated && stated.kind !== 'unknown' && stated.id ? stated.id : undefined;
    const license = configuredLicense ? config.site.license : statedId ?? config.site.license;
    const licenseFrom = configuredLicense ? 'config' : statedId ? 'home page' : 'default';
    const author = configuredAuthor ? config.site.defaultAuthor : statement?.defaultAuthor?.name ?? config.site.defaultAuthor;
    const authorFrom = configuredAuthor ? 'config' : statement?.defaultAuthor ? 'home page' : 'default';
    return { license, licenseFrom, defaultAuthor: author, authorFrom, ...(statement ? { statement } : {}) };
  },
});

/** The statement about the whole site: one that links a license or speaks of "this site" / "all content". */
export function siteStatement(statements: readonly LicenseStatement[]): LicenseStatement | undefined {
  return statements.find((s) => s.linked && /\b(?:site|content|website|handbook|wiki|book)\b/i.test(s.text)) ?? statements.find((s) => /\b(?:this site|all (?:the )?content|everything on)\b/i.test(s.text)) ?? statements.find((s) => s.linked);
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
  const strip = (s: string) => s.split(' ').filter((w) => w.length > 1).join(' ');
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
  return sameAuthor(name, siteAttribution(index).defaultAuthor, index.config);
}

