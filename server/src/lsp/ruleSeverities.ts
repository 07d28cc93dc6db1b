import type { Connection } from 'vscode-languageserver/node';
import { ruleIds, type Finding, type Logger, type Severity } from '../engine/index';
import type { ProjectHost } from './projectHost';

/**
 * The client's `msol.rules` setting (package.json: per folder, rule id →
 * `off` | `hint` | `info` | `warning` | `error`): severities for the editor
 * only, over what `.msolrc.json` says (`msol check` reads only the config).
 *
 * Read with `workspace/configuration` for each workspace folder at the
 * start of every diagnostics pull or push (`refresh`), so a changed setting
 * counts from the next pull on; the client re-pulls when it changes
 * (client/src/extension.ts). Findings that are not a rule's
 * (`config-invalid`, `file-unreadable`, …) keep their severity.
 */

export type RuleLevel = Severity;
export type RuleOverrides = ReadonlyMap<string, RuleLevel>;

const levels: readonly RuleLevel[] = ['off', 'hint', 'info', 'warning', 'error'];
const none: RuleOverrides = new Map();

/** The valid entries of an `msol.rules` value. */
export function parseRuleOverrides(value: unknown): RuleOverrides {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return none;
  const known = new Set<string>(ruleIds);
  const out = new Map<string, RuleLevel>();
  for (const [id, level] of Object.entries(value as Record<string, unknown>)) {
    if (known.has(id) && levels.includes(level as RuleLevel)) out.set(id, level as RuleLevel);
  }
  return out;
}

/** Findings with the overrides applied: `off` drops a rule's findings, a level replaces their severity. */
export function applyRuleOverrides(findings: readonly Finding[], overrides: RuleOverrides): readonly Finding[] {
  if (overrides.size === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const level = overrides.get(f.ruleId);
    if (level === undefined) out.push(f);
    else if (level !== 'off') out.push(level === f.severity ? f : { ...f, severity: level });
  }
  return out;
}

export class RuleSeverities {
  readonly #connection: Connection;
  readonly #logger: Logger;
  readonly #enabled: boolean;
  /** Per site root: the overrides read at the last refresh. */
  readonly #byRoot = new Map<string, Promise<RuleOverrides>>();

  /** `configuration`: the client answers `workspace/configuration`. */
  constructor(connection: Connection, logger: Logger, configuration: boolean) {
    this.#connection = connection;
    this.#logger = logger;
    this.#enabled = configuration;
  }

  /** Forget what was read: the next `of()` asks the client again. Call at the start of each pull or push. */
  refresh(): void {
    this.#byRoot.clear();
  }

  /** The overrides of a site (its folder's `msol.rules`). */
  of(host: ProjectHost): Promise<RuleOverrides> {
    if (!this.#enabled) return Promise.resolve(none);
    let cached = this.#byRoot.get(host.root);
    if (!cached) {
      cached = this.#connection.workspace
        .getConfiguration({ scopeUri: host.rootUri, section: 'msol' })
        .then((value: unknown) => parseRuleOverrides((value as { rules?: unknown } | null)?.rules))
        .catch((error: unknown) => {
          this.#logger.log('info', 'msol.rules could not be read; .msolrc.json severities apply', {
            error: String(error),
          });
          return none;
        });
      this.#byRoot.set(host.root, cached);
    }
    return cached;
  }
}
