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
 * §3.4.1.3.2 sort order of encoded pairs: by name, then by value, in ascending byte order (encoded
 * strings are pure ASCII, so UTF-16 code unit order is byte order).
 */
export function compareEncodedPairs(a: Readonly<Param>, b: Readonly<Param>): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * §3.4.1.3.2 parameters normalization: encode every name and value (§3.6), sort by encoded name,
 * then by encoded value (ascending byte order), join `name=value` pairs with `&`.
 */
export function normalizeParameters(params: ReadonlyArray<Param>): string {
  const encoded = params.map((p) => [percentEncode(p[0]), percentEncode(p[1])] as const);
  encoded.sort(compareEncodedPairs);
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

// What may appear in a query or form body whose pairs are already in §3.6 form: unreserved
// characters, `=`, `&`, and upper-case %XX escapes of the ASCII bytes §3.6 does encode (not %41
// for "A", not %7e). Decoding such a pair and encoding it again gives it back unchanged, so
// requestBaseString takes it as it is. Anything else (`+`, lower-case hex, non-ASCII, a malformed
// escape, a raw `=` in a value) goes through formDecode and percentEncode, which also report
// malformed input.
// (A loop over a table rather than a regular expression: on the per-request path a cold regular
// expression costs more than the loop; see docs/performance.md.)
const UNRESERVED = new Uint8Array(128);
const CANONICAL_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  UNRESERVED[c] = UNRESERVED_ONLY.test(String.fromCharCode(c)) ? 1 : 0;
  CANONICAL_CHAR[c] = UNRESERVED[c] === 1 || c === 61 /* = */ || c === 38 /* & */ ? 1 : 0;
}
/** Upper-case hex digit value, or -1. */
function upperHex(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : -1;
}
/** Whether the `%` at `i` starts an upper-case %XX escape of an ASCII byte that §3.6 does encode. */
function isCanonicalEscapeAt(s: string, i: number): boolean {
  if (i + 2 >= s.length) return false;
  const hi = upperHex(s.charCodeAt(i + 1));
  const lo = upperHex(s.charCodeAt(i + 2));
  return hi >= 0 && hi <= 7 && lo >= 0 && UNRESERVED[hi * 16 + lo] === 0;
}
function isCanonicalForm(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && CANONICAL_CHAR[c] === 1) continue;
    if (c !== 37 /* % */ || !isCanonicalEscapeAt(s, i)) return false;
    i += 2;
  }
  return true;
}

/** §3.4.1.3.1 + §3.6: the form-encoded pairs of `input` as encoded [name, value] pairs (`oauth_signature` left out). */
function encodedFormPairs(input: string, out: Param[]): void {
  if (!input) return;
  if (!isCanonicalForm(input)) {
    for (const p of formDecode(input)) if (p[0] !== 'oauth_signature') out.push([percentEncode(p[0]), percentEncode(p[1])]);
    return;
  }
  let start = 0;
  while (start <= input.length) {
    let end = input.indexOf('&', start);
    if (end === -1) end = input.length;
    if (end > start) {
      const eq = input.indexOf('=', start);
      if (eq === -1 || eq >= end) {
        out.push([input.slice(start, end), '']);
      } else if (input.lastIndexOf('=', end - 1) !== eq) {
        // A raw "=" inside the value: §3.6 encodes it (%3D).
        const p = formDecode(input.slice(start, end))[0];
        out.push([percentEncode(p[0]), percentEncode(p[1])]);
      } else {
        out.push([input.slice(start, eq), input.slice(eq + 1, end)]);
      }
      if (out[out.length - 1][0] === 'oauth_signature') out.pop();
    }
    start = end + 1;
  }
}

/**
 * The whole §3.4.1 computation for a request URL (whose query is signed as the server decodes it),
 * the OAuth protocol parameters and an optional form body: the same string as
 *   signatureBaseString(method, baseStringUri(url), normalizeParameters(collectParameters(...)))
 * (a unit test holds the two equal over awkward and random inputs), computed for the signer's
 * per-request path without decoding and re-encoding what is already in §3.6 form (see
 * encodedRequestParameters and baseStringOfEncoded).
 */
export function requestBaseString(
  method: string,
  url: string,
  oauthParams: ReadonlyArray<Param> | string,
  formBody?: string | ReadonlyArray<Param>,
): string {
  const encoded = encodedRequestParameters(url, formBody);
  const auth = typeof oauthParams === 'string' ? parseAuthorizationHeader(oauthParams) : oauthParams;
  for (const p of auth) {
    if (p[0] !== 'realm' && p[0] !== 'oauth_signature') encoded.push([percentEncode(p[0]), percentEncode(p[1])]);
  }
  return baseStringOfEncoded(method, percentEncode(baseStringUri(url)), encoded);
}

/**
 * §3.4.1.3.1 and §3.6 for the query of `url` and a form body: their parameters as ENCODED pairs
 * (`oauth_signature` left out). Pairs already in §3.6 form are taken as they are.
 */
export function encodedRequestParameters(url: string, formBody?: string | ReadonlyArray<Param>): Param[] {
  const q = url.indexOf('?');
  let query = q === -1 ? '' : url.slice(q + 1);
  const hash = query.indexOf('#');
  if (hash !== -1) query = query.slice(0, hash);
  const encoded: Param[] = [];
  encodedFormPairs(query, encoded);
  if (typeof formBody === 'string') {
    encodedFormPairs(formBody, encoded);
  } else if (formBody) {
    for (const p of formBody) if (p[0] !== 'oauth_signature') encoded.push([percentEncode(p[0]), percentEncode(p[1])]);
  }
  return encoded;
}

/**
 * §3.4.1.1 from encoded parameters (sorted here in place, §3.4.1.3.2) and the already-encoded base
 * string URI. The normalized parameter string holds only unreserved characters, `%`, `=` and `&`,
 * for which encodeURIComponent is exactly §3.6 (it differs only on ! ' ( ) *).
 */
export function baseStringOfEncoded(method: string, encodedUri: string, encoded: Param[]): string {
  encoded.sort(compareEncodedPairs);
  let params = '';
  for (let i = 0; i < encoded.length; i++) {
    if (i) params += '&';
    params += encoded[i][0] + '=' + encoded[i][1];
  }
  return percentEncode(method.toUpperCase()) + '&' + encodedUri + '&' + encodeURIComponent(params);
}

/**
 * The signer's fast path: the §3.4.1 base string of a request without a form body whose query is
 * in §3.6 form (see isCanonicalForm), with the protocol parameters given as one run already in the
 * form they take inside the base string: sorted, each `name%3Dvalue` encoded twice, joined by `%26`
 * (`run`, from `runFirst` to `runLast` by name). One pass over the query checks it and splits its
 * pairs, which are sorted (§3.4.1.3.2) and placed before or after the run; each side is encoded
 * once more with one encodeURIComponent call (exactly §3.6 on canonical pairs: they hold only
 * unreserved characters, `%`, `=` and `&`).
 * Returns undefined for what it does not take: a query that is not in §3.6 form (`+`, lower-case
 * hex, `%41`, non-ASCII, a malformed escape, `,`...), a raw `=` in a value, a query name from
 * `runFirst` to `runLast` (which covers `oauth_signature`: a run always holds oauth_consumer_key
 * and oauth_signature_method). The caller then takes the general path (requestBaseString), which
 * also reports malformed input.
 */
export function baseStringWithProtocolRun(encodedMethod: string, encodedUri: string, url: string, runFirst: string, runLast: string, run: string): string | undefined {
  const prefix = encodedMethod + '&' + encodedUri + '&';
  const q = url.indexOf('?');
  if (q === -1) return prefix + run;
  // The pairs, sorted by name then value as they arrive (insertion: a query has a few pairs).
  const names: string[] = [];
  const values: string[] = [];
  const length = url.length;
  let start = q + 1;
  let eq = -1;
  for (let i = start; ; i++) {
    // The end of the URL counts as the start of a fragment.
    const c = i < length ? url.charCodeAt(i) : 35; /* # */
    if (c < 128 && UNRESERVED[c] === 1) continue;
    if (c === 38 /* & */ || c === 35 /* # */) {
      if (i > start) {
        const name = eq === -1 ? url.slice(start, i) : url.slice(start, eq);
        const value = eq === -1 ? '' : url.slice(eq + 1, i);
        if (name >= runFirst && name <= runLast) return undefined;
        let k = names.length;
        while (k > 0 && (names[k - 1] > name || (names[k - 1] === name && values[k - 1] > value))) {
          names[k] = names[k - 1];
          values[k] = values[k - 1];
          k--;
        }
        names[k] = name;
        values[k] = value;
      }
      if (c === 35) break;
      start = i + 1;
      eq = -1;
      continue;
    }
    if (c === 61 /* = */) {
      if (eq !== -1) return undefined;
      eq = i;
      continue;
    }
    // What else may appear: an upper-case %XX escape of an ASCII byte that §3.6 does encode.
    if (c !== 37 /* % */ || !isCanonicalEscapeAt(url, i)) return undefined;
    i += 2;
  }
  let before = '';
  let after = '';
  for (let i = 0; i < names.length; i++) {
    if (names[i] < runFirst) before += (before ? '&' : '') + names[i] + '=' + values[i];
    else after += '&' + names[i] + '=' + values[i];
  }
  return prefix + (before ? encodeURIComponent(before) + '%26' : '') + run + (after ? encodeURIComponent(after) : '');
}
