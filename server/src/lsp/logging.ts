import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { CancelledError, type Logger, type LogLevel } from '../engine/index';

/**
 * The engine's Logger on the LSP connection (window/logMessage, shown in the
 * client's output channel), and the guards that keep one failing handler
 * from taking the server down.
 */

const order: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** `MSOL_LOG_LEVEL=debug` (or trace) in the server's environment shows more. */
export function logLevelFromEnv(value: string | undefined): LogLevel {
  return value && value in order ? (value as LogLevel) : 'info';
}

export class ConnectionLogger implements Logger {
  readonly #connection: Connection;
  readonly #level: LogLevel;

  constructor(connection: Connection, level: LogLevel = 'info') {
    this.#connection = connection;
    this.#level = level;
  }

  log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    if (order[level] < order[this.#level]) return;
    const line = `[${new Date().toISOString()}] [${level}] ${message}${data && Object.keys(data).length ? ' ' + safeJson(data) : ''}`;
    try {
      const console = this.#connection.console;
      if (level === 'error') console.error(line);
      else if (level === 'warn') console.warn(line);
      else if (level === 'info') console.info(line);
      else console.log(line);
    } catch {
      // The connection is gone (shutdown): stderr is the last resort and never the protocol stream.
      process.stderr.write(line + '\n');
    }
  }
}

function safeJson(data: Record<string, unknown>): string {
  try {
    return JSON.stringify(data);
  } catch {
    return '{…}';
  }
}

export function errorData(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}

/** True for the engine's CancelledError and for anything thrown after the client cancelled. */
export function isCancellation(error: unknown, token?: CancellationToken): boolean {
  return error instanceof CancelledError || (token?.isCancellationRequested ?? false);
}

/**
 * Wraps a request handler: a cancellation becomes LSP's RequestCancelled
 * error, a ResponseError passes through, anything else is logged with its
 * stack and answered with `fallback()`, so a bug in one feature costs one
 * empty answer, never the server.
 */
export function guardRequest<P, R>(
  name: string,
  logger: Logger,
  fallback: () => R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      if (isCancellation(error, token)) throw new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
      logger.log('error', `${name} failed`, errorData(error));
      return fallback();
    }
  };
}

/** Wraps a notification handler: failures are logged, never thrown back into the connection. */
export function guardNotification<P>(
  name: string,
  logger: Logger,
  handler: (params: P) => void | Promise<void>,
): (params: P) => Promise<void> {
  return async (params) => {
    try {
      await handler(params);
    } catch (error) {
      if (error instanceof CancelledError) return;
      logger.log('error', `${name} failed`, errorData(error));
    }
  };
}

/** Runs fire-and-forget work (timers, background indexing) with the same policy. */
export function runGuarded(name: string, logger: Logger, work: () => void | Promise<void>): void {
  void guardNotification<void>(name, logger, work)();
}
