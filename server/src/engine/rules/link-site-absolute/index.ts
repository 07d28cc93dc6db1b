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
    description: "A link to the site's own published URL where a relative link to the page's file works (and is checked).",
    fixable: true,
  },
  { defaults: {} },
  ({ path, facts, index, config }, report) => {
    for (const ref of facts.references) {
      // An embed needs a full URL.
      if (ref.kind === 'embed') continue;
      // Most references are local: parseSiteUrl turns them away at once. A link that shows the address as its text is a deliberate display of it, like an autolink.
      const site = parseSiteUrl(ref.url, config.site.url);
      if (!site || showsAddress(ref, config.site.url)) continue;
      const fragment = site.rawFragment !== undefined ? `#${site.rawFragment}` : '';
      const file = fileForSitePath(index, site.path);
      if (file !== undefined) {
        const newUrl = file === path ? (fragment || basename(path)) : styledPath(ref, relativePath(dirname(path), file)) + fragment;
        report(ref.urlSpan, message`Unexpected absolute link ${code(ref.rawUrl)} to this site, expected ${kept(code(newUrl))}`, {
          note: `\`${newUrl}\` is the same page. A relative link works in previews and forks, survives moves, and is checked; a link to the published site works only there, and only while the page keeps its URL.`,
          fix: { title: `Link to ${newUrl}`, edits: [{ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: newUrl }] },
        });
        continue;
      }
      const similar = similarSitePages(index, site.path).filter((p) => p !== path).slice(0, 3);
      const suggestions = similar.map((p) => {
        const newUrl = styledPath(ref, relativePath(dirname(path), p)) + fragment;
        return { title: `Link to ${newUrl}`, edits: [{ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: newUrl }] };
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

/** Whether a link's text is its own address (`[https://www.microsolidarity.cc](https://www.microsolidarity.cc)`). */
function showsAddress(ref: Reference, siteUrl: string): boolean {
  const text = (ref.text ?? '').trim().replace(/\\(.)/g, '$1');
  if (!text) return false;
  const pattern = addressPatternOf(siteUrl);
  return pattern !== undefined && pattern.test(text);
}

let addressPattern: { readonly siteUrl: string; readonly pattern: RegExp | undefined } | undefined;

/** The site's address as a link text may show it (any scheme, with or without `www.`); undefined without a host. Kept for the last site URL. */
function addressPatternOf(siteUrl: string): RegExp | undefined {
  if (addressPattern?.siteUrl === siteUrl) return addressPattern.pattern;
  let host = '';
  try {
    host = new URL(siteUrl).hostname.replace(/^www\./i, '');
  } catch {
    // no host: nothing shows it
  }
  const pattern = host === '' ? undefined : new RegExp(`^(?:https?://)?(?:www\\.)?${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[/?#]|$)`, 'i');
  addressPattern = { siteUrl, pattern };
  return pattern;
}
