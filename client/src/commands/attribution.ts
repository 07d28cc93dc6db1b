/**
 * "Add Attribution…" (Title, Author, Source URL, License → a complete
 * Creative Commons credit after the image at the cursor: its figure caption,
 * or an italic line; or, for an asset many pages use, a REUSE sidecar
 * `<asset>.license` beside the image file) and "Attribution Report" (the site's report as a
 * Markdown document beside the editor). The server makes both
 * (engine/features/attribution.ts).
 *
 * Without UI: `executeCommand('msol.addAttribution', { title, author,
 * sourceUrl, license, target?: 'page' | 'sidecar', overwrite?: boolean })`
 * returns `{ title, style, text }` (style 'sidecar' with the file's `uri`).
 * An existing sidecar is replaced only with `overwrite: true` (without
 * arguments: after the user confirms); it is written only inside the page's
 * workspace folder;
 * `executeCommand('msol.attributionReport')` returns the report's document.
 */
import * as vscode from 'vscode';
import { AddAttributionRequest, AttributionLicensesRequest, AttributionSidecarRequest, ReportRequest } from '../../../server/src/protocol';
import { CommandError, requireMarkdownEditor, requireRunning, showMarkdownBeside, siteAnchor, stringArg, toRange, type CommandContext } from './context';

export interface AttributionArgs {
  readonly title?: string;
  readonly author?: string;
  readonly sourceUrl?: string;
  readonly license?: string;
  /** Where the credit goes: after the image on the page (default), or a sidecar file beside the image. */
  readonly target?: AttributionTarget;
  /** Replace an existing sidecar file. */
  readonly overwrite?: boolean;
}

export type AttributionTarget = 'page' | 'sidecar';

export interface AttributionResult {
  readonly title: string;
  readonly style: 'caption' | 'line' | 'sidecar';
  /** The credit as written into the page, or the sidecar file's text. */
  readonly text: string;
  /** The sidecar file written (style 'sidecar'). */
  readonly uri?: string;
}

export async function addAttribution(ctx: CommandContext, rawArgs?: unknown): Promise<AttributionResult | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as AttributionArgs;
  requireRunning(ctx.client);
  const editor = requireMarkdownEditor();
  const document = editor.document;
  const position = editor.selection.active;

  const ask = (key: keyof AttributionArgs, title: string, prompt: string, validate?: (v: string) => string | undefined) =>
    stringArg(args[key]) !== undefined
      ? Promise.resolve(stringArg(args[key]))
      : vscode.window.showInputBox({ title: `Add attribution: ${title}`, prompt, ignoreFocusOut: true, ...(validate ? { validateInput: validate } : {}) });

  const title = await ask('title', 'title', 'The title of the work (the photo, painting, drawing…). May be left empty when it has none.');
  if (title === undefined) return undefined;
  const author = await ask('author', 'author', 'Who made it (a name, or a user name with the platform).');
  if (author === undefined) return undefined;
  const sourceUrl = await ask('sourceUrl', 'source', 'A link to the work where it was found (https://…).', (v) =>
    v.trim() === '' || /^https?:\/\/\S+$/i.test(v.trim()) ? undefined : 'A web address starting with https:// (or leave it empty).',
  );
  if (sourceUrl === undefined) return undefined;
  let license = stringArg(args.license);
  if (license === undefined) {
    license = await pickLicense(ctx);
    if (license === undefined) return undefined;
  }
  // Asked questions (a command palette or menu run): ask where too, and confirm replacing a sidecar.
  const interactive = args.target === undefined && (['title', 'author', 'sourceUrl', 'license'] as const).some((k) => stringArg(args[k]) === undefined);
  let target: AttributionTarget = 'page';
  if (args.target !== undefined) {
    if (args.target !== 'page' && args.target !== 'sidecar') throw new CommandError(`target must be 'page' or 'sidecar', not ${JSON.stringify(args.target)}.`);
    target = args.target;
  } else if (interactive) {
    const picked = await pickTarget();
    if (picked === undefined) return undefined;
    target = picked;
  }
  if (target === 'sidecar') {
    return writeSidecar(ctx, document, position, { title, author, sourceUrl: sourceUrl.trim(), license }, args.overwrite === true ? 'overwrite' : interactive ? 'ask' : 'refuse');
  }

  const result = await ctx.client.sendRequest(AddAttributionRequest.type, {
    uri: document.uri.toString(),
    position: { line: position.line, character: position.character },
    title,
    author,
    sourceUrl: sourceUrl.trim(),
    license,
  });
  if (!result) throw new CommandError('put the cursor on an image (a Markdown image, an <img> or a <figure>), or on its credit line.');
  if (result.version !== null && result.version !== document.version) throw new CommandError('the page changed while the credit was made; run the command again.');
  const edit = new vscode.WorkspaceEdit();
  for (const e of result.edits) edit.replace(document.uri, toRange(e.range), e.newText);
  if (!(await vscode.workspace.applyEdit(edit))) throw new CommandError('the edit could not be applied.');
  return { title: result.title, style: result.style, text: result.edits.map((e) => e.newText.trim()).join('\n') };
}

async function pickTarget(): Promise<AttributionTarget | undefined> {
  const items: (vscode.QuickPickItem & { target: AttributionTarget })[] = [
    { label: 'After the image, on this page', detail: 'A figure caption, or an italic credit line under the image', target: 'page' },
    { label: 'In a sidecar file beside the image (every page using it)', detail: 'A REUSE <image>.license file next to the image file', target: 'sidecar' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Add attribution: where', placeHolder: 'Where the credit is written', ignoreFocusOut: true });
  return picked?.target;
}

/** Writes the REUSE sidecar of the image at the position; the server's file watcher reads it. */
async function writeSidecar(
  ctx: CommandContext,
  document: vscode.TextDocument,
  position: vscode.Position,
  input: { title: string; author: string; sourceUrl: string; license: string },
  existing: 'overwrite' | 'ask' | 'refuse',
): Promise<AttributionResult | undefined> {
  const result = await ctx.client.sendRequest(AttributionSidecarRequest.type, {
    uri: document.uri.toString(),
    position: { line: position.line, character: position.character },
    ...input,
  });
  if (!result) throw new CommandError('put the cursor on an image that is a file of the site (a sidecar sits beside the image file; a web image needs a credit on the page).');
  const target = vscode.Uri.parse(result.uri);
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder || !isInside(folder.uri, target)) throw new CommandError(`${result.path} is outside the workspace folder; the sidecar was not written.`);
  if (await exists(target)) {
    if (existing === 'refuse') throw new CommandError(`${result.path} exists already (pass overwrite: true to replace it).`);
    if (existing === 'ask') {
      const replace = 'Replace';
      const answer = await vscode.window.showWarningMessage(`${result.path} exists already. Replace it with the new credit?`, { modal: true }, replace);
      if (answer !== replace) return undefined;
    }
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  if (existing === 'ask') void vscode.window.showInformationMessage(`Wrote the credit of ${result.imageUrl} to ${result.path}.`);
  return { title: `Write the credit to ${result.path}`, style: 'sidecar', text: result.text, uri: target.toString() };
}

function isInside(folder: vscode.Uri, target: vscode.Uri): boolean {
  if (folder.scheme !== target.scheme || folder.authority !== target.authority) return false;
  const base = folder.path.replace(/\/+$/, '') + '/';
  const path = target.path;
  return path.startsWith(base) && !path.slice(base.length).split('/').some((s) => s === '..' || s === '');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return false;
    throw error;
  }
}

async function pickLicense(ctx: CommandContext): Promise<string | undefined> {
  const licenses = await ctx.client.sendRequest(AttributionLicensesRequest.type);
  const other = { label: '$(edit) Another license…', detail: 'Type its name or SPDX id', id: '' };
  const picked = await vscode.window.showQuickPick([...licenses.map((l) => ({ label: l.label, description: l.id, detail: l.detail, id: l.id })), other], {
    title: 'Add attribution: license',
    placeHolder: 'The license the work is published under',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.id) return picked.id;
  return vscode.window.showInputBox({ title: 'Add attribution: license', prompt: 'The license name or SPDX id (CC-BY-4.0, CC0-1.0, public domain…)', ignoreFocusOut: true });
}

export async function attributionReport(ctx: CommandContext): Promise<vscode.TextDocument | undefined> {
  requireRunning(ctx.client);
  const anchor = siteAnchor();
  const { markdown } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Microsolidarity: attribution report' },
    () => ctx.client.sendRequest(ReportRequest.type, { kind: 'attribution', ...(anchor ? { uri: anchor.toString() } : {}) }),
  );
  if (!markdown.trim()) throw new CommandError('no site to report on yet (is the folder still being read?).');
  return showMarkdownBeside(markdown);
}
