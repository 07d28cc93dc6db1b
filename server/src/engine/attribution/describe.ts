import { basename } from '../paths';
import type { Assessment } from './assess';
import { originLabel } from './assess';
import type { CreditPart } from './credit';

/** Words for findings, hovers and reports. */

export function itemLabel(a: Assessment): string {
  const item = a.item;
  if (item.kind === 'image') {
    const name = /^(?:https?:)?\/\//i.test(item.url) ? item.url : basename(a.key ?? item.url);
    return `image \`${name.length > 80 ? name.slice(0, 77) + '…' : name}\``;
  }
  if (item.kind === 'quote') return `block quote of ${item.words} words`;
  // "page adapted from `Case Clinic recipe`": a note at the top or bottom speaks for the whole page.
  const original = a.credit.title ?? a.credit.source;
  const how = /adapt/i.test(item.phrase) ? 'adapted from' : item.phrase.toLowerCase().replace(/\s+/g, ' ');
  return `${item.page ? 'page' : 'passage'} ${how}${original ? ` \`${original}\`` : ''}`;
}

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "Source (a link to the work) and License (not stated; "on Unsplash" implies the Unsplash License)". */
export function describeMissing(a: Assessment): string {
  return joinWords(
    a.missing.map((p: CreditPart) => {
      if (p === 'Source') return 'Source (a link to the work)';
      if (p === 'License' && a.licenseImplied && a.license)
        return `License (not stated; "on ${a.credit.platform ?? 'the platform'}" implies ${a.license.name})`;
      return p;
    }),
  );
}

/** Where the credit was read from: "alt text only", "credit line". */
export function creditWhere(a: Assessment): string {
  const origins = [...new Set(a.credits.map((c) => c.origin))];
  if (origins.length === 1 && origins[0] === 'alt') return 'alt text only, which most readers never see';
  return origins.map(originLabel).join(' and ');
}

export function quoteText(s: string, max = 90): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return `"${t.length > max ? t.slice(0, max - 1) + '…' : t}"`;
}
