import { createHash } from 'node:crypto';
import {
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { neverCancelled, type Finding, type Logger } from '../engine/index';
import type { ClientDescription } from './client';
import { findingToDiagnostic, needsText } from './convert';
import { runGuarded } from './logging';
import type { PositionSource, ProjectHost } from './projectHost';
import type { Sites } from './sites';
import { applyRuleOverrides, RuleSeverities } from './ruleSeverities';

/**
 * Diagnostics in both models. Pull (LSP 3.17): the client asks per document
 * and for the workspace; the server asks it to re-pull (`refresh`) when
 * something other pages can see changed. Push (older clients): after a quiet
 * period the server publishes what changed, and only that.
 */

/** Quiet period before pushing, and the longest a push may wait while changes keep coming. */
const pushDelay = 200;
const pushMaxDelay = 1000;

export class Diagnostics {
  readonly #connection: Connection;
  readonly #sites: Sites;
  readonly #client: ClientDescription;
  readonly #logger: Logger;
  readonly #onChecked: () => void;
  // push state
  readonly #published = new Map<string, string>();
  readonly #pendingUris = new Set<string>();
  #pendingAll = false;
  #pushTimer: ReturnType<typeof setTimeout> | undefined;
  #pushSince = 0;
  #flushing: Promise<void> = Promise.resolve();
  #refreshSent = false;
  /** `msol.rules`: the editor's severities over the config's, read at each pull or push. */
  readonly #rules: RuleSeverities;

  constructor(options: {
    connection: Connection;
    sites: Sites;
    client: ClientDescription;
    logger: Logger;
    onChecked: () => void;
  }) {
    this.#connection = options.connection;
    this.#sites = options.sites;
    this.#client = options.client;
    this.#logger = options.logger;
    this.#onChecked = options.onChecked;
    this.#rules = new RuleSeverities(options.connection, options.logger, options.client.configuration);
  }

  get pull(): boolean {
    return this.#client.pullDiagnostics;
  }

  /** The host whose diagnostics a URI shows: the owner of an open document, else the innermost folder. */
  hostFor(uri: string): ProjectHost | undefined {
    return this.#sites.ownerOf(uri) ?? this.#sites.hostForDocument(uri, false);
  }

  /** One file's diagnostics as the client should see them now. */
  async diagnosticsOf(
    host: ProjectHost,
    path: string,
    all: readonly Finding[],
    /** The page's text as `host.textsOf` read it ahead (a whole-site answer). */
    texts?: ReadonlyMap<string, PositionSource>,
  ): Promise<Diagnostic[]> {
    const findings = applyRuleOverrides(all, await this.#rules.of(host));
    const text = needsText(findings) ? (texts ? texts.get(path) : await host.textOf(path)) : undefined;
    const version = host.versionOf(path);
    return findings.map((f) =>
      findingToDiagnostic(f, {
        text,
        version,
        uriOf: (p) => host.uriOf(p),
        relatedInformation: this.#client.relatedInformation,
      }),
    );
  }

  /** One file's findings as the client shows them (the editor's severities applied). Call once the host can answer. */
  async visibleFindings(host: ProjectHost, path: string, token: CancellationToken): Promise<readonly Finding[]> {
    return applyRuleOverrides(await host.fileFindings(path, token), await this.#rules.of(host));
  }

  // ---- pull ----------------------------------------------------------------------------------

  async document(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    const host = this.hostFor(uri);
    const path = host?.sitePath(uri);
    if (!host || !path) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    this.#rules.refresh();
    // An open page is answered once the site's shape is known (not the whole index); the end of indexing asks for a re-pull.
    // A client that cannot be asked to pull again gets the answer once the site is indexed: never a partial one as final.
    const early = host.openDocumentAt(path) && this.#client.diagnosticRefresh;
    // Indexing waits for an early answer before its next long step (see ProjectHost.answering).
    const answered = early ? host.answering() : undefined;
    let items: Diagnostic[];
    try {
      if (early) await host.whenShapeKnown(token);
      else await host.whenReady(token);
      const findings = await host.fileFindings(path, token);
      items = await this.diagnosticsOf(host, path, findings);
    } finally {
      answered?.();
    }
    this.#onChecked();
    const resultId = resultIdOf(items);
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  }

  async workspace(params: WorkspaceDiagnosticParams, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const reported = new Set<string>();
    this.#rules.refresh();
    for (const host of this.#sites.hosts) {
      if (host.state === 'disposed') continue;
      const project = await host.whenReady(token);
      const site = await host.siteFindings(token);
      // Every page, the config files, and anything the client holds from before.
      const paths = new Set<string>([...project.index.pages(), ...site.keys()]);
      for (const f of ['.msolrc.json', '.gitbook.yaml']) if (project.index.hasFile(f)) paths.add(f);
      for (const uri of previous.keys()) {
        const p = host.sitePath(uri);
        if (p !== undefined) paths.add(p);
      }
      // The texts that fixes' positions need, read in bulk first.
      const rules = await this.#rules.of(host);
      const texts = await host.textsOf(
        [...paths].filter((p) => needsText(applyRuleOverrides(site.get(p) ?? [], rules))),
      );
      for (const path of paths) {
        const uri = host.uriOf(path);
        if (!uri || reported.has(uri) || this.hostFor(uri) !== host) continue;
        reported.add(uri);
        const diagnostics = await this.diagnosticsOf(host, path, site.get(path) ?? [], texts);
        const resultId = resultIdOf(diagnostics);
        const version = host.versionOf(path) ?? null;
        items.push(
          previous.get(uri) === resultId
            ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId }
            : { kind: DocumentDiagnosticReportKind.Full, uri, version, resultId, items: diagnostics },
        );
      }
    }
    this.#onChecked();
    return { items };
  }

  // ---- change notification -------------------------------------------------------------------

  /**
   * Something changed. `uri` given: only that document's own diagnostics may
   * differ. Without: any file's may (a heading, a file, the config).
   */
  changed(uri?: string): void {
    if (this.pull) {
      // The client re-pulls open documents itself after each edit; others need a refresh.
      if (uri === undefined) this.#scheduleRefresh();
      return;
    }
    if (uri === undefined) this.#pendingAll = true;
    else this.#pendingUris.add(uri);
    const now = Date.now();
    if (this.#pushTimer === undefined) this.#pushSince = now;
    else if (now - this.#pushSince < pushMaxDelay) clearTimeout(this.#pushTimer);
    else return; // waited long enough: let the armed timer fire
    this.#pushTimer = setTimeout(() => {
      this.#pushTimer = undefined;
      runGuarded('publish diagnostics', this.#logger, () => this.#flush());
    }, pushDelay);
  }

  /**
   * Asks a pull client to re-pull. Sent at once (so it always precedes the
   * answers of requests that come after the change), once per turn of the
   * event loop; the client coalesces the pulls it makes in response.
   */
  #scheduleRefresh(): void {
    if (!this.#client.diagnosticRefresh || this.#refreshSent) return;
    this.#refreshSent = true;
    queueMicrotask(() => (this.#refreshSent = false));
    this.#connection.languages.diagnostics
      .refresh()
      .catch((error: unknown) => this.#logger.log('warn', 'diagnostics refresh failed', { error: String(error) }));
  }

  /** A folder went away: forget (and, for push clients, clear) its files' diagnostics. */
  forget(host: ProjectHost): void {
    if (this.pull) {
      this.#scheduleRefresh();
      return;
    }
    for (const uri of [...this.#published.keys()]) {
      if (host.sitePath(uri) === undefined) continue;
      this.#published.delete(uri);
      void this.#connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  // ---- push ----------------------------------------------------------------------------------

  #flush(): Promise<void> {
    // One flush at a time; a flush asked for meanwhile runs after.
    const next = this.#flushing.then(() => this.#publishPending());
    this.#flushing = next.catch(() => undefined);
    return next;
  }

  async #publishPending(): Promise<void> {
    const all = this.#pendingAll;
    const uris = [...this.#pendingUris];
    this.#pendingAll = false;
    this.#pendingUris.clear();
    this.#rules.refresh();
    for (const host of this.#sites.hosts) {
      // A site still indexing publishes everything when it is ready (indexingFinished → changed());
      // meanwhile, once its shape is known, its open pages (corrected when it is ready).
      if (host.state !== 'ready') {
        if (host.state === 'indexing' && host.shapeKnown) {
          for (const path of host.openPaths)
            await this.#publish(host, path, await host.fileFindings(path, neverCancelled));
        }
        continue;
      }
      if (all) {
        const site = await host.siteFindings(neverCancelled);
        const paths = new Set<string>([...site.keys(), ...host.openPaths]);
        for (const uri of this.#published.keys()) {
          const p = host.sitePath(uri);
          if (p !== undefined) paths.add(p);
        }
        for (const path of paths) await this.#publish(host, path, site.get(path) ?? []);
      } else {
        for (const uri of uris) {
          const path = host.sitePath(uri);
          if (path !== undefined && this.hostFor(uri) === host)
            await this.#publish(host, path, await host.fileFindings(path, neverCancelled));
        }
      }
    }
    // Files of sites that are gone.
    for (const uri of [...this.#published.keys()]) {
      if (this.hostFor(uri)) continue;
      this.#published.delete(uri);
      await this.#connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.#onChecked();
  }

  async #publish(host: ProjectHost, path: string, findings: readonly Finding[]): Promise<void> {
    const uri = host.uriOf(path);
    if (!uri || this.hostFor(uri) !== host) return;
    const diagnostics = await this.diagnosticsOf(host, path, findings);
    const version = host.versionOf(path);
    const key = `${version ?? ''}:${JSON.stringify(diagnostics)}`;
    const before = this.#published.get(uri);
    if (before === key || (before === undefined && diagnostics.length === 0)) return;
    if (diagnostics.length === 0) this.#published.delete(uri);
    else this.#published.set(uri, key);
    await this.#connection.sendDiagnostics({
      uri,
      diagnostics,
      ...(version !== undefined && this.#client.pushVersion ? { version } : {}),
    });
  }

  dispose(): void {
    if (this.#pushTimer) clearTimeout(this.#pushTimer);
  }
}

function resultIdOf(items: readonly Diagnostic[]): string {
  return createHash('sha1').update(JSON.stringify(items)).digest('base64url');
}
