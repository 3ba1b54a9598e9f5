// The emulator's own RFC 5849 (OAuth 1.0) signature code, used to VERIFY what clients send.
//
// Small pure functions named after the RFC sections, modelled on oauthlib's
// oauth1/rfc5849/signature.py. Deliberately independent of anything under src/: the client's
// signer is tested against this code, so sharing it would prove nothing.
import { verify, KeyObject } from 'node:crypto';

export type Param = [string, string];

// ---------------------------------------------------------------------------------------------
// §3.6 Percent Encoding

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * §3.6: the value is encoded as UTF-8 octets; every octet that is not an unreserved character
 * (ALPHA, DIGIT, "-", ".", "_", "~") is written as "%" + two UPPER-case hex digits. A space
 * becomes %20 (never "+").
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Decodes %XX sequences as UTF-8 octets. A "%" that is not followed by two hex digits is kept
 * literally (lenient, like most servlet containers); invalid UTF-8 becomes U+FFFD.
 */
export function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Decodes an application/x-www-form-urlencoded string (W3C HTML 4.0 §17.13.4), as §3.4.1.3.1
 * requires for both the query component and a form entity-body: pairs separated by "&", name and
 * value by the first "=", "+" means a space, then percent-decoding. A pair without "=" has an
 * empty value ("c2" -> ["c2", ""]). Empty segments are skipped. Repeated names are all kept.
 */
export function formDecode(encoded: string): Param[] {
  const out: Param[] = [];
  if (!encoded) return out;
  for (const part of encoded.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    out.push([percentDecode(name.replace(/\+/g, ' ')), percentDecode(value.replace(/\+/g, ' '))]);
  }
  return out;
}

/** Form-encodes pairs the OAuth way (§3.6 encoding, so a space is %20), e.g. for token responses. */
export function formEncode(params: Param[]): string {
  return params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}

// ---------------------------------------------------------------------------------------------
// §3.5.1 Authorization Header

/**
 * Parses `Authorization: OAuth realm="...", oauth_consumer_key="..."`. Returns null when the
 * scheme is not "OAuth" (case-insensitive). Each parameter must be name="value" with a quoted
 * value; like net.oauth (which Jira uses) anything else is ignored. Names and values are decoded
 * the way net.oauth does it (URLDecoder, so a raw "+" becomes a space: an unencoded base64
 * signature therefore fails verification, as it does against Jira). "realm" is returned too;
 * callers drop it (§3.4.1.3.1).
 */
export function parseAuthorizationHeader(header: string | undefined): Param[] | null {
  if (!header) return null;
  const m = /^\s*([A-Za-z0-9_-]+)(?:\s+([\s\S]*))?$/.exec(header);
  if (!m || m[1].toLowerCase() !== 'oauth') return null;
  const out: Param[] = [];
  const rest = m[2] ?? '';
  for (const item of splitHeaderParams(rest)) {
    const nv = /^([^\s=]+)\s*=\s*"([^"]*)"$/.exec(item.trim());
    if (!nv) continue;
    out.push([percentDecode(nv[1].replace(/\+/g, ' ')), percentDecode(nv[2].replace(/\+/g, ' '))]);
  }
  return out;
}

/** Splits a header parameter list on commas that are not inside a quoted string. */
function splitHeaderParams(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of s) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) { parts.push(cur); cur = ''; } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// §3.4.1.3.1 Parameter Sources

export interface ParameterSources {
  /** Parameters from the query component (form-decoded). */
  query: Param[];
  /** Parameters from a single-part application/x-www-form-urlencoded entity-body, else null. */
  body: Param[] | null;
  /** Parameters from the OAuth Authorization header, realm removed; null without such a header. */
  header: Param[] | null;
}

/** Is this Content-Type application/x-www-form-urlencoded (parameters such as charset ignored)? */
export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * §3.4.1.3.1: gathers the three parameter sources of a request: the query string, the
 * Authorization header's oauth parameters (except "realm") and the entity-body, the latter ONLY
 * when Content-Type is application/x-www-form-urlencoded.
 */
export function requestParameterSources(req: {
  query: string; authorization?: string; contentType?: string; body?: string;
}): ParameterSources {
  const header = parseAuthorizationHeader(req.authorization);
  return {
    query: formDecode(req.query.replace(/^\?/, '')),
    body: isFormContentType(req.contentType) ? formDecode(req.body ?? '') : null,
    header: header ? header.filter(([k]) => k !== 'realm') : null,
  };
}

/** All parameters of a request in source order (header, query, body), oauth_signature included. */
export function allParameters(src: ParameterSources): Param[] {
  return [...(src.header ?? []), ...src.query, ...(src.body ?? [])];
}

/** §3.4.1.3.1: the parameters that are signed: every source, minus "oauth_signature". */
export function collectParameters(src: ParameterSources): Param[] {
  return allParameters(src).filter(([k]) => k !== 'oauth_signature');
}

// ---------------------------------------------------------------------------------------------
// §3.4.1.3.2 Parameters Normalization

/**
 * §3.4.1.3.2: percent-encode every name and value (§3.6), sort by encoded name and then by
 * encoded value (byte order), join name=value pairs with "&". Repeated names are all kept.
 */
export function normalizeParameters(params: Param[]): string {
  const encoded = params.map(([k, v]) => [percentEncode(k), percentEncode(v)] as Param);
  encoded.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// §3.4.1.2 Base String URI

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/**
 * §3.4.1.2: scheme and host lower-cased, the port dropped when it is the scheme's default (80 for
 * http, 443 for https), the path kept exactly as given (an empty path becomes "/"), no query or
 * fragment. Userinfo is dropped.
 */
export function baseStringUri(uri: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(uri.trim());
  if (!m) throw new Error(`not an absolute URI: ${uri}`);
  const scheme = m[1].toLowerCase();
  const authority = m[2].replace(/^.*@/, '');
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!hp) throw new Error(`bad authority in URI: ${uri}`);
  const host = hp[1].toLowerCase();
  const port = hp[2];
  const path = m[3] === '' ? '/' : m[3];
  const keepPort = port !== undefined && port !== '' && DEFAULT_PORTS[scheme] !== port;
  return `${scheme}://${host}${keepPort ? `:${port}` : ''}${path}`;
}

// ---------------------------------------------------------------------------------------------
// §3.4.1.1 String Construction

/** §3.4.1.1 step 1: the HTTP request method in upper case. */
export function httpMethod(method: string): string {
  return method.toUpperCase();
}

/**
 * §3.4.1.1: METHOD "&" encode(base string URI) "&" encode(normalized parameters).
 * `baseUri` must already be the §3.4.1.2 form and `normalizedParams` the §3.4.1.3.2 form.
 */
export function signatureBaseString(method: string, baseUri: string, normalizedParams: string): string {
  return `${httpMethod(method)}&${percentEncode(baseUri)}&${percentEncode(normalizedParams)}`;
}

/** Convenience: the base string of a request from its method, absolute URI and parameter sources. */
export function requestBaseString(method: string, uri: string, src: ParameterSources): string {
  return signatureBaseString(method, baseStringUri(uri), normalizeParameters(collectParameters(src)));
}

// ---------------------------------------------------------------------------------------------
// §3.4.3 RSA-SHA1

/**
 * §3.4.3.2: verifies an RSASSA-PKCS1-v1_5 / SHA-1 signature (base64, as sent in oauth_signature)
 * over the base string with the consumer's RSA public key.
 */
export function verifyRsaSha1(baseString: string, publicKey: KeyObject | string, signatureBase64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
  try {
    return verify('sha1', Buffer.from(baseString, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
