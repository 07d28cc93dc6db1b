import * as vscode from 'vscode';
import { settings } from './constants';

/**
 * Whether the checks are on for a resource (`msol.enable`, scope resource).
 * Without a resource: the window-level value (user or workspace settings).
 */
export function isEnabledFor(resource: vscode.Uri | undefined): boolean {
  return vscode.workspace.getConfiguration(settings.section, resource ?? null).get<boolean>(settings.enable, true);
}

/**
 * Whether the language server should run at all: the checks are on for at
 * least one workspace folder, or, with no folder open, in the window.
 */
export function isEnabledAnywhere(): boolean {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return isEnabledFor(undefined);
  return folders.some((f) => isEnabledFor(f.uri));
}
