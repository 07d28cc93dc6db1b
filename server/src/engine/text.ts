import type { Position, Range, Span } from './types';

/**
 * The line of an offset, given the offsets where lines start (a LineIndex's
 * `lineStarts`, or a page's facts): the one line lookup of the code base.
 */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Maps UTF-16 offsets to 0-based line/character positions and back. Built
 * once per document version. A line ends at `\n`, `\r\n` or a lone `\r`,
 * as in LSP and VS Code.
 */
export class LineIndex {
  readonly #lineStarts: number[];
  readonly #length: number;

  constructor(text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.#lineStarts = starts;
    this.#length = text.length;
  }

  get lineCount(): number {
    return this.#lineStarts.length;
  }

  /** The offset where each line starts (line 0 at 0): plain data, kept in a page's facts. */
  get lineStarts(): readonly number[] {
    return this.#lineStarts;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.#length));
    const line = lineOf(this.#lineStarts, o);
    return { line, character: o - this.#lineStarts[line]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.#lineStarts.length) return this.#length;
    const start = this.#lineStarts[position.line]!;
    const next = position.line + 1 < this.#lineStarts.length ? this.#lineStarts[position.line + 1]! : this.#length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  lineStart(line: number): number {
    return this.#lineStarts[Math.max(0, Math.min(line, this.#lineStarts.length - 1))]!;
  }
}

/** Result of decoding a file's bytes. */
export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 strictly. Binary content (NUL bytes) and invalid UTF-8 are
 * refused with a reason, so a rule never sees replacement characters that the
 * user did not write. A BOM is kept in the text: offsets must match the file.
 */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  const probe = Math.min(bytes.length, 8192);
  for (let i = 0; i < probe; i++) {
    if (bytes[i] === 0) return { ok: false, reason: 'it looks binary (it holds NUL bytes)' };
  }
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'it is not valid UTF-8 (save it as UTF-8)' };
  }
}

/** Removes backslash escapes of ASCII punctuation, as CommonMark does (`\_` → `_`). GitBook writes them into HTML attributes too. */
export function unescapeMarkdown(value: string): string {
  return value.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Decodes percent-escapes, leaving any malformed sequence as written. */
export function safeDecodeUri(value: string): string {
  // Most link paths hold no escape at all (and decoding one allocates a new string).
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%[0-9a-fA-F]{2}/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

/** Levenshtein distance, bounded: gives up (returns max+1) once the distance exceeds max. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
