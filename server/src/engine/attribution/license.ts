import spdxCorrect from 'spdx-correct';
import spdxParse from 'spdx-expression-parse';
import spdxIds from 'spdx-license-ids/index.json';

/**
 * Licenses as the attribution checks see them: whatever a credit says
 * ("CC BY 2.0", "Creative Commons Attribution-ShareAlike 4.0", a link to
 * creativecommons.org, "public domain", "Unsplash License", "All rights
 * reserved") normalised to an SPDX id, an SPDX expression, or a named value
 * with a `LicenseRef-` id (SPDX's own convention for licenses off its list).
 * Then: may the site republish material under that license under its own
 * license (CC-BY-SA-4.0 for the handbook)?
 */

export type LicenseKind = 'spdx' | 'named' | 'unknown';

export interface License {
  /** An SPDX id or expression, a `LicenseRef-…` id for named values, a CC family without version (`CC-BY-SA`), or '' when unknown. */
  readonly id: string;
  /** For people: "CC BY-SA 4.0", "the Unsplash License", "public domain". */
  readonly name: string;
  readonly url?: string;
  readonly kind: LicenseKind;
  /** As written. */
  readonly raw: string;
}

const knownIds = new Set<string>(spdxIds as string[]);
const knownIdsLower = new Map<string, string>([...knownIds].map((id) => [id.toLowerCase(), id]));

/** Named values that are not on SPDX's list. */
export const namedLicenses = {
  publicDomain: 'LicenseRef-PublicDomain',
  unsplash: 'LicenseRef-Unsplash',
  pexels: 'LicenseRef-Pexels',
  pixabay: 'LicenseRef-Pixabay',
  allRightsReserved: 'LicenseRef-AllRightsReserved',
  permission: 'LicenseRef-Permission',
  fairUse: 'LicenseRef-FairUse',
} as const;

const namedInfo: Readonly<Record<string, { name: string; url?: string }>> = {
  [namedLicenses.publicDomain]: { name: 'public domain' },
  [namedLicenses.unsplash]: { name: 'the Unsplash License', url: 'https://unsplash.com/license' },
  [namedLicenses.pexels]: { name: 'the Pexels License', url: 'https://www.pexels.com/license/' },
  [namedLicenses.pixabay]: { name: 'the Pixabay Content License', url: 'https://pixabay.com/service/license-summary/' },
  [namedLicenses.allRightsReserved]: { name: 'all rights reserved' },
  [namedLicenses.permission]: { name: 'used with permission' },
  [namedLicenses.fairUse]: { name: 'fair use' },
};

function named(id: string, raw: string): License {
  const info = namedInfo[id]!;
  return { id, name: info.name, ...(info.url ? { url: info.url } : {}), kind: 'named', raw };
}

function unknown(raw: string): License {
  return { id: '', name: raw.trim() || 'an unnamed license', kind: 'unknown', raw };
}

/** The CC elements of a CC id (`CC-BY-NC-SA-4.0` → NC, SA; version 4.0), or undefined for other ids. */
export function ccParts(
  id: string,
):
  | { readonly elements: ReadonlySet<'NC' | 'ND' | 'SA'>; readonly version?: string; readonly port?: string }
  | undefined {
  const m = /^CC-BY((?:-(?:NC|ND|SA))*)(?:-(\d\.\d))?(?:-([A-Z]{2,3}))?$/.exec(id);
  if (!m) return undefined;
  const elements = new Set(m[1]!.split('-').filter(Boolean) as ('NC' | 'ND' | 'SA')[]);
  return { elements, ...(m[2] ? { version: m[2] } : {}), ...(m[3] ? { port: m[3] } : {}) };
}

/** A CC id in SPDX's order (BY, NC, ND, SA), with the version and port when they exist on SPDX's list. */
function ccId(elements: ReadonlySet<string>, version?: string, port?: string): { id: string; spdx: boolean } {
  const base =
    'CC-BY' +
    ['NC', 'ND', 'SA']
      .filter((e) => elements.has(e))
      .map((e) => '-' + e)
      .join('');
  if (!version) return { id: base, spdx: false };
  const v = version.includes('.') ? version : `${version}.0`;
  if (port) {
    const ported = `${base}-${v}-${port.toUpperCase()}`;
    if (knownIds.has(ported)) return { id: ported, spdx: true };
  }
  const id = `${base}-${v}`;
  return { id, spdx: knownIds.has(id) };
}

/** "CC BY-SA 4.0" for CC-BY-SA-4.0; the id itself otherwise. */
export function licenseName(id: string): string {
  if (namedInfo[id]) return namedInfo[id]!.name;
  if (id === 'CC0-1.0') return 'CC0 1.0';
  if (id === 'CC-PDM-1.0') return 'Public Domain Mark 1.0';
  const cc = ccParts(id);
  if (cc) {
    const els = ['BY', ...['NC', 'ND', 'SA'].filter((e) => cc.elements.has(e as 'NC'))].join('-');
    return `CC ${els}${cc.version ? ' ' + cc.version : ' (version not stated)'}${cc.port ? ` (${cc.port})` : ''}`;
  }
  return id;
}

/** The license's deed or text, for links in credits. */
export function licenseUrl(id: string): string | undefined {
  if (namedInfo[id]) return namedInfo[id]!.url;
  if (id === 'CC0-1.0') return 'https://creativecommons.org/publicdomain/zero/1.0/';
  if (id === 'CC-PDM-1.0') return 'https://creativecommons.org/publicdomain/mark/1.0/';
  const cc = ccParts(id);
  if (cc) {
    const path = ['by', ...['nc', 'nd', 'sa'].filter((e) => cc.elements.has(e.toUpperCase() as 'NC'))].join('-');
    return cc.version
      ? `https://creativecommons.org/licenses/${path}/${cc.version}/${cc.port ? cc.port.toLowerCase() + '/' : ''}`
      : undefined;
  }
  if (knownIds.has(id)) return `https://spdx.org/licenses/${id}.html`;
  return undefined;
}

function spdx(id: string, raw: string): License {
  const url = licenseUrl(id);
  return {
    id,
    name: licenseName(id),
    ...(url ? { url } : {}),
    kind: knownIds.has(id) || isExpression(id) ? 'spdx' : 'named',
    raw,
  };
}

function isExpression(id: string): boolean {
  if (!/\s(?:AND|OR|WITH)\s/.test(id)) return false;
  try {
    spdxParse(id);
    return true;
  } catch {
    return false;
  }
}

const ccUrlPattern =
  /creativecommons\.org\/(licenses|publicdomain)\/([a-z-]+)\/(\d(?:\.\d)?)(?:\/([a-z]{2,3})(?=\/|$|[?#]))?/i;

/** A license named by its URL (creativecommons.org deeds, unsplash.com/license, spdx.org and opensource.org pages). */
export function licenseFromUrl(url: string): License | undefined {
  const u = url.trim();
  const cc = ccUrlPattern.exec(u);
  if (cc) {
    const [, kind, path, version, port] = cc;
    if (kind!.toLowerCase() === 'publicdomain') {
      if (path === 'zero') return spdx('CC0-1.0', u);
      if (path === 'mark') return spdx('CC-PDM-1.0', u);
      return named(namedLicenses.publicDomain, u);
    }
    const parts = path!.toLowerCase().split('-');
    if (parts[0] !== 'by') return unknown(u);
    const elements = new Set(parts.slice(1).map((p) => p.toUpperCase()));
    if ([...elements].some((e) => !['NC', 'ND', 'SA'].includes(e))) return unknown(u);
    const { id } = ccId(elements, version, port);
    return spdx(id, u);
  }
  if (/unsplash\.com\/license/i.test(u)) return named(namedLicenses.unsplash, u);
  if (/pexels\.com\/license/i.test(u)) return named(namedLicenses.pexels, u);
  if (/pixabay\.com\/(?:[a-z-]+\/)?service\/(?:license|terms)/i.test(u)) return named(namedLicenses.pixabay, u);
  const spdxPage =
    /(?:spdx\.org\/licenses|opensource\.org\/licenses?)\/([A-Za-z0-9.+-]+?)(?:\.html|\.php)?\/?(?:[?#]|$)/i.exec(u);
  if (spdxPage) {
    const id = knownIdsLower.get(spdxPage[1]!.toLowerCase()) ?? correct(spdxPage[1]!);
    if (id) return spdx(id, u);
  }
  const gnu = /gnu\.org\/licenses\/(gpl|lgpl|agpl|fdl)(?:-(\d(?:\.\d)?))?/i.exec(u);
  if (gnu) {
    const family = gnu[1]!.toUpperCase() === 'FDL' ? 'GFDL' : gnu[1]!.toUpperCase();
    const v = gnu[2] ? (gnu[2].includes('.') ? gnu[2] : `${gnu[2]}.0`) : undefined;
    const id = v ? `${family}-${v}-only` : undefined;
    if (id && knownIds.has(id)) return spdx(id, u);
  }
  return undefined;
}

/** spdx-correct, but only when its answer shares the input's first word: it maps "Unsplash" to SPL-1.0 otherwise. */
function correct(raw: string): string | undefined {
  const candidate = spdxCorrect(raw, { upgrade: true });
  if (!candidate) return undefined;
  const word = /[a-z]+/i.exec(raw)?.[0]?.toLowerCase();
  if (!word || word.length < 2) return undefined;
  const c = candidate.toLowerCase();
  const aliases: Record<string, string> = {
    gnu: 'gpl',
    apache: 'apache',
    bsd: 'bsd',
    mozilla: 'mpl',
    eclipse: 'epl',
    artistic: 'artistic',
  };
  return c.includes(word) || c.includes(aliases[word] ?? '\u0000') ? candidate : undefined;
}

const ccTextPattern =
  /\b(?:CC|Creative[\s-]+Commons)(?:[\s-]+(?:licen[cs]e[\s-]+)?)(BY|Attribution)((?:[\s-]*(?:NC|ND|SA|Non-?Commercial|No-?Deriv(?:ative)?s?|Share-?Alike))*)(?:(?:[\s-]+|\s*v)(\d(?:\.\d)?))?(?:[\s-]+(International|Generic|Unported))?/i;

/**
 * Normalises what a credit or record says the license is. Never throws; an
 * unidentifiable text is a License of kind `unknown`.
 */
export function normaliseLicense(raw: string, url?: string): License {
  const fromUrl = url ? licenseFromUrl(url) : undefined;
  const text = raw.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
  if (fromUrl && fromUrl.kind !== 'unknown') return { ...fromUrl, raw };
  if (text === '') return fromUrl ?? unknown(raw);
  const direct = knownIdsLower.get(text.toLowerCase());
  if (direct) return spdx(direct, raw);
  if (/^LicenseRef-/i.test(text)) {
    const id = Object.values(namedLicenses).find((n) => n.toLowerCase() === text.toLowerCase());
    return id ? named(id, raw) : { id: text, name: text.replace(/^LicenseRef-/i, ''), kind: 'named', raw };
  }
  if (isExpression(text)) return spdx(text, raw);
  const urlIn = /https?:\/\/\S+/.exec(text);
  if (urlIn) {
    const l = licenseFromUrl(urlIn[0]);
    if (l) return { ...l, raw };
  }
  const n = namedIn(text);
  if (n) return n;
  const cc = ccTextPattern.exec(text);
  if (cc) return ccFromMatch(cc, raw);
  const stripped = text
    .replace(/\b(?:the|licen[cs]e[ds]?|version|v(?=\d))\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const corrected = stripped ? correct(stripped) : undefined;
  if (corrected) return spdx(corrected, raw);
  return unknown(raw);
}

function ccFromMatch(m: RegExpExecArray, raw: string): License {
  const words = (m[2] ?? '').toUpperCase();
  const elements = new Set<string>();
  if (/NC|NON-?COMMERCIAL/.test(words)) elements.add('NC');
  if (/ND|NO-?DERIV/.test(words)) elements.add('ND');
  if (/SA|SHARE-?ALIKE/.test(words)) elements.add('SA');
  const { id, spdx: isSpdx } = ccId(elements, m[3]);
  if (m[3] && !isSpdx) return unknown(raw);
  return spdx(id, raw);
}

function namedIn(text: string): License | undefined {
  if (/\bCC[\s-]?0\b|\bCC[\s-]?Zero\b|creative commons zero/i.test(text)) return spdx('CC0-1.0', text);
  if (/\bunsplash\b/i.test(text) && /licen[cs]e/i.test(text)) return named(namedLicenses.unsplash, text);
  if (/\bpexels\b/i.test(text) && /licen[cs]e/i.test(text)) return named(namedLicenses.pexels, text);
  if (/\bpixabay\b/i.test(text) && /licen[cs]e/i.test(text)) return named(namedLicenses.pixabay, text);
  if (/public[\s-]+domain|no rights reserved|no known copyright restrictions/i.test(text))
    return named(namedLicenses.publicDomain, text);
  if (/all rights reserved/i.test(text)) return named(namedLicenses.allRightsReserved, text);
  if (/\b(?:used|reproduced|reprinted|published)? ?(?:with|by) (?:kind )?permission\b/i.test(text))
    return named(namedLicenses.permission, text);
  if (/\bfair use\b/i.test(text)) return named(namedLicenses.fairUse, text);
  return undefined;
}

export interface LicenseMention {
  readonly license: License;
  /** Where the mention stands in the text searched. */
  readonly start: number;
  readonly end: number;
  /** True when the text only implies it ("on Unsplash"). */
  readonly implied?: boolean;
}

/**
 * Finds a license named in prose: "CC BY 2.0", "licensed under …",
 * "License: …", "public domain", "all rights reserved". The first clear
 * mention wins. "© 2019 …" alone is no license: see `copyrightIn`.
 */
export function findLicenseIn(text: string): LicenseMention | undefined {
  const candidates: LicenseMention[] = [];
  const cc = ccTextPattern.exec(text);
  if (cc) candidates.push({ license: ccFromMatch(cc, cc[0]), start: cc.index, end: cc.index + cc[0].length });
  const zero = /\bCC[\s-]?0(?:[\s-]1\.0)?\b|\bCC[\s-]?Zero\b|Creative Commons Zero/i.exec(text);
  if (zero) candidates.push({ license: spdx('CC0-1.0', zero[0]), start: zero.index, end: zero.index + zero[0].length });
  const patterns: [RegExp, string][] = [
    [/\b(?:the\s+)?Unsplash\s+Licen[cs]e\b/i, namedLicenses.unsplash],
    [/\b(?:the\s+)?Pexels\s+Licen[cs]e\b/i, namedLicenses.pexels],
    [/\b(?:the\s+)?Pixabay\s+(?:Content\s+)?Licen[cs]e\b/i, namedLicenses.pixabay],
    [
      /\b(?:in the\s+)?public[\s-]+domain\b|\bno rights reserved\b|\bno known copyright restrictions\b/i,
      namedLicenses.publicDomain,
    ],
    [/\ball rights reserved\b/i, namedLicenses.allRightsReserved],
    [/\b(?:used|reproduced|reprinted|published)\s+(?:with|by)\s+(?:kind\s+)?permission\b/i, namedLicenses.permission],
    [/\bfair use\b/i, namedLicenses.fairUse],
  ];
  for (const [re, id] of patterns) {
    const m = re.exec(text);
    if (m) candidates.push({ license: named(id, m[0]), start: m.index, end: m.index + m[0].length });
  }
  if (candidates.length === 0) {
    const lead = /\b(?:licen[cs]ed\s+(?:under|as)|under\s+(?:the\s+)?|licen[cs]e\s*:)\s*/i.exec(text);
    if (lead) {
      const rest = text.slice(lead.index + lead[0].length);
      const phrase = /^[^,;.()\n]*?(?:\b\d(?:\.\d+)*\b[^,;()\n]*?)?(?=[,;()\n]|\.(?:\s|$)|$)/.exec(rest)?.[0] ?? '';
      const value = lead[0].toLowerCase().startsWith('under') && !/licen[cs]e/i.test(phrase) ? '' : phrase.trim();
      if (value) {
        const start = lead.index + lead[0].length;
        candidates.push({ license: normaliseLicense(value), start, end: start + value.length });
      }
    }
  }
  return candidates.sort((a, b) => a.start - b.start)[0];
}

/** "© 2019 Jane Doe", "Copyright (c) Jane Doe", "(C) Jane": the holder, when the text claims copyright. */
export function copyrightIn(
  text: string,
): { readonly holder?: string; readonly start: number; readonly end: number } | undefined {
  const m = /(?:©|\(c\)|\bcopyright\b)(?:\s*(?:©|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?([^,;.()\n|]*)/i.exec(
    text,
  );
  if (!m) return undefined;
  const holder = m[1]!.replace(/\ball rights reserved\b.*$/i, '').trim();
  return { ...(holder ? { holder } : {}), start: m.index, end: m.index + m[0].length };
}

/** The platform a credit names ("on Unsplash"), and the license its content comes under. */
export function platformIn(
  text: string,
  urls: readonly string[] = [],
): { readonly platform: string; readonly license?: License } | undefined {
  const all = [text, ...urls].join(' ');
  if (/\bunsplash\b/i.test(all)) return { platform: 'Unsplash', license: named(namedLicenses.unsplash, 'on Unsplash') };
  if (/\bpexels\b/i.test(all)) return { platform: 'Pexels', license: named(namedLicenses.pexels, 'on Pexels') };
  if (/\bpixabay\b/i.test(all)) return { platform: 'Pixabay', license: named(namedLicenses.pixabay, 'on Pixabay') };
  if (/wikimedia|wikipedia/i.test(all)) return { platform: 'Wikimedia Commons' };
  if (/\bflickr\b/i.test(all)) return { platform: 'Flickr' };
  return undefined;
}

export type Verdict = 'compatible' | 'incompatible' | 'unknown';

export interface Compatibility {
  readonly verdict: Verdict;
  /** Why, for a message: "NonCommercial forbids …". */
  readonly reason: string;
}

const publicDomainIds = new Set([
  'CC0-1.0',
  'CC-PDM-1.0',
  'CC-PDDC',
  'PDDL-1.0',
  'Unlicense',
  namedLicenses.publicDomain,
]);
const permissive =
  /^(?:MIT(?:-0)?|X11|ISC|0BSD|Zlib|BSD-[0-9]-Clause(?:-[A-Za-z]+)?|Apache-2\.0|Apache-1\.1|BSL-1\.0|OFL-1\.1|Artistic-2\.0)$/;
const copyleft = /^(?:A?GPL|LGPL|GFDL|MPL|EPL|EUPL|CECILL|OSL|FAL)/;

/**
 * May material under `material` be republished as part of a site under
 * `site`? `allow` lists ids the site accepts anyway (its configuration).
 */
export function compatibility(
  material: License | undefined,
  site: string,
  allow: readonly string[] = [],
): Compatibility {
  // A site that states no license: nothing to be compatible with (license-incompatible stays silent).
  if (site === '')
    return {
      verdict: 'unknown',
      reason:
        "the site's license is unknown (set `site.license` in .msolrc.json, add a LICENSE file, or state it on the home page)",
    };
  if (!material || material.kind === 'unknown') {
    return {
      verdict: 'unknown',
      reason: material ? `the license "${material.raw.trim()}" could not be identified` : 'no license is stated',
    };
  }
  if (allow.includes(material.id))
    return {
      verdict: 'compatible',
      reason: `${material.name} is accepted by the site's configuration (\`license-incompatible\` option \`allow\`)`,
    };
  if (isExpression(material.id)) return expressionCompatibility(material.id, site, allow);
  return idCompatibility(material.id, site);
}

function expressionCompatibility(expression: string, site: string, allow: readonly string[]): Compatibility {
  type Node = spdxParse.Info;
  const walk = (n: Node): Compatibility => {
    if ('license' in n)
      return allow.includes(n.license)
        ? { verdict: 'compatible', reason: `${n.license} is accepted by the site's configuration` }
        : idCompatibility(n.license, site);
    const l = walk(n.left);
    const r = walk(n.right);
    const rank = { compatible: 2, unknown: 1, incompatible: 0 } as const;
    if (n.conjunction === 'or') return rank[l.verdict] >= rank[r.verdict] ? l : r;
    return rank[l.verdict] <= rank[r.verdict] ? l : r;
  };
  try {
    return walk(spdxParse(expression));
  } catch {
    return { verdict: 'unknown', reason: `the expression "${expression}" could not be read` };
  }
}

function idCompatibility(id: string, site: string): Compatibility {
  const name = licenseName(id);
  if (id === site) return { verdict: 'compatible', reason: `${name} is the site's own license` };
  const siteCc = ccParts(site);
  const sitePd = publicDomainIds.has(site);
  const sa = siteCc?.elements.has('SA')
    ? ` ShareAlike requires the site's pages, and every derivative of them, to be shareable under ${licenseName(site)}.`
    : '';
  if (publicDomainIds.has(id))
    return { verdict: 'compatible', reason: `${name}: anyone may reuse it without conditions` };
  switch (id) {
    case namedLicenses.unsplash:
    case namedLicenses.pexels:
    case namedLicenses.pixabay:
      return {
        verdict: 'incompatible',
        reason: `${name} is not a Creative Commons license: it allows use but not relicensing, and forbids selling unaltered copies and compiling the photos into a similar service, so the site cannot pass it on under ${licenseName(site)}.${sa}`,
      };
    case namedLicenses.allRightsReserved:
      return {
        verdict: 'incompatible',
        reason: `all rights are reserved: the site may not republish it under ${licenseName(site)} without the owner releasing it under a compatible license.${sa}`,
      };
    case namedLicenses.permission:
      return {
        verdict: 'incompatible',
        reason: `a permission covers this site only, not the people who reuse the site under ${licenseName(site)}; ask for a compatible license or mark the material as excluded from the site's license.${sa}`,
      };
    case namedLicenses.fairUse:
      return {
        verdict: 'incompatible',
        reason: `fair use lets this site quote it, but gives no rights to the people who reuse the site under ${licenseName(site)}.${sa}`,
      };
    default:
      break;
  }
  const cc = ccParts(id);
  if (cc) {
    if (sitePd)
      return {
        verdict: 'incompatible',
        reason: `${name} requires credit, but the site dedicates everything to the public domain`,
      };
    if (!siteCc)
      return {
        verdict: 'unknown',
        reason: `there is no rule for ${name} material on a site under ${licenseName(site)}`,
      };
    if (cc.elements.has('NC') && !siteCc.elements.has('NC')) {
      return {
        verdict: 'incompatible',
        reason: `${name} is NonCommercial, but ${licenseName(site)} lets anyone use the site's content commercially.${sa}`,
      };
    }
    if (cc.elements.has('ND')) {
      return {
        verdict: 'incompatible',
        reason: `${name} is NoDerivatives, but ${licenseName(site)} lets anyone adapt the site's content.${sa}`,
      };
    }
    if (cc.elements.has('SA')) {
      if (!siteCc.elements.has('SA') || siteCc.elements.has('NC') !== cc.elements.has('NC')) {
        return {
          verdict: 'incompatible',
          reason: `${name} is ShareAlike: adaptations must stay under ${licenseName(id).replace(/ \d\.\d.*$/, '')}, but the site publishes under ${licenseName(site)}`,
        };
      }
      if (cc.version === '1.0' && siteCc.version !== '1.0') {
        return {
          verdict: 'incompatible',
          reason: `${name} allows adaptations only under version 1.0, but the site publishes under ${licenseName(site)}`,
        };
      }
      return {
        verdict: 'compatible',
        reason: `${name} is ShareAlike like the site's ${licenseName(site)}; adaptations may be shared under the later version`,
      };
    }
    return {
      verdict: 'compatible',
      reason: `${name} allows adaptation and sharing under ${licenseName(site)}, with credit`,
    };
  }
  if (permissive.test(id)) {
    return sitePd
      ? {
          verdict: 'incompatible',
          reason: `${name} requires its notice to be kept, but the site dedicates everything to the public domain`,
        }
      : {
          verdict: 'compatible',
          reason: `${name} is permissive: it may be shared under ${licenseName(site)} with its notice`,
        };
  }
  if (copyleft.test(id)) {
    return {
      verdict: 'incompatible',
      reason: `${name} is copyleft with terms of its own: derivatives must stay under ${name}, not under ${licenseName(site)}.${sa}`,
    };
  }
  if (id.startsWith('LicenseRef-')) return { verdict: 'unknown', reason: `${name} is not a license the checks know` };
  return { verdict: 'unknown', reason: `there is no rule for ${name} material on a site under ${licenseName(site)}` };
}
