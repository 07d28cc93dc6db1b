import type { Span } from '../types';
import { editDistance, unescapeMarkdown } from '../text';

/**
 * GitBook's template tags (`{% hint style="info" %}` … `{% endhint %}`) are
 * plain text to CommonMark. This layer finds them in the source, outside code
 * and comments, and pairs them into blocks. It never throws: malformed input
 * becomes problems for the gitbook-block rules to report.
 */

export interface GitbookTag {
  /** Tag name without `end` (`hint` for both `{% hint %}` and `{% endhint %}`). */
  readonly name: string;
  readonly closing: boolean;
  readonly attributes: Readonly<Record<string, GitbookAttribute>>;
  /** The first bare string argument, as in `{% include "x.md" %}`. */
  readonly argument?: string;
  readonly span: Span;
}

export interface GitbookAttribute {
  /** Unescaped value. */
  readonly value: string;
  /** Where the value's text stands in the source, without the quotes. */
  readonly span: Span;
}

export interface GitbookBlock {
  readonly open: GitbookTag;
  readonly close?: GitbookTag;
}

export type GitbookProblem =
  | { readonly kind: 'unclosed'; readonly tag: GitbookTag }
  | { readonly kind: 'unopened'; readonly tag: GitbookTag }
  | { readonly kind: 'unknown-tag'; readonly tag: GitbookTag; readonly suggestion?: string };

export interface GitbookLayer {
  readonly tags: readonly GitbookTag[];
  readonly blocks: readonly GitbookBlock[];
  readonly problems: readonly GitbookProblem[];
}

/** Tags that must be closed. */
export const pairedTags: ReadonlySet<string> = new Set([
  'hint',
  'tabs',
  'tab',
  'content-ref',
  'code',
  'stepper',
  'step',
  'columns',
  'column',
  'updates',
  'update',
  'swagger',
  'api-method',
]);
/** Tags that may carry a caption and an end tag, or stand alone. */
export const optionallyPairedTags: ReadonlySet<string> = new Set(['embed', 'file']);
/** Tags that never close. */
export const singleTags: ReadonlySet<string> = new Set([
  'page-ref',
  'include',
  'raw',
  'endraw',
  'openapi',
  'api-method-summary',
]);
export const knownTags: readonly string[] = [...pairedTags, ...optionallyPairedTags, ...singleTags];

const tagPattern = /\{%-?\s*(end)?([A-Za-z][\w-]*)((?:[^%]|%(?!\}))*)-?%\}/g;
const attributePattern = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s"'%]+))/g;
const bareStringPattern = /^\s*(?:"([^"]*)"|'([^']*)')/;

function insideAny(offset: number, excluded: readonly Span[]): boolean {
  // excluded is sorted by start; binary search for the last span starting at or before offset.
  let low = 0;
  let high = excluded.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (excluded[mid]!.start <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found >= 0 && offset < excluded[found]!.end;
}

export function scanGitbook(text: string, excluded: readonly Span[]): GitbookLayer {
  const tags: GitbookTag[] = [];
  if (!text.includes('{%')) return { tags, blocks: [], problems: [] };
  tagPattern.lastIndex = 0;
  for (let m = tagPattern.exec(text); m; m = tagPattern.exec(text)) {
    if (insideAny(m.index, excluded)) continue;
    const body = m[3] ?? '';
    const bodyStart = m.index + m[0].indexOf(body, 2 + (m[1]?.length ?? 0) + m[2]!.length);
    const attributes: Record<string, GitbookAttribute> = {};
    attributePattern.lastIndex = 0;
    for (let a = attributePattern.exec(body); a; a = attributePattern.exec(body)) {
      const raw = a[2] ?? a[3] ?? a[4] ?? '';
      const valueOffset = bodyStart + a.index + a[0].length - raw.length - (a[4] === undefined ? 1 : 0);
      attributes[a[1]!.toLowerCase()] = {
        value: unescapeMarkdown(raw),
        span: { start: valueOffset, end: valueOffset + raw.length },
      };
    }
    const bare = bareStringPattern.exec(body);
    const tag: GitbookTag = {
      name: m[2]!.toLowerCase(),
      closing: m[1] !== undefined,
      attributes,
      span: { start: m.index, end: m.index + m[0].length },
      ...(bare ? { argument: bare[1] ?? bare[2] ?? '' } : {}),
    };
    tags.push(tag);
  }
  return pairTags(tags);
}

function pairTags(tags: GitbookTag[]): GitbookLayer {
  const blocks: GitbookBlock[] = [];
  const problems: GitbookProblem[] = [];
  const stack: GitbookTag[] = [];
  const optionalOpen: GitbookTag[] = [];
  for (const tag of tags) {
    const known = pairedTags.has(tag.name) || optionallyPairedTags.has(tag.name) || singleTags.has(tag.name);
    if (!known) {
      const suggestion = closestTag(tag.name);
      problems.push({ kind: 'unknown-tag', tag, ...(suggestion ? { suggestion } : {}) });
      continue;
    }
    if (optionallyPairedTags.has(tag.name)) {
      if (!tag.closing) optionalOpen.push(tag);
      else {
        const i = optionalOpen.map((t) => t.name).lastIndexOf(tag.name);
        if (i < 0) problems.push({ kind: 'unopened', tag });
        else {
          const [open] = optionalOpen.splice(i, 1);
          blocks.push({ open: open!, close: tag });
        }
      }
      continue;
    }
    if (singleTags.has(tag.name)) {
      blocks.push({ open: tag });
      continue;
    }
    if (!tag.closing) {
      stack.push(tag);
      continue;
    }
    const at = stack.map((t) => t.name).lastIndexOf(tag.name);
    if (at < 0) {
      problems.push({ kind: 'unopened', tag });
      continue;
    }
    while (stack.length - 1 > at) problems.push({ kind: 'unclosed', tag: stack.pop()! });
    blocks.push({ open: stack.pop()!, close: tag });
  }
  for (const open of stack) problems.push({ kind: 'unclosed', tag: open });
  for (const open of optionalOpen) blocks.push({ open });
  blocks.sort((a, b) => a.open.span.start - b.open.span.start);
  problems.sort((a, b) => a.tag.span.start - b.tag.span.start);
  return { tags, blocks, problems };
}

function closestTag(name: string): string | undefined {
  let best: string | undefined;
  let bestScore = 3;
  for (const known of knownTags) {
    const d = editDistance(name, known, 2);
    if (d < bestScore) {
      best = known;
      bestScore = d;
    }
  }
  return best;
}
