// Parsing and checking the public key an admin pastes into an incoming application link.
import { createPublicKey, KeyObject } from 'node:crypto';

export interface ParsedPublicKey {
  key: KeyObject;
  bits: number;
  /** Set when Jira would accept the key but it is weak. */
  warning?: string;
}

/**
 * Jira (RSAKeys.fromPemEncodingToPublicKey) strips the "-----BEGIN/END PUBLIC KEY-----" lines,
 * base64-decodes the rest and reads it as an X.509 SubjectPublicKeyInfo RSA key, so it accepts
 * that PEM or its bare base64 body and nothing else. The messages here are the emulator's own
 * (clearer than Jira's "invalid public key").
 */
export function parsePublicKeyPem(text: string): ParsedPublicKey {
  const pem = (text ?? '').trim();
  if (!pem) throw new Error('The public key is required.');
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    throw new Error('This is a PRIVATE key. Paste the PUBLIC key (-----BEGIN PUBLIC KEY-----); the private key must never leave the application.');
  }
  if (/-----BEGIN CERTIFICATE-----/.test(pem)) {
    throw new Error('This is a certificate, not a public key. Paste the public key in X.509 SubjectPublicKeyInfo PEM form (-----BEGIN PUBLIC KEY-----).');
  }
  if (/-----BEGIN RSA PUBLIC KEY-----/.test(pem)) {
    throw new Error('This is a PKCS#1 RSA public key (-----BEGIN RSA PUBLIC KEY-----). Jira expects the X.509 SubjectPublicKeyInfo form (-----BEGIN PUBLIC KEY-----).');
  }
  let body: string;
  const m = /^-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----$/.exec(pem);
  if (m) body = m[1];
  else if (/-----BEGIN /.test(pem)) throw new Error('Unrecognised PEM block. Paste an RSA public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----).');
  else body = pem;
  body = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('The public key is not valid: it is not base64-encoded PEM.');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new Error('The public key is not valid: it could not be read as an X.509 SubjectPublicKeyInfo key.');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(`The public key is a ${key.asymmetricKeyType ?? 'non-RSA'} key; Jira application links need an RSA key.`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) throw new Error(`The RSA key has only ${bits} bits; use at least 2048.`);
  return {
    key,
    bits,
    warning: bits < 2048 ? `The RSA key has only ${bits} bits. Jira accepts it, but keys under 2048 bits are weak; generate a 2048-bit (or larger) key.` : undefined,
  };
}
