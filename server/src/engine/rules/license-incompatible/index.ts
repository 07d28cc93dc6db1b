import { defineRule } from '../define';
import { assessPage, pageLicense } from '../../attribution/assess';
import { itemLabel } from '../../attribution/describe';
import { compatibility, licenseName } from '../../attribution/license';
import { siteAttribution } from '../../attribution/site';

/**
 * Material credited under a license the site may not republish under its
 * own (CC-BY-SA-4.0): NonCommercial, NoDerivatives, all rights reserved, the
 * Unsplash License, an unidentified license on a copyrighted work. See docs.md.
 */
export default defineRule(
  {
    id: 'license-incompatible',
    category: 'attribution',
    scope: 'workspace',
    defaultSeverity: 'error',
    description: 'Material is credited under a license the site may not republish under CC-BY-SA (NC, ND, all rights reserved, the Unsplash License, …).',
    fixable: false,
  },
  {
    schema: { type: 'object', additionalProperties: false, properties: { allow: { type: 'array', items: { type: 'string' }, description: 'License ids accepted anyway (e.g. `LicenseRef-Permission` when the site excludes such material from its license).' } } },
    defaults: { allow: [] as readonly string[] },
  },
  ({ path, index }, report, { allow }) => {
    const site = siteAttribution(index);
    const siteName = licenseName(site.license);
    for (const a of assessPage(index, path, allow)) {
      if (!a.thirdParty || a.compatibility.verdict !== 'incompatible') continue;
      const what = a.license ? `${a.license.name}${a.licenseImplied ? ` (implied by "on ${a.credit.platform}")` : ''}` : 'a copyright claim and no license';
      report(a.span, `Unexpected ${itemLabel(a)} under ${what}, expected a license compatible with the site's ${siteName}: ${a.compatibility.reason}`);
    }
    const own = pageLicense(index, path);
    if (own.license && own.from !== 'site' && own.span) {
      const c = compatibility(own.license, site.license, allow);
      if (c.verdict === 'incompatible') report(own.span, `Unexpected page license ${own.license.name} (${own.from === 'front-matter' ? 'front matter' : 'statement on the page'}), expected a license compatible with the site's ${siteName}: ${c.reason}`);
    }
  },
);
