/** The engine's public API: what the CLI, the language server and tests may import. */
export * from './types';
export * from './host';
export {
  Project,
  analyzeDocument,
  configSchemaForRegistry,
  gitbookYamlName,
  type DocumentAnalysis,
  type ProjectOptions,
  type WorkspaceFindingsCache,
} from './project';
export { WorkspaceIndex, type Resolution, type SummaryEntry } from './workspace';
export { configFileName, defaultConfig, type MsolConfig } from './config/config';
export { describeSite, formatSiteDescription, type SiteDescription, type SilentRule } from './site/describe';
export { isSiteDefinitionPath, type SiteIdentity, type SiteValue } from './site/identity';
export { siteKinds, siteKindLabel, type SiteKind } from './site/kind';
export { rules, ruleIds, ruleById, engineFindingIds } from './rules/index';
export { applyEdits, fixEdits } from './fix';
export { applyFixVerdicts, fixVerdictsOf, type FixVerdicts } from './safeFixes';
export { LineIndex, decodeUtf8, lineOf } from './text';
export { parseDocument, type ParsedDocument } from './parse/markdown';
export { isMarkdownPath, resolvePath, relativePath, dirname, basename } from './paths';
export type { FileFacts, Reference, Heading } from './facts';
export type { DeferredFacts, FileRename } from './workspace';
export * from './features/types';
export {
  linkCompletions,
  linkDocumentLinks,
  linkHover,
  linkDefinition,
  linkReferences,
  proposalCodeLenses,
  prepareHeadingRename,
  renameHeading,
  linkEditsForMoves,
  workspaceEditRanges,
  headingDocumentSymbols,
  headingWorkspaceSymbols,
  proposalLinkChoices,
  linksReport,
  formatLinksText,
  formatLinksJson,
  type TextSource,
  type FileMove,
  type ProposalLinkChoice,
  type LinkFeatureScope,
} from './features/links';
export { historyAuthorCandidates } from './attribution/history';
export { historyFingerprint, lineageOf, contentWhenLinkWorked } from './history';
export type { LinksReport, LinksReportOptions, BrokenLink } from './links/report';
