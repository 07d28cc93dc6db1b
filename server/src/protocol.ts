/**
 * Custom LSP messages between the client and the server, in one place. Both
 * sides import this file; the bundler inlines it. Each message says who sends
 * it and why. Method names follow `msol/<noun>[/<verb>]`.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/**
 * Client → server, in `initialize`'s `initializationOptions`: what the
 * client is and can do beyond the LSP capabilities. Every field is optional;
 * a client that sends nothing (Neovim, Emacs eglot) gets plain LSP, with every
 * feature the server has.
 */
export interface InitializationOptions {
  /** The client handles `msol/status` (the VS Code client's status bar). Without it, the server does not send it. */
  readonly statusNotification?: boolean;
  /**
   * Commands the client runs itself (VS Code: `msol.showReferences`,
   * `editor.action.triggerSuggest`). A code lens or a completion item uses
   * only these, or commands the server announces in `executeCommandProvider`.
   */
  readonly clientCommands?: readonly string[];
  /** The client opens `file:///x.md#L12` at line 12 (VS Code does): links to a heading carry the line. */
  readonly lineFragments?: boolean;
  /**
   * VS Code's built-in Markdown language features run beside this server:
   * the server leaves out what they already offer (see server/src/lsp/README.md).
   */
  readonly builtinMarkdown?: boolean;
  /** `false`: the workspace is not trusted (VS Code's Restricted Mode): no `git` is run. Default true. */
  readonly workspaceTrusted?: boolean;
  /**
   * `msol.enable` per workspace folder URI: `on` checks a folder that is no
   * site, `off` checks nothing there, `auto` (the default) checks a folder
   * holding `SUMMARY.md`, `.gitbook.yaml`, `book.toml` or `.msolrc.json`.
   */
  readonly enable?: Readonly<Record<string, EnableMode>>;
}

/** `msol.enable`. */
export type EnableMode = 'auto' | 'on' | 'off';

/** Server → client, whenever indexing starts or ends or the site's problem count changes: drives the status bar. Sent only when `InitializationOptions.statusNotification`. */
export namespace StatusNotification {
  export const method = 'msol/status';
  export interface Params {
    readonly state: 'indexing' | 'ready';
    readonly pages: number;
    readonly errors: number;
    readonly warnings: number;
    /** Terms in the glossary (0 until the glossary is read). */
    readonly glossaryTerms: number;
    /** What each ready site was read as (for the status bar's tooltip); absent from servers before it existed. */
    readonly sites?: readonly SiteStatus[];
  }
  export const type = new NotificationType<Params>(method);

  /** One site as the engine reads it (engine/site/describe.ts). */
  export interface SiteStatus {
    /** The site's folder, as a URI. */
    readonly uri: string;
    /** `gitbook`, `mdbook`, `gitbook-legacy` or `plain`. */
    readonly kind: string;
    /** "GitBook", "mdBook", "GitBook 2/3 (book.json)", "a plain folder of Markdown". */
    readonly kindLabel: string;
    /** The file or setting that decided the kind ('' for GitBook's layout by default). */
    readonly kindFrom: string;
    /** Each identity value with where it came from; absent when the site does not say it. */
    readonly url?: SiteValueStatus;
    readonly license?: SiteValueStatus;
    readonly defaultAuthor?: SiteValueStatus;
    /** Rules silent for want of a value, and the setting that would turn each on. */
    readonly silent: readonly { readonly rule: string; readonly needs: string; readonly setting: string }[];
    /** The whole description as lines a person reads (what `msol check --verbose` prints). */
    readonly lines: readonly string[];
  }
  export interface SiteValueStatus {
    readonly value: string;
    readonly from: string;
  }
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

// ---- authoring (server/src/lsp/authoring.ts) ------------------------------------------------------
// Requests of the editor's writing features: the preview's glossary, the
// insert commands, "New article…", the attribution commands. Each takes the
// URI of the document the user is working in (or any URI inside the site):
// it picks the site and is the page that relative links start from.

/** A position as LSP has it (zero-based line, UTF-16 character). */
export interface AuthoringPosition {
  readonly line: number;
  readonly character: number;
}

/** A text edit as LSP has it. */
export interface AuthoringTextEdit {
  readonly range: { readonly start: AuthoringPosition; readonly end: AuthoringPosition };
  readonly newText: string;
}

/** Client → server: the site's glossary (the preview's tooltips, "Show glossary"). */
export namespace GlossaryRequest {
  export const method = 'msol/glossary';
  export interface Params {
    /** A document of the site; relative links in the result start from it. */
    readonly uri: string;
  }
  export interface Term {
    /** The canonical form ("Crew"). */
    readonly term: string;
    /** Every form matched in prose ("Crew", "Crews", "Crew's", …), the canonical one first. */
    readonly forms: readonly string[];
    /** The short definition (what follows "X is" / "X:"), else the defining sentence. */
    readonly definition: string;
    /** The defining paragraph, Markdown removed. */
    readonly text: string;
    /** Where the term is defined. */
    readonly source: {
      readonly uri?: string;
      readonly path: string;
      readonly line: number;
      readonly anchor?: string;
      readonly kind: string;
    };
    /** A relative link from `Params.uri` to the definition; absent for a term defined only in the config. */
    readonly link?: string;
    /** Synonyms to avoid. */
    readonly avoid: readonly string[];
  }
  export interface Result {
    /** The site's folder, as a URI: the client caches one glossary per site. */
    readonly siteUri: string;
    /** Changes whenever the glossary changes. */
    readonly fingerprint: string;
    readonly terms: readonly Term[];
  }
  export const type = new RequestType<Params, Result | null, void>(method);
}

/** Client → server: what "Insert term definition…" offers at a page: every term with its insertions. */
export namespace TermInsertionsRequest {
  export const method = 'msol/termInsertions';
  export interface Params {
    readonly uri: string;
  }
  export interface Insertion {
    readonly kind: 'sentence' | 'link' | 'hint';
    readonly label: string;
    /** Plain text (no snippet syntax). */
    readonly text: string;
  }
  export interface Choice {
    readonly term: string;
    readonly detail: string;
    readonly insertions: readonly Insertion[];
  }
  export const type = new RequestType<Params, Choice[], void>(method);
}

/** Client → server: the proposal and its sections, each with the right relative link from the page. */
export namespace ProposalSectionsRequest {
  export const method = 'msol/proposalSections';
  export interface Params {
    readonly uri: string;
  }
  export interface Choice {
    /** The page title or the heading text. */
    readonly label: string;
    /** Heading depth; 0 for the whole page. */
    readonly depth: number;
    readonly slug?: string;
    /** The relative URL from the page. */
    readonly url: string;
    /** `[label](url)`. */
    readonly markdown: string;
    /** Pages that link there already. */
    readonly linkedFrom: number;
  }
  export interface Result {
    /** Site path of the proposal (after `msol.proposal.path` and `.msolrc.json`). */
    readonly proposalPath: string;
    /** Empty when the proposal does not exist. */
    readonly choices: readonly Choice[];
  }
  export const type = new RequestType<Params, Result | null, void>(method);
}

/** Client → server: what "New article…" needs to know about a site. */
export namespace SiteInfoRequest {
  export const method = 'msol/site';
  export interface Params {
    /** Any URI inside the site (a document, or the folder's SUMMARY.md). */
    readonly uri: string;
  }
  export interface Result {
    readonly siteUri: string;
    /** GitBook's content root, a site path ('' for the folder itself). */
    readonly root: string;
    /** Site paths. */
    readonly summaryPath: string;
    readonly readmePath: string;
    readonly proposalPath: string;
    readonly proposalExists: boolean;
    /** The author pages have unless they say otherwise. */
    readonly defaultAuthor: string;
    /** SPDX id of the site's license. */
    readonly license: string;
    readonly licenseName: string;
    readonly licenseUrl?: string;
  }
  export const type = new RequestType<Params, Result | null, void>(method);
}

/** Client → server: the licenses "Add attribution…" offers, most useful first. */
export namespace AttributionLicensesRequest {
  export const method = 'msol/attribution/licenses';
  export interface License {
    readonly id: string;
    readonly label: string;
    readonly detail: string;
  }
  export const type = new RequestType0<License[], void>(method);
}

/**
 * Client → server: what the checks already read of the credit of the image at
 * a position (its alt text, file name, a credit line, "on Unsplash"): "Add
 * attribution…" starts from it.
 */
export namespace AttributionKnownRequest {
  export const method = 'msol/attribution/known';
  export interface Params {
    readonly uri: string;
    readonly position: AuthoringPosition;
  }
  export interface Result {
    readonly title?: string;
    readonly author?: string;
    readonly sourceUrl?: string;
    /** The license's id (SPDX, or `LicenseRef-…`) and name; `implied` when only the platform implies it. */
    readonly license?: { readonly id: string; readonly name: string; readonly implied: boolean };
    /** Where it was read ("alt text only", "credit line"…); absent when nothing was. */
    readonly from?: string;
  }
  /** null when no image is at the position. */
  export const type = new RequestType<Params, Result | null, void>(method);
}

/** Client → server: the edit that writes a complete credit after the image at a position. */
export namespace AddAttributionRequest {
  export const method = 'msol/attribution/add';
  export interface Params {
    readonly uri: string;
    readonly position: AuthoringPosition;
    readonly title: string;
    readonly author: string;
    readonly sourceUrl: string;
    /** An SPDX id or a license name. */
    readonly license: string;
  }
  export interface Result {
    /** What the edit does ("Add a credit line after the image"). */
    readonly title: string;
    readonly style: 'caption' | 'line';
    /** For the document version `version`. */
    readonly version: number | null;
    readonly edits: readonly AuthoringTextEdit[];
  }
  /** null when no image is at the position. */
  export const type = new RequestType<Params, Result | null, void>(method);
}

/**
 * Client → server: the REUSE sidecar (`<asset>.license`) that records the
 * credit of the local image at a position, for every page using the asset.
 * The client writes the file; the server's file watcher then reads it.
 */
export namespace AttributionSidecarRequest {
  export const method = 'msol/attribution/sidecar';
  export type Params = AddAttributionRequest.Params;
  export interface Result {
    /** The sidecar's site path (`.gitbook/assets/photo.jpg.license`). */
    readonly path: string;
    /** Its file URI. */
    readonly uri: string;
    /** The file's text: SPDX-FileCopyrightText / SPDX-License-Identifier lines, then Title and Source. */
    readonly text: string;
    /** The image's URL as written on the page. */
    readonly imageUrl: string;
  }
  /** null when no image is at the position, or the image is not a file of the site (a web address). */
  export const type = new RequestType<Params, Result | null, void>(method);
}

/** Client → server: a site-wide report as a Markdown document. */
export namespace ReportRequest {
  export const method = 'msol/report';
  export interface Params {
    readonly kind: 'attribution' | 'glossary';
    /** Any URI inside the site; absent: every site. */
    readonly uri?: string;
    /** Links to pages as absolute URIs at the line (`file:///…/page.md#L12`), for a report shown outside the site. Default: site-relative paths. */
    readonly absoluteLinks?: boolean;
  }
  export interface Result {
    readonly markdown: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** The custom semantic token types the server uses (package.json `semanticTokenTypes` declares them). */
export const semanticTokenTypes = ['glossaryTerm'] as const;
export const semanticTokenModifiers = [] as const;
