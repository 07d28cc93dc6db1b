/**
 * "Microsolidarity: New Article…": asks for a title and a place in
 * SUMMARY.md (a group, or a page to nest under), then a description and the
 * author; writes the page from a template (the site's own, from
 * `msol.templates.folder`, or the built-in one) and lists it in SUMMARY.md
 * with a one-line edit at the end of that group or of the parent's children.
 *
 * Drivable without UI: `executeCommand('msol.newArticle', { title, section,
 * description?, author?, template?, fileName?, folder? })`. `section` is a
 * group's heading, a page's title or its path as SUMMARY.md writes it.
 */
import * as posix from 'node:path/posix';
import * as vscode from 'vscode';
import { SiteInfoRequest } from '../../../server/src/protocol';
import { settingsFor } from '../settings';
import { builtInArticleTemplate, defaultTemplateName, renderTemplate, type TemplateValues } from '../templates/index';
import { CommandError, requireRunning, stringArg, type CommandContext } from './context';
import {
  encodeLinkPath,
  findPlace,
  folderForPlace,
  insertedLine,
  parseSummary,
  slugFileName,
  summaryInsertion,
  summaryPlaces,
  type ParsedSummary,
  type SummaryPlace,
} from './summary';

export interface NewArticleArgs {
  readonly title?: string;
  readonly section?: string;
  readonly description?: string;
  readonly author?: string;
  readonly template?: string;
  readonly fileName?: string;
  /** Name or URI of the workspace folder (multi-root). */
  readonly folder?: string;
}

export interface NewArticleResult {
  readonly uri: vscode.Uri;
  readonly summaryUri: vscode.Uri;
  /** Zero-based line of the new SUMMARY.md entry. */
  readonly summaryLine: number;
  readonly template: string;
}

export interface Template {
  readonly name: string;
  readonly text: string;
  /** Where it comes from: 'built-in' or the file's path relative to the folder. */
  readonly source: string;
}

export async function newArticle(ctx: CommandContext, rawArgs?: unknown): Promise<NewArticleResult | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as NewArticleArgs;
  // Driven by arguments (a test, a keybinding): what is not given takes its default instead of a question.
  const driven = stringArg(args.title) !== undefined && stringArg(args.section) !== undefined;
  requireRunning(ctx.client);
  const folder = await pickFolder(stringArg(args.folder));
  if (!folder) return undefined;

  const info = await ctx.client.sendRequest(SiteInfoRequest.type, {
    uri: vscode.Uri.joinPath(folder.uri, 'SUMMARY.md').toString(),
  });
  if (!info) throw new CommandError(`${folder.name} is not a site the language server knows.`);
  const siteRoot = vscode.Uri.parse(info.siteUri);
  const summaryUri = vscode.Uri.joinPath(siteRoot, info.summaryPath);
  let summaryDoc: vscode.TextDocument;
  try {
    summaryDoc = await vscode.workspace.openTextDocument(summaryUri);
  } catch {
    throw new CommandError(`the site has no ${info.summaryPath}: GitBook lists its pages there. Create it first.`);
  }
  const summary = parseSummary(summaryDoc.getText());
  const places = summaryPlaces(summary);

  const title = stringArg(args.title) ?? (await askTitle());
  if (title === undefined) return undefined;
  if (!title.trim()) throw new CommandError('the title is empty.');

  let place: SummaryPlace | undefined;
  const wanted = stringArg(args.section);
  if (wanted !== undefined) {
    place = findPlace(summary, places, wanted);
    if (!place) throw new CommandError(`${info.summaryPath} has no group or page "${wanted}".`);
  } else {
    place = await askPlace(summary, places, info.summaryPath);
    if (!place) return undefined;
  }

  const description =
    stringArg(args.description) ??
    (driven
      ? ''
      : await vscode.window.showInputBox({
          title: 'New article: description',
          prompt: 'One sentence that says what the page is for (GitBook shows it under the title). May be left empty.',
          ignoreFocusOut: true,
        }));
  if (description === undefined) return undefined;

  const author =
    stringArg(args.author) ??
    (driven
      ? info.defaultAuthor
      : await vscode.window.showInputBox({
          title: 'New article: author',
          prompt: `Who writes the page. Pages by ${info.defaultAuthor}, the site's default author, need no author line.`,
          value: info.defaultAuthor,
          ignoreFocusOut: true,
        }));
  if (author === undefined) return undefined;

  const templates = await loadTemplates(folder, settingsFor(folder.uri).templatesFolder, ctx.log);
  const template = await pickTemplate(templates, stringArg(args.template), driven);
  if (!template) return undefined;

  // Where the page goes, relative to SUMMARY.md's folder, then to the site.
  const summaryDir = posix.dirname(info.summaryPath) === '.' ? '' : posix.dirname(info.summaryPath);
  const summaryDirUri = summaryDir ? vscode.Uri.joinPath(siteRoot, summaryDir) : siteRoot;
  const isDirectory = await directoryTester(summaryDirUri, summary);
  const dir = folderForPlace(summary, place, isDirectory);
  const fileName = stringArg(args.fileName) ?? slugFileName(title);
  if (!/^[^/\\]+\.md$/i.test(fileName)) throw new CommandError(`"${fileName}" is not a Markdown file name.`);
  const fromSummary = dir ? `${dir}/${fileName}` : fileName;
  const pagePath = summaryDir ? `${summaryDir}/${fromSummary}` : fromSummary;
  const pageUri = vscode.Uri.joinPath(siteRoot, pagePath);
  if (await exists(pageUri))
    throw new CommandError(`${pagePath} exists already. Choose another title, or pass fileName.`);

  const pageDir = posix.dirname(pagePath) === '.' ? '' : posix.dirname(pagePath);
  const proposalLink =
    info.proposalExists && info.proposalPath !== pagePath
      ? encodeLinkPath(posix.relative(pageDir || '.', info.proposalPath))
      : '';
  const values: TemplateValues = {
    title: title.trim(),
    description: description.trim(),
    author: sameAuthor(author, info.defaultAuthor) ? '' : author.trim(),
    defaultAuthor: info.defaultAuthor,
    proposalLink,
    proposalTitle: 'the original proposal',
    license: info.license,
    licenseName: info.licenseName,
    licenseUrl: info.licenseUrl ?? '',
    date: new Date().toISOString().slice(0, 10),
    fileName,
  };
  const text = renderTemplate(template.text, values);

  // The page first: a SUMMARY.md entry must never point at a file that is not there.
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(pageUri, '..'));
  await vscode.workspace.fs.writeFile(pageUri, new TextEncoder().encode(text));

  const insertion = summaryInsertion(summary, place, values.title, encodeLinkPath(fromSummary));
  const wasDirty = summaryDoc.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(summaryUri, new vscode.Position(insertion.line, insertion.character), insertion.text);
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new CommandError(`${info.summaryPath} could not be edited; the page was created as ${pagePath}.`);
  // Saved unless the author had unsaved changes there: those stay theirs to save.
  if (!wasDirty) await summaryDoc.save();

  const page = await vscode.workspace.openTextDocument(pageUri);
  const editor = await vscode.window.showTextDocument(page);
  const titleLine = page
    .getText()
    .split(/\r?\n/)
    .findIndex((l) => l.startsWith('# '));
  if (titleLine >= 0) {
    const end = page.lineAt(titleLine).range.end;
    editor.selection = new vscode.Selection(end, end);
  }
  const summaryLine = insertedLine(summary, insertion);
  ctx.log.info(
    `New article ${pagePath} (template ${template.source}), listed in ${info.summaryPath}:${summaryLine + 1}.`,
  );
  return { uri: pageUri, summaryUri, summaryLine, template: template.name };
}

async function pickFolder(wanted: string | undefined): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0)
    throw new CommandError("open the site's folder first: a new article is listed in its SUMMARY.md.");
  if (wanted !== undefined) {
    const f = folders.find((x) => x.name === wanted || x.uri.toString() === wanted);
    if (!f) throw new CommandError(`no workspace folder "${wanted}".`);
    return f;
  }
  if (folders.length === 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const current = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (current) return current;
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'The site to add the article to' });
}

function askTitle(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'New article: title',
    prompt: 'The page title (also its entry in SUMMARY.md and its file name).',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A title is needed.'),
  });
}

interface PlaceItem extends vscode.QuickPickItem {
  readonly place: SummaryPlace;
}

async function askPlace(
  summary: ParsedSummary,
  places: readonly SummaryPlace[],
  summaryPath: string,
): Promise<SummaryPlace | undefined> {
  const minIndent = Math.min(...summary.entries.map((e) => e.indent), Infinity);
  const items: PlaceItem[] = places.map((p) => {
    if (p.kind === 'group')
      return { label: `$(list-tree) ${p.label}`, description: 'at the end of this group', place: p };
    const e = summary.entries[p.entry]!;
    const depth = Math.max(0, Math.round((e.indent - minIndent) / Math.max(1, summary.indentUnit.length)));
    return {
      label: `${'\u2003'.repeat(depth + 1)}$(file) ${p.label}`,
      description: `under this page · ${decodeSafe(e.url)}`,
      place: p,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `New article: where in ${summaryPath}`,
    placeHolder: 'A group, or the page to nest it under',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked?.place;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The built-in template, then the site's templates (its `article.md` replaces the built-in one). */
export async function loadTemplates(
  folder: vscode.WorkspaceFolder,
  setting: string,
  log: vscode.LogOutputChannel,
): Promise<Template[]> {
  const builtIn: Template = { name: 'article', text: builtInArticleTemplate, source: 'built-in' };
  const rel = setting
    .trim()
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  if (!rel || rel.split(/[\\/]/).includes('..') || /^([a-z]:)?[\\/]/i.test(rel)) return [builtIn];
  const dir = vscode.Uri.joinPath(folder.uri, rel);
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return [builtIn];
  }
  const site: Template[] = [];
  for (const [name, type] of entries.sort((a, b) => a[0].localeCompare(b[0]))) {
    if (type !== vscode.FileType.File || !/\.md$/i.test(name)) continue;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name)),
      );
      site.push({ name: name.replace(/\.md$/i, ''), text: text.replace(/^\uFEFF/, ''), source: `${rel}/${name}` });
    } catch (error) {
      log.warn(`Template ${rel}/${name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const overridesDefault = site.some((t) => `${t.name}.md`.toLowerCase() === defaultTemplateName);
  return overridesDefault
    ? site.sort((a, b) => Number(b.name === 'article') - Number(a.name === 'article'))
    : [builtIn, ...site];
}

async function pickTemplate(
  templates: readonly Template[],
  wanted: string | undefined,
  driven: boolean,
): Promise<Template | undefined> {
  if (wanted !== undefined) {
    const t = templates.find((x) => x.name.toLowerCase() === wanted.toLowerCase().replace(/\.md$/i, ''));
    if (!t) throw new CommandError(`no template "${wanted}" (have: ${templates.map((x) => x.name).join(', ')}).`);
    return t;
  }
  if (templates.length === 1 || driven) return templates[0];
  const picked = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.name, description: t.source, template: t })),
    { title: 'New article: template', ignoreFocusOut: true },
  );
  return picked?.template;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Which folders (relative to SUMMARY.md's folder) exist, for the entries' own folders. */
async function directoryTester(base: vscode.Uri, summary: ParsedSummary): Promise<(relative: string) => boolean> {
  const known = new Set<string>();
  for (const e of summary.entries) {
    const p = decodeSafe(e.url.replace(/[#?].*$/, '')).replace(/\.md$/i, '');
    if (!p || /^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('/') || p.split('/').includes('..')) continue;
    try {
      if ((await vscode.workspace.fs.stat(vscode.Uri.joinPath(base, p))).type & vscode.FileType.Directory)
        known.add(posix.normalize(p));
    } catch {
      // not a folder
    }
  }
  return (relative) => known.has(posix.normalize(relative));
}

/** The same person: case, dots and spacing aside ("Richard D. Bartlett" = "richard d bartlett"). */
export function sameAuthor(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replace(/\./g, ' ').replace(/\s+/g, ' ').trim();
  return n(a) === n(b) || a.trim() === '';
}
