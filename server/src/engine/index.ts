/** The engine's public API: what the CLI, the language server and tests may import. */
export * from './types';
export * from './host';
export { Project, analyzeDocument, configSchemaForRegistry, gitbookYamlName, type DocumentAnalysis, type ProjectOptions, type WorkspaceFindingsCache } from './project';
export { WorkspaceIndex, type Resolution, type SummaryEntry } from './workspace';
export { configFileName, defaultConfig, type MsolConfig } from './config/config';
export { rules, ruleIds, ruleById, engineFindingIds } from './rules/index';
export { applyEdits, fixEdits } from './fix';
export { LineIndex, decodeUtf8 } from './text';
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
  type LinksReport,
  type LinksReportOptions,
  type BrokenLink,
} from './features/links';
export { setCommitAuthors, type CommitAuthors } from './attribution/records';
