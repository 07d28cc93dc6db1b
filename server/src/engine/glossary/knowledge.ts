import { know, registerKnowledge, type KnowledgeKind } from '../knowledge';
import type { WorkspaceIndex } from '../workspace';
import { emptyGlossary, type Glossary, type GlossaryTerm, type TermForm } from './model';
import { deriveGlossary, glossarySources, hintGlossarySource, noteGlossarySource } from './derive';
import { mayDefineTerms } from './pageFacts';
import { formKey, wholeWordPattern } from './words';

/**
 * The glossary as site knowledge: derived from its source pages' facts and
 * the config, re-derived only when they change. Its fingerprint holds what
 * document rules observe (terms, forms, policies, synonyms, where each is
 * defined); a change to it makes the Project re-check the pages checked
 * with the old glossary. Definition texts and offsets are left out: editing
 * a definition's wording re-checks no other page.
 */
export const glossaryKnowledge: KnowledgeKind<Glossary> = registerKnowledge<Glossary>({
  id: 'glossary',
  sources(index) {
    const { file, pages, summary } = glossarySources(index);
    return [...new Set([...(file ? [file] : []), ...pages, ...(summary ? [summary] : [])])];
  },
  hintOf: mayDefineTerms,
  noteHint: hintGlossarySource,
  prepareSource: noteGlossarySource,
  derive(sources, config, index) {
    const siteName = (sources.get(index.readmePath) ?? index.facts(index.readmePath))?.title;
    const g = deriveGlossary(sources, config, index);
    return siteName === undefined ? g : { ...g, siteName };
  },
  // A derivation that throws leaves the glossary empty, and the crash is a rule-crashed finding on the source page (knowledge.ts).
  whenBroken: () => emptyGlossary,
  fingerprint: glossaryFingerprint,
});

const fingerprints = new WeakMap<Glossary, string>();

export function glossaryFingerprint(g: Glossary): string {
  let f = fingerprints.get(g);
  if (f === undefined) {
    f = JSON.stringify([
      g.siteName ?? '',
      g.terms.map((t) => [
        t.term,
        t.forms.map((x) => x.text),
        t.case,
        t.practice ?? '',
        t.avoid.map((a) => a.synonym),
        t.definitions.map((d) => `${d.kind}:${d.standing}:${d.path}#${d.anchor ?? ''}`),
      ]),
    ]);
    fingerprints.set(g, f);
  }
  return f;
}

/** The site's glossary as the index knows it now. */
export function glossaryOf(index: WorkspaceIndex): Glossary {
  return know(index, glossaryKnowledge);
}

export interface FormMatch {
  readonly term: GlossaryTerm;
  /** The form matched, in canonical case (of the term, or of the synonym for `avoid` matches). */
  readonly form: TermForm;
  /** Set when the match is a synonym to avoid. */
  readonly synonym?: string;
}

export interface Matcher {
  /** Matches every form of every term and synonym as a whole word. Global: reset lastIndex before use. */
  readonly pattern: RegExp | undefined;
  lookup(matched: string): FormMatch | undefined;
  termNamed(name: string): GlossaryTerm | undefined;
}

const matchers = new WeakMap<Glossary, Matcher>();

export function matcherOf(g: Glossary): Matcher {
  let m = matchers.get(g);
  if (!m) {
    const byForm = new Map<string, FormMatch>();
    // Term forms win over synonyms, earlier terms over later ones.
    for (const term of g.terms)
      for (const form of term.forms)
        if (!byForm.has(formKey(form.text))) byForm.set(formKey(form.text), { term, form });
    for (const term of g.terms)
      for (const a of term.avoid)
        for (const form of a.forms)
          if (!byForm.has(formKey(form.text))) byForm.set(formKey(form.text), { term, form, synonym: a.synonym });
    const pattern = wholeWordPattern([
      ...g.terms.flatMap((t) => t.forms.map((f) => f.text)),
      ...g.terms.flatMap((t) => t.avoid.flatMap((a) => a.forms.map((f) => f.text))),
    ]);
    const byName = new Map(g.terms.map((t) => [formKey(t.term), t]));
    m = {
      pattern,
      lookup: (matched) => byForm.get(formKey(matched)),
      termNamed: (name) => byName.get(formKey(name)) ?? byForm.get(formKey(name))?.term,
    };
    matchers.set(g, m);
  }
  return m;
}
