import type { FileFacts, Heading, TextBlock } from '../facts';
import type { MsolConfig } from '../config/config';
import { configFileName, sectionOf } from '../config/config';
import type { WorkspaceIndex } from '../workspace';
import type { CasePolicy, TermConfig } from './config';
import { glossarySection } from './config';
import type { Glossary, GlossaryTerm, TermDefinition, TermForm } from './model';
import { definitionShape } from './define';
import { deriveForms, formKey, isAllCaps, isInTitle, isSentenceStart, isTermShaped, sentences, startsUpper, termOfHeading, wholeWordPattern } from './words';

/**
 * Reads the glossary from its sources, in order: GLOSSARY.md (GitBook's
 * `## Term` + definition), the "Definition of terms" section of the home page
 * and of the proposal (bold-introduced terms, and headings naming one term
 * each), then `glossary.terms` in `.msolrc.json`. Pure: facts and config in,
 * plain data out.
 */

/** The site paths the glossary is read from, in order. */
export function glossarySources(index: WorkspaceIndex): { readonly file?: string; readonly pages: readonly string[] } {
  const cfg = sectionOf(index.config, glossarySection);
  const pages = (cfg.pages ?? [index.config.site.readme, index.config.site.proposal]).map((p) => index.sitePath(p));
  return { ...(cfg.file ? { file: index.sitePath(cfg.file) } : {}), pages: [...new Set(pages)] };
}

interface Builder {
  term: string;
  extraForms: string[];
  forms: TermForm[];
  case?: CasePolicy;
  avoid: string[];
  definitions: TermDefinition[];
}

export function deriveGlossary(sources: ReadonlyMap<string, FileFacts>, config: MsolConfig, index: WorkspaceIndex): Glossary {
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
    else builders.push({ term, extraForms: [], forms: deriveForms(term), avoid: [], definitions: [def] });
  };

  if (where.file) {
    const facts = sources.get(where.file);
    if (facts) for (const [term, def] of fromGlossaryFile(facts, index)) add(term, def);
  }
  for (const page of where.pages) {
    if (page === where.file) continue;
    const facts = sources.get(page);
    if (facts) for (const [term, def] of fromDefinitionSection(facts, cfg.sectionHeading, index)) add(term, def);
  }
  for (const t of cfg.terms ?? []) {
    if (!t || typeof t.term !== 'string' || !t.term.trim()) continue;
    applyConfig(t, find(t.term.trim()), builders);
  }

  const evidence = caseEvidence(builders, [...sources.values()]);
  const terms: GlossaryTerm[] = builders.map((b) => {
    const forms = b.extraForms.length ? deriveForms(b.term, b.extraForms) : b.forms;
    const { policy, reason } = casePolicyOf(b, cfg.defaultCase, evidence.get(b) ?? { upper: 0, lower: 0 }, index);
    const own = new Set(forms.map((f) => f.text.toLowerCase()));
    return {
      term: b.term,
      forms,
      case: policy,
      caseReason: reason,
      avoid: [...new Set(b.avoid.map((a) => a.trim()).filter((a) => a && !own.has(a.toLowerCase())))].map((synonym) => ({ synonym, forms: deriveForms(synonym) })),
      definition: b.definitions[0]!,
      definitions: b.definitions,
    };
  });
  return { terms };
}

function applyConfig(t: TermConfig, existing: Builder | undefined, builders: Builder[]): void {
  const term = t.term.trim();
  const def: TermDefinition | undefined =
    t.definition !== undefined || !existing ? { kind: 'config', path: configFileName, text: clean(t.definition ?? ''), sentence: clean(t.definition ?? ''), ...(t.definition ? { gloss: clean(t.definition) } : {}), cites: [] } : undefined;
  const b = existing ?? { term, extraForms: [], forms: deriveForms(term), avoid: [], definitions: [] };
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

function blockOf(facts: FileFacts, i: number | undefined): TextBlock | undefined {
  return i === undefined ? undefined : facts.blocks?.[i];
}

/** The index after the last heading of a section that starts at heading `s`. */
function sectionEnd(headings: readonly Heading[], s: number): number {
  const depth = headings[s]!.depth;
  let e = s + 1;
  while (e < headings.length && headings[e]!.depth > depth) e++;
  return e;
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

function headingDefinition(facts: FileFacts, h: Heading, term: string, kind: 'heading' | 'glossary-file', cites: string[]): TermDefinition {
  const block = blockOf(facts, h.firstBlock);
  const text = block?.text ?? '';
  const all = sentences(text);
  const mentions = wholeWordPattern(deriveForms(term).map((f) => f.text));
  // The first sentence, unless it leaves the term out and the second names it ("…when I say “Self” I'm thinking of…").
  // The pattern is global: a test from the start finds any match, as a non-global copy would.
  const names = (x: { text: string } | undefined) => {
    if (!x || !mentions) return false;
    mentions.lastIndex = 0;
    return mentions.test(x.text);
  };
  const sentence = names(all[0]) || !names(all[1]) ? all[0] : all[1];
  const sentenceText = sentence?.text ?? '';
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const own = new RegExp(`^(?:an?|the)?\\s*${escaped}s?\\s+(?:is|are|means)\\s+(.+)$`, 'i').exec(sentenceText);
  const gloss = own ? own[1] : kind === 'glossary-file' ? text : undefined;
  return {
    kind,
    path: facts.path,
    span: h.span,
    ...(block ? { blockSpan: block.span } : {}),
    anchor: h.slug,
    sectionTitle: h.text,
    text,
    sentence: sentenceText,
    ...(gloss ? { gloss } : {}),
    cites,
  };
}

/** GitBook's GLOSSARY.md: each `## Term` heading and the paragraph after it. */
function* fromGlossaryFile(facts: FileFacts, index: WorkspaceIndex): Iterable<[string, TermDefinition]> {
  for (let i = 0; i < facts.headings.length; i++) {
    const h = facts.headings[i]!;
    if (h.depth !== 2 || !h.text.trim() || h.text.length > 60) continue;
    yield [h.text.trim(), headingDefinition(facts, h, h.text.trim(), 'glossary-file', citedPages(facts, i, sectionEnd(facts.headings, i), index))];
  }
}

/** The "Definition of terms" section of a page: bold-introduced terms and headings naming one term each. */
function* fromDefinitionSection(facts: FileFacts, sectionHeading: string, index: WorkspaceIndex): Iterable<[string, TermDefinition]> {
  const want = sectionHeading.trim().toLowerCase();
  const s = facts.headings.findIndex((h) => h.text.trim().replace(/:$/, '').toLowerCase() === want);
  if (s < 0) return;
  const e = sectionEnd(facts.headings, s);
  const cites = citedPages(facts, s, e, index);
  const found: { at: number; term: string; def: TermDefinition }[] = [];

  // Bold phrases that introduce a term, grouped by paragraph so that a paragraph defining two terms is split between them.
  const candidates = facts.bold.filter((b) => b.section >= s && b.section < e && b.block !== undefined && b.blockOffset !== undefined && isTermShaped(b.text.replace(/:$/, '')));
  const byBlock = new Map<number, typeof candidates>();
  for (const b of candidates) {
    const block = facts.blocks![b.block!]!;
    const shape = definitionShape(block.text, b.blockOffset!, b.text.length);
    if (!shape?.loose) continue;
    byBlock.set(b.block!, [...(byBlock.get(b.block!) ?? []), b]);
  }
  for (const [blockIndex, bolds] of byBlock) {
    const block = facts.blocks![blockIndex]!;
    const all = sentences(block.text);
    bolds.forEach((b, k) => {
      const shape = definitionShape(block.text, b.blockOffset!, b.text.length)!;
      const next = bolds[k + 1];
      const from = k === 0 ? 0 : shape.sentence.start;
      const to = next ? all.find((x) => x.start <= next.blockOffset! && next.blockOffset! < x.end)?.start ?? block.text.length : block.text.length;
      const text = bolds.length === 1 ? block.text : block.text.slice(from, Math.max(to, shape.sentence.end)).trim();
      const term = b.text.replace(/:$/, '').trim();
      const heading = facts.headings[b.section]!;
      found.push({
        at: b.span.start,
        term,
        def: {
          kind: 'bold',
          path: facts.path,
          span: b.span,
          blockSpan: b.blockSpan,
          anchor: heading.slug,
          sectionTitle: heading.text,
          text,
          sentence: shape.sentence.text,
          ...(shape.gloss ? { gloss: shape.gloss } : {}),
          cites,
        },
      });
    });
  }
  // Headings below the section heading that name one term: `#### 3: the Crew`.
  for (let i = s + 1; i < e; i++) {
    const h = facts.headings[i]!;
    const term = termOfHeading(h.text);
    if (!term || !isTermShaped(term) || term.split(/\s+/).length > 3) continue;
    found.push({ at: h.span.start, term, def: headingDefinition(facts, h, term, 'heading', cites) });
  }
  found.sort((a, b) => a.at - b.at);
  for (const f of found) yield [f.term, f.def];
}

interface Evidence {
  upper: number;
  lower: number;
}

/** How the source pages write each term mid-sentence (titles, sentence starts and capitals-only words aside). */
function caseEvidence(builders: readonly Builder[], facts: readonly FileFacts[]): Map<Builder, Evidence> {
  const out = new Map<Builder, Evidence>();
  const byForm = new Map<string, Builder>();
  for (const b of builders) for (const f of b.forms) byForm.set(formKey(f.text), b);
  const pattern = wholeWordPattern(builders.flatMap((b) => b.forms.map((f) => f.text)));
  if (!pattern) return out;
  for (const f of facts) {
    for (const block of f.blocks ?? []) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(block.text); m; m = pattern.exec(block.text)) {
        const b = byForm.get(formKey(m[0]));
        if (!b || isAllCaps(m[0]) || isSentenceStart(block.text, m.index)) continue;
        const upper = startsUpper(m[0]);
        if (upper && isInTitle(block.text, m.index, m.index + m[0].length)) continue;
        const e = out.get(b) ?? { upper: 0, lower: 0 };
        if (upper) e.upper++;
        else e.lower++;
        out.set(b, e);
      }
    }
  }
  return out;
}

function casePolicyOf(b: Builder, defaultCase: CasePolicy | 'inferred', e: Evidence, index: WorkspaceIndex): { policy: CasePolicy; reason: string } {
  if (b.case) return { policy: b.case, reason: `set in ${configFileName}` };
  if (defaultCase !== 'inferred') return { policy: defaultCase, reason: `\`glossary.defaultCase\` in ${configFileName}` };
  const siteVocabulary = b.definitions.some((d) => d.kind === 'glossary-file' || d.kind === 'config' || d.path === index.readmePath);
  if (!siteVocabulary) {
    const where = [...new Set(b.definitions.map((d) => d.path))].join(', ');
    return { policy: 'consistent-per-page', reason: `only ${where} defines it (an article's own vocabulary): each page keeps one case` };
  }
  const mid = `written mid-sentence on the source pages: ${e.upper} capitalised, ${e.lower} lower-case`;
  if (startsUpper(b.term) && e.lower > e.upper) return { policy: 'lower-in-prose', reason: mid };
  return { policy: 'as-defined', reason: e.upper + e.lower > 0 ? mid : 'as the glossary writes it' };
}
