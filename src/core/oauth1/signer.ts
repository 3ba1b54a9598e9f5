import { KeyObject, randomBytes, sign as cryptoSign } from 'crypto';
import OAuth from 'oauth-1.0a';
import { ClockOffset, serverNow } from './clock';
import { baseStringOfEncoded, baseStringUri, baseStringWithProtocolRun, compareEncodedPairs, encodedRequestParameters, Param, percentEncode } from './signature';

/**
 * RSA-SHA1 request signing (RFC 5849 §3.4.3) built on the `oauth-1.0a` package.
 *
 * That package assembles the oauth_* protocol parameters and renders the Authorization header
 * correctly, but its own base string is not RFC normalisation (it decodes the query with
 * decodeURIComponent without treating `+` as a space, merges repeated names, would sign a JSON
 * body, and draws nonces from Math.random). So only its `authorize` (parameter assembly) and
 * `toHeader` are used, once per credential (consumer key, token, extra parameters such as
 * oauth_verifier), with marks where the per-request values go; each request then
 *   - draws its nonce from crypto.randomBytes (16 bytes, pooled, hex),
 *   - takes its timestamp from the real clock plus the offset learned from the server,
 *   - builds the RFC 5849 §3.4.1 base string itself (signature.ts: the query signed as the server
 *     decodes it, a form body only as decoded pairs, never a JSON body),
 *   - makes the RSA-SHA1 signature last (crypto.sign('sha1', base, KeyObject), the key parsed once
 *     per signer) and fills the three values into the header oauth-1.0a rendered.
 * (Assembling them with oauth-1.0a for every request cost more than the rest of the non-RSA work
 * put together: docs/performance.md.)
 */

/** What a signature covers besides the OAuth protocol parameters. */
export interface SignableRequest {
  method: string;
  /** Absolute URL exactly as it is sent (its query is signed as the server form-decodes it). */
  url: string;
  /** Decoded pairs of an application/x-www-form-urlencoded body; never a JSON body. */
  form?: ReadonlyArray<Param>;
}

export interface SignOptions {
  /** oauth_token: the request token (access-token step) or the access token. Omitted for request-token. */
  token?: string;
  /** Extra protocol parameters that go in the header and the signature: oauth_callback, oauth_verifier. */
  extra?: Readonly<Record<string, string>>;
  /** Fixed values (test vectors only). */
  nonce?: string;
  timestamp?: number;
  /** Leave oauth_version out (it is optional in RFC 5849). Default: sent as "1.0". */
  omitVersion?: boolean;
}

// Nonces come from one pooled crypto.randomBytes call, hex-encoded once: each nonce is then a slice
// of that string (one call per 256 nonces, and no per-request Buffer or hex conversion: the whole
// non-RSA part of signing should cost microseconds).
const NONCE_HEX = 32; // 16 bytes
const NONCES_PER_POOL = 256;
let noncePool = '';
let noncePos = 0;
function nonce(): string {
  if (noncePos === noncePool.length) {
    noncePool = randomBytes((NONCE_HEX / 2) * NONCES_PER_POOL).toString('hex');
    noncePos = 0;
  }
  return noncePool.slice(noncePos, (noncePos += NONCE_HEX));
}

// Stand for the per-request values while oauth-1.0a assembles a credential's parameters and header
// (unreserved characters only, so percent-encoding leaves them as they are).
const NONCE_MARK = 'oauth-nonce-pending';
const TIMESTAMP_MARK = 'oauth-timestamp-pending';
const SIGNATURE_MARK = 'oauth-signature-pending';

/**
 * What oauth-1.0a assembled for one credential (consumer key, token, extra parameters): the
 * protocol parameters in its order, and its Authorization header cut where the nonce, the
 * timestamp and the signature go.
 */
interface Layout {
  readonly token: string | undefined;
  readonly extra: Readonly<Record<string, string>> | undefined;
  readonly omitVersion: boolean;
  /** Decoded protocol parameters (no oauth_signature); the nonce and timestamp values are marks. */
  readonly params: ReadonlyArray<Param>;
  /** The same, §3.6-encoded, as they enter the base string. */
  readonly encoded: ReadonlyArray<Param>;
  readonly nonceAt: number;
  readonly timestampAt: number;
  /**
   * The same once more, sorted by name, as they appear inside the base string (`name%3Dvalue`
   * joined by `%26`, everything encoded twice), cut where the nonce and the timestamp go (the
   * nonce comes first: oauth_nonce sorts before oauth_timestamp): run[0] + nonce + run[1] +
   * timestamp + run[2]; and the first and last names of that run (baseStringWithProtocolRun).
   */
  readonly run: readonly [string, string, string];
  readonly runFirst: string;
  readonly runLast: string;
  /** The header split at the marks: pieces[0] + nonce + pieces[1] + signature + pieces[2] + timestamp + pieces[3]. */
  readonly pieces: readonly string[];
}

/** The result of signing one request. */
export class SignedRequest {
  constructor(
    /** The Authorization header value. */
    readonly authorization: string,
    /** The RFC 5849 §3.4.1 signature base string that was signed. */
    readonly baseString: string,
    /** Its §3.4.1.2 base string URI: what Jira must compute for the request too (signature_invalid advice). */
    readonly baseStringUri: string,
    private readonly params: ReadonlyArray<Param>,
    private readonly nonce: string,
    private readonly timestamp: string,
    private readonly signature: string,
  ) {}

  /** The protocol parameters sent, oauth_signature included (decoded). */
  get oauthParams(): Record<string, string> {
    const o: Record<string, string> = {};
    for (const [k, v] of this.params) o[k] = v;
    o.oauth_nonce = this.nonce;
    o.oauth_timestamp = this.timestamp;
    o.oauth_signature = this.signature;
    return o;
  }
}

export class OAuth1Signer {
  private readonly oauth: OAuth;
  private layout: Layout | undefined;
  // The last URL path signed and its base string URI, plain and encoded (a client keeps asking the
  // same resources: the next page of a search, a refresh).
  private lastPath = '';
  private lastUri = '';
  private lastEncodedUri = '';
  private lastMethod = '';
  // The last timestamp, as a number and as sent (a client signs many requests within a second).
  private lastSecond = NaN;
  private lastTimestamp = '';
  private lastEncodedMethod = '';

  constructor(
    readonly consumerKey: string,
    private readonly privateKey: KeyObject,
    readonly clock?: ClockOffset,
  ) {
    const oauth = new OAuth({
      consumer: { key: consumerKey, secret: '' },
      signature_method: 'RSA-SHA1',
      // RSA-SHA1 ignores the secrets; sign() makes the signature per request.
      hash_function: () => SIGNATURE_MARK,
    });
    // Same §3.6 encoding as the package's (encodeURIComponent plus ! * ' ( )), without five regex passes per value.
    oauth.percentEncode = percentEncode;
    oauth.getNonce = () => NONCE_MARK;
    oauth.getTimeStamp = () => TIMESTAMP_MARK as unknown as number;
    // Its own base string is not RFC 5849 normalisation and is never used: requestBaseString is.
    oauth.getBaseString = () => '';
    this.oauth = oauth;
  }

  /** The private key this signer uses (parsed once). */
  get key(): KeyObject {
    return this.privateKey;
  }

  /** oauth-1.0a's parameters and header for a credential; kept while the same credential signs. */
  private layoutFor(token: string | undefined, extra: Readonly<Record<string, string>> | undefined, omitVersion: boolean): Layout {
    const l = this.layout;
    if (l && l.token === token && l.extra === extra && l.omitVersion === omitVersion) return l;
    // The signer makes these per request; extra parameters may not set them.
    for (const name of ['oauth_nonce', 'oauth_timestamp', 'oauth_signature']) {
      if (extra && Object.prototype.hasOwnProperty.call(extra, name)) throw new TypeError(`${name} is made per request and cannot be an extra parameter`);
    }
    const data = this.oauth.authorize({ method: 'GET', url: '' }, token !== undefined ? { key: token, secret: '' } : undefined) as unknown as Record<string, string>;
    if (omitVersion) delete data.oauth_version;
    if (extra) Object.assign(data, extra);
    const params: Param[] = [];
    for (const name of Object.keys(data)) if (name !== 'oauth_signature') params.push([name, String(data[name])]);
    // Cut the header at each mark: the marks are unreserved, so they appear as they are.
    const header = this.oauth.toHeader(data as unknown as OAuth.Authorization).Authorization;
    const found: Array<[number, 'nonce' | 'timestamp' | 'signature', string]> = [];
    for (const [slot, name, mark] of [['nonce', 'oauth_nonce', NONCE_MARK], ['timestamp', 'oauth_timestamp', TIMESTAMP_MARK], ['signature', 'oauth_signature', SIGNATURE_MARK]] as const) {
      const text = `${name}="${mark}"`;
      found.push([header.indexOf(text) + name.length + 2, slot, mark]);
    }
    found.sort((a, b) => a[0] - b[0]);
    // oauth-1.0a writes the parameters sorted by name: nonce, signature, timestamp.
    if (found.map((f) => f[1]).join() !== 'nonce,signature,timestamp') throw new Error(`oauth-1.0a wrote an unexpected Authorization header: ${header}`);
    const pieces: string[] = [];
    let from = 0;
    for (const [at, , mark] of found) {
      pieces.push(header.slice(from, at));
      from = at + mark.length;
    }
    pieces.push(header.slice(from));
    const encoded: Param[] = params.map((p) => [percentEncode(p[0]), percentEncode(p[1])]);
    const sorted = encoded.slice().sort(compareEncodedPairs);
    const runText = sorted.map((p) => encodeURIComponent(p[0] + '=' + p[1])).join('%26');
    const atNonce = runText.indexOf(`oauth_nonce%3D${NONCE_MARK}`) + 'oauth_nonce%3D'.length;
    const atTimestamp = runText.indexOf(`oauth_timestamp%3D${TIMESTAMP_MARK}`) + 'oauth_timestamp%3D'.length;
    this.layout = {
      token,
      extra,
      omitVersion,
      params,
      encoded,
      nonceAt: params.findIndex((p) => p[0] === 'oauth_nonce'),
      timestampAt: params.findIndex((p) => p[0] === 'oauth_timestamp'),
      run: [runText.slice(0, atNonce), runText.slice(atNonce + NONCE_MARK.length, atTimestamp), runText.slice(atTimestamp + TIMESTAMP_MARK.length)],
      runFirst: sorted[0][0],
      runLast: sorted[sorted.length - 1][0],
      pieces,
    };
    return this.layout;
  }

  /** Sign a request; returns the Authorization header value and the base string that was signed. */
  sign(request: SignableRequest, options: SignOptions = {}): SignedRequest {
    const layout = this.layoutFor(options.token, options.extra, options.omitVersion === true);
    const url = request.url;
    const n = options.nonce !== undefined ? options.nonce : nonce();
    // Our nonces are hex and timestamps digits: only a fixed test nonce may need encoding.
    const encodedNonce = options.nonce !== undefined ? percentEncode(n) : n;
    let ts: string;
    if (options.timestamp !== undefined) {
      ts = String(options.timestamp);
    } else {
      const now = serverNow(this.clock);
      if (now !== this.lastSecond) {
        this.lastSecond = now;
        this.lastTimestamp = String(now);
      }
      ts = this.lastTimestamp;
    }
    const q = url.indexOf('?');
    const pathEnd = q === -1 ? url.length : q;
    if (pathEnd !== this.lastPath.length || !url.startsWith(this.lastPath)) {
      const path = url.slice(0, pathEnd);
      this.lastUri = baseStringUri(path);
      this.lastEncodedUri = percentEncode(this.lastUri);
      this.lastPath = path;
    }
    if (request.method !== this.lastMethod) {
      this.lastEncodedMethod = percentEncode(request.method.toUpperCase());
      this.lastMethod = request.method;
    }
    // Usually the query is in §3.6 form (buildRequestTarget writes it so) and there is no form
    // body: the protocol parameters then go in as one prepared run. Otherwise the general path.
    let baseString: string | undefined;
    if (request.form === undefined) {
      // Inside the base string the nonce and the timestamp are encoded twice: ours are hex and digits.
      const nonceInBase = options.nonce !== undefined ? encodeURIComponent(encodedNonce) : n;
      const r = layout.run;
      baseString = baseStringWithProtocolRun(this.lastEncodedMethod, this.lastEncodedUri, url, layout.runFirst, layout.runLast, r[0] + nonceInBase + r[1] + ts + r[2]);
    }
    if (baseString === undefined) {
      const encoded = encodedRequestParameters(url, request.form);
      const own = layout.encoded;
      for (let i = 0; i < own.length; i++) {
        encoded.push(i === layout.nonceAt ? ['oauth_nonce', encodedNonce] : i === layout.timestampAt ? ['oauth_timestamp', ts] : own[i]);
      }
      baseString = baseStringOfEncoded(request.method, this.lastEncodedUri, encoded);
    }
    // RSA-SHA1 (§3.4.3) ignores the consumer and token secrets. crypto.sign takes the string as
    // UTF-8 itself (cheaper than a Buffer.from first); nothing but base64 and splicing runs after
    // the RSA operation.
    const signature = cryptoSign('sha1', baseString as unknown as Buffer, this.privateKey).toString('base64');
    const p = layout.pieces;
    // Base64 holds only letters, digits, + / and =, for which encodeURIComponent is exactly §3.6.
    const authorization = p[0] + encodedNonce + p[1] + encodeURIComponent(signature) + p[2] + ts + p[3];
    return new SignedRequest(authorization, baseString, this.lastUri, layout.params, n, ts, signature);
  }
}
