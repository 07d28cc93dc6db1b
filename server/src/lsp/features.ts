import {
  CodeActionKind,
  CodeLensRefreshRequest,
  MessageType,
  ShowMessageNotification,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeLens,
  type CompletionList,
  type Connection,
  type Definition,
  type Diagnostic,
  type DocumentLink,
  type DocumentSymbol,
  type Hover,
  type Location as LspLocation,
  type Position as LspPosition,
  type Range as LspRange,
  type RenameFilesParams,
  type ServerCapabilities,
  type SymbolInformation,
  type TextDocuments,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  LineIndex,
  decodeUtf8,
  headingDocumentSymbols,
  headingWorkspaceSymbols,
  linkCompletions,
  linkDefinition,
  linkDocumentLinks,
  linkEditsForMoves,
  linkHover,
  linkReferences,
  prepareHeadingRename,
  proposalCodeLenses,
  renameHeading,
  workspaceEditRanges,
  type FileMove,
  type Finding,
  type HoverResult,
  type LinkFeatureScope,
  type Location,
  type Logger,
  type Project,
  type SymbolEntry,
  type TextSource,
} from '../engine/index';
import {
  collectTermUses,
  fixAllTermCaseEdits,
  glossaryAdditionEdits,
  termAt,
  termCompletions,
  termDefinitionSnippets,
  termDefinitions,
  termHover,
  termReferences,
  termSymbols,
  type GlossaryTarget,
} from '../engine/features/glossary';
import { attributionHover } from '../engine/features/attribution';
import { fragmentMatches, linkGraph } from '../engine/links/graph';
import { rangeOf } from '../engine/linter';
import {
  rangedEdits,
  spanRange,
  toCodeLens,
  toCompletionItem,
  toDocumentLink,
  toDocumentSymbol,
  toHover,
  toLocations,
  toSymbolInformation,
  toWorkspaceEdit,
  type OffsetMapper,
  type RangedEdits,
} from './featureConvert';
import { diagnosticSource } from './convert';
import type { ClientDescription } from './client';
import { guardRequest, runGuarded } from './logging';
import type { ProjectHost } from './projectHost';
import type { Sites } from './sites';

/**
 * The language features of the editor: hover, completion, definition,
 * references, document links, code lenses, heading rename, link updates on
 * file moves, symbols, and the code actions that are not a diagnostic's own
 * fix ("Fix all term-case problems in this file", "Add to glossary").
 *
 * Each handler finds the site of the document, waits for its index, asks the
 * engine's feature functions (engine/features/*.ts: offsets and site paths)
 * and converts the answer with featureConvert.ts, the one place engine data
 * becomes LSP. Every handler is guarded: a failure is logged and answered
 * empty.
 *
 * Settings read here (`workspace/configuration`, section `msol`, per file):
 * `msol.links.updateOnFileMove` (`never` | `prompt` | `always`, default
 * `prompt`). For `prompt` the server asks with `window/showMessageRequest`
 * while the client waits for `workspace/willRenameFiles`.
 */

/** "Fix all term-case problems in this file" in the Source Action menu (not `source.fixAll`: on save, `source.fixAll.msol` already applies every safe fix). */
export const termCaseSourceKind = `${CodeActionKind.Source}.msol.termCase`;

/** The code action kinds this module adds to the server's `codeActionProvider`. */
export const featureCodeActionKinds: readonly string[] = [termCaseSourceKind];

/** VS Code's own command that opens the completion list again (a folder was just completed). */
const triggerSuggestCommand = 'editor.action.triggerSuggest';

export type UpdateLinksMode = 'never' | 'prompt' | 'always';
const updateModes: readonly UpdateLinksMode[] = ['never', 'prompt', 'always'];
export const defaultUpdateLinksMode: UpdateLinksMode = 'prompt';

const triggerCharacters = ['(', '/', '#', '[', '"'];

/** Everything the feature handlers need from the client's capabilities, read once. */
interface FeatureClient extends ClientDescription {
  readonly createFiles: boolean;
  readonly hierarchicalSymbols: boolean;
  readonly prepareRename: boolean;
}

function describeFeatureClient(c: ClientCapabilities, client: ClientDescription): FeatureClient {
  return {
    ...client,
    createFiles:
      c.workspace?.workspaceEdit?.documentChanges === true &&
      (c.workspace.workspaceEdit.resourceOperations ?? []).includes('create'),
    hierarchicalSymbols: c.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    prepareRename: c.textDocument?.rename?.prepareSupport === true,
  };
}

/**
 * The capabilities of the features (see Features.capabilities, which merges
 * them into the server's). Beside VS Code's built-in Markdown features
 * (`builtinMarkdown`), the heading outline and heading rename are theirs:
 * they are left out here rather than offered twice.
 */
function featureCapabilities(c: FeatureClient): ServerCapabilities {
  const builtin = c.options.builtinMarkdown;
  return {
    hoverProvider: true,
    completionProvider: { triggerCharacters, resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    documentLinkProvider: { resolveProvider: false },
    codeLensProvider: { resolveProvider: false },
    ...(builtin ? {} : { renameProvider: c.prepareRename ? { prepareProvider: true } : true }),
    ...(builtin ? {} : { documentSymbolProvider: { label: 'msol' } }),
    workspaceSymbolProvider: true,
    workspace: {
      fileOperations: {
        // Pages, assets and folders: a moved folder arrives as one rename.
        willRename: { filters: [{ scheme: 'file', pattern: { glob: '**/*' } }] },
      },
    },
  };
}

export interface FeatureOptions {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly sites: Sites;
  readonly logger: Logger;
  readonly capabilities: ClientCapabilities;
  /** What the client announced (initialize), read once by the server. */
  readonly client: ClientDescription;
  /** A file's findings as the client sees them (its severities applied): the hover explains the ones under the cursor. */
  readonly findings?: (host: ProjectHost, path: string, token: CancellationToken) => Promise<readonly Finding[]>;
}

/** The document a request is about: its site, its site path, and how its offsets map to positions. */
interface DocumentContext {
  readonly host: ProjectHost;
  readonly project: Project;
  readonly path: string;
  readonly uri: string;
  readonly mapper: OffsetMapper & { offsetAt(p: LspPosition): number };
  /** The document version the answer is for (undefined: the text on disk). */
  readonly version: number | undefined;
}

export class Features {
  readonly #connection: Connection;
  readonly #sites: Sites;
  readonly #logger: Logger;
  readonly #client: FeatureClient;
  readonly #findings: FeatureOptions['findings'];
  #lensTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #lensFingerprints = new Map<string, string>();

  constructor(options: FeatureOptions) {
    this.#connection = options.connection;
    this.#sites = options.sites;
    this.#logger = options.logger;
    this.#findings = options.findings;
    this.#client = describeFeatureClient(options.capabilities, options.client);
    // Links edited anywhere change the proposal's "N pages link here".
    options.documents.onDidChangeContent(() => this.scheduleCodeLensRefresh());
    options.documents.onDidClose(() => this.scheduleCodeLensRefresh());
  }

  /** The server's capabilities with the features' merged in (`workspace` and code action kinds included). */
  capabilities(base: ServerCapabilities): ServerCapabilities {
    const own = featureCapabilities(this.#client);
    const actions = base.codeActionProvider;
    return {
      ...base,
      ...own,
      ...(typeof actions === 'object'
        ? {
            codeActionProvider: {
              ...actions,
              codeActionKinds: [...new Set([...(actions.codeActionKinds ?? []), ...featureCodeActionKinds])],
            },
          }
        : {}),
      workspace: { ...base.workspace, ...own.workspace },
    };
  }

  // ---- sites ---------------------------------------------------------------------------------

  #hostOf(uri: string): ProjectHost | undefined {
    return this.#sites.ownerOf(uri) ?? this.#sites.hostForDocument(uri, false);
  }

  async #document(uri: string, token: CancellationToken): Promise<DocumentContext | undefined> {
    const host = this.#hostOf(uri);
    const path = host?.sitePath(uri);
    if (!host || !path) return undefined;
    const project = await host.whenReady(token);
    const doc = host.openDocumentAt(path);
    if (doc) return { host, project, path, uri, mapper: doc, version: doc.version };
    // Not open (a request from a peek or a tree): the text on disk, which is what the index holds.
    const text = await readText(host, path);
    if (text === undefined || !project.index.facts(path)) return undefined;
    return { host, project, path, uri, mapper: new LineIndex(text), version: undefined };
  }

  /** Texts of pages that are not open, read from disk beforehand (engine features read text synchronously). */
  async #texts(host: ProjectHost, paths: Iterable<string>): Promise<TextSource> {
    const read = new Map<string, string>();
    for (const p of new Set(paths)) {
      if (host.openDocumentAt(p)) continue;
      const text = await readText(host, p);
      if (text !== undefined) read.set(p, text);
    }
    return (p) => host.openDocumentAt(p)?.getText() ?? read.get(p);
  }

  /** A TextSource that can answer for every page whose term uses are not memoised. */
  async #termTexts(host: ProjectHost, project: Project): Promise<TextSource> {
    const open: TextSource = (p) => host.openDocumentAt(p)?.getText();
    return this.#texts(host, collectTermUses(project, open).unread);
  }

  #uriOf(host: ProjectHost): (path: string) => string | undefined {
    return (path) => host.uriOf(path);
  }

  // ---- hover ---------------------------------------------------------------------------------

  async hover(uri: string, position: LspPosition, token: CancellationToken): Promise<Hover | null> {
    const d = await this.#document(uri, token);
    if (!d) return null;
    const offset = d.mapper.offsetAt(position);
    const getText = await this.#texts(d.host, [d.path]);
    const results: HoverResult[] = [];
    // The why of the problems under the cursor first: the editor shows their one-line messages just above.
    for (const f of this.#findings ? await this.#findings(d.host, d.path, token) : []) {
      if (f.note && f.span.start <= offset && offset <= f.span.end)
        results.push({ markdown: `**Why** (${f.ruleId}): ${f.note}`, span: f.span });
    }
    const term = termHover(d.project, d.path, offset, getText);
    if (term) results.push({ ...term, markdown: this.#absoluteLinks(d, term.markdown) });
    const link = linkHover(d.project, d.path, offset);
    if (link) results.push(link);
    const image = attributionHover(d.project.index, d.path, offset);
    if (image) results.push(image);
    return toHover(results, d.mapper, this.#client.hoverMarkdown);
  }

  /** The written forms of links this server answers for: beside VS Code's Markdown features, only GitBook's tags. */
  get #linkScope(): LinkFeatureScope {
    return this.#client.options.builtinMarkdown ? { markdown: false, html: false } : {};
  }

  /**
   * Relative links in hover Markdown (the engine writes them from the page, e.g.
   * to a term's definition) → file URIs at the heading's line, which the
   * client can open: a hover has no base URI.
   */
  #absoluteLinks(d: DocumentContext, markdown: string): string {
    return markdown.replace(/\]\(([^()\s]+)\)/g, (whole, url: string) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return whole;
      const res = d.project.index.resolve(d.path, url);
      if (res.kind !== 'local' || (res.exists !== 'file' && res.exists !== 'directory-readme')) return whole;
      const target = res.page ?? res.path;
      const uri = d.host.uriOf(target);
      if (!uri) return whole;
      const line =
        res.target.fragment && this.#client.options.lineFragments
          ? headingLine(d.project, target, res.target.fragment)
          : undefined;
      return `](${uri}${line !== undefined ? `#L${line + 1}` : ''})`;
    });
  }

  // ---- completion ----------------------------------------------------------------------------

  async completion(uri: string, position: LspPosition, token: CancellationToken): Promise<CompletionList> {
    const d = await this.#document(uri, token);
    if (!d) return { isIncomplete: false, items: [] };
    const offset = d.mapper.offsetAt(position);
    const getText = await this.#texts(d.host, [d.path]);
    const links = linkCompletions(d.project, d.path, offset, getText, this.#linkScope);
    // Inside a link destination only paths and anchors make sense; elsewhere, glossary terms.
    const entries = links.length ? links : termCompletions(d.project, d.path, offset, getText);
    // Where a term completes, its definition is offered too, as a snippet (issue 4: "a snippet per term").
    const text = getText(d.path) ?? '';
    const replaceStart = entries[0]?.replace.start ?? offset;
    // Not inside a link's text (`[Cr…`): a definition sentence belongs in prose.
    const inLinkText = /\[[^\]\n]*$/.test(
      text.slice(Math.max(0, text.lastIndexOf('\n', replaceStart - 1) + 1), replaceStart),
    );
    if (!links.length && entries.length > 0 && !inLinkText) {
      const replace = entries[0]!.replace;
      const typed = text.slice(replace.start, replace.end).toLowerCase();
      const snippets = termDefinitionSnippets(d.project, d.path, replace).filter((e) =>
        e.label.toLowerCase().startsWith(typed),
      );
      return {
        isIncomplete: false,
        items: [...entries, ...snippets].map((e) => toCompletionItem(e, d.mapper, this.#completionOptions)),
      };
    }
    return { isIncomplete: false, items: entries.map((e) => toCompletionItem(e, d.mapper, this.#completionOptions)) };
  }

  get #completionOptions() {
    const c = this.#client;
    return {
      snippets: c.snippets,
      markdown: c.completionMarkdown,
      ...(c.options.clientCommands.has(triggerSuggestCommand) ? { triggerSuggest: triggerSuggestCommand } : {}),
    };
  }

  // ---- definition and references -------------------------------------------------------------

  async definition(uri: string, position: LspPosition, token: CancellationToken): Promise<Definition> {
    const d = await this.#document(uri, token);
    if (!d) return [];
    const offset = d.mapper.offsetAt(position);
    const getText = await this.#texts(d.host, [d.path]);
    // A link leads to its file and heading; a term (also one in a link's text) to its defining sentence.
    const locations: Location[] = [
      ...linkDefinition(d.project, d.path, offset, this.#linkScope),
      ...termDefinitions(d.project, d.path, offset, getText),
    ];
    return toLocations(locations, this.#uriOf(d.host));
  }

  async references(
    uri: string,
    position: LspPosition,
    includeDeclaration: boolean,
    token: CancellationToken,
  ): Promise<LspLocation[]> {
    const d = await this.#document(uri, token);
    if (!d) return [];
    const offset = d.mapper.offsetAt(position);
    const facts = d.project.index.facts(d.path);
    const onHeading = facts?.headings.some((h) => h.span.start <= offset && offset <= h.span.end) ?? false;
    const link = facts?.references.find((r) => r.span.start <= offset && offset < r.span.end);
    const onLink = link !== undefined;
    const pageText = await this.#texts(d.host, [d.path]);
    const onTerm = termAt(d.project, d.path, offset, pageText) !== undefined;
    const out: Location[] = [];
    // A heading or a link: the links to it. A term: its uses. Anywhere else: the links to this page.
    // Beside VS Code's Markdown features, the links to a heading or from a Markdown link are theirs.
    const builtin =
      this.#client.options.builtinMarkdown &&
      (onHeading ||
        (link !== undefined && link.kind !== 'content-ref' && link.kind !== 'file' && link.kind !== 'page-ref'));
    if (!builtin && (onHeading || onLink || !onTerm))
      out.push(...linkReferences(d.project, d.path, offset, { includeDeclaration }));
    // The page's title stands for the page (as in the proposal's code lens): links to the page without an anchor count too.
    const title = facts?.headings.find((h) => h.depth === 1);
    if (facts && title && title.span.start <= offset && offset <= title.span.end) {
      for (const r of linkGraph(d.project.index).incoming.get(d.path) ?? []) {
        const from = d.project.index.facts(r.from);
        if (r.fragment === undefined && from)
          out.push({ path: r.from, span: r.ref.span, range: rangeOf(from.lineStarts, r.ref.span) });
      }
    }
    if (onTerm) {
      const getText = await this.#termTexts(d.host, d.project);
      out.push(...termReferences(d.project, d.path, offset, { includeDeclaration, getText }));
    }
    return toLocations(out, this.#uriOf(d.host));
  }

  // ---- document links and code lenses --------------------------------------------------------

  async documentLinks(uri: string, token: CancellationToken): Promise<DocumentLink[]> {
    const d = await this.#document(uri, token);
    if (!d) return [];
    const uriOf = this.#uriOf(d.host);
    const lines = this.#client.options.lineFragments;
    return linkDocumentLinks(d.project, d.path, this.#linkScope)
      .map((e) =>
        toDocumentLink(e, uriOf, (path, fragment) => (lines ? headingLine(d.project, path, fragment) : undefined)),
      )
      .filter((l): l is DocumentLink => l !== undefined);
  }

  async codeLenses(uri: string, token: CancellationToken): Promise<CodeLens[]> {
    const d = await this.#document(uri, token);
    if (!d) return [];
    const lenses = proposalCodeLenses(d.project, d.path);
    // What the client shows now: a later edit elsewhere that changes it asks for a refresh.
    if (lenses.length) this.#lensFingerprints.set(d.host.root, lensFingerprint(lenses));
    return lenses.map((e) => toCodeLens(e, d.uri, this.#uriOf(d.host)));
  }

  /**
   * `msol.showReferences` run by the server, for a client that does not run
   * it itself: the pages that link here, as a message (any client shows one).
   */
  showReferences(args: readonly unknown[]): void {
    const locations = Array.isArray(args[2]) ? (args[2] as LspLocation[]) : [];
    const pages = [...new Set(locations.map((l) => decodeURIComponent(lastSegment(l.uri))))];
    const text =
      pages.length === 0
        ? 'No page links here.'
        : `Linked from ${pages.length === 1 ? '1 page' : `${pages.length} pages`}: ${pages.join(', ')}`;
    void this.#connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: text });
  }

  /** After edits anywhere (debounced): when a proposal's link counts changed, the client re-asks for its lenses. */
  scheduleCodeLensRefresh(): void {
    if (!this.#client.codeLensRefresh) return;
    if (this.#lensTimer) clearTimeout(this.#lensTimer);
    this.#lensTimer = setTimeout(() => {
      this.#lensTimer = undefined;
      runGuarded('code lens refresh', this.#logger, () => this.#refreshLenses());
    }, 300);
  }

  async #refreshLenses(): Promise<void> {
    let changed = false;
    for (const host of this.#sites.hosts) {
      const shown = this.#lensFingerprints.get(host.root);
      if (host.state !== 'ready' || shown === undefined) continue;
      const project = host.project;
      const now = lensFingerprint(proposalCodeLenses(project, project.index.proposalPath));
      if (now !== shown) changed = true;
      this.#lensFingerprints.set(host.root, now);
    }
    if (changed) await this.#connection.sendRequest(CodeLensRefreshRequest.type);
  }

  // ---- rename --------------------------------------------------------------------------------

  /** The page the cursor's link points at (a rename from a link's `#anchor` edits that page's heading). */
  #linkedPages(d: DocumentContext, offset: number): string[] {
    return linkDefinition(d.project, d.path, offset).map((l) => l.path);
  }

  async prepareRename(
    uri: string,
    position: LspPosition,
    token: CancellationToken,
  ): Promise<{ range: LspRange; placeholder: string } | null> {
    const d = await this.#document(uri, token);
    if (!d) return null;
    const offset = d.mapper.offsetAt(position);
    const getText = await this.#texts(d.host, [d.path, ...this.#linkedPages(d, offset)]);
    const p = prepareHeadingRename(d.project, d.path, offset, getText);
    return p ? { range: spanRange(d.mapper, p.span), placeholder: p.placeholder } : null;
  }

  async rename(
    uri: string,
    position: LspPosition,
    newName: string,
    token: CancellationToken,
  ): Promise<WorkspaceEdit | null> {
    const d = await this.#document(uri, token);
    if (!d) return null;
    const offset = d.mapper.offsetAt(position);
    const getText = await this.#texts(d.host, [d.path, ...this.#linkedPages(d, offset)]);
    const edits = renameHeading(d.project, d.path, offset, newName, getText);
    if (!edits) return null;
    return toWorkspaceEdit(workspaceEditRanges(d.project, edits), this.#editOptions(d.host)) ?? { changes: {} };
  }

  #editOptions(host: ProjectHost, create?: ReadonlySet<string>) {
    return {
      uriOf: this.#uriOf(host),
      versionOf: (p: string) => host.versionOf(p),
      documentChanges: this.#client.documentChanges,
      ...(create ? { create } : {}),
    };
  }

  // ---- file moves ----------------------------------------------------------------------------

  /**
   * `workspace/willRenameFiles`: edits keeping links to moved pages, assets
   * and folders working, and the relative links inside moved pages. Honours
   * `msol.links.updateOnFileMove` of the first moved file's folder.
   */
  async willRenameFiles(params: RenameFilesParams, token: CancellationToken): Promise<WorkspaceEdit | null> {
    const byHost = new Map<ProjectHost, FileMove[]>();
    for (const f of params.files) {
      // Both ends in the same site; a move to another site (or out of every site) cannot be followed by a relative link.
      const host = this.#sites
        .hostsContaining(f.oldUri)
        .filter((h) => h.sitePath(f.newUri) !== undefined)
        .sort((a, b) => b.root.length - a.root.length)[0];
      const from = host?.sitePath(f.oldUri);
      const to = host?.sitePath(f.newUri);
      if (!host || from === undefined || to === undefined || from === to) continue;
      let list = byHost.get(host);
      if (!list) byHost.set(host, (list = []));
      list.push({ from, to });
    }
    if (byHost.size === 0) return null;
    const mode = await this.#updateMode(params.files[0]!.oldUri);
    if (mode === 'never') return null;
    const combined = new Map<string, { host: ProjectHost; edits: RangedEdits }>();
    for (const [host, moves] of byHost) {
      const project = await host.whenReady(token);
      const edits = linkEditsForMoves(project, moves);
      if (edits.changes.size) combined.set(host.root, { host, edits: workspaceEditRanges(project, edits) });
    }
    const parts = [...combined.values()]
      .map((c) => toWorkspaceEdit(c.edits, this.#editOptions(c.host)))
      .filter((e): e is WorkspaceEdit => e !== undefined);
    if (parts.length === 0) return null;
    const edit = mergeWorkspaceEdits(parts);
    if (mode === 'prompt') {
      const links = [...combined.values()].reduce(
        (n, c) => n + [...c.edits.values()].reduce((m, l) => m + l.length, 0),
        0,
      );
      const files = [...combined.values()].reduce((n, c) => n + c.edits.size, 0);
      const what =
        params.files.length === 1 ? `\`${lastSegment(params.files[0]!.oldUri)}\`` : `${params.files.length} files`;
      const update = { title: 'Update links' };
      const answer = await this.#connection.window.showInformationMessage(
        `Moving ${what}: update ${links} ${links === 1 ? 'link' : 'links'} in ${files} ${files === 1 ? 'file' : 'files'}? (Setting: msol.links.updateOnFileMove)`,
        update,
        { title: 'Not now' },
      );
      if (token.isCancellationRequested || answer?.title !== update.title) return null;
    }
    return edit;
  }

  async #updateMode(scopeUri: string): Promise<UpdateLinksMode> {
    // Asking needs window/showMessageRequest: a client without it gets what it asked willRenameFiles for.
    const fallback: UpdateLinksMode = this.#client.showMessageRequest ? defaultUpdateLinksMode : 'always';
    if (!this.#client.configuration) return fallback;
    try {
      const value = (await this.#connection.workspace.getConfiguration({ scopeUri, section: 'msol' })) as {
        links?: { updateOnFileMove?: unknown };
      } | null;
      const mode = value?.links?.updateOnFileMove;
      const chosen = updateModes.includes(mode as UpdateLinksMode) ? (mode as UpdateLinksMode) : defaultUpdateLinksMode;
      return chosen === 'prompt' && !this.#client.showMessageRequest ? fallback : chosen;
    } catch (error) {
      this.#logger.log('info', 'workspace/configuration failed; msol.links.updateOnFileMove keeps its default', {
        error: String(error),
      });
      return fallback;
    }
  }

  // ---- symbols -------------------------------------------------------------------------------

  async documentSymbols(uri: string, token: CancellationToken): Promise<DocumentSymbol[] | SymbolInformation[]> {
    const d = await this.#document(uri, token);
    if (!d) return [];
    const entries = headingDocumentSymbols(d.project, d.path);
    const facts = d.project.index.facts(d.path);
    if (!this.#client.hierarchicalSymbols) {
      const flat: SymbolEntry[] = [];
      const walk = (es: readonly SymbolEntry[]) => es.forEach((e) => (flat.push(e), walk(e.children ?? [])));
      walk(entries);
      return flat
        .map((e) => toSymbolInformation(e, () => d.uri))
        .filter((s): s is SymbolInformation => s !== undefined);
    }
    const headings = facts?.headings ?? [];
    const end = d.mapper.positionAt(Number.MAX_SAFE_INTEGER);
    // A heading's section ends where the next heading of the same or a higher level starts.
    const sectionEnd = (e: SymbolEntry) => {
      const i = headings.findIndex((h) => h.span.start === e.span.start);
      const next = i < 0 ? undefined : headings.slice(i + 1).find((h) => h.depth <= headings[i]!.depth);
      return next ? d.mapper.positionAt(Math.max(next.span.start - 1, e.span.end)) : end;
    };
    return entries.map((e) => toDocumentSymbol(e, sectionEnd));
  }

  async workspaceSymbols(query: string, token: CancellationToken): Promise<SymbolInformation[]> {
    const out: SymbolInformation[] = [];
    for (const host of this.#sites.hosts) {
      if (host.state === 'disposed') continue;
      const project = await host.whenReady(token);
      const uriOf = this.#uriOf(host);
      // Beside VS Code's Markdown features, headings are theirs; glossary terms are ours.
      const headings = this.#client.options.builtinMarkdown ? [] : headingWorkspaceSymbols(project, query);
      for (const e of [...termSymbols(project, query), ...headings]) {
        const s = toSymbolInformation(e, uriOf);
        if (s) out.push(s);
      }
    }
    return out;
  }

  // ---- code actions --------------------------------------------------------------------------

  /**
   * Actions beyond a diagnostic's own fixes: "Fix all term-case problems in
   * this file" (a quick fix beside a term-case problem when the page has
   * several; a source action when asked for), and "Add to glossary" (two:
   * GLOSSARY.md or `.msolrc.json`) beside a term-undefined problem.
   */
  async codeActions(
    uri: string,
    diagnostics: readonly Diagnostic[],
    only: readonly string[] | undefined,
    token: CancellationToken,
  ): Promise<CodeAction[]> {
    const wantsQuickFix = wants(only, CodeActionKind.QuickFix);
    const ours = diagnostics.filter((x) => x.source === diagnosticSource);
    const termCase = ours.filter((x) => x.code === 'term-case');
    const undefinedTerms = ours.filter((x) => x.code === 'term-undefined');
    const sourceAsked = only !== undefined && wants(only, termCaseSourceKind);
    if (!sourceAsked && !(wantsQuickFix && (termCase.length || undefinedTerms.length))) return [];
    const d = await this.#document(uri, token);
    if (!d) return [];
    const actions: CodeAction[] = [];
    if (sourceAsked || (wantsQuickFix && termCase.length)) {
      const getText = await this.#texts(d.host, [d.path]);
      const edits = fixAllTermCaseEdits(d.project, d.path, getText);
      const edit = edits.length
        ? toWorkspaceEdit(rangedEdits(d.path, edits, d.mapper), this.#editOptions(d.host))
        : undefined;
      const title = 'Fix all term-case problems in this file';
      if (edit && sourceAsked) actions.push({ title, kind: termCaseSourceKind, edit });
      // A second "fix all" beside the single fix only helps when there is more than one problem.
      if (edit && wantsQuickFix && termCase.length && edits.length > 1)
        actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: termCase, edit });
    }
    if (wantsQuickFix && undefinedTerms.length) {
      // "Add to glossary" reads the definition's paragraph: a page adopted lean (from a worker or the cache) is analysed in full first.
      await d.host.fullFacts(d.path);
      for (const diagnostic of undefinedTerms) actions.push(...(await this.#addToGlossary(d, diagnostic)));
    }
    return actions;
  }

  async #addToGlossary(d: DocumentContext, diagnostic: Diagnostic): Promise<CodeAction[]> {
    const offset = d.mapper.offsetAt(diagnostic.range.start);
    const out: CodeAction[] = [];
    for (const target of ['glossary-file', 'config'] as GlossaryTarget[]) {
      const probe = glossaryAdditionEdits(d.project, d.path, offset, target, '');
      if (!probe) continue;
      const open = d.host.openDocumentAt(probe.path);
      const targetText = open ? open.getText() : await readText(d.host, probe.path);
      const exists = open !== undefined || targetText !== undefined || (await d.host.fs.stat(probe.path)) !== undefined;
      // A file that exists but cannot be read is not edited blind; a missing one needs a client that creates files.
      if ((exists && targetText === undefined) || (!exists && !this.#client.createFiles)) continue;
      const addition = glossaryAdditionEdits(
        d.project,
        d.path,
        offset,
        target,
        exists ? (targetText ?? '') : undefined,
      );
      if (!addition) continue;
      const mapper = open ?? new LineIndex(targetText ?? '');
      const edit = toWorkspaceEdit(
        rangedEdits(addition.path, addition.edits, mapper),
        this.#editOptions(d.host, addition.create ? new Set([addition.path]) : undefined),
      );
      if (edit) out.push({ title: addition.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
    }
    return out;
  }

  dispose(): void {
    if (this.#lensTimer) clearTimeout(this.#lensTimer);
  }
}

/**
 * Registers the feature handlers on the connection. `features()` is the
 * instance made at `initialize` (undefined before: requests answer empty).
 */
export function registerFeatureHandlers(
  connection: Connection,
  logger: Logger,
  features: () => Features | undefined,
): void {
  connection.onHover(
    guardRequest(
      'textDocument/hover',
      logger,
      () => null,
      (p, token) => features()?.hover(p.textDocument.uri, p.position, token) ?? null,
    ),
  );
  connection.onCompletion(
    guardRequest(
      'textDocument/completion',
      logger,
      (): CompletionList => ({ isIncomplete: false, items: [] }),
      (p, token) => features()?.completion(p.textDocument.uri, p.position, token) ?? { isIncomplete: false, items: [] },
    ),
  );
  connection.onDefinition(
    guardRequest(
      'textDocument/definition',
      logger,
      (): Definition => [],
      (p, token) => features()?.definition(p.textDocument.uri, p.position, token) ?? [],
    ),
  );
  connection.onReferences(
    guardRequest(
      'textDocument/references',
      logger,
      (): LspLocation[] => [],
      (p, token) => features()?.references(p.textDocument.uri, p.position, p.context.includeDeclaration, token) ?? [],
    ),
  );
  connection.onDocumentLinks(
    guardRequest(
      'textDocument/documentLink',
      logger,
      (): DocumentLink[] => [],
      (p, token) => features()?.documentLinks(p.textDocument.uri, token) ?? [],
    ),
  );
  connection.onCodeLens(
    guardRequest(
      'textDocument/codeLens',
      logger,
      (): CodeLens[] => [],
      (p, token) => features()?.codeLenses(p.textDocument.uri, token) ?? [],
    ),
  );
  connection.onPrepareRename(
    guardRequest(
      'textDocument/prepareRename',
      logger,
      () => null,
      (p, token) => features()?.prepareRename(p.textDocument.uri, p.position, token) ?? null,
    ),
  );
  connection.onRenameRequest(
    guardRequest(
      'textDocument/rename',
      logger,
      () => null,
      (p, token) => features()?.rename(p.textDocument.uri, p.position, p.newName, token) ?? null,
    ),
  );
  connection.workspace.onWillRenameFiles(
    guardRequest(
      'workspace/willRenameFiles',
      logger,
      () => null,
      (p: RenameFilesParams, token) => features()?.willRenameFiles(p, token) ?? null,
    ),
  );
  connection.onDocumentSymbol(
    guardRequest(
      'textDocument/documentSymbol',
      logger,
      (): DocumentSymbol[] => [],
      (p, token) => features()?.documentSymbols(p.textDocument.uri, token) ?? [],
    ),
  );
  connection.onWorkspaceSymbol(
    guardRequest(
      'workspace/symbol',
      logger,
      (): SymbolInformation[] => [],
      (p, token) => features()?.workspaceSymbols(p.query, token) ?? [],
    ),
  );
}

// ---- helpers ---------------------------------------------------------------------------------

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
}

async function readText(host: ProjectHost, path: string): Promise<string | undefined> {
  const bytes = await host.fs.readFile(path);
  if (!bytes) return undefined;
  const decoded = decodeUtf8(bytes);
  return decoded.ok ? decoded.text.replace(/^\uFEFF/, '') : undefined;
}

/** The 0-based line of the heading a fragment names in a page, from the page's facts. */
function headingLine(project: Project, path: string, fragment: string): number | undefined {
  const facts = project.index.facts(path);
  const h = facts?.headings.find((x) => fragmentMatches(fragment, x.slug));
  return facts && h ? rangeOf(facts.lineStarts, h.span).start.line : undefined;
}

function lensFingerprint(
  lenses: readonly { readonly title: string; readonly range: { readonly start: { readonly line: number } } }[],
): string {
  return lenses.map((l) => `${l.range.start.line}:${l.title}`).join('\n');
}

function lastSegment(uri: string): string {
  const clean = uri.replace(/\/+$/, '');
  return decodeURIComponent(clean.slice(clean.lastIndexOf('/') + 1));
}

/** Several sites' edits in one WorkspaceEdit (all `changes` or all `documentChanges`, as the client takes them). */
function mergeWorkspaceEdits(parts: readonly WorkspaceEdit[]): WorkspaceEdit {
  if (parts.length === 1) return parts[0]!;
  if (parts.every((p) => p.documentChanges)) return { documentChanges: parts.flatMap((p) => p.documentChanges ?? []) };
  return { changes: Object.assign({}, ...parts.map((p) => p.changes ?? {})) as Record<string, never> };
}
