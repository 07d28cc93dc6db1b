/**
 * The extension's entry point. Activation is lazy (package.json
 * `activationEvents`: a Markdown file opened, or a folder holding SUMMARY.md,
 * .msolrc.json or .gitbook.yaml). `activate` builds the language client,
 * the status bar item and the commands, starts the bundled server when the
 * checks are on, and returns an API object that tests (and other extensions)
 * can await instead of sleeping.
 *
 * Nothing here writes to the workspace: edits happen only when the user picks
 * a quick fix or runs a command, which keeps the `limited` support for
 * untrusted workspaces honest.
 */
import * as vscode from 'vscode';
import { DocumentDiagnosticRequest, LanguageClient, State } from 'vscode-languageclient/node';
import { CheckSiteRequest, StatusNotification } from '../../server/src/protocol';
import { createLanguageClient } from './client';
import { commands, displayName, serverModule } from './constants';
import { RevealOnFirstErrorChannel } from './output';
import { isEnabledAnywhere } from './settings';
import { registerAuthoringCommands } from './commands/index';
import { PreviewSupport, type PreviewApi } from './preview/index';
import type { MarkdownIt } from './preview/markdownIt';
import { registerShowReferences } from './showReferences';
import { StatusBar } from './statusBar';

/** What `activate` returns (`vscode.extensions.getExtension(id).exports`). */
export interface MsolApi {
  /** The language client. It exists even while the checks are off; then it is not started. */
  readonly client: LanguageClient;
  /**
   * Settles when the first start of the server has finished: resolves once the
   * client is running (or at once when the checks are off), rejects when the
   * server could not be started.
   */
  readonly ready: Promise<void>;
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
  const statusBar = new StatusBar();
  const statusChanged = new vscode.EventEmitter<StatusNotification.Params>();
  const client = createLanguageClient(context, channel);
  current = { client };
  context.subscriptions.push(channel, statusBar, statusChanged);
  const preview = new PreviewSupport(client, statusChanged.event);
  context.subscriptions.push(preview, ...registerAuthoringCommands({ client, log: channel }));

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

  const start = (): Promise<void> =>
    serially(async () => {
      if (!client.needsStart()) return;
      channel.info(`Starting the language server (${context.asAbsolutePath(serverModule)})`);
      statusBar.setClientState(State.Starting);
      try {
        await client.start();
      } catch (error) {
        channel.error(`The language server could not be started: ${message(error)}`);
        statusBar.setClientState(State.Stopped);
        throw error;
      }
    });

  const enabled = isEnabledAnywhere();
  statusBar.setEnabled(enabled);
  const ready = enabled ? start() : Promise.resolve();
  // Consumers that await `ready` still see a rejection; this only keeps an
  // unobserved one from being reported as unhandled.
  ready.catch(() => undefined);
  if (!enabled) channel.info('Checks are off (msol.enable): the language server is not started.');

  const applyEnablement = () =>
    serially(async () => {
      const on = isEnabledAnywhere();
      statusBar.setEnabled(on);
      if (!on && client.needsStop()) {
        channel.info('Checks turned off (msol.enable): stopping the language server.');
        await client.stop();
      } else if (on && client.needsStart()) {
        channel.info('Checks turned on (msol.enable): starting the language server.');
        await client.start();
      } else if (on) {
        // A folder switched on or off while the server keeps running: re-pull problems.
        client.getFeature(DocumentDiagnosticRequest.method)?.refresh();
      }
    }).catch((error) => channel.error(`Applying msol.enable failed: ${message(error)}`));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      // msol.rules: the server reads the severities at each pull, so re-pulling applies them.
      if (e.affectsConfiguration('msol.enable') || e.affectsConfiguration('msol.rules')) void applyEnablement();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void applyEnablement()),

    vscode.commands.registerCommand(commands.restartServer, () =>
      serially(async () => {
        if (!isEnabledAnywhere()) {
          void vscode.window.showInformationMessage(`${displayName}: the checks are turned off (msol.enable), so there is no server to restart.`);
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
async function checkSite(client: LanguageClient, channel: RevealOnFirstErrorChannel): Promise<CheckSiteRequest.Result | undefined> {
  if (client.state !== State.Running) {
    void vscode.window.showWarningMessage(`${displayName}: the language server is not running. Turn on msol.enable or run "Microsolidarity: Restart Language Server".`);
    return undefined;
  }
  let result: CheckSiteRequest.Result | undefined;
  let cancelled = false;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${displayName}: checking the whole site`, cancellable: true },
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
  channel.info(`Checked ${result.pages} pages: ${result.errors} errors, ${result.warnings} warnings, ${result.infos} infos.`);
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
