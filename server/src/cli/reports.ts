import { statSync } from 'node:fs';
import { readConfigFile } from './configFile';
import * as nodePath from 'node:path';
import { parseArgs } from 'node:util';
import {
  decodeUtf8,
  engineFindingIds,
  formatLinksJson,
  formatLinksText,
  linksReport,
  Project,
  type LogLevel,
} from '../engine/index';
import {
  collectTermUses,
  formatGlossaryJson,
  formatGlossaryMarkdown,
  glossaryReport,
} from '../engine/features/glossary';
import {
  attributionReport,
  formatAttributionCsv,
  formatAttributionJson,
  formatAttributionMarkdown,
} from '../engine/features/attribution';
import { applyGitHistory } from '../node/gitHistory';
import { NodeFileSystem } from '../node/nodeFileSystem';
import { isLogLevel, StderrLogger } from './logger';
import { findSiteRoot } from './sites';

/**
 * The report commands: `msol links`, `msol glossary`, `msol attribution`.
 * Each reads one site and prints what the engine knows about it with the
 * engine's own formatters (engine/links/report.ts, engine/features/
 * glossary.ts, engine/features/attribution.ts). Parsing is pure (testable
 * without a process); `runReport` does the I/O.
 */

export const reportCommands = ['links', 'glossary', 'attribution'] as const;
export type ReportCommandName = (typeof reportCommands)[number];

export const reportFormats: Record<ReportCommandName, readonly string[]> = {
  links: ['text', 'json'],
  glossary: ['md', 'json'],
  attribution: ['md', 'json', 'csv'],
};

export interface ReportOptions {
  readonly command: ReportCommandName;
  /** The site, or a page or folder inside it (default: .). */
  readonly path: string;
  readonly format: string;
  readonly config?: string;
  readonly root?: string;
  readonly verbose: boolean;
}

export type ReportCommand =
  | { readonly kind: 'report'; readonly options: ReportOptions }
  | { readonly kind: 'report-help'; readonly command: ReportCommandName };

const what: Record<ReportCommandName, string> = {
  links: `Prints the site's link graph in numbers and lists: pages, links (local,
to the site's own URL, to copies of the proposal, external), broken links,
pages SUMMARY.md does not list, and pages from which no chain of links
reaches the proposal.`,
  glossary: `Prints the glossary the checks use: every term with its forms, case
policy, definition, where it is defined (file:line), how often it is used and
on which pages. Terms come from GLOSSARY.md, the "Definition of terms"
sections of README.md and the proposal, and glossary.terms in .msolrc.json.`,
  attribution: `Prints the attribution report: every asset and third-party quote with its
credit (Title, Author, Source, License), its compatibility with the site's
license and the pages using it, then every page with its author(s). The
Markdown form suits a credits page; csv and json suit spreadsheets and CI.`,
};

const scopeNote: Record<ReportCommandName, string> = {
  links: "A page or folder inside a site limits the lists to it (the graph is still the whole site's).",
  glossary: "A page or folder inside a site reports that site's whole glossary.",
  attribution: 'A page or folder inside a site limits the report to its pages.',
};

export function reportHelp(command: ReportCommandName): string {
  const formats = reportFormats[command];
  return `Usage: msol ${command} [path] [options]

${what[command]}

Path (default: .)
  A site folder (one holding .msolrc.json, SUMMARY.md or .gitbook.yaml, or
  any folder), or a page or folder inside a site: the site is the nearest
  folder above it that holds one of those files.
  ${scopeNote[command]}

Options
  -f, --format <name>   ${formats.join(', ')} (default: ${formats[0]})
  -c, --config <file>   read this file instead of the site's .msolrc.json
      --root <dir>      the site root (the path must lie inside it)
  -v, --verbose         log progress on stderr
  -h, --help            show this help

Exit codes
  0  the report was printed
  2  usage error, missing path or invalid configuration (the report is still
     printed, made with the defaults for the invalid parts)
`;
}

export function isReportCommand(name: string | undefined): name is ReportCommandName {
  return (reportCommands as readonly string[]).includes(name ?? '');
}

/**
 * The report command an argument list names, or undefined when its first
 * positional argument is not one (`msol check …` and the rest are args.ts's).
 */
export function parseReportCommandLine(
  argv: readonly string[],
): ReportCommand | { readonly kind: 'usage-error'; readonly message: string } | undefined {
  const options = {
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    root: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  // Find the command the way a strict parse would (option values are not positionals), without failing on check's options.
  const loose = parseArgs({ args: [...argv], allowPositionals: true, strict: false, options });
  const command = loose.positionals[0];
  if (!isReportCommand(command)) return undefined;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    return { kind: 'usage-error', message: `${command}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const v = parsed.values;
  if (v.help) return { kind: 'report-help', command };
  const paths = parsed.positionals.slice(1);
  if (paths.length > 1)
    return { kind: 'usage-error', message: `${command} takes one path, got ${paths.length}: ${paths.join(' ')}` };
  const formats = reportFormats[command];
  const format = v.format ?? formats[0]!;
  if (!formats.includes(format))
    return {
      kind: 'usage-error',
      message: `${command}: unknown format \`${format}\`; expected one of ${formats.join(', ')}`,
    };
  for (const [name, value] of [
    ['config', v.config],
    ['root', v.root],
    ['format', v.format],
  ] as const) {
    if (value !== undefined && value.trim() === '')
      return { kind: 'usage-error', message: `${command}: --${name} expects a value` };
  }
  return {
    kind: 'report',
    options: {
      command,
      path: paths[0] ?? '.',
      format,
      ...(v.config !== undefined ? { config: v.config } : {}),
      ...(v.root !== undefined ? { root: v.root } : {}),
      verbose: v.verbose ?? false,
    },
  };
}

export interface ReportHost {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

class UsageError extends Error {}

function isInside(root: string, abs: string): boolean {
  const rel = nodePath.relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel));
}

function statOf(abs: string) {
  try {
    return statSync(abs);
  } catch {
    return undefined;
  }
}

/** The site root and the site-relative scope ('' = the whole site) a path names. */
export function resolveReportSite(
  path: string,
  cwd: string,
  root?: string,
): { readonly root: string; readonly scope: string } {
  const abs = nodePath.resolve(cwd, path);
  const st = statOf(abs);
  if (!st) throw new UsageError(`no such file or folder: ${path}`);
  if (!st.isDirectory() && !st.isFile()) throw new UsageError(`not a file or folder: ${path}`);
  let siteRoot: string;
  if (root !== undefined) {
    siteRoot = nodePath.resolve(cwd, root);
    const rs = statOf(siteRoot);
    if (!rs) throw new UsageError(`--root: no such folder: ${root}`);
    if (!rs.isDirectory()) throw new UsageError(`--root: not a folder: ${root}`);
    if (!isInside(siteRoot, abs)) throw new UsageError(`${path} is outside the site root given by --root (${root})`);
  } else if (st.isDirectory()) {
    siteRoot = findSiteRoot(abs) ?? abs;
  } else {
    const dir = nodePath.dirname(abs);
    siteRoot = findSiteRoot(dir) ?? (isInside(cwd, abs) ? nodePath.resolve(cwd) : dir);
  }
  return { root: siteRoot, scope: nodePath.relative(siteRoot, abs).split(nodePath.sep).join('/') };
}

/** Runs a report command; returns the exit code. */
export async function runReport(options: ReportOptions, host: ReportHost): Promise<number> {
  const fromEnv = host.env['MSOL_LOG']?.toLowerCase();
  const level: LogLevel = isLogLevel(fromEnv) ? fromEnv : options.verbose ? 'info' : 'warn';
  const logger = new StderrLogger({ level, write: host.stderr });
  let site: { root: string; scope: string };
  let configText: { path: string; text: string } | undefined;
  try {
    site = resolveReportSite(options.path, host.cwd, options.root);
    if (options.config !== undefined) configText = await readConfig(options.config, host.cwd, site.root);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    host.stderr(`msol: ${error.message}\n`);
    return 2;
  }
  const fs = new NodeFileSystem(site.root, logger);
  const project = new Project({ fs, logger, ...(configText ? { configText } : {}) });
  logger.log('info', `reading site for msol ${options.command}`, { root: site.root, scope: site.scope });
  await project.initialize();
  await applyGitHistory(project, site.root, logger);
  await project.refreshStale();
  // The scope as the engine names paths: relative to the folder, like every site path.
  const scope = site.scope;
  host.stdout(await render(options, project, fs, scope));
  const configProblems = project.configFindings.filter((f) => f.ruleId === engineFindingIds.configInvalid);
  for (const f of configProblems)
    host.stderr(`msol: ${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.message}\n`);
  // A warning (an `ignore` pattern that matches nothing) is told, but the configuration is still valid.
  if (configProblems.some((f) => f.severity === 'error')) {
    host.stderr('msol: the configuration is invalid; the report used the defaults for the invalid parts\n');
    return 2;
  }
  return 0;
}

async function render(options: ReportOptions, project: Project, fs: NodeFileSystem, scope: string): Promise<string> {
  switch (options.command) {
    case 'links': {
      const report = linksReport(project, { scope });
      return options.format === 'json' ? formatLinksJson(report) : formatLinksText(report);
    }
    case 'glossary': {
      // Term uses of pages the engine did not memoise are counted from their text.
      const texts = new Map<string, string>();
      for (const page of collectTermUses(project).unread) {
        const bytes = await fs.readFile(page);
        const decoded = bytes ? decodeUtf8(bytes) : undefined;
        if (decoded?.ok) texts.set(page, decoded.text.replace(/^\uFEFF/, ''));
      }
      const report = glossaryReport(project, (p) => texts.get(p));
      return options.format === 'json' ? formatGlossaryJson(report) : formatGlossaryMarkdown(report);
    }
    case 'attribution': {
      const report = attributionReport(project.index, { scope });
      return options.format === 'json'
        ? formatAttributionJson(report)
        : options.format === 'csv'
          ? formatAttributionCsv(report)
          : formatAttributionMarkdown(report);
    }
  }
}

async function readConfig(config: string, cwd: string, root: string): Promise<{ path: string; text: string }> {
  const read = await readConfigFile(config, cwd);
  if ('error' in read) throw new UsageError(read.error);
  return { path: nodePath.relative(root, read.absolute).split(nodePath.sep).join('/'), text: read.text };
}
