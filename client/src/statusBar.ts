import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { StatusNotification } from '../../server/src/protocol';
import { commands, displayName } from './constants';

type Status = StatusNotification.Params;

/**
 * One status bar item, only where a site is in scope (scope.ts). It says in
 * words what the server last reported in `msol/status` for the whole site
 * ("msol: 3 errors, 60 warnings"; VS Code's own problem counter, beside it,
 * keeps its icons), the site's state while it is read, and what went wrong
 * when the server does not run. In Restricted Mode its tooltip says what is
 * limited. A click checks the whole site, or restarts a stopped server.
 */
export class StatusBar implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  #clientState: State = State.Stopped;
  #status: Status | undefined;
  /** A site is in scope (scope.ts): elsewhere there is no item at all. */
  #inScope = false;
  #trusted: boolean;
  #visible = false;

  constructor(trusted = true) {
    this.#trusted = trusted;
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

  /** The tooltip as text (for tests). */
  get tooltip(): string {
    const t = this.#item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  /** Whether the item is shown. */
  get visible(): boolean {
    return this.#visible;
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

  setTrusted(trusted: boolean): void {
    this.#trusted = trusted;
    this.#render();
  }

  #render(): void {
    const item = this.#item;
    item.backgroundColor = undefined;
    this.#visible = this.#inScope;
    if (!this.#inScope) {
      item.hide();
      return;
    }
    // Restricted Mode: say what is limited, in every state.
    const restricted = this.#trusted
      ? ''
      : '\n\n$(workspace-untrusted) **Restricted Mode**: the checks run, but no `git` is run, so no history is read: ' +
        '"did you mean" does not know files renamed in git, and `author-undeclared` does not see commit authors. Trust the workspace to read it.';
    const lead = this.#trusted ? '' : '$(workspace-untrusted) ';
    const tooltip = (text: string) => {
      const md = new vscode.MarkdownString(`**${displayName}**\n\n${text}${restricted}`, true);
      return md;
    };
    if (this.#clientState === State.Starting) {
      item.text = `${lead}$(sync~spin) msol: starting`;
      item.tooltip = tooltip('Starting the language server…');
      item.command = undefined;
      item.show();
      return;
    }
    if (this.#clientState === State.Stopped) {
      item.text = `${lead}$(error) msol: stopped`;
      item.tooltip = tooltip('The language server is not running. Click to restart it.');
      item.command = commands.restartServer;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      item.show();
      return;
    }
    const s = this.#status;
    if (!s || s.state === 'indexing') {
      item.text =
        s && s.pages > 0
          ? `${lead}$(sync~spin) msol: reading ${plural(s.pages, 'page')}`
          : `${lead}$(sync~spin) msol: reading the site`;
      item.tooltip = tooltip('Reading the site: its pages, glossary and licenses.');
      item.command = commands.checkSite;
      item.show();
      return;
    }
    // In words: what is counted is the whole site's problems (VS Code's counter beside it counts what is reported).
    const problems =
      s.errors + s.warnings === 0
        ? 'no errors or warnings'
        : [s.errors ? plural(s.errors, 'error') : '', s.warnings ? plural(s.warnings, 'warning') : '']
            .filter(Boolean)
            .join(', ');
    item.text = `${lead}msol: ${problems}`;
    item.tooltip = tooltip(
      `The whole site: ${plural(s.pages, 'page')}, ${plural(s.glossaryTerms, 'glossary term')}; ${plural(s.errors, 'error')} and ${plural(s.warnings, 'warning')}.\n\nClick to check the whole site.`,
    );
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
