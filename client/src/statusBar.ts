import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { StatusNotification } from '../../server/src/protocol';
import { commands, displayName } from './constants';

type Status = StatusNotification.Params;

/**
 * One status bar item. It shows what the server last reported in
 * `msol/status` (pages, errors, warnings) while the client runs, and what
 * went wrong when it does not. A click checks the whole site, or restarts a
 * stopped server.
 */
export class StatusBar implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  #clientState: State = State.Stopped;
  #status: Status | undefined;
  /** A site is in scope (scope.ts): elsewhere there is no item at all. */
  #inScope = false;

  constructor() {
    this.#item = vscode.window.createStatusBarItem('msol.status', vscode.StatusBarAlignment.Left, 0);
    this.#item.name = displayName;
    this.#render();
  }

  /** The last status the server sent, if any since the client (re)started. */
  get status(): Status | undefined {
    return this.#status;
  }

  /** The text shown in the status bar (for tests and logs). */
  get text(): string {
    return this.#item.text;
  }

  setStatus(status: Status): void {
    this.#status = status;
    this.#render();
  }

  setClientState(state: State): void {
    this.#clientState = state;
    if (state !== State.Running) this.#status = undefined;
    this.#render();
  }

  setInScope(inScope: boolean): void {
    this.#inScope = inScope;
    this.#render();
  }

  /** Whether the item is shown. */
  get visible(): boolean {
    return this.#visible;
  }
  #visible = false;

  #render(): void {
    const item = this.#item;
    item.backgroundColor = undefined;
    this.#visible = this.#inScope;
    if (!this.#inScope) {
      item.hide();
      return;
    }
    if (this.#clientState === State.Starting) {
      item.text = '$(sync~spin) msol';
      item.tooltip = `${displayName}: starting the language server…`;
      item.command = undefined;
      item.show();
      return;
    }
    if (this.#clientState === State.Stopped) {
      item.text = '$(error) msol';
      item.tooltip = `${displayName}: the language server is not running. Click to restart it.`;
      item.command = commands.restartServer;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      item.show();
      return;
    }
    const s = this.#status;
    if (!s || s.state === 'indexing') {
      item.text = '$(sync~spin) msol';
      item.tooltip = s ? `${displayName}: reading ${plural(s.pages, 'page')}…` : `${displayName}: reading the site…`;
      item.command = commands.checkSite;
      item.show();
      return;
    }
    // Pages, glossary terms, then the site's problems (issue 6: "glossary size and problems on the site").
    item.text = `$(book) ${s.pages} $(symbol-keyword) ${s.glossaryTerms} $(error) ${s.errors} $(warning) ${s.warnings}`;
    const tooltip = new vscode.MarkdownString(
      `**${displayName}**\n\n${plural(s.pages, 'page')} · ${plural(s.glossaryTerms, 'glossary term')}\n\n` +
        `${plural(s.errors, 'error')} · ${plural(s.warnings, 'warning')}\n\nClick to check the whole site.`,
    );
    item.tooltip = tooltip;
    item.command = commands.checkSite;
    item.show();
  }

  dispose(): void {
    this.#item.dispose();
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
