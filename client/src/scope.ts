import * as vscode from 'vscode';
import type { EnableMode } from '../../server/src/protocol';
import { enableModeFor } from './settings';

/**
 * Where this extension works: the sites it serves, and nowhere else. A
 * workspace folder is one when it holds `SUMMARY.md`, `.gitbook.yaml`,
 * `book.toml` or `.msolrc.json` at its root (the same markers as the CLI's,
 * server/src/node/siteRoot.ts), unless `msol.enable` is `off` for it; any
 * folder is when `msol.enable` is `on`. With no folder open, a Markdown page
 * below such a marker is. Outside its scope the extension starts no server,
 * shows no status bar item and reports nothing.
 */

/** The files whose presence makes a folder a site (server/src/node/siteRoot.ts `siteMarkers`). */
export const siteMarkers: readonly string[] = ['.msolrc.json', 'SUMMARY.md', '.gitbook.yaml', 'book.toml'];

export interface Scope {
  /** The workspace folders that are checked. */
  readonly folders: readonly vscode.WorkspaceFolder[];
  /** No folder is open and an open Markdown page lies below a site marker. */
  readonly loosePages: boolean;
}

export function isEmpty(scope: Scope): boolean {
  return scope.folders.length === 0 && !scope.loosePages;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function isSiteFolder(folder: vscode.Uri): Promise<boolean> {
  for (const m of siteMarkers) if (await exists(vscode.Uri.joinPath(folder, m))) return true;
  return false;
}

/** Whether a folder at or above `uri`'s folder holds a site marker. */
async function belowSite(uri: vscode.Uri): Promise<boolean> {
  let dir = vscode.Uri.joinPath(uri, '..');
  for (let depth = 0; depth < 64; depth++) {
    if (await isSiteFolder(dir)) return true;
    const up = vscode.Uri.joinPath(dir, '..');
    if (up.path === dir.path) return false;
    dir = up;
  }
  return false;
}

export async function computeScope(): Promise<Scope> {
  const workspace = vscode.workspace.workspaceFolders ?? [];
  if (workspace.length === 0) {
    if (enableModeFor(undefined) === 'off') return { folders: [], loosePages: false };
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === 'file' && doc.languageId === 'markdown' && (await belowSite(doc.uri)))
        return { folders: [], loosePages: true };
    }
    return { folders: [], loosePages: false };
  }
  const folders: vscode.WorkspaceFolder[] = [];
  for (const f of workspace) {
    const mode = enableModeFor(f.uri);
    if (mode === 'on' || (mode === 'auto' && (await isSiteFolder(f.uri)))) folders.push(f);
  }
  return { folders, loosePages: false };
}

/** `msol.enable` of each workspace folder that is not `auto`, for the server (InitializationOptions.enable). */
export function enableModes(): Record<string, EnableMode> {
  const out: Record<string, EnableMode> = {};
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    const mode = enableModeFor(f.uri);
    if (mode !== 'auto') out[f.uri.toString()] = mode;
  }
  return out;
}

/** Watches the site markers at each folder's root: one appearing or going away may change the scope. */
export function watchSiteMarkers(onChange: () => void): vscode.Disposable {
  const watchers: vscode.FileSystemWatcher[] = [];
  const rewatch = () => {
    for (const w of watchers.splice(0)) w.dispose();
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const w = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(f, `{${siteMarkers.join(',')}}`),
        false,
        true,
        false,
      );
      w.onDidCreate(onChange);
      w.onDidDelete(onChange);
      watchers.push(w);
    }
  };
  rewatch();
  const folders = vscode.workspace.onDidChangeWorkspaceFolders(rewatch);
  return new vscode.Disposable(() => {
    folders.dispose();
    for (const w of watchers) w.dispose();
  });
}
