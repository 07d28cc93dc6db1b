/**
 * "Show Glossary": a searchable quick pick of the site's terms (term,
 * definition, where it is defined; picking one opens its definition), whose
 * first item opens the whole glossary as a Markdown document beside the
 * editor (the engine's glossary report: forms, case, uses).
 *
 * Without UI: `executeCommand('msol.showGlossary', { view: 'markdown' })`
 * returns the document; `{ term }` opens the term's definition and returns
 * its location; `{ view: 'list' }` returns the terms without showing anything.
 */
import * as vscode from 'vscode';
import { GlossaryRequest, ReportRequest } from '../../../server/src/protocol';
import {
  CommandError,
  requireRunning,
  showMarkdownBeside,
  siteAnchor,
  stringArg,
  type CommandContext,
} from './context';

export type ShowGlossaryResult = vscode.TextDocument | vscode.Location | readonly GlossaryRequest.Term[];

export async function showGlossary(ctx: CommandContext, rawArgs?: unknown): Promise<ShowGlossaryResult | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as { view?: unknown; term?: unknown };
  requireRunning(ctx.client);
  const anchor = siteAnchor();
  if (!anchor) throw new CommandError("open a page or the site's folder first.");
  const view = stringArg(args.view);
  if (view === 'markdown') return openMarkdown(ctx, anchor);

  const glossary = await ctx.client.sendRequest(GlossaryRequest.type, { uri: anchor.toString() });
  const terms = glossary?.terms ?? [];
  if (view === 'list') return terms;
  const wanted = stringArg(args.term);
  if (wanted !== undefined) {
    const t = terms.find(
      (x) =>
        x.term.toLowerCase() === wanted.trim().toLowerCase() ||
        x.forms.some((f) => f.toLowerCase() === wanted.trim().toLowerCase()),
    );
    if (!t) throw new CommandError(`no glossary term "${wanted}".`);
    return openDefinition(t);
  }

  type Item = vscode.QuickPickItem & { term?: GlossaryRequest.Term; markdown?: true };
  const items: Item[] = [
    {
      label: '$(markdown) Open the glossary as a Markdown document',
      detail: `${terms.length} term${terms.length === 1 ? '' : 's'}, with forms, case and uses`,
      markdown: true,
    },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    ...[...terms]
      .sort((a, b) => a.term.localeCompare(b.term))
      .map((t): Item => ({
        label: t.term,
        description: `${t.source.path}${t.source.kind === 'config' ? '' : `:${t.source.line + 1}`}`,
        detail: t.definition || t.text,
        term: t,
      })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: terms.length ? `Glossary: ${terms.length} term${terms.length === 1 ? '' : 's'}` : 'Glossary: no terms yet',
    placeHolder: 'Search terms and definitions',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.markdown) return openMarkdown(ctx, anchor);
  return picked.term ? openDefinition(picked.term) : undefined;
}

async function openMarkdown(ctx: CommandContext, anchor: vscode.Uri): Promise<vscode.TextDocument> {
  const { markdown } = await ctx.client.sendRequest(ReportRequest.type, { kind: 'glossary', uri: anchor.toString() });
  if (!markdown.trim())
    throw new CommandError('no site to read the glossary of yet (is the folder still being read?).');
  return showMarkdownBeside(markdown);
}

async function openDefinition(t: GlossaryRequest.Term): Promise<vscode.Location> {
  if (!t.source.uri)
    throw new CommandError(`"${t.term}" is defined in ${t.source.path} (glossary.terms), not on a page.`);
  const uri = vscode.Uri.parse(t.source.uri);
  const position = new vscode.Position(t.source.line, 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
  return new vscode.Location(uri, position);
}
