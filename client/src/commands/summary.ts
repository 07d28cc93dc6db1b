/**
 * SUMMARY.md, GitBook's table of contents, as "New article…" needs it: the
 * places a new page can go (a group under a `## heading`, or under a page as
 * its child), and the one-line insertion that lists the new page there.
 * Pure text in, plain data out; no `vscode`, so the engine layer tests it.
 */
import * as posix from 'node:path/posix';

export interface SummaryEntry {
  /** Zero-based line. */
  readonly line: number;
  /** Leading whitespace, in columns (a tab counts 4). */
  readonly indent: number;
  /** The whitespace as written. */
  readonly indentText: string;
  readonly bullet: string;
  readonly title: string;
  /** The link as written (percent-encoded, relative to SUMMARY.md). */
  readonly url: string;
  /** The group (index into `groups`) this entry belongs to. */
  readonly group: number;
}

export interface SummaryGroup {
  /** The heading text; '' for the entries above the first `##` heading. */
  readonly title: string;
  /** Line of the heading; -1 for the leading group. */
  readonly line: number;
}

export interface ParsedSummary {
  readonly eol: string;
  readonly lines: readonly string[];
  readonly groups: readonly SummaryGroup[];
  readonly entries: readonly SummaryEntry[];
  /** The indentation one nesting level adds ('  ' unless the file uses another). */
  readonly indentUnit: string;
  /** The bullet the file uses most ('*' by default). */
  readonly bullet: string;
}

const entryLine = /^([ \t]*)([*+-])[ \t]+\[((?:\\.|[^\]\\])*)\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+"[^"]*")?\s*\)/;
const headingLine = /^(#{2,6})[ \t]+(.+?)[ \t#]*$/;

function columns(ws: string): number {
  let n = 0;
  for (const c of ws) n += c === '\t' ? 4 - (n % 4) : 1;
  return n;
}

export function parseSummary(text: string): ParsedSummary {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const groups: SummaryGroup[] = [{ title: '', line: -1 }];
  const entries: SummaryEntry[] = [];
  let fence = false;
  const steps = new Map<string, number>();
  const bullets = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const h = headingLine.exec(line);
    if (h && !/^[ \t]/.test(line)) {
      groups.push({ title: h[2]!.trim(), line: i });
      continue;
    }
    const m = entryLine.exec(line);
    if (!m) continue;
    const url = m[4]!.replace(/^<|>$/g, '');
    const entry: SummaryEntry = {
      line: i,
      indent: columns(m[1]!),
      indentText: m[1]!,
      bullet: m[2]!,
      title: m[3]!.replace(/\\(.)/g, '$1'),
      url,
      group: groups.length - 1,
    };
    const prev = entries[entries.length - 1];
    if (prev && entry.indent > prev.indent) {
      const step = entry.indentText.slice(prev.indentText.length);
      if (step && /^[ \t]+$/.test(step)) steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    bullets.set(entry.bullet, (bullets.get(entry.bullet) ?? 0) + 1);
    entries.push(entry);
  }
  const most = (m: Map<string, number>, fallback: string) => [...m].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
  return { eol, lines, groups, entries, indentUnit: most(steps, '  '), bullet: most(bullets, '*') };
}

/** Where a new page can go. */
export type SummaryPlace =
  | { readonly kind: 'group'; readonly group: number; readonly label: string }
  | { readonly kind: 'page'; readonly entry: number; readonly label: string };

/** Every place, in file order: each group, then each page (as the parent of the new page). */
export function summaryPlaces(s: ParsedSummary): SummaryPlace[] {
  const out: SummaryPlace[] = [];
  s.groups.forEach((g, group) => {
    const entries = s.entries.map((e, i) => ({ e, i })).filter(({ e }) => e.group === group);
    if (g.line >= 0 || entries.length > 0) out.push({ kind: 'group', group, label: g.title || 'Top level' });
    for (const { e, i } of entries) out.push({ kind: 'page', entry: i, label: e.title });
  });
  return out;
}

/** Finds a place by what a caller wrote: a group's heading, a page's title, or its link (`articles/crews.md`). */
export function findPlace(s: ParsedSummary, places: readonly SummaryPlace[], wanted: string): SummaryPlace | undefined {
  const w = wanted
    .trim()
    .toLowerCase()
    .replace(/^#+\s*/, '');
  const byLabel = places.filter((p) => p.label.toLowerCase() === w);
  if (byLabel.length) return byLabel.find((p) => p.kind === 'group') ?? byLabel[0];
  return places.find(
    (p) => p.kind === 'page' && decode(s.entries[p.entry]!.url).toLowerCase() === w.replace(/^\.\//, ''),
  );
}

function decode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** The last line of an entry's subtree (the entry itself when it has no children). */
function lastLineOfSubtree(s: ParsedSummary, index: number): number {
  const e = s.entries[index]!;
  let last = e.line;
  for (let i = index + 1; i < s.entries.length; i++) {
    const next = s.entries[i]!;
    if (next.group !== e.group || next.indent <= e.indent) break;
    last = next.line;
  }
  return last;
}

/** An insertion into SUMMARY.md: `text` goes at the end of line `line` (zero-based). */
export interface SummaryInsertion {
  readonly line: number;
  readonly character: number;
  readonly text: string;
}

/** The zero-based line the new entry has once the insertion is made. */
export function insertedLine(s: ParsedSummary, at: SummaryInsertion): number {
  let line = at.line;
  for (let t = at.text; t.startsWith(s.eol); t = t.slice(s.eol.length)) line++;
  return line;
}

/** Escapes a title for a Markdown link label. */
export function linkLabel(title: string): string {
  return title.replace(/([\\[\]])/g, '\\$1');
}

/** Percent-encodes what a Markdown link destination cannot hold as written (the engine's `encodeLinkPath`). */
export function encodeLinkPath(path: string): string {
  return path.replace(/[ <>()%#?\\[\]`"]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/**
 * The minimal edit that lists a page at a place: one new line after the last
 * line of the group or of the parent page's subtree, indented one level under
 * a parent page. `url` is relative to SUMMARY.md, already encoded.
 */
export function summaryInsertion(s: ParsedSummary, place: SummaryPlace, title: string, url: string): SummaryInsertion {
  const item = (indent: string, bullet: string) => `${indent}${bullet} [${linkLabel(title)}](${url})`;
  if (place.kind === 'page') {
    const parent = s.entries[place.entry]!;
    const last = lastLineOfSubtree(s, place.entry);
    const children = s.entries.filter((e) => e.line > parent.line && e.line <= last && e.group === parent.group);
    const firstChild = children[0];
    const indent =
      firstChild && firstChild.indent > parent.indent ? firstChild.indentText : parent.indentText + s.indentUnit;
    return {
      line: last,
      character: s.lines[last]!.length,
      text: s.eol + item(indent, firstChild?.bullet ?? parent.bullet),
    };
  }
  const entries = s.entries.filter((e) => e.group === place.group);
  if (entries.length > 0) {
    const top = entries.filter((e) => e.indent === Math.min(...entries.map((x) => x.indent)));
    const lastTop = top[top.length - 1]!;
    const last = lastLineOfSubtree(s, s.entries.indexOf(lastTop));
    return { line: last, character: s.lines[last]!.length, text: s.eol + item(lastTop.indentText, lastTop.bullet) };
  }
  const group = s.groups[place.group]!;
  if (group.line < 0) {
    // No entries and no heading above them: after the title line, or at the start.
    const title = s.lines.findIndex((l) => /^#\s/.test(l));
    if (title >= 0) return { line: title, character: s.lines[title]!.length, text: s.eol + s.eol + item('', s.bullet) };
    return { line: 0, character: 0, text: item('', s.bullet) + s.eol };
  }
  return { line: group.line, character: s.lines[group.line]!.length, text: s.eol + s.eol + item('', s.bullet) };
}

/** A file name for a page title: lower-case words joined by hyphens, `.md`. */
export function slugFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'new-page'}.md`;
}

/**
 * The folder (relative to SUMMARY.md's folder) a new page at a place goes
 * in: a child of `x/README.md` goes in `x/`; a child of `x/page.md` goes
 * next to it (or in `x/page/` when that folder exists); a page in a group
 * goes where most of the group's pages are.
 */
export function folderForPlace(
  s: ParsedSummary,
  place: SummaryPlace,
  isDirectory: (relative: string) => boolean,
): string {
  const local = (url: string) => {
    const p = decode(url.replace(/[#?].*$/, ''));
    return /^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('/') ? undefined : posix.normalize(p);
  };
  if (place.kind === 'page') {
    const p = local(s.entries[place.entry]!.url);
    if (p === undefined) return '';
    if (/(^|\/)readme\.md$/i.test(p)) return posix.dirname(p) === '.' ? '' : posix.dirname(p);
    const sameName = p.replace(/\.md$/i, '');
    if (sameName !== p && isDirectory(sameName)) return sameName;
    return posix.dirname(p) === '.' ? '' : posix.dirname(p);
  }
  // The group's own pages (not their children); on a tie, the folder nearer the root.
  const entries = s.entries.filter((x) => x.group === place.group);
  const top = Math.min(...entries.map((e) => e.indent));
  const counts = new Map<string, number>();
  for (const e of entries.filter((x) => x.indent === top)) {
    const p = local(e.url);
    if (p === undefined) continue;
    const d = posix.dirname(p) === '.' ? '' : posix.dirname(p);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return (
    [...counts].sort(
      (a, b) => b[1] - a[1] || a[0].split('/').length - b[0].split('/').length || a[0].length - b[0].length,
    )[0]?.[0] ?? ''
  );
}
