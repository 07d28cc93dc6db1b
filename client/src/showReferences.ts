import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Location, Position } from 'vscode-languageclient/node';

/**
 * `msol.showReferences(uri, position, locations)`: what the server's code
 * lenses on the proposal's headings run ("N pages link here"). The arguments
 * arrive as LSP JSON; VS Code's `editor.action.showReferences` needs its own
 * types, so they are converted here. Not in package.json: it is not meant for
 * the command palette.
 */
export const showReferencesCommand = 'msol.showReferences';

export function registerShowReferences(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(
    showReferencesCommand,
    async (uri: string, position: Position, locations: Location[]) => {
      const c = client.protocol2CodeConverter;
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        c.asUri(uri),
        c.asPosition(position),
        locations.map((l) => c.asLocation(l)),
      );
    },
  );
}
