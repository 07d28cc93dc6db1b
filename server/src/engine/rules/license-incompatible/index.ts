import { defineRule } from '../define';
import { labelled, message } from '../../message';
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
    description:
      'Material is credited under a license the site may not republish under CC-BY-SA (NC, ND, all rights reserved, the Unsplash License, …).',
    fixable: false,
  },
  {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allow: {
          type: 'array',
          items: { type: 'string' },
          description:
            'License ids accepted anyway (e.g. `LicenseRef-Permission` when the site excludes such material from its license).',
        },
      },
    },
    defaults: { allow: [] as readonly string[] },
  },
  ({ path, index }, report, { allow }) => {
    const site = siteAttribution(index);
    const siteName = licenseName(site.license);
    for (const a of assessPage(index, path, allow)) {
      if (!a.thirdParty || a.compatibility.verdict !== 'incompatible') continue;
      const what = a.license ? a.license.name : '© and no license';
      const implied = a.license && a.licenseImplied ? `"On ${a.credit.platform}" implies ${a.license.name}. ` : '';
      report(
        a.span,
        message`Unexpected ${labelled(itemLabel(a))} under ${what}, expected one compatible with ${siteName}`,
        {
          note: `${implied}${sentence(a.compatibility.reason)}`,
        },
      );
    }
    const own = pageLicense(index, path);
    if (own.license && own.from !== 'site' && own.span) {
      const c = compatibility(own.license, site.license, allow);
      if (c.verdict === 'incompatible') {
        report(
          own.span,
          message`Unexpected page license ${own.license.name} (${own.from === 'front-matter' ? 'front matter' : 'statement on the page'}), expected one compatible with ${siteName}`,
          {
            note: sentence(c.reason),
          },
        );
      }
    }
  },
);

/** A reason as a sentence of its own: capitalised, with a full stop. */
function sentence(reason: string): string {
  const s = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
