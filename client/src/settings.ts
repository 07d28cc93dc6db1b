import * as vscode from 'vscode';
import type { EnableMode } from '../../server/src/protocol';
import { settings } from './constants';

/**
 * The extension's settings, typed once. Every key below is declared in
 * package.json `contributes.configuration` with the same default and scope;
 * the vscode tests compare the two. Read them with `settingsFor(resource)`:
 * most are resource-scoped, so a folder of a multi-root workspace may differ.
 */

export type RunMode = 'onType' | 'onSave';
export type UpdateLinksMode = 'never' | 'prompt' | 'always';

export interface MsolSettings {
  /** `msol.enable`: `auto` checks a folder that is a site, `on` any folder, `off` none. */
  readonly enable: EnableMode;
  /** `msol.run`: problems follow every keystroke, or only saved text. */
  readonly run: RunMode;
  /** `msol.proposal.path`: the proposal page for the insert commands and templates ('' → `.msolrc.json`). */
  readonly proposalPath: string;
  /** `msol.links.updateOnFileMove`: update links when a page moves. */
  readonly updateLinksOnFileMove: UpdateLinksMode;
  /** `msol.preview.enable`: render GitBook syntax and glossary terms in the Markdown preview. */
  readonly previewEnable: boolean;
  /** `msol.preview.allowRemoteContent`: let embeds and the pages' remote images load from the network (never scripts). */
  readonly previewAllowRemoteContent: boolean;
  /** `msol.templates.folder`: the site's own templates for "New article…", relative to the folder. */
  readonly templatesFolder: string;
}

/** Each setting's key under `msol.`, its default and its scope (package.json must agree). */
export const settingDeclarations = {
  enable: { key: 'enable', default: 'auto' as EnableMode, scope: 'resource' },
  run: { key: 'run', default: 'onType' as RunMode, scope: 'resource' },
  proposalPath: { key: 'proposal.path', default: '', scope: 'resource' },
  updateLinksOnFileMove: { key: 'links.updateOnFileMove', default: 'prompt' as UpdateLinksMode, scope: 'resource' },
  previewEnable: { key: 'preview.enable', default: true, scope: 'resource' },
  previewAllowRemoteContent: { key: 'preview.allowRemoteContent', default: false, scope: 'resource' },
  templatesFolder: { key: 'templates.folder', default: '.msol/templates', scope: 'resource' },
} as const satisfies Record<keyof MsolSettings, { key: string; default: unknown; scope: 'resource' | 'window' }>;

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** All settings for a resource (a document or a folder); without one, the window's. */
export function settingsFor(resource: vscode.Uri | undefined): MsolSettings {
  const c = vscode.workspace.getConfiguration(settings.section, resource ?? null);
  const d = settingDeclarations;
  const bool = (s: { key: string; default: boolean }) => {
    const v = c.get<unknown>(s.key);
    return typeof v === 'boolean' ? v : s.default;
  };
  const str = (s: { key: string; default: string }) => {
    const v = c.get<unknown>(s.key);
    return typeof v === 'string' ? v : s.default;
  };
  return {
    enable: enableModeOf(c.get(d.enable.key)),
    run: oneOf(c.get(d.run.key), ['onType', 'onSave'], d.run.default),
    proposalPath: str(d.proposalPath),
    updateLinksOnFileMove: oneOf(
      c.get(d.updateLinksOnFileMove.key),
      ['never', 'prompt', 'always'],
      d.updateLinksOnFileMove.default,
    ),
    previewEnable: bool(d.previewEnable),
    previewAllowRemoteContent: bool(d.previewAllowRemoteContent),
    templatesFolder: str(d.templatesFolder),
  };
}

/** `msol.enable` as written: `auto`, `on` or `off` (a boolean from before it had three values: `true` is `auto`, `false` is `off`). */
export function enableModeOf(value: unknown): EnableMode {
  if (value === 'on' || value === 'off' || value === 'auto') return value;
  return value === false ? 'off' : 'auto';
}

/** `msol.enable` for a resource. Without a resource: the window-level value (user or workspace settings). */
export function enableModeFor(resource: vscode.Uri | undefined): EnableMode {
  return enableModeOf(
    vscode.workspace.getConfiguration(settings.section, resource ?? null).get<unknown>(settings.enable),
  );
}

/** Whether a folder turned the checks off (`msol.enable: off`). Whether a folder is checked at all is the scope's question (scope.ts). */
export function isEnabledFor(resource: vscode.Uri | undefined): boolean {
  return enableModeFor(resource) !== 'off';
}
