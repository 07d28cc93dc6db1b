import { defineRule } from '../define';
import { message, said, words } from '../../message';
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
    description:
      "The home page's license statement is missing, has no link to the license, or links another license than the configured one.",
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
      report(
        at,
        message`Unexpected home page without a license statement, expected one linking ${words(name)} and naming the default author`,
        {
          note: `Readers may reuse the site only under a license it states. Write a sentence that links the site's license, ${name}${url ? ` (${url})` : ''}, and names the default author, ${site.defaultAuthor}.`,
          suggestions: [
            {
              title: 'Add a license statement at the end of the home page',
              edits: [{ start: end, end: end, newText: `${end > 0 ? '\n' : ''}## About this site\n\n${statement}\n` }],
            },
          ],
        },
      );
      return;
    }
    const configured = site.licenseFrom === 'config';
    if (!st.linked) {
      report(
        st.span,
        message`Unexpected license statement without a link to the license, expected a link to ${words(url ?? name)}`,
        {
          note: 'A link to the license deed tells readers exactly which license applies and what it allows.',
        },
      );
    } else if (configured && st.linked.id !== site.license) {
      const span = st.linkUrlSpan ?? st.span;
      report(
        span,
        message`Unexpected link to ${words(st.linked.name)} in the home page's license statement, expected ${words(name)} (\`site.license\`)`,
        {
          note: `The site's license is ${name}, as configured in .msolrc.json (\`site.license\`): the home page's statement links it.`,
          ...(url && st.linkUrlSpan
            ? {
                suggestions: [
                  {
                    title: `Link ${name}`,
                    edits: [{ start: st.linkUrlSpan.start, end: st.linkUrlSpan.end, newText: url }],
                  },
                ],
              }
            : {}),
        },
      );
    } else if (
      st.named &&
      st.named.kind !== 'unknown' &&
      family(st.named.id) !== family(st.linked.id) &&
      !ccParts(st.named.id)?.elements.has('SA') === !!ccParts(st.linked.id)?.elements.has('SA')
    ) {
      report(
        st.span,
        message`Unexpected license statement naming ${words(st.named.name)} but linking ${words(st.linked.name)}, expected the words and the link to agree`,
      );
    } else if (st.named && st.named.kind !== 'unknown' && family(st.named.id) !== family(st.linked.id)) {
      report(
        st.span,
        message`Unexpected license statement naming ${words(st.named.name)} but linking ${words(st.linked.name)}, expected the words and the link to agree`,
      );
    }
    if (
      site.authorFrom === 'config' &&
      st.defaultAuthor &&
      !sameAuthor(st.defaultAuthor.name, config.site.defaultAuthor, config)
    ) {
      report(
        st.defaultAuthor.span,
        message`Unexpected default author ${said(st.defaultAuthor.name)} in the license statement, expected ${words(config.site.defaultAuthor)} (\`site.defaultAuthor\`)`,
        {
          note: `The site's default author is ${config.site.defaultAuthor}, as configured in .msolrc.json (\`site.defaultAuthor\`): pages without a declared author are credited to them.`,
          suggestions: [
            {
              title: `Replace with ${config.site.defaultAuthor}`,
              edits: [
                {
                  start: st.defaultAuthor.span.start,
                  end: st.defaultAuthor.span.end,
                  newText: config.site.defaultAuthor,
                },
              ],
            },
          ],
        },
      );
    }
  },
);
