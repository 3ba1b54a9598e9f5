import { redact } from './core/redact';

/** The part of vscode.LogOutputChannel the logger needs (a fake in unit tests). */
export interface LogChannelLike {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(preserveFocus?: boolean): void;
}

/**
 * Logging for the extension: everything goes through core's `redact` (tokens, signatures,
 * verifiers, PEM blocks, Authorization headers...) before it reaches the "Jira" output channel.
 * Nothing in src/ writes to the console: users read this channel.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  /** Logs the message and, for an error, its code/status/oauth_problem and cause (redacted). */
  error(message: string, err?: unknown): void;
  show(): void;
}

/** A one-line, redacted description of an error for the log. */
export function describeError(err: unknown): string {
  if (!err || typeof err !== 'object') return redact(String(err));
  const e = err as Record<string, unknown> & { name?: string; message?: string };
  const fields: string[] = [];
  for (const k of ['code', 'status', 'oauthProblem', 'oauthProblemAdvice', 'systemCode', 'method', 'url', 'signedUrl', 'location', 'pageTitle']) {
    const v = e[k];
    if (v !== undefined && v !== null && v !== '') fields.push(`${k}=${String(v)}`);
  }
  const cause = e.cause && typeof e.cause === 'object' ? ` (cause: ${(e.cause as Error).message ?? String(e.cause)})` : '';
  return redact(`${e.name ?? 'Error'}: ${e.message ?? ''}${fields.length ? ` [${fields.join(', ')}]` : ''}${cause}`);
}

export function createLogger(channel: LogChannelLike): Logger {
  return {
    trace: (m) => channel.trace(redact(m)),
    debug: (m) => channel.debug(redact(m)),
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m, err) => channel.error(redact(m) + (err === undefined ? '' : ` ${describeError(err)}`)),
    show: () => channel.show(true),
  };
}

/**
 * A channel that is created on its first use: activation registers only what VS Code needs, and
 * creating the "Jira" output channel (a log file, a main-process channel) is not part of that.
 */
export function lazyChannel<C extends LogChannelLike & { dispose(): void }>(create: () => C): LogChannelLike & { dispose(): void; readonly created: boolean } {
  let channel: C | undefined;
  let disposed = false;
  const get = (): C | undefined => {
    if (!channel && !disposed) channel = create();
    return channel;
  };
  return {
    trace: (m) => get()?.trace(m),
    debug: (m) => get()?.debug(m),
    info: (m) => get()?.info(m),
    warn: (m) => get()?.warn(m),
    error: (m) => get()?.error(m),
    show: (preserveFocus) => get()?.show(preserveFocus),
    get created() {
      return channel !== undefined;
    },
    dispose: () => {
      disposed = true;
      channel?.dispose();
    },
  };
}

/** A logger that drops everything (defaults in tests). */
export const nullLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, show() {} };
