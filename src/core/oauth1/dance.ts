import { JiraError } from '../errors';
import { msg } from '../messages';
import { loadPrivateKey } from '../keys';
import { oauth1Authenticator } from '../jira';
import { Connection, ConnectionOptions, parseFormBody, sendRaw } from '../requester';
import { normalizeBaseUrl } from '../url';
import { percentDecode, percentEncode } from './signature';

/**
 * The OAuth 1.0a dance against Jira's application-link endpoints:
 *   POST {base}/plugins/servlet/oauth/request-token   (oauth_callback, default "oob")
 *   browser: {base}/plugins/servlet/oauth/authorize?oauth_token=...  -> "Your verification code is 'XXXX'"
 *   POST {base}/plugins/servlet/oauth/access-token    (oauth_token + oauth_verifier)
 * Both POSTs are RSA-SHA1 signed with the oauth_* parameters in the Authorization header; the
 * responses are form-encoded.
 */

export interface OAuthDanceOptions extends ConnectionOptions {
  baseUrl: string;
  consumerKey: string;
  privateKeyPem: string;
  /** Passphrase of an encrypted private key. */
  passphrase?: string;
  signal?: AbortSignal;
}

export interface RequestTokenOptions extends OAuthDanceOptions {
  /** oauth_callback; default 'oob' (Jira then shows the verification code). */
  callback?: string;
}

export interface RequestTokenResult {
  token: string;
  tokenSecret: string;
  /** Open this in the browser: `{base}/plugins/servlet/oauth/authorize?oauth_token=...`. */
  authorizeUrl: string;
  callbackConfirmed?: boolean;
}

export interface AccessTokenOptions extends OAuthDanceOptions {
  /** The request token. */
  token: string;
  tokenSecret: string;
  /** The verification code (passed through parseVerifier, so a pasted sentence works). */
  verifier: string;
}

export interface AccessTokenResult {
  token: string;
  tokenSecret: string;
  /** oauth_expires_in, seconds. */
  expiresIn?: number;
  /** oauth_session_handle (for token renewal), when sent. */
  sessionHandle?: string;
  /** oauth_authorization_expires_in, seconds, when sent. */
  authorizationExpiresIn?: number;
}

const REQUEST_TOKEN_PATH = '/plugins/servlet/oauth/request-token';
const ACCESS_TOKEN_PATH = '/plugins/servlet/oauth/access-token';
const AUTHORIZE_PATH = '/plugins/servlet/oauth/authorize';

/** `{base}/plugins/servlet/oauth/authorize?oauth_token=<encoded>`. */
export function authorizeUrl(baseUrl: string, token: string): string {
  return `${normalizeBaseUrl(baseUrl)}${AUTHORIZE_PATH}?oauth_token=${percentEncode(token)}`;
}

function connection(o: OAuthDanceOptions, token: string | undefined, extra: Record<string, string>): Connection {
  const baseUrl = normalizeBaseUrl(o.baseUrl);
  if (!o.consumerKey) throw new JiraError('invalid_request', msg('The consumer key is missing.'));
  const key = loadPrivateKey(o.privateKeyPem, { passphrase: o.passphrase });
  const options: ConnectionOptions = { userAgent: o.userAgent, agent: o.agent, tls: o.tls, timeoutMs: o.timeoutMs, transport: o.transport, network: o.network, retry: o.retry };
  return { baseUrl, auth: oauth1Authenticator(baseUrl, o.consumerKey, key, token, extra), options };
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '' || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** Step 1: get a request token and the URL where the user authorizes it. */
export async function requestToken(o: RequestTokenOptions): Promise<RequestTokenResult> {
  const conn = connection(o, undefined, { oauth_callback: o.callback || 'oob' });
  const raw = await sendRaw(conn, 'POST', REQUEST_TOKEN_PATH, { signal: o.signal, form: {} }, 'request-token');
  const f = parseFormBody(raw);
  if (!f.oauth_token || f.oauth_token_secret === undefined) {
    throw new JiraError(
      'bad_response',
      msg('{0} answered without a request token. Check that the base URL is Jira\'s and that it has OAuth application links.', `${conn.baseUrl}${REQUEST_TOKEN_PATH}`),
      { status: raw.status, url: raw.ctx.url },
    );
  }
  return {
    token: f.oauth_token,
    tokenSecret: f.oauth_token_secret,
    authorizeUrl: `${conn.baseUrl}${AUTHORIZE_PATH}?oauth_token=${percentEncode(f.oauth_token)}`,
    callbackConfirmed: f.oauth_callback_confirmed === undefined ? undefined : f.oauth_callback_confirmed === 'true',
  };
}

/** Step 3: exchange the authorized request token and the verification code for an access token. */
export async function accessToken(o: AccessTokenOptions): Promise<AccessTokenResult> {
  if (!o.token) throw new JiraError('invalid_request', msg('The request token is missing: call requestToken first.'));
  const verifier = parseVerifier(o.verifier);
  const conn = connection(o, o.token, { oauth_verifier: verifier });
  const raw = await sendRaw(conn, 'POST', ACCESS_TOKEN_PATH, { signal: o.signal, form: {} }, 'access-token');
  const f = parseFormBody(raw);
  if (!f.oauth_token || f.oauth_token_secret === undefined) {
    throw new JiraError('bad_response', msg('{0} answered without an access token. Start the sign-in again.', `${conn.baseUrl}${ACCESS_TOKEN_PATH}`), {
      status: raw.status,
      url: raw.ctx.url,
    });
  }
  return {
    token: f.oauth_token,
    tokenSecret: f.oauth_token_secret,
    expiresIn: num(f.oauth_expires_in),
    sessionHandle: f.oauth_session_handle || undefined,
    authorizationExpiresIn: num(f.oauth_authorization_expires_in),
  };
}

const QUOTES = `'"\`‘’“”«»`;
const QUOTE_CLASS = `['"\`‘’“”«»]`;

/**
 * The verification code from what the user pasted: trims whitespace and surrounding quotes or
 * backticks, accepts Jira's whole sentence ("Your verification code is 'XXXX'.") and an
 * `oauth_verifier=...` callback URL. Throws a JiraError (code 'invalid_verifier') when nothing is left.
 */
export function parseVerifier(input: string): string {
  let s = String(input ?? '').trim();
  const fromUrl = /(?:^|[?&#\s])oauth_verifier=([^&#\s]+)/.exec(s);
  const sentence = new RegExp(`verification code is\\s*:?\\s*${QUOTE_CLASS}*\\s*([^\\s'"\`‘’“”«»]+)`, 'i').exec(s);
  if (fromUrl) {
    try {
      s = percentDecode(fromUrl[1].replace(/\+/g, ' '));
    } catch {
      s = fromUrl[1];
    }
  } else if (sentence) {
    s = sentence[1].replace(/[.,;:!]+$/, '');
  } else {
    let prev: string;
    do {
      prev = s;
      s = s.trim();
      if (s.length && QUOTES.includes(s[0])) s = s.slice(1);
      if (s.length && QUOTES.includes(s[s.length - 1])) s = s.slice(0, -1);
    } while (s !== prev);
  }
  s = s.trim();
  if (!s) {
    throw new JiraError(
      'invalid_verifier',
      msg('Enter the verification code Jira showed after you clicked Allow (the text in quotes in "Your verification code is \'...\'").'),
    );
  }
  if (/\s/.test(s)) {
    throw new JiraError('invalid_verifier', msg('The verification code is a single word without spaces: paste only the code Jira showed.'));
  }
  return s;
}
