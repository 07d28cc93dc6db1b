import {
  SemanticTokensBuilder,
  SemanticTokensRegistrationType,
  type CancellationToken,
  type Connection,
  type SemanticTokens,
  type SemanticTokensParams,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex, lineOf, type Logger, type Project } from '../engine/index';
import { glossaryFingerprint, glossaryOf } from '../engine/glossary/index';
import {
  definitionLink,
  glossaryReport,
  formatGlossaryMarkdown,
  termDefinitionChoices,
  termUsesIn,
} from '../engine/features/glossary';
import { proposalLinkChoices } from '../engine/features/links';
import {
  addAttributionEdit,
  attributionReport,
  attributionSidecar,
  commonLicenses,
  formatAttributionMarkdown,
  imageAt,
  knownCredit,
} from '../engine/features/attribution';
import { siteAttribution } from '../engine/attribution/site';
import { licenseName, licenseUrl } from '../engine/attribution/license';
import {
  AddAttributionRequest,
  AttributionKnownRequest,
  AttributionLicensesRequest,
  AttributionSidecarRequest,
  GlossaryRequest,
  ProposalSectionsRequest,
  ReportRequest,
  SiteInfoRequest,
  TermInsertionsRequest,
  semanticTokenModifiers,
  semanticTokenTypes,
} from '../protocol';
import { guardNotification, guardRequest, runGuarded } from './logging';
import type { ClientDescription } from './client';
import type { ProjectHost } from './projectHost';
import type { Sites } from './sites';

/**
 * The server side of the editor's writing features: the glossary the
 * preview marks terms with, what the insert commands insert, what "New
 * article…" needs to know about a site, the attribution edit and the
 * reports, and semantic tokens for glossary terms. Each handler finds the
 * site of a URI, waits for its index, asks the engine's features
 * (engine/features/glossary.ts, links.ts, attribution.ts) and converts.
 *
 * Settings: the client's `msol` section, read per resource with
 * `workspace/configuration` and cached until `workspace/didChangeConfiguration`.
 * Honoured here: `msol.enable` (no semantic tokens for a folder that turned
 * the checks off) and `msol.proposal.path` (the proposal the insert commands
 * and "New article…" link to).
 */

export interface AuthoringOptions {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly sites: Sites;
  readonly logger: Logger;
  /** What the client announced: semantic tokens are registered, and refreshed, only as it allows. */
  readonly client: ClientDescription;
}

/** The legend of the glossary-term semantic tokens (registered dynamically, or announced in the initialize result). */
export function semanticTokensLegend(): { tokenTypes: string[]; tokenModifiers: string[] } {
  return { tokenTypes: [...semanticTokenTypes], tokenModifiers: [...semanticTokenModifiers] };
}

/** The part of the client's `msol` settings the server reads. */
export interface ServerSettings {
  readonly enable: boolean;
  readonly proposalPath: string;
}

const defaultSettings: ServerSettings = { enable: true, proposalPath: '' };

/** Registers the handlers. Call once, from the `initialized` notification (dynamic registration needs it). */
export function registerAuthoring(options: AuthoringOptions): Authoring {
  return new Authoring(options);
}

export class Authoring {
  readonly #connection: Connection;
  readonly #documents: TextDocuments<TextDocument>;
  readonly #sites: Sites;
  readonly #logger: Logger;
  readonly #client: ClientDescription;
  readonly #settings = new Map<string, Promise<ServerSettings>>();
  #configurationWorks: boolean;
  /** Per site root, the glossary the last semantic tokens were made with: a change re-colours every open page. */
  readonly #fingerprints = new Map<string, string>();
  #glossaryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AuthoringOptions) {
    this.#connection = options.connection;
    this.#documents = options.documents;
    this.#sites = options.sites;
    this.#logger = options.logger;
    this.#client = options.client;
    this.#configurationWorks = options.client.configuration;
    const c = this.#connection;
    const log = this.#logger;

    c.onRequest(
      GlossaryRequest.type,
      guardRequest(
        'msol/glossary',
        log,
        () => null,
        (p, token) => this.glossary(p, token),
      ),
    );
    c.onRequest(
      TermInsertionsRequest.type,
      guardRequest(
        'msol/termInsertions',
        log,
        () => [],
        (p, token) => this.termInsertions(p, token),
      ),
    );
    c.onRequest(
      ProposalSectionsRequest.type,
      guardRequest(
        'msol/proposalSections',
        log,
        () => null,
        (p, token) => this.proposalSections(p, token),
      ),
    );
    c.onRequest(
      SiteInfoRequest.type,
      guardRequest(
        'msol/site',
        log,
        () => null,
        (p, token) => this.siteInfo(p, token),
      ),
    );
    c.onRequest(AttributionLicensesRequest.type, (token) =>
      guardRequest<void, AttributionLicensesRequest.License[]>(
        'msol/attribution/licenses',
        log,
        () => [],
        () => commonLicenses.map((l) => ({ ...l })),
      )(undefined, token),
    );
    c.onRequest(
      AddAttributionRequest.type,
      guardRequest(
        'msol/attribution/add',
        log,
        () => null,
        (p, token) => this.addAttribution(p, token),
      ),
    );
    c.onRequest(
      AttributionKnownRequest.type,
      guardRequest(
        'msol/attribution/known',
        log,
        () => null,
        (p, token) => this.attributionKnown(p, token),
      ),
    );
    c.onRequest(
      AttributionSidecarRequest.type,
      guardRequest(
        'msol/attribution/sidecar',
        log,
        () => null,
        (p, token) => this.attributionSidecar(p, token),
      ),
    );
    c.onRequest(
      ReportRequest.type,
      guardRequest(
        'msol/report',
        log,
        () => ({ markdown: '' }),
        (p, token) => this.report(p, token),
      ),
    );
    c.onDidChangeConfiguration(guardNotification('didChangeConfiguration', log, () => this.#settings.clear()));

    c.languages.semanticTokens.on(
      guardRequest(
        'textDocument/semanticTokens/full',
        log,
        (): SemanticTokens => ({ data: [] }),
        (p, token) => this.semanticTokens(p, token),
      ),
    );
    // Registered for Markdown only where the client registers dynamically; otherwise announced in the initialize result.
    if (options.client.semanticTokensDynamic) {
      void c.client
        .register(SemanticTokensRegistrationType.type, {
          documentSelector: [{ scheme: 'file', language: 'markdown' }],
          legend: semanticTokensLegend(),
          full: true,
        })
        .catch((error: unknown) =>
          log.log('info', 'the client does not take semantic tokens', { error: String(error) }),
        );
    }

    this.#documents.onDidChangeContent(() => this.#scheduleGlossaryCheck());
    this.#documents.onDidClose(() => this.#scheduleGlossaryCheck());
  }

  // ---- sites and settings ----------------------------------------------------------------------

  #hostOf(uri: string): ProjectHost | undefined {
    return this.#sites.ownerOf(uri) ?? this.#sites.hostForDocument(uri, false);
  }

  /** The host of a URI, its index ready, and the URI's site path ('' when the URI is the folder itself). */
  async #site(
    uri: string,
    token: CancellationToken,
  ): Promise<{ host: ProjectHost; project: Project; path: string } | undefined> {
    const host = this.#hostOf(uri) ?? this.#sites.hosts.find((h) => h.rootUri === uri.replace(/\/+$/, ''));
    if (!host) return undefined;
    const project = await host.whenReady(token);
    return { host, project, path: host.sitePath(uri) ?? '' };
  }

  /** The client's `msol` settings for a resource. */
  settingsFor(scopeUri: string): Promise<ServerSettings> {
    if (!this.#configurationWorks) return Promise.resolve(defaultSettings);
    let cached = this.#settings.get(scopeUri);
    if (!cached) {
      cached = this.#connection.workspace
        .getConfiguration({ scopeUri, section: 'msol' })
        .then((value: unknown): ServerSettings => {
          const v = (value ?? {}) as { enable?: unknown; proposal?: { path?: unknown } };
          return {
            // `msol.enable`: 'auto' | 'on' | 'off' (a boolean from older settings still counts).
            enable: v.enable !== 'off' && v.enable !== false,
            proposalPath: typeof v.proposal?.path === 'string' ? v.proposal.path.trim().replace(/^\.?\/+/, '') : '',
          };
        })
        .catch((error: unknown) => {
          this.#configurationWorks = false;
          this.#logger.log('info', 'the client does not answer workspace/configuration; default settings apply', {
            error: String(error),
          });
          return defaultSettings;
        });
      this.#settings.set(scopeUri, cached);
    }
    return cached;
  }

  /** The proposal's site path: `msol.proposal.path` (relative to the content root) when set, else the config's. */
  async #proposalPath(project: Project, uri: string): Promise<string> {
    const setting = (await this.settingsFor(uri)).proposalPath;
    return setting ? project.index.sitePath(setting) : project.index.proposalPath;
  }

  #text(host: ProjectHost, path: string): string | undefined {
    return host.openDocumentAt(path)?.getText() ?? host.project.parsed(path)?.text;
  }

  // ---- requests --------------------------------------------------------------------------------

  async glossary(p: GlossaryRequest.Params, token: CancellationToken): Promise<GlossaryRequest.Result | null> {
    const site = await this.#site(p.uri, token);
    if (!site) return null;
    const { host, project, path } = site;
    const index = project.index;
    const glossary = glossaryOf(index);
    const from = path || index.readmePath;
    const terms = glossary.terms.map((t): GlossaryRequest.Term => {
      const d = t.definition;
      const facts = index.facts(d.path);
      const line = d.span && facts ? lineOf(facts.lineStarts, d.span.start) : 0;
      const link = definitionLink(index, from, d);
      const uri = d.kind === 'config' ? undefined : host.uriOf(d.path);
      return {
        term: t.term,
        forms: t.forms.map((f) => f.text),
        definition: (d.gloss ?? d.sentence ?? d.text ?? '').trim(),
        text: d.text,
        source: {
          ...(uri ? { uri } : {}),
          path: d.path,
          line,
          ...(d.anchor ? { anchor: d.anchor } : {}),
          kind: d.kind,
        },
        ...(link !== undefined ? { link } : {}),
        avoid: t.avoid.map((a) => a.synonym),
      };
    });
    return {
      siteUri: host.rootUri,
      fingerprint: glossaryFingerprint(glossary) + '\n' + terms.map((t) => t.definition).join('\n'),
      terms,
    };
  }

  async termInsertions(
    p: TermInsertionsRequest.Params,
    token: CancellationToken,
  ): Promise<TermInsertionsRequest.Choice[]> {
    const site = await this.#site(p.uri, token);
    if (!site) return [];
    return termDefinitionChoices(site.project, site.path || site.project.index.readmePath).map((c) => ({
      term: c.term,
      detail: c.detail,
      insertions: c.insertions.map((i) => ({ kind: i.kind, label: i.label, text: i.text })),
    }));
  }

  async proposalSections(
    p: ProposalSectionsRequest.Params,
    token: CancellationToken,
  ): Promise<ProposalSectionsRequest.Result | null> {
    const site = await this.#site(p.uri, token);
    if (!site) return null;
    const { project } = site;
    const from = site.path || project.index.readmePath;
    const proposal = await this.#proposalPath(project, p.uri);
    const choices = proposalLinkChoices(project, from, proposal);
    return {
      proposalPath: proposal,
      choices: choices.map((c) => ({
        label: c.label,
        depth: c.depth,
        ...(c.slug !== undefined ? { slug: c.slug } : {}),
        url: c.url,
        markdown: c.markdown,
        linkedFrom: c.linkedFrom,
      })),
    };
  }

  async siteInfo(p: SiteInfoRequest.Params, token: CancellationToken): Promise<SiteInfoRequest.Result | null> {
    const site = await this.#site(p.uri, token);
    if (!site) return null;
    const { host, project } = site;
    const index = project.index;
    const attribution = siteAttribution(index);
    const proposal = await this.#proposalPath(project, p.uri);
    const url = licenseUrl(attribution.license);
    return {
      siteUri: host.rootUri,
      root: project.config.site.root,
      summaryPath: index.summaryPath,
      readmePath: index.readmePath,
      proposalPath: proposal,
      proposalExists: index.hasFile(proposal),
      defaultAuthor: attribution.defaultAuthor,
      license: attribution.license,
      licenseName: licenseName(attribution.license),
      ...(url ? { licenseUrl: url } : {}),
    };
  }

  async addAttribution(
    p: AddAttributionRequest.Params,
    token: CancellationToken,
  ): Promise<AddAttributionRequest.Result | null> {
    const site = await this.#site(p.uri, token);
    if (!site || !site.path) return null;
    const { host, project, path } = site;
    const doc = host.openDocumentAt(path);
    const text = doc?.getText() ?? this.#text(host, path);
    const facts = project.index.facts(path);
    if (text === undefined || !facts) return null;
    const mapper = doc ?? new LineIndex(text);
    const offset = mapper.offsetAt(p.position);
    const edit = addAttributionEdit(text, facts, offset, {
      title: p.title,
      author: p.author,
      sourceUrl: p.sourceUrl,
      license: p.license,
    });
    if (!edit) return null;
    return {
      title: edit.title,
      style: edit.style,
      version: doc?.version ?? null,
      edits: edit.edits.map((e) => ({
        range: { start: mapper.positionAt(e.start), end: mapper.positionAt(e.end) },
        newText: e.newText,
      })),
    };
  }

  async attributionKnown(
    p: AttributionKnownRequest.Params,
    token: CancellationToken,
  ): Promise<AttributionKnownRequest.Result | null> {
    const site = await this.#site(p.uri, token);
    if (!site || !site.path) return null;
    const { host, project, path } = site;
    const doc = host.openDocumentAt(path);
    const facts = project.index.facts(path);
    if (!facts) return null;
    const lineStart = facts.lineStarts[p.position.line];
    const offset = doc ? doc.offsetAt(p.position) : lineStart === undefined ? -1 : lineStart + p.position.character;
    const known = knownCredit(project.index, path, offset);
    if (!known) return null;
    return {
      ...(known.title ? { title: known.title } : {}),
      ...(known.author ? { author: known.author } : {}),
      ...(known.source ? { sourceUrl: known.source } : {}),
      ...(known.license ? { license: known.license } : {}),
      ...(known.from ? { from: known.from } : {}),
    };
  }

  async attributionSidecar(
    p: AttributionSidecarRequest.Params,
    token: CancellationToken,
  ): Promise<AttributionSidecarRequest.Result | null> {
    const site = await this.#site(p.uri, token);
    if (!site || !site.path) return null;
    const { host, project, path } = site;
    const doc = host.openDocumentAt(path);
    const facts = project.index.facts(path);
    if (!facts) return null;
    // No edit to the page: the index's line starts place a closed page's position.
    const lineStart = facts.lineStarts[p.position.line];
    const offset = doc ? doc.offsetAt(p.position) : lineStart === undefined ? -1 : lineStart + p.position.character;
    const image = imageAt(facts, offset);
    if (!image) return null;
    const sidecar = attributionSidecar(project.index, path, image.url, {
      title: p.title,
      author: p.author,
      sourceUrl: p.sourceUrl,
      license: p.license,
    });
    if (!sidecar) return null;
    const uri = host.uriOf(sidecar.path);
    if (!uri) return null;
    return { path: sidecar.path, uri, text: sidecar.text, imageUrl: image.url };
  }

  async report(p: ReportRequest.Params, token: CancellationToken): Promise<ReportRequest.Result> {
    const hosts = p.uri
      ? [this.#hostOf(p.uri) ?? this.#sites.hosts.find((h) => h.rootUri === p.uri!.replace(/\/+$/, ''))].filter(
          (h): h is ProjectHost => h !== undefined,
        )
      : this.#sites.hosts;
    const parts: string[] = [];
    for (const host of hosts) {
      if (host.state === 'disposed') continue;
      const project = await host.whenReady(token);
      await project.refreshStale(token);
      const linkTo = (path: string, line?: number) =>
        `${host.uriOf(path) ?? encodeURI(path)}${line !== undefined ? `#L${line}` : ''}`;
      const markdown =
        p.kind === 'attribution'
          ? formatAttributionMarkdown(attributionReport(project.index), p.absoluteLinks ? { linkTo } : {})
          : formatGlossaryMarkdown(glossaryReport(project, (path) => this.#text(host, path)));
      parts.push(hosts.length > 1 ? markdown.replace(/^# (.*)$/m, `# $1: ${host.name}`) : markdown);
    }
    return { markdown: parts.join('\n') };
  }

  async semanticTokens(p: SemanticTokensParams, token: CancellationToken): Promise<SemanticTokens> {
    const uri = p.textDocument.uri;
    const doc = this.#documents.get(uri);
    const host = this.#hostOf(uri);
    const path = host?.sitePath(uri);
    if (!doc || !host || !path) return { data: [] };
    if (!(await this.settingsFor(uri)).enable) return { data: [] };
    const project = await host.whenReady(token);
    this.#fingerprints.set(host.root, glossaryFingerprint(glossaryOf(project.index)));
    const uses = termUsesIn(project, path, () => doc.getText()) ?? [];
    const builder = new SemanticTokensBuilder();
    const text = doc.getText();
    for (const u of uses) {
      if (u.synonym) continue;
      // Tokens may not span lines; a term is one word or a few on one line.
      const start = doc.positionAt(u.span.start);
      const end = doc.positionAt(u.span.end);
      if (start.line !== end.line || text.slice(u.span.start, u.span.end) !== u.text) continue;
      builder.push(start.line, start.character, end.character - start.character, 0, 0);
    }
    return builder.build();
  }

  // ---- glossary changes ------------------------------------------------------------------------

  #scheduleGlossaryCheck(): void {
    // Only a client that takes workspace/semanticTokens/refresh is told.
    if (!this.#client.semanticTokensRefresh) return;
    if (this.#glossaryTimer) clearTimeout(this.#glossaryTimer);
    this.#glossaryTimer = setTimeout(() => {
      this.#glossaryTimer = undefined;
      runGuarded('glossary check', this.#logger, () => this.#checkGlossaries());
    }, 300);
  }

  /** When a site's glossary is not the one its tokens were made with, the client re-asks for the tokens of every open page. */
  #checkGlossaries(): void {
    let changed = false;
    for (const host of this.#sites.hosts) {
      const served = this.#fingerprints.get(host.root);
      if (host.state !== 'ready' || served === undefined) continue;
      const f = glossaryFingerprint(glossaryOf(host.project.index));
      if (served !== f) {
        changed = true;
        this.#fingerprints.set(host.root, f);
      }
    }
    if (changed && this.#client.semanticTokensRefresh)
      void this.#connection.languages.semanticTokens.refresh().catch(() => undefined);
  }

  dispose(): void {
    if (this.#glossaryTimer) clearTimeout(this.#glossaryTimer);
  }
}
