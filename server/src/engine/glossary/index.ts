/** The glossary: terms read from the content and the config, their uses in pages, and what the rules find. */
export { glossarySection, casePolicies, type CasePolicy, type GlossaryConfig, type TermConfig } from './config';
export type { Glossary, GlossaryTerm, TermDefinition, TermForm, DefinitionKind, DefinitionStanding, FormKind, GroupSize } from './model';
export { emptyGlossary } from './model';
export { deriveGlossary, glossarySources, groupSizeIn } from './derive';
export { pageStanding, type PageStanding } from './standing';
export { pageGlossaryFacts, mayDefineTerms, type PageGlossaryFacts } from './pageFacts';
export { glossaryKnowledge, glossaryOf, glossaryFingerprint, matcherOf, type Matcher, type FormMatch } from './knowledge';
export { scanTermUses, termUsesOf, cachedTermUses, isUrlLike, type TermUse } from './scan';
export { caseProblems, avoidProblems, recase, articleFor, isCaseEvidence, type CaseProblem, type AvoidProblem } from './casing';
export { definitionShape, type DefinitionShape } from './define';
export { deriveForms, pluralOf } from './words';
