import { JiraError } from '../errors';
import { msg } from '../messages';

/**
 * When a failed request is tried again. Idempotent requests (GET, HEAD, OPTIONS) are retried on
 * network errors (connection refused/reset, DNS...) and HTTP 502/503/504, with exponential backoff
 * and jitter. HTTP 429 with a Retry-After (seconds or an HTTP date) is waited out for every method,
 * POST included, when the wait is not longer than `maxRetryAfterMs`. Timeouts, TLS, proxy and
 * configuration errors, 4xx and POST requests that failed otherwise are never retried.
 */
export interface RetryOptions {
  /** Attempts after the first one. Default 2 (when retry options are given at all; without them the core does not retry); 0 disables retries. */
  retries?: number;
  /** First backoff delay in ms (doubles each attempt). Default 500. */
  baseDelayMs?: number;
  /** Upper bound of a backoff delay in ms. Default 8000. */
  maxDelayMs?: number;
  /** A longer Retry-After is not waited for: the 429 error is returned. Default 60000. */
  maxRetryAfterMs?: number;
  /** Random number in [0, 1) for the jitter (tests pass a fixed one). */
  random?: () => number;
  /** Current time in ms (tests pass a fake clock); for Retry-After dates. */
  now?: () => number;
  /** Wait `ms`; rejects when `signal` aborts (tests pass a fake that records the delays). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each wait (logging). */
  onRetry?: (info: { method: string; url: string; attempt: number; delayMs: number; reason: string }) => void;
}

export const DEFAULT_RETRIES = 2;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** Retry-After as ms from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/** Exponential backoff with jitter: between half and all of min(max, base * 2^attempt). */
export function backoffDelay(attempt: number, o: RetryOptions = {}): number {
  const base = o.baseDelayMs ?? 500;
  const max = o.maxDelayMs ?? 8000;
  const cap = Math.min(max, base * Math.pow(2, attempt));
  const r = (o.random ?? Math.random)();
  return Math.round(cap / 2 + (cap / 2) * Math.min(Math.max(r, 0), 1));
}

export interface RetryInput {
  method: string;
  /** 0 for the first retry. */
  attempt: number;
  error: JiraError;
  /** The Retry-After header of the response, if any. */
  retryAfter?: string;
}

/** How long to wait before trying again, or undefined to give up and report `error`. */
export function retryDelay(input: RetryInput, o: RetryOptions = {}): number | undefined {
  const retries = o.retries ?? DEFAULT_RETRIES;
  if (input.attempt >= retries) return undefined;
  const e = input.error;
  if (e.code === 'rate_limited') {
    const ms = parseRetryAfter(input.retryAfter, (o.now ?? Date.now)());
    if (ms !== undefined) return ms <= (o.maxRetryAfterMs ?? 60000) ? ms : undefined;
    return isIdempotent(input.method) ? backoffDelay(input.attempt, o) : undefined;
  }
  if (!isIdempotent(input.method)) return undefined;
  if (e.code === 'network') return backoffDelay(input.attempt, o);
  if (e.code === 'server_error' && (e.status === 502 || e.status === 503 || e.status === 504)) {
    const ms = parseRetryAfter(input.retryAfter, (o.now ?? Date.now)());
    if (ms !== undefined && ms <= (o.maxRetryAfterMs ?? 60000)) return ms;
    return backoffDelay(input.attempt, o);
  }
  return undefined;
}

/** setTimeout-based wait that rejects with JiraError('aborted') when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const aborted = () => new JiraError('aborted', msg('The request was cancelled while waiting to retry.'));
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
