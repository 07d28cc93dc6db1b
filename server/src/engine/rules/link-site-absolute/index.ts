import { defineRule } from '../define';
import type { Reference } from '../../facts';
import { basename, dirname, relativePath } from '../../paths';
import { fileForSitePath, parseSiteUrl, similarSitePages } from '../../links/siteUrl';
import { styledPath } from '../../links/urls';
import { code, kept, message } from '../../message';

/**
 * A link to the site's own published URL (`https://www.microsolidarity.cc/articles/proposal`)
 * where a relative link to the page's file works. See docs.md.
 */
export default defineRule(
  {
    id: 'link-site-absolute',
    category: 'links',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description:
      "A link to the site's own published URL where a relative link to the page's file works (and is checked).",
    fixable: true,
  },
  { defaults: {} },
  ({ path, facts, index, config }, report) => {
    for (const ref of facts.references) {
      // An embed needs a full URL.
      if (ref.kind === 'embed') continue;
      // Most references are local: parseSiteUrl turns them away at once.
      const site = parseSiteUrl(ref.url, config.site.url);
      if (!site) continue;
      const fragment = site.rawFragment !== undefined ? `#${site.rawFragment}` : '';
      const file = fileForSitePath(index, site.path);
      // A link whose text is its own address shows the address on purpose, like an autolink: it keeps it, unless no page serves it.
      if (file !== undefined && showsOwnAddress(ref)) continue;
      if (file !== undefined) {
        const newUrl =
          file === path ? fragment || basename(path) : styledPath(ref, relativePath(dirname(path), file)) + fragment;
        report(
          ref.urlSpan,
          message`Unexpected absolute link ${code(ref.rawUrl)} to this site, expected ${kept(code(newUrl))}`,
          {
            note: `\`${newUrl}\` is the same page. A relative link works in previews and forks, survives moves, and is checked; a link to the published site works only there, and only while the page keeps its URL.`,
            fix: {
              title: `Link to ${newUrl}`,
              edits: [{ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: newUrl }],
            },
          },
        );
        continue;
      }
      const similar = similarSitePages(index, site.path)
        .filter((p) => p !== path)
        .slice(0, 3);
      const suggestions = similar.map((p) => {
        const newUrl = styledPath(ref, relativePath(dirname(path), p)) + fragment;
        return {
          title: `Link to ${newUrl}`,
          edits: [{ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: newUrl }],
        };
      });
      const text = suggestions[0]
        ? message`Unexpected link ${code(ref.rawUrl)} to no page of this site, expected an existing page such as ${kept(code(suggestions[0].edits[0]!.newText))}`
        : message`Unexpected link ${code(ref.rawUrl)} to no page of this site, expected a link to an existing page`;
      report(ref.urlSpan, text, {
        note: `No page of the site is served at \`/${site.path}\`: once published, the link is dead. A relative link to the page's file is checked, and works in previews and forks.`,
        ...(suggestions.length ? { suggestions } : {}),
      });
    }
  },
);

/**
 * Whether a link's text is its own address (`[microsolidarity.cc](http://microsolidarity.cc)`,
 * `[www.example.org/crewing](https://example.org/crewing/)`): the two compared
 * without scheme, `www.`, a trailing slash and the host's case.
 */
function showsOwnAddress(ref: Reference): boolean {
  const text = (ref.text ?? '').trim().replace(/\\(.)/g, '$1');
  return text !== '' && bareAddress(text) === bareAddress(ref.url);
}

function bareAddress(address: string): string {
  const a = address
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^www\./i, '');
  const slash = a.search(/[/?#]/);
  const host = (slash < 0 ? a : a.slice(0, slash)).toLowerCase();
  const rest = slash < 0 ? '' : a.slice(slash);
  return host + rest.replace(/\/+(?=$|[?#])/, '');
}
