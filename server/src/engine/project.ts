import type { CancellationToken, FileSystem, Logger } from './host';
import { neverCancelled, nullLogger, throwIfCancelled } from './host';
import type { Finding, Span } from './types';
import {
  configFileName,
  configValueSpan,
  defaultConfig,
  loadConfig,
  type ConfigProblem,
  type MsolConfig,
} from './config/config';
import {
  cleanSitePath,
  microsolidarityDefaults,
  resolveSite,
  siteFileNames,
  type SiteFileTexts,
} from './site/identity';
import { configSchema } from './config/schema';
import { extractFacts, type FileFacts } from './facts';
import { parseDocument, type ParsedDocument } from './parse/markdown';
import { applyDirectives, runRules, sortFindings } from './linter';
import { engineFindingIds, ruleIds, rules } from './rules/index';
import { WorkspaceIndex } from './workspace';
import {
  holdKnowledge,
  keptKnowledge,
  knowledgeFailures,
  knowledgeKey,
  knowledgeSources,
  noteSourceHints,
  noteSourceText,
} from './knowledge';
import { isSidecarPath, setSidecarText } from './attribution/records';
import { isMarkdownPath } from './paths';
import { PathPatterns, unmatchedPatterns } from './globs';
import { decodeUtf8, LineIndex } from './text';
import { kept, message, words } from './message';
import type { DeferredOutcome, PhaseOneHost, PhaseOneOutcome, SiteSnapshot } from './phaseOne';
import { verifyFixes } from './safeFixes';

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
/** A page's parse and the facts taken from it: what a second analysis of the same text reuses. */
export type DocumentParse = { readonly doc: ParsedDocument; readonly facts: FileFacts };

export function analyzeDocument(
  path: string,
  text: string,
  config: MsolConfig,
  index?: WorkspaceIndex,
  earlier?: DocumentParse,
  runDocumentRules = true,
): DocumentAnalysis & { readonly doc: ParsedDocument } {
  // The same text parsed before (a knowledge source analysed again once the site's knowledge is settled): its tree and facts hold.
  const same = earlier !== undefined && earlier.doc.text === text && earlier.facts.path === path;
  const doc = same ? earlier.doc : parseDocument(path, text);
  // Anchors as the site's generator makes them (mdBook's differ from GitBook's).
  const facts = same ? earlier.facts : extractFacts(doc, config.identity?.kind === 'mdbook' ? 'mdbook' : 'github');
  const ix = index ?? new WorkspaceIndex(config);
  // Facts go in first: site knowledge derived from this very page (a README's glossary) must be current for its own rules.
  if (index) {
    if (!index.hasFile(path)) index.addFile(path);
    index.setFacts(facts);
  }
  const documentFindings = runDocumentRules ? runRules('document', { path, facts, doc, config, index: ix }) : [];
  return { path, doc, facts, documentFindings };
}

/** The file-unreadable messages of phase one, shared with hosts that read pages in bulk (phaseOne.ts). */
export const unreadableMessage =
  'Unexpected unreadable file, expected a readable Markdown file; the file was not checked';
export const undecodableMessage = (reason: string): string =>
  message`Unexpected content (${words(reason)}), expected UTF-8 text; the file was not checked`;
export const tooLargeMessage = (size: number, maxFileSize: number): string =>
  `Unexpected file of ${(size / 1048576).toFixed(1)} MB, expected at most ${(maxFileSize / 1048576).toFixed(1)} MB (\`maxFileSize\`); the file was not checked`;

export const gitbookYamlName = '.gitbook.yaml';
export const configSchemaForRegistry = () =>
  configSchema(
    ruleIds,
    Object.fromEntries(rules.filter((r) => r.optionsSchema).map((r) => [r.meta.id, r.optionsSchema!])),
  );

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
  #ignore = new PathPatterns(defaultConfig.ignore);
  /** Where the config text came from, for findings on its `ignore` patterns. */
  #configSource: { readonly path: string; readonly text: string } | undefined;
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
    onSiteShapeKnown?: () => void | Promise<void>,
  ): Promise<void> {
    await this.reloadConfig();
    throwIfCancelled(token);
    const folders: string[] = [];
    const ignoredFiles: string[] = [];
    const files = await this.#walk('', token, 0, folders, ignoredFiles);
    for (const f of files) this.index.addFile(f);
    this.#configFindings = [
      ...this.#configFindings,
      ...this.#unmatchedIgnoreFindings([...files, ...ignoredFiles], folders),
    ];
    // REUSE sidecars (`image.jpg.license`): small text records that attribution reads.
    for (const f of files) if (isSidecarPath(f)) await this.refreshFile(f);
    // Which pages are sources of site knowledge can depend on what they hold (pages that define terms): a look at their raw text tells, before any is analysed.
    const all = this.index.pages();
    if (phaseOne) await phaseOne.prepare?.(this, all, token);
    else await this.#prefetch(all, token);
    // Source pages of site knowledge (README, the pages that define terms, GLOSSARY.md, SUMMARY.md) first: every other page's rules read what they say.
    const sources = knowledgeSources(this.index);
    const pages = all.sort((a, b) => Number(sources.has(b)) - Number(sources.has(a)));
    let shapeTold = false;
    // The host may ask for a moment once it is told (an editor's answers that waited for the shape go first).
    const tellShape = async () => {
      if (shapeTold) return;
      shapeTold = true;
      await onSiteShapeKnown?.();
    };
    if (phaseOne) await this.#analyzeVia(phaseOne, pages, sources, token, tellShape, onSiteShapeKnown !== undefined);
    let done = phaseOne ? pages.length : 0;
    if (phaseOne) onProgress?.(done, pages.length);
    // Knowledge is held while its sources are analysed (holdKnowledge), derived once when the first other page reads it.
    let release: (() => void) | undefined = phaseOne ? undefined : holdKnowledge(this.index);
    try {
      for (const page of phaseOne ? [] : pages) {
        throwIfCancelled(token);
        // Sources come first: the first other page means they are all analysed.
        if (!sources.has(page)) {
          release?.();
          release = undefined;
          await tellShape();
        }
        if (!this.#open.has(page)) await this.refreshFile(page);
        onProgress?.(++done, pages.length);
      }
    } finally {
      release?.();
    }
    await tellShape();
    await this.refreshStale(token);
    this.#logger.log('info', 'indexed site', { files: files.length, pages: pages.length });
  }

  /** Pages read ahead by #prefetch, used once by refreshFile. */
  readonly #prefetched = new Map<string, Uint8Array>();

  /** Reads every page once, before any is analysed, and lets site knowledge take note of its text (see `noteSourceText`). */
  async #prefetch(pages: readonly string[], token: CancellationToken): Promise<void> {
    for (const page of pages) {
      throwIfCancelled(token);
      if (this.#open.has(page) || this.index.facts(page) || !isMarkdownPath(page) || this.isIgnored(page)) continue;
      const stat = await this.#fs.stat(page);
      if (!stat || stat.type !== 'file' || stat.size > this.config.maxFileSize) continue;
      const bytes = await this.#fs.readFile(page);
      if (!bytes) continue;
      this.#prefetched.set(page, bytes);
      this.noteText(page, bytes);
    }
  }

  /** A page's bytes as a host read them before phase one: knowledge whose sources depend on page contents takes note. */
  noteText(path: string, bytes: Uint8Array): void {
    noteSourceText(this.index, path, bytes);
  }

  /** What a page's bytes hinted (`sourceHints`) as a host kept it from an earlier read of the same bytes: as `noteText`, without reading them. */
  noteHints(path: string, hints: string): void {
    noteSourceHints(this.index, path, hints);
  }

  /** Phase one in bulk by a host: knowledge sources first (settled here), then the other pages, then any the host left stale. */
  async #analyzeVia(
    host: PhaseOneHost,
    pages: readonly string[],
    sources: ReadonlySet<string>,
    token: CancellationToken,
    onSiteShapeKnown: () => Promise<void>,
    /** Someone waits for the site's shape (an editor's open pages): SUMMARY.md comes after it is told. */
    summaryAfterShape: boolean,
  ): Promise<void> {
    // Knowledge is held while its sources are analysed, derived once after each batch (holdKnowledge).
    const toAnalyse = pages.filter((p) => sources.has(p) && !this.#open.has(p));
    // SUMMARY.md comes last, after the site's shape is told: it only ranks the glossary's definitions (archived,
    // unlisted), and a table of contents of thousands of entries takes half a second to parse, which an open page's
    // first diagnostics need not wait for (the end of indexing corrects them, as for other pages' anchors).
    const summary = summaryAfterShape ? toAnalyse.filter((p) => p === this.index.summaryPath) : [];
    await this.#holdingKnowledge(() =>
      host.analyze(
        this,
        summaryAfterShape ? toAnalyse.filter((p) => p !== this.index.summaryPath) : toAnalyse,
        { sources: true },
        token,
      ),
    );
    throwIfCancelled(token);
    await onSiteShapeKnown();
    if (summary.length > 0) await this.#holdingKnowledge(() => host.analyze(this, summary, { sources: true }, token));
    throwIfCancelled(token);
    // Every source's facts are in: the site's knowledge is what the other pages read. The sources' own findings were
    // computed before it was (or not at all: a host may take their facts alone first); they are settled alongside the
    // other pages (a host analyses those on its threads meanwhile). A settle that changes a source's facts (its file
    // changed in between) changes the knowledge's key, and the pages analysed with the old one are stale below.
    const settle = async () => {
      for (let round = 0; round < 3; round++) {
        const stale = this.stalePages().filter((p) => sources.has(p));
        if (stale.length === 0) break;
        await this.#holdingKnowledge(() => host.analyze(this, stale, { sources: true, fresh: true }, token));
      }
    };
    // On the host's threads, the settle goes first: they kept the sources' parses, and the other pages need them.
    if (host.sourcesOnThreads?.()) await settle();
    await Promise.all([
      settle(),
      host.analyze(
        this,
        pages.filter((p) => !sources.has(p) && !this.#open.has(p)),
        { sources: false },
        token,
      ),
    ]);
    const stale = this.stalePages();
    if (stale.length > 0) await host.analyze(this, stale, { sources: false, fresh: true }, token);
  }

  /** What a worker needs to analyse pages exactly as this Project would: config, files, sidecars and the knowledge sources' facts. */
  siteSnapshot(): SiteSnapshot {
    const sources = [...knowledgeSources(this.index)].flatMap((p) => this.index.facts(p) ?? []);
    const knowledge = keptKnowledge(this.index);
    return {
      config: this.config,
      files: [...this.index.files],
      sidecars: [...this.#sidecars],
      sourceFacts: sources,
      knowledgeKey: knowledgeKey(this.index),
      ...(knowledge ? { knowledge } : {}),
    };
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
  phaseOneState(
    path: string,
  ):
    | { readonly kind: 'analysed'; readonly key: string; readonly stamp: object }
    | { readonly kind: 'skipped'; readonly stamp: object }
    | undefined {
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
    const site = await this.#readSiteFiles(loaded.config, findings);
    this.#siteInputs = { user: loaded.config, files: site };
    const resolved = resolveSite(loaded.config, site, (path) => this.#homeTitle(path, site));
    for (const p of resolved.problems)
      findings.push(
        configFinding(p.path, site.read(p.path) ?? '', {
          message: p.message,
          span: { start: p.offset ?? 0, end: p.offset ?? 0 },
          field: '',
        }),
      );
    const config = resolved.config;
    this.#configFindings = findings;
    const changed = JSON.stringify(config) !== JSON.stringify(this.index.config);
    this.index.config = config;
    this.#ignore = new PathPatterns(config.ignore);
    this.#configSource = text !== undefined ? { path: configPath, text } : undefined;
    // Findings computed under the old config are now stale: open pages are re-checked on their next
    // check(), other pages by refreshStale(). Nothing is dropped, so no page loses its findings meanwhile.
    return changed;
  }

  /** What reloadConfig read of the site, to resolve it again when the home page's title changes. */
  #siteInputs: { readonly user: MsolConfig; readonly files: SiteFileTexts } | undefined;

  /**
   * The site's own files (site/identity.ts): the generator's settings at the
   * workspace root, and CNAME, LICENSE, the table of contents and the home
   * page in each folder that may be the content root. A file that exists but
   * cannot be used is a finding.
   */
  async #readSiteFiles(user: MsolConfig, findings: Finding[]): Promise<SiteFileTexts> {
    // Read at once (each read waits on the disk); their findings in this order.
    const settingsFindings: Finding[][] = [[], [], []];
    const [gitbookYaml, bookToml, bookJson] = await Promise.all([
      this.#readConfigText(siteFileNames.gitbookYaml, settingsFindings[0]!),
      this.#readConfigText(siteFileNames.bookToml, settingsFindings[1]!),
      this.#readConfigText(siteFileNames.bookJson, settingsFindings[2]!),
    ]);
    for (const f of settingsFindings) findings.push(...f);
    const texts = new Map<string, string | undefined>();
    const roots = new Set(['', cleanSitePath(user.site.root)]);
    const names = new Set([
      ...siteFileNames.licenses,
      siteFileNames.cname,
      'SUMMARY.md',
      'README.md',
      cleanSitePath(user.site.summary),
      cleanSitePath(user.site.readme),
    ]);
    const grab = (text: string | undefined, pattern: RegExp) => {
      const m = text ? pattern.exec(text) : null;
      return m ? cleanSitePath(m[1]!.replace(/^["']|["']$/g, '')) : undefined;
    };
    // Candidate content roots and file names the generators' settings may give (resolveSite decides which apply).
    for (const r of [
      grab(gitbookYaml, /^root:\s*(.+?)\s*$/m),
      grab(bookToml, /^\s*src\s*=\s*(.+?)\s*$/m) ?? (bookToml !== undefined ? 'src' : undefined),
      grab(bookJson, /"root"\s*:\s*("[^"]*")/),
    ])
      if (r !== undefined) roots.add(r);
    for (const n of [
      grab(gitbookYaml, /^\s+readme:\s*(.+?)\s*$/m),
      grab(gitbookYaml, /^\s+summary:\s*(.+?)\s*$/m),
      grab(bookJson, /"readme"\s*:\s*("[^"]*")/),
      grab(bookJson, /"summary"\s*:\s*("[^"]*")/),
    ])
      if (n) names.add(n);
    // Every candidate at once (each look waits on the disk).
    const looks: Promise<void>[] = [];
    for (const r of roots) {
      // GitBook's own folder (`.gitbook/assets/`): a GitBook site even without a SUMMARY.md.
      const gitbookDir = r ? `${r}/.gitbook` : '.gitbook';
      looks.push(
        this.#fs.stat(gitbookDir).then((stat) => {
          if (stat?.type === 'directory') texts.set(gitbookDir, '');
        }),
      );
      for (const n of names) {
        if (!n) continue;
        const path = r ? `${r}/${n}` : n;
        looks.push(
          (async () => {
            const stat = await this.#fs.stat(path);
            texts.set(
              path,
              stat?.type === 'file' && stat.size <= 1048576 ? ((await this.#readText(path)) ?? undefined) : undefined,
            );
          })(),
        );
      }
    }
    await Promise.all(looks);
    return {
      ...(gitbookYaml !== undefined ? { gitbookYaml } : {}),
      ...(bookToml !== undefined ? { bookToml } : {}),
      ...(bookJson !== undefined ? { bookJson } : {}),
      read: (path) =>
        path === siteFileNames.gitbookYaml
          ? gitbookYaml
          : path === siteFileNames.bookToml
            ? bookToml
            : path === siteFileNames.bookJson
              ? bookJson
              : texts.get(path),
    };
  }

  /** The home page's title: an open editor's text first, else what was read from the disk. */
  #homeTitle(path: string, files: SiteFileTexts): string | undefined {
    const open = this.#open.get(path);
    if (open) return open.analysis.facts.title;
    const text = files.read(path);
    // The title only: the page's full analysis comes with the other pages.
    return text === undefined
      ? undefined
      : extractFacts(parseDocument(path, text), 'github', { extensions: false }).title;
  }

  /** A home page's title changed: what the site is may change with it (the Microsolidarity handbook is known by its name). */
  #homeTitleChanged(path: string, title: string | undefined): void {
    const inputs = this.#siteInputs;
    const identity = this.config.identity;
    if (!inputs || path !== this.index.readmePath || identity?.title?.value === title) return;
    // A URL given anywhere, or a title in book.toml or book.json, decides without the home page.
    if (
      (identity?.url && identity.url.from !== microsolidarityDefaults) ||
      (identity?.title && identity.title.from !== path)
    )
      return;
    const resolved = resolveSite(inputs.user, inputs.files, (p) =>
      p === path ? title : this.#homeTitle(p, inputs.files),
    );
    if (JSON.stringify(resolved.config) !== JSON.stringify(this.index.config)) this.index.config = resolved.config;
  }

  /** Whether `ignore` leaves the file (or, with `folder`, the folder) at this site path out. */
  isIgnored(path: string, folder = false): boolean {
    return this.#ignore.matches(path, folder);
  }

  /** A `config-invalid` warning for each user `ignore` pattern that matches nothing the walk saw (ignored paths included). */
  #unmatchedIgnoreFindings(files: readonly string[], folders: readonly string[]): Finding[] {
    const source = this.#configSource;
    if (!source) return [];
    const user = this.config.ignore.slice(defaultConfig.ignore.length);
    const unmatched = new Set(unmatchedPatterns(user, files, folders));
    const lines = new LineIndex(source.text);
    return user.flatMap((pattern, i) => {
      if (!unmatched.has(pattern)) return [];
      const span = configValueSpan(source.text, ['ignore', i]) ?? { start: 0, end: 0 };
      return [
        {
          ruleId: engineFindingIds.configInvalid,
          severity: 'warning' as const,
          message: `Unexpected \`ignore\` pattern ${JSON.stringify(pattern)} that matches no file or folder of the site (as in a .gitignore, nothing inside a folder an earlier pattern leaves out is seen), expected a pattern that leaves something out or takes it back (\`drafts/\`, \`/drafts/**\`, \`*.{md,markdown}\`, \`!keep.md\`); it has no effect`,
          path: source.path,
          span,
          range: lines.rangeOf(span),
        },
      ];
    });
  }

  /** Every file below `dir` that `ignore` keeps; every folder seen (ignored ones included) goes to `folders`, every file seen to the result or `ignoredFiles`. */
  async #walk(
    dir: string,
    token: CancellationToken,
    depth: number,
    folders: string[],
    ignoredFiles: string[],
  ): Promise<string[]> {
    if (depth > 64) {
      this.#logger.log('warn', 'folder nesting too deep, not descending', { dir });
      return [];
    }
    // Sub-folders are listed concurrently (each listing waits on the disk: 600 folders one after the other left the
    // thread idle for tens of milliseconds); the files keep the listing's order.
    const parts: (string | Promise<string[]>)[] = [];
    for (const [name, type] of await this.#fs.readDirectory(dir)) {
      throwIfCancelled(token);
      const path = dir ? `${dir}/${name}` : name;
      const folder = type === 'directory';
      if (folder && name.startsWith('.') && name !== '.gitbook') continue;
      if (folder) folders.push(path);
      if (this.isIgnored(path, folder)) {
        if (!folder) ignoredFiles.push(path);
        continue;
      }
      parts.push(folder ? this.#walk(path, token, depth + 1, folders, ignoredFiles) : path);
    }
    // All at once: a sub-folder's failure (a cancellation) is handled however far along the others are.
    const listed = await Promise.all(parts.map((part) => (typeof part === 'string' ? [part] : part)));
    return listed.flat();
  }

  /** A config file's text. One that exists but cannot be used (a folder, a FIFO, not UTF-8) is a finding, never silently the defaults. */
  async #readConfigText(path: string, findings: Finding[]): Promise<string | undefined> {
    const bytes = await this.#fs.readFile(path);
    const decoded = bytes ? decodeUtf8(bytes) : undefined;
    if (decoded?.ok) return decoded.text.replace(/^\uFEFF/, '');
    const stat = decoded ? undefined : await this.#fs.stat(path);
    const why = decoded
      ? decoded.reason
      : stat?.type === 'directory'
        ? 'it is a folder'
        : stat
          ? 'it cannot be read'
          : undefined;
    if (why)
      findings.push(
        configFinding(path, '', {
          message: message`Unexpected ${words(path)} that cannot be used (${kept(words(why))}), expected a readable UTF-8 file`,
          note: `${path} cannot be used: ${why}. Until it can, the defaults apply.`,
          span: { start: 0, end: 0 },
          field: '',
        }),
      );
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
    const prefetched = this.#prefetched.get(path);
    this.#prefetched.delete(path);
    const bytes = prefetched && prefetched.length === stat.size ? prefetched : await this.#fs.readFile(path);
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
    this.#homeTitleChanged(path, analysis.facts.title);
    this.#documentFindings.set(path, {
      key: knowledgeKey(this.index),
      config: this.config,
      findings: analysis.documentFindings,
    });
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
    // Re-deriving can change knowledge again (a source page refreshed); a few rounds settle it, knowledge held within each.
    for (let round = 0; round < 3; round++) {
      const stale = this.stalePages();
      if (stale.length === 0) break;
      await this.#holdingKnowledge(async () => {
        for (const p of stale) {
          throwIfCancelled(token);
          await this.refreshFile(p);
          n++;
        }
      });
    }
    return n;
  }

  /** Runs a batch of analyses with site knowledge held as it is (see `holdKnowledge`). */
  async #holdingKnowledge<T>(batch: () => Promise<T>): Promise<T> {
    const release = holdKnowledge(this.index);
    try {
      return await batch();
    } finally {
      release();
    }
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
    this.#homeTitleChanged(path, analysis.facts.title);
    this.#unreadable.delete(path);
    const key = knowledgeKey(this.index);
    this.#documentFindings.set(path, { key, config: this.config, findings: analysis.documentFindings });
    return (
      !before || key !== keyBefore || visibleFactsChanged(before, analysis.facts) || path === this.index.summaryPath
    );
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
  checkDetailed(
    path: string,
    cachedWorkspace?: readonly Finding[],
  ): { readonly findings: Finding[]; readonly workspace?: readonly Finding[] } {
    const unreadable = this.#unreadable.get(path);
    if (unreadable) return { findings: [unreadable] };
    if (!this.index.hasFacts(path)) return { findings: this.#configFindings.filter((f) => f.path === path) };
    const doc = this.#open.get(path)?.analysis.doc;
    let phaseOne = this.#documentFindings.get(path);
    const key = knowledgeKey(this.index);
    if (doc && (!phaseOne || phaseOne.key !== key || phaseOne.config !== this.config)) {
      // An open page keeps its tree: re-run its document rules against the new knowledge or config right away.
      phaseOne = {
        key,
        config: this.config,
        findings: runRules('document', {
          path,
          facts: this.index.facts(path)!,
          doc,
          config: this.config,
          index: this.index,
        }),
      };
      this.#documentFindings.set(path, phaseOne);
    }
    // With the workspace findings from a host's cache, deferred facts stay unread: the directives are all it needs.
    const workspace =
      cachedWorkspace ??
      runRules('workspace', {
        path,
        facts: this.index.facts(path)!,
        index: this.index,
        config: this.config,
        ...(doc ? { doc } : {}),
      });
    const all = [...(phaseOne?.findings ?? []), ...workspace, ...this.#knowledgeCrashes(path)];
    return { findings: sortFindings(applyDirectives(all, { directives: this.index.directivesOf(path) })), workspace };
  }

  /** Site knowledge (the glossary, the site license) whose derivation threw, as a `rule-crashed` finding on its first source page. */
  #knowledgeCrashes(path: string): Finding[] {
    return knowledgeFailures(this.index)
      .filter((f) => f.path === path)
      .map((f) => ({
        ruleId: engineFindingIds.ruleCrashed,
        severity: 'error' as const,
        message: `Unexpected crash while reading the ${f.kind} from ${f.sources.length > 1 ? `this page and ${f.sources.length - 1} more (${f.sources.slice(1).join(', ')})` : 'this page'} (${f.message}), expected it to finish; until then the rules see none of it`,
        path,
        span: { start: 0, end: 0 },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      }));
  }

  /**
   * A page's findings with every fix checked on the page as it would be
   * after it (safeFixes.ts): a fix that would leave its finding or add one,
   * here or in the pages that can see the change, becomes a suggestion.
   * `text` is the page's text the findings were computed on (an open page's
   * own when omitted); without a text the findings are returned as they are.
   */
  verifyFixes(path: string, findings: readonly Finding[], text?: string): Finding[] {
    const source = text ?? this.#open.get(path)?.analysis.doc.text;
    if (source === undefined || !findings.some((f) => f.fix)) return [...findings];
    return verifyFixes(
      {
        index: this.index,
        config: this.config,
        check: (p) => this.check(p),
        analyze: (p, t) => analyzeDocument(p, t, this.config, this.index),
      },
      path,
      source,
      findings,
    );
  }

  /** check() with every fix checked (verifyFixes), the page's text read from the disk when it is not open. */
  async checkSafe(path: string): Promise<Finding[]> {
    const findings = this.check(path);
    if (!findings.some((f) => f.fix)) return findings;
    const open = this.#open.get(path);
    if (open) return this.verifyFixes(path, findings);
    // The text as refreshFile analysed it (a BOM kept: offsets count it).
    const bytes = await this.#fs.readFile(path);
    const decoded = bytes ? decodeUtf8(bytes) : undefined;
    const text = decoded?.ok ? decoded.text : undefined;
    const facts = this.index.facts(path);
    // The page changed on disk since it was analysed: its offsets are not this text's, keep its fixes for a later check.
    if (text === undefined || !facts || new LineIndex(text).lineCount !== facts.lineStarts.length)
      return findings.map(({ fix, ...f }) => (fix ? { ...f, suggestions: [fix, ...(f.suggestions ?? [])] } : f));
    return this.verifyFixes(path, findings, text);
  }

  /**
   * checkAll for a host that must stay responsive: `pause` (the host's way to
   * let other work run) is awaited about every 5 ms of checking. The result
   * is checkAll's as long as nothing changed meanwhile; the host compares
   * `index.revision` before and after. `workspaceCache` gives pages'
   * workspace findings from a host's cache (see checkDetailed) and is told
   * the ones each check used.
   */
  async checkAllYielding(
    token: CancellationToken,
    pause: () => Promise<void>,
    workspaceCache?: WorkspaceFindingsCache,
  ): Promise<Map<string, Finding[]>> {
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
  return {
    ruleId: engineFindingIds.configInvalid,
    severity: 'error',
    message: p.message,
    ...(p.note ? { note: p.note } : {}),
    path,
    span,
    range: lines.rangeOf(span),
  };
}

/** Whether what other pages can see of a page changed (its anchors, title or front matter). */
function visibleFactsChanged(a: FileFacts, b: FileFacts): boolean {
  return (
    a.title !== b.title ||
    a.anchors.join('\n') !== b.anchors.join('\n') ||
    JSON.stringify(a.frontMatter) !== JSON.stringify(b.frontMatter)
  );
}
