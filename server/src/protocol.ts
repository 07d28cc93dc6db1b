/**
 * Custom LSP messages between the client and the server, in one place. Both
 * sides import this file; the bundler inlines it. Each message says who sends
 * it and why. Method names follow `msol/<noun>[/<verb>]`.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Server → client, whenever indexing starts or ends or the site's problem count changes: drives the status bar. */
export namespace StatusNotification {
  export const method = 'msol/status';
  export interface Params {
    readonly state: 'indexing' | 'ready';
    readonly pages: number;
    readonly errors: number;
    readonly warnings: number;
    /** Terms in the glossary (0 until the glossary is read). */
    readonly glossaryTerms: number;
  }
  export const type = new NotificationType<Params>(method);
}

/** Client → server: check every page of every workspace folder now ("Check whole site"). */
export namespace CheckSiteRequest {
  export const method = 'msol/checkSite';
  export interface Result {
    readonly pages: number;
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
  }
  export const type = new RequestType<void, Result, void>(method);
}
