/**
 * OAuth 1.0 signature base string, as pure functions named after the sections of RFC 5849
 * (modelled on oauthlib's `oauth1/rfc5849/signature.py`).
 *
 * Steps for signing a request:
 *   1. collect the parameters from the query, the Authorization header and a form body (§3.4.1.3.1),
 *   2. normalize them (§3.4.1.3.2),
 *   3. build the base string URI (§3.4.1.2),
 *   4. concatenate method, URI and parameters into the signature base string (§3.4.1.1),
 *   5. sign it (RSA-SHA1, §3.4.3: see signer.ts).
 *
 * Parameter names and values are handled DECODED (the way the server decodes them) and are
 * re-encoded with `percentEncode` (§3.6) here, so that any spelling of the same request on the wire
 * (`+` or `%20` for a space, `%7e` or `~`) yields the same base string as the server computes.
 */

/** A decoded name/value pair; repeated names are kept as separate pairs. */
export type Param = [name: string, value: string];

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const RESERVED_AFTER_ENCODE_URI_COMPONENT = /[!'()*]/g;
const HEX_OF: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

/**
 * §3.6 percent encoding: UTF-8, then every octet outside the unreserved set
 * `ALPHA / DIGIT / "-" / "." / "_" / "~"` becomes `%XX` with upper-case hex.
 * (A space is `%20`, never `+`; `+` is `%2B`; `*` is `%2A`; `~` stays.)
 * Throws a URIError for a string that is not well-formed UTF-16 (a lone surrogate).
 */
export function percentEncode(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  const e = encodeURIComponent(value);
  // encodeURIComponent leaves ! ' ( ) * alone; §3.6 does not.
  return e.replace(RESERVED_AFTER_ENCODE_URI_COMPONENT, (c) => HEX_OF[c]);
}

/** Thrown by `formDecode` for a malformed escape such as `%zz`, `%E9` (not UTF-8) or a trailing `%`. */
export class PercentDecodeError extends Error {
  constructor(readonly input: string) {
    super(`invalid percent-encoding in "${input}"`);
    this.name = 'PercentDecodeError';
  }
}

/** Strict percent-decoding of one component (no `+` handling). */
export function percentDecode(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new PercentDecodeError(value);
  }
}

/**
 * `application/x-www-form-urlencoded` decoding, what a servlet container does with a query string
 * or a form body: split on `&`, split each pair at the first `=` (a name alone has an empty value),
 * `+` is a space, then percent-decode as UTF-8. Empty segments are skipped; repeated names are kept
 * in order.
 */
export function formDecode(input: string): Param[] {
  const out: Param[] = [];
  if (!input) return out;
  for (const segment of input.split('&')) {
    if (!segment) continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    out.push([percentDecode(rawName.replace(/\+/g, ' ')), percentDecode(rawValue.replace(/\+/g, ' '))]);
  }
  return out;
}

/** Encode decoded pairs as a query string / form body with §3.6 encoding (`a=b%20c&d=`). */
export function formEncode(params: ReadonlyArray<Param>): string {
  let out = '';
  for (let i = 0; i < params.length; i++) {
    if (i) out += '&';
    out += percentEncode(params[i][0]) + '=' + percentEncode(params[i][1]);
  }
  return out;
}

/**
 * §3.4.1.2 base string URI: scheme and host lower-cased, the port dropped when it is the
 * scheme's default (80 for http, 443 for https), user information, query and fragment removed,
 * the path kept exactly as sent (including a context path such as `/jira`; an empty path is `/`).
 *
 * The URL is split by hand rather than with WHATWG `URL`, which would rewrite the path
 * (percent-encoding characters, resolving dot segments) and so sign something other than what is sent.
 */
export function baseStringUri(url: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(url);
  if (!m) throw new TypeError(`not an absolute http(s) URL: ${url}`);
  const scheme = m[1].toLowerCase();
  let authority = m[2];
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  authority = authority.toLowerCase();
  // The port follows the last ':' unless that colon is inside an IPv6 literal ([::1]).
  const colon = authority.lastIndexOf(':');
  if (colon !== -1 && colon > authority.lastIndexOf(']')) {
    const port = authority.slice(colon + 1);
    const host = authority.slice(0, colon);
    if (port === '' || (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443')) {
      authority = host;
    }
  }
  const path = m[3] || '/';
  return `${scheme}://${authority}${path}`;
}

/**
 * Parse an `Authorization: OAuth ...` header into decoded pairs (all of them, `realm` included).
 * Returns [] for a header that does not use the OAuth scheme.
 */
export function parseAuthorizationHeader(header: string): Param[] {
  const m = /^\s*OAuth\s+([\s\S]*)$/i.exec(header);
  if (!m) return [];
  const out: Param[] = [];
  const re = /([A-Za-z0-9_.~%-]+)\s*=\s*(?:"([^"]*)"|([^\s,]*))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[1])) !== null) {
    out.push([percentDecode(p[1]), percentDecode(p[2] ?? p[3] ?? '')]);
  }
  return out;
}

export interface CollectParametersInput {
  /** The query string of the request target, without the `?` (as sent on the wire). */
  query?: string;
  /** The OAuth protocol parameters: either decoded pairs, or a raw `Authorization` header value. */
  authorization?: ReadonlyArray<Param> | string;
  /**
   * The entity body: only for `application/x-www-form-urlencoded` requests (a raw form string or
   * decoded pairs). Never pass a JSON (or any other) body: it is not part of the signature.
   */
  formBody?: string | ReadonlyArray<Param>;
}

/**
 * §3.4.1.3.1 parameter sources: the query component (form-decoded), the Authorization header
 * parameters except `realm`, and a form-encoded body. `oauth_signature` is excluded wherever it
 * appears. Returns decoded pairs, repeated names kept.
 */
export function collectParameters(input: CollectParametersInput): Param[] {
  const params: Param[] = input.query ? formDecode(input.query) : [];
  if (input.authorization !== undefined) {
    const auth = typeof input.authorization === 'string' ? parseAuthorizationHeader(input.authorization) : input.authorization;
    for (const p of auth) if (p[0] !== 'realm') params.push(p);
  }
  if (input.formBody !== undefined) {
    const body = typeof input.formBody === 'string' ? formDecode(input.formBody) : input.formBody;
    for (const p of body) params.push(p);
  }
  return params.filter((p) => p[0] !== 'oauth_signature');
}

/**
 * §3.4.1.3.2 parameters normalization: encode every name and value (§3.6), sort by encoded name,
 * then by encoded value (ascending byte order), join `name=value` pairs with `&`.
 */
export function normalizeParameters(params: ReadonlyArray<Param>): string {
  const encoded = params.map((p) => [percentEncode(p[0]), percentEncode(p[1])] as const);
  // The encoded strings are pure ASCII, so UTF-16 code unit order is byte order.
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    if (i) out += '&';
    out += encoded[i][0] + '=' + encoded[i][1];
  }
  return out;
}

/**
 * §3.4.1.1 signature base string: the upper-case HTTP method, the base string URI and the
 * normalized parameters, each percent-encoded (§3.6) and joined with `&`.
 */
export function signatureBaseString(httpMethod: string, baseStrUri: string, normalizedParameters: string): string {
  return percentEncode(httpMethod.toUpperCase()) + '&' + percentEncode(baseStrUri) + '&' + percentEncode(normalizedParameters);
}

/**
 * Convenience: the whole §3.4.1 computation for a request URL (whose query is signed as the
 * server decodes it), the OAuth protocol parameters and an optional form body.
 */
export function requestBaseString(
  method: string,
  url: string,
  oauthParams: ReadonlyArray<Param> | string,
  formBody?: string | ReadonlyArray<Param>,
): string {
  const q = url.indexOf('?');
  let query = q === -1 ? '' : url.slice(q + 1);
  const hash = query.indexOf('#');
  if (hash !== -1) query = query.slice(0, hash);
  const params = collectParameters({ query, authorization: oauthParams, formBody });
  return signatureBaseString(method, baseStringUri(url), normalizeParameters(params));
}
