import { defineRule } from '../define';
import type { Reference } from '../../facts';
import { dirname, relativePath } from '../../paths';
import { writePathLike } from '../../links/urls';
import { findMovedTarget, type MoveEvidence } from '../../links/moved';
import { code, kept, message } from '../../message';

const evidenceText: Record<MoveEvidence, string> = {
  renamed: 'the file was renamed, says the history',
  'page-moved': 'this page was moved, and the link was written from its old folder',
  moved: 'the file was moved there',
  similar: 'it has a similar name',
  'same-content': 'the file holding what it showed when the link last worked, says the history',
};

/**
 * A local link, image, HTML `img src`, `content-ref`, `file src` or SUMMARY.md
 * entry whose file does not exist. See docs.md.
 */
export default defineRule(
  {
    id: 'link-missing-file',
    category: 'links',
    scope: 'workspace',
    defaultSeverity: 'error',
    description:
      'A local link, image, `<img src>`, `content-ref` or SUMMARY.md entry points at a file that does not exist.',
    fixable: true,
  },
  { defaults: {} },
  ({ path, facts, index }, report) => {
    for (const ref of facts.references) {
      const res = index.resolve(path, ref.url);
      if (res.kind === 'external') continue;
      const what = describe(ref);
      if (res.kind === 'outside') {
        report(
          ref.urlSpan,
          message`Unexpected ${what} ${code(ref.url)} that leaves the site, expected a path inside the site folder`,
          {
            note: 'The site is published from its folder alone: a file above it is not part of the site, and msol does not read it.',
          },
        );
        continue;
      }
      if (res.exists === 'file' || res.exists === 'directory-readme') continue;
      if (res.exists === 'directory') {
        report(
          ref.urlSpan,
          message`Unexpected ${what} to folder ${code(res.target.path)} without a README.md, expected a page or a folder holding README.md`,
          {
            note: 'GitBook serves a folder by its README.md; without one, the link leads nowhere.',
          },
        );
        continue;
      }
      const isFolderLink = /\/$/.test(res.target.path);
      const moved = findMovedTarget(index, path, facts, ref, res.path, isFolderLink);
      const fixes = moved.candidates.slice(0, 3).map((c) => {
        const newUrl = rewriteUrl(ref, relativePath(dirname(path), c) + (isFolderLink ? '/' : ''));
        return {
          title: `Point the link at ${newUrl}`,
          edits: [{ start: ref.urlSpan.start, end: ref.urlSpan.end, newText: newUrl }],
        };
      });
      const candidate = fixes[0] && moved.evidence ? fixes[0].edits[0]!.newText : undefined;
      // Name the file the link really resolves to when it differs from what is written ("articles/x.md" from crewing/).
      const resolved =
        res.path !== res.target.path.replace(/^\.\//, '') ? ` is \`${res.path}\` in the site, and it` : '';
      const note = `\`${res.target.path}\`${resolved} does not exist${candidate && moved.evidence ? `. \`${candidate}\` may be the file meant: ${evidenceText[moved.evidence]}` : ''}.`;
      const text = !candidate
        ? message`Unexpected ${what} to missing file ${code(res.target.path)}, expected an existing file`
        : moved.certain
          ? message`Unexpected ${what} to missing file ${code(res.target.path)}, expected ${kept(code(candidate))}`
          : message`Unexpected ${what} to missing file ${code(res.target.path)}, expected an existing file, maybe ${kept(code(candidate))}`;
      report(ref.urlSpan, text, {
        note,
        // Only an unambiguous candidate is safe for --fix; the others become suggestions.
        ...(moved.certain && fixes[0] ? { fix: fixes[0] } : {}),
        ...(fixes.length > (moved.certain ? 1 : 0) ? { suggestions: moved.certain ? fixes.slice(1) : fixes } : {}),
      });
    }
  },
);

function describe(ref: Reference): string {
  switch (ref.kind) {
    case 'image':
      return 'image';
    case 'html-img':
      return '`<img src>`';
    case 'html-link':
      return '`<a href>`';
    case 'content-ref':
      return '`content-ref`';
    case 'file':
      return '`file src`';
    case 'page-ref':
      return '`page-ref`';
    case 'definition':
      return 'link definition';
    default:
      return 'link';
  }
}

/**
 * The new destination text in the style the author used: HTML attributes,
 * GitBook tags and destinations already written with spaces keep spaces;
 * other Markdown destinations are percent-encoded. Fragment and query stay.
 */
export function rewriteUrl(ref: Reference, newPath: string): string {
  const raw = ref.rawUrl;
  const cut = raw.search(/[?#]/);
  const tail = cut < 0 ? '' : raw.slice(cut);
  const prefix = raw.startsWith('./') && !newPath.startsWith('../') ? './' : '';
  // A file that kept its name keeps the author's spelling of it (`%20`, `\(`, `\_`).
  return prefix + writePathLike(ref, cut < 0 ? raw : raw.slice(0, cut), newPath, true) + tail;
}
