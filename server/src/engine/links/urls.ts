import type { Reference } from '../facts';
import { encodeLinkPath } from '../workspace';
import { safeDecodeUri, unescapeMarkdown } from '../text';

/** Kinds of reference that lead a reader to a page (not images or embeds). */
export const pageLinkKinds: ReadonlySet<Reference['kind']> = new Set([
  'link',
  'definition',
  'html-link',
  'content-ref',
  'page-ref',
]);

/** Whether the destination is written in a place where spaces are fine as they are (HTML, GitBook tags, `<…>`). */
export function keepsSpaces(ref: Reference): boolean {
  return (
    ref.kind === 'html-img' ||
    ref.kind === 'html-link' ||
    ref.kind === 'content-ref' ||
    ref.kind === 'file' ||
    ref.kind === 'page-ref' ||
    /\s/.test(ref.rawUrl)
  );
}

/** A site-relative path written the way this reference writes paths. */
export function styledPath(ref: Reference, path: string): string {
  return keepsSpaces(ref) ? path : encodeLinkPath(path);
}

/** Where the fragment stands in the source (after `#`), or undefined. */
export function fragmentSpanOf(ref: Reference): { start: number; end: number } | undefined {
  const hash = ref.rawUrl.indexOf('#');
  return hash < 0 ? undefined : { start: ref.urlSpan.start + hash + 1, end: ref.urlSpan.end };
}

/**
 * The new path written in the reference's style. When the file keeps its
 * name, its last segment stays exactly as the author wrote it
 * (`circle%20(1).png` is not re-encoded); only the folders change.
 */
export function writePathLike(ref: Reference, rawPath: string, newPath: string, sameName: boolean): string {
  const trailing = rawPath.endsWith('/') && newPath.endsWith('/') ? '/' : '';
  const rawTrim = rawPath.replace(/\/+$/, '');
  const newTrim = newPath.replace(/\/+$/, '');
  const rawLast = rawTrim.slice(rawTrim.lastIndexOf('/') + 1);
  const newLast = newTrim.slice(newTrim.lastIndexOf('/') + 1);
  // GitBook escapes `_` in paths (`heretic-\_sassetta.jpg`): what is written fresh follows the author's habit.
  const habit = (p: string) => (rawPath.includes('\\_') ? p.replace(/(?<!\\)_/g, '\\_') : p);
  if (
    !sameName ||
    rawLast === '' ||
    rawLast === '.' ||
    rawLast === '..' ||
    safeDecodeUri(unescapeMarkdown(rawLast)) !== newLast
  )
    return habit(styledPath(ref, newPath));
  const dir = newTrim.slice(0, newTrim.length - newLast.length);
  return habit(styledPath(ref, dir)) + rawLast + trailing;
}
