import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import type { Finding, Logger, Project, TextEdit } from '../engine/index';
import { applyEdits, decodeUtf8, LineIndex } from '../engine/index';
import type { NodeFileSystem } from '../node/nodeFileSystem';

/**
 * `msol check --fix`: apply every finding's safe fix (never a suggestion), each
 * checked first on the page as it would be after it (Project.verifyFixes),
 * re-check, and repeat until nothing changes. Edits are the engine's smallest
 * edits on the file's own text; everything outside them (BOM, CRLF, the rest
 * of the bytes) is written back unchanged, and a file is written only when its
 * text changed.
 */

export const maxFixPasses = 10;

export interface FixOutcome {
  /** Fixes applied (one per finding). */
  fixes: number;
  /** Site paths written. */
  readonly files: Set<string>;
  passes: number;
  /** False when the last pass still changed something (the cap was hit). */
  settled: boolean;
}

/**
 * The edits of every fix that can be applied together: a fix is taken whole
 * or not at all, in the findings' order, and never when one of its edits
 * touches an edit already taken. What is left waits for the next pass.
 */
export function selectFixes(findings: readonly Finding[], textLength: number): { edits: TextEdit[]; count: number } {
  const taken: TextEdit[] = [];
  let count = 0;
  for (const f of findings) {
    const edits = f.fix?.edits;
    if (!edits?.length) continue;
    const valid = edits.every(
      (e) =>
        Number.isInteger(e.start) && Number.isInteger(e.end) && 0 <= e.start && e.start <= e.end && e.end <= textLength,
    );
    if (
      !valid ||
      edits.some((e, i) => edits.some((o, j) => j < i && conflicts(e, o))) ||
      edits.some((e) => taken.some((t) => conflicts(e, t)))
    )
      continue;
    taken.push(...edits);
    count++;
  }
  return { edits: taken, count };
}

/** Overlapping spans, or two edits at the same start (their order would be ambiguous). */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

export async function fixSite(
  project: Project,
  fs: NodeFileSystem,
  pages: readonly string[],
  logger: Logger,
): Promise<FixOutcome> {
  const outcome: FixOutcome = { fixes: 0, files: new Set(), passes: 0, settled: true };
  for (let pass = 1; pass <= maxFixPasses; pass++) {
    let changed = false;
    for (const path of pages) {
      const findings = project.check(path);
      if (!findings.some((f) => f.fix)) continue;
      const bytes = await fs.readFile(path);
      if (!bytes) continue;
      const decoded = decodeUtf8(bytes);
      if (!decoded.ok) continue;
      const facts = project.index.facts(path);
      if (!facts || !sameLines(facts.lineStarts, decoded.text)) {
        // The file changed on disk since it was checked: its offsets are stale, leave it alone.
        logger.log('warn', 'file changed during the run; not fixing it', { path });
        continue;
      }
      // Only fixes checked on the page as it would be after them (the engine's verifyFixes) are applied.
      const { edits, count } = selectFixes(project.verifyFixes(path, findings, decoded.text), decoded.text.length);
      const text = applyEdits(decoded.text, edits).text;
      if (text === decoded.text) continue;
      await writeInside(fs, path, new TextEncoder().encode(text));
      logger.log('info', `fixed ${count} problem(s)`, { path, pass });
      outcome.fixes += count;
      outcome.files.add(path);
      changed = true;
      await project.refreshFile(path);
    }
    if (!changed) {
      outcome.settled = true;
      break;
    }
    outcome.passes = pass;
    outcome.settled = false;
    // A fixed page may be a source of site knowledge (README, glossary): re-check what depended on it.
    await project.refreshStale();
  }
  return outcome;
}

function sameLines(lineStarts: readonly number[], text: string): boolean {
  const lines = new LineIndex(text);
  if (lines.lineCount !== lineStarts.length) return false;
  for (let i = 0; i < lineStarts.length; i++) if (lines.lineStart(i) !== lineStarts[i]) return false;
  return true;
}

/**
 * Writes a site file, refusing any path whose real location (symbolic links
 * resolved) is outside the site root. The new content goes to a temporary
 * file beside it that replaces the original in one rename, so an interrupted
 * run never leaves half a page; the original's permissions are kept.
 */
export async function writeInside(fs: NodeFileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const abs = fs.toAbsolute(path);
  if (!abs) throw new Error(`refusing to write outside the site: ${path}`);
  const realRoot = await fsp.realpath(fs.root);
  const real = await fsp.realpath(abs);
  const rel = nodePath.relative(realRoot, real);
  if (rel === '' || rel.startsWith('..') || nodePath.isAbsolute(rel))
    throw new Error(`refusing to write outside the site: ${path}`);
  const mode = (await fsp.stat(real)).mode & 0o7777;
  const tmp = nodePath.join(nodePath.dirname(real), `.${nodePath.basename(real)}.msol-${process.pid}.tmp`);
  try {
    await fsp.writeFile(tmp, bytes, { mode });
    await fsp.chmod(tmp, mode);
    await fsp.rename(tmp, real);
  } catch (error) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    // Some file systems refuse the rename (a file locked on Windows): write in place instead.
    await fsp.writeFile(real, bytes).catch(() => {
      throw error;
    });
  }
}
