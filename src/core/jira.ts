import { KeyObject } from 'crypto';
import { JiraError } from './errors';
import { Message, msg } from './messages';
import { loadPrivateKey } from './keys';
import type { OAuth2TokenManager } from './oauth2/manager';
import { clockFor } from './oauth1/clock';
import { Param } from './oauth1/signature';
import { OAuth1Signer } from './oauth1/signer';
import { Authenticator, AuthorizeResult, Connection, ConnectionOptions, FormOption, parseJsonBody, sendRaw } from './requester';
import { normalizeBaseUrl, QueryOption } from './url';

/** How a client authenticates to Jira. */
export type JiraAuth =
  | {
      type: 'oauth1';
      consumerKey: string;
      privateKeyPem: string;
      token: string;
      tokenSecret: string;
      /** Passphrase of an encrypted private key. */
      passphrase?: string;
    }
  | { type: 'pat'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'oauth2'; accessToken: string }
  /** OAuth 2.0 with refresh: the token comes from the manager per request; a 401 refreshes once and retries once. */
  | { type: 'oauth2'; tokens: OAuth2TokenManager };

export interface JiraRequestOptions {
  /** Query parameters appended to the path's own query; each value is sent %-encoded (a `+` as %2B); arrays repeat the name. */
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  /** JSON body (Content-Type: application/json). Never part of the OAuth signature. */
  json?: unknown;
  /** application/x-www-form-urlencoded body. Signed (OAuth 1.0a). */
  form?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  signal?: AbortSignal;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  /** Extra request headers (Accept, X-Atlassian-Token...). Authorization is always the client's. */
  headers?: Record<string, string>;
}

export interface JiraResponse<T = unknown> {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON; undefined for an empty body (204); a string for a non-JSON text body. */
  body: T;
}

export interface JiraClient {
  /** The normalized base URL every path is relative to. */
  readonly baseUrl: string;
  readonly authType: JiraAuth['type'];
  /**
   * Send a request. `path` is relative to the base URL (`/rest/api/2/myself`) and may carry a
   * query string, which is sent and signed as given. Resolves on 2xx; rejects with a JiraError.
   */
  request<T = unknown>(method: string, path: string, options?: JiraRequestOptions): Promise<JiraResponse<T>>;
}

export interface CreateJiraClientOptions extends ConnectionOptions {
  baseUrl: string;
  auth: JiraAuth;
}

function required(value: unknown, what: Message): string {
  if (typeof value !== 'string' || !value) throw new JiraError('invalid_request', msg('{0} is missing.', what));
  return value;
}

/** An OAuth 1.0a authenticator: the key is parsed once, here. */
export function oauth1Authenticator(
  baseUrl: string,
  consumerKey: string,
  privateKey: KeyObject,
  token: string | undefined,
  extra?: Record<string, string>,
): { authorize(method: string, url: string, form: ReadonlyArray<Param> | undefined): AuthorizeResult } & Authenticator {
  const clock = clockFor(baseUrl);
  const signer = new OAuth1Signer(consumerKey, privateKey, clock);
  return {
    type: 'oauth1',
    consumerKey,
    clock,
    authorize(method: string, url: string, form: ReadonlyArray<Param> | undefined) {
      const s = signer.sign({ method, url, form }, { token, extra });
      return { header: s.authorization, signedUrl: s.baseStringUri };
    },
  };
}

function authenticatorFor(baseUrl: string, auth: JiraAuth): Authenticator {
  if (!auth || typeof auth !== 'object') throw new JiraError('invalid_request', msg('auth is missing.'));
  switch (auth.type) {
    case 'oauth1': {
      const key = loadPrivateKey(required(auth.privateKeyPem, msg('The OAuth private key')), { passphrase: auth.passphrase });
      return oauth1Authenticator(baseUrl, required(auth.consumerKey, msg('The consumer key')), key, required(auth.token, msg('The OAuth access token')));
    }
    case 'pat': {
      const header = `Bearer ${required(auth.token, msg('The personal access token')).trim()}`;
      return { type: 'pat', authorize: () => ({ header }) };
    }
    case 'basic': {
      const header = `Basic ${Buffer.from(`${required(auth.username, msg('The user name'))}:${auth.password ?? ''}`, 'utf8').toString('base64')}`;
      return { type: 'basic', authorize: () => ({ header }) };
    }
    case 'oauth2': {
      if ('tokens' in auth) {
        const tokens = auth.tokens;
        if (!tokens || typeof tokens.accessToken !== 'function') throw new JiraError('invalid_request', msg('The OAuth 2.0 token manager is missing.'));
        return {
          type: 'oauth2',
          authorize: async (_m, _u, _f, signal) => ({ header: `Bearer ${await tokens.accessToken(signal)}` }),
          retryAfter401: async (rejected, signal) => `Bearer ${await tokens.refreshAfter((rejected ?? '').replace(/^Bearer\s+/i, ''), signal)}`,
        };
      }
      const header = `Bearer ${required(auth.accessToken, msg('The OAuth 2.0 access token'))}`;
      return { type: 'oauth2', authorize: () => ({ header }) };
    }
    default:
      throw new JiraError('invalid_request', msg('Unknown auth type "{0}": use oauth1, pat, basic or oauth2.', String((auth as { type?: string }).type)));
  }
}

/**
 * A Jira REST client that authenticates every request. The base URL is normalized
 * (normalizeBaseUrl) and an OAuth private key is parsed once. Throws a JiraError for a bad base
 * URL or auth, a KeyError for a bad key.
 */
export function createJiraClient(options: CreateJiraClientOptions): JiraClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const auth = authenticatorFor(baseUrl, options.auth);
  const { baseUrl: _b, auth: _a, ...connection } = options;
  const conn: Connection = { baseUrl, auth, options: connection };
  return {
    baseUrl,
    authType: options.auth.type,
    async request<T = unknown>(method: string, path: string, opts: JiraRequestOptions = {}): Promise<JiraResponse<T>> {
      const raw = await sendRaw(
        conn,
        method,
        path,
        {
          query: opts.query as QueryOption | undefined,
          json: opts.json,
          form: opts.form as FormOption | undefined,
          signal: opts.signal,
          timeoutMs: opts.timeoutMs,
          headers: opts.headers,
        },
        'rest',
      );
      return { status: raw.status, headers: raw.headers, body: parseJsonBody(raw) as T };
    },
  };
}

/** What /rest/api/2/serverInfo returns (the fields this library uses; Jira sends more). */
export interface ServerInfo {
  baseUrl?: string;
  version?: string;
  versionNumbers?: number[];
  deploymentType?: 'Server' | 'Cloud' | string;
  buildNumber?: number;
  serverTitle?: string;
  [key: string]: unknown;
}

/**
 * Anonymous GET {base}/rest/api/2/serverInfo: checks that the URL is a reachable Jira and tells
 * its version and the base URL Jira believes it has (compare it with the one entered: a mismatch
 * is the usual cause of signature_invalid).
 */
export async function fetchServerInfo(baseUrl: string, options: ConnectionOptions & { signal?: AbortSignal } = {}): Promise<ServerInfo> {
  const base = normalizeBaseUrl(baseUrl);
  const conn: Connection = { baseUrl: base, auth: { type: 'none', authorize: () => ({}) }, options };
  const raw = await sendRaw(conn, 'GET', '/rest/api/2/serverInfo', { signal: options.signal }, 'rest');
  const body = parseJsonBody(raw);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new JiraError('bad_response', msg('{0}/rest/api/2/serverInfo did not return Jira\'s server information: is this a Jira server?', base), {
      status: raw.status,
      url: raw.ctx.url,
    });
  }
  return body as ServerInfo;
}
