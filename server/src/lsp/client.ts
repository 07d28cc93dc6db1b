import type { ClientCapabilities, InitializeParams } from 'vscode-languageserver/node';
import type { EnableMode, InitializationOptions } from '../protocol';

/**
 * Everything the server needs to know about the client, read once from the
 * initialize request, in one place (marksman's ClientDescription). The
 * server sends a request only when the client announced it can take it, and
 * shapes each answer to what the client said it reads (plain-text hovers,
 * completion without snippets, fixes as commands).
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
  /** workspace/applyEdit may be sent (fixes run as commands need it). */
  readonly applyEdit: boolean;
  /** The client takes semantic tokens at all. */
  readonly semanticTokens: boolean;
  /** …registered dynamically (else they are announced in the initialize result). */
  readonly semanticTokensDynamic: boolean;
  /** workspace/semanticTokens/refresh may be sent. */
  readonly semanticTokensRefresh: boolean;
  /** workspace/codeLens/refresh may be sent. */
  readonly codeLensRefresh: boolean;
  /** window/showMessageRequest may be sent. */
  readonly showMessageRequest: boolean;
  /** Hovers may be Markdown (else plain text). */
  readonly hoverMarkdown: boolean;
  /** Completion items may be snippets. */
  readonly snippets: boolean;
  /** Completion documentation may be Markdown. */
  readonly completionMarkdown: boolean;
  /** What the client said in `initializationOptions`. */
  readonly options: ClientOptions;
}

/** `initializationOptions`, checked and with their defaults. */
export interface ClientOptions {
  readonly statusNotification: boolean;
  readonly clientCommands: ReadonlySet<string>;
  readonly lineFragments: boolean;
  readonly builtinMarkdown: boolean;
  readonly workspaceTrusted: boolean;
  /** `msol.enable` per folder URI (without a trailing slash). */
  readonly enable: ReadonlyMap<string, EnableMode>;
}

const enableModes: readonly EnableMode[] = ['auto', 'on', 'off'];

export function readClientOptions(value: unknown): ClientOptions {
  const o = (typeof value === 'object' && value !== null ? value : {}) as {
    [K in keyof InitializationOptions]?: unknown;
  };
  const commands = Array.isArray(o.clientCommands)
    ? o.clientCommands.filter((c): c is string => typeof c === 'string')
    : [];
  const enable = new Map<string, EnableMode>();
  if (typeof o.enable === 'object' && o.enable !== null) {
    for (const [uri, mode] of Object.entries(o.enable))
      if (enableModes.includes(mode as EnableMode)) enable.set(uri.replace(/\/+$/, ''), mode as EnableMode);
  }
  return Object.freeze({
    statusNotification: o.statusNotification === true,
    clientCommands: new Set(commands),
    lineFragments: o.lineFragments === true,
    builtinMarkdown: o.builtinMarkdown === true,
    workspaceTrusted: o.workspaceTrusted !== false,
    enable,
  });
}

export function describeClient(
  c: ClientCapabilities,
  initializationOptions?: InitializeParams['initializationOptions'],
): ClientDescription {
  return Object.freeze({
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    relatedInformation:
      c.textDocument?.diagnostic?.relatedInformation === true ||
      c.textDocument?.publishDiagnostics?.relatedInformation === true,
    pushVersion: c.textDocument?.publishDiagnostics?.versionSupport === true,
    watchedFiles: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
    workDoneProgress: c.window?.workDoneProgress === true,
    codeActionLiterals: c.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
    configuration: c.workspace?.configuration === true,
    applyEdit: c.workspace?.applyEdit === true,
    semanticTokens: c.textDocument?.semanticTokens !== undefined,
    semanticTokensDynamic: c.textDocument?.semanticTokens?.dynamicRegistration === true,
    semanticTokensRefresh: c.workspace?.semanticTokens?.refreshSupport === true,
    codeLensRefresh: c.workspace?.codeLens?.refreshSupport === true,
    showMessageRequest: c.window?.showMessage !== undefined,
    hoverMarkdown: (c.textDocument?.hover?.contentFormat ?? []).includes('markdown'),
    snippets: c.textDocument?.completion?.completionItem?.snippetSupport === true,
    completionMarkdown: (c.textDocument?.completion?.completionItem?.documentationFormat ?? []).includes('markdown'),
    options: readClientOptions(initializationOptions),
  });
}
