/**
 * Registers the writing commands (palette category "Microsolidarity").
 * "Check Whole Site", "Restart Language Server" and "Open Settings" are
 * registered in extension.ts with the client's lifecycle.
 */
import * as vscode from 'vscode';
import { commands } from '../constants';
import { addAttribution, attributionReport } from './attribution';
import { guarded, type CommandContext } from './context';
import { showGlossary } from './glossary';
import { insertProposalLink, insertTermDefinition } from './insert';
import { newArticle } from './newArticle';

export function registerAuthoringCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      commands.newArticle,
      guarded(ctx, 'New article', (args?: unknown) => newArticle(ctx, args)),
    ),
    vscode.commands.registerCommand(
      commands.insertTermDefinition,
      guarded(ctx, 'Insert term definition', (args?: unknown) => insertTermDefinition(ctx, args)),
    ),
    vscode.commands.registerCommand(
      commands.insertProposalLink,
      guarded(ctx, 'Insert link to the proposal', (args?: unknown) => insertProposalLink(ctx, args)),
    ),
    vscode.commands.registerCommand(
      commands.addAttribution,
      guarded(ctx, 'Add attribution', (args?: unknown) => addAttribution(ctx, args)),
    ),
    vscode.commands.registerCommand(
      commands.attributionReport,
      guarded(ctx, 'Attribution report', (args?: unknown) => attributionReport(ctx, args)),
    ),
    vscode.commands.registerCommand(
      commands.showGlossary,
      guarded(ctx, 'Show glossary', (args?: unknown) => showGlossary(ctx, args)),
    ),
  ];
}
