import * as vscode from 'vscode';

/**
 * The extension's single log channel. Everything (the client's own lines, the
 * server's `window/logMessage`, protocol traces) goes here. The channel is
 * brought to the front once, on the first error, and never again: a user who
 * closed it after one failure is not interrupted by every later one.
 */
export class RevealOnFirstErrorChannel implements vscode.LogOutputChannel {
  readonly #channel: vscode.LogOutputChannel;
  #revealed = false;

  constructor(name: string) {
    this.#channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Whether the channel was brought to the front because of an error. */
  get revealedOnError(): boolean {
    return this.#revealed;
  }

  get name(): string {
    return this.#channel.name;
  }
  get logLevel(): vscode.LogLevel {
    return this.#channel.logLevel;
  }
  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.#channel.onDidChangeLogLevel;
  }

  trace(message: string, ...args: unknown[]): void {
    this.#channel.trace(message, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.#channel.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.#channel.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.#channel.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.#channel.error(error, ...args);
    if (!this.#revealed) {
      this.#revealed = true;
      // preserveFocus: the author keeps typing where they were.
      this.#channel.show(true);
    }
  }

  append(value: string): void {
    this.#channel.append(value);
  }
  appendLine(value: string): void {
    this.#channel.appendLine(value);
  }
  replace(value: string): void {
    this.#channel.replace(value);
  }
  clear(): void {
    this.#channel.clear();
  }
  show(preserveFocusOrColumn?: boolean | vscode.ViewColumn, preserveFocus?: boolean): void {
    if (typeof preserveFocusOrColumn === 'boolean' || preserveFocusOrColumn === undefined)
      this.#channel.show(preserveFocusOrColumn);
    else this.#channel.show(preserveFocusOrColumn, preserveFocus);
  }
  hide(): void {
    this.#channel.hide();
  }
  dispose(): void {
    this.#channel.dispose();
  }
}
