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
  'personal_access_token',
  'personalAccessToken',
  'passphrase',
  'password',
  'passwd',
  'token',
  'secret',
].join('|');

// PEM blocks, terminated or not (a truncated paste still holds key material).
const PEM = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
// `Authorization: <scheme> <credentials>` (header lines, up to the end of the line).
const AUTH_HEADER = /\b((?:proxy-)?authorization)(\\*["']?\s*[:=]\s*\\*["']?)(Bearer|Basic|OAuth|Digest|Negotiate|NTLM|AWS4-HMAC-SHA256)\b[^\r\n"']*/gi;
// Bare credentials: `Bearer abc`, `basic dXNlcjpw` (a credential has a digit or symbol, or a capital
// after a small letter, so that prose such as "Basic Authentication" or "bearer tokens" is left alone).
const BEARER_BASIC = /\b([Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])\s+(?=[A-Za-z]*(?:[0-9._~+/=-]|[a-z][A-Z]))[A-Za-z0-9._~+/=-]{4,}/g;
// `OAuth realm="...", oauth_consumer_key="...", ...` header value without the header name.
const OAUTH_HEADER_VALUE = /\bOAuth\s+(?:[A-Za-z_]+\s*=\s*"[^"]*"\s*,?\s*)+/g;
// A secret's name and what separates it from its value: `name=` (query, form; also percent-encoded
// once or twice inside base strings), `name: ` (YAML-like), `"name":` (JSON), `\"name\":` (JSON inside
// a JSON string, at any depth), `'name':`. Prefixed names count too (`os_password`, `jira_api_token`).
const NAMED = new RegExp(`(^|%26|%2526|[^A-Za-z0-9_])((?:[A-Za-z0-9]+_)*(?:${SECRET_NAMES}))(\\\\*["']?)\\s*(=|:|%3D|%253D)[ \\t]*`, 'gi');
/** Names whose values people type: they may hold spaces. */
const SPOKEN = /(?:password|passwd|passphrase)$/i;
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

/**
 * Where the value that starts at `from` ends. A quoted value (`"`, `'`, or a quote escaped k times,
 * `\\"`, as in JSON inside a JSON string) ends at the same quote escaped exactly k times; an unquoted
 * one at `&`, `%26` or a delimiter; passwords and passphrases may hold spaces: after `name=` they end
 * at `&` or the end of the line, after `name: ` or `name = ` at the end of the line.
 */
function valueEnd(text: string, from: number, spoken: boolean, sep: string): { start: number; end: number } {
  const quoted = /^(\\*)(["'])/.exec(text.slice(from, from + 64));
  if (quoted) {
    const k = quoted[1].length;
    const q = quoted[2];
    const start = from + quoted[0].length;
    for (let j = text.indexOf(q, start); j !== -1; j = text.indexOf(q, j + 1)) {
      let b = 0;
      while (text[j - 1 - b] === '\\') b++;
      if (b === k) return { start, end: j - k };
    }
    return { start, end: text.length };
  }
  let stop = /&|%26|[\s"'\\,;<>]/g;
  // A person's words run to the end of the line; in a form (`name=value&...`) to the next pair.
  if (spoken) stop = sep === '=' && text[from - 1] === '=' ? /&|[\r\n]/g : sep.startsWith('%') ? /%26|[\s&]/g : /[\r\n]/g;
  stop.lastIndex = from;
  const m = stop.exec(text);
  return { start: from, end: m ? m.index : text.length };
}

/** Prose after `name:` ("access_token: check the URL"), not a credential: letters only, no inner capital. */
function isWord(value: string): boolean {
  return /^[A-Za-z]+$/.test(value) && !/[a-z][A-Z]/.test(value);
}

/** Replaces the value of every named secret. */
function redactNamed(text: string): string {
  let out = '';
  let last = 0;
  NAMED.lastIndex = 0;
  for (let m = NAMED.exec(text); m; m = NAMED.exec(text)) {
    const after = m.index + m[0].length;
    const spoken = SPOKEN.test(m[2]);
    const { start, end } = valueEnd(text, after, spoken, m[4]);
    if (end <= start || (!spoken && m[4] === ':' && start === after && isWord(text.slice(start, end)))) continue;
    out += text.slice(last, start) + R;
    last = end;
    NAMED.lastIndex = Math.max(end, NAMED.lastIndex);
  }
  return last ? out + text.slice(last) : text;
}

function redactPlain(text: string): string {
  return redactNamed(text
    .replace(PEM, (_m, label: string) => `[REDACTED ${label}]`)
    .replace(OAUTH_HEADER_VALUE, `OAuth ${R}`)
    .replace(AUTH_HEADER, (_m, name: string, sep: string, scheme: string) => `${name}${sep}${scheme} ${R}`)
    .replace(BEARER_BASIC, (_m, scheme: string) => `${scheme} ${R}`))
    .replace(CODE, (_m, pre: string, name: string) => `${pre}${name}=${R}`)
    .replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${R}@`)
    .replace(JWT, `${R} JWT`)
    .replace(ATLASSIAN_API_TOKEN, `${R} API token`);
}
