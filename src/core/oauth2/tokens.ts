import { errorFromResponse, htmlError, JiraError, looksLikeHtml, stripQuery } from '../errors';
import { formatMessage, Message, msg, sentences } from '../messages';
import { httpRequest, HttpResponse, Transport } from '../http';
import { DEFAULT_USER_AGENT } from '../version';
import { isCloudEndpoints, OAuth2Endpoints } from './endpoints';

/** What the token endpoint gave, with absolute times. */
export interface OAuth2Tokens {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  /** Space-separated scopes granted (when the server says). */
  scope?: string;
  /** ms epoch; undefined when the server sent no expires_in. */
  expiresAt?: number;
  /** ms epoch: when the token request was sent. */
  obtainedAt: number;
}

interface TokenCallOptions {
  endpoints: OAuth2Endpoints;
  clientId: string;
  clientSecret?: string;
  signal?: AbortSignal;
  transport?: Transport;
  now?: () => number;
  timeoutMs?: number;
  userAgent?: string;
}

export interface ExchangeCodeOptions extends TokenCallOptions {
  code: string;
  redirectUri: string;
  /** PKCE verifier (Data Center). */
  codeVerifier?: string;
}

export interface RefreshAccessTokenOptions extends TokenCallOptions {
  refreshToken: string;
}

type Phase = 'exchange' | 'refresh' | 'redirect';

/** What to do about an RFC 6749 §5.2 error code. */
export function oauth2ErrorMessage(error: string, description: string | undefined, phase: Phase): string {
  return formatMessage(oauth2ErrorText(error, description, phase));
}

/** oauth2ErrorMessage as a template and arguments; the description is the server's (or a Message of this library's). */
export function oauth2ErrorText(error: string, description: string | Message | undefined, phase: Phase): Message {
  const says = description === undefined || description === '' ? undefined : msg('The server says: {0}', description);
  switch (error) {
    case 'invalid_grant':
      return sentences(
        phase === 'refresh'
          ? msg('The refresh token is no longer valid (expired, revoked, or already used by another window): sign in again.')
          : msg('The authorization code was refused (expired, already used, for another redirect URI, or the PKCE verifier does not match): start the sign-in again.'),
        says,
      );
    case 'invalid_client':
      return sentences(msg('The client id or client secret was not accepted: check the client id/secret in the Jira application link (Administration > Applications > Application links) or, for Jira Cloud, the app\'s settings in the Atlassian developer console.'), says);
    case 'unauthorized_client':
      return sentences(msg('This OAuth 2.0 client may not use this grant: check the application link\'s settings in Jira.'), says);
    case 'invalid_scope':
      return sentences(msg('Jira refused the requested scopes: check the scopes allowed for the application link (Data Center: READ, WRITE...; Cloud: the app\'s permissions).'), says);
    case 'unsupported_grant_type':
      return sentences(msg('The server does not support this OAuth 2.0 grant: check that the URL is Jira\'s token endpoint.'), says);
    case 'access_denied':
      return sentences(msg('Access was denied on the consent page: start the sign-in again and click Allow (or Accept).'), says);
    case 'invalid_request':
      return sentences(msg('The OAuth 2.0 request was refused as invalid: start the sign-in again; if it persists, check the redirect URI registered in the application link.'), says);
    case 'server_error':
    case 'temporarily_unavailable':
      return sentences(msg('The OAuth 2.0 server failed ({0}): try again later.', error), says);
    case 'state_mismatch':
      return msg('The redirect does not belong to this sign-in (its state is missing or different: an old or forged link): start the sign-in again.');
    case 'missing_code':
      return sentences(msg('The redirect carries no authorization code: copy the whole address from the browser after clicking Allow, or start the sign-in again.'), says);
    case 'no_refresh_token':
      return sentences(msg('The OAuth 2.0 access token expired and there is no refresh token to renew it: sign in again.'), says);
    case 'not_signed_in':
      return sentences(msg('No OAuth 2.0 tokens are stored for this account: sign in again.'), says);
    case 'store_failed':
      return sentences(msg('The renewed OAuth 2.0 tokens could not be saved, so they were not used (the old refresh token is no longer valid): sign in again.'), says);
    default:
      return sentences(msg('The OAuth 2.0 server refused the request ({0}): start the sign-in again.', error), says);
  }
}

export function oauth2Error(error: string, description: string | Message | undefined, phase: Phase, details: { status?: number; url?: string; method?: string } = {}): JiraError {
  return new JiraError('oauth2_error', oauth2ErrorText(error, description, phase), {
    ...details,
    oauth2Error: error,
    oauth2ErrorDescription: typeof description === 'object' ? formatMessage(description) : description,
  });
}

function parseJson(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

function form(params: Record<string, string | undefined>): Buffer {
  return Buffer.from(
    Object.entries(params)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`)
      .join('&'),
    'utf8',
  );
}

async function tokenRequest(o: TokenCallOptions, params: Record<string, string | undefined>, phase: Phase): Promise<OAuth2Tokens> {
  if (!o.clientId) throw new JiraError('invalid_request', msg('The OAuth 2.0 client id is missing: copy it from the application link (or the Atlassian developer console).'));
  if (isCloudEndpoints(o.endpoints) && !o.clientSecret) {
    throw oauth2Error('invalid_client', msg('Jira Cloud (3LO) requires the client secret: copy it from the app\'s Settings in the Atlassian developer console.'), phase);
  }
  const now = o.now ?? Date.now;
  const obtainedAt = now();
  const url = o.endpoints.token;
  const transport = o.transport ?? httpRequest;
  const res = await transport({
    method: 'POST',
    url,
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': o.userAgent || DEFAULT_USER_AGENT,
    },
    body: form({ ...params, client_id: o.clientId, client_secret: o.clientSecret }),
    signal: o.signal,
    timeoutMs: o.timeoutMs,
  });
  const ctx = { method: 'POST', url, baseUrl: url, authType: 'oauth2' as const };
  const body = parseJson(res) as Record<string, unknown> | undefined;
  if (res.status < 200 || res.status >= 300) {
    if (body && typeof body.error === 'string') {
      const desc = typeof body.error_description === 'string' ? body.error_description : undefined;
      throw oauth2Error(body.error, desc, phase, { status: res.status, url, method: 'POST' });
    }
    throw errorFromResponse(res, ctx);
  }
  const text = res.body.toString('utf8');
  if (looksLikeHtml(res.headers['content-type'], text)) throw htmlError(res, text, { ...ctx, phase: 'access-token' });
  if (!body || typeof body.access_token !== 'string' || !body.access_token) {
    throw new JiraError('bad_response', msg('The token endpoint {0} answered without an access_token: check that the URL is Jira\'s OAuth 2.0 token endpoint.', stripQuery(url)), {
      status: res.status,
      url,
      method: 'POST',
    });
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : typeof body.expires_in === 'string' && /^\d+$/.test(body.expires_in) ? Number(body.expires_in) : undefined;
  const tokens: OAuth2Tokens = {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' && body.token_type ? body.token_type : 'Bearer',
    obtainedAt,
  };
  if (typeof body.refresh_token === 'string' && body.refresh_token) tokens.refreshToken = body.refresh_token;
  if (typeof body.scope === 'string') tokens.scope = body.scope;
  if (expiresIn !== undefined) tokens.expiresAt = obtainedAt + expiresIn * 1000;
  return tokens;
}

/** Exchange an authorization code (RFC 6749 §4.1.3, with the PKCE verifier on Data Center). */
export function exchangeCode(o: ExchangeCodeOptions): Promise<OAuth2Tokens> {
  if (!o.code) return Promise.reject(oauth2Error('missing_code', msg('No authorization code.'), 'exchange'));
  return tokenRequest(o, { grant_type: 'authorization_code', code: o.code, redirect_uri: o.redirectUri, code_verifier: o.codeVerifier }, 'exchange');
}

/** Refresh (RFC 6749 §6). Keeps the old refresh token when the server returns none (no rotation). */
export async function refreshAccessToken(o: RefreshAccessTokenOptions): Promise<OAuth2Tokens> {
  if (!o.refreshToken) throw oauth2Error('no_refresh_token', undefined, 'refresh');
  const t = await tokenRequest(o, { grant_type: 'refresh_token', refresh_token: o.refreshToken }, 'refresh');
  if (!t.refreshToken) t.refreshToken = o.refreshToken;
  return t;
}

/** One Jira Cloud site the token may access. */
export interface AccessibleResource {
  /** The cloudId (for `/ex/jira/{cloudId}`). */
  id: string;
  name: string;
  /** https://your-site.atlassian.net */
  url: string;
  scopes: string[];
  avatarUrl?: string;
}

/** GET accessible-resources with the access token: the Cloud sites to pick from. */
export async function accessibleResources(o: { endpoints: OAuth2Endpoints; accessToken: string; signal?: AbortSignal; transport?: Transport; timeoutMs?: number }): Promise<AccessibleResource[]> {
  const url = o.endpoints.accessibleResources;
  if (!url) throw new JiraError('invalid_request', msg('These OAuth 2.0 endpoints have no accessibleResources URL: they are not Jira Cloud endpoints.'));
  const transport = o.transport ?? httpRequest;
  const res = await transport({
    method: 'GET',
    url,
    headers: { Accept: 'application/json', Authorization: `Bearer ${o.accessToken}`, 'User-Agent': DEFAULT_USER_AGENT },
    signal: o.signal,
    timeoutMs: o.timeoutMs,
  });
  const ctx = { method: 'GET', url, baseUrl: url, authType: 'oauth2' as const };
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, ctx);
  const body = parseJson(res);
  if (!Array.isArray(body)) throw new JiraError('bad_response', msg('{0} did not return a list of sites.', url), { status: res.status, url, method: 'GET' });
  return body
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string')
    .map((r) => {
      const out: AccessibleResource = {
        id: r.id as string,
        name: typeof r.name === 'string' ? r.name : String(r.url ?? r.id),
        url: typeof r.url === 'string' ? r.url : '',
        scopes: Array.isArray(r.scopes) ? r.scopes.map(String) : [],
      };
      if (typeof r.avatarUrl === 'string') out.avatarUrl = r.avatarUrl;
      return out;
    });
}

/**
 * The authorization code from the redirect (a URL, or just its query string), after checking
 * `state`. Throws JiraError('oauth2_error') with oauth2Error `access_denied` (Deny was clicked) or
 * another server error (its error_description in the message), `state_mismatch` or `missing_code`.
 */
export function parseRedirect(url: string, expectedState: string): { code: string } {
  const s = (url ?? '').trim();
  const q = s.indexOf('?');
  let query = q >= 0 ? s.slice(q + 1) : s.includes('=') ? s : '';
  const hash = query.indexOf('#');
  if (hash >= 0) query = query.slice(0, hash);
  const params = new URLSearchParams(query);
  const state = params.get('state');
  const error = params.get('error');
  if (state !== null && state !== expectedState) {
    throw oauth2Error('state_mismatch', undefined, 'redirect');
  }
  if (error) throw oauth2Error(error, params.get('error_description') ?? undefined, 'redirect');
  if (state === null) throw oauth2Error('state_mismatch', undefined, 'redirect');
  const code = params.get('code');
  if (!code) throw oauth2Error('missing_code', undefined, 'redirect');
  return { code };
}
