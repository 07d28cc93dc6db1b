import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser';
import type { Severity, Span } from '../types';
import { severities } from '../types';
import { validate, type JsonSchema, type SchemaProblem } from './validate';
import { configSchema } from './schema';
import { code, kept, message, words } from '../message';
import type { SiteIdentity } from '../site/identity';

/**
 * `.msolrc.json`: the one configuration file, read the same way by the CLI
 * and the language server. What it does not say is read from the site
 * itself (site/identity.ts), so the Microsolidarity handbook needs no file
 * at all. A broken file never stops a check: each
 * problem becomes a finding on the file and the defaults fill the gap.
 */

export const configFileName = '.msolrc.json';

export interface SiteConfig {
  /** Which generator publishes the site (`gitbook`, `mdbook`, `gitbook-legacy`, `plain`); '' = read from what the folder holds. */
  readonly kind: string;
  /** The site's published URL, for links that should be relative ('' = unknown: the site says none). */
  readonly url: string;
  /** Where the content starts, relative to the workspace ('' for the workspace itself); `.gitbook.yaml`'s `root` overrides it. */
  readonly root: string;
  /** The home page and table of contents, relative to `root`. */
  readonly readme: string;
  readonly summary: string;
  /** The hub document, relative to `root` ('' = none). */
  readonly proposal: string;
  /** SPDX id of the site's license ('' = unknown). */
  readonly license: string;
  /** Author of pages that name none ('' = unknown). */
  readonly defaultAuthor: string;
}

export interface RuleSetting {
  readonly severity: Severity;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A top-level section of `.msolrc.json` owned by one area (glossary,
 * attribution, links). Its schema joins the file's schema; its defaults are
 * overlaid field by field with the user's valid values.
 */
export interface ConfigSection<T extends object> {
  readonly key: string;
  readonly schema: JsonSchema;
  readonly defaults: T;
}

const sections: ConfigSection<object>[] = [];

/** Registers a config section; call once at module load (the rule modules that read it do). */
export function defineConfigSection<T extends object>(section: ConfigSection<T>): ConfigSection<T> {
  if (!sections.some((s) => s.key === section.key)) sections.push(section as ConfigSection<object>);
  return section;
}

export function configSections(): readonly ConfigSection<object>[] {
  return sections;
}

/** A section's effective value: the user's valid fields over the defaults. */
export function sectionOf<T extends object>(config: MsolConfig, section: ConfigSection<T>): T {
  return (config.sections[section.key] as T | undefined) ?? section.defaults;
}

export interface MsolConfig {
  readonly site: SiteConfig;
  /** Values of registered sections, by key; read them with sectionOf. */
  readonly sections: Readonly<Record<string, object>>;
  /** Only the rules the user configured; the registry supplies the rest. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Globs of files the check leaves out, relative to the workspace. */
  readonly ignore: readonly string[];
  /** Files larger than this many bytes are skipped with a notice. */
  readonly maxFileSize: number;
  /** The fields `.msolrc.json` sets (`site.url`, `links.proposalCopies`): a user's value wins over what the site's files say. */
  readonly explicit?: readonly string[];
  /** The site as read from its files (site/identity.ts): its kind and where each value came from. Set by the Project. */
  readonly identity?: SiteIdentity;
}

/**
 * What a site that says nothing about itself gets. Its URL, license,
 * default author and hub page are unknown until the site's files or
 * `.msolrc.json` say them (the Microsolidarity handbook's values are
 * defaults for that site only: site/identity.ts).
 */
export const defaultSite: SiteConfig = Object.freeze({
  kind: '',
  url: '',
  root: '',
  readme: 'README.md',
  summary: 'SUMMARY.md',
  proposal: '',
  license: '',
  defaultAuthor: '',
});

export const defaultConfig: MsolConfig = Object.freeze({
  site: defaultSite,
  sections: Object.freeze({}),
  rules: Object.freeze({}),
  ignore: Object.freeze(['node_modules/**', '.git/**', '_book/**']) as readonly string[],
  maxFileSize: 2 * 1024 * 1024,
});

export interface ConfigProblem {
  readonly message: string;
  /** The whole story when the message had to leave part of it out (the finding's note). */
  readonly note?: string;
  readonly span: Span;
  /** The JSON path of the field, e.g. `rules.link-missing-file`. */
  readonly field: string;
}

export interface LoadedConfig {
  readonly config: MsolConfig;
  readonly problems: readonly ConfigProblem[];
}

/** Parses and validates a config file's text; always returns a usable config. */
export function loadConfig(
  text: string | undefined,
  knownRules: readonly string[],
  schema = configSchema(knownRules),
): LoadedConfig {
  if (text === undefined || text.trim() === '') return { config: defaultConfig, problems: [] };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    // An error at the end of the file (`{`) has no character to point at: the span stays inside the text.
    const at = e ? Math.min(e.offset, text.length) : 0;
    const span = e ? { start: at, end: Math.min(text.length, at + Math.max(1, e.length)) } : { start: 0, end: 0 };
    return {
      config: defaultConfig,
      problems: [
        {
          message: `Unexpected ${e ? describeParseError(e) : 'content'} in ${configFileName}, expected valid JSON; the defaults apply until it is fixed`,
          span,
          field: '',
        },
      ],
    };
  }
  const value = nodeValue(tree);
  const schemaProblems = validate(value, schema);
  const problems = schemaProblems.map((p) => toProblem(p, tree));
  const bad = new Set(schemaProblems.map((p) => p.path.join('.')));
  return { config: merge(value, bad), problems };
}

/** The span of the value at a JSON path of a config text (`['ignore', 2]`), when the text has it. */
export function configValueSpan(text: string, path: readonly (string | number)[]): Span | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const node = tree ? findNodeAtLocation(tree, [...path]) : undefined;
  return node ? { start: node.offset, end: node.offset + node.length } : undefined;
}

function describeParseError(e: ParseError): string {
  const code = printParseErrorCode(e.error);
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        // defineProperty: a key `__proto__` is a field (reported unknown), never the object's prototype.
        if (k && v)
          Object.defineProperty(o, String(k.value), {
            value: nodeValue(v),
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function toProblem(p: SchemaProblem, tree: JsonNode): ConfigProblem {
  // Point at the deepest part of the path that exists.
  let node: JsonNode | undefined;
  for (let n = p.path.length; n >= 0 && !node; n--) node = findNodeAtLocation(tree, p.path.slice(0, n));
  const target =
    node && node.parent?.type === 'property' && p.path.length > 0 && node.parent.children?.[1] === node ? node : node;
  const span = target ? { start: target.offset, end: target.offset + target.length } : { start: 0, end: 1 };
  const field = p.path.join('.');
  return {
    message: p.unknownField
      ? message`Unexpected field ${kept(code(field))}, ${kept(words(p.message))}`
      : message`Unexpected value for ${kept(code(field || '(root)'))}, ${kept(words(p.message))}`,
    note: `${p.unknownField ? 'The field' : 'The value of'} \`${field || '(root)'}\` in ${configFileName}: ${p.unknownField ? 'unknown; ' : ''}${p.message}.${p.detail ? ` ${p.detail}` : ''} Until it is fixed, ${p.unknownField ? 'it is ignored' : 'the default value applies'}.`,
    span,
    field,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Overlays the valid parts of a user config on the defaults, in exactly one place. */
function merge(value: unknown, bad: ReadonlySet<string>): MsolConfig {
  if (!isObject(value) || bad.has('')) return defaultConfig;
  const ok = (path: string) => ![...bad].some((b) => b === path || b.startsWith(path + '.'));
  const explicit: string[] = [];
  const site: Record<string, unknown> = { ...defaultSite };
  if (isObject(value['site'])) {
    for (const [k, v] of Object.entries(value['site'])) {
      if (!Object.hasOwn(defaultSite, k) || !ok(`site.${k}`)) continue;
      site[k] = v;
      explicit.push(`site.${k}`);
    }
  }
  const rules: Record<string, RuleSetting> = {};
  if (isObject(value['rules'])) {
    for (const [id, v] of Object.entries(value['rules'])) {
      if (!ok(`rules.${id}`)) continue;
      const setting = toRuleSetting(v);
      if (setting) rules[id] = setting;
    }
  }
  const ignore =
    Array.isArray(value['ignore']) && ok('ignore')
      ? [...defaultConfig.ignore, ...(value['ignore'] as string[])]
      : defaultConfig.ignore;
  const maxFileSize =
    typeof value['maxFileSize'] === 'number' && ok('maxFileSize') ? value['maxFileSize'] : defaultConfig.maxFileSize;
  const sectionValues: Record<string, object> = {};
  for (const section of sections) {
    const user = value[section.key];
    if (!isObject(user)) continue;
    const merged: Record<string, unknown> = { ...(section.defaults as Record<string, unknown>) };
    for (const [k, v] of Object.entries(user)) {
      if (!ok(`${section.key}.${k}`)) continue;
      merged[k] = v;
      explicit.push(`${section.key}.${k}`);
    }
    sectionValues[section.key] = merged;
  }
  return {
    site: site as unknown as SiteConfig,
    sections: sectionValues,
    rules,
    ignore,
    maxFileSize,
    ...(explicit.length ? { explicit } : {}),
  };
}

function toRuleSetting(v: unknown): RuleSetting | undefined {
  if (typeof v === 'string' && (severities as readonly string[]).includes(v))
    return { severity: v as Severity, options: {} };
  if (Array.isArray(v) && typeof v[0] === 'string')
    return { severity: v[0] as Severity, options: isObject(v[1]) ? v[1] : {} };
  if (isObject(v)) {
    const { severity, ...options } = v;
    return { severity: (typeof severity === 'string' ? severity : 'inherit') as Severity, options };
  }
  return undefined;
}

/** Applies `.gitbook.yaml` (`root`, `structure.readme`, `structure.summary`) on top of a config. */
export function withGitbookYaml(
  config: MsolConfig,
  gitbook: { root?: string; readme?: string; summary?: string },
): MsolConfig {
  // `./docs/`, `/docs`, `.` → `docs`, `docs`, ``; a hidden folder (`.gitbook/SUMMARY.md`) keeps its dot.
  const clean = (p: string) =>
    p
      .trim()
      .replace(/^(?:\.?\/)+/, '')
      .replace(/^\.$/, '')
      .replace(/\/+$/, '');
  return {
    ...config,
    site: {
      ...config.site,
      ...(gitbook.root !== undefined ? { root: clean(gitbook.root) } : {}),
      ...(gitbook.readme !== undefined ? { readme: clean(gitbook.readme) } : {}),
      ...(gitbook.summary !== undefined ? { summary: clean(gitbook.summary) } : {}),
    },
  };
}
