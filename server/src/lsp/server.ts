import {
  CodeActionKind,
  ExecuteCommandRequest,
  type CancellationToken,
  type Command,
  type ExecuteCommandParams,
  type WorkspaceEdit,
  DidChangeWatchedFilesNotification,
  FileChangeType,
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
import { isSiteDefinitionPath, type Finding, type Logger, type Project } from '../engine/index';
import { CheckSiteRequest } from '../protocol';
import { version as serverVersion } from '../../../package.json';
import { registerAuthoring, semanticTokensLegend } from './authoring';
import { showReferencesCommand } from './featureConvert';
import { describeClient, type ClientDescription } from './client';
import { disableActions, fixAll, fixAllKind, quickFixes, wants, type UnsafeFix } from './codeActions';
import { isDiagnosticData } from './convert';
import { Diagnostics } from './diagnostics';
import { Features, registerFeatureHandlers } from './features';
import { ConnectionLogger, guardNotification, guardRequest, logLevelFromEnv, runGuarded } from './logging';
import { ProjectHost, type HostEvents, type SiteFileEvent } from './projectHost';
import { Sites } from './sites';
import { countSites, StatusReporter } from './status';
import * as nodePath from 'node:path';
import { findSiteRoot, isSiteRoot, siteMarkers } from '../node/siteRoot';

/** The command a fix runs for a client without CodeAction literals: the server applies its edit (workspace/applyEdit). */
export const applyEditCommand = 'msol.applyEdit';

/**
 * The language server: wiring only. Each handler converts its LSP params,
 * asks a ProjectHost / the engine, and converts back; every handler is
 * guarded (a failure logs and answers empty) and passes its cancellation token.
 */
export function startServer(
  connection: Connection,
  logger: Logger = new ConnectionLogger(connection, logLevelFromEnv(process.env['MSOL_LOG_LEVEL'])),
): void {
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
  connection.onDidChangeWatchedFiles(
    guardNotification('didChangeWatchedFiles', logger, (p: DidChangeWatchedFilesParams) =>
      server?.watchedFilesChanged(p),
    ),
  );

  const emptyReport = (): DocumentDiagnosticReport => ({ kind: DocumentDiagnosticReportKind.Full, items: [] });
  connection.languages.diagnostics.on(
    guardRequest(
      'textDocument/diagnostic',
      logger,
      emptyReport,
      (p, token) => server?.diagnostics.document(p, token) ?? emptyReport(),
    ),
  );
  connection.languages.diagnostics.onWorkspace(
    guardRequest(
      'workspace/diagnostic',
      logger,
      () => ({ items: [] }),
      (p, token) => server?.diagnostics.workspace(p, token) ?? { items: [] },
    ),
  );
  connection.onCodeAction(
    guardRequest(
      'textDocument/codeAction',
      logger,
      (): Array<CodeAction | Command> => [],
      (p, token) =>
        server?.codeActionsOrCommands(p.textDocument.uri, p.context.diagnostics, p.context.only, token) ?? [],
    ),
  );
  connection.onRequest(
    ExecuteCommandRequest.type,
    guardRequest(
      'workspace/executeCommand',
      logger,
      () => null,
      (p: ExecuteCommandParams) => server?.executeCommand(p) ?? null,
    ),
  );
  connection.onRequest(
    CheckSiteRequest.type,
    guardRequest(
      'msol/checkSite',
      logger,
      () => ({ pages: 0, errors: 0, warnings: 0, infos: 0 }),
      (_p: void, token) => server?.checkSite(token) ?? { pages: 0, errors: 0, warnings: 0, infos: 0 },
    ),
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
  readonly #progress = new Map<
    ProjectHost,
    { reporter: Promise<WorkDoneProgressServerReporter | undefined>; percent: number }
  >();
  #initialized = false;
  /** Every workspace folder of the client (site or not), by URI without a trailing slash. */
  readonly #clientFolders = new Map<string, string>();
  /** Folders that are no site yet (`msol.enable: auto`): a site marker created at their root makes them one. */
  readonly #waiting = new Set<string>();
  /** Documents outside every site: neither checked nor asked about again until something changes. */
  readonly #outOfScope = new Set<string>();

  constructor(
    connection: Connection,
    documents: TextDocuments<TextDocument>,
    params: InitializeParams,
    logger: Logger,
  ) {
    this.#connection = connection;
    this.#documents = documents;
    this.#logger = logger;
    this.#client = describeClient(params.capabilities, params.initializationOptions);
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
      const host = new ProjectHost(root, {
        ...(name !== undefined ? { name } : {}),
        singleFile,
        gitHistory: this.#client.options.workspaceTrusted,
        logger,
        events,
        phaseOne: { version: serverVersion, env: process.env },
      });
      // Hosts made after `initialized` (new folder, loose file) index at once; the first ones wait for it.
      if (this.#initialized) queueMicrotask(() => host.start());
      return host;
    });
    this.#status = new StatusReporter(connection, this.#sites, logger, this.#client.options.statusNotification);
    this.diagnostics = new Diagnostics({
      connection,
      sites: this.#sites,
      client: this.#client,
      logger,
      onChecked: () => this.#status.schedule(),
    });
    this.features = new Features({
      connection,
      documents,
      sites: this.#sites,
      logger,
      capabilities: params.capabilities,
      client: this.#client,
      findings: (host, path, token) => this.diagnostics.visibleFindings(host, path, token),
    });
    for (const f of initialFolders(params)) this.#addFolder(f.uri, f.name);
    logger.log('info', 'msol language server starting', {
      version: serverVersion,
      folders: this.#sites.hosts.map((h) => h.root),
      diagnostics: this.#client.pullDiagnostics ? 'pull' : 'push',
      ...(this.#client.options.workspaceTrusted
        ? {}
        : { restricted: 'the workspace is not trusted: no git history is read' }),
    });
  }

  initializeResult(): InitializeResult {
    const client = this.#client;
    const commands = this.#serverCommands();
    return {
      capabilities: this.features.capabilities({
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        ...(client.pullDiagnostics
          ? { diagnosticProvider: { identifier: 'msol', interFileDependencies: true, workspaceDiagnostics: true } }
          : {}),
        // Without CodeAction literals, fixes are Commands the server runs (workspace/applyEdit): only for a client that applies edits.
        ...(client.codeActionLiterals
          ? { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false } }
          : client.applyEdit
            ? { codeActionProvider: true }
            : {}),
        ...(commands.length ? { executeCommandProvider: { commands } } : {}),
        // A client that cannot register semantic tokens gets them announced here (VS Code registers them for Markdown only).
        ...(client.semanticTokens && !client.semanticTokensDynamic
          ? { semanticTokensProvider: { legend: semanticTokensLegend(), full: true } }
          : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      }),
      serverInfo: { name: 'msol', version: serverVersion },
    };
  }

  /** The commands the server runs itself: a fix for a client without CodeAction literals, the lenses' references for a client without its own. */
  #serverCommands(): string[] {
    const commands: string[] = [];
    if (!this.#client.codeActionLiterals && this.#client.applyEdit) commands.push(applyEditCommand);
    if (!this.#client.options.clientCommands.has(showReferencesCommand)) commands.push(showReferencesCommand);
    return commands;
  }

  async initialized(): Promise<void> {
    this.#initialized = true;
    registerAuthoring({
      connection: this.#connection,
      documents: this.#documents,
      sites: this.#sites,
      logger: this.#logger,
      client: this.#client,
    });
    if (this.#client.workspaceFolders) {
      this.#connection.workspace.onDidChangeWorkspaceFolders(
        guardNotification('didChangeWorkspaceFolders', this.#logger, (e: WorkspaceFoldersChangeEvent) =>
          this.#foldersChanged(e),
        ),
      );
    }
    for (const host of this.#sites.hosts) host.start();
    if (this.#client.watchedFiles) {
      // Every file: a link may point at an image or a PDF, and a folder move arrives as one event.
      await this.#connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*' }],
      });
    }
  }

  // ---- documents and files -------------------------------------------------------------------

  // ---- scope: only sites this product serves -----------------------------------------------------

  /**
   * A workspace folder is checked when it is a site (a marker at its root),
   * or when the client's `msol.enable` for it is `on`; never when `off`.
   */
  #addFolder(uri: string, name: string): void {
    const key = uri.replace(/\/+$/, '');
    this.#clientFolders.set(key, name);
    const mode = this.#client.options.enable.get(key) ?? 'auto';
    const root = fsPathOf(key);
    if (mode === 'on' || (mode === 'auto' && root !== undefined && isSiteRoot(root))) this.#sites.addFolder(uri, name);
    else if (mode === 'auto') this.#waiting.add(key);
  }

  /** Whether a document belongs to a site: inside a checked folder; with no folder at all, below a site marker. */
  #inScope(uri: string): boolean {
    if (this.#sites.ownerOf(uri) || this.#sites.folderHostFor(uri)) return true;
    if (this.#outOfScope.has(uri) || this.#clientFolders.size > 0) return false;
    const path = fsPathOf(uri);
    return path !== undefined && findSiteRoot(nodePath.dirname(path)) !== undefined;
  }

  /** A site marker created at the root of a waiting folder: the folder is a site now. */
  #markersCreated(params: DidChangeWatchedFilesParams): boolean {
    let added = false;
    for (const change of params.changes) {
      if (change.type === FileChangeType.Deleted) continue;
      const slash = change.uri.lastIndexOf('/');
      const folder = change.uri.slice(0, slash);
      if (!this.#waiting.has(folder) || !siteMarkers.includes(decodeURIComponent(change.uri.slice(slash + 1))))
        continue;
      this.#waiting.delete(folder);
      this.#sites.addFolder(folder, this.#clientFolders.get(folder));
      added = true;
    }
    if (added) {
      this.#outOfScope.clear();
      for (const doc of this.#documents.all()) this.documentChanged(doc);
    }
    return added;
  }

  documentChanged(doc: TextDocument): void {
    if (!this.#inScope(doc.uri)) {
      this.#outOfScope.add(doc.uri);
      return;
    }
    const { host, siteChanged } = this.#sites.updateDocument(doc);
    if (!host) return;
    this.diagnostics.changed(siteChanged ? undefined : doc.uri);
  }

  async documentClosed(uri: string): Promise<void> {
    this.#outOfScope.delete(uri);
    if (!(await this.#sites.closeDocument(uri))) return;
    // The page is back on its disk text, which other pages may see differently.
    this.diagnostics.changed();
  }

  async documentSaved(uri: string): Promise<void> {
    // With a file watcher the saved config arrives as a file event; without one, saving is the only signal.
    if (this.#client.watchedFiles) return;
    const hosts = this.#sites.hostsContaining(uri).filter((h) => {
      const p = h.sitePath(uri);
      return p !== undefined && isSiteDefinitionPath(p, h.project.config.site.root);
    });
    if (hosts.length === 0) return;
    await Promise.all(hosts.map((h) => h.reloadConfig()));
    this.diagnostics.changed();
  }

  async watchedFilesChanged(params: DidChangeWatchedFilesParams): Promise<void> {
    if (this.#markersCreated(params)) this.diagnostics.changed();
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
      const key = f.uri.replace(/\/+$/, '');
      this.#clientFolders.delete(key);
      this.#waiting.delete(key);
      const host = this.#sites.removeFolder(f.uri);
      if (host) this.#forget(host);
    }
    for (const f of e.added) this.#addFolder(f.uri, f.name);
    this.#outOfScope.clear();
    if (this.#sites.hasFolders) for (const host of this.#sites.dropSingleFileHosts()) this.#forget(host);
    // Open documents move to their innermost folder now (or out of every site).
    for (const doc of this.#documents.all()) this.documentChanged(doc);
    this.diagnostics.changed();
    await this.#status.sendNow();
  }

  #forget(host: ProjectHost): void {
    void this.#progress.get(host)?.reporter.then((r) => r?.done());
    this.#progress.delete(host);
    this.diagnostics.forget(host);
  }

  // ---- requests ------------------------------------------------------------------------------

  async codeActions(
    uri: string,
    diagnostics: Parameters<typeof quickFixes>[2],
    only: string[] | undefined,
    token: CancellationToken,
  ): Promise<CodeAction[]> {
    const version = this.#documents.get(uri)?.version;
    const withFix = diagnostics.some((d) => isDiagnosticData(d.data) && d.data.fix !== undefined);
    const askFixAll = only !== undefined && wants(only, fixAllKind);
    const host = withFix || askFixAll ? this.diagnostics.hostFor(uri) : undefined;
    const path = host?.sitePath(uri);
    // Fixes are checked on the page as it would be after them only when one is about to be offered (it re-parses the page).
    let unsafe: UnsafeFix | undefined;
    if (host && path) {
      await host.whenReady(token);
      unsafe = unsafeFixesOf(host.project, path, await host.fileFindings(path, token));
    }
    const actions = wants(only, CodeActionKind.QuickFix)
      ? quickFixes(uri, version, diagnostics, this.#client, unsafe)
      : [];
    // Fix-all needs the whole document's diagnostics: computed only when explicitly asked for (on save, Source Action menu).
    if (askFixAll && host && path) {
      const all = await this.diagnostics.diagnosticsOf(host, path, await host.fileFindings(path, token));
      const action = fixAll(uri, host.versionOf(path), all, this.#client, unsafe);
      if (action) actions.push(action);
    }
    actions.push(...(await this.features.codeActions(uri, diagnostics, only, token)));
    // Last: turning a rule off for the line or the file (never instead of a fix).
    if (wants(only, CodeActionKind.QuickFix)) {
      const document = this.#documents.get(uri);
      const host = this.diagnostics.hostFor(uri);
      const path = host?.sitePath(uri);
      const parsed = host && path && document ? host.project.parsed(path) : undefined;
      if (document && parsed) actions.push(...disableActions(uri, document, parsed, diagnostics, this.#client));
    }
    return actions;
  }

  /** Code actions as the client takes them: literals, or Commands the server runs (`msol.applyEdit`). */
  async codeActionsOrCommands(
    uri: string,
    diagnostics: Parameters<typeof quickFixes>[2],
    only: string[] | undefined,
    token: CancellationToken,
  ): Promise<Array<CodeAction | Command>> {
    if (this.#client.codeActionLiterals) return this.codeActions(uri, diagnostics, only, token);
    if (!this.#client.applyEdit) return [];
    const actions = await this.codeActions(uri, diagnostics, only, token);
    return actions.flatMap((a): Command[] =>
      a.edit ? [{ title: a.title, command: applyEditCommand, arguments: [a.edit] }] : [],
    );
  }

  async executeCommand(p: ExecuteCommandParams): Promise<null> {
    if (p.command === applyEditCommand && this.#client.applyEdit) {
      const edit = p.arguments?.[0] as WorkspaceEdit | undefined;
      if (edit) await this.#connection.workspace.applyEdit({ label: 'msol', edit });
    } else if (p.command === showReferencesCommand) {
      this.features.showReferences(p.arguments ?? []);
    }
    return null;
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

function fsPathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** The folders of the initialize request: workspaceFolders, else the deprecated rootUri / rootPath. */
function initialFolders(params: InitializeParams): WorkspaceFolder[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders;
  if (params.rootUri) return [{ uri: params.rootUri, name: '' }];
  if (params.rootPath) return [{ uri: URI.file(params.rootPath).toString(), name: '' }];
  return [];
}

/**
 * Which of a page's fixes the engine finds unsafe on its current text
 * (Project.verifyFixes), as a lookup by rule id, start position and title
 * from a diagnostic to the title its fix gets as a mere suggestion.
 */
function unsafeFixesOf(project: Project, path: string, findings: readonly Finding[]): UnsafeFix {
  const verified = project.verifyFixes(path, findings);
  const titles = new Map<string, string>();
  findings.forEach((f, i) => {
    const v = verified[i];
    if (f.fix && v && !v.fix)
      titles.set(
        `${f.ruleId}|${f.range.start.line}:${f.range.start.character}|${f.fix.title}`,
        v.suggestions?.[0]?.title ?? f.fix.title,
      );
  });
  return (d) =>
    isDiagnosticData(d.data) && d.data.fix
      ? titles.get(`${String(d.code)}|${d.range.start.line}:${d.range.start.character}|${d.data.fix.title}`)
      : undefined;
}
