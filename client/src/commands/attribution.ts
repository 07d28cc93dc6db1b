/**
 * "Add Attribution…" (Title, Author, Source URL, License → a complete
 * Creative Commons credit after the image at the cursor: its figure caption,
 * or an italic line) and "Attribution Report" (the site's report as a
 * Markdown document beside the editor). The server makes both
 * (engine/features/attribution.ts).
 *
 * Without UI: `executeCommand('msol.addAttribution', { title, author,
 * sourceUrl, license })` returns `{ title, style, text }`;
 * `executeCommand('msol.attributionReport')` returns the report's document.
 */
import * as vscode from 'vscode';
import { AddAttributionRequest, AttributionLicensesRequest, ReportRequest } from '../../../server/src/protocol';
import { CommandError, requireMarkdownEditor, requireRunning, showMarkdownBeside, siteAnchor, stringArg, toRange, type CommandContext } from './context';

export interface AttributionArgs {
  readonly title?: string;
  readonly author?: string;
  readonly sourceUrl?: string;
  readonly license?: string;
}

export interface AttributionResult {
  readonly title: string;
  readonly style: 'caption' | 'line';
  /** The credit as written into the page. */
  readonly text: string;
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
