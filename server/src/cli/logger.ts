import type { Logger, LogLevel } from '../engine/host';

/**
 * The CLI's Logger: one line per message on stderr, below a threshold. stdout
 * is reserved for the report, so `--format json | jq` always parses.
 */

const order: Readonly<Record<LogLevel, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export function isLogLevel(value: string | undefined): value is LogLevel {
  return value !== undefined && Object.hasOwn(order, value);
}

export interface StderrLoggerOptions {
  readonly level: LogLevel;
  readonly write?: (line: string) => void;
}

export class StderrLogger implements Logger {
  readonly #threshold: number;
  readonly #write: (line: string) => void;

  constructor(options: StderrLoggerOptions) {
    this.#threshold = order[options.level];
    this.#write = options.write ?? ((line) => process.stderr.write(line));
  }

  enabled(level: LogLevel): boolean {
    return order[level] >= this.#threshold;
  }

  log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    this.#write(`msol: ${level}: ${message}${formatData(data)}\n`);
  }
}

/** ` (path: x.md, error: …)`: compact, one line, values JSON-quoted only when they need it. */
function formatData(data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined) continue;
    const s = typeof v === 'string' ? v : v instanceof Error ? v.message : JSON.stringify(v);
    parts.push(`${k}: ${String(s).replace(/\r?\n/g, ' ')}`);
  }
  return parts.length ? ` (${parts.join(', ')})` : '';
}
