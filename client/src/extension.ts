/**
 * The extension's entry point. Activation is lazy (package.json
 * `activationEvents`: a Markdown file opened, or a folder holding SUMMARY.md,
 * .msolrc.json, .gitbook.yaml or book.toml). `activate` builds the language
 * client, the status bar item and the commands, and starts the bundled server
 * only when the workspace holds a site it serves (scope.ts): in a plain
 * Markdown folder it does nothing more. It returns an API object that tests
 * (and other extensions) can await instead of sleeping.
 *
 * Nothing here writes to the workspace: edits happen only when the user picks
 * a quick fix or runs a command. In Restricted Mode the server is told the
 * workspace is not trusted and runs no `git`; the status bar says so. Both keep
 * the `limited` support for untrusted workspaces honest.
 */
import * as vscode from 'vscode';
import { DocumentDiagnosticRequest, LanguageClient, State } from 'vscode-languageclient/node';
import { CheckSiteRequest, StatusNotification } from '../../server/src/protocol';
import { createLanguageClient } from './client';
import { commands, displayName, serverModule } from './constants';
import { RevealOnFirstErrorChannel } from './output';
import { computeScope, enableModes, isEmpty, watchSiteMarkers, type Scope } from './scope';
import { registerAuthoringCommands } from './commands/index';
import { PreviewSupport, type PreviewApi } from './preview/index';
import type { MarkdownIt } from './preview/markdownIt';
import { registerShowReferences } from './showReferences';
import { registerContextKeys } from './contextKeys';
import { StatusBar } from './statusBar';

/** What `activate` returns (`vscode.extensions.getExtension(id).exports`). */
export interface MsolApi {
  /** The language client. It exists even while the checks are off; then it is not started. */
  readonly client: LanguageClient;
  /**
   * Settles when the first start of the server has finished: resolves once the
   * client is running (or once it is known that no site is in scope, without
   * starting it), rejects when the server could not be started.
   */
  readonly ready: Promise<void>;
  /** Where the extension works now (scope.ts); empty in a plain Markdown folder. */
  readonly scope: Scope;
  /** Whether the status bar item is shown (only where a site is in scope). */
  readonly statusBarVisible: boolean;
  /** The status bar item's text and tooltip (as Markdown), for tests. */
  readonly statusBarText: string;
  readonly statusBarTooltip: string;
  /** The last `msol/status` the server sent since the client (re)started. */
  readonly status: StatusNotification.Params | undefined;
  /** Fires on every `msol/status` from the server. */
  readonly onDidChangeStatus: vscode.Event<StatusNotification.Params>;
  /** The Markdown preview's glossary (tests wait on it). */
  readonly preview: PreviewApi;
  /** Called by the built-in Markdown extension (package.json `markdown.markdownItPlugins`). */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

let current: { client: LanguageClient } | undefined;

export function activate(context: vscode.ExtensionContext): MsolApi {
  const channel = new RevealOnFirstErrorChannel(displayName);
  const statusBar = new StatusBar(vscode.workspace.isTrusted);
  const statusChanged = new vscode.EventEmitter<StatusNotification.Params>();
  const client = createLanguageClient(context, channel);
  current = { client };
  context.subscriptions.push(channel, statusBar, statusChanged);
  const preview = new PreviewSupport(client, statusChanged.event);
  context.subscriptions.push(
    preview,
    registerContextKeys(preview),
    ...registerAuthoringCommands({ client, log: channel, storage: context.globalStorageUri }),
  );

  context.subscriptions.push(
    client.onNotification(StatusNotification.type, (status) => {
      statusBar.setStatus(status);
      statusChanged.fire(status);
    }),
    client.onDidChangeState((e) => statusBar.setClientState(e.newState)),
  );

  // Start, stop and restart one after another: a settings change during a
  // start must not race it.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  // The scope (scope.ts) decides whether a server runs at all; the server was told each folder's msol.enable.
  let scope: Scope = { folders: [], loosePages: false };
  let startedWith = '';
  const applyScope = (first = false): Promise<void> =>
    serially(async () => {
      scope = await computeScope();
      const inScope = !isEmpty(scope);
      await vscode.commands.executeCommand('setContext', 'msol.active', inScope);
      statusBar.setInScope(inScope);
      const modes = JSON.stringify(enableModes());
      if (!inScope) {
        if (client.needsStop()) {
          channel.info(
            'No site to check here (SUMMARY.md, .gitbook.yaml, book.toml or .msolrc.json, or msol.enable "on"): stopping the language server.',
          );
          await client.stop();
        } else if (first)
          channel.info(
            'No site to check here (SUMMARY.md, .gitbook.yaml, book.toml or .msolrc.json, or msol.enable "on"): the language server is not started.',
          );
        return;
      }
      if (client.needsStart()) {
        startedWith = modes;
        channel.info(
          `Starting the language server (${context.asAbsolutePath(serverModule)}) for ${scope.folders.length ? scope.folders.map((f) => f.name).join(', ') : 'the open pages'}`,
        );
        statusBar.setClientState(State.Starting);
        try {
          await client.start();
        } catch (error) {
          channel.error(`The language server could not be started: ${message(error)}`);
          statusBar.setClientState(State.Stopped);
          throw error;
        }
      } else if (modes !== startedWith) {
        // The server was told each folder's msol.enable when it started.
        startedWith = modes;
        channel.info('msol.enable changed: restarting the language server.');
        await client.restart();
      } else {
        // A site appeared or went away while the server keeps running (it follows site markers itself): re-pull problems.
        client.getFeature(DocumentDiagnosticRequest.method)?.refresh();
      }
    });

  const ready = applyScope(true);
  // Consumers that await `ready` still see a rejection; this only keeps an
  // unobserved one from being reported as unhandled.
  ready.catch(() => undefined);
  const reapply = () =>
    void applyScope().catch((error) => channel.error(`Applying msol.enable failed: ${message(error)}`));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('msol.enable')) reapply();
      // msol.rules: the server reads the severities at each pull, so re-pulling applies them.
      else if (e.affectsConfiguration('msol.rules') && client.isRunning())
        client.getFeature(DocumentDiagnosticRequest.method)?.refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(reapply),
    // Trusted now: a new server reads the git history an untrusted workspace went without.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      statusBar.setTrusted(true);
      void serially(async () => {
        if (!client.isRunning()) return;
        channel.info('The workspace is trusted now: restarting the language server to read its git history.');
        await client.restart();
      }).catch((error) => channel.error(`Restarting the language server failed: ${message(error)}`));
    }),
    watchSiteMarkers(reapply),
    // Without a folder, a page opened below a site marker brings the scope.
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (
        isEmpty(scope) &&
        !vscode.workspace.workspaceFolders?.length &&
        doc.languageId === 'markdown' &&
        doc.uri.scheme === 'file'
      )
        reapply();
    }),

    vscode.commands.registerCommand(commands.restartServer, () =>
      serially(async () => {
        if (isEmpty(scope)) {
          void vscode.window.showInformationMessage(
            `${displayName}: no site to check here (SUMMARY.md, .gitbook.yaml, book.toml or .msolrc.json, or msol.enable "on"), so there is no server to restart.`,
          );
          return;
        }
        channel.info('Restarting the language server.');
        if (client.needsStart()) await client.start();
        else await client.restart();
      }).catch((error) => {
        channel.error(`Restarting the language server failed: ${message(error)}`);
      }),
    ),

    vscode.commands.registerCommand(commands.checkSite, () => checkSite(client, channel)),
    registerShowReferences(client),

    vscode.commands.registerCommand(commands.openSettings, () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`),
    ),
  );

  return {
    client,
    ready,
    get scope() {
      return scope;
    },
    get statusBarVisible() {
      return statusBar.visible;
    },
    get statusBarText() {
      return statusBar.text;
    },
    get statusBarTooltip() {
      return statusBar.tooltip;
    },
    get status() {
      return statusBar.status;
    },
    onDidChangeStatus: statusChanged.event,
    preview,
    extendMarkdownIt: (md: MarkdownIt) => preview.extendMarkdownIt(md),
  };
}

/**
 * "Check whole site": asks the server to check every page, with a cancellable
 * progress notification, then shows the Problems view where the results land.
 * Returns the server's counts (undefined when cancelled or not possible).
 */
async function checkSite(
  client: LanguageClient,
  channel: RevealOnFirstErrorChannel,
): Promise<CheckSiteRequest.Result | undefined> {
  if (client.state !== State.Running) {
    void vscode.window.showWarningMessage(
      `${displayName}: the language server is not running (no site here, or it stopped). Run "Microsolidarity: Restart Language Server" in a site.`,
    );
    return undefined;
  }
  let result: CheckSiteRequest.Result | undefined;
  let cancelled = false;
  try {
    result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `${displayName}: checking the whole site`,
        cancellable: true,
      },
      (_progress, token) => {
        token.onCancellationRequested(() => (cancelled = true));
        return client.sendRequest(CheckSiteRequest.type, undefined, token);
      },
    );
  } catch (error) {
    if (cancelled) return undefined;
    channel.error(`Checking the whole site failed: ${message(error)}`);
    void vscode.window.showErrorMessage(`${displayName}: checking the whole site failed. See the output for details.`);
    return undefined;
  }
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  channel.info(
    `Checked ${result.pages} pages: ${result.errors} errors, ${result.warnings} warnings, ${result.infos} infos.`,
  );
  // Not awaited: a notification stays until dismissed.
  void vscode.window.showInformationMessage(
    `${displayName}: checked ${result.pages} pages: ${result.errors} errors, ${result.warnings} warnings, ${result.infos} infos.`,
  );
  return result;
}

export async function deactivate(): Promise<void> {
  const client = current?.client;
  current = undefined;
  if (client?.needsStop()) await client.stop();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
