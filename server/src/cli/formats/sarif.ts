import { pathToFileURL } from 'node:url';
import type { Finding, Severity, TextEdit } from '../../engine/index';
import { engineFindingIds, rules } from '../../engine/index';
import type { FileReport, Place, Report } from '../report';
import { displayPath, placeOf, placeOfSpan } from '../report';

/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`):
 * one run, the rule registry as `tool.driver.rules`, one result per finding
 * with a 1-based region relative to `%SRCROOT%` (the current folder), and the
 * safe fix as a SARIF `fix` when the file's text was read.
 */

export const sarifSchema = 'https://json.schemastore.org/sarif-2.1.0.json';
export const informationUri = 'https://github.com/microsolidarity/microsolidarity-authoring';

type Level = 'error' | 'warning' | 'note' | 'none';

function levelOf(severity: Severity): Level {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'off':
      return 'none';
    default:
      return 'note';
  }
}

interface RuleDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: Level; readonly enabled?: boolean };
  readonly properties: { readonly tags: readonly string[] };
}

/** The engine's own finding ids, described like rules so every result has a descriptor. */
const engineRules: ReadonlyArray<{ id: string; description: string; severity: Severity }> = [
  {
    id: engineFindingIds.configInvalid,
    description: 'The configuration (`.msolrc.json`, `.gitbook.yaml`) has a problem; the defaults apply to that part.',
    severity: 'error',
  },
  {
    id: engineFindingIds.fileUnreadable,
    description: 'A page could not be checked: unreadable, binary, not UTF-8, or larger than `maxFileSize`.',
    severity: 'warning',
  },
  {
    id: engineFindingIds.ruleCrashed,
    description: 'A rule failed on a page; the other rules still ran.',
    severity: 'error',
  },
];

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

export function ruleDescriptors(): RuleDescriptor[] {
  return [
    ...rules.map((r) => ({
      id: r.meta.id,
      name: pascal(r.meta.id),
      shortDescription: { text: r.meta.description },
      helpUri: r.meta.url,
      defaultConfiguration:
        r.meta.defaultSeverity === 'off'
          ? { level: 'none' as const, enabled: false }
          : { level: levelOf(r.meta.defaultSeverity) },
      properties: { tags: ['msol', r.meta.category] },
    })),
    ...engineRules.map((r) => ({
      id: r.id,
      name: pascal(r.id),
      shortDescription: { text: r.description },
      defaultConfiguration: { level: levelOf(r.severity) },
      properties: { tags: ['msol', 'engine'] },
    })),
  ];
}

/** A relative URI reference for a cwd-relative POSIX path: each segment percent-encoded. */
export function uriOf(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function region(p: Place) {
  return { startLine: p.start.line, startColumn: p.start.column, endLine: p.end.line, endColumn: p.end.column };
}

export function toSarif(report: Report) {
  const descriptors = ruleDescriptors();
  const indexOf = new Map(descriptors.map((d, i) => [d.id, i]));
  const results = [];
  for (const file of report.files) {
    for (const f of file.findings) {
      let ruleIndex = indexOf.get(f.ruleId);
      if (ruleIndex === undefined) {
        // An id the registry does not know (a newer engine): still a valid, self-described result.
        ruleIndex = descriptors.length;
        descriptors.push({
          id: f.ruleId,
          name: pascal(f.ruleId),
          shortDescription: { text: f.ruleId },
          defaultConfiguration: { level: levelOf(f.severity) },
          properties: { tags: ['msol'] },
        });
        indexOf.set(f.ruleId, ruleIndex);
      }
      results.push(result(report, file, f, ruleIndex));
    }
  }
  const cwdUri = pathToFileURL(report.cwd).href;
  return {
    $schema: sarifSchema,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'msol',
            fullName: 'Microsolidarity Authoring (msol)',
            informationUri,
            version: report.version,
            semanticVersion: report.version,
            rules: descriptors,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: cwdUri.endsWith('/') ? cwdUri : cwdUri + '/' } },
        columnKind: 'utf16CodeUnits' as const,
        results,
      },
    ],
  };
}

function result(report: Report, file: FileReport, f: Finding, ruleIndex: number) {
  const artifactLocation = { uri: uriOf(file.path), uriBaseId: '%SRCROOT%' };
  const fixes = f.fix ? sarifFix(file, f.fix.title, f.fix.edits, artifactLocation) : undefined;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: levelOf(f.severity),
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation, region: region(placeOf(file, f)) } }],
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, id) => ({
            id,
            message: { text: r.message },
            physicalLocation: {
              // Related paths are site-relative, in the finding's site.
              artifactLocation: { uri: uriOf(displayPath(report.cwd, file.siteRoot, r.path)), uriBaseId: '%SRCROOT%' },
              region: {
                startLine: r.range.start.line + 1,
                startColumn: r.range.start.character + 1,
                endLine: r.range.end.line + 1,
                endColumn: r.range.end.character + 1,
              },
            },
          })),
        }
      : {}),
    ...(fixes ? { fixes } : {}),
  };
}

function sarifFix(
  file: FileReport,
  title: string,
  edits: readonly TextEdit[],
  artifactLocation: { uri: string; uriBaseId: string },
) {
  const replacements = [];
  for (const e of edits) {
    const p = placeOfSpan(file, e);
    if (!p) return undefined;
    replacements.push({ deletedRegion: region(p), insertedContent: { text: e.newText } });
  }
  return [{ description: { text: title }, artifactChanges: [{ artifactLocation, replacements }] }];
}

export function formatSarif(report: Report): string {
  return JSON.stringify(toSarif(report), null, 2) + '\n';
}
