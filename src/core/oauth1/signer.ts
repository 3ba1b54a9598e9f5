import { KeyObject, randomBytes, sign as cryptoSign } from 'crypto';
import OAuth from 'oauth-1.0a';
import { ClockOffset, serverNow } from './clock';
import { Param, percentEncode, requestBaseString } from './signature';

/**
 * RSA-SHA1 request signing (RFC 5849 §3.4.3) built on the `oauth-1.0a` package.
 *
 * That package assembles the oauth_* protocol parameters and renders the Authorization header
 * correctly, but its own base string is not RFC normalisation (it decodes the query with
 * decodeURIComponent without treating `+` as a space, merges repeated names, would sign a JSON
 * body, and draws nonces from Math.random). So one instance per signer is configured with
 *   - `getNonce`: 16 bytes from crypto.randomBytes (pooled), hex,
 *   - `getTimeStamp`: the real clock plus the offset learned from the server,
 *   - `getBaseString`: our pure §3.4.1 functions (signature.ts),
 *   - `hash_function`: a placeholder; sign() makes the RSA-SHA1 signature (crypto.sign('sha1',
 *     base, KeyObject), the key parsed once per signer) last and splices it into the header,
 *   - `percentEncode`: ours (same §3.6 result, cheaper),
 * and only its `authorize` (parameter assembly) and `toHeader` are used as they are.
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

export interface SignedRequest {
  authorization: string;
  baseString: string;
  oauthParams: Record<string, string>;
}

// Nonces come from a pooled crypto.randomBytes buffer: one call per 256 nonces instead of one each
// (a synchronous randomBytes(16) costs microseconds, the whole non-RSA part of signing should too).
const NONCE_BYTES = 16;
let noncePool = Buffer.alloc(0);
let noncePos = 0;
function nonce(): string {
  if (noncePos + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_BYTES * 256);
    noncePos = 0;
  }
  const n = noncePool.toString('hex', noncePos, noncePos + NONCE_BYTES);
  noncePos += NONCE_BYTES;
  return n;
}

// Stands for the signature while oauth-1.0a assembles the parameters and the header (unreserved
// characters only, so percent-encoding leaves it as it is).
const SIGNATURE_PENDING = 'oauth-signature-pending';
const PENDING_IN_HEADER = `oauth_signature="${SIGNATURE_PENDING}"`;

interface PrivateRequestOptions extends OAuth.RequestOptions {
  form?: ReadonlyArray<Param>;
  extra?: Readonly<Record<string, string>>;
  omitVersion?: boolean;
}

export class OAuth1Signer {
  private readonly oauth: OAuth;
  private fixedNonce: string | undefined;
  private fixedTimestamp: number | undefined;
  private lastBaseString = '';

  constructor(
    readonly consumerKey: string,
    private readonly privateKey: KeyObject,
    readonly clock?: ClockOffset,
  ) {
    const oauth = new OAuth({
      consumer: { key: consumerKey, secret: '' },
      signature_method: 'RSA-SHA1',
      // The RSA signature is made last, in sign(), once the header is assembled around this
      // placeholder: nothing but splicing it in runs after the RSA operation.
      hash_function: () => SIGNATURE_PENDING,
    });
    // Same §3.6 encoding as the package's (encodeURIComponent plus ! * ' ( )), without five regex passes per value.
    oauth.percentEncode = percentEncode;
    oauth.getNonce = () => {
      const n = this.fixedNonce;
      return n !== undefined ? n : nonce();
    };
    oauth.getTimeStamp = () => {
      const t = this.fixedTimestamp;
      return t !== undefined ? t : serverNow(this.clock);
    };
    oauth.getBaseString = (request: PrivateRequestOptions, oauthData: OAuth.Data) => {
      const params: Param[] = [];
      for (const name of Object.keys(oauthData)) {
        if (request.omitVersion && name === 'oauth_version') continue;
        params.push([name, String((oauthData as unknown as Record<string, unknown>)[name])]);
      }
      if (request.extra) for (const name of Object.keys(request.extra)) params.push([name, request.extra[name]]);
      // Kept for diagnostics (signature_invalid) without computing it twice; sign() is synchronous.
      return (this.lastBaseString = requestBaseString(request.method, request.url, params, request.form));
    };
    this.oauth = oauth;
  }

  /** The private key this signer uses (parsed once). */
  get key(): KeyObject {
    return this.privateKey;
  }

  /** Sign a request; returns the Authorization header value and the base string that was signed. */
  sign(request: SignableRequest, options: SignOptions = {}): SignedRequest {
    const req: PrivateRequestOptions = {
      method: request.method,
      url: request.url,
      form: request.form,
      extra: options.extra,
      omitVersion: options.omitVersion,
    };
    this.fixedNonce = options.nonce;
    this.fixedTimestamp = options.timestamp;
    let data: OAuth.Authorization;
    try {
      data = this.oauth.authorize(req, options.token !== undefined ? { key: options.token, secret: '' } : undefined);
    } finally {
      this.fixedNonce = undefined;
      this.fixedTimestamp = undefined;
    }
    const baseString = this.lastBaseString;
    const all = data as unknown as Record<string, string | number>;
    if (options.omitVersion) delete all.oauth_version;
    if (options.extra) Object.assign(all, options.extra);
    const oauthParams: Record<string, string> = {};
    for (const k of Object.keys(all)) oauthParams[k] = String(all[k]);
    const header = this.oauth.toHeader(data).Authorization;
    // RSA-SHA1 (§3.4.3) ignores the consumer and token secrets. crypto.sign takes the string as
    // UTF-8 itself: no Buffer is allocated right before the RSA operation.
    const signature = cryptoSign('sha1', baseString as unknown as Buffer, this.privateKey).toString('base64');
    oauthParams.oauth_signature = signature;
    const at = header.indexOf(PENDING_IN_HEADER);
    const authorization = header.slice(0, at) + 'oauth_signature="' + percentEncode(signature) + '"' + header.slice(at + PENDING_IN_HEADER.length);
    return { authorization, baseString, oauthParams };
  }
}
