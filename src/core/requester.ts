import type * as http from 'http';
import type * as https from 'https';
import { errorFromResponse, ErrorContext, htmlError, JiraError, looksLikeHtml, stripQuery } from './errors';
import { httpRequest, HttpResponse, NetworkOptions, TlsOptions, Transport } from './http';
import { msg } from './messages';
import { getNetworkProvider } from './net/defaults';
import { RetryOptions, retryDelay, sleep } from './net/retry';
import { ClockOffset, offsetFromRefusal } from './oauth1/clock';
import { formDecode, Param, percentEncode } from './oauth1/signature';
import { buildRequestTarget, QueryOption } from './url';
import { DEFAULT_USER_AGENT } from './version';

/** Connection settings shared by createJiraClient, requestToken, accessToken and fetchServerInfo. */
export interface ConnectionOptions {
  /** User-Agent header. Default `jira-auth-core/<version>`. */
  userAgent?: string;
  /** Agent for every request (proxy agents, keep-alive, sockets limits). */
  agent?: http.Agent | https.Agent;
  /** TLS options for https URLs (custom CA, client certificate). */
  tls?: TlsOptions;
  /** Per-request timeout in ms. Default 30000; 0 disables. */
  timeoutMs?: number;
  /** Replace the HTTP layer (tests, custom proxies). Default: Node http/https (http.ts). */
  transport?: Transport;
  /**
   * Proxy (CONNECT for https), extra CAs added to the default ones, client certificate. Default:
   * what the installed network provider (setNetworkProvider) returns for the URL, else none.
   */
  network?: NetworkOptions;
  /** Retries of idempotent requests and 429 (see RetryOptions); false disables. Default: the network provider's, else none. */
  retry?: RetryOptions | false;
}

export type AuthType = 'oauth1' | 'pat' | 'basic' | 'oauth2' | 'none';

/** Produces the Authorization header for one attempt of a request. */
export interface Authenticator {
  readonly type: AuthType;
  readonly consumerKey?: string;
  /** Present for OAuth 1.0a: adjusted on timestamp_refused. */
  readonly clock?: ClockOffset;
  authorize(method: string, url: string, form: ReadonlyArray<Param> | undefined, signal?: AbortSignal): AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * OAuth 2.0 with a token manager: after a 401 (not an oauth_problem), get the Authorization
   * header to retry with (refreshing once). The request is retried once; a second 401 is an error.
   */
  retryAfter401?(rejectedHeader: string | undefined, signal?: AbortSignal): Promise<string>;
}

export interface AuthorizeResult {
  header?: string;
  signedUrl?: string;
}

export type FormOption = Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>;

export interface SendOptions {
  query?: QueryOption;
  json?: unknown;
  form?: FormOption;
  signal?: AbortSignal;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export interface Connection {
  baseUrl: string;
  auth: Authenticator;
  options: ConnectionOptions;
}

export interface RawResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  response: HttpResponse;
  ctx: ErrorContext;
}

function formPairs(form: FormOption): Param[] {
  const out: Param[] = [];
  for (const name of Object.keys(form)) {
    const v = form[name];
    if (v === undefined || v === null) continue;
    const values = Array.isArray(v) ? (v as ReadonlyArray<string | number | boolean>) : [v as string | number | boolean];
    for (const item of values) out.push([name, String(item)]);
  }
  return out;
}

const METHOD = /^[A-Za-z]+$/;

/**
 * Build, authorize and send one request; on oauth_problem=timestamp_refused learn the clock
 * offset and retry once (freshly signed: new nonce and timestamp). Resolves with the raw 2xx
 * response; rejects with a JiraError for everything else.
 */
export async function sendRaw(conn: Connection, method: string, path: string, options: SendOptions, phase: ErrorContext['phase']): Promise<RawResult> {
  if (!METHOD.test(method)) throw new JiraError('invalid_request', msg('Invalid HTTP method "{0}".', method));
  const m = method.toUpperCase();
  const target = buildRequestTarget(conn.baseUrl, path, options.query);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': conn.options.userAgent || DEFAULT_USER_AGENT,
    // Jira's XSRF check refuses form posts to REST resources without it; harmless elsewhere.
    'X-Atlassian-Token': 'no-check',
    ...(options.headers ?? {}),
  };
  let body: Buffer | undefined;
  let form: Param[] | undefined;
  if (options.json !== undefined && options.form !== undefined) {
    throw new JiraError('invalid_request', msg('Pass either json or form to request(), not both.'));
  }
  if (options.json !== undefined) {
    body = Buffer.from(JSON.stringify(options.json), 'utf8');
    headers['Content-Type'] = 'application/json';
  } else if (options.form !== undefined) {
    form = formPairs(options.form);
    let encoded: string;
    try {
      encoded = form.map((p) => percentEncode(p[0]) + '=' + percentEncode(p[1])).join('&');
    } catch {
      throw new JiraError('invalid_request', msg('A form value contains an invalid (lone surrogate) character.'));
    }
    body = Buffer.from(encoded, 'utf8');
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const transport = conn.options.transport ?? httpRequest;
  const ctx: ErrorContext = {
    method: m,
    url: target.url,
    baseUrl: conn.baseUrl,
    authType: conn.auth.type,
    consumerKey: conn.auth.consumerKey,
    phase,
  };
  let clockRetried = false;
  let retryHeader: string | undefined;
  const o = conn.options;
  const provider = o.network === undefined || o.timeoutMs === undefined || o.retry === undefined ? getNetworkProvider() : undefined;
  const defaults = provider ? await provider(target.url, options.signal) : undefined;
  const network = o.network ?? defaults?.network;
  const timeoutMs = options.timeoutMs ?? o.timeoutMs ?? defaults?.timeoutMs;
  const retry = o.retry ?? defaults?.retry ?? false;
  const wait = (retry && retry.sleep) || sleep;
  let retries = 0;
  for (let attempt = 0; ; attempt++) {
    const a: AuthorizeResult = retryHeader !== undefined ? { header: retryHeader } : await conn.auth.authorize(m, target.url, form, options.signal);
    if (a.header) headers.Authorization = a.header;
    ctx.signedUrl = a.signedUrl;
    ctx.clockOffsetSeconds = conn.auth.clock?.seconds;
    let res: HttpResponse;
    try {
      res = await transport({ method: m, url: target.url, headers, body, agent: o.agent, tls: o.tls, network: network ?? {}, timeoutMs, signal: options.signal });
    } catch (e) {
      // Network errors: retried for idempotent methods (net/retry.ts), otherwise reported.
      const delay = e instanceof JiraError && retry ? retryDelay({ method: m, attempt: retries, error: e }, retry) : undefined;
      if (delay === undefined) throw e;
      if (retry) retry.onRetry?.({ method: m, url: stripQuery(target.url), attempt: retries + 1, delayMs: delay, reason: (e as JiraError).systemCode ?? (e as JiraError).code });
      await wait(delay, options.signal);
      retries++;
      continue;
    }
    if (res.status >= 200 && res.status < 300) {
      return { status: res.status, headers: res.headers, text: res.body.toString('utf8').replace(/^\uFEFF/, ''), response: res, ctx };
    }
    const err = errorFromResponse(res, ctx);
    if (!clockRetried && err.oauthProblem === 'timestamp_refused' && conn.auth.clock) {
      clockRetried = true;
      const offset = offsetFromRefusal(err.oauthAcceptableTimestamps, res.headers['date']);
      if (offset !== undefined) {
        conn.auth.clock.seconds = offset;
        continue;
      }
    }
    if (retryHeader === undefined && res.status === 401 && !err.oauthProblem && conn.auth.retryAfter401) {
      retryHeader = await conn.auth.retryAfter401(a.header, options.signal);
      continue;
    }
    // 502/503/504 (idempotent methods) and 429 with Retry-After (every method): see net/retry.ts.
    const delay = retry ? retryDelay({ method: m, attempt: retries, error: err, retryAfter: res.headers['retry-after'] }, retry) : undefined;
    if (delay !== undefined) {
      if (retry) retry.onRetry?.({ method: m, url: stripQuery(target.url), attempt: retries + 1, delayMs: delay, reason: `HTTP ${res.status}` });
      await wait(delay, options.signal);
      retries++;
      continue;
    }
    throw err;
  }
}

/** A 2xx REST response, its body parsed as JSON (undefined when empty; a string for text/plain). */
export function parseJsonBody(r: RawResult): unknown {
  const ct = r.headers['content-type'];
  const text = r.text;
  if (looksLikeHtml(ct, text)) throw htmlError(r.response, text, r.ctx);
  if (!text.trim()) return undefined;
  const jsonType = !!ct && /[/+]json\b/i.test(ct);
  if (jsonType || /^\s*[{["]/.test(text) || !ct) {
    try {
      return JSON.parse(text);
    } catch (e) {
      if (!jsonType && !/^\s*[{[]/.test(text)) return text;
      throw new JiraError(
        'bad_json',
        msg('Jira\'s response to {0} {1} is not valid JSON ({2}). It may have been truncated or altered by a proxy; try again, and check the base URL.', r.ctx.method, stripQuery(r.ctx.url), (e as Error).message),
        { status: r.status, method: r.ctx.method, url: r.ctx.url, cause: e },
      );
    }
  }
  return text;
}

/** A 2xx OAuth endpoint response (form-encoded) as a name -> value map (first value wins). */
export function parseFormBody(r: RawResult): Record<string, string> {
  const text = r.text;
  if (looksLikeHtml(r.headers['content-type'], text)) throw htmlError(r.response, text, r.ctx);
  const out: Record<string, string> = {};
  let pairs: Param[] = [];
  try {
    pairs = formDecode(text.trim());
  } catch {
    pairs = [];
  }
  for (const [k, v] of pairs) if (!(k in out)) out[k] = v;
  return out;
}
