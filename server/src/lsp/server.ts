import {
  CodeActionKind,
  type CancellationToken,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  TextDocumentSyncKind,
  type DocumentDiagnosticReport,
  TextDocuments,
  type CodeAction,
  type Connection,
  type DidChangeWatchedFilesParams,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressServerReporter,
  type WorkspaceFolder,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { configFileName, gitbookYamlName, type Logger } from '../engine/index';
import { CheckSiteRequest } from '../protocol';
import { version as serverVersion } from '../../../package.json';
import { registerAuthoring } from './authoring';
import { describeClient, type ClientDescription } from './client';
import { fixAll, fixAllKind, quickFixes, wants } from './codeActions';
import { Diagnostics } from './diagnostics';
import { Features, registerFeatureHandlers } from './features';
import { ConnectionLogger, guardNotification, guardRequest, logLevelFromEnv, runGuarded } from './logging';
import { ProjectHost, type HostEvents, type SiteFileEvent } from './projectHost';
import { Sites } from './sites';
import { countSites, StatusReporter } from './status';

/**
 * The language server: wiring only. Each handler converts its LSP params,
 * asks a ProjectHost / the engine, and converts back; every handler is
 * guarded (a failure logs and answers empty) and passes its cancellation token.
 */
export function startServer(connection: Connection, logger: Logger = new ConnectionLogger(connection, logLevelFromEnv(process.env['MSOL_LOG_LEVEL']))): void {
  const documents = new TextDocuments(TextDocument);
  /** Exists from `initialize` on; handlers that run before it answer empty. */
  let server: MsolServer | undefined;

  connection.onInitialize((params) => {
    server = new MsolServer(connection, documents, params, logger);
    return server.initializeResult();
  });
  connection.onInitialized(guardNotification('initialized', logger, () => server?.initialized()));
  connection.onShutdown(() => server?.dispose());

  documents.onDidChangeContent(guardNotification('didChange', logger, (e) => server?.documentChanged(e.document)));
  documents.onDidClose(guardNotification('didClose', logger, (e) => server?.documentClosed(e.document.uri)));
  documents.onDidSave(guardNotification('didSave', logger, (e) => server?.documentSaved(e.document.uri)));
  connection.onDidChangeWatchedFiles(guardNotification('didChangeWatchedFiles', logger, (p: DidChangeWatchedFilesParams) => server?.watchedFilesChanged(p)));

  const emptyReport = (): DocumentDiagnosticReport => ({ kind: DocumentDiagnosticReportKind.Full, items: [] });
  connection.languages.diagnostics.on(guardRequest('textDocument/diagnostic', logger, emptyReport, (p, token) => server?.diagnostics.document(p, token) ?? emptyReport()));
  connection.languages.diagnostics.onWorkspace(guardRequest('workspace/diagnostic', logger, () => ({ items: [] }), (p, token) => server?.diagnostics.workspace(p, token) ?? { items: [] }));
  connection.onCodeAction(guardRequest('textDocument/codeAction', logger, (): CodeAction[] => [], (p, token) => server?.codeActions(p.textDocument.uri, p.context.diagnostics, p.context.only, token) ?? []));
  connection.onRequest(
    CheckSiteRequest.type,
    guardRequest('msol/checkSite', logger, () => ({ pages: 0, errors: 0, warnings: 0, infos: 0 }), (_p: void, token) => server?.checkSite(token) ?? { pages: 0, errors: 0, warnings: 0, infos: 0 }),
  );

  registerFeatureHandlers(connection, logger, () => server?.features);

  documents.listen(connection);
}

class MsolServer {
  readonly #connection: Connection;
  readonly #documents: TextDocuments<TextDocument>;
  readonly #logger: Logger;
  readonly #client: ClientDescription;
  readonly #sites: Sites;
  readonly diagnostics: Diagnostics;
  /** Hover, completion, definition, references, links, lenses, rename, symbols (features.ts). */
  readonly features: Features;
  readonly #status: StatusReporter;
  readonly #progress = new Map<ProjectHost, { reporter: Promise<WorkDoneProgressServerReporter | undefined>; percent: number }>();
  #initialized = false;

  constructor(connection: Connection, documents: TextDocuments<TextDocument>, params: InitializeParams, logger: Logger) {
    this.#connection = connection;
    this.#documents = documents;
    this.#logger = logger;
    this.#client = describeClient(params.capabilities);
    const events: HostEvents = {
      indexingStarted: (h) => this.#indexingStarted(h),
      indexingProgress: (h, done, total) => this.#indexingProgress(h, done, total),
      indexingFinished: (h) => this.#indexingFinished(h),
      // Pull clients' open pages are already answered (whenShapeKnown); a push client gets them now.
      siteShapeKnown: () => {
        if (!this.diagnostics.pull) this.diagnostics.changed();
      },
      siteChanged: () => this.diagnostics.changed(),
    };
    this.#sites = new Sites((root, name, singleFile) => {
      const host = new ProjectHost(root, { ...(name !== undefined ? { name } : {}), singleFile, logger, events, phaseOne: { version: serverVersion, env: process.env } });
      // Hosts made after `initialized` (new folder, loose file) index at once; the first ones wait for it.
      if (this.#initialized) queueMicrotask(() => host.start());
      return host;
    });
    this.#status = new StatusReporter(connection, this.#sites, logger);
    this.diagnostics = new Diagnostics({ connection, sites: this.#sites, client: this.#client, logger, onChecked: () => this.#status.schedule() });
    this.features = new Features({ connection, documents, sites: this.#sites, logger, capabilities: params.capabilities });
    for (const f of initialFolders(params)) this.#sites.addFolder(f.uri, f.name);
    logger.log('info', 'msol language server starting', {
      version: serverVersion,
      folders: this.#sites.hosts.map((h) => h.root),
      diagnostics: this.#client.pullDiagnostics ? 'pull' : 'push',
    });
  }

  initializeResult(): InitializeResult {
    return {
      capabilities: this.features.capabilities({
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        ...(this.#client.pullDiagnostics ? { diagnosticProvider: { identifier: 'msol', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        ...(this.#client.codeActionLiterals ? { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      }),
      serverInfo: { name: 'msol', version: serverVersion },
    };
  }

  async initialized(): Promise<void> {
    this.#initialized = true;
    registerAuthoring({ connection: this.#connection, documents: this.#documents, sites: this.#sites, logger: this.#logger });
    if (this.#client.workspaceFolders) {
      this.#connection.workspace.onDidChangeWorkspaceFolders(guardNotification('didChangeWorkspaceFolders', this.#logger, (e: WorkspaceFoldersChangeEvent) => this.#foldersChanged(e)));
    }
    for (const host of this.#sites.hosts) host.start();
    if (this.#client.watchedFiles) {
      // Every file: a link may point at an image or a PDF, and a folder move arrives as one event.
      await this.#connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    }
  }

  // ---- documents and files -------------------------------------------------------------------

  documentChanged(doc: TextDocument): void {
    const { host, siteChanged } = this.#sites.updateDocument(doc);
    if (!host) return;
    this.diagnostics.changed(siteChanged ? undefined : doc.uri);
  }

  async documentClosed(uri: string): Promise<void> {
    if (!(await this.#sites.closeDocument(uri))) return;
    // The page is back on its disk text, which other pages may see differently.
    this.diagnostics.changed();
  }

  async documentSaved(uri: string): Promise<void> {
    // With a file watcher the saved config arrives as a file event; without one, saving is the only signal.
    if (this.#client.watchedFiles) return;
    const hosts = this.#sites.hostsContaining(uri).filter((h) => {
      const p = h.sitePath(uri);
      return p === configFileName || p === gitbookYamlName;
    });
    if (hosts.length === 0) return;
    await Promise.all(hosts.map((h) => h.reloadConfig()));
    this.diagnostics.changed();
  }

  async watchedFilesChanged(params: DidChangeWatchedFilesParams): Promise<void> {
    const byHost = new Map<ProjectHost, SiteFileEvent[]>();
    for (const change of params.changes) {
      for (const host of this.#sites.hostsContaining(change.uri)) {
        const path = host.sitePath(change.uri);
        if (path === undefined) continue;
        let list = byHost.get(host);
        if (!list) byHost.set(host, (list = []));
        list.push({ path, type: change.type });
      }
    }
    if (byHost.size === 0) return;
    await Promise.all([...byHost].map(([host, events]) => host.applyFileEvents(events)));
    this.diagnostics.changed();
  }

  async #foldersChanged(e: WorkspaceFoldersChangeEvent): Promise<void> {
    for (const f of e.removed) {
      const host = this.#sites.removeFolder(f.uri);
      if (host) this.#forget(host);
    }
    for (const f of e.added) this.#sites.addFolder(f.uri, f.name);
    if (this.#sites.hasFolders) for (const host of this.#sites.dropSingleFileHosts()) this.#forget(host);
    // Open documents move to their innermost folder now.
    for (const doc of this.#documents.all()) this.#sites.updateDocument(doc);
    this.diagnostics.changed();
    await this.#status.sendNow();
  }

  #forget(host: ProjectHost): void {
    void this.#progress.get(host)?.reporter.then((r) => r?.done());
    this.#progress.delete(host);
    this.diagnostics.forget(host);
  }

  // ---- requests ------------------------------------------------------------------------------

  async codeActions(uri: string, diagnostics: Parameters<typeof quickFixes>[2], only: string[] | undefined, token: CancellationToken): Promise<CodeAction[]> {
    const version = this.#documents.get(uri)?.version;
    const actions = wants(only, CodeActionKind.QuickFix) ? quickFixes(uri, version, diagnostics, this.#client) : [];
    // Fix-all needs the whole document's diagnostics: computed only when explicitly asked for (on save, Source Action menu).
    if (only && wants(only, fixAllKind)) {
      const host = this.diagnostics.hostFor(uri);
      const path = host?.sitePath(uri);
      if (host && path) {
        await host.whenReady(token);
        const all = await this.diagnostics.diagnosticsOf(host, path, await host.fileFindings(path, token));
        const action = fixAll(uri, host.versionOf(path), all, this.#client);
        if (action) actions.push(action);
      }
    }
    actions.push(...(await this.features.codeActions(uri, diagnostics, only, token)));
    return actions;
  }

  async checkSite(token: CancellationToken): Promise<CheckSiteRequest.Result> {
    for (const host of this.#sites.hosts) if (host.state !== 'disposed') await host.whenReady(token);
    const counts = await countSites(this.#sites, token);
    await this.#status.sendNow();
    this.diagnostics.changed();
    return counts;
  }

  // ---- indexing progress ---------------------------------------------------------------------

  #indexingStarted(host: ProjectHost): void {
    runGuarded('status', this.#logger, () => this.#status.sendNow());
    if (!this.#client.workDoneProgress) return;
    const reporter = this.#connection.window
      .createWorkDoneProgress()
      .then((r) => {
        r.begin(`msol: indexing ${host.name}`, 0, 'reading pages', false);
        return r;
      })
      .catch((error: unknown) => {
        this.#logger.log('warn', 'the client refused a progress token', { error: String(error) });
        return undefined;
      });
    this.#progress.set(host, { reporter, percent: 0 });
  }

  #indexingProgress(host: ProjectHost, done: number, total: number): void {
    const p = this.#progress.get(host);
    if (!p) return;
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    // One report per percent at most: a large site must not flood the client.
    if (percent === p.percent && done !== total) return;
    p.percent = percent;
    void p.reporter.then((r) => r?.report(percent, `${done}/${total} pages`));
  }

  #indexingFinished(host: ProjectHost): void {
    const p = this.#progress.get(host);
    this.#progress.delete(host);
    void p?.reporter.then((r) => r?.done());
    runGuarded('status', this.#logger, () => this.#status.sendNow());
    this.diagnostics.changed();
  }

  dispose(): void {
    for (const host of this.#sites.hosts) host.dispose();
    this.diagnostics.dispose();
    this.features.dispose();
    this.#status.dispose();
  }
}

/** The folders of the initialize request: workspaceFolders, else the deprecated rootUri / rootPath. */
function initialFolders(params: InitializeParams): WorkspaceFolder[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders;
  if (params.rootUri) return [{ uri: params.rootUri, name: '' }];
  if (params.rootPath) return [{ uri: URI.file(params.rootPath).toString(), name: '' }];
  return [];
}
