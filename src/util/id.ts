import { randomBytes } from 'crypto';

/** A random 16-hex-digit id (accounts, pending sign-ins): unique, not secret. */
export function newId(): string {
  return randomBytes(8).toString('hex');
}
