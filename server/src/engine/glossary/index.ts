/** The glossary: terms read from the content and the config, their uses in pages, and what the rules find. */
export { glossarySection } from './config';
export type { Glossary, GlossaryTerm, TermDefinition, GroupSize } from './model';
export { glossaryOf, glossaryFingerprint, matcherOf } from './knowledge';
export { scanTermUses, termUsesOf } from './scan';
export { caseProblems, avoidProblems } from './casing';
export { definitionShape } from './define';
export { deriveForms } from './words';
export { pageStanding } from './standing';
export { mayDefineTerms } from './pageFacts';
