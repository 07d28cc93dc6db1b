import { defineRule } from '../define';
import { ccParts, licenseName, licenseUrl } from '../../attribution/license';
import { sameAuthor, siteAttribution } from '../../attribution/site';

/**
 * The home page must say under which license the site is published, and
 * link that license: the one configured (`site.license`). See docs.md.
 */

function family(id: string): string {
  const cc = ccParts(id);
  return cc ? id.replace(/-\d\.\d.*$/, '') : id;
}

export default defineRule(
  {
    id: 'site-license-notice',
    category: 'attribution',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description: "The home page's license statement is missing, has no link to the license, or links another license than the configured one.",
    fixable: false,
  },
  { defaults: {} },
  ({ path, facts, index, config }, report) => {
    if (path !== index.readmePath) return;
    const site = siteAttribution(index);
    // A site that says nothing of its license anywhere: there is no license to ask the home page to state.
    if (site.license === '') return;
    const name = licenseName(site.license);
    const url = licenseUrl(site.license);
    const st = site.statement;
    // A LICENSE file (or book.toml) states the license for the whole repository: a home page without a statement is fine there.
    if (!st && site.licenseFrom === 'site files') return;
    if (!st) {
      const at = facts.headings[0]?.span ?? { start: 0, end: 0 };
      const end = facts.lineStarts.length ? (facts.lineStarts[facts.lineStarts.length - 1] ?? 0) : 0;
      const statement = `All the content on this site is published with a [${name}](${url ?? site.license}) license. So please use it however you like without asking permission: just give credit${ccParts(site.license)?.elements.has('SA') ? ', and use the same license for derivative works' : ''}. Unless stated otherwise, assume the author is ${site.defaultAuthor}.`;
      report(at, `Unexpected home page without a license statement, expected a sentence that links the site's license ${name}${url ? ` (${url})` : ''} and names the default author`, {
        suggestions: [{ title: 'Add a license statement at the end of the home page', edits: [{ start: end, end: end, newText: `${end > 0 ? '\n' : ''}## About this site\n\n${statement}\n` }] }],
      });
      return;
    }
    const configured = site.licenseFrom === 'config';
    if (!st.linked) {
      report(st.span, `Unexpected license statement without a link to the license, expected a link to ${url ?? name}`);
    } else if (configured && st.linked.id !== site.license) {
      const span = st.linkUrlSpan ?? st.span;
      report(span, `Unexpected link to ${st.linked.name} in the home page's license statement, expected ${name} as configured in .msolrc.json (\`site.license\`)`, {
        ...(url && st.linkUrlSpan ? { suggestions: [{ title: `Link ${name}`, edits: [{ start: st.linkUrlSpan.start, end: st.linkUrlSpan.end, newText: url }] }] } : {}),
      });
    } else if (st.named && st.named.kind !== 'unknown' && family(st.named.id) !== family(st.linked.id) && !ccParts(st.named.id)?.elements.has('SA') === !!ccParts(st.linked.id)?.elements.has('SA')) {
      report(st.span, `Unexpected license statement whose words name ${st.named.name} but whose link points at ${st.linked.name}, expected the words and the link to agree`);
    } else if (st.named && st.named.kind !== 'unknown' && family(st.named.id) !== family(st.linked.id)) {
      report(st.span, `Unexpected license statement whose words name ${st.named.name} but whose link points at ${st.linked.name}, expected the words and the link to agree`);
    }
    if (site.authorFrom === 'config' && st.defaultAuthor && !sameAuthor(st.defaultAuthor.name, config.site.defaultAuthor, config)) {
      report(st.defaultAuthor.span, `Unexpected default author "${st.defaultAuthor.name}" in the home page's license statement, expected ${config.site.defaultAuthor} as configured in .msolrc.json (\`site.defaultAuthor\`)`, {
        suggestions: [{ title: `Replace with ${config.site.defaultAuthor}`, edits: [{ start: st.defaultAuthor.span.start, end: st.defaultAuthor.span.end, newText: config.site.defaultAuthor }] }],
      });
    }
  },
);
