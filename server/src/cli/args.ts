import { parseArgs } from 'node:util';
import { parseReportCommandLine, reportCommands, type ReportCommand } from './reports';

/** Command-line parsing for `msol`. Pure: no I/O, so every usage error is testable without a process. */

export const formats = ['stylish', 'json', 'sarif', 'github', 'markdown'] as const;
export type Format = (typeof formats)[number];

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly format: Format;
  readonly config?: string;
  readonly fix: boolean;
  /** -1: no limit. */
  readonly maxWarnings: number;
  readonly quiet: boolean;
  /** undefined: decide from the terminal. */
  readonly color?: boolean;
  readonly root?: string;
  readonly verbose: boolean;
  /** Reuse unchanged pages' analyses from the cache, and store them (default on). */
  readonly cache: boolean;
  readonly cacheLocation?: string;
  /** More reports of the same run, each written to a file (`--output markdown=summary.md`). */
  readonly outputs: readonly { readonly format: Format; readonly file: string }[];
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly options: CheckOptions }
  | ReportCommand
  | { readonly kind: 'usage-error'; readonly message: string };

export const helpText = `Usage: msol check [paths...] [options]
       msol links [path] [--format text|json]
       msol glossary [path] [--format md|json]
       msol attribution [path] [--format md|json|csv]
       msol <command> --help      the options of one command

Checks a Markdown site (GitBook, mdBook, GitBook 2/3, or a plain folder: read
from what the folder holds) for broken cross-links, glossary terms, license
attribution and GitBook hygiene. --verbose says what the site was read as.

Paths (default: .)
  A folder is a site root: all of its pages are checked. Several folders are
  several sites.
  A file is checked within its site root: the nearest folder above it that
  holds .msolrc.json, SUMMARY.md, .gitbook.yaml, book.toml or book.json (an
  mdBook's src/ belongs to the book above it), else the current folder
  (or the file's own folder when it lies outside the current folder).
  With --root, every path is checked within that one site, and a folder
  means "the pages under this folder".

Options
  -f, --format <name>     stylish (default), json (vfile-reporter-json's shape),
                          sarif (SARIF 2.1.0, for GitHub code scanning),
                          github (workflow annotations) or markdown (a
                          table per page and rule, for a job summary)
  -o, --output <format>=<file>
                          also write the report in this format to a file
                          (repeatable): --output markdown=summary.md
  -c, --config <file>     read this file instead of each site's .msolrc.json
      --fix               apply every safe fix (each checked first on the
                          page as it would be after it), re-check and repeat
                          until nothing changes; then report what is left
      --max-warnings <n>  exit 1 when there are more than n warnings
  -q, --quiet             report errors only (warnings still count for
                          --max-warnings)
      --no-color          no colours (also: the NO_COLOR environment variable)
      --color             colours even when stdout is no terminal (FORCE_COLOR)
      --root <dir>        the site root for every path
      --no-cache          analyse every page; neither read nor write the cache
      --cache-location <dir>
                          where the cache lives (default: node_modules/.cache/msol
                          at or above the site, else ~/.cache/msol); a page is
                          analysed again when it, the config, the glossary or
                          license pages, or msol itself changed; signed with
                          MSOL_CACHE_KEY, else a key in the user cache folder
  -v, --verbose           with stylish output, each problem's note (why it
                          matters) under it; log progress on stderr
                          (MSOL_LOG=debug or trace for more; logs never go
                          to stdout)
  -h, --help              show this help
  -V, --version           show the version

Exit codes
  0  no errors, and no more warnings than --max-warnings allows
  1  errors remain, or too many warnings
  2  usage error, missing path, invalid configuration (the findings are still
     printed, checked with the defaults) or an internal failure

Examples
  msol check                              check the site in the current folder
  msol check articles/proposal.md         check one page within its site
  msol check --format sarif > msol.sarif  for github/codeql-action/upload-sarif
  msol check --fix                        repair moved links, mojibake, ...
  msol links --format json                the link graph: broken, orphan, unreachable
  msol glossary                           the terms, their definitions and uses
  msol attribution --format csv           credits and license verdicts
`;

export function parseCommandLine(argv: readonly string[]): Command {
  // `msol links|glossary|attribution …` have their own options (reports.ts).
  const report = parseReportCommandLine(argv);
  if (report) return report;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        config: { type: 'string', short: 'c' },
        fix: { type: 'boolean' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        root: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        cache: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        'cache-location': { type: 'string' },
        output: { type: 'string', short: 'o', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  const [command, ...paths] = parsed.positionals;
  if (command === undefined)
    return usage(`missing command; expected \`msol check [paths...]\` or one of ${reportCommands.join(', ')}`);
  if (command === 'help') return { kind: 'help' };
  if (command !== 'check')
    return usage(`unknown command \`${command}\`; expected one of check, ${reportCommands.join(', ')}`);

  const format = v.format ?? 'stylish';
  if (!(formats as readonly string[]).includes(format))
    return usage(`unknown format \`${format}\`; expected one of ${formats.join(', ')}`);

  let maxWarnings = -1;
  if (v['max-warnings'] !== undefined) {
    const raw = v['max-warnings'].trim();
    if (!/^-?\d+$/.test(raw) || Number(raw) < -1 || !Number.isSafeInteger(Number(raw)))
      return usage(`--max-warnings expects a whole number (or -1 for no limit), got \`${v['max-warnings']}\``);
    maxWarnings = Number(raw);
  }
  for (const [name, value] of [
    ['config', v.config],
    ['root', v.root],
    ['format', v.format],
    ['cache-location', v['cache-location']],
  ] as const) {
    if (value !== undefined && value.trim() === '') return usage(`--${name} expects a value`);
  }
  if (v.color && v['no-color']) return usage('--color and --no-color contradict each other');
  const color = v['no-color'] ? false : v.color ? true : undefined;
  const outputs: { format: Format; file: string }[] = [];
  for (const o of v.output ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(o);
    if (!m) return usage(`--output expects <format>=<file>, got \`${o}\``);
    if (!(formats as readonly string[]).includes(m[1]!))
      return usage(`unknown format \`${m[1]}\` in --output; expected one of ${formats.join(', ')}`);
    outputs.push({ format: m[1] as Format, file: m[2]! });
  }
  if (v.cache && v['no-cache']) return usage('--cache and --no-cache contradict each other');
  if (v['no-cache'] && v['cache-location'] !== undefined)
    return usage('--cache-location has no effect with --no-cache');

  return {
    kind: 'check',
    options: {
      paths: paths.length > 0 ? paths : ['.'],
      format: format as Format,
      ...(v.config !== undefined ? { config: v.config } : {}),
      fix: v.fix ?? false,
      maxWarnings,
      quiet: v.quiet ?? false,
      ...(color !== undefined ? { color } : {}),
      ...(v.root !== undefined ? { root: v.root } : {}),
      verbose: v.verbose ?? false,
      cache: !v['no-cache'],
      ...(v['cache-location'] !== undefined ? { cacheLocation: v['cache-location'] } : {}),
      outputs,
    },
  };
}

function usage(message: string): Command {
  return { kind: 'usage-error', message };
}
