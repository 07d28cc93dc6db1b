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

export const gitbookYamlName = '.gitbook.yaml';
export const configSchemaForRegistry = () => configSchema(ruleIds, Object.fromEntries(rules.filter((r) => r.optionsSchema).map((r) => [r.meta.id, r.optionsSchema!])));

interface PhaseOne {
  /** The site knowledge and the config the findings were computed with. */
  readonly key: string;
  readonly config: MsolConfig;
  readonly findings: readonly Finding[];
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

  /** Loads config, walks the site and analyses every page. */
  async initialize(token: CancellationToken = neverCancelled, onProgress?: (done: number, total: number) => void): Promise<void> {
    await this.reloadConfig();
    throwIfCancelled(token);
    const files = await this.#walk('', token, 0);
    for (const f of files) this.index.addFile(f);
    // REUSE sidecars (`image.jpg.license`): small text records that attribution reads.
    for (const f of files) if (isSidecarPath(f)) await this.refreshFile(f);
    // Source pages of site knowledge (README, proposal, glossary) first: every other page's rules read what they say.
    const sources = knowledgeSources(this.index);
    const pages = this.index.pages().sort((a, b) => Number(sources.has(b)) - Number(sources.has(a)));
    let done = 0;
    for (const page of pages) {
      throwIfCancelled(token);
      if (!this.#open.has(page)) await this.refreshFile(page);
      onProgress?.(++done, pages.length);
    }
    await this.refreshStale(token);
    this.#logger.log('info', 'indexed site', { files: files.length, pages: pages.length });
  }

  /** (Re)reads `.msolrc.json` and `.gitbook.yaml`. Returns true when the effective config changed. */
  async reloadConfig(): Promise<boolean> {
    const findings: Finding[] = [];
    const configPath = this.#configOverride?.path ?? configFileName;
    const text = this.#configOverride?.text ?? (await this.#readText(configFileName));
    const loaded = loadConfig(text, ruleIds, configSchemaForRegistry());
    findings.push(...loaded.problems.map((p) => configFinding(configPath, text ?? '', p)));
    let config = loaded.config;
    const gitbookText = await this.#readText(gitbookYamlName);
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
      this.#skip(path, `Unexpected file of ${(stat.size / 1048576).toFixed(1)} MB, expected at most ${(this.config.maxFileSize / 1048576).toFixed(1)} MB (\`maxFileSize\`); the file was not checked`);
      return;
    }
    const bytes = await this.#fs.readFile(path);
    // The page may have been opened in an editor while we read: the editor's text wins.
    if (this.#open.has(path)) return;
    if (!bytes) {
      this.#skip(path, 'Unexpected unreadable file, expected a readable Markdown file; the file was not checked');
      return;
    }
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok) {
      this.#skip(path, `Unexpected content (${decoded.reason}), expected UTF-8 text; the file was not checked`);
      return;
    }
    const analysis = analyzeDocument(path, decoded.text, this.config, this.index);
    this.#documentFindings.set(path, { key: knowledgeKey(this.index), config: this.config, findings: analysis.documentFindings });
  }

  /** Pages whose phase-one findings were computed with site knowledge that has since changed. */
  stalePages(): string[] {
    const key = knowledgeKey(this.index);
    return [...this.#documentFindings].filter(([p, e]) => (e.key !== key || e.config !== this.config) && !this.#open.has(p)).map(([p]) => p);
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
    const analysis = analyzeDocument(path, text, this.config, this.index);
    this.#open.set(path, { version, analysis });
    this.#unreadable.delete(path);
    const key = knowledgeKey(this.index);
    this.#documentFindings.set(path, { key, config: this.config, findings: analysis.documentFindings });
    return !before || key !== keyBefore || visibleFactsChanged(before, analysis.facts) || path === this.index.summaryPath;
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
    if (isSidecarPath(path)) setSidecarText(this.index, path, undefined);
    this.index.removeFile(path);
    this.#documentFindings.delete(path);
    this.#unreadable.delete(path);
  }

  /** All findings for one file: both phases, directives applied, sorted. */
  check(path: string): Finding[] {
    const unreadable = this.#unreadable.get(path);
    if (unreadable) return [unreadable];
    const facts = this.index.facts(path);
    if (!facts) return this.#configFindings.filter((f) => f.path === path);
    const doc = this.#open.get(path)?.analysis.doc;
    let phaseOne = this.#documentFindings.get(path);
    const key = knowledgeKey(this.index);
    if (doc && (!phaseOne || phaseOne.key !== key || phaseOne.config !== this.config)) {
      // An open page keeps its tree: re-run its document rules against the new knowledge or config right away.
      phaseOne = { key, config: this.config, findings: runRules('document', { path, facts, doc, config: this.config, index: this.index }) };
      this.#documentFindings.set(path, phaseOne);
    }
    const workspace = runRules('workspace', { path, facts, index: this.index, config: this.config, ...(doc ? { doc } : {}) });
    const all = [...(phaseOne?.findings ?? []), ...workspace];
    return sortFindings(applyDirectives(all, facts));
  }

  /** Every file's findings (config files included), in path order. */
  checkAll(token: CancellationToken = neverCancelled): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const f of this.#configFindings) out.set(f.path, [...(out.get(f.path) ?? []), f]);
    for (const path of this.index.pages()) {
      throwIfCancelled(token);
      const findings = this.check(path);
      if (findings.length) out.set(path, findings);
    }
    return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
  }
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
