/**
 * Removes secrets from text before it reaches an error message or a log line:
 * Authorization header values (Bearer, Basic, OAuth), OAuth tokens, secrets, verifiers and
 * signatures, OAuth 2.0 tokens, client secrets and authorization codes, passwords in URLs,
 * and PEM blocks (keys).
 */

const R = '[REDACTED]';

/** Parameter names whose values are secrets, in query/form (`name=value`), header (`name="value"`) or JSON (`"name": "value"`) form. */
const SECRET_NAMES = [
  'oauth_signature',
  'oauth_token_secret',
  'oauth_token',
  'oauth_verifier',
  'oauth_session_handle',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'token_secret',
  'tokenSecret',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'privateKeyPem',
  'privateKey',
  'private_key',
  'code_verifier',
  'codeVerifier',
  'api_token',
  'apiToken',
  'personalAccessToken',
  'passphrase',
  'password',
  'token',
  'secret',
].join('|');

// PEM blocks, terminated or not (a truncated paste still holds key material).
const PEM = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
// `Authorization: <scheme> <credentials>` (header lines, up to the end of the line).
const AUTH_HEADER = /\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(Bearer|Basic|OAuth|Digest|Negotiate|NTLM|AWS4-HMAC-SHA256)\b[^\r\n"']*/gi;
// Bare credentials: `Bearer abc`, `Basic dXNlcjpw` (a credential has a digit or symbol, or a capital
// after a small letter, so that prose such as "Basic Authentication" or "Basic authentication" is left alone).
const BEARER_BASIC = /\b(Bearer|Basic)\s+(?=[A-Za-z]*(?:[0-9._~+/=-]|[a-z][A-Z]))[A-Za-z0-9._~+/=-]{4,}/g;
// `OAuth realm="...", oauth_consumer_key="...", ...` header value without the header name.
const OAUTH_HEADER_VALUE = /\bOAuth\s+(?:[A-Za-z_]+\s*=\s*"[^"]*"\s*,?\s*)+/g;
// name=value (query, form, log lines), also percent-encoded once or twice (inside base strings).
// A value ends at `&`, or at `%26` (an encoded `&` between pairs of a base string).
const NAME_EQ_VALUE = new RegExp(`(^|%26|%2526|[^A-Za-z0-9_])(${SECRET_NAMES})(=|%3D|%253D)("[^"]*"|(?:[^&\\s"',;<>%]|%(?!26)[0-9A-Fa-f]{2})+)`, 'gi');
// "name": "value" / 'name': 'value' (JSON, JS objects).
const NAME_JSON = new RegExp(`(["']?)(${SECRET_NAMES})\\1(\\s*:\\s*)("[^"]*"|'[^']*')`, 'gi');
// OAuth 2.0 authorization code in a URL or form: code=...
const CODE = /([?&\s]|^)(code)=([^&\s"'#]+)/g;
// Credentials in a URL: scheme://user:password@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+):([^/@\s]+)@/gi;
// JWTs (OAuth 2.0 access/id tokens, Atlassian Connect): header.payload.signature, base64url.
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
// Atlassian Cloud API tokens.
const ATLASSIAN_API_TOKEN = /\bATATT[A-Za-z0-9_=+/-]{16,}/g;
// A run of URL characters holding a percent-encoded byte (a query value that carries another URL,
// a header, a form...): decoded and redacted as a whole when it hides a secret.
const URL_RUN = /[^\s"'<>()[\]{}]+/g;

export function redact(text: string): string {
  if (!text) return text;
  return redactEncoded(redactPlain(String(text)));
}

function decodeOnce(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** Secrets hidden by percent-encoding (up to twice): the run is replaced by its decoded, redacted form. */
function redactEncoded(text: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(text)) return text;
  return text.replace(URL_RUN, (run) => {
    if (!/%[0-9A-Fa-f]{2}/.test(run)) return run;
    let decoded = run;
    for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(decoded); i++) {
      decoded = decodeOnce(decoded);
      const clean = redactPlain(decoded);
      if (clean !== decoded) return clean.replace(/\s/g, (c) => encodeURIComponent(c));
    }
    return run;
  });
}

function redactPlain(text: string): string {
  return text
    .replace(PEM, (_m, label: string) => `[REDACTED ${label}]`)
    .replace(OAUTH_HEADER_VALUE, `OAuth ${R}`)
    .replace(AUTH_HEADER, (_m, name: string, sep: string, scheme: string) => `${name}${sep}${scheme} ${R}`)
    .replace(BEARER_BASIC, (_m, scheme: string) => `${scheme} ${R}`)
    .replace(NAME_EQ_VALUE, (_m, pre: string, name: string, eq: string) => `${pre}${name}${eq}${R}`)
    .replace(NAME_JSON, (_m, q: string, name: string, colon: string, value: string) => `${q}${name}${q}${colon}${value[0]}${R}${value[0]}`)
    .replace(CODE, (_m, pre: string, name: string) => `${pre}${name}=${R}`)
    .replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${R}@`)
    .replace(JWT, `${R} JWT`)
    .replace(ATLASSIAN_API_TOKEN, `${R} API token`);
}
