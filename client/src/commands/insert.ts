/**
 * "Insert Term Definition…" and "Insert Link to the Proposal…": the server
 * says what to insert (engine/features/glossary.ts and links.ts, with links
 * relative to the page); the command picks and inserts at the cursor.
 *
 * Without UI: `executeCommand('msol.insertTermDefinition', { term, kind })`
 * (kind: sentence | link | hint) and `executeCommand('msol.insertProposalLink',
 * { section })` (the page's title or '' for the whole page, a heading's text
 * or its slug). Both return `{ text, range }` of what was inserted.
 */
import * as vscode from 'vscode';
import { ProposalSectionsRequest, TermInsertionsRequest } from '../../../server/src/protocol';
import {
  CommandError,
  insertAtSelection,
  requireMarkdownEditor,
  requireRunning,
  stringArg,
  type CommandContext,
} from './context';

export interface Inserted {
  readonly text: string;
  readonly range: vscode.Range;
}

type Kind = TermInsertionsRequest.Insertion['kind'];

export async function insertTermDefinition(ctx: CommandContext, rawArgs?: unknown): Promise<Inserted | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as { term?: unknown; kind?: unknown };
  requireRunning(ctx.client);
  const editor = requireMarkdownEditor();
  const choices = await ctx.client.sendRequest(TermInsertionsRequest.type, { uri: editor.document.uri.toString() });
  if (choices.length === 0)
    throw new CommandError(
      'the site has no glossary terms yet (a "Definition of terms" section in README.md, a GLOSSARY.md, or glossary.terms in .msolrc.json).',
    );

  const wanted = stringArg(args.term);
  let choice: TermInsertionsRequest.Choice | undefined;
  if (wanted !== undefined) {
    choice = choices.find((c) => c.term.toLowerCase() === wanted.trim().toLowerCase());
    if (!choice)
      throw new CommandError(`no glossary term "${wanted}" (have: ${choices.map((c) => c.term).join(', ')}).`);
  } else {
    // The term under the cursor (the context menu's case) comes first, where the pick starts.
    const at = editor.document.getWordRangeAtPosition(editor.selection.active, /[\p{L}\p{N}][\p{L}\p{N}'’-]*/u);
    const word = at ? editor.document.getText(at).toLowerCase() : '';
    const here = word
      ? choices.findIndex(
          (c) => c.term.toLowerCase() === word || c.term.toLowerCase() === word.replace(/(?:'s|’s|s)$/, ''),
        )
      : -1;
    const ordered = here > 0 ? [choices[here]!, ...choices.filter((_, i) => i !== here)] : choices;
    const picked = await vscode.window.showQuickPick(
      ordered.map((c) => ({ label: c.term, detail: c.detail, choice: c })),
      { title: 'Insert term definition', placeHolder: 'A glossary term', matchOnDetail: true },
    );
    if (!picked) return undefined;
    choice = picked.choice;
  }

  const kind = stringArg(args.kind) as Kind | undefined;
  let insertion: TermInsertionsRequest.Insertion | undefined;
  if (kind !== undefined) {
    insertion = choice.insertions.find((i) => i.kind === kind);
    if (!insertion)
      throw new CommandError(
        `"${choice.term}" cannot be inserted as ${kind} (can: ${choice.insertions.map((i) => i.kind).join(', ')}).`,
      );
  } else {
    const picked = await vscode.window.showQuickPick(
      choice.insertions.map((i) => ({ label: i.label, detail: i.text.replace(/\s*\n\s*/g, ' ⏎ '), insertion: i })),
      { title: `Insert term definition: ${choice.term}`, placeHolder: 'What to insert' },
    );
    if (!picked) return undefined;
    insertion = picked.insertion;
  }

  let text = insertion.text;
  if (insertion.kind === 'hint') text = asOwnBlock(editor, text);
  const range = await insertAtSelection(editor, text);
  return { text, range };
}

export async function insertProposalLink(ctx: CommandContext, rawArgs?: unknown): Promise<Inserted | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as { section?: unknown };
  requireRunning(ctx.client);
  const editor = requireMarkdownEditor();
  const result = await ctx.client.sendRequest(ProposalSectionsRequest.type, { uri: editor.document.uri.toString() });
  if (!result || result.choices.length === 0) {
    throw new CommandError(
      `the site has no proposal page at ${result?.proposalPath ?? 'articles/proposal.md'} (msol.proposal.path, or site.proposal in .msolrc.json).`,
    );
  }
  const wanted = stringArg(args.section);
  let choice: ProposalSectionsRequest.Choice | undefined;
  if (wanted !== undefined) {
    const w = wanted.trim().toLowerCase().replace(/^#/, '');
    choice = w === '' ? result.choices[0] : result.choices.find((c) => c.label.toLowerCase() === w || c.slug === w);
    if (!choice) throw new CommandError(`the proposal has no section "${wanted}".`);
  } else {
    const picked = await vscode.window.showQuickPick(
      result.choices.map((c) => ({
        label: `${c.depth === 0 ? '$(book)' : '\u2003'.repeat(Math.max(0, c.depth - 2)) + '$(symbol-string)'} ${c.label}`,
        description: c.url,
        ...(c.linkedFrom ? { detail: `linked from ${c.linkedFrom} page${c.linkedFrom === 1 ? '' : 's'}` } : {}),
        choice: c,
      })),
      {
        title: 'Insert link to the proposal',
        placeHolder: 'The proposal, or one of its sections',
        matchOnDescription: true,
      },
    );
    if (!picked) return undefined;
    choice = picked.choice;
  }
  // A selection becomes the link's text.
  const selected = editor.document.getText(editor.selection);
  const text =
    selected.trim() && !selected.includes('\n')
      ? `[${selected.replace(/([\\[\]])/g, '\\$1')}](${choice.url})`
      : choice.markdown;
  const range = await insertAtSelection(editor, text);
  return { text, range };
}

/** A block (a hint) goes on lines of its own, with blank lines around it. */
function asOwnBlock(editor: vscode.TextEditor, text: string): string {
  const doc = editor.document;
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const start = editor.selection.start;
  const end = editor.selection.end;
  const before = doc.lineAt(start.line).text.slice(0, start.character);
  const after = doc.lineAt(end.line).text.slice(end.character);
  let body = text.replace(/\r?\n/g, eol).replace(new RegExp(`(?:${eol})+$`), '');
  if (before.trim()) body = eol + eol + body;
  else if (start.line > 0 && doc.lineAt(start.line - 1).text.trim()) body = eol + body;
  body += after.trim() ? eol + eol : eol;
  return body;
}
