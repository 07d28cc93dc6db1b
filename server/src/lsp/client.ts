import type { ClientCapabilities } from 'vscode-languageserver/node';

/**
 * Everything the server needs to know about the client, read once from the
 * initialize request, in one place (marksman's ClientDescription).
 */
export interface ClientDescription {
  /** textDocument/diagnostic: otherwise the server pushes publishDiagnostics. */
  readonly pullDiagnostics: boolean;
  /** workspace/diagnostic/refresh may be sent. */
  readonly diagnosticRefresh: boolean;
  readonly relatedInformation: boolean;
  /** publishDiagnostics accepts a document version. */
  readonly pushVersion: boolean;
  /** The server may register a file watcher (didChangeWatchedFiles). */
  readonly watchedFiles: boolean;
  readonly workspaceFolders: boolean;
  readonly workDoneProgress: boolean;
  /** CodeAction literals (not only Commands). */
  readonly codeActionLiterals: boolean;
  /** WorkspaceEdit.documentChanges (versioned edits). */
  readonly documentChanges: boolean;
  /** The client answers workspace/configuration (the `msol` settings). */
  readonly configuration: boolean;
}

export function describeClient(c: ClientCapabilities): ClientDescription {
  return Object.freeze({
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    relatedInformation: c.textDocument?.diagnostic?.relatedInformation === true || c.textDocument?.publishDiagnostics?.relatedInformation === true,
    pushVersion: c.textDocument?.publishDiagnostics?.versionSupport === true,
    watchedFiles: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
    workDoneProgress: c.window?.workDoneProgress === true,
    codeActionLiterals: c.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
    configuration: c.workspace?.configuration === true,
  });
}
