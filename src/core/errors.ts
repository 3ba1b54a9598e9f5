import { formDecode, Param, percentDecode } from './oauth1/signature';
import { formatMessage, mapArgs, Message, msg, sentences } from './messages';
import { OAuthProblemKind, oauthProblemRow, oauthProblemText } from './oauthProblems';
import { redact } from './redact';

/** Machine-readable reason of a JiraError. */
export type JiraErrorCode =
  /** Jira's OAuth filter refused the request: see `oauthProblem`. */
  | 'oauth_problem'
  /** HTTP 401 without an oauth_problem: the credentials were not accepted. */
  | 'unauthorized'
  /** HTTP 403. */
  | 'forbidden'
  /** HTTP 403 after too many failed logins: Jira wants a CAPTCHA solved in the browser. */
  | 'captcha_required'
  /** HTTP 404. */
  | 'not_found'
  /** HTTP 410. */
  | 'gone'
  /** HTTP 429: see `retryAfterSeconds`. */
  | 'rate_limited'
  /** HTTP 5xx. */
  | 'server_error'
  /** HTTP 400 (without an oauth_problem). */
  | 'bad_request'
  /** Another 4xx status. */
  | 'http_error'
  /** HTTP 3xx: the server redirected (usually http to https, another host, or an SSO login). */
  | 'redirect'
  /** Connection refused/reset, unknown host, unreachable network. */
  | 'network'
  /** No response within the timeout. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** TLS failure: self-signed or unknown CA, expired certificate, host name mismatch, not TLS, client certificate refused. */
  | 'tls'
  /** The proxy could not be reached, or refused to connect to Jira. */
  | 'proxy'
  /** The proxy requires authentication (HTTP 407). */
  | 'proxy_auth'
  /** A network setting is unusable (CA file, client certificate, proxy URL, plain http not allowed): the message names it. */
  | 'config'
  /** A web page (SSO login, proxy error) came back where JSON was expected. */
  | 'html_instead_of_json'
  /** The body claimed or looked like JSON but did not parse. */
  | 'bad_json'
  /** The OAuth endpoint answered 2xx but without the expected fields. */
  | 'bad_response'
  /** The response exceeded the size limit. */
  | 'response_too_large'
  /** normalizeBaseUrl refused the URL. */
  | 'invalid_base_url'
  /** The request could not be built (bad path, percent-encoding, both json and form...). */
  | 'invalid_request'
  /** parseVerifier got nothing usable. */
  | 'invalid_verifier'
  /** OAuth 2.0: the token endpoint, the redirect or the token store failed: see `oauth2Error`. */
  | 'oauth2_error';

export interface JiraErrorDetails {
  status?: number;
  oauthProblem?: string;
  /** What the oauth_problem means for a sign-in (its row in src/core/oauthProblems.ts). */
  oauthProblemKind?: OAuthProblemKind;
  oauthProblemAdvice?: string;
  oauthParametersAbsent?: string[];
  oauthParametersRejected?: string[];
  oauthAcceptableTimestamps?: string;
  errorMessages?: string[];
  errors?: Record<string, string>;
  retryAfterSeconds?: number;
  method?: string;
  /** The request URL (redacted). */
  url?: string;
  /** The base string URI that was signed (OAuth 1.0a requests). */
  signedUrl?: string;
  /** The Location header of a redirect. */
  location?: string;
  /** The <title> of an HTML page that came back. */
  pageTitle?: string;
  /** A 404 of Jira's REST layer for a path it does not know ("null for uri"): this Jira has no such resource. */
  resourceMissing?: boolean;
  /** Node's error code for network/TLS errors (ECONNREFUSED, CERT_HAS_EXPIRED...). */
  systemCode?: string;
  /** OAuth 2.0 error code: RFC 6749's (`invalid_grant`, `invalid_client`, `access_denied`...) or this library's (`state_mismatch`, `missing_code`, `not_signed_in`, `no_refresh_token`, `store_failed`). */
  oauth2Error?: string;
  /** The server's `error_description`. */
  oauth2ErrorDescription?: string;
  cause?: unknown;
}

/**
 * Every failure of a request, the OAuth dance or base URL handling. The message says what to do:
 * `message` in English, `text` as a template and arguments for a translator (see messages.ts).
 */
export class JiraError extends Error {
  readonly code: JiraErrorCode;
  /** The message as an English template and its (redacted) arguments, for translation. */
  readonly text: Message;
  readonly status?: number;
  readonly oauthProblem?: string;
  readonly oauthProblemKind?: OAuthProblemKind;
  readonly oauthProblemAdvice?: string;
  readonly oauthParametersAbsent?: string[];
  readonly oauthParametersRejected?: string[];
  readonly oauthAcceptableTimestamps?: string;
  readonly errorMessages?: string[];
  readonly errors?: Record<string, string>;
  readonly retryAfterSeconds?: number;
  readonly method?: string;
  readonly url?: string;
  readonly signedUrl?: string;
  readonly location?: string;
  readonly pageTitle?: string;
  readonly resourceMissing?: boolean;
  readonly systemCode?: string;
  readonly oauth2Error?: string;
  readonly oauth2ErrorDescription?: string;
  readonly cause?: unknown;

  constructor(code: JiraErrorCode, text: Message, details: JiraErrorDetails = {}) {
    const safe = mapArgs(text, redact);
    super(redact(formatMessage(safe)));
    this.name = 'JiraError';
    this.code = code;
    this.text = safe;
    for (const k of Object.keys(details) as Array<keyof JiraErrorDetails>) {
      const v = details[k];
      if (v === undefined) continue;
      (this as Record<string, unknown>)[k] = k === 'oauthProblem' || k === 'oauth2Error' || k === 'cause' ? v : redactValue(v);
    }
  }
}

function redactValue(v: unknown): unknown {
  if (typeof v === 'string') return redact(v);
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = redactValue(x);
    return out;
  }
  return v;
}

/** Everything the mapper knows about the request that failed. */
export interface ErrorContext {
  method: string;
  /** Full request URL as sent. */
  url: string;
  /** The normalized base URL the client was created with. */
  baseUrl: string;
  /** The base string URI that was signed (OAuth 1.0a). */
  signedUrl?: string;
  authType?: 'oauth1' | 'pat' | 'basic' | 'oauth2' | 'none';
  consumerKey?: string;
  /** What the caller expected back. */
  phase?: 'rest' | 'request-token' | 'access-token';
  /** Clock offset in seconds that was applied (for timestamp_refused). */
  clockOffsetSeconds?: number;
}

export interface ParsedOAuthProblem {
  problem?: string;
  advice?: string;
  parametersAbsent?: string[];
  parametersRejected?: string[];
  acceptableTimestamps?: string;
  /** The base string the server computed, when it sent it back (oauth_signature_base_string). */
  serverBaseString?: string;
}

function lenientDecode(s: string): string {
  try {
    return percentDecode(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function lenientFormDecode(s: string): Param[] {
  try {
    return formDecode(s);
  } catch {
    return s.split('&').map((seg) => {
      const eq = seg.indexOf('=');
      return (eq === -1 ? [lenientDecode(seg), ''] : [lenientDecode(seg.slice(0, eq)), lenientDecode(seg.slice(eq + 1))]) as Param;
    });
  }
}

function splitList(v: string | undefined): string[] | undefined {
  if (!v) return undefined;
  const parts = v.split(/[&,\s]+/).filter(Boolean);
  return parts.length ? parts : undefined;
}

/**
 * Read oauth_problem and friends from a `WWW-Authenticate: OAuth ...` header and/or a
 * form-encoded body (`oauth_problem=...&oauth_problem_advice=...`).
 */
export function parseOAuthProblem(wwwAuthenticate: string | undefined, body: string | undefined): ParsedOAuthProblem {
  const found: Record<string, string> = {};
  if (wwwAuthenticate && /\boauth_/.test(wwwAuthenticate)) {
    const re = /(oauth_[a-z_]+)\s*=\s*"([^"]*)"/gi;
    let m: RegExpExecArray | null;
    while ((m = re.exec(wwwAuthenticate)) !== null) found[m[1].toLowerCase()] = lenientDecode(m[2]);
  }
  if (body && /(^|[&\s])oauth_problem=/.test(body) && body.length < 65536) {
    for (const [k, v] of lenientFormDecode(body.trim())) {
      if (k.startsWith('oauth_') && found[k] === undefined) found[k] = v;
    }
  }
  return {
    problem: found.oauth_problem || undefined,
    advice: found.oauth_problem_advice || undefined,
    parametersAbsent: splitList(found.oauth_parameters_absent),
    parametersRejected: splitList(found.oauth_parameters_rejected),
    acceptableTimestamps: found.oauth_acceptable_timestamps || undefined,
    serverBaseString: found.oauth_signature_base_string || undefined,
  };
}

export interface ResponseLike {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Is this a web page rather than an API response? */
export function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  if (contentType && /\b(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) return true;
  return /^\s*</.test(text) && /<(!doctype|html|head|body|title|meta|div|form|script|p)\b/i.test(text.slice(0, 2048));
}

/** The <title> of an HTML page, trimmed and shortened. */
export function htmlTitle(html: string): string | undefined {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!m) return undefined;
  const t = m[1]
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t) return undefined;
  return t.length > 120 ? t.slice(0, 117) + '...' : t;
}

function retryAfter(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - Date.now()) / 1000));
}

/** Jira's REST error body: {"errorMessages": [...], "errors": {field: message}}. */
function jiraErrorBody(text: string): { errorMessages?: string[]; errors?: Record<string, string>; message?: string } {
  if (!/^\s*[{[]/.test(text)) return {};
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    if (!j || typeof j !== 'object') return {};
    const out: { errorMessages?: string[]; errors?: Record<string, string>; message?: string } = {};
    if (Array.isArray(j.errorMessages)) out.errorMessages = j.errorMessages.map(String);
    if (j.errors && typeof j.errors === 'object' && !Array.isArray(j.errors)) {
      const errs: Record<string, string> = {};
      for (const [k, v] of Object.entries(j.errors as Record<string, unknown>)) errs[k] = String(v);
      out.errors = errs;
    }
    if (typeof j.message === 'string') out.message = j.message;
    return out;
  } catch {
    return {};
  }
}

function jiraSays(b: { errorMessages?: string[]; errors?: Record<string, string>; message?: string }): Message | undefined {
  const parts: string[] = [];
  if (b.errorMessages) parts.push(...b.errorMessages.filter(Boolean));
  if (b.errors) for (const [k, v] of Object.entries(b.errors)) parts.push(`${k}: ${v}`);
  if (!parts.length && b.message) parts.push(b.message);
  if (!parts.length) return undefined;
  const s = parts.join('; ');
  return msg('Jira says: {0}', s.length > 500 ? s.slice(0, 497) + '...' : s);
}

/** The request's path below the base URL ("/rest/api/2/filter/favourite"), without the query. */
function restPath(ctx: ErrorContext): string {
  const url = stripQuery(ctx.url);
  const base = ctx.baseUrl?.replace(/\/+$/, '');
  return base && url.startsWith(base) ? url.slice(base.length) || '/' : url;
}

function what(ctx: ErrorContext): string {
  return `${ctx.method.toUpperCase()} ${stripQuery(ctx.url)}`;
}

/** A URL without its query (which may be long, and is never needed to explain an error). */
export function stripQuery(url: string): string {
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

/** The error for an HTML page received where JSON (or an OAuth form response) was expected. */
export function htmlError(res: ResponseLike, text: string, ctx: ErrorContext): JiraError {
  const title = htmlTitle(text);
  const oauth = ctx.phase && ctx.phase !== 'rest';
  const returned = title
    ? oauth
      ? msg('The server returned a web page (title: "{0}") instead of an OAuth response for {1} (HTTP {2}).', title, what(ctx), res.status)
      : msg('The server returned a web page (title: "{0}") instead of Jira\'s JSON for {1} (HTTP {2}).', title, what(ctx), res.status)
    : oauth
      ? msg('The server returned a web page instead of an OAuth response for {0} (HTTP {1}).', what(ctx), res.status)
      : msg('The server returned a web page instead of Jira\'s JSON for {0} (HTTP {1}).', what(ctx), res.status);
  const message = sentences(returned, msg('This is not Jira\'s REST API at that URL (check the base URL, including a context path such as /jira), or an SSO/proxy login page intercepted the request.'));
  return new JiraError('html_instead_of_json', message, { status: res.status, pageTitle: title, method: ctx.method, url: ctx.url });
}

/** What a 401 means for each kind of credentials. */
function unauthorizedHint(authType: ErrorContext['authType']): Message {
  switch (authType) {
    case 'pat':
      return msg('Check that the personal access token is correct, has not expired and was not revoked (Profile > Personal Access Tokens).');
    case 'basic':
      return msg('Check the username and password; Jira Cloud needs an API token instead of the password, and some servers disable password logins for the API.');
    case 'oauth2':
      return msg('The OAuth 2.0 access token is invalid or expired: sign in again.');
    case 'oauth1':
      return msg('Jira did not accept the OAuth credentials: sign in again. If it persists, a proxy may be stripping the Authorization header.');
    default:
      return msg('This resource needs you to sign in.');
  }
}

/** Map a non-2xx response to a JiraError (oauth_problem first, then the status). */
export function errorFromResponse(res: ResponseLike, ctx: ErrorContext): JiraError {
  const text = res.body.length > 262144 ? res.body.subarray(0, 262144).toString('utf8') : res.body.toString('utf8');
  const h = res.headers;
  const base = { status: res.status, method: ctx.method, url: ctx.url, signedUrl: ctx.signedUrl };
  const p = parseOAuthProblem(h['www-authenticate'], text);
  if (p.problem) {
    return new JiraError('oauth_problem', oauthProblemText(p, ctx), {
      ...base,
      oauthProblem: p.problem,
      oauthProblemKind: oauthProblemRow(p.problem)?.kind,
      oauthProblemAdvice: p.advice,
      oauthParametersAbsent: p.parametersAbsent,
      oauthParametersRejected: p.parametersRejected,
      oauthAcceptableTimestamps: p.acceptableTimestamps,
    });
  }
  const isHtml = looksLikeHtml(h['content-type'], text);
  const title = isHtml ? htmlTitle(text) : undefined;
  const page = !isHtml
    ? undefined
    : title
      ? msg('The server returned a web page (title: "{0}"), not Jira\'s JSON.', title)
      : msg('The server returned a web page, not Jira\'s JSON.');
  const jb = isHtml ? {} : jiraErrorBody(text);
  const says = jiraSays(jb);
  const details: JiraErrorDetails = { ...base, errorMessages: jb.errorMessages, errors: jb.errors, pageTitle: title };
  const s = res.status;
  const w = what(ctx);

  if (s >= 300 && s < 400) {
    const loc = h['location'];
    let hint = msg('Use the base URL the server redirects to.');
    if (loc && /login|sso|saml|oauth|auth|idp|signin/i.test(stripQuery(loc))) {
      hint = msg('An SSO or login page intercepted the request: API calls must reach Jira directly (check the base URL, or ask for the API to be exempted from SSO).');
    } else if (loc && /^https:/i.test(loc) && /^http:/i.test(ctx.url)) {
      hint = msg('The server wants https: use an https:// base URL.');
    }
    const redirected = loc ? msg('{0} was redirected (HTTP {1}) to {2}.', w, s, stripQuery(loc)) : msg('{0} was redirected (HTTP {1}).', w, s);
    return new JiraError('redirect', sentences(redirected, hint), { ...details, location: loc });
  }
  if ((s === 401 || s === 403) && /captcha/i.test(h['x-authentication-denied-reason'] || '')) {
    return new JiraError(
      'captcha_required',
      s === 401
        ? msg('Jira requires a CAPTCHA after failed logins (HTTP 401). Log in to {0} once in a browser (solving the CAPTCHA), then try again; or use a personal access token or OAuth instead of the password.', ctx.baseUrl)
        : msg('Jira requires a CAPTCHA after failed logins (HTTP 403). Log in to {0} once in a browser (solving the CAPTCHA), then try again.', ctx.baseUrl),
      details,
    );
  }
  if (s === 401) {
    return new JiraError('unauthorized', sentences(msg('Jira did not accept the credentials for {0} (HTTP 401).', w), unauthorizedHint(ctx.authType), says, page), details);
  }
  if (s === 403) {
    return new JiraError(
      'forbidden',
      sentences(msg('Jira refused {0} (HTTP 403): your account lacks the permission for it, or an administrator restricted API or OAuth access. Ask a Jira administrator for the permission.', w), says, page),
      details,
    );
  }
  if (s === 404) {
    // Jira's REST layer answers "null for uri: <url>" for a path it does not know: Jira was
    // reached, and this Jira (its version, or a missing app) has no such resource. Its words say
    // nothing to a user; the path and what it means do.
    const raw = [jb.message, ...(jb.errorMessages ?? [])].filter(Boolean);
    if (!isHtml && raw.length && raw.every((m) => /^null for uri\b/i.test(m!))) {
      return new JiraError(
        'not_found',
        msg('{0} does not offer {1} (HTTP 404): this Jira version, or the app that would provide it, does not have it. If every request fails like this, check the base URL (including a context path such as /jira).', ctx.baseUrl, restPath(ctx)),
        { ...details, errorMessages: undefined, resourceMissing: true },
      );
    }
    const about = /\/rest\/api\/(\d+|latest)\/issue\/[^/]+/.test(stripQuery(ctx.url))
      ? msg('Not found: {0} (HTTP 404). The issue does not exist, or your account may not see it (Jira answers 404 for issues you lack permission for).', w)
      : msg('Not found: {0} (HTTP 404). Check the base URL (including a context path such as /jira) and that the resource exists.', w);
    return new JiraError('not_found', sentences(about, says, page), details);
  }
  if (s === 410) {
    return new JiraError(
      'gone',
      sentences(msg('{0} is gone (HTTP 410): this API was removed from this Jira version. Update the extension; if that does not help, report it with the log and the Jira version.', w), says, page),
      details,
    );
  }
  if (s === 429) {
    const ra = retryAfter(h['retry-after']);
    return new JiraError(
      'rate_limited',
      sentences(msg('Jira is rate-limiting requests (HTTP 429).'), ra !== undefined ? msg('Retry after {0} seconds.', ra) : msg('Wait a little and retry.'), says),
      { ...details, retryAfterSeconds: ra },
    );
  }
  if (s >= 500) {
    const proxy = s === 502 || s === 503 || s === 504;
    return new JiraError(
      'server_error',
      sentences(
        proxy
          ? msg('The Jira server, or a proxy in front of it, is unavailable (HTTP {0}) for {1}. Try again later; if it persists, tell the Jira administrator.', s, w)
          : msg('Jira failed with an internal error (HTTP {0}) for {1}. Try again later; if it persists, tell the Jira administrator (the error is in Jira\'s log).', s, w),
        says,
        page,
      ),
      details,
    );
  }
  if (s === 400) return new JiraError('bad_request', sentences(msg('Jira rejected {0} as invalid (HTTP 400).', w), says ?? snippet(text, isHtml), page), details);
  return new JiraError('http_error', sentences(msg('{0} failed with HTTP {1}.', w, s), says ?? snippet(text, isHtml), page), details);
}

function snippet(text: string, isHtml: boolean): Message | undefined {
  if (isHtml) return undefined;
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return undefined;
  return msg('The server said: {0}', t.length > 200 ? t.slice(0, 197) + '...' : t);
}

/** Why a TLS connection failed, by Node's error code. */
function tlsReason(code: string): Message {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': return msg('the server uses a self-signed certificate');
    case 'SELF_SIGNED_CERT_IN_CHAIN': return msg('the certificate chain ends in a self-signed certificate that is not trusted');
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': return msg('the certificate is issued by an unknown certificate authority (or the server does not send its intermediate certificates)');
    case 'UNABLE_TO_GET_ISSUER_CERT': return msg('the certificate is issued by an unknown certificate authority');
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': return msg('the certificate is issued by a certificate authority this computer does not trust (often a company CA)');
    case 'CERT_HAS_EXPIRED': return msg('the server certificate has expired');
    case 'CERT_NOT_YET_VALID': return msg('the server certificate is not valid yet (check the clock)');
    case 'CERT_REVOKED': return msg('the server certificate was revoked');
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH': return msg('the certificate does not match the host name in the base URL');
    case 'ERR_SSL_WRONG_VERSION_NUMBER': return msg('the server does not speak TLS on that port (try http:// instead of https://, or the right port)');
    case 'EPROTO': return msg('the TLS handshake failed (the server may not speak TLS on that port)');
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED': return msg('the server requires a client certificate (mutual TLS)');
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE': return msg('the TLS handshake failed (the server may require a client certificate)');
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE': return msg('the server did not accept the client certificate');
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA': return msg('the server does not trust the client certificate\'s issuer');
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED': return msg('the server says the client certificate has expired');
    default: return msg('TLS failed ({0})', code);
  }
}

/** The TLS codes tlsReason explains (the others are TLS errors by their name). */
export const TLS_CODES: readonly string[] = [
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
];

/** What to do about a TLS failure: the setting that fixes it, never "turn verification off". */
function tlsAdvice(code: string): Message {
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return msg('If your organisation uses its own certificate authority, add its CA certificate (a PEM file) to the setting "jira.ca" (do not disable certificate checks).');
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_REVOKED') return msg('Ask the Jira administrator to renew the server certificate; trusting another CA does not help.');
  if (code === 'CERT_NOT_YET_VALID') return msg('Set this computer\'s date and time to update automatically, or ask the Jira administrator to check the certificate.');
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return msg('Use the host name the certificate is issued for in the base URL (the one you use in the browser).');
  }
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|ALERT_UNKNOWN_CA|CERTIFICATE_EXPIRED/.test(code)) {
    return msg('Configure your client certificate for this site in "jira.network.clientCertificates" (PEM "cert" and "key", or a PKCS#12 "pfx"), issued by a CA the server accepts.');
  }
  return msg('If your organisation uses its own certificate authority, add it to the setting "jira.ca" (do not disable certificate checks).');
}

/** Why a connection failed, by Node's error code (undefined for codes without an explanation). */
function networkReason(code: string | undefined): Message | undefined {
  switch (code) {
    case 'ECONNREFUSED': return msg('the connection was refused: nothing listens on that host and port (check the base URL and port, and that Jira is running)');
    case 'ENOTFOUND': return msg('the host name could not be resolved (check the base URL for typos, your DNS, or VPN)');
    case 'EAI_AGAIN': return msg('the host name could not be resolved right now (DNS or VPN problem); try again');
    case 'ECONNRESET': return msg('the connection was reset by the server or a proxy/firewall in between; try again, and if it keeps happening, check the proxy, firewall or VPN');
    case 'EPIPE': return msg('the connection was closed by the server while sending the request');
    case 'ETIMEDOUT': return msg('connecting timed out (a firewall, proxy or VPN may be blocking the connection)');
    case 'EHOSTUNREACH': return msg('the host is unreachable (check your network or VPN)');
    case 'ENETUNREACH': return msg('the network is unreachable (check your network or VPN)');
    case 'ECONNABORTED': return msg('the connection was aborted');
    case 'ERR_INVALID_URL': return msg('the URL is not valid');
    default: return undefined;
  }
}

/** The network codes networkReason explains. */
export const NETWORK_CODES: readonly string[] = [
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_INVALID_URL',
];

/**
 * A TLS connection of its own that the server closed after a completed handshake, before any
 * response, when no client certificate was configured. With TLS 1.3 a server that requires a
 * client certificate refuses it only after the handshake; Node 20's OpenSSL 3 reports its alert
 * (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, a 'tls' error), but with OpenSSL 1.1.1 (Node 16:
 * VS Code 1.74 to 1.81) the client sees only "socket hang up", exactly as when the server or a
 * proxy drops the connection for another reason. So it stays a network error (retried as one),
 * and says what it may be.
 */
export function errorFromHangUpAfterHandshake(err: unknown, ctx: ErrorContext): JiraError {
  const e = err as NodeJS.ErrnoException;
  const host = hostOf(ctx.url);
  return new JiraError(
    'network',
    msg('Could not reach {0}: the server closed the connection right after the TLS handshake, without answering. If the site requires a client certificate (mutual TLS), configure it in "jira.network.clientCertificates" (PEM "cert" and "key", or a PKCS#12 "pfx"); otherwise a proxy, firewall or VPN in between may have closed it: try again, and if it keeps happening, check them.', host),
    { method: ctx.method, url: ctx.url, systemCode: typeof e?.code === 'string' ? e.code : undefined, cause: err },
  );
}

/** Map a Node socket/TLS error to a JiraError. */
export function errorFromNetwork(err: unknown, ctx: ErrorContext): JiraError {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e && typeof e.code === 'string' ? e.code : undefined;
  const details: JiraErrorDetails = { method: ctx.method, url: ctx.url, systemCode: code, cause: err };
  const host = hostOf(ctx.url);
  if (code && (TLS_CODES.includes(code) || /^ERR_SSL_|^ERR_TLS_|CERT/.test(code))) {
    return new JiraError('tls', sentences(msg('Secure connection to {0} failed: {1}.', host, tlsReason(code)), tlsAdvice(code)), details);
  }
  const reason = networkReason(code);
  if (reason) return new JiraError('network', msg('Could not reach {0}: {1}.', host, reason), details);
  const why = e && e.message ? e.message : String(err);
  return new JiraError('network', code ? msg('Could not reach {0}: {1}. ({2})', host, why, code) : msg('Could not reach {0}: {1}.', host, why), details);
}

export function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  return m ? m[1].replace(/^[^@]*@/, '') : url;
}
