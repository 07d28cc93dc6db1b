/**
 * "Add Attribution…" (Title, Author, Source URL, License → a complete
 * Creative Commons credit after the image at the cursor: its figure caption,
 * or an italic line; or, for an asset many pages use, a REUSE sidecar
 * `<asset>.license` beside the image file; each prompt starts from what the
 * checks already read: the alt text, the file name, a credit line, "on
 * Unsplash") and "Attribution Report" (the site's report, rendered in the
 * Markdown preview, or saved to a file the user names; its "Used on" links
 * open the pages). The server makes both (engine/features/attribution.ts).
 *
 * Without UI: `executeCommand('msol.addAttribution', { title, author,
 * sourceUrl, license, target?: 'page' | 'sidecar', overwrite?: boolean })`
 * returns `{ title, style, text }` (style 'sidecar' with the file's `uri`).
 * An existing sidecar is replaced only with `overwrite: true` (without
 * arguments: after the user confirms); it is written only inside the page's
 * workspace folder;
 * `executeCommand('msol.attributionReport', { view: 'preview' })` shows the
 * report and returns `{ uri }` of the file previewed (in the extension's
 * storage, never in the workspace); `{ view: 'save', saveAs: uri }` writes it
 * there (links relative to it) and opens it.
 */
import * as vscode from 'vscode';
import {
  AddAttributionRequest,
  AttributionKnownRequest,
  AttributionLicensesRequest,
  AttributionSidecarRequest,
  ReportRequest,
} from '../../../server/src/protocol';
import {
  CommandError,
  requireMarkdownEditor,
  requireRunning,
  siteAnchor,
  stringArg,
  toRange,
  type CommandContext,
} from './context';

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

  // What the checks already read of this image's credit: each prompt starts from it.
  const needsAsking = (['title', 'author', 'sourceUrl', 'license'] as const).some(
    (k) => stringArg(args[k]) === undefined,
  );
  const known = needsAsking
    ? await ctx.client.sendRequest(AttributionKnownRequest.type, {
        uri: document.uri.toString(),
        position: { line: position.line, character: position.character },
      })
    : null;
  const read = known?.from ? ` (read from the ${known.from.replace(/, which most readers never see$/, '')})` : '';
  const ask = (
    key: 'title' | 'author' | 'sourceUrl',
    title: string,
    prompt: string,
    validate?: (v: string) => string | undefined,
  ) =>
    stringArg(args[key]) !== undefined
      ? Promise.resolve(stringArg(args[key]))
      : vscode.window.showInputBox({
          title: `Add attribution: ${title}`,
          prompt: known?.[key] ? `${prompt}${read}` : prompt,
          value: known?.[key] ?? '',
          ignoreFocusOut: true,
          ...(validate ? { validateInput: validate } : {}),
        });

  const title = await ask(
    'title',
    'title',
    'The title of the work (the photo, painting, drawing…). May be left empty when it has none.',
  );
  if (title === undefined) return undefined;
  const author = await ask('author', 'author', 'Who made it (a name, or a user name with the platform).');
  if (author === undefined) return undefined;
  const sourceUrl = await ask('sourceUrl', 'source', 'A link to the work where it was found (https://…).', (v) =>
    v.trim() === '' || /^https?:\/\/\S+$/i.test(v.trim())
      ? undefined
      : 'A web address starting with https:// (or leave it empty).',
  );
  if (sourceUrl === undefined) return undefined;
  let license = stringArg(args.license);
  if (license === undefined) {
    license = await pickLicense(ctx, known?.license);
    if (license === undefined) return undefined;
  }
  // Asked questions (a command palette or menu run): ask where too, and confirm replacing a sidecar.
  const interactive =
    args.target === undefined &&
    (['title', 'author', 'sourceUrl', 'license'] as const).some((k) => stringArg(args[k]) === undefined);
  let target: AttributionTarget = 'page';
  if (args.target !== undefined) {
    if (args.target !== 'page' && args.target !== 'sidecar')
      throw new CommandError(`target must be 'page' or 'sidecar', not ${JSON.stringify(args.target)}.`);
    target = args.target;
  } else if (interactive) {
    const picked = await pickTarget();
    if (picked === undefined) return undefined;
    target = picked;
  }
  if (target === 'sidecar') {
    return writeSidecar(
      ctx,
      document,
      position,
      { title, author, sourceUrl: sourceUrl.trim(), license },
      args.overwrite === true ? 'overwrite' : interactive ? 'ask' : 'refuse',
    );
  }

  const result = await ctx.client.sendRequest(AddAttributionRequest.type, {
    uri: document.uri.toString(),
    position: { line: position.line, character: position.character },
    title,
    author,
    sourceUrl: sourceUrl.trim(),
    license,
  });
  if (!result)
    throw new CommandError(
      'put the cursor on an image (a Markdown image, an <img> or a <figure>), or on its credit line.',
    );
  if (result.version !== null && result.version !== document.version)
    throw new CommandError('the page changed while the credit was made; run the command again.');
  const edit = new vscode.WorkspaceEdit();
  for (const e of result.edits) edit.replace(document.uri, toRange(e.range), e.newText);
  if (!(await vscode.workspace.applyEdit(edit))) throw new CommandError('the edit could not be applied.');
  return { title: result.title, style: result.style, text: result.edits.map((e) => e.newText.trim()).join('\n') };
}

async function pickTarget(): Promise<AttributionTarget | undefined> {
  const items: (vscode.QuickPickItem & { target: AttributionTarget })[] = [
    {
      label: 'After the image, on this page',
      detail: 'A figure caption, or an italic credit line under the image',
      target: 'page',
    },
    {
      label: 'In a sidecar file beside the image (every page using it)',
      detail: 'A REUSE <image>.license file next to the image file',
      target: 'sidecar',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Add attribution: where',
    placeHolder: 'Where the credit is written',
    ignoreFocusOut: true,
  });
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
  if (!result)
    throw new CommandError(
      'put the cursor on an image that is a file of the site (a sidecar sits beside the image file; a web image needs a credit on the page).',
    );
  const target = vscode.Uri.parse(result.uri);
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder || !isInside(folder.uri, target))
    throw new CommandError(`${result.path} is outside the workspace folder; the sidecar was not written.`);
  if (await exists(target)) {
    if (existing === 'refuse')
      throw new CommandError(`${result.path} exists already (pass overwrite: true to replace it).`);
    if (existing === 'ask') {
      const replace = 'Replace';
      const answer = await vscode.window.showWarningMessage(
        `${result.path} exists already. Replace it with the new credit?`,
        { modal: true },
        replace,
      );
      if (answer !== replace) return undefined;
    }
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  if (existing === 'ask')
    void vscode.window.showInformationMessage(`Wrote the credit of ${result.imageUrl} to ${result.path}.`);
  return { title: `Write the credit to ${result.path}`, style: 'sidecar', text: result.text, uri: target.toString() };
}

function isInside(folder: vscode.Uri, target: vscode.Uri): boolean {
  if (folder.scheme !== target.scheme || folder.authority !== target.authority) return false;
  const base = folder.path.replace(/\/+$/, '') + '/';
  const path = target.path;
  return (
    path.startsWith(base) &&
    !path
      .slice(base.length)
      .split('/')
      .some((s) => s === '..' || s === '')
  );
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

async function pickLicense(
  ctx: CommandContext,
  known?: AttributionKnownRequest.Result['license'],
): Promise<string | undefined> {
  const licenses = await ctx.client.sendRequest(AttributionLicensesRequest.type);
  const other = { label: '$(edit) Another license…', detail: 'Type its name or SPDX id', id: '' };
  const items = licenses.map((l) => ({ label: l.label, description: l.id, detail: l.detail, id: l.id }));
  // The license the page already names (or implies) comes first, where the pick starts.
  if (known) {
    const at = items.findIndex((i) => i.id === known.id);
    const item =
      at >= 0 ? items.splice(at, 1)[0]! : { label: known.name, description: known.id, detail: '', id: known.id };
    items.unshift({
      ...item,
      detail: known.implied ? 'Implied by the platform the image comes from: check it' : 'Named on the page',
    });
  }
  const picked = await vscode.window.showQuickPick([...items, other], {
    title: 'Add attribution: license',
    placeHolder: 'The license the work is published under',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.id) return picked.id;
  return vscode.window.showInputBox({
    title: 'Add attribution: license',
    prompt: 'The license name or SPDX id (CC-BY-4.0, CC0-1.0, public domain…)',
    ignoreFocusOut: true,
  });
}

export interface ReportArgs {
  /** Show it rendered (default), or save it to a file. */
  readonly view?: 'preview' | 'save';
  /** Where to save it (a URI); without, the user picks. */
  readonly saveAs?: string;
}

export async function attributionReport(
  ctx: CommandContext,
  rawArgs?: unknown,
): Promise<{ readonly uri: string; readonly view: 'preview' | 'save' } | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as ReportArgs;
  requireRunning(ctx.client);
  const anchor = siteAnchor();
  let view = args.view;
  if (view !== undefined && view !== 'preview' && view !== 'save')
    throw new CommandError(`view must be 'preview' or 'save', not ${JSON.stringify(view)}.`);
  if (view === undefined) {
    const picked = await vscode.window.showQuickPick(
      [
        {
          label: '$(open-preview) Show the report',
          detail: 'Rendered in the Markdown preview; its links open the pages',
          view: 'preview' as const,
        },
        {
          label: '$(save) Save the report as…',
          detail: 'A Markdown file you name, e.g. a credits page of the site',
          view: 'save' as const,
        },
      ],
      { title: 'Attribution report', placeHolder: 'Show or save the report' },
    );
    if (!picked) return undefined;
    view = picked.view;
  }
  // Links as absolute URIs at the line: right wherever the file is (made relative below for a saved file).
  const { markdown } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Microsolidarity: attribution report' },
    () =>
      ctx.client.sendRequest(ReportRequest.type, {
        kind: 'attribution',
        absoluteLinks: true,
        ...(anchor ? { uri: anchor.toString() } : {}),
      }),
  );
  if (!markdown.trim()) throw new CommandError('no site to report on yet (is the folder still being read?).');

  if (view === 'preview') {
    // A file of the extension's own (never the workspace's): the preview renders it, and closing it asks nothing.
    const uri = vscode.Uri.joinPath(ctx.storage, 'Attribution report.md');
    await vscode.workspace.fs.createDirectory(ctx.storage);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return { uri: uri.toString(), view };
  }
  let target = stringArg(args.saveAs) !== undefined ? vscode.Uri.parse(args.saveAs!) : undefined;
  if (!target) {
    const folder = anchor ? vscode.workspace.getWorkspaceFolder(anchor) : vscode.workspace.workspaceFolders?.[0];
    target = await vscode.window.showSaveDialog({
      title: 'Save the attribution report',
      saveLabel: 'Save report',
      filters: { Markdown: ['md'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder.uri, 'ATTRIBUTION.md') } : {}),
    });
    if (!target) return undefined;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(relativeLinks(markdown, target)));
  await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  return { uri: target.toString(), view };
}

/** The report's links to pages (absolute URIs) made relative to the file it is saved in, where they can be. */
export function relativeLinks(markdown: string, file: vscode.Uri): string {
  const dir = vscode.Uri.joinPath(file, '..');
  return markdown.replace(/\]\(([a-z][a-z0-9+.-]*:[^)\s]*)\)/gi, (whole, target: string) => {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(target);
    } catch {
      return whole;
    }
    if (uri.scheme !== dir.scheme || uri.authority !== dir.authority) return whole;
    const from = dir.path.replace(/\/+$/, '').split('/');
    const to = uri.path.split('/');
    let common = 0;
    while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
    const rel = [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
    // `#L12` is VS Code's: a saved page keeps the plain path.
    return `](${encodeURI(rel)})`;
  });
}
