import * as vscode from 'vscode';
import {
  CloseAction,
  DiagnosticPullMode,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  vsdiag,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol';
import { clientId, displayName, serverModule } from './constants';
import { showReferencesCommand } from './showReferences';
import type { RevealOnFirstErrorChannel } from './output';
import { isEnabledFor, settingsFor } from './settings';
import { enableModes } from './scope';

/**
 * Which documents the server sees: Markdown pages on disk, plus the two
 * configuration files it reads (`.msolrc.json`, GitBook's `.gitbook.yaml`).
 * Only the `file` scheme: the engine resolves links against the site folder on
 * disk, so untitled buffers and virtual file systems would give wrong answers.
 */
export const documentSelector = [
  { scheme: 'file', language: 'markdown' },
  { scheme: 'file', pattern: '**/.msolrc.json' },
  { scheme: 'file', pattern: '**/.gitbook.yaml' },
];

/** VS Code's built-in Markdown language features (completion of paths and headings, links, references, rename, outline). */
export const builtinMarkdownExtension = 'vscode.markdown-language-features';

const emptyReport: vsdiag.FullDocumentDiagnosticReport = Object.freeze({
  kind: vsdiag.DocumentDiagnosticReportKind.full,
  items: [],
}) as vsdiag.FullDocumentDiagnosticReport;

/**
 * Builds (does not start) the language client for the bundled server.
 * The server is started over Node IPC from `server/out/server.js`; no
 * `synchronize.fileEvents`: the server registers its own file watchers.
 */
export function createLanguageClient(
  context: vscode.ExtensionContext,
  channel: RevealOnFirstErrorChannel,
): LanguageClient {
  const module = context.asAbsolutePath(serverModule);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };

  // Filled in once the client exists: the library's default handler restarts a
  // crashed server a few times, then gives up with a message.
  let fallback: ErrorHandler | undefined;
  const errorHandler: ErrorHandler = {
    error: (error, message, count) => fallback?.error(error, message, count) ?? { action: ErrorAction.Shutdown },
    closed: () => fallback?.closed() ?? { action: CloseAction.DoNotRestart },
  };

  // What VS Code does beyond LSP: the status bar, its own commands, `#L<line>` links; and each
  // folder's msol.enable (read at every start: a change restarts the server).
  const initializationOptions = (): InitializationOptions => ({
    statusNotification: true,
    clientCommands: [showReferencesCommand, 'editor.action.triggerSuggest'],
    lineFragments: true,
    // VS Code's own Markdown features (unless disabled): the server leaves out what they offer.
    builtinMarkdown: vscode.extensions.getExtension(builtinMarkdownExtension) !== undefined,
    // Restricted Mode: the server runs no git (a repository's config can name programs to run).
    workspaceTrusted: vscode.workspace.isTrusted,
    enable: enableModes(),
  });

  const clientOptions: LanguageClientOptions = {
    documentSelector,
    initializationOptions,
    outputChannel: channel,
    // The channel itself comes forward on the first error (output.ts); no pop-ups.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler,
    initializationFailedHandler: (error) => {
      channel.error(
        `The language server failed to initialise: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false; // do not retry: the same bundle would fail the same way
    },
    markdown: { isTrusted: false, supportHtml: false },
    // The server reads the `msol` settings per resource (workspace/configuration);
    // a change notifies it so it drops what it cached.
    synchronize: { configurationSection: 'msol' },
    // `msol.run`: a folder set to `onSave` is not pulled while its pages are typed in.
    diagnosticPullOptions: {
      onChange: true,
      onSave: true,
      filter: (document, mode) => mode === DiagnosticPullMode.onType && settingsFor(document.uri).run === 'onSave',
    },
    middleware: {
      workspace: {
        // Link updates on a move: when the built-in Markdown features update links too
        // (`markdown.updateLinksOnFileMove.enabled` not "never"), theirs run alone, never both.
        willRenameFiles: (event, next) => {
          const first = event.files[0]?.oldUri;
          const builtin = vscode.workspace
            .getConfiguration('markdown', first)
            .get<string>('updateLinksOnFileMove.enabled', 'never');
          return builtin !== 'never' && vscode.extensions.getExtension(builtinMarkdownExtension)
            ? Promise.resolve(undefined)
            : next(event);
        },
      },
      // `msol.enable` is resource-scoped: a folder that turned the checks off
      // gets no problems, even while the server runs for other folders.
      provideDiagnostics: (document, previousResultId, token, next) => {
        const uri = document instanceof vscode.Uri ? document : document.uri;
        if (!isEnabledFor(uri)) return emptyReport;
        // `msol.run: onSave`: unsaved text keeps the problems of the saved text (also on a server refresh).
        if (
          previousResultId !== undefined &&
          !(document instanceof vscode.Uri) &&
          document.isDirty &&
          settingsFor(uri).run === 'onSave'
        ) {
          return { kind: vsdiag.DocumentDiagnosticReportKind.unChanged, resultId: previousResultId };
        }
        return next(document, previousResultId, token);
      },
      provideWorkspaceDiagnostics: (resultIds, token, resultReporter, next) => {
        const keep = (report: vsdiag.WorkspaceDocumentDiagnosticReport) => isEnabledFor(report.uri);
        const filtered: vsdiag.ResultReporter = (chunk) => {
          if (chunk === null) return resultReporter(chunk);
          resultReporter({ items: chunk.items.filter(keep) });
        };
        return Promise.resolve(next(resultIds, token, filtered)).then((result) =>
          result ? { items: result.items.filter(keep) } : result,
        );
      },
    },
  };

  const client = new LanguageClient(clientId, displayName, serverOptions, clientOptions);
  fallback = client.createDefaultErrorHandler();
  return client;
}
