import { defineRule } from '../define';
import { code, message, words } from '../../message';
import type { Fix } from '../../types';
import { pageAuthors } from '../../attribution/assess';
import { historyAuthorOf } from '../../attribution/history';
import { pageAttribution } from '../../attribution/page';
import { isDefaultAuthor, siteAttribution } from '../../attribution/site';
import { quoteText } from '../../attribution/describe';

/**
 * A page that shows another author — "Ness Radich … wrote these guidelines"
 * at its top, or (when the host supplies them) commit authors who are all
 * someone else — without declaring an author in front matter or a byline,
 * so it would be credited to the site's default author. See docs.md.
 */
export default defineRule(
  {
    id: 'author-undeclared',
    category: 'attribution',
    scope: 'workspace',
    defaultSeverity: 'warning',
    description:
      'A page whose top paragraph (or history: who wrote most of its lines, when the host knows it) shows another author, without a declared author.',
    fixable: false,
  },
  { defaults: {} },
  ({ path, facts, index }, report) => {
    // The table of contents is GitBook's navigation, not writing: it has no author to declare.
    if (path === index.summaryPath) return;
    // Without a default author no page is credited to the wrong person by default.
    if (siteAttribution(index).defaultAuthor === '') return;
    if (pageAuthors(index, path).from !== 'default') return;
    const page = pageAttribution(facts);
    const site = siteAttribution(index);
    const hint = page.hints.find((h) => !isDefaultAuthor(h.name, index));
    const addAuthor = (name: string): Fix => {
      const value = /[:#'"{}[\],&*?|<>=!%@`]/.test(name) ? JSON.stringify(name) : name;
      if (page.frontMatter) {
        // After the opening `---` line.
        const nl = facts.lineStarts.find((s) => s > page.frontMatter!.start) ?? page.frontMatter.start;
        return {
          title: `Declare “author: ${name}” in the front matter`,
          edits: [{ start: nl, end: nl, newText: `author: ${value}\n` }],
        };
      }
      return {
        title: `Add front matter “author: ${name}”`,
        edits: [{ start: 0, end: 0, newText: `---\nauthor: ${value}\n---\n\n` }],
      };
    };
    if (hint) {
      report(
        hint.span,
        message`Unexpected page by ${words(hint.name)} without a declared author, expected front matter ${code(`author: ${hint.name}`)}`,
        {
          note: `${hint.signed ? `The page is signed ${quoteText(hint.text, 200)} at its end` : `The page says ${quoteText(hint.text, 200)}`}. Declare its author in front matter or with a byline "_Written by ${hint.name}_"; otherwise the page is credited to ${site.defaultAuthor}.`,
          suggestions: [addAuthor(hint.name)],
        },
      );
      return;
    }
    // History: the person who wrote most of the lines that still stand (git blame; moves and imports author nothing).
    const wrote = historyAuthorOf(index, path);
    if (wrote) {
      const at = facts.headings[0]?.span ?? { start: 0, end: 0 };
      report(
        at,
        message`Unexpected page by ${words(wrote.name)} (its history) without a declared author, expected front matter ${code(`author: ${wrote.name}`)}`,
        {
          note: `${wrote.name} wrote ${Math.round(wrote.share * 100)}% of the lines of this page that still stand (commits that only move a page, or import many pages at once, author nothing). Declare who wrote it in front matter (\`author:\`); otherwise the page is credited to ${site.defaultAuthor}.`,
          suggestions: [addAuthor(wrote.name)],
        },
      );
    }
  },
);
