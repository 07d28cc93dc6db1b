import type { Finding, TextEdit } from './types';

/**
 * Applies edits to a text, smallest possible change: each edit replaces only
 * its own span, the rest of the text is kept byte for byte. Overlapping edits
 * are dropped (the later one), so applying is always safe; a second run
 * after re-checking picks up what was dropped.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: number } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  let applied = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) continue;
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
    applied++;
  }
  return { text: out + text.slice(at), applied };
}

/** The edits of every safe fix among a file's findings, one fix per finding. */
export function fixEdits(findings: readonly Finding[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const f of findings) if (f.fix) edits.push(...f.fix.edits);
  return edits;
}
