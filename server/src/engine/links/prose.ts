/**
 * Small helpers over a page's source text for the prose-aware link rules.
 */

const listItemStart = /^[ \t]*(?:[*+-]|\d+[.)])[ \t]/;

/**
 * The sentence around a span, as prose: bounded by `.`/`!`/`?` followed by
 * space, a blank line or the start of a list item, at most 400 characters
 * each way. Link destinations, HTML tags and bare URLs are removed so that a
 * URL's own host is not read as prose.
 */
export function sentenceAround(text: string, start: number, end: number): string {
  let i = start;
  const minI = Math.max(0, start - 400);
  while (i > minI) {
    const c = text[i - 1]!;
    if (c === '\n') {
      if (
        text[i - 2] === '\n' ||
        text[i - 2] === '\r' ||
        listItemStart.test(text.slice(i, text.indexOf('\n', i) >>> 0))
      )
        break;
    } else if (/[.!?]/.test(c) && /\s/.test(text[i] ?? '')) break;
    i--;
  }
  let j = end;
  const maxJ = Math.min(text.length, end + 400);
  while (j < maxJ) {
    const c = text[j]!;
    if (
      c === '\n' &&
      (text[j + 1] === '\n' ||
        text[j + 1] === '\r' ||
        listItemStart.test(text.slice(j + 1, text.indexOf('\n', j + 1) >>> 0)))
    )
      break;
    if (/[.!?]/.test(c) && (j + 1 >= text.length || /\s/.test(text[j + 1]!))) break;
    j++;
  }
  return text
    .slice(i, j)
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/<[^>]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .trim();
}

export interface Mention {
  readonly start: number;
  readonly end: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One pattern for several phrases: whole words, any run of white space between words, `'` and `’` alike, any case. */
export function mentionPattern(phrases: readonly string[]): RegExp | undefined {
  const key = phrases.join('\0');
  if (!mentionPatterns.has(key)) {
    if (mentionPatterns.size > 16) mentionPatterns.clear();
    mentionPatterns.set(key, buildMentionPattern(phrases));
  }
  return mentionPatterns.get(key);
}
/** Compiled patterns by phrase list (the config's, nearly always one): paragraphs are many. */
const mentionPatterns = new Map<string, RegExp | undefined>();

function buildMentionPattern(phrases: readonly string[]): RegExp | undefined {
  const alternatives = phrases
    .map((p) => p.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((p) =>
      p
        .split(/\s+/)
        .map((w) => escapeRegExp(w).replace(/['’]/g, "['’]"))
        .join('\\s+'),
    );
  if (alternatives.length === 0) return undefined;
  // A first-character test before the look-behind, which costs at every position (same flags: same case folding).
  const firsts = [
    ...new Set(
      phrases
        .map((p) => [...p.trim()][0])
        .filter((c): c is string => c !== undefined)
        .map((c) => (c === "'" || c === '’' ? "'’" : c.replace(/[\]\\^-]/g, '\\$&'))),
    ),
  ];
  return new RegExp(
    `(?=[${firsts.join('')}])(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_-])`,
    'giu',
  );
}

/** Words after "the proposal" that say it is another one: "the proposal for a park", "the proposal of the council". */
const qualifier = /^\s+(?:for|of|from|about|by)(?![\p{L}\p{N}])/iu;

/**
 * Mentions of the phrases inside the given prose spans, in order. A mention
 * followed by "for", "of", "from", "about" or "by" names some other proposal
 * and is left out.
 */
export function findMentions(text: string, prose: readonly Mention[], phrases: readonly string[]): Mention[] {
  const pattern = mentionPattern(phrases);
  if (!pattern) return [];
  const out: Mention[] = [];
  for (const seg of prose) {
    const slice = text.slice(seg.start, seg.end);
    pattern.lastIndex = 0;
    for (let m = pattern.exec(slice); m; m = pattern.exec(slice)) {
      const start = seg.start + m.index;
      const end = start + m[0].length;
      if (qualifier.test(text.slice(end, end + 12))) continue;
      out.push({ start, end });
    }
  }
  return out;
}

/** Spans between quotation marks (“…”, "…") within the given prose spans, which may be split by markup. */
export function quotedSpans(text: string, prose: readonly Mention[]): Mention[] {
  const out: Mention[] = [];
  let open: { at: number; straight: boolean } | undefined;
  for (const seg of prose) {
    for (let i = seg.start; i < seg.end; i++) {
      const c = text[i];
      if (c === '“' && !open) open = { at: i, straight: false };
      else if (c === '”' && open && !open.straight) {
        out.push({ start: open.at, end: i + 1 });
        open = undefined;
      } else if (c === '"') {
        if (open?.straight) {
          out.push({ start: open.at, end: i + 1 });
          open = undefined;
        } else if (!open) open = { at: i, straight: true };
      }
    }
  }
  return out;
}
