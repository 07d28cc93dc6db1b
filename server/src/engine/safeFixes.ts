import type { Finding, Fix, TextEdit } from './types';
import type { FileFacts } from './facts';
import type { MsolConfig } from './config/config';
import type { WorkspaceIndex } from './workspace';
import { applyEdits } from './fix';
import { applyDirectives, runRules } from './linter';
import { knowledgeKey } from './knowledge';
import type { ParsedDocument } from './parse/markdown';
import { parseSiteUrl } from './links/siteUrl';

/**
 * A fix is safe (applied by `msol check --fix` and the editor's "fix all")
 * only when the page as it would be after it has been checked: the fix
 * removes its finding and adds none, in that page or in the pages whose
 * findings can see the change (pages linking to it when its headings
 * change, the pages it links and stops linking, every page listed or
 * unlisted when the page is SUMMARY.md). A fix that changes what the site
 * knows (its glossary, its license) cannot be checked without re-checking
 * every page, so it is not applied without asking either. Every other fix
 * stays a suggestion the user applies by hand.
 *
 * The check is a mechanism, not a list of cases: it runs the registry's
 * rules on the changed text. Fixes are tried together first, as `--fix`
 * applies them (in order, a fix whose edits touch an earlier one's waits
 * for the next pass); only when the set fails is each tried in turn.
 */

export interface FixCheckSite {
  readonly index: WorkspaceIndex;
  readonly config: MsolConfig;
  /** A page's current findings, both phases, directives applied. */
  check(path: string): Finding[];
  /** Phase one for a page's text, its facts put in the index (the Project's analyzeDocument). */
  analyze(
    path: string,
    text: string,
  ): { readonly facts: FileFacts; readonly doc: ParsedDocument; readonly documentFindings: readonly Finding[] };
}

/** Why a fix was not safe, for the suggestion's title. */
type Verdict = { readonly ok: true } | { readonly ok: false; readonly why: string };

/** The same choice `--fix` makes: fixes in order, whole, none touching an edit already taken. */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}
function validEdits(fix: Fix, length: number): boolean {
  const edits = fix.edits;
  return (
    edits.length > 0 &&
    edits.every(
      (e) =>
        Number.isInteger(e.start) && Number.isInteger(e.end) && 0 <= e.start && e.start <= e.end && e.end <= length,
    ) &&
    !edits.some((e, i) => edits.some((o, j) => j < i && conflicts(e, o)))
  );
}

function countByRule(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(f.ruleId, (out.get(f.ruleId) ?? 0) + 1);
  return out;
}

/** Rule counts that grew (or, for `lessBy`, did not fall by as much as they must). */
function grown(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  lessBy: ReadonlyMap<string, number> = new Map(),
): string[] {
  const ids = new Set([...before.keys(), ...after.keys(), ...lessBy.keys()]);
  return [...ids].filter((id) => (after.get(id) ?? 0) > (before.get(id) ?? 0) - (lessBy.get(id) ?? 0)).sort();
}

/** Pages whose findings may change when `path`'s facts go from `before` to `after`. */
function affectedPages(index: WorkspaceIndex, path: string, before: FileFacts, after: FileFacts): Set<string> {
  const out = new Set<string>();
  const targets = (facts: FileFacts) => {
    const set = new Set<string>();
    for (const r of facts.references) {
      const res = index.resolve(path, r.url);
      if (res.kind === 'local' && res.page !== undefined && res.page !== path) set.add(res.page);
    }
    return set;
  };
  // The pages it links and stops linking (what they can see of it: whether SUMMARY.md lists them).
  const was = targets(before);
  const now = targets(after);
  for (const p of was) if (!now.has(p)) out.add(p);
  for (const p of now) if (!was.has(p)) out.add(p);
  // Pages linking to it, when what they can see of it changed (its headings, title, front matter).
  const visible = (f: FileFacts) => JSON.stringify([f.title ?? null, f.anchors, f.frontMatter ?? null]);
  if (visible(before) !== visible(after)) {
    for (const f of index.allFacts()) {
      if (f.path === path) continue;
      if (
        f.references.some((r) => {
          const res = index.resolve(f.path, r.url);
          return res.kind === 'local' && res.page === path;
        })
      )
        out.add(f.path);
    }
  }
  // SUMMARY.md decides which pages are published and under which URL: pages linking to the site's own URLs see it too.
  if (path === index.summaryPath) {
    const url = index.config.site.url;
    for (const f of index.allFacts()) {
      if (f.path !== path && url && f.references.some((r) => parseSiteUrl(r.url, url) !== undefined)) out.add(f.path);
    }
  }
  out.delete(path);
  for (const p of [...out]) if (!index.facts(p)) out.delete(p);
  return out;
}

/**
 * Whether applying `fixes` (non-overlapping) to `text` removes their
 * findings and adds none. The index is changed for the check and restored
 * before it returns (synchronously: nothing else can observe it).
 */
function check(
  site: FixCheckSite,
  path: string,
  text: string,
  findings: readonly Finding[],
  fixes: readonly Finding[],
  others: Map<string, Map<string, number>>,
): Verdict {
  const index = site.index;
  const before = index.facts(path);
  if (!before) return { ok: false, why: 'the page could not be checked again' };
  const edits = fixes.flatMap((f) => f.fix!.edits);
  const newText = applyEdits(text, edits).text;
  const keyBefore = knowledgeKey(index);
  const need = new Map<string, number>();
  for (const f of fixes) need.set(f.ruleId, (need.get(f.ruleId) ?? 0) + 1);
  try {
    const analysis = site.analyze(path, newText);
    if (knowledgeKey(index) !== keyBefore)
      return {
        ok: false,
        why: 'it changes what the site knows (its glossary or license), which only a check of every page can verify',
      };
    const workspace = runRules('workspace', {
      path,
      facts: analysis.facts,
      doc: analysis.doc,
      index,
      config: site.config,
    });
    const after = applyDirectives([...analysis.documentFindings, ...workspace], analysis.facts);
    const own = grown(countByRule(findings), countByRule(after), need);
    if (own.length) return { ok: false, why: `it would leave or add ${own.join(', ')} on this page` };
    for (const page of affectedPages(index, path, before, analysis.facts)) {
      let was = others.get(page);
      if (!was) {
        // Counted before the change: put the page's own facts back for a moment.
        index.setFacts(before);
        was = countByRule(site.check(page));
        index.setFacts(analysis.facts);
        others.set(page, was);
      }
      const more = grown(was, countByRule(site.check(page)));
      if (more.length) return { ok: false, why: `it would add ${more.join(', ')} in ${page}` };
    }
    return { ok: true };
  } finally {
    index.setFacts(before);
  }
}

/**
 * The findings of one page with every fix checked: a fix that fails the
 * check becomes the first suggestion, its title saying why. `text` is the
 * page's text the findings were computed on.
 */
export function verifyFixes(site: FixCheckSite, path: string, text: string, findings: readonly Finding[]): Finding[] {
  const fixable = findings.filter((f) => f.fix !== undefined);
  if (fixable.length === 0) return [...findings];
  const others = new Map<string, Map<string, number>>();
  const unsafe = new Map<Finding, string>();
  // The set --fix would apply in one pass: in order, whole, not touching one taken before.
  const taken: Finding[] = [];
  const waiting: Finding[] = [];
  for (const f of fixable) {
    if (!validEdits(f.fix!, text.length)) unsafe.set(f, 'its edits do not fit the page');
    else if (f.fix!.edits.some((e) => taken.some((t) => t.fix!.edits.some((o) => conflicts(e, o))))) waiting.push(f);
    else taken.push(f);
  }
  const together = taken.length > 0 ? check(site, path, text, findings, taken, others) : { ok: true as const };
  if (!together.ok) {
    // One at a time, each on top of those already found safe (what --fix will then apply together).
    const safe: Finding[] = [];
    for (const f of taken) {
      const v = check(site, path, text, findings, [...safe, f], others);
      if (v.ok) safe.push(f);
      else
        unsafe.set(
          f,
          taken.length === 1
            ? v.why
            : check(site, path, text, findings, [f], others).ok
              ? 'together with the other fixes of this page it would add a finding'
              : v.why,
        );
    }
  }
  // A fix that waits for the next pass is applied alone then (and checked again then); now it is checked alone.
  for (const f of waiting) {
    const v = check(site, path, text, findings, [f], others);
    if (!v.ok) unsafe.set(f, v.why);
  }
  if (unsafe.size === 0) return [...findings];
  return findings.map((f) => {
    const why = unsafe.get(f);
    if (why === undefined) return f;
    const { fix, ...rest } = f;
    const offered: Fix = { ...fix!, title: `${fix!.title} (not applied automatically: ${why})` };
    return { ...rest, suggestions: [offered, ...(f.suggestions ?? [])] };
  });
}

/** What verifyFixes decided, as plain data a host can cache: the index of each finding whose fix is not safe, with the suggestion's title. */
export type FixVerdicts = ReadonlyArray<readonly [number, string]>;

export function fixVerdictsOf(before: readonly Finding[], after: readonly Finding[]): FixVerdicts {
  const out: Array<readonly [number, string]> = [];
  before.forEach((f, i) => {
    const a = after[i];
    if (f.fix && a && !a.fix) out.push([i, a.suggestions?.[0]?.title ?? f.fix.title]);
  });
  return out;
}

/** verifyFixes' result again from its verdicts, on the same findings (a host's cache). */
export function applyFixVerdicts(findings: readonly Finding[], verdicts: FixVerdicts): Finding[] {
  if (verdicts.length === 0) return [...findings];
  const byIndex = new Map(verdicts.map(([i, title]) => [i, title] as const));
  return findings.map((f, i) => {
    const title = byIndex.get(i);
    if (title === undefined || !f.fix) return f;
    const { fix, ...rest } = f;
    return { ...rest, suggestions: [{ ...fix, title }, ...(f.suggestions ?? [])] };
  });
}
