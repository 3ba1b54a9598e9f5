import { formDecode, Param, percentDecode } from './oauth1/signature';
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
  /** Node's error code for network/TLS errors (ECONNREFUSED, CERT_HAS_EXPIRED...). */
  systemCode?: string;
  /** OAuth 2.0 error code: RFC 6749's (`invalid_grant`, `invalid_client`, `access_denied`...) or this library's (`state_mismatch`, `missing_code`, `not_signed_in`, `no_refresh_token`, `store_failed`). */
  oauth2Error?: string;
  /** The server's `error_description`. */
  oauth2ErrorDescription?: string;
  cause?: unknown;
}

/** Every failure of a request, the OAuth dance or base URL handling. The message says what to do. */
export class JiraError extends Error {
  readonly code: JiraErrorCode;
  readonly status?: number;
  readonly oauthProblem?: string;
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
  readonly systemCode?: string;
  readonly oauth2Error?: string;
  readonly oauth2ErrorDescription?: string;
  readonly cause?: unknown;

  constructor(code: JiraErrorCode, message: string, details: JiraErrorDetails = {}) {
    super(redact(message));
    this.name = 'JiraError';
    this.code = code;
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

/** The URL part of a signature base string (`METHOD&URI&PARAMS`). */
function uriOfBaseString(base: string | undefined): string | undefined {
  if (!base) return undefined;
  const parts = base.split('&');
  return parts.length >= 2 ? lenientDecode(parts[1]) : undefined;
}

/** What each oauth_problem means and what to do about it. */
export function oauthProblemMessage(p: ParsedOAuthProblem, ctx: ErrorContext): string {
  const problem = p.problem ?? 'unknown';
  const key = ctx.consumerKey ? `"${ctx.consumerKey}"` : 'this consumer key';
  const signed = ctx.signedUrl ?? ctx.url;
  switch (problem) {
    case 'signature_invalid': {
      const serverUri = uriOfBaseString(p.serverBaseString);
      const differs = serverUri && serverUri !== signed ? ` Jira computed it for ${serverUri} instead: use that base URL.` : '';
      return (
        `Jira rejected the signature for ${signed}.${differs} Usually Jira's base URL differs from the URL you entered ` +
        `(reverse proxy, missing context path such as /jira, http vs https, host name case, default port). Use the exact ` +
        `base URL from Jira's Administration > System > General configuration, and check that the public key in the ` +
        `application link for consumer key ${key} matches your private key.`
      );
    }
    case 'timestamp_refused': {
      const skew = ctx.clockOffsetSeconds ? ` (an offset of ${Math.round(ctx.clockOffsetSeconds)} s was already applied)` : '';
      const range = p.acceptableTimestamps ? ` Jira accepts timestamps ${p.acceptableTimestamps}.` : '';
      return (
        `Jira refused the request's timestamp: this computer's clock and the Jira server's clock differ by more than ` +
        `Jira allows${skew}.${range} Set the date, time and time zone to update automatically (NTP) on this computer ` +
        `(or ask the Jira administrator to fix the server's clock), then try again.`
      );
    }
    case 'nonce_used':
      return (
        `Jira has already seen this request's nonce (a replayed or duplicated request). Try again; if it keeps happening, ` +
        `a proxy between you and Jira may be retrying requests.`
      );
    case 'token_rejected':
    case 'token_revoked':
      return (
        `Jira does not accept the OAuth token: it was revoked (by the user in Profile > Tools > View OAuth Access Tokens, ` +
        `or by an administrator), the application link was recreated, or it belongs to another Jira server. Sign in again.`
      );
    case 'token_expired':
      return (
        `The OAuth token has expired. Sign in again. (A request token is only valid for 10 minutes: open the authorize ` +
        `page, approve, and paste the verification code within that time.)`
      );
    case 'token_used':
      return `This request token has already been exchanged for an access token. Start the sign-in again.`;
    case 'permission_unknown':
      return (
        `The request token has not been authorized yet. Open the authorize URL in your browser, click Allow, then enter ` +
        `the verification code Jira shows.`
      );
    case 'permission_denied':
    case 'user_refused':
      return `Access was denied on Jira's authorize page. Start the sign-in again and click Allow.`;
    case 'consumer_key_unknown':
      return (
        `Jira has no application link with consumer key ${key}. Ask a Jira administrator to create one (Administration > ` +
        `Applications > Application links, incoming authentication) with this consumer key and your public key, or ` +
        `check the consumer key you entered.`
      );
    case 'consumer_key_rejected':
    case 'consumer_key_refused':
      return (
        `Jira refused consumer key ${key}: the application link exists but is not allowed to sign in (disabled, or ` +
        `restricted). Ask a Jira administrator to check the application link.`
      );
    case 'parameter_absent': {
      const which = p.parametersAbsent?.length ? ` (oauth_parameters_absent: ${p.parametersAbsent.join(', ')})` : '';
      return (
        `Jira says OAuth parameters are missing from the request${which}. A proxy between you and Jira may be removing ` +
        `the Authorization header; check the proxy configuration.`
      );
    }
    case 'parameter_rejected': {
      const which = p.parametersRejected?.length ? ` (oauth_parameters_rejected: ${p.parametersRejected.join(', ')})` : '';
      return `Jira rejected OAuth parameters of the request${which}. Sign in again; if it persists, report it with the log.`;
    }
    case 'signature_method_rejected':
      return (
        `Jira does not accept RSA-SHA1 signatures for consumer key ${key}. The application link's incoming authentication ` +
        `must be configured with your public key (not a shared secret).`
      );
    case 'version_rejected':
      return `Jira rejected the OAuth version of the request. This client speaks OAuth 1.0a; check the server is Jira.`;
    case 'additional_authorization_required':
      return `Jira requires additional authorization for this request: sign in again and approve access.`;
    default:
      return `Jira refused the OAuth request (oauth_problem=${problem}). Sign in again; if it persists, check the application link.`;
  }
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

function jiraSays(b: { errorMessages?: string[]; errors?: Record<string, string>; message?: string }): string {
  const parts: string[] = [];
  if (b.errorMessages) parts.push(...b.errorMessages.filter(Boolean));
  if (b.errors) for (const [k, v] of Object.entries(b.errors)) parts.push(`${k}: ${v}`);
  if (!parts.length && b.message) parts.push(b.message);
  if (!parts.length) return '';
  const s = parts.join('; ');
  return ` Jira says: ${s.length > 500 ? s.slice(0, 497) + '...' : s}`;
}

function what(ctx: ErrorContext): string {
  return `${ctx.method.toUpperCase()} ${stripQuery(ctx.url)}`;
}

/** A URL without its query (which may be long, and is never needed to explain an error). */
export function stripQuery(url: string): string {
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

const HTML_EXPLANATION =
  `this is not Jira's REST API at that URL (check the base URL, including a context path such as /jira), ` +
  `or an SSO/proxy login page intercepted the request`;

/** The error for an HTML page received where JSON (or an OAuth form response) was expected. */
export function htmlError(res: ResponseLike, text: string, ctx: ErrorContext): JiraError {
  const title = htmlTitle(text);
  const expected = ctx.phase && ctx.phase !== 'rest' ? 'an OAuth response' : "Jira's JSON";
  return new JiraError(
    'html_instead_of_json',
    `The server returned a web page${title ? ` (title: "${title}")` : ''} instead of ${expected} for ${what(ctx)} ` +
      `(HTTP ${res.status}): ${HTML_EXPLANATION}.`,
    { status: res.status, pageTitle: title, method: ctx.method, url: ctx.url },
  );
}

/** Map a non-2xx response to a JiraError (oauth_problem first, then the status). */
export function errorFromResponse(res: ResponseLike, ctx: ErrorContext): JiraError {
  const text = res.body.length > 262144 ? res.body.subarray(0, 262144).toString('utf8') : res.body.toString('utf8');
  const h = res.headers;
  const base = { status: res.status, method: ctx.method, url: ctx.url, signedUrl: ctx.signedUrl };
  const p = parseOAuthProblem(h['www-authenticate'], text);
  if (p.problem) {
    return new JiraError('oauth_problem', oauthProblemMessage(p, ctx), {
      ...base,
      oauthProblem: p.problem,
      oauthProblemAdvice: p.advice,
      oauthParametersAbsent: p.parametersAbsent,
      oauthParametersRejected: p.parametersRejected,
      oauthAcceptableTimestamps: p.acceptableTimestamps,
    });
  }
  const isHtml = looksLikeHtml(h['content-type'], text);
  const title = isHtml ? htmlTitle(text) : undefined;
  const page = isHtml ? ` The server returned a web page${title ? ` (title: "${title}")` : ''}, not Jira's JSON.` : '';
  const jb = isHtml ? {} : jiraErrorBody(text);
  const says = jiraSays(jb);
  const details: JiraErrorDetails = { ...base, errorMessages: jb.errorMessages, errors: jb.errors, pageTitle: title };
  const s = res.status;

  if (s >= 300 && s < 400) {
    const loc = h['location'];
    const target = loc ? ` to ${stripQuery(loc)}` : '';
    let hint = 'Use the base URL the server redirects to.';
    if (loc && /login|sso|saml|oauth|auth|idp|signin/i.test(stripQuery(loc))) {
      hint = 'An SSO or login page intercepted the request: API calls must reach Jira directly (check the base URL, or ask for the API to be exempted from SSO).';
    } else if (loc && /^https:/i.test(loc) && /^http:/i.test(ctx.url)) {
      hint = 'The server wants https: use an https:// base URL.';
    }
    return new JiraError('redirect', `${what(ctx)} was redirected (HTTP ${s})${target}. ${hint}`, { ...details, location: loc });
  }
  if (s === 401 && /captcha/i.test(h['x-authentication-denied-reason'] || '')) {
    return new JiraError(
      'captcha_required',
      `Jira requires a CAPTCHA after failed logins (HTTP 401). Log in to ${ctx.baseUrl} once in a browser (solving the CAPTCHA), then try again; ` +
        `or use a personal access token or OAuth instead of the password.`,
      details,
    );
  }
  if (s === 401) {
    let hint: string;
    switch (ctx.authType) {
      case 'pat':
        hint = 'Check that the personal access token is correct, has not expired and was not revoked (Profile > Personal Access Tokens).';
        break;
      case 'basic':
        hint = 'Check the username and password; Jira Cloud needs an API token instead of the password, and some servers disable password logins for the API.';
        break;
      case 'oauth2':
        hint = 'The OAuth 2.0 access token is invalid or expired: sign in again.';
        break;
      case 'oauth1':
        hint = 'Jira did not accept the OAuth credentials: sign in again. If it persists, a proxy may be stripping the Authorization header.';
        break;
      default:
        hint = 'This resource needs you to sign in.';
    }
    return new JiraError('unauthorized', `Jira did not accept the credentials for ${what(ctx)} (HTTP 401). ${hint}${says}${page}`, details);
  }
  if (s === 403) {
    const denied = h['x-authentication-denied-reason'] || '';
    if (/captcha/i.test(denied)) {
      return new JiraError(
        'captcha_required',
        `Jira requires a CAPTCHA after failed logins (HTTP 403). Log in to ${ctx.baseUrl} once in a browser (solving the CAPTCHA), then try again.`,
        details,
      );
    }
    return new JiraError(
      'forbidden',
      `Jira refused ${what(ctx)} (HTTP 403): your account lacks the permission for it, or an administrator restricted API or OAuth access. Ask a Jira administrator for the permission.${says}${page}`,
      details,
    );
  }
  if (s === 404) {
    return new JiraError(
      'not_found',
      `Not found: ${what(ctx)} (HTTP 404). Check the base URL (including a context path such as /jira) and that the ` +
        `resource exists and is visible to you (Jira answers 404 for issues you may not see).${says}${page}`,
      details,
    );
  }
  if (s === 410) return new JiraError('gone', `${what(ctx)} is gone (HTTP 410): this API was removed from this Jira version. Update the extension; if that does not help, report it with the log and the Jira version.${says}${page}`, details);
  if (s === 429) {
    const ra = retryAfter(h['retry-after']);
    return new JiraError(
      'rate_limited',
      `Jira is rate-limiting requests (HTTP 429). ${ra !== undefined ? `Retry after ${ra} seconds.` : 'Wait a little and retry.'}${says}`,
      { ...details, retryAfterSeconds: ra },
    );
  }
  if (s >= 500) {
    const proxy = s === 502 || s === 503 || s === 504;
    return new JiraError(
      'server_error',
      proxy
        ? `The Jira server, or a proxy in front of it, is unavailable (HTTP ${s}) for ${what(ctx)}. Try again later; if it persists, tell the Jira administrator.${says}${page}`
        : `Jira failed with an internal error (HTTP ${s}) for ${what(ctx)}. Try again later; if it persists, tell the Jira administrator (the error is in Jira's log).${says}${page}`,
      details,
    );
  }
  if (s === 400) return new JiraError('bad_request', `Jira rejected ${what(ctx)} as invalid (HTTP 400).${says || snippet(text, isHtml)}${page}`, details);
  return new JiraError('http_error', `${what(ctx)} failed with HTTP ${s}.${says || snippet(text, isHtml)}${page}`, details);
}

function snippet(text: string, isHtml: boolean): string {
  if (isHtml) return '';
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return '';
  return ` The server said: ${t.length > 200 ? t.slice(0, 197) + '...' : t}`;
}

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server uses a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed certificate that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is issued by an unknown certificate authority (or the server does not send its intermediate certificates)',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate is issued by an unknown certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is issued by a certificate authority this computer does not trust (often a company CA)',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet (check the clock)',
  CERT_REVOKED: 'the server certificate was revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: "the certificate does not match the host name in the base URL",
  HOSTNAME_MISMATCH: "the certificate does not match the host name in the base URL",
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on that port (try http:// instead of https://, or the right port)',
  EPROTO: 'the TLS handshake failed (the server may not speak TLS on that port)',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server requires a client certificate (mutual TLS)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the TLS handshake failed (the server may require a client certificate)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server did not accept the client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the server does not trust the client certificate\'s issuer',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'the server says the client certificate has expired',
};

const CLIENT_CERTIFICATE_SETTING = '"jira.network.clientCertificates" (PEM "cert" and "key", or a PKCS#12 "pfx")';

/** What to do about a TLS failure: the setting that fixes it, never "turn verification off". */
function tlsAdvice(code: string): string {
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return (
      `If your organisation uses its own certificate authority, add its CA certificate (a PEM file) to the setting "jira.ca" ` +
      `(do not disable certificate checks).`
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_REVOKED') return 'Ask the Jira administrator to renew the server certificate; trusting another CA does not help.';
  if (code === 'CERT_NOT_YET_VALID') return "Set this computer's date and time to update automatically, or ask the Jira administrator to check the certificate.";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return 'Use the host name the certificate is issued for in the base URL (the one you use in the browser).';
  }
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|ALERT_UNKNOWN_CA|CERTIFICATE_EXPIRED/.test(code)) {
    return (
      `Configure your client certificate for this site in ${CLIENT_CERTIFICATE_SETTING}, ` +
      `issued by a CA the server accepts.`
    );
  }
  return `If your organisation uses its own certificate authority, add it to the setting "jira.ca" (do not disable certificate checks).`;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused: nothing listens on that host and port (check the base URL and port, and that Jira is running)',
  ENOTFOUND: 'the host name could not be resolved (check the base URL for typos, your DNS, or VPN)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS or VPN problem); try again',
  ECONNRESET: 'the connection was reset by the server or a proxy/firewall in between; try again, and if it keeps happening, check the proxy, firewall or VPN',
  EPIPE: 'the connection was closed by the server while sending the request',
  ETIMEDOUT: 'connecting timed out (a firewall, proxy or VPN may be blocking the connection)',
  EHOSTUNREACH: 'the host is unreachable (check your network or VPN)',
  ENETUNREACH: 'the network is unreachable (check your network or VPN)',
  ECONNABORTED: 'the connection was aborted',
  ERR_INVALID_URL: 'the URL is not valid',
};

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
    `Could not reach ${host}: the server closed the connection right after the TLS handshake, without answering. ` +
      `If the site requires a client certificate (mutual TLS), configure it in ${CLIENT_CERTIFICATE_SETTING}; ` +
      `otherwise a proxy, firewall or VPN in between may have closed it: try again, and if it keeps happening, check them.`,
    { method: ctx.method, url: ctx.url, systemCode: typeof e?.code === 'string' ? e.code : undefined, cause: err },
  );
}

/** Map a Node socket/TLS error to a JiraError. */
export function errorFromNetwork(err: unknown, ctx: ErrorContext): JiraError {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e && typeof e.code === 'string' ? e.code : undefined;
  const details: JiraErrorDetails = { method: ctx.method, url: ctx.url, systemCode: code, cause: err };
  const host = hostOf(ctx.url);
  if (code && (TLS_CODES[code] || /^ERR_SSL_|^ERR_TLS_|CERT/.test(code))) {
    const why = TLS_CODES[code] ?? `TLS failed (${code})`;
    return new JiraError('tls', `Secure connection to ${host} failed: ${why}. ${tlsAdvice(code)}`, details);
  }
  const why = (code && NETWORK_CODES[code]) || (e && e.message ? e.message : String(err));
  return new JiraError('network', `Could not reach ${host}: ${why}.${code && !NETWORK_CODES[code] ? ` (${code})` : ''}`, details);
}

export function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  return m ? m[1].replace(/^[^@]*@/, '') : url;
}
