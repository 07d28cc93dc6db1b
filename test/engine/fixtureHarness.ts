/**
 * The rule fixture harness's moving parts, kept apart from the test file so
 * they can be tested themselves (a harness that cannot fail proves nothing).
 *
 * A rule's `fixtures/` folder is a mini site. Markdown files carry the
 * expected findings as HTML comments:
 *
 *     [missing](missing.md) <!-- expect: link-missing-file -->
 *     <!-- expect+1: link-missing-file link-missing-file -->
 *     [a](a.md) [b](b.md)
 *
 * `expect:` names findings on the comment's own line, `expect+1:` on the
 * next line; several ids (space or comma separated) mean several findings.
 * A finding is matched by file, start line and rule id.
 */
import { applyEdits, decodeUtf8, fixEdits, LineIndex, type Finding } from '../../server/src/engine/index';
import { maxMessageLength } from '../../server/src/engine/message';
import { bytes, findingKey, isMarkdown, type SiteFiles } from './util';

const markerPattern = /<!--\s*expect(\+1)?\s*:([^>]*?)-->/g;

/** The expected `path:line ruleId` keys of a site, sorted (a multiset). */
export function expectedKeys(files: SiteFiles): string[] {
  const keys: string[] = [];
  for (const [path, content] of files) {
    if (!isMarkdown(path)) continue;
    const source = decode(path, content);
    const lines = new LineIndex(source);
    markerPattern.lastIndex = 0;
    for (let m = markerPattern.exec(source); m; m = markerPattern.exec(source)) {
      const line = lines.positionAt(m.index).line + (m[1] ? 1 : 0);
      const ids = m[2]!.split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0) throw new Error(`${path}:${line + 1}: an expect marker without a rule id`);
      for (const id of ids) keys.push(`${path}:${line + 1} ${id}`);
    }
  }
  return keys.sort();
}

export interface MarkerComparison {
  /** Findings no marker asked for, with their messages. */
  readonly unexpected: readonly string[];
  /** Markers no finding met. */
  readonly unmet: readonly string[];
}

/** Multiset difference both ways between findings and markers. */
export function compareWithMarkers(files: SiteFiles, findings: readonly Finding[]): MarkerComparison {
  const expected = expectedKeys(files);
  const left = new Map<string, number>();
  for (const k of expected) left.set(k, (left.get(k) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const f of findings) {
    const k = findingKey(f);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else unexpected.push(`${k}:${f.range.start.character + 1} ${f.message}`);
  }
  const unmet = [...left].flatMap(([k, n]) => Array<string>(n).fill(k));
  return { unexpected, unmet };
}

/**
 * Problems with the finding contract, one line each; [] when all is well.
 * Every finding: the rule's id, a docs url ending in `<id>/docs.md`, the
 * "Unexpected …, expected …" wording on one line of at most 120 characters,
 * a span inside the file whose range is what the span says, and fixes with
 * plain-text titles whose edits stay inside the file and do not overlap.
 */
export function conventionProblems(ruleId: string, files: SiteFiles, findings: readonly Finding[]): string[] {
  const problems: string[] = [];
  for (const f of findings) {
    const at = `${findingKey(f)} (${f.message})`;
    if (f.ruleId !== ruleId) problems.push(`${at}: ruleId is not ${ruleId}`);
    if (!f.url?.endsWith(`/${ruleId}/docs.md`))
      problems.push(`${at}: url ${f.url ?? '(none)'} does not end with ${ruleId}/docs.md`);
    if (!/^Unexpected .+, expected .+/s.test(f.message))
      problems.push(`${at}: message does not read "Unexpected …, expected …"`);
    problems.push(...messageProblems(f).map((p) => `${at}: ${p}`));
    const content = files.get(f.path);
    if (!content) {
      problems.push(`${at}: finding on a file that is not in the site`);
      continue;
    }
    const source = decode(f.path, content);
    const lines = new LineIndex(source);
    const { start, end } = f.span;
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= source.length)) {
      problems.push(`${at}: span ${start}-${end} is outside the document (length ${source.length})`);
      continue;
    }
    const range = lines.rangeOf(f.span);
    if (JSON.stringify(range) !== JSON.stringify(f.range))
      problems.push(`${at}: range ${JSON.stringify(f.range)} does not match span (${JSON.stringify(range)})`);
    if (f.range.start.line >= lines.lineCount || f.range.end.line >= lines.lineCount)
      problems.push(`${at}: range beyond the last line`);
    for (const fix of [...(f.fix ? [f.fix] : []), ...(f.suggestions ?? [])]) {
      if (!fix.title.trim()) problems.push(`${at}: a fix without a title`);
      if (fix.edits.length === 0) problems.push(`${at}: fix "${fix.title}" has no edits`);
      const sorted = [...fix.edits].sort((a, b) => a.start - b.start);
      sorted.forEach((e, i) => {
        if (!(0 <= e.start && e.start <= e.end && e.end <= source.length))
          problems.push(`${at}: fix "${fix.title}" edits ${e.start}-${e.end}, outside the document`);
        const prev = sorted[i - 1];
        if (prev && prev.end > e.start) problems.push(`${at}: fix "${fix.title}" has overlapping edits`);
        if (source.slice(e.start, e.end) === e.newText)
          problems.push(`${at}: fix "${fix.title}" has an edit that changes nothing`);
      });
    }
  }
  return problems;
}

/**
 * A writer's words: a message is one line of at most `maxMessageLength`
 * characters (the why goes to `note`), and a fix title is plain text (a
 * quick-fix menu shows backticks as they are).
 */
export function messageProblems(f: Finding): string[] {
  const problems: string[] = [];
  if (/[\r\n]/.test(f.message)) problems.push('message spans several lines');
  if (f.message.length > maxMessageLength)
    problems.push(`message is ${f.message.length} characters long, more than ${maxMessageLength}`);
  if (f.note !== undefined && f.note.trim() === '') problems.push('an empty note');
  for (const fix of [...(f.fix ? [f.fix] : []), ...(f.suggestions ?? [])]) {
    if (fix.title.includes('`')) problems.push(`fix title "${fix.title}" shows backticks`);
    if (/[\r\n]/.test(fix.title)) problems.push(`fix title "${fix.title}" spans several lines`);
  }
  return problems;
}

/** One `--fix` pass: every safe fix among `findings` applied to its file. Returns the new site. */
export function applySafeFixes(files: SiteFiles, findings: readonly Finding[]): Map<string, Uint8Array> {
  const out = new Map(files);
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) if (f.fix) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  for (const [path, fs] of byPath) {
    const content = files.get(path);
    if (!content) throw new Error(`a fix for ${path}, which is not in the site`);
    out.set(path, bytes(applyEdits(decode(path, content), fixEdits(fs)).text));
  }
  return out;
}

/** Paths whose bytes differ between two sites (added and removed files included). */
export function differingFiles(a: SiteFiles, b: SiteFiles): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths]
    .filter((p) => {
      const x = a.get(p);
      const y = b.get(p);
      return !x || !y || Buffer.compare(Buffer.from(x), Buffer.from(y)) !== 0;
    })
    .sort();
}

function decode(path: string, content: Uint8Array): string {
  const d = decodeUtf8(content);
  if (!d.ok) throw new Error(`${path}: ${d.reason}`);
  return d.text;
}
