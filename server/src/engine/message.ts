/**
 * The words of a finding. Its `message` is one line of at most
 * `maxMessageLength` characters that says what is wrong and what to write
 * ("Unexpected …, expected …"): it must fit VS Code's Problems panel and a
 * line of `msol check`. Why it matters goes to the finding's `note` (shown in
 * the hover, by `msol check --verbose` and in the rule's docs).
 *
 * Values taken from the page (paths, URLs, phrases) can be any length, so a
 * message is written with the `message` template tag: its `code(…)`,
 * `quoted(…)` and `words(…)` values are shortened in the middle (`a/very/…/long.md`)
 * when the line would be too long; its own text never is.
 */

/** The longest message of a finding, in UTF-16 code units (never fewer characters than that). */
export const maxMessageLength = 120;

/** A value a message may shorten: its text, and the marks around it. */
export interface MessageValue {
  readonly text: string;
  readonly open: string;
  readonly close: string;
  /** Shortened only when the other values are as short as they go: what to write, rather than what was written. */
  readonly kept?: boolean;
}

/** A value between backticks: a path, a URL, a word as written. */
export const code = (text: string): MessageValue => ({ text: oneLine(text), open: '`', close: '`' });
/** A value between typographic quotes: a phrase, a gloss. */
export const quoted = (text: string): MessageValue => ({ text: oneLine(text), open: '“', close: '”' });
/** A value between straight double quotes (what a credit or a page says). */
export const said = (text: string): MessageValue => ({ text: oneLine(text), open: '"', close: '"' });
/** A value without marks (a name, a list) that may be shortened. */
export const words = (text: string): MessageValue => ({ text: oneLine(text), open: '', close: '' });
/** A label such as "image `loom.jpg`": only the part between backticks may be shortened. */
export function labelled(label: string): MessageValue {
  const m = /^([^`]*`)([^`]*)(`[^`]*)$/.exec(oneLine(label));
  return m ? { text: m[2]!, open: m[1]!, close: m[3]! } : words(label);
}
/** The same value, shortened last: the text the writer should write. */
export const kept = (value: MessageValue): MessageValue => ({ ...value, kept: true });

/** A shortened value keeps at least this many characters (the ellipsis included). */
const shortest = 12;

/**
 * `message\`Unexpected link to missing file ${code(path)}, expected an existing file\``:
 * the text with its values, on one line, shortened to `maxMessageLength` where values allow.
 * Plain string and number interpolations are part of the fixed text.
 */
export function message(strings: TemplateStringsArray, ...values: readonly (MessageValue | string | number)[]): string {
  return fitMessage(strings, values, maxMessageLength);
}

export function fitMessage(
  strings: readonly string[],
  values: readonly (MessageValue | string | number)[],
  max: number,
): string {
  const parts = values.map((v) => (typeof v === 'object' ? v : undefined));
  let fixed = strings.reduce((n, s) => n + oneLine(s).length, 0);
  for (const v of values) fixed += typeof v === 'object' ? v.open.length + v.close.length : oneLine(String(v)).length;
  const lengths = parts.map((p) => p?.text.length ?? 0);
  const sum = (group: readonly number[]) => group.reduce((n, i) => n + lengths[i]!, 0);
  const others = parts.flatMap((p, i) => (p && !p.kept ? [i] : []));
  const preferred = parts.flatMap((p, i) => (p?.kept ? [i] : []));
  // The values written as found give way first; then, if need be, the ones that say what to write.
  allot(lengths, others, max - fixed - sum(preferred));
  allot(lengths, preferred, max - fixed - sum(others));
  let out = oneLine(strings[0] ?? '');
  values.forEach((v, i) => {
    out += typeof v === 'object' ? v.open + shorten(v.text, lengths[i]!) + v.close : oneLine(String(v));
    out += oneLine(strings[i + 1] ?? '');
  });
  return out;
}

/**
 * Shares `budget` among the values at `indexes` (in place): values that fit
 * keep their length, the rest is shared evenly among the longer ones (never
 * below `shortest`).
 */
function allot(lengths: number[], indexes: readonly number[], budget: number): void {
  const order = [...indexes].sort((a, b) => lengths[a]! - lengths[b]!);
  let left = budget;
  let count = order.length;
  for (const i of order) {
    const share = Math.floor(left / count);
    lengths[i] = Math.min(lengths[i]!, Math.max(share, shortest));
    left -= lengths[i]!;
    count--;
  }
}

/** The text in at most `length` code units: its start and end around `…` (never a broken surrogate pair). */
export function shorten(text: string, length: number): string {
  if (text.length <= length) return text;
  const keep = Math.max(0, length - 1);
  // The end of a path or URL (the file name) says more than its middle.
  let head = Math.floor(keep * 0.4);
  let tail = keep - head;
  if (isLowSurrogate(text.charCodeAt(head))) head--;
  if (isLowSurrogate(text.charCodeAt(text.length - tail))) tail--;
  return `${text.slice(0, Math.max(0, head))}…${tail > 0 ? text.slice(text.length - tail) : ''}`;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Any run of white space containing a line break, and every line break, becomes one space. */
export function oneLine(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(/[ \t]*(?:\r\n|\r|\n)\s*/g, ' ') : text;
}
