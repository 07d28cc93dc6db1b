import { parse as parseYaml } from 'yaml';
import type { CancellationToken, FileSystem, Logger } from './host';
import { neverCancelled, nullLogger, throwIfCancelled } from './host';
import type { Finding, Span } from './types';
import { configFileName, defaultConfig, loadConfig, withGitbookYaml, type ConfigProblem, type MsolConfig } from './config/config';
import { configSchema } from './config/schema';
import { extractFacts, type FileFacts } from './facts';
import { parseDocument, type ParsedDocument } from './parse/markdown';
import { applyDirectives, rangeOf, runRules, sortFindings } from './linter';
import { engineFindingIds, ruleIds, rules } from './rules/index';
import { WorkspaceIndex } from './workspace';
import { knowledgeKey, knowledgeSources } from './knowledge';
import { isSidecarPath, setSidecarText } from './attribution/records';
import { globToRegExp, isMarkdownPath, matchesAny } from './paths';
import { decodeUtf8, LineIndex } from './text';
import type { DeferredOutcome, PhaseOneHost, PhaseOneOutcome, SiteSnapshot } from './phaseOne';

/**
 * The engine's façade for hosts. A Project is one site: it loads the config,
 * walks the files, keeps each page's facts in a WorkspaceIndex, and checks
 * files in two phases. Hosts (CLI, language server, tests) supply the file
 * system, the logger and cancellation; the Project never does I/O of its own.
 */

export interface DocumentAnalysis {
  readonly path: string;
  readonly facts: FileFacts;
  /** Findings of document-scope rules, before directives. */
  readonly documentFindings: readonly Finding[];
}

/** Phase one for one document: parse once, extract facts, run document rules. Pure: safe in a worker. */
export function analyzeDocument(path: string, text: string, config: MsolConfig, index?: WorkspaceIndex): DocumentAnalysis & { readonly doc: ParsedDocument } {
  const doc = parseDocument(path, text);
  const facts = extractFacts(doc);
  const ix = index ?? new WorkspaceIndex(config);
  // Facts go in first: site knowledge derived from this very page (a README's glossary) must be current for its own rules.
  if (index) {
    if (!index.hasFile(path)) index.addFile(path);
    index.setFacts(facts);
  }
  const documentFindings = runRules('document', { path, facts, doc, config, index: ix });
  return { path, doc, facts, documentFindings };
}

/** The file-unreadable messages of phase one, shared with hosts that read pages in bulk (phaseOne.ts). */
export const unreadableMessage = 'Unexpected unreadable file, expected a readable Markdown file; the file was not checked';
export const undecodableMessage = (reason: string): string => `Unexpected content (${reason}), expected UTF-8 text; the file was not checked`;
export const tooLargeMessage = (size: number, maxFileSize: number): string =>
  `Unexpected file of ${(size / 1048576).toFixed(1)} MB, expected at most ${(maxFileSize / 1048576).toFixed(1)} MB (\`maxFileSize\`); the file was not checked`;

export const gitbookYamlName = '.gitbook.yaml';
export const configSchemaForRegistry = () => configSchema(ruleIds, Object.fromEntries(rules.filter((r) => r.optionsSchema).map((r) => [r.meta.id, r.optionsSchema!])));

interface PhaseOne {
  /** The site knowledge and the config the findings were computed with (stalePages swaps in the current, equal string). */
  key: string;
  readonly config: MsolConfig;
  readonly findings: readonly Finding[];
}

/** A host's cache of pages' workspace-rule findings (valid while nothing other pages can see has changed). */
export interface WorkspaceFindingsCache {
  /** The page's cached workspace findings, when they still hold. */
  get(path: string): readonly Finding[] | undefined;
  /** The workspace findings a check of the page used (cached or computed), for the host to store. */
  record(path: string, workspace: readonly Finding[] | undefined): void;
}

interface OpenDocument {
  readonly version: number;
  readonly analysis: DocumentAnalysis & { readonly doc: ParsedDocument };
}

export interface ProjectOptions {
  readonly fs: FileSystem;
  readonly logger?: Logger;
  /** Config text given by the host (CLI `--config`), instead of reading `.msolrc.json`. */
  readonly configText?: { readonly path: string; readonly text: string };
}

export class Project {
  readonly #fs: FileSystem;
  readonly #logger: Logger;
  readonly #configOverride: ProjectOptions['configText'];
  readonly index = new WorkspaceIndex(defaultConfig);
  #configFindings: Finding[] = [];
  #ignore: RegExp[] = [];
  /** Findings of phase one per page (the tree is not kept for pages that are not open). */
  readonly #documentFindings = new Map<string, PhaseOne>();
  /** Pages that could not be checked, with the reason. */
  readonly #unreadable = new Map<string, Finding>();
  readonly #open = new Map<string, OpenDocument>();
  /** Sidecar texts as read, for siteSnapshot. */
  readonly #sidecars = new Map<string, string>();

  constructor(options: ProjectOptions) {
    this.#fs = options.fs;
    this.#logger = options.logger ?? nullLogger;
    this.#configOverride = options.configText;
  }

  get config(): MsolConfig {
    return this.index.config;
  }
  /** Problems of `.msolrc.json` and `.gitbook.yaml`, as findings on those files. */
  get configFindings(): readonly Finding[] {
    return this.#configFindings;
  }

  /**
   * Loads config, walks the site and analyses every page. With a `phaseOne`
   * host (the CLI's worker threads and cache), pages are analysed in bulk by
   * the host, which hands each outcome back through `adoptPhaseOne`; the
   * findings are the same as without it.
   */
  async initialize(
    token: CancellationToken = neverCancelled,
    onProgress?: (done: number, total: number) => void,
    phaseOne?: PhaseOneHost,
    /** Called once the site's shape is known: the file list, the sidecars and the knowledge sources' facts (other pages not yet analysed). */
    onSiteShapeKnown?: () => void,
  ): Promise<void> {
    await this.reloadConfig();
    throwIfCancelled(token);
    const files = await this.#walk('', token, 0);
    for (const f of files) this.index.addFile(f);
    // REUSE sidecars (`image.jpg.license`): small text records that attribution reads.
    for (const f of files) if (isSidecarPath(f)) await this.refreshFile(f);
    // Source pages of site knowledge (README, proposal, glossary) first: every other page's rules read what they say.
    const sources = knowledgeSources(this.index);
    const pages = this.index.pages().sort((a, b) => Number(sources.has(b)) - Number(sources.has(a)));
    let shapeTold = false;
    const tellShape = () => {
      if (shapeTold) return;
      shapeTold = true;
      onSiteShapeKnown?.();
    };
    if (phaseOne) await this.#analyzeVia(phaseOne, pages, sources, token, tellShape);
    let done = phaseOne ? pages.length : 0;
    if (phaseOne) onProgress?.(done, pages.length);
    for (const page of phaseOne ? [] : pages) {
      throwIfCancelled(token);
      // Sources come first: the first other page means they are all analysed.
      if (!sources.has(page)) tellShape();
      if (!this.#open.has(page)) await this.refreshFile(page);
      onProgress?.(++done, pages.length);
    }
    tellShape();
    await this.refreshStale(token);
    this.#logger.log('info', 'indexed site', { files: files.length, pages: pages.length });
  }

  /** Phase one in bulk by a host: knowledge sources first (settled here), then the other pages, then any the host left stale. */
  async #analyzeVia(host: PhaseOneHost, pages: readonly string[], sources: ReadonlySet<string>, token: CancellationToken, onSiteShapeKnown: () => void): Promise<void> {
    await host.analyze(this, pages.filter((p) => sources.has(p) && !this.#open.has(p)), { sources: true }, token);
    // Sources analysed before the others' facts existed derive knowledge together: settle it before any other page reads it
    // (by the host too, which keeps each outcome with the bytes it came from).
    for (let round = 0; round < 3; round++) {
      const stale = this.stalePages().filter((p) => sources.has(p));
      if (stale.length === 0) break;
      await host.analyze(this, stale, { sources: true, fresh: true }, token);
    }
    throwIfCancelled(token);
    onSiteShapeKnown();
    await host.analyze(this, pages.filter((p) => !sources.has(p) && !this.#open.has(p)), { sources: false }, token);
    const stale = this.stalePages();
    if (stale.length > 0) await host.analyze(this, stale, { sources: false, fresh: true }, token);
  }

  /** What a worker needs to analyse pages exactly as this Project would: config, files, sidecars and the knowledge sources' facts. */
  siteSnapshot(): SiteSnapshot {
    const sources = [...knowledgeSources(this.index)].flatMap((p) => this.index.facts(p) ?? []);
    return { config: this.config, files: [...this.index.files], sidecars: [...this.#sidecars], sourceFacts: sources, knowledgeKey: knowledgeKey(this.index) };
  }

  /**
   * Takes a page's phase one computed elsewhere (a worker, a cache) as
   * refreshFile would have computed it; a cache's outcome may defer its
   * facts until something reads them. An open page keeps the editor's text.
   */
  adoptPhaseOne(outcome: PhaseOneOutcome | DeferredOutcome): void {
    const path = outcome.path;
    if (this.#open.has(path)) return;
    if (outcome.kind === 'missing') return this.fileDeleted(path);
    if (outcome.kind === 'skipped') return this.#skip(path, outcome.message);
    this.#unreadable.delete(path);
    if (!this.index.hasFile(path)) this.index.addFile(path);
    this.index.setFacts(outcome.facts);
    this.#documentFindings.set(path, { key: outcome.key, config: this.config, findings: outcome.findings });
  }

  /**
   * A page's phase one as far as a host's cache needs it to decide whether
   * its stored entry still holds, without reading deferred facts: the
   * knowledge key, and a stamp, an object that is replaced whenever the page's
   * phase one is (a host that recorded the stamp with the bytes it analysed
   * knows the two still belong together).
   */
  phaseOneState(path: string): { readonly kind: 'analysed'; readonly key: string; readonly stamp: object } | { readonly kind: 'skipped'; readonly stamp: object } | undefined {
    if (this.#open.has(path)) return undefined;
    const unreadable = this.#unreadable.get(path);
    if (unreadable) return { kind: 'skipped', stamp: unreadable };
    const phaseOne = this.#documentFindings.get(path);
    if (!this.index.hasFacts(path) || !phaseOne || phaseOne.config !== this.config) return undefined;
    return { kind: 'analysed', key: phaseOne.key, stamp: phaseOne };
  }

  /** A page's phase one as it stands (for a host's cache): facts, document findings and the knowledge key they were computed with. */
  phaseOneOf(path: string): PhaseOneOutcome | undefined {
    if (this.#open.has(path)) return undefined;
    const unreadable = this.#unreadable.get(path);
    if (unreadable) return { kind: 'skipped', path, message: unreadable.message };
    const facts = this.index.facts(path);
    const phaseOne = this.#documentFindings.get(path);
    if (!facts || !phaseOne || phaseOne.config !== this.config) return undefined;
    return { kind: 'analysed', path, facts, findings: phaseOne.findings, key: phaseOne.key };
  }

  /** (Re)reads `.msolrc.json` and `.gitbook.yaml`. Returns true when the effective config changed. */
  async reloadConfig(): Promise<boolean> {
    const findings: Finding[] = [];
    const configPath = this.#configOverride?.path ?? configFileName;
    const text = this.#configOverride?.text ?? (await this.#readConfigText(configFileName, findings));
    const loaded = loadConfig(text, ruleIds, configSchemaForRegistry());
    findings.push(...loaded.problems.map((p) => configFinding(configPath, text ?? '', p)));
    let config = loaded.config;
    const gitbookText = await this.#readConfigText(gitbookYamlName, findings);
    if (gitbookText !== undefined) {
      try {
        const y = (parseYaml(gitbookText) ?? {}) as { root?: unknown; structure?: { readme?: unknown; summary?: unknown } };
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        const root = str(y.root);
        const readme = str(y.structure?.readme);
        const summary = str(y.structure?.summary);
        config = withGitbookYaml(config, { ...(root !== undefined ? { root } : {}), ...(readme !== undefined ? { readme } : {}), ...(summary !== undefined ? { summary } : {}) });
      } catch (error) {
        findings.push(configFinding(gitbookYamlName, gitbookText, { message: `Unexpected YAML error in ${gitbookYamlName} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}), expected valid YAML; GitBook's defaults apply`, span: { start: 0, end: 0 }, field: '' }));
      }
    }
    this.#configFindings = findings;
    const changed = JSON.stringify(config) !== JSON.stringify(this.index.config);
    this.index.config = config;
    this.#ignore = config.ignore.map(globToRegExp);
    // Findings computed under the old config are now stale: open pages are re-checked on their next
    // check(), other pages by refreshStale(). Nothing is dropped, so no page loses its findings meanwhile.
    return changed;
  }

  isIgnored(path: string): boolean {
    return matchesAny(path, this.#ignore);
  }

  async #walk(dir: string, token: CancellationToken, depth: number): Promise<string[]> {
    if (depth > 64) {
      this.#logger.log('warn', 'folder nesting too deep, not descending', { dir });
      return [];
    }
    const out: string[] = [];
    for (const [name, type] of await this.#fs.readDirectory(dir)) {
      throwIfCancelled(token);
      const path = dir ? `${dir}/${name}` : name;
      if (this.isIgnored(path) || (name.startsWith('.') && name !== '.gitbook' && type === 'directory')) continue;
      if (type === 'directory') out.push(...(await this.#walk(path, token, depth + 1)));
      else out.push(path);
    }
    return out;
  }

  /** A config file's text. One that exists but cannot be used (a folder, a FIFO, not UTF-8) is a finding, never silently the defaults. */
  async #readConfigText(path: string, findings: Finding[]): Promise<string | undefined> {
    const bytes = await this.#fs.readFile(path);
    const decoded = bytes ? decodeUtf8(bytes) : undefined;
    if (decoded?.ok) return decoded.text.replace(/^\uFEFF/, '');
    const stat = decoded ? undefined : await this.#fs.stat(path);
    const why = decoded ? decoded.reason : stat?.type === 'directory' ? 'it is a folder' : stat ? 'it cannot be read' : undefined;
    if (why) findings.push(configFinding(path, '', { message: `Unexpected ${path} that cannot be used (${why}), expected a readable UTF-8 file; the defaults apply`, span: { start: 0, end: 0 }, field: '' }));
    return undefined;
  }

  async #readText(path: string): Promise<string | undefined> {
    const bytes = await this.#fs.readFile(path);
    if (!bytes) return undefined;
    const d = decodeUtf8(bytes);
    return d.ok ? d.text.replace(/^\uFEFF/, '') : undefined;
  }

  /** Re-reads one page from the file system (unless it is open in an editor) and updates its facts. */
  async refreshFile(path: string): Promise<void> {
    if (isSidecarPath(path) && !this.isIgnored(path)) {
      const stat = await this.#fs.stat(path);
      const text = stat && stat.type === 'file' && stat.size <= 65536 ? await this.#readText(path) : undefined;
      setSidecarText(this.index, path, text);
      if (text === undefined) this.#sidecars.delete(path);
      else this.#sidecars.set(path, text);
      return;
    }
    if (this.#open.has(path) || !isMarkdownPath(path) || this.isIgnored(path)) return;
    this.#unreadable.delete(path);
    const stat = await this.#fs.stat(path);
    if (this.#open.has(path)) return;
    if (!stat) {
      this.fileDeleted(path);
      return;
    }
    if (stat.size > this.config.maxFileSize) {
      this.#skip(path, this.#tooLarge(stat.size));
      return;
    }
    const bytes = await this.#fs.readFile(path);
    // The page may have been opened in an editor while we read: the editor's text wins.
    if (this.#open.has(path)) return;
    if (!bytes) {
      this.#skip(path, unreadableMessage);
      return;
    }
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok) {
      this.#skip(path, undecodableMessage(decoded.reason));
      return;
    }
    const analysis = analyzeDocument(path, decoded.text, this.config, this.index);
    this.#documentFindings.set(path, { key: knowledgeKey(this.index), config: this.config, findings: analysis.documentFindings });
  }

  /** Pages whose phase-one findings were computed with site knowledge that has since changed. */
  stalePages(): string[] {
    const key = knowledgeKey(this.index);
    const stale: string[] = [];
    for (const [p, e] of this.#documentFindings) {
      if (this.#open.has(p)) continue;
      if (e.key === key) {
        // Equal keys are often distinct strings (from a cache, a worker, a re-derivation), compared character by character
        // (kilobytes) on every call: keep the current string, so that later comparisons end at the first check.
        e.key = key;
        if (e.config !== this.config) stale.push(p);
      } else stale.push(p);
    }
    return stale;
  }

  /** Re-reads and re-analyses every stale page (after a README or glossary edit). Hosts call it before site-wide checks. */
  async refreshStale(token: CancellationToken = neverCancelled): Promise<number> {
    let n = 0;
    // Re-deriving can change knowledge again (a source page refreshed); a few rounds settle it.
    for (let round = 0; round < 3; round++) {
      const stale = this.stalePages();
      if (stale.length === 0) break;
      for (const p of stale) {
        throwIfCancelled(token);
        await this.refreshFile(p);
        n++;
      }
    }
    return n;
  }

  #tooLarge(size: number): string {
    return tooLargeMessage(size, this.config.maxFileSize);
  }

  #skip(path: string, message: string): void {
    this.index.deleteFacts(path);
    this.#documentFindings.delete(path);
    this.#unreadable.set(path, {
      ruleId: engineFindingIds.fileUnreadable,
      severity: 'warning',
      message,
      path,
      span: { start: 0, end: 0 },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
    // Reported as a finding; the log line is for debugging only (hosts print findings already).
    this.#logger.log('debug', message, { path });
  }

  /**
   * An editor's text for a page: parsed once per version and preferred over
   * the disk until closed. Returns true when the page's facts changed in a
   * way other pages can see (headings, anchors): their diagnostics may change.
   */
  openDocument(path: string, text: string, version: number): boolean {
    const current = this.#open.get(path);
    if (current && current.version === version) return false;
    const before = this.index.facts(path);
    const keyBefore = knowledgeKey(this.index);
    // An editor's text obeys maxFileSize like the disk: a 10 MB line is not parsed on every keystroke.
    // UTF-8 takes one to three bytes per UTF-16 unit: encode only when the limit may be exceeded.
    const size = text.length * 3 <= this.config.maxFileSize ? text.length : new TextEncoder().encode(text).length;
    if (size > this.config.maxFileSize) {
      const doc = parseDocument(path, '');
      this.#open.set(path, { version, analysis: { path, doc, facts: extractFacts(doc), documentFindings: [] } });
      if (!this.index.hasFile(path)) this.index.addFile(path);
      this.#skip(path, this.#tooLarge(size));
      return before !== undefined || knowledgeKey(this.index) !== keyBefore;
    }
    const analysis = analyzeDocument(path, text, this.config, this.index);
    this.#open.set(path, { version, analysis });
    this.#unreadable.delete(path);
    const key = knowledgeKey(this.index);
    this.#documentFindings.set(path, { key, config: this.config, findings: analysis.documentFindings });
    return !before || key !== keyBefore || visibleFactsChanged(before, analysis.facts) || path === this.index.summaryPath;
  }

  /**
   * A page's facts with all phase one extracts. Pages analysed on worker
   * threads or adopted from a cache keep lean facts (no paragraph texts or
   * bold phrases: only the page's own document rules and the glossary's
   * derivation read those); a feature that needs them (the term-undefined
   * quick fix) gets them here, the page analysed again from the disk. Other
   * pages see no difference (the same headings, anchors and references).
   */
  async fullFacts(path: string): Promise<FileFacts | undefined> {
    const facts = this.index.facts(path);
    if (!facts?.lean || this.#open.has(path)) return facts;
    await this.refreshFile(path);
    return this.index.facts(path);
  }

  /** The editor closed the page: fall back to the disk. */
  async closeDocument(path: string): Promise<void> {
    this.#open.delete(path);
    await this.refreshFile(path);
  }

  parsed(path: string): ParsedDocument | undefined {
    return this.#open.get(path)?.analysis.doc;
  }

  fileCreated(path: string): void {
    if (this.isIgnored(path)) return;
    this.index.addFile(path);
  }

  fileDeleted(path: string): void {
    if (isSidecarPath(path)) {
      setSidecarText(this.index, path, undefined);
      this.#sidecars.delete(path);
    }
    this.index.removeFile(path);
    this.#documentFindings.delete(path);
    this.#unreadable.delete(path);
  }

  /** All findings for one file: both phases, directives applied, sorted. */
  check(path: string): Finding[] {
    return this.checkDetailed(path).findings;
  }

  /**
   * check(), also returning the workspace rules' findings it used (before
   * directives): what a host's cache keeps. With `workspace`, those are used
   * instead of running the workspace rules (a host's cache, valid only while
   * nothing another page can see has changed).
   */
  checkDetailed(path: string, cachedWorkspace?: readonly Finding[]): { readonly findings: Finding[]; readonly workspace?: readonly Finding[] } {
    const unreadable = this.#unreadable.get(path);
    if (unreadable) return { findings: [unreadable] };
    if (!this.index.hasFacts(path)) return { findings: this.#configFindings.filter((f) => f.path === path) };
    const doc = this.#open.get(path)?.analysis.doc;
    let phaseOne = this.#documentFindings.get(path);
    const key = knowledgeKey(this.index);
    if (doc && (!phaseOne || phaseOne.key !== key || phaseOne.config !== this.config)) {
      // An open page keeps its tree: re-run its document rules against the new knowledge or config right away.
      phaseOne = { key, config: this.config, findings: runRules('document', { path, facts: this.index.facts(path)!, doc, config: this.config, index: this.index }) };
      this.#documentFindings.set(path, phaseOne);
    }
    // With the workspace findings from a host's cache, deferred facts stay unread: the directives are all it needs.
    const workspace = cachedWorkspace ?? runRules('workspace', { path, facts: this.index.facts(path)!, index: this.index, config: this.config, ...(doc ? { doc } : {}) });
    const all = [...(phaseOne?.findings ?? []), ...workspace];
    return { findings: sortFindings(applyDirectives(all, { directives: this.index.directivesOf(path) })), workspace };
  }

  /**
   * checkAll for a host that must stay responsive: `pause` (the host's way to
   * let other work run) is awaited about every 5 ms of checking. The result
   * is checkAll's as long as nothing changed meanwhile; the host compares
   * `index.revision` before and after. `workspaceCache` gives pages'
   * workspace findings from a host's cache (see checkDetailed) and is told
   * the ones each check used.
   */
  async checkAllYielding(token: CancellationToken, pause: () => Promise<void>, workspaceCache?: WorkspaceFindingsCache): Promise<Map<string, Finding[]>> {
    const out = this.#configFindingsByPath();
    let since = Date.now();
    for (const path of this.index.pages()) {
      throwIfCancelled(token);
      if (Date.now() - since >= 5) {
        await pause();
        throwIfCancelled(token);
        since = Date.now();
      }
      if (!this.index.hasFile(path)) continue;
      const r = this.checkDetailed(path, workspaceCache?.get(path));
      workspaceCache?.record(path, r.workspace);
      if (r.findings.length) out.set(path, r.findings);
    }
    return byPathOrder(out);
  }

  /** Every file's findings (config files included), in path order. */
  checkAll(token: CancellationToken = neverCancelled): Map<string, Finding[]> {
    const out = this.#configFindingsByPath();
    for (const path of this.index.pages()) {
      throwIfCancelled(token);
      const findings = this.check(path);
      if (findings.length) out.set(path, findings);
    }
    return byPathOrder(out);
  }

  /** The config files' findings, by path: where every site-wide list starts. */
  #configFindingsByPath(): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const f of this.#configFindings) out.set(f.path, [...(out.get(f.path) ?? []), f]);
    return out;
  }
}

function byPathOrder(findings: Map<string, Finding[]>): Map<string, Finding[]> {
  return new Map([...findings].sort(([a], [b]) => a.localeCompare(b)));
}

function configFinding(path: string, text: string, p: ConfigProblem): Finding {
  const lines = new LineIndex(text);
  const span: Span = p.span;
  return { ruleId: engineFindingIds.configInvalid, severity: 'error', message: p.message, path, span, range: lines.rangeOf(span) };
}

/** Whether what other pages can see of a page changed (its anchors, title or front matter). */
function visibleFactsChanged(a: FileFacts, b: FileFacts): boolean {
  return a.title !== b.title || a.anchors.join('\n') !== b.anchors.join('\n') || JSON.stringify(a.frontMatter) !== JSON.stringify(b.frontMatter);
}

export { rangeOf };
