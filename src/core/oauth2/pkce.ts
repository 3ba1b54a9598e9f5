import { createHash, randomBytes } from 'crypto';

/** A PKCE pair (RFC 7636): send `challenge` with the authorize request, `verifier` with the code exchange. */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** base64url(SHA-256(ascii(verifier))), RFC 7636 §4.2. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A new PKCE pair: a 43-character verifier from 32 random bytes (base64url), S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

/** A fresh `state` value: 32 random bytes (256 bits), base64url. */
export function randomState(): string {
  return randomBytes(32).toString('base64url');
}
