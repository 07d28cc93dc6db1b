import { writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { Finding, LogLevel } from '../engine/index';
import {
  applyFixVerdicts,
  decodeUtf8,
  describeSite,
  engineFindingIds,
  fixVerdictsOf,
  formatSiteDescription,
  LineIndex,
  Project,
} from '../engine/index';
import { applyGitHistory, outsideEveryRepository, readGitHistory } from '../node/gitHistory';
import { NodeFileSystem } from '../node/nodeFileSystem';
import type { CheckOptions, Format } from './args';
import { helpText, parseCommandLine } from './args';
import { fixSite, maxFixPasses } from './fixer';
import { BulkPhaseOne, defaultWorkerCount, defaultWorkerPath } from '../node/bulk';
import { cacheSigning, defaultCacheLocation, PhaseOneCache } from '../node/cache';
import { reportHelp, runReport } from './reports';
import { readConfigFile } from './configFile';
import { formatGithub } from './formats/github';
import { formatJson } from './formats/json';
import { formatMarkdown } from './formats/markdown';
import { formatSarif } from './formats/sarif';
import { formatStylish } from './formats/stylish';
import { isLogLevel, StderrLogger } from './logger';
import type { FileReport, Report } from './report';
import { displayPath, plural, totals } from './report';
import { isTargeted, resolveTargets, TargetError, type SiteTarget } from './sites';

/**
 * `msol`: the command line as a function of its arguments and a few host
 * streams, returning the exit code. main.ts binds it to the process.
 */

export const exitCodes = { ok: 0, problems: 1, failure: 2 } as const;

export interface CliHost {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly version: string;
}

export async function runCli(argv: readonly string[], host: CliHost): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      host.stdout(helpText);
      return exitCodes.ok;
    case 'version':
      host.stdout(host.version + '\n');
      return exitCodes.ok;
    case 'usage-error':
      host.stderr(`msol: ${command.message}\nRun \`msol --help\` for usage.\n`);
      return exitCodes.failure;
    case 'check':
      return check(command.options, host);
    case 'report':
      return runReport(command.options, host);
    case 'report-help':
      host.stdout(reportHelp(command.command));
      return exitCodes.ok;
  }
}

function logLevelFor(options: CheckOptions, env: CliHost['env']): LogLevel {
  const fromEnv = env['MSOL_LOG']?.toLowerCase();
  if (isLogLevel(fromEnv)) return fromEnv;
  return options.verbose ? 'info' : 'warn';
}

export function useColor(options: Pick<CheckOptions, 'color'>, host: Pick<CliHost, 'env' | 'stdoutIsTTY'>): boolean {
  if (options.color !== undefined) return options.color;
  if (host.env['NO_COLOR']) return false;
  const force = host.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return host.stdoutIsTTY;
}

interface SiteResult {
  readonly files: FileReport[];
  readonly fixes: number;
  readonly fixedFiles: number;
  readonly settled: boolean;
}

async function check(options: CheckOptions, host: CliHost): Promise<number> {
  const logger = new StderrLogger({ level: logLevelFor(options, host.env), write: host.stderr });
  let targets: SiteTarget[];
  try {
    targets = resolveTargets(options.paths, host.cwd, options.root);
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    host.stderr(`msol: ${error.message}\n`);
    return exitCodes.failure;
  }

  let config: { readonly absolute: string; readonly text: string } | undefined;
  if (options.config !== undefined) {
    const read = await readConfigFile(options.config, host.cwd);
    if ('error' in read) {
      host.stderr(`msol: ${read.error}\n`);
      return exitCodes.failure;
    }
    config = read;
  }

  const files = new Map<string, FileReport>();
  let internalFailure = false;
  let fixes = 0;
  let fixedFiles = 0;
  let settled = true;
  for (const target of targets) {
    let result: SiteResult;
    try {
      result = await checkSite(target, options, host, logger, config);
    } catch (error) {
      // The engine reports content problems as findings; reaching here is a bug. Say so, and keep going with the next site.
      logger.log('error', `internal error while checking ${displayPath(host.cwd, target.root, '')}`, {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      internalFailure = true;
      continue;
    }
    fixes += result.fixes;
    fixedFiles += result.fixedFiles;
    settled &&= result.settled;
    for (const f of result.files) {
      // Overlapping sites (`msol check . sub`): a file is reported once, by the first site that checked it.
      if (!files.has(f.absolutePath)) files.set(f.absolutePath, f);
    }
  }

  const all = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const t = totals(all);
  // A config-invalid warning (an `ignore` pattern that matches nothing) is a finding like any other, not an invalid configuration.
  const configInvalid = all.some((f) =>
    f.findings.some((x) => x.ruleId === engineFindingIds.configInvalid && x.severity === 'error'),
  );
  const shown = options.quiet
    ? all.map((f) => ({ ...f, findings: f.findings.filter((x) => x.severity === 'error') }))
    : all;
  const report: Report = { cwd: host.cwd, files: shown, version: host.version };
  host.stdout(format(options.format, report, options, host));
  for (const output of options.outputs) {
    try {
      await writeFile(
        nodePath.resolve(host.cwd, output.file),
        format(output.format, report, { ...options, color: false }, host),
      );
    } catch (error) {
      host.stderr(
        `msol: cannot write --output ${output.format}=${output.file}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      internalFailure = true;
    }
  }

  if (options.fix) {
    host.stderr(
      fixes === 0
        ? 'msol: no fixes applied\n'
        : `msol: applied ${plural(fixes, 'fix', 'fixes')} in ${plural(fixedFiles, 'file')}\n`,
    );
    if (!settled)
      logger.log('warn', `fixes did not settle after ${maxFixPasses} passes; run --fix again or fix the rest by hand`);
  }
  if (configInvalid) {
    host.stderr(
      'msol: the configuration is invalid (see the config-invalid findings); the defaults were used for the invalid parts\n',
    );
    return exitCodes.failure;
  }
  if (internalFailure) return exitCodes.failure;
  if (t.errors > 0) return exitCodes.problems;
  if (options.maxWarnings >= 0 && t.warnings > options.maxWarnings) {
    host.stderr(`msol: too many warnings (${t.warnings}, at most ${options.maxWarnings} allowed by --max-warnings)\n`);
    return exitCodes.problems;
  }
  return exitCodes.ok;
}

function format(name: Format, report: Report, options: CheckOptions, host: CliHost): string {
  switch (name) {
    case 'stylish':
      return formatStylish(report, { color: useColor(options, host), notes: options.verbose });
    case 'json':
      return formatJson(report, { quiet: options.quiet });
    case 'sarif':
      return formatSarif(report);
    case 'github':
      return formatGithub(report);
    case 'markdown':
      return formatMarkdown(report);
  }
}

async function checkSite(
  target: SiteTarget,
  options: CheckOptions,
  host: CliHost,
  logger: StderrLogger,
  config: { readonly absolute: string; readonly text: string } | undefined,
): Promise<SiteResult> {
  const fs = new NodeFileSystem(target.root, logger);
  const configPath = config ? nodePath.relative(target.root, config.absolute).split(nodePath.sep).join('/') : undefined;
  const project = new Project({
    fs,
    logger,
    ...(config && configPath !== undefined ? { configText: { path: configPath, text: config.text } } : {}),
  });
  logger.log('info', 'checking site', { root: target.root });
  // Phase one in bulk: pages read many at a time, unchanged ones from the cache, the rest on worker threads.
  const signing = options.cache ? cacheSigning(host.env, logger) : undefined;
  const cache = signing
    ? new PhaseOneCache(
        options.cacheLocation !== undefined
          ? nodePath.resolve(host.cwd, options.cacheLocation)
          : defaultCacheLocation(target.root, host.cwd, host.env),
        target.root,
        logger,
        signing,
      )
    : undefined;
  const bulk = new BulkPhaseOne(fs, {
    workers: defaultWorkerCount(host.env),
    workerPath: defaultWorkerPath(),
    version: host.version,
    logger,
    ...(cache ? { cache } : {}),
  });
  const started = performance.now();
  // git reads the site's history while phase one runs (its own process): only the line authors of a few pages wait for phase one.
  const reading = outsideEveryRepository(target.root)
    ? Promise.resolve(undefined)
    : readGitHistory(target.root, { logger });
  try {
    // The cache loads while the site is walked; phase one waits for it before reading an entry.
    void cache?.load();
    await project.initialize(undefined, undefined, bulk);
  } finally {
    await bulk.close();
  }
  logger.log('info', 'analysed pages', {
    ...bulk.stats,
    ms: Math.round(performance.now() - started),
    ...(cache ? { cache: cache.folder } : {}),
  });
  // What the site was read as: its kind, its files, its identity, and the rules silent for want of a value (--verbose).
  for (const line of formatSiteDescription(describeSite(project.index))) logger.log('info', line);
  // The site's history (moves, contents, line authors) is evidence for "did you mean", moved pictures and author-undeclared.
  await applyGitHistory(project, target.root, { logger, reading });
  const pages = project.index.pages().filter((p) => isTargeted(target, p));
  const pageSet = new Set(pages);
  for (const file of target.files) {
    if (pageSet.has(file)) continue;
    const why = project.isIgnored(file)
      ? 'it matches `ignore` in the configuration'
      : /\.(md|markdown)$/i.test(file)
        ? 'it is not inside the site (a link out of it?)'
        : 'it is not a Markdown page';
    logger.log('warn', `not checked: ${displayPath(host.cwd, target.root, file)}: ${why}`);
  }

  let fixes = 0;
  let fixedFiles = 0;
  let settled = true;
  let fixed: ReadonlySet<string> = new Set();
  if (options.fix) {
    const outcome = await fixSite(project, fs, pages, logger);
    fixes = outcome.fixes;
    fixedFiles = outcome.files.size;
    settled = outcome.settled;
    fixed = outcome.files;
  }
  await project.refreshStale();

  const byPath = new Map<string, Finding[]>();
  for (const f of project.configFindings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const reports: FileReport[] = [];
  for (const [path, findings] of byPath) reports.push(fileReport(host, target.root, path, findings, undefined, true));
  // Phase two, reused per page from the cache while nothing other pages can see has changed (not after --fix rewrote pages).
  const siteKey = cache && !options.fix ? bulk.siteKey(project) : undefined;
  const workspaceCache = siteKey !== undefined ? bulk.workspaceCache(project, siteKey) : undefined;
  const checked = pages.map((page) => {
    const cachedWorkspace = workspaceCache?.get(page);
    const r = project.checkDetailed(page, cachedWorkspace);
    bulk.recordWorkspace(page, r.workspace);
    return {
      page,
      findings: r.findings,
      verdicts: cachedWorkspace && siteKey !== undefined ? bulk.cachedVerdicts(page, siteKey) : undefined,
    };
  });
  // Where fixes are offered (json, sarif) or applied (--fix, whose report lists what is left), each is first checked on
  // the page as it would be after it (Project.verifyFixes); the verdicts are cached with the page's phase two.
  const verify = options.fix || options.format === 'json' || options.format === 'sarif';
  // The text is read only where a finding points into it (for `actual`, fix regions and the BOM), all at once.
  // stylish and github print places only, where the text matters for one thing: a BOM shifts columns on line 1.
  const placesOnly = options.format === 'stylish' || options.format === 'github';
  const wanted = checked
    .filter((c) => c.findings.length > 0 && !c.findings.some((f) => f.ruleId === engineFindingIds.fileUnreadable))
    .filter(
      (c) =>
        !placesOnly ||
        c.findings.some((f) => (verify && f.fix !== undefined) || f.range.start.line === 0 || f.range.end.line === 0),
    )
    .map((c) => c.page);
  const texts = await fs.readFiles(wanted, project.config.maxFileSize);
  const verifyStarted = performance.now();
  let verified = 0;
  for (const { page, findings, verdicts } of checked) {
    const bytes = texts.get(page)?.bytes;
    const decoded = bytes ? decodeUtf8(bytes) : undefined;
    const text = decoded?.ok ? decoded.text : undefined;
    let shown = findings;
    if (verify && findings.some((f) => f.fix)) {
      const facts = project.index.facts(page);
      if (verdicts) shown = applyFixVerdicts(findings, verdicts);
      else if (text !== undefined && facts !== undefined && new LineIndex(text).lineCount === facts.lineStarts.length) {
        shown = project.verifyFixes(page, findings, text);
        bulk.recordVerdicts(page, fixVerdictsOf(findings, shown));
        verified++;
      }
    }
    reports.push(fileReport(host, target.root, page, shown, text, true));
  }
  if (verify)
    logger.log('info', 'checked fixes', { pages: verified, ms: Math.round(performance.now() - verifyStarted) });
  await bulk.store(project, fixed);
  logger.log('info', 'checked pages', {
    pages: pages.length,
    workspaceHits: bulk.stats.workspaceHits,
    ms: Math.round(performance.now() - started),
  });
  return { files: reports, fixes, fixedFiles, settled };
}

function fileReport(
  host: CliHost,
  root: string,
  sitePath: string,
  findings: readonly Finding[],
  text: string | undefined,
  checked: boolean,
): FileReport {
  return {
    path: displayPath(host.cwd, root, sitePath),
    absolutePath: nodePath.resolve(root, sitePath),
    siteRoot: root,
    findings,
    ...(text !== undefined ? { text } : {}),
    checked,
  };
}
