import type { WorkspaceIndex } from '../workspace';
import { parseLocalUrl } from '../facts';
import { mergeCredits, type Credit } from './credit';
import { normaliseLicense } from './license';
import { attributionSettings, type AssetRecordSetting } from './settings';

/**
 * Per-asset records: a REUSE sidecar `NAME.license` beside the asset
 * (`SPDX-FileCopyrightText:` and `SPDX-License-Identifier:` lines, plus
 * optional `Title:` and `Source:`), or an entry under `attribution.assets` in
 * `.msolrc.json`. Recorded once, trusted on every page that uses the asset.
 *
 * The Project reads sidecar files (through its FileSystem) into the store
 * below; nothing here does I/O.
 */

export interface AssetRecord {
  /** The asset's site path or URL. */
  readonly key: string;
  readonly origins: readonly ('sidecar' | 'config')[];
  readonly credit: Credit;
  readonly thirdParty?: boolean;
  /** Where the sidecar is, when there is one. */
  readonly sidecarPath?: string;
}

const sidecarTexts = new WeakMap<WorkspaceIndex, Map<string, string>>();
const generations = new WeakMap<WorkspaceIndex, number>();

/** Bumped whenever records or commit authors change: caches of judgements key on it with the index's revision. */
export function recordGeneration(index: WorkspaceIndex): number {
  return generations.get(index) ?? 0;
}
function bump(index: WorkspaceIndex): void {
  generations.set(index, recordGeneration(index) + 1);
}
const parsedSidecars = new Map<string, Credit | undefined>();

/** REUSE's convention: `image.jpg.license` holds the license of `image.jpg`. */
export function isSidecarPath(path: string): boolean {
  return /[^/]\.license$/i.test(path);
}

/** The host (through the Project) hands over a sidecar's text, or undefined when it is gone. */
export function setSidecarText(index: WorkspaceIndex, path: string, text: string | undefined): void {
  let m = sidecarTexts.get(index);
  if (!m) sidecarTexts.set(index, (m = new Map()));
  if (m.get(path) === text) return;
  if (text === undefined) m.delete(path);
  else m.set(path, text);
  bump(index);
}

/** Reads a sidecar's lines into a credit. */
export function parseSidecar(text: string): Credit | undefined {
  if (parsedSidecars.has(text)) return parsedSidecars.get(text);
  const holders: string[] = [];
  let licenseText: string | undefined;
  let title: string | undefined;
  let source: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw
      .replace(/^\s*(?:#|\/\/|<!--|\*|;)\s?/, '')
      .replace(/\s*-->\s*$/, '')
      .trim();
    const m = /^(SPDX-FileCopyrightText|SPDX-License-Identifier|SPDX-FileContributor|Title|Source)\s*:\s*(.*)$/i.exec(
      line,
    );
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'spdx-filecopyrighttext' || key === 'spdx-filecontributor') {
      const contact = /<([^>]+)>/.exec(value)?.[1];
      const holder = value
        .replace(/<[^>]*>/g, '')
        .replace(/^(?:©|\(c\)|copyright)\s*/i, '')
        .replace(/^\d{4}(?:\s*[-–]\s*\d{4})?,?\s*/, '')
        .trim();
      if (holder && key === 'spdx-filecopyrighttext') holders.push(holder);
      if (!source && contact && /^https?:\/\//i.test(contact)) source = contact;
    } else if (key === 'spdx-license-identifier') licenseText = value;
    else if (key === 'title') title = value;
    else if (key === 'source') source = value;
  }
  const credit: Credit | undefined =
    holders.length || licenseText || title || source
      ? {
          origin: 'sidecar',
          text: text.trim(),
          ...(title ? { title } : {}),
          ...(holders.length ? { author: holders.join(', ') } : {}),
          ...(source ? { source } : {}),
          ...(licenseText ? { license: normaliseLicense(licenseText) } : {}),
        }
      : undefined;
  if (parsedSidecars.size > 1000) parsedSidecars.clear();
  parsedSidecars.set(text, credit);
  return credit;
}

function configCredit(r: AssetRecordSetting): Credit | undefined {
  if (!r.title && !r.author && !r.source && !r.license) return undefined;
  return {
    origin: 'config',
    text: [r.title, r.author, r.source, r.license].filter(Boolean).join(', '),
    ...(r.title ? { title: r.title } : {}),
    ...(r.author ? { author: r.author } : {}),
    ...(r.source ? { source: r.source } : {}),
    ...(r.license ? { license: normaliseLicense(r.license) } : {}),
  };
}

/** The key an image is recorded under: its site path for local files, its URL for remote ones. */
export function assetKey(index: WorkspaceIndex, fromPath: string, url: string): { key: string; local: boolean } {
  const res = index.resolve(fromPath, url);
  if (res.kind === 'local') return { key: res.path, local: true };
  const local = parseLocalUrl(url) !== undefined;
  return { key: url.trim(), local };
}

/** The record of an asset (config entry over sidecar, field by field), if any. */
export function assetRecord(index: WorkspaceIndex, key: string): AssetRecord | undefined {
  const settings = attributionSettings(index.config);
  const setting = settings.assets[key] ?? settings.assets[`./${key}`];
  const sidecarPath = `${key}.license`;
  const sidecarText = sidecarTexts.get(index)?.get(sidecarPath);
  const fromSidecar = sidecarText !== undefined && index.hasFile(sidecarPath) ? parseSidecar(sidecarText) : undefined;
  const fromConfig = setting ? configCredit(setting) : undefined;
  if (!fromSidecar && !fromConfig && setting?.thirdParty === undefined) return undefined;
  const parts = [fromConfig, fromSidecar].filter((c): c is Credit => c !== undefined);
  const merged = mergeCredits(parts);
  const { origins: _origins, ...fields } = merged;
  void _origins;
  return {
    key,
    origins: [...(fromConfig || setting ? (['config'] as const) : []), ...(fromSidecar ? (['sidecar'] as const) : [])],
    credit: { origin: fromConfig ? 'config' : 'sidecar', text: parts.map((p) => p.text).join('\n'), ...fields },
    ...(setting?.thirdParty !== undefined ? { thirdParty: setting.thirdParty } : {}),
    ...(fromSidecar ? { sidecarPath } : {}),
  };
}

/** Text content of a sidecar `.license` file for an asset (REUSE format, plus Title and Source). */
export function sidecarContent(input: {
  readonly title?: string;
  readonly author?: string;
  readonly source?: string;
  readonly license: string;
  readonly year?: number;
}): string {
  const lines: string[] = [];
  if (input.author)
    lines.push(
      `SPDX-FileCopyrightText: ${input.year ? `${input.year} ` : ''}${input.author}${input.source ? ` <${input.source}>` : ''}`,
    );
  lines.push(`SPDX-License-Identifier: ${normaliseLicense(input.license).id || input.license}`);
  if (input.title) lines.push(`Title: ${input.title}`);
  if (input.source) lines.push(`Source: ${input.source}`);
  return lines.join('\n') + '\n';
}
