/**
 * A real LSP client for the bundled server: spawns `node server/out/server.js
 * --stdio`, speaks the protocol, records every message from the server and
 * lets tests wait on them (never on time). Sites are temp folders.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ErrorCodes,
  ExitNotification,
  ResponseError,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  StreamMessageReader,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  StreamMessageWriter,
  createProtocolConnection,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type FileChangeType,
  type FullDocumentDiagnosticReport,
  type InitializeResult,
  type ProtocolConnection,
  type Range,
  type TextDocumentContentChangeEvent,
  type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';

export const repoRoot = nodePath.resolve(__dirname, '../..');
export const serverPath = nodePath.join(repoRoot, 'server/out/server.js');

/** `npm test` builds first; a bare `node --test test/lsp` builds only when the bundle is missing. */
export function ensureBundle(): void {
  if (!existsSync(serverPath))
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

/** How long any single wait may take before the test fails (generous: CI machines are slow, a pass never waits this long). */
export const waitTimeout = 15_000;

export class Site {
  readonly dir: string;
  constructor(files: Record<string, string | Uint8Array>) {
    this.dir = mkdtempSync(nodePath.join(tmpdir(), 'msol-lsp-'));
    for (const [path, content] of Object.entries(files)) this.write(path, content);
  }
  path(path: string): string {
    return nodePath.join(this.dir, ...path.split('/'));
  }
  uri(path: string): string {
    return URI.file(this.path(path)).toString();
  }
  get rootUri(): string {
    return URI.file(this.dir).toString();
  }
  write(path: string, content: string | Uint8Array): void {
    mkdirSync(nodePath.dirname(this.path(path)), { recursive: true });
    writeFileSync(this.path(path), content);
  }
  remove(path: string): void {
    rmSync(this.path(path), { recursive: true, force: true });
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ServerMessage {
  readonly type: 'notification' | 'request' | 'progress';
  readonly method: string;
  readonly params: unknown;
}

/** Capabilities of a modern client (VS Code-like): pull diagnostics, refresh, watchers, progress, configuration, Markdown, snippets. */
export const pullClient: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    semanticTokens: {
      dynamicRegistration: true,
      requests: { full: true },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
  },
  workspace: {
    workspaceFolders: true,
    configuration: true,
    applyEdit: true,
    diagnostics: { refreshSupport: true },
    semanticTokens: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  window: { workDoneProgress: true, showMessage: {} },
};

/** What the VS Code client says in `initializationOptions` (client/src/client.ts); the default of every test client. */
export const vscodeOptions = {
  statusNotification: true,
  clientCommands: ['msol.showReferences', 'editor.action.triggerSuggest'],
  lineFragments: true,
};

/** An older client: no textDocument.diagnostic, so the server must push. */
export const pushClient: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
  workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
};

/**
 * A minimal editor (Neovim 0.7, Emacs eglot as they come): no dynamic
 * registration, no workspace/configuration, no refresh requests, no progress,
 * no snippets, plain-text hovers, no CodeAction literals (but it applies
 * edits), semantic tokens only when announced in the initialize result.
 */
export const minimalClient: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: {},
    hover: { contentFormat: ['plaintext'] },
    completion: { completionItem: { snippetSupport: false } },
    codeAction: {},
    semanticTokens: {
      dynamicRegistration: false,
      requests: { full: true },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
  },
  workspace: { workspaceFolders: true, applyEdit: true },
};

export interface StartOptions {
  /**
   * The server → client requests this client answers; any other request is
   * recorded in `unannounced` and refused. Default: the ones VS Code answers.
   */
  readonly answers?: readonly string[];
  readonly capabilities?: ClientCapabilities;
  /** Default: vscodeOptions. */
  readonly initializationOptions?: unknown;
  readonly workspaceFolders?: WorkspaceFolder[] | null;
  readonly rootUri?: string | null;
  /** Added to the server's environment (XDG_CACHE_HOME for the cache it reads, MSOL_WORKERS). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The server → client requests VS Code answers. */
const vscodeAnswers = [
  'client/registerCapability',
  'client/unregisterCapability',
  'workspace/diagnostic/refresh',
  'workspace/configuration',
  'window/showMessageRequest',
  'workspace/semanticTokens/refresh',
  'workspace/codeLens/refresh',
  'workspace/applyEdit',
  WorkDoneProgressCreateRequest.method,
];

export class TestClient {
  readonly messages: ServerMessage[] = [];
  /** Requests the server sent that this client did not say it takes (see StartOptions.answers). */
  readonly unannounced: ServerMessage[] = [];
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr = '';
  initializeResult!: InitializeResult;
  readonly #listeners = new Set<() => void>();
  readonly #versions = new Map<string, number>();

  private constructor(answers: readonly string[], env: Readonly<Record<string, string>> = {}) {
    this.child = spawn(process.execPath, [serverPath, '--stdio'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    for (const method of [
      'textDocument/publishDiagnostics',
      'msol/status',
      'window/logMessage',
      'window/showMessage',
      'telemetry/event',
    ]) {
      this.connection.onNotification(method, (params: unknown) =>
        this.#record({ type: 'notification', method, params }),
      );
    }
    this.connection.onUnhandledNotification((m) =>
      this.#record({ type: 'notification', method: m.method, params: m.params }),
    );
    // Answers the server → client requests the way VS Code does (or only those this client announced).
    for (const method of answers) {
      if (method === WorkDoneProgressCreateRequest.method) continue;
      this.connection.onRequest(method, (params: unknown): unknown => {
        this.#record({ type: 'request', method, params });
        return method === 'workspace/configuration' ? [] : method === 'workspace/applyEdit' ? { applied: true } : null;
      });
    }
    if (answers.includes(WorkDoneProgressCreateRequest.method)) {
      this.connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
        this.#record({ type: 'request', method: WorkDoneProgressCreateRequest.method, params });
        this.connection.onProgress(WorkDoneProgress.type, params.token, (value) =>
          this.#record({ type: 'progress', method: '$/progress', params: { token: params.token, value } }),
        );
      });
    }
    // The star handler (every other method): vscode-jsonrpc has it, the protocol connection's types leave it out.
    (
      this.connection as unknown as { onRequest(handler: (method: string, params: unknown) => unknown): void }
    ).onRequest((method: string, params: unknown): never => {
      const m = { type: 'request' as const, method, params };
      this.unannounced.push(m);
      this.#record(m);
      throw new ResponseError(ErrorCodes.MethodNotFound, `the test client did not announce ${method}`);
    });
    this.connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    ensureBundle();
    const client = new TestClient(options.answers ?? vscodeAnswers, options.env);
    client.initializeResult = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      workspaceFolders: options.workspaceFolders ?? null,
      capabilities: options.capabilities ?? pullClient,
      initializationOptions: 'initializationOptions' in options ? options.initializationOptions : vscodeOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  #record(m: ServerMessage): void {
    this.messages.push(m);
    for (const l of [...this.#listeners]) l();
  }

  /**
   * Waits until `pick` returns a value for a message at index ≥ `from`
   * (default: any message so far). Fails after waitTimeout with `what`.
   */
  waitFor<T>(what: string, pick: (m: ServerMessage) => T | undefined, from = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let next = from;
      const check = () => {
        for (; next < this.messages.length; next++) {
          const v = pick(this.messages[next]!);
          if (v !== undefined) {
            done();
            resolve(v);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `timed out waiting for ${what}; server said:\n${this.messages.map((m) => `${m.type} ${m.method} ${String(JSON.stringify(m.params)).slice(0, 300)}`).join('\n')}\nstderr: ${this.stderr}`,
          ),
        );
      }, waitTimeout);
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** The `msol/status` notification once every site is indexed. */
  ready(from = 0): Promise<{ state: string; pages: number; errors: number; warnings: number }> {
    return this.waitFor(
      'msol/status ready',
      (m) =>
        m.method === 'msol/status' && (m.params as { state: string }).state === 'ready'
          ? (m.params as { state: string; pages: number; errors: number; warnings: number })
          : undefined,
      from,
    );
  }

  /** Index of the next message: pass to waitFor to see only what comes after an action. */
  get mark(): number {
    return this.messages.length;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    this.#versions.set(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version, text },
    });
  }

  /** Sends one incremental change (range given) or a full replacement; returns the new version. */
  async change(uri: string, ...changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.#versions.get(uri) ?? 0) + 1;
    this.#versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.#versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async fileEvents(...changes: Array<{ uri: string; type: FileChangeType }>): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    if (report.kind !== 'full') throw new Error(`expected a full report for ${uri}, got ${report.kind}`);
    return (report as FullDocumentDiagnosticReport).items;
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []) as CodeAction[];
  }

  /** The `refresh` requests the server sent after `from`. */
  refreshes(from = 0): number {
    return this.messages.slice(from).filter((m) => m.method === 'workspace/diagnostic/refresh').length;
  }

  waitForRefresh(from: number): Promise<true> {
    return this.waitFor(
      'workspace/diagnostic/refresh',
      (m) => (m.method === 'workspace/diagnostic/refresh' ? true : undefined),
      from,
    );
  }

  /** The first publishDiagnostics for `uri` after `from` whose diagnostics `accept` approves. */
  waitForPublished(uri: string, accept: (d: Diagnostic[]) => boolean, from = 0): Promise<Diagnostic[]> {
    return this.waitFor(
      `publishDiagnostics for ${uri}`,
      (m) => {
        if (m.method !== 'textDocument/publishDiagnostics') return undefined;
        const p = m.params as { uri: string; diagnostics: Diagnostic[] };
        return p.uri === uri && accept(p.diagnostics) ? p.diagnostics : undefined;
      },
      from,
    );
  }

  /** shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** For after-hooks: never leaves a server running, even when a test failed midway. */
  async dispose(): Promise<void> {
    try {
      if (this.child.exitCode === null) {
        // A ceiling on the graceful shutdown of a server a failed test may have wedged, not a wait:
        // a healthy server exits at once; past 2 s it is killed below.
        await Promise.race([this.stop(), new Promise((r) => setTimeout(r, 2000))]);
      }
    } finally {
      if (this.child.exitCode === null) this.child.kill();
      this.connection.dispose();
    }
  }
}

export const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => String(d.code));
export const byCode = (ds: readonly Diagnostic[], code: string): Diagnostic[] => ds.filter((d) => d.code === code);

/** A diagnostic's message as text (LSP 3.18 allows Markdown content). */
export const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
