import { createPublicKey, JsonWebKey, verify as cryptoVerify } from 'crypto';
import { JiraError } from './errors';
import { msg } from './messages';
import { httpRequest, Transport } from './http';

/**
 * JSON Web Tokens (RFC 7519) as Atlassian issues them for OAuth 2.0 access tokens: decode the
 * header and claims for display, and verify an RS256 signature against a JWKS (RFC 7517).
 * node:crypto only. Never log or show the token itself.
 */

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function b64urlJson(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part) || !part) return undefined;
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The header and claims of a JWT (compact JWS), or undefined when the token is not a JWT (opaque tokens). Does not verify. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (typeof token !== 'string') return undefined;
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  const header = b64urlJson(parts[0]);
  const payload = b64urlJson(parts[1]);
  if (!header || !payload) return undefined;
  return { header, payload };
}

export interface VerifyJwtOptions {
  /** ms since the epoch; default Date.now(). */
  now?: number;
  /** Expected `iss`. */
  issuer?: string;
  /** Expected `aud` (a string or one of the array's entries). */
  audience?: string;
  /** Tolerated clock difference for exp/nbf, in seconds. Default 0. */
  clockToleranceSeconds?: number;
}

export interface VerifyJwtResult {
  valid: boolean;
  /** Why it is not valid (for display). */
  reason?: string;
  /** The key id from the header. */
  kid?: string;
}

/** RSA keys below this size are not trusted to sign (NIST SP 800-131A). */
const MIN_RSA_BITS = 2048;

/** Why a JWK may not verify RS256 signatures (RFC 7517 `use`, `alg`, `key_ops`), or undefined. */
function keyUnfit(jwk: JsonWebKey): string | undefined {
  const k = jwk as JsonWebKey & { kid?: string; use?: unknown; alg?: unknown; key_ops?: unknown };
  const name = `The JWKS key "${k.kid ?? ''}"`;
  if (k.use !== undefined && k.use !== 'sig') return `${name} is for ${JSON.stringify(k.use)}, not for signatures.`;
  if (k.alg !== undefined && k.alg !== 'RS256') return `${name} is for ${JSON.stringify(k.alg)}, not RS256.`;
  if (k.key_ops !== undefined && !(Array.isArray(k.key_ops) && k.key_ops.includes('verify'))) return `${name} does not allow "verify".`;
  return undefined;
}

/**
 * Verifies a JWT's RS256 signature with the JWKS key named by its `kid` (or the only RSA key when
 * the header has no kid), then exp, nbf, and iss/aud when asked. `alg: none` and every algorithm
 * but RS256 are refused, and so are a key meant for something else (`use`, `alg`, `key_ops`) or
 * under 2048 bits, a signature not spelt in canonical base64url, and a token without a numeric exp. Never throws: `{ valid: false, reason }` says what is wrong.
 */
export function verifyJwt(token: string, jwks: { keys: JsonWebKey[] }, o: VerifyJwtOptions = {}): VerifyJwtResult {
  const decoded = decodeJwt(token);
  if (!decoded) return { valid: false, reason: 'Not a JWT (three base64url parts with a JSON header and claims).' };
  const { header, payload } = decoded;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const alg = header.alg;
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') {
    return { valid: false, kid, reason: 'The token is unsigned (alg "none"): refused.' };
  }
  if (alg !== 'RS256') return { valid: false, kid, reason: `Unsupported signature algorithm "${alg}": only RS256 is verified.` };
  const keys = Array.isArray(jwks?.keys) ? jwks.keys : [];
  let jwk: JsonWebKey | undefined;
  if (kid !== undefined) {
    jwk = keys.find((k) => (k as { kid?: string }).kid === kid);
    if (!jwk) return { valid: false, kid, reason: `The JWKS has no key with kid "${kid}" (the issuer may have rotated its keys).` };
  } else {
    const rsa = keys.filter((k) => k.kty === 'RSA');
    if (rsa.length !== 1) return { valid: false, reason: 'The token names no key (kid) and the JWKS does not have exactly one RSA key.' };
    jwk = rsa[0];
  }
  if (jwk.kty !== 'RSA') return { valid: false, kid, reason: `The JWKS key "${kid}" is not an RSA key.` };
  const unfit = keyUnfit(jwk);
  if (unfit) return { valid: false, kid, reason: unfit };
  const parts = token.trim().split('.');
  // Node decodes base64url leniently (it skips `!`, accepts `=` and stray bits): only the one
  // canonical spelling of the signature's bytes counts as that signature.
  const signature = Buffer.from(parts[2], 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(parts[2]) || signature.toString('base64url') !== parts[2]) {
    return { valid: false, kid, reason: 'The signature is not canonical base64url.' };
  }
  let ok: boolean;
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return { valid: false, kid, reason: `The JWKS key "${kid ?? ''}" has ${bits} bits; at least ${MIN_RSA_BITS} are required.` };
    ok = cryptoVerify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), key, signature);
  } catch (e) {
    return { valid: false, kid, reason: `The JWKS key could not be used: ${(e as Error).message}` };
  }
  if (!ok) return { valid: false, kid, reason: 'The signature does not match the issuer\'s key.' };
  const nowS = (o.now ?? Date.now()) / 1000;
  const tol = o.clockToleranceSeconds ?? 0;
  // An access token without a (numeric) expiry would be valid forever: not a verdict to give.
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
    return { valid: false, kid, reason: payload.exp === undefined ? 'The token has no expiry (exp).' : 'The token\'s expiry (exp) is not a number.' };
  }
  if (nowS >= payload.exp + tol) {
    return { valid: false, kid, reason: `The token expired at ${new Date(payload.exp * 1000).toISOString()}.` };
  }
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || !Number.isFinite(payload.nbf))) {
    return { valid: false, kid, reason: 'The token\'s start time (nbf) is not a number.' };
  }
  if (typeof payload.nbf === 'number' && nowS < payload.nbf - tol) {
    return { valid: false, kid, reason: `The token is not valid before ${new Date(payload.nbf * 1000).toISOString()}.` };
  }
  if (o.issuer !== undefined && payload.iss !== o.issuer) {
    return { valid: false, kid, reason: `The issuer is "${String(payload.iss)}", expected "${o.issuer}".` };
  }
  if (o.audience !== undefined) {
    const aud = payload.aud;
    const auds = Array.isArray(aud) ? aud : [aud];
    if (!auds.includes(o.audience)) return { valid: false, kid, reason: `The audience is ${JSON.stringify(aud)}, expected "${o.audience}".` };
  }
  return { valid: true, kid };
}

/** GET a JWKS (`/.well-known/jwks.json`). Rejects with a JiraError when it is not `{ keys: [...] }`. */
export async function fetchJwks(url: string, o: { signal?: AbortSignal; transport?: Transport; timeoutMs?: number } = {}): Promise<{ keys: JsonWebKey[] }> {
  const transport = o.transport ?? httpRequest;
  const res = await transport({ method: 'GET', url, headers: { Accept: 'application/json' }, signal: o.signal, timeoutMs: o.timeoutMs });
  if (res.status < 200 || res.status >= 300) {
    throw new JiraError('bad_response', msg('The key set at {0} could not be fetched (HTTP {1}); the token\'s signature cannot be checked.', url, res.status), { status: res.status, url });
  }
  let body: unknown;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch (e) {
    throw new JiraError('bad_json', msg('The key set at {0} is not JSON; the token\'s signature cannot be checked.', url), { status: res.status, url, cause: e });
  }
  const keys = (body as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new JiraError('bad_response', msg('The document at {0} is not a JWKS (no "keys" array).', url), { status: res.status, url });
  return { keys: keys as JsonWebKey[] };
}
