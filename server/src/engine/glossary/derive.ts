import type { FileFacts, Heading, TextBlock } from '../facts';
import type { MsolConfig } from '../config/config';
import { configFileName, sectionOf } from '../config/config';
import type { WorkspaceIndex } from '../workspace';
import type { CasePolicy, TermConfig } from './config';
import { glossarySection } from './config';
import type { DefinitionStanding, Glossary, GlossaryTerm, GroupSize, TermDefinition, TermForm } from './model';
import { definitionShape } from './define';
import { deriveForms, formKey, isTermShaped, mayMatchWholeWords, sentences, wholeWordPattern } from './words';
import { inferredReason } from './casing';
import { definesTerms, pageGlossaryFacts, sectionEnd } from './pageFacts';
import { pageStanding } from './standing';

/**
 * Reads the glossary from the site as it stands. Sources, most current
 * first: GitBook's GLOSSARY.md and `glossary.terms` in `.msolrc.json`
 * (`declared`); then every page that defines terms by its structure — a
 * "Definition of terms" section (bold-introduced terms and headings naming
 * one term each), a heading naming a term followed by its definition
 * (`## 3: the Crew`), the home page's title defined by its first sentence —
 * ranked by how the table of contents publishes it: `current`, then
 * `archived` (under a part named like "Archive", or `glossary.archived`).
 * Pages SUMMARY.md does not list are not read. Pure: facts and config in,
 * plain data out.
 */

/** Pages without facts yet whose raw text may define terms (set by hosts as they read pages, before analysing them). */
const hints = new WeakMap<WorkspaceIndex, Set<string>>();

/** Remembers whether a page's raw text may define terms (`mayDefineTerms`): such pages are analysed first. */
export function hintGlossarySource(index: WorkspaceIndex, path: string, mayDefine: boolean): void {
  let set = hints.get(index);
  if (!set) hints.set(index, (set = new Set()));
  if (mayDefine) set.add(path);
  else set.delete(path);
}

const defines = new WeakMap<FileFacts, boolean>();
function definesTermsMemo(facts: FileFacts): boolean {
  let d = defines.get(facts);
  if (d === undefined) defines.set(facts, (d = definesTerms(facts)));
  return d;
}

/** The site paths the glossary is read from: the glossary file, then the defining pages in path order. SUMMARY.md comes along: it ranks them. */
export function glossarySources(index: WorkspaceIndex): {
  readonly file?: string;
  readonly pages: readonly string[];
  readonly summary?: string;
} {
  const cfg = sectionOf(index.config, glossarySection);
  const file = cfg.file ? index.sitePath(cfg.file) : undefined;
  const summary = index.hasFile(index.summaryPath) ? index.summaryPath : undefined;
  let pages: string[];
  if (cfg.pages) pages = cfg.pages.map((p) => index.sitePath(p));
  else {
    const hinted = hints.get(index);
    const heading = cfg.sectionHeading.trim().toLowerCase();
    pages = index.pages().filter((p) => {
      if (p === file || p === summary) return false;
      // The home page: its title is the site's name, and may be defined by its first sentence.
      if (p === index.readmePath) return true;
      // A page whose facts a host's cache still defers is judged by its hint, as before its facts exist: reading them would parse every page.
      const facts = index.isDeferred(p) ? undefined : index.facts(p);
      if (!facts) return !!hinted?.has(p);
      return (
        definesTermsMemo(facts) ||
        (heading !== defaultSectionHeading &&
          facts.headings.some((h) => h.text.trim().replace(/:$/, '').toLowerCase() === heading))
      );
    });
  }
  return { ...(file ? { file } : {}), pages: [...new Set(pages)], ...(summary ? { summary } : {}) };
}

const defaultSectionHeading = 'definition of terms';

interface Builder {
  term: string;
  extraForms: string[];
  forms: TermForm[];
  case?: CasePolicy;
  avoid: string[];
  definitions: TermDefinition[];
  practice: { upper: number; lower: number; archived: { upper: number; lower: number } };
}

const rank: Record<DefinitionStanding, number> = { declared: 0, current: 1, archived: 2 };

export function deriveGlossary(
  sources: ReadonlyMap<string, FileFacts>,
  config: MsolConfig,
  index: WorkspaceIndex,
): Glossary {
  const cfg = sectionOf(config, glossarySection);
  const where = glossarySources(index);
  const builders: Builder[] = [];
  const find = (term: string) => {
    const t = formKey(term);
    return builders.find((b) => b.forms.some((f) => formKey(f.text) === t));
  };
  const add = (term: string, def: TermDefinition) => {
    const b = find(term);
    if (b) b.definitions.push(def);
    else
      builders.push({
        term,
        extraForms: [],
        forms: deriveForms(term),
        avoid: [],
        definitions: [def],
        practice: { upper: 0, lower: 0, archived: { upper: 0, lower: 0 } },
      });
  };

  if (where.file) {
    const facts = sources.get(where.file);
    if (facts) for (const [term, def] of fromGlossaryFile(facts, index)) add(term, def);
  }
  const standings = new Map<string, DefinitionStanding>();
  for (const page of where.pages) {
    if (page === where.file) continue;
    const facts = sources.get(page);
    if (!facts) continue;
    const standing = pageStanding(index, page);
    if (standing === 'unlisted') continue;
    standings.set(page, standing);
    for (const [term, def] of definitionsOn(facts, cfg.sectionHeading, standing, index)) add(term, def);
  }
  for (const t of cfg.terms ?? []) {
    if (!t || typeof t.term !== 'string' || !t.term.trim()) continue;
    applyConfig(t, find(t.term.trim()), builders);
  }

  // How the defining pages write each term in running prose.
  for (const [page, standing] of standings) {
    const practice = pageGlossaryFacts(sources.get(page)).practice;
    for (const [term, c] of Object.entries(practice)) {
      const b = find(term);
      if (!b || !b.definitions.some((d) => d.path === page)) continue;
      const into = standing === 'archived' ? b.practice.archived : b.practice;
      into.upper += c.upper;
      into.lower += c.lower;
    }
  }

  const terms: GlossaryTerm[] = builders.map((b) => {
    const forms = b.extraForms.length ? deriveForms(b.term, b.extraForms) : b.forms;
    const definitions = b.definitions
      .map((d, i) => ({ d, i }))
      .sort((x, y) => rank[x.d.standing] - rank[y.d.standing] || x.i - y.i)
      .map((x) => x.d);
    const { policy, reason, practice } = casePolicyOf(b, cfg.defaultCase, definitions);
    const own = new Set(forms.map((f) => f.text.toLowerCase()));
    return {
      term: b.term,
      forms,
      case: policy,
      caseReason: reason,
      ...(practice ? { practice } : {}),
      avoid: [...new Set(b.avoid.map((a) => a.trim()).filter((a) => a && !own.has(a.toLowerCase())))].map(
        (synonym) => ({ synonym, forms: deriveForms(synonym) }),
      ),
      definition: definitions[0]!,
      definitions,
    };
  });
  return { terms };
}

function applyConfig(t: TermConfig, existing: Builder | undefined, builders: Builder[]): void {
  const term = t.term.trim();
  const text = clean(t.definition ?? '');
  const def: TermDefinition | undefined =
    t.definition !== undefined || !existing
      ? {
          kind: 'config',
          standing: 'declared',
          path: configFileName,
          text,
          sentence: text,
          ...(text ? { gloss: text } : {}),
          cites: [],
          ...sized(text),
        }
      : undefined;
  const b = existing ?? {
    term,
    extraForms: [],
    forms: deriveForms(term),
    avoid: [],
    definitions: [],
    practice: { upper: 0, lower: 0, archived: { upper: 0, lower: 0 } },
  };
  if (!existing) builders.push(b);
  if (def) b.definitions.push(def);
  if (Array.isArray(t.forms)) b.extraForms.push(...t.forms.filter((f) => typeof f === 'string'));
  b.forms = deriveForms(b.term, b.extraForms);
  if (t.case) b.case = t.case;
  if (Array.isArray(t.avoid)) b.avoid.push(...t.avoid.filter((a) => typeof a === 'string'));
}

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function sized(text: string): { size?: GroupSize } {
  const size = groupSizeIn(text);
  return size ? { size } : {};
}

function blockOf(facts: FileFacts, i: number | undefined): TextBlock | undefined {
  return i === undefined ? undefined : facts.blocks?.[i];
}

/** Pages linked from the headings [from, to) of a page (and from before the first heading when from is -1). */
function citedPages(facts: FileFacts, from: number, to: number, index: WorkspaceIndex): string[] {
  const out = new Set<string>();
  for (const r of facts.references) {
    if (r.section < from || r.section >= to) continue;
    const res = index.resolve(facts.path, r.url);
    if (res.kind === 'local' && res.page && res.page !== facts.path) out.add(res.page);
  }
  return [...out];
}

/**
 * The two expressions `definingSentence` tests a term's sentences with,
 * compiled once per term: a site defines the same terms on many pages (and
 * compiling them for every definition was half of deriving the glossary).
 * `mentions` is compiled when first asked for: its Unicode classes take
 * about a millisecond to compile, and most definitions never need it.
 */
interface SentencePatterns {
  readonly own: RegExp;
  /** The words `mentions` seeks (mayMatchWholeWords). */
  readonly words: readonly string[];
  mentions(): RegExp | undefined;
}
const patternsByTerm = new Map<string, SentencePatterns>();

function sentencePatterns(term: string): SentencePatterns {
  let held = patternsByTerm.get(term);
  if (!held) {
    const derived = deriveForms(term);
    const forms = derived.map((f) => f.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/['’]/g, "['’]"));
    const own = new RegExp(
      `^["“*_]*(?:(?:an?|the)\\s+)?["“*_]*(?:${forms.join('|')})["”*_]*\\s+(?:is|are|means|refers\\s+to|denotes)\\s+(.+)$`,
      'iu',
    );
    const words = forms.length ? derived.map((f) => f.text) : [term];
    let mentions: RegExp | undefined | null = null;
    held = { own, words, mentions: () => (mentions === null ? (mentions = wholeWordPattern(words)) : mentions) };
    if (patternsByTerm.size >= 4096) patternsByTerm.clear();
    patternsByTerm.set(term, held);
  }
  return held;
}

/** The sentence of a text that defines the term ("A crew is a very small group."), the first one naming it, else the first one. */
function definingSentence(paragraphs: readonly string[], term: string): { sentence: string; gloss?: string } {
  const patterns = sentencePatterns(term);
  const all: string[] = [];
  for (const p of paragraphs) {
    for (const s of sentences(p)) {
      const m = patterns.own.exec(s.text);
      if (m) return { sentence: s.text, gloss: m[1]! };
      all.push(s.text);
    }
  }
  // The first sentence naming the term, else the first: with one sentence or none, the first whatever it names.
  if (all.length > 1) {
    for (const text of all) {
      if (!mayMatchWholeWords(text, patterns.words)) continue;
      const mentions = patterns.mentions();
      if (!mentions) break;
      mentions.lastIndex = 0;
      if (mentions.test(text)) return { sentence: text };
    }
  }
  return { sentence: all[0] ?? '' };
}

function headingDefinition(
  facts: FileFacts,
  h: Heading,
  term: string,
  kind: 'heading' | 'glossary-file',
  standing: DefinitionStanding,
  cites: string[],
  paragraphs: readonly TextBlock[],
): TermDefinition {
  const blocks = paragraphs.length
    ? paragraphs
    : [blockOf(facts, h.firstBlock)].filter((b): b is TextBlock => b !== undefined);
  const texts = blocks.map((b) => b.text);
  // The paragraph that holds the defining sentence, and the one before it when that one introduces the term ("The third scale, I call the crew.").
  const { sentence, gloss } = definingSentence(texts, term);
  const at = Math.max(
    0,
    texts.findIndex((t) => t.includes(sentence)),
  );
  const shown = blocks.slice(0, at + 1).slice(-2);
  const text = shown.map((b) => b.text).join('\n\n');
  return {
    kind,
    standing,
    path: facts.path,
    span: h.span,
    ...(shown.length ? { blockSpan: { start: shown[0]!.span.start, end: shown[shown.length - 1]!.span.end } } : {}),
    anchor: h.slug,
    sectionTitle: h.text,
    text,
    sentence,
    ...(gloss ? { gloss } : kind === 'glossary-file' && text ? { gloss: text } : {}),
    cites,
    ...sized(texts.join(' ')),
  };
}

/** GitBook's GLOSSARY.md: each `## Term` heading and the paragraph after it. */
function* fromGlossaryFile(facts: FileFacts, index: WorkspaceIndex): Iterable<[string, TermDefinition]> {
  const own = pageGlossaryFacts(facts);
  for (let i = 0; i < facts.headings.length; i++) {
    const h = facts.headings[i]!;
    if (h.depth !== 2 || !h.text.trim() || h.text.length > 60) continue;
    const paragraphs = own.headings.find((x) => x.heading === i)?.paragraphs ?? [];
    yield [
      h.text.trim(),
      headingDefinition(
        facts,
        h,
        h.text.trim(),
        'glossary-file',
        'declared',
        citedPages(facts, i, sectionEnd(facts.headings, i), index),
        paragraphs,
      ),
    ];
  }
}

/**
 * What `fromPage` finds on a page, kept per site and facts object while what
 * it reads besides the facts (the definitions heading, the page's standing,
 * the file list and config its citations resolve against, the home page) is
 * the same: deriving the glossary again after one source page changed (a
 * keystroke in an editor, a batch of sources settled) reads the other pages'
 * definitions as they were found, and a host may find them ahead
 * (`noteGlossarySource`) while it waits for the other sources.
 */
const definitionsFound = new WeakMap<
  WorkspaceIndex,
  WeakMap<FileFacts, { readonly key: string; readonly found: readonly (readonly [string, TermDefinition])[] }>
>();

function definitionsOn(
  facts: FileFacts,
  sectionHeading: string,
  standing: DefinitionStanding,
  index: WorkspaceIndex,
): readonly (readonly [string, TermDefinition])[] {
  let bySite = definitionsFound.get(index);
  if (!bySite) definitionsFound.set(index, (bySite = new WeakMap()));
  const key = `${sectionHeading}\0${standing}\0${index.layoutRevision}\0${index.readmePath}`;
  const held = bySite.get(facts);
  if (held?.key === key) return held.found;
  const found = [...fromPage(facts, sectionHeading, standing, index)];
  bySite.set(facts, { key, found });
  return found;
}

/**
 * Finds a source page's definitions ahead of the glossary's derivation (see
 * `definitionsOn`), as the derivation will: once its facts are in, while the
 * host waits for the other sources' facts.
 */
export function noteGlossarySource(index: WorkspaceIndex, facts: FileFacts): void {
  const cfg = sectionOf(index.config, glossarySection);
  if (cfg.pages ? !cfg.pages.some((p) => index.sitePath(p) === facts.path) : !definesTermsMemo(facts)) return;
  const standing = pageStanding(index, facts.path);
  if (standing !== 'unlisted') definitionsOn(facts, cfg.sectionHeading, standing, index);
}

/** Everything a page defines: its definitions sections, its term headings, and (the home page) its title. */
function* fromPage(
  facts: FileFacts,
  sectionHeading: string,
  standing: DefinitionStanding,
  index: WorkspaceIndex,
): Iterable<[string, TermDefinition]> {
  const own = pageGlossaryFacts(facts);
  const want = sectionHeading.trim().toLowerCase();
  const sections = new Set(own.sections);
  facts.headings.forEach((h, i) => {
    if (h.text.trim().replace(/:$/, '').toLowerCase() === want) sections.add(i);
  });
  const found: { at: number; term: string; def: TermDefinition }[] = [];
  for (const s of sections) found.push(...boldDefinitions(facts, s, standing, index));
  for (const t of own.headings) {
    const h = facts.headings[t.heading];
    if (!h) continue;
    // Inside a definitions section the section's links count as citations; a term heading cites what its own section links.
    const section = [...sections].filter((s) => s < t.heading && t.heading < sectionEnd(facts.headings, s)).pop();
    const cites =
      section !== undefined
        ? citedPages(facts, section, sectionEnd(facts.headings, section), index)
        : citedPages(facts, t.heading, sectionEnd(facts.headings, t.heading), index);
    found.push({
      at: h.span.start,
      term: t.term,
      def: headingDefinition(facts, h, t.term, 'heading', standing, cites, t.paragraphs),
    });
  }
  if (own.lead && facts.path === index.readmePath) {
    const { sentence, gloss } = definingSentence([own.lead.block.text], own.lead.term);
    found.push({
      at: own.lead.span.start,
      term: own.lead.term,
      def: {
        kind: 'lead',
        standing,
        path: facts.path,
        span: own.lead.span,
        blockSpan: own.lead.block.span,
        text: own.lead.block.text,
        sentence,
        ...(gloss ? { gloss } : {}),
        cites: [],
        ...sized(own.lead.block.text),
      },
    });
  }
  found.sort((a, b) => a.at - b.at);
  for (const f of found) yield [f.term, f.def];
}

/** The bold-introduced terms of a definitions section, grouped by paragraph so that a paragraph defining two terms is split between them. */
function boldDefinitions(
  facts: FileFacts,
  s: number,
  standing: DefinitionStanding,
  index: WorkspaceIndex,
): { at: number; term: string; def: TermDefinition }[] {
  const e = sectionEnd(facts.headings, s);
  const cites = citedPages(facts, s, e, index);
  const candidates = facts.bold.filter(
    (b) =>
      b.section >= s &&
      b.section < e &&
      b.block !== undefined &&
      b.blockOffset !== undefined &&
      isTermShaped(b.text.replace(/:$/, '')),
  );
  const byBlock = new Map<number, typeof candidates>();
  for (const b of candidates) {
    const block = facts.blocks![b.block!]!;
    const shape = definitionShape(block.text, b.blockOffset!, b.text.length);
    if (!shape?.loose) continue;
    byBlock.set(b.block!, [...(byBlock.get(b.block!) ?? []), b]);
  }
  const found: { at: number; term: string; def: TermDefinition }[] = [];
  for (const [blockIndex, bolds] of byBlock) {
    const block = facts.blocks![blockIndex]!;
    const all = sentences(block.text);
    bolds.forEach((b, k) => {
      const shape = definitionShape(block.text, b.blockOffset!, b.text.length)!;
      const next = bolds[k + 1];
      const from = k === 0 ? 0 : shape.sentence.start;
      const to = next
        ? (all.find((x) => x.start <= next.blockOffset! && next.blockOffset! < x.end)?.start ?? block.text.length)
        : block.text.length;
      const text = bolds.length === 1 ? block.text : block.text.slice(from, Math.max(to, shape.sentence.end)).trim();
      const term = b.text.replace(/:$/, '').trim();
      const heading = facts.headings[b.section]!;
      found.push({
        at: b.span.start,
        term,
        def: {
          kind: 'bold',
          standing,
          path: facts.path,
          span: b.span,
          blockSpan: b.blockSpan,
          anchor: heading.slug,
          sectionTitle: heading.text,
          text,
          sentence: shape.sentence.text,
          ...(shape.gloss ? { gloss: shape.gloss } : {}),
          cites,
          ...sized(text),
        },
      });
    });
  }
  return found;
}

/** A clear practice: at least four uses in five one way, over at least four uses. */
function clearPractice(c: { upper: number; lower: number }): 'upper' | 'lower' | undefined {
  const total = c.upper + c.lower;
  if (total < 4) return undefined;
  if (c.lower / total >= 0.8) return 'lower';
  if (c.upper / total >= 0.8) return 'upper';
  return undefined;
}

function casePolicyOf(
  b: Builder,
  defaultCase: CasePolicy | 'inferred',
  definitions: readonly TermDefinition[],
): { policy: CasePolicy; reason: string; practice?: 'lower' | 'upper' } {
  if (b.case) return { policy: b.case, reason: `set in ${configFileName}` };
  if (defaultCase !== 'inferred')
    return { policy: defaultCase, reason: `\`glossary.defaultCase\` in ${configFileName}` };
  // The current definitions' pages speak for the site; the archive only for a term nothing current defines.
  const current = definitions.some((d) => d.standing !== 'archived');
  const c = current ? b.practice : b.practice.archived;
  const practice = clearPractice(c);
  const said = practice
    ? `the pages that define it write it ${practice === 'lower' ? 'lower-case' : 'capitalised'} (${practice === 'lower' ? c.lower : c.upper} of ${c.upper + c.lower} uses)`
    : `the pages that define it do not say how (${c.upper} capitalised, ${c.lower} lower-case)`;
  const reason = `${inferredReason}: each page keeps the case it writes the term in; ${said}`;
  return { policy: 'consistent-per-page', reason, ...(practice ? { practice } : {}) };
}

/** Numbers as words, for "three to six people". */
const numberWords: Record<string, number> = Object.fromEntries(
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'
    .split(' ')
    .map((w, i) => [w, i] as const)
    .concat([
      ['thirty', 30],
      ['forty', 40],
      ['fifty', 50],
      ['hundred', 100],
    ]),
);
const number = String.raw`(\d[\d,]*|${Object.keys(numberWords).join('|')})`;
const people = String.raw`\s+(?:people|persons|members|humans|individuals)`;
const sizePatterns: readonly RegExp[] = [
  // "3, 4, 5 or 6 people"
  new RegExp(String.raw`\b${number}(?:\s*,\s*${number})+\s*,?\s*(?:or|and)\s+${number}${people}`, 'i'),
  // "3-8 people", "15 to 150 people", "between 30 and 200 people"
  new RegExp(String.raw`\b${number}\s*(?:-|–|—|to|and)\s*${number}${people}`, 'i'),
  // "up to about 8 people"
  new RegExp(String.raw`\bup\s+to\s+(?:about\s+|around\s+)?${number}${people}`, 'i'),
];

function toNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const w = numberWords[s.toLowerCase()];
  if (w !== undefined) return w;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** The first group size a text states: "about 3, 4, 5 or 6 people" → 3–6. */
export function groupSizeIn(text: string): GroupSize | undefined {
  let best: { at: number; size: GroupSize } | undefined;
  for (const re of sizePatterns) {
    const m = re.exec(text);
    if (!m || (best && best.at <= m.index)) continue;
    const numbers = m
      .slice(1)
      .map(toNumber)
      .filter((n): n is number => n !== undefined);
    if (numbers.length === 0) continue;
    const upTo = /^up\s/i.test(m[0]);
    const size = { ...(upTo ? {} : { min: Math.min(...numbers) }), max: Math.max(...numbers), text: m[0] };
    best = { at: m.index, size };
  }
  return best?.size;
}
