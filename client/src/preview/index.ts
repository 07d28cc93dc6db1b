/**
 * The Markdown preview's side of the extension: the markdown-it plugin
 * (./markdownIt.ts) wired to the workspace — settings per document, files on
 * disk for broken links and page titles, and the site's glossary from the
 * language server (`msol/glossary`), cached per site and refreshed when the
 * server reports a new status, when a page changes, and when a preview
 * renders a page of a site not seen yet. A glossary that changed refreshes
 * open previews.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { GlossaryRequest } from '../../../server/src/protocol';
import { settingsFor } from '../settings';
import { extendMarkdownIt, type MarkdownIt, type PreviewGlossary, type PreviewHost } from './markdownIt';
import { matcherOf, pageTitleOf } from './pageText';

interface SiteGlossary {
  readonly siteUri: string;
  readonly fingerprint: string;
  readonly terms: readonly GlossaryRequest.Term[];
  readonly matcher: PreviewGlossary;
}

/** What tests and other extensions can see of the preview. */
export interface PreviewApi {
  /** Fires with the site's URI whenever a site's glossary was (re)loaded and differs from before. */
  readonly onDidChangeGlossary: vscode.Event<string>;
  /** The terms the preview marks in a document, once its site's glossary is loaded. */
  glossaryTerms(uri: vscode.Uri): readonly string[] | undefined;
  /** Asks the server for the glossary of the document's site now. */
  refreshGlossary(uri: vscode.Uri): Promise<void>;
  /** The glossary term a word of a document is a form of ("crews" → Crew), once its site's glossary is loaded. */
  termOf(uri: vscode.Uri, word: string): string | undefined;
}

export class PreviewSupport implements vscode.Disposable, PreviewApi {
  readonly #client: LanguageClient;
  readonly #sites = new Map<string, SiteGlossary>();
  /** Documents (by URI) whose site was asked for, so a render asks at most once per change. */
  readonly #asked = new Set<string>();
  readonly #changed = new vscode.EventEmitter<string>();
  readonly #disposables: vscode.Disposable[] = [];
  readonly #titles = new Map<string, { mtimeMs: number; title: string | undefined }>();
  #changeTimer: ReturnType<typeof setTimeout> | undefined;
  #pendingChanges = new Set<string>();

  readonly onDidChangeGlossary = this.#changed.event;

  constructor(client: LanguageClient, onStatus: vscode.Event<unknown>) {
    this.#client = client;
    this.#disposables.push(
      this.#changed,
      onStatus(() => void this.refreshAll()),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) void this.refreshAll();
        else if (e.newState === State.Stopped) this.#asked.clear();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId !== 'markdown' || e.document.uri.scheme !== 'file' || e.contentChanges.length === 0)
          return;
        this.#pendingChanges.add(e.document.uri.toString());
        if (this.#changeTimer) clearTimeout(this.#changeTimer);
        // Coalesces typing: one request per site after a pause.
        this.#changeTimer = setTimeout(() => {
          this.#changeTimer = undefined;
          const uris = [...this.#pendingChanges];
          this.#pendingChanges.clear();
          void this.#refreshSites(uris.map((u) => vscode.Uri.parse(u)));
        }, 400);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('msol.preview')) void vscode.commands.executeCommand('markdown.preview.refresh');
      }),
    );
  }

  /** `extendMarkdownIt` for package.json's markdown.markdownItPlugins. */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt {
    return extendMarkdownIt(md, this.#host);
  }

  glossaryTerms(uri: vscode.Uri): readonly string[] | undefined {
    return this.#siteOf(uri)?.terms.map((t) => t.term);
  }

  termOf(uri: vscode.Uri, word: string): string | undefined {
    const w = word.toLowerCase();
    return this.#siteOf(uri)?.terms.find((t) => t.forms.some((f) => f.toLowerCase() === w))?.term;
  }

  async refreshGlossary(uri: vscode.Uri): Promise<void> {
    await this.#refreshSites([uri]);
  }

  /** Re-asks every site the client knows of: the workspace folders and open pages outside them. */
  async refreshAll(): Promise<void> {
    const uris: vscode.Uri[] = (vscode.workspace.workspaceFolders ?? []).map((f) =>
      vscode.Uri.joinPath(f.uri, 'SUMMARY.md'),
    );
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId === 'markdown' && d.uri.scheme === 'file' && !vscode.workspace.getWorkspaceFolder(d.uri))
        uris.push(d.uri);
    }
    for (const s of this.#sites.keys()) uris.push(vscode.Uri.joinPath(vscode.Uri.parse(s), 'SUMMARY.md'));
    await this.#refreshSites(uris);
  }

  async #refreshSites(uris: readonly vscode.Uri[]): Promise<void> {
    if (this.#client.state !== State.Running) return;
    const seen = new Set<string>();
    let changed = false;
    for (const uri of uris) {
      const known = this.#siteOf(uri);
      if (known && seen.has(known.siteUri)) continue;
      let result: GlossaryRequest.Result | null;
      try {
        result = await this.#client.sendRequest(GlossaryRequest.type, { uri: uri.toString() });
      } catch {
        continue; // the server went away or is restarting; the next status asks again
      }
      if (!result) continue;
      seen.add(result.siteUri);
      const previous = this.#sites.get(result.siteUri);
      if (previous?.fingerprint === result.fingerprint) continue;
      this.#sites.set(result.siteUri, {
        siteUri: result.siteUri,
        fingerprint: result.fingerprint,
        terms: result.terms,
        matcher: matcherOf(result.terms),
      });
      changed = true;
      this.#changed.fire(result.siteUri);
    }
    if (changed) void vscode.commands.executeCommand('markdown.preview.refresh');
  }

  /** The cached glossary of the innermost site holding a URI. */
  #siteOf(uri: vscode.Uri): SiteGlossary | undefined {
    const u = uri.toString();
    let best: SiteGlossary | undefined;
    for (const [site, g] of this.#sites)
      if (
        (u === site || u.startsWith(site.endsWith('/') ? site : site + '/')) &&
        (!best || site.length > best.siteUri.length)
      )
        best = g;
    return best;
  }

  readonly #host: PreviewHost = {
    enabled: (doc) => settingsFor(asUri(doc)).previewEnable,
    allowRemoteContent: (doc) => settingsFor(asUri(doc)).previewAllowRemoteContent,
    glossary: (doc) => {
      const uri = asUri(doc);
      if (!uri) return undefined;
      const site = this.#siteOf(uri);
      if (!site && !this.#asked.has(uri.toString())) {
        // First render of a page of a site not loaded yet: ask, then re-render.
        this.#asked.add(uri.toString());
        void this.#refreshSites([uri]);
      }
      return site?.matcher;
    },
    exists: (doc, href) => {
      const target = this.#resolve(doc, href);
      if (!target) return undefined;
      try {
        const stat = fs.statSync(target);
        if (stat.isFile()) return true;
        if (stat.isDirectory()) return fs.existsSync(path.join(target, 'README.md'));
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR'
          ? false
          : undefined;
      }
    },
    pageTitle: (doc, href) => {
      let target = this.#resolve(doc, href);
      if (!target) return undefined;
      try {
        let stat = fs.statSync(target);
        if (stat.isDirectory()) {
          target = path.join(target, 'README.md');
          stat = fs.statSync(target);
        }
        if (!stat.isFile() || !/\.(?:md|markdown)$/i.test(target) || stat.size > 1024 * 1024) return undefined;
        const cached = this.#titles.get(target);
        if (cached && cached.mtimeMs === stat.mtimeMs) return cached.title;
        const title = pageTitleOf(fs.readFileSync(target, 'utf8'));
        this.#titles.set(target, { mtimeMs: stat.mtimeMs, title });
        return title;
      } catch {
        return undefined;
      }
    },
  };

  /** The file a local link of a document points at (its fragment and query dropped). */
  #resolve(doc: unknown, href: string): string | undefined {
    const uri = asUri(doc);
    if (!uri || uri.scheme !== 'file') return undefined;
    let p = href.replace(/[#?].*$/, '');
    try {
      p = decodeURIComponent(p);
    } catch {
      // keep it as written
    }
    if (!p) return undefined;
    if (p.startsWith('/')) {
      // GitBook reads a leading slash as the site's root.
      const site = this.#siteOf(uri)?.siteUri;
      const root = site ? vscode.Uri.parse(site).fsPath : vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      return root ? path.join(root, p) : undefined;
    }
    return path.resolve(path.dirname(uri.fsPath), p);
  }

  dispose(): void {
    if (this.#changeTimer) clearTimeout(this.#changeTimer);
    for (const d of this.#disposables) d.dispose();
  }
}

function asUri(doc: unknown): vscode.Uri | undefined {
  return doc instanceof vscode.Uri ? doc : undefined;
}
