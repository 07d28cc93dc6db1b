/**
 * Shared pieces of the reliability suites: the seed and case counts (one
 * place, overridable with FUZZ_SEED / FUZZ_RUNS so a failure is replayable
 * and a run can be widened), Markdown generators, a fix loop that does what
 * `msol check --fix` does, and the "no lost text" checks on every edit.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Project, applyEdits, decodeUtf8, type Finding, type TextEdit } from '../../../server/src/engine/index';
import { MemoryFileSystem } from '../../../server/src/engine/memoryFileSystem';
import { selectFixes, maxFixPasses } from '../../../server/src/cli/fixer';

export const seed = Number(process.env['FUZZ_SEED'] ?? 20261126);
/** The base case count; each property scales it (documented next to each use). */
export const runs = Number(process.env['FUZZ_RUNS'] ?? 150);

export const rulesDir = join(__dirname, '..', '..', '..', 'server', 'src', 'engine', 'rules');

export type Files = Record<string, string | Uint8Array>;

/** Pieces that make fixable findings: mojibake, avoided synonyms, wrong case, absolute site links, external copies, typos in GitBook tags, moved pages. */
export const fixableFragments = [
  'â€”',
  'â€™',
  'Ã©tÃ©',
  'cafÃ©',
  'pod',
  'a pod',
  'an ohana',
  'Pods',
  'micro-solidarity',
  'crew',
  'crews',
  "crew's",
  'CREW',
  'the Proposal',
  'the proposal',
  '[the proposal](https://www.microsolidarity.cc/articles/proposal)',
  'https://www.microsolidarity.cc/articles/proposal#part-1-collapse',
  '[copy](https://medium.com/enspiral-tales/courage-before-hope-a-proposal-to-weave-emotional-and-economic-microsolidarity-87bc81372a09)',
  '[m](articles/page.md)',
  '[h](articles/proposal.md#part-1-colapse)',
  '[h2](#heading-tw)',
  '{% hint style="tipp" %}',
  '{% hnt style="info" %}',
  '{% endhint %}',
  // A misspelt tag whose block is closed: its fix pairs the block (a lone one would leave it unclosed, and is not applied).
  '\n{% hnt style="info" %}\nNote.\n{% endhint %}\n',
  'Congregation',
  'congregation',
  'Microsolidarity',
  'microsolidarity',
] as const;

/** Bytes that must survive any fix untouched unless a fix is about them. */
export const protectedFragments = ['\\_', '\\#', '&#x20;', '  ', '\t', '&amp;', '\\*'] as const;

/** Markdown shapes around them. */
const structure = [
  '# Heading',
  '## Heading two',
  '\n',
  '\n\n',
  '> ',
  '* ',
  '  * ',
  '1. ',
  '```\n',
  '`',
  '**',
  '_',
  '[',
  ']',
  '(',
  ')',
  '<!-- msol-disable -->',
  '<!-- msol-enable -->',
  '{% hint style="info" %}',
  '{% tabs %}',
  '{% tab title="A" %}',
  '{% endtab %}',
  '{% endtabs %}',
  '| a | b |\n| --- | --- |\n| c | d |\n',
  '---\ndescription: x\n---\n',
  '<figure><img src=".gitbook/assets/image (1).png" alt=""><figcaption></figcaption></figure>',
  ' ',
  'word ',
  '. ',
  'Ünïcødé ',
  '😅',
] as const;

/** Markdown with `\n` line endings only (decorate() sets the line ending and BOM). */
export const lfMarkdown = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...fixableFragments) },
      { weight: 4, arbitrary: fc.constantFrom(...structure) },
      { weight: 2, arbitrary: fc.constantFrom(...protectedFragments) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((s) => s.replace(/\r/g, '')) },
    ),
    { maxLength: 50 },
  )
  .map((parts) => parts.join(''));

export interface Decoration {
  readonly crlf: boolean;
  readonly bom: boolean;
}
export const decoration = fc.record({ crlf: fc.boolean(), bom: fc.boolean() });

export function decorate(text: string, d: Decoration): string {
  const body = d.crlf ? text.replace(/\r?\n/g, '\r\n') : text;
  return (d.bom ? '\uFEFF' : '') + body;
}

/** The site generated pages live in: a glossary with synonyms to avoid, the proposal, a summary, copies of the proposal elsewhere. */
export function richSite(pages: Readonly<Record<string, string>>): Files {
  return {
    '.msolrc.json': JSON.stringify({
      rules: { 'term-first-use-unlinked': 'warning' },
      // Congregation's case is set: inferred policies change only a slip among many uses, which short generated pages seldom make.
      glossary: {
        terms: [
          { term: 'Crew', avoid: ['pod', 'ohana'] },
          { term: 'Microsolidarity', avoid: ['micro-solidarity'] },
          { term: 'Congregation', case: 'as-defined' },
        ],
      },
    }),
    'README.md':
      '# Microsolidarity\n\n## Definition of terms\n\n**Microsolidarity** is a set of practices for mutual support between peers.\n\nMost of this support happens in a **Crew**: a small group.\n\nThe **Congregation** is a space for Crews.\n\n## About this site\n\nAll the content on this site is published with a [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/) license. Unless stated otherwise, assume the author is Richard D. Bartlett.\n',
    'SUMMARY.md':
      '# Table of contents\n\n* [Home](README.md)\n* [Proposal](articles/proposal.md)\n' +
      Object.keys(pages)
        .map((p) => `* [${p}](${p})\n`)
        .join(''),
    'articles/proposal.md': '# Proposal\n\n## Part 1. Collapse\n\ntext\n\n## Heading two\n',
    '.gitbook/assets/image (1).png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    ...pages,
  };
}

export function asText(content: string | Uint8Array): string {
  if (typeof content === 'string') return content;
  const d = decodeUtf8(content);
  if (!d.ok) throw new Error(d.reason);
  return d.text;
}

export function isPage(path: string): boolean {
  return /\.(md|markdown)$/i.test(path);
}

/** Every file under a folder as site paths (dot files included). */
export function readTree(dir: string): Files {
  const out: Files = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(a).isDirectory()) walk(a, r);
      else out[r] = new Uint8Array(readFileSync(a));
    }
  };
  walk(dir, '');
  return out;
}

/** Every rule's fixture site, by rule id. */
export function fixtureSites(): Array<[string, Files]> {
  return readdirSync(rulesDir)
    .filter(
      (id) =>
        statSync(join(rulesDir, id)).isDirectory() &&
        statSync(join(rulesDir, id, 'fixtures'), { throwIfNoEntry: false })?.isDirectory(),
    )
    .sort()
    .map((id) => [id, readTree(join(rulesDir, id, 'fixtures'))]);
}

/** A site checked in memory: its Project, file system and every file's findings. */
export async function checkFiles(
  files: Files,
  configText?: string,
): Promise<{ project: Project; fs: MemoryFileSystem; findings: Map<string, Finding[]> }> {
  const fs = new MemoryFileSystem(files);
  const project = new Project({
    fs,
    ...(configText !== undefined ? { configText: { path: '.msolrc.json', text: configText } } : {}),
  });
  await project.initialize();
  return { project, fs, findings: project.checkAll() };
}

/** One applied edit, with the text it replaced. */
export interface AppliedEdit extends TextEdit {
  readonly path: string;
  readonly before: string;
  readonly ruleId: string;
}

export interface FixRun {
  readonly files: Files;
  readonly passes: number;
  readonly settled: boolean;
  readonly applied: AppliedEdit[];
  /** Findings per rule id before the first pass and after the last. */
  readonly before: Map<string, number>;
  readonly after: Map<string, number>;
}

function countByRule(findings: Iterable<Finding>): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

/**
 * What `msol check --fix` does (server/src/cli/fixer.ts fixSite), in memory:
 * page by page, every verified fix the CLI's selectFixes takes, the page re-read, stale
 * pages refreshed after each pass, until a pass changes nothing.
 */
export async function fixLoop(files: Files, passes = maxFixPasses): Promise<FixRun> {
  const fs = new MemoryFileSystem(files);
  const project = new Project({ fs });
  await project.initialize();
  const current: Files = { ...files };
  const before = countByRule([...project.checkAll().values()].flat());
  const applied: AppliedEdit[] = [];
  let settled = false;
  let pass = 0;
  for (; pass < passes; pass++) {
    let changed = false;
    for (const path of project.index.pages()) {
      const findings = project.check(path);
      if (!findings.some((f) => f.fix)) continue;
      const raw = current[path];
      if (raw === undefined) continue;
      const d = typeof raw === 'string' ? { ok: true as const, text: raw } : decodeUtf8(raw);
      if (!d.ok) continue;
      const text = d.text;
      // As --fix does: only fixes checked on the page as it would be after them (Project.verifyFixes).
      const { edits } = selectFixes(project.verifyFixes(path, findings, text), text.length);
      const next = applyEdits(text, edits).text;
      if (next === text) continue;
      for (const e of edits) {
        const owner = findings.find((f) => f.fix?.edits.includes(e));
        applied.push({ ...e, path, before: text, ruleId: owner?.ruleId ?? '?' });
      }
      current[path] = next;
      fs.write(path, next);
      await project.refreshFile(path);
      changed = true;
    }
    await project.refreshStale();
    if (!changed) {
      settled = true;
      break;
    }
  }
  const after = countByRule([...project.checkAll().values()].flat());
  return { files: current, passes: pass, settled, applied, before, after };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** An offset that falls between the two halves of a CRLF or of a surrogate pair. */
export function splitsUnit(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const a = text.charCodeAt(offset - 1);
  const b = text.charCodeAt(offset);
  return (a === 13 && b === 10) || (isHigh(a) && isLow(b));
}

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * "No lost text" for one applied edit: it does not cut a CRLF or a surrogate
 * pair in two, does not touch a BOM, keeps every protected sequence (escapes,
 * `&#x20;`, line endings, runs of spaces) it replaces, writes the file's own
 * line ending, and is minimal (no unchanged line break at either end).
 */
export function editProblems(e: AppliedEdit): string[] {
  const at = `${e.path}@${e.start}-${e.end} (${e.ruleId}) ${JSON.stringify(e.before.slice(e.start, e.end))} → ${JSON.stringify(e.newText)}`;
  const problems: string[] = [];
  const old = e.before.slice(e.start, e.end);
  if (splitsUnit(e.before, e.start) || splitsUnit(e.before, e.end))
    problems.push(`${at}: cuts a CRLF or a surrogate pair`);
  if (e.before.charCodeAt(0) === 0xfeff && e.start === 0 && e.end > 0) problems.push(`${at}: replaces the BOM`);
  for (const p of [...protectedFragments, '\r\n', '\n']) {
    if (count(old, p) > count(e.newText, p)) problems.push(`${at}: loses ${JSON.stringify(p)}`);
  }
  const crlfOnly = e.before.includes('\r\n') && !/(?<!\r)\n/.test(e.before);
  if (crlfOnly && /(?<!\r)\n/.test(e.newText)) problems.push(`${at}: writes a bare LF into a CRLF file`);
  let pre = 0;
  while (pre < old.length && pre < e.newText.length && old[pre] === e.newText[pre]) pre++;
  let suf = 0;
  while (
    suf < old.length - pre &&
    suf < e.newText.length - pre &&
    old[old.length - 1 - suf] === e.newText[e.newText.length - 1 - suf]
  )
    suf++;
  if (/[\r\n]/.test(old.slice(0, pre)) || /[\r\n]/.test(old.slice(old.length - suf)))
    problems.push(`${at}: not minimal (rewrites an unchanged line break)`);
  return problems;
}

/** Every text page of a site as a string (binary files left out). */
export function pageTexts(files: Files): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, c] of Object.entries(files)) if (isPage(p)) out[p] = asText(c);
  return out;
}

export function assertNoProblems(problems: readonly string[], what: string): void {
  assert.deepEqual(problems, [], `${what}:\n${problems.join('\n')}`);
}

/** fast-check parameters of one property: seeded, bounded, replayable. */
export function params(
  offset: number,
  numRuns: number,
): { seed: number; numRuns: number; verbose: 1; endOnFailure: true } {
  return { seed: seed + offset, numRuns: Math.max(1, Math.round(numRuns)), verbose: 1, endOnFailure: true };
}
