import { createHash, createPrivateKey, createPublicKey, generateKeyPair as cryptoGenerateKeyPair, KeyObject } from 'crypto';
import { formatMessage, Message, msg } from './messages';

/** Why a key was refused. */
export type KeyErrorCode =
  /** Not PEM text at all, or a damaged PEM block. */
  | 'invalid_pem'
  /** A PEM format this library does not read (OpenSSH, PuTTY, PKCS#7...). */
  | 'unsupported_format'
  /** A public key or certificate was given where the private key is needed. */
  | 'not_private_key'
  /** An EC, Ed25519, DSA or RSA-PSS key: Jira's application links need RSA. */
  | 'not_rsa'
  /** RSA modulus shorter than the minimum (2048 bits by default). */
  | 'key_too_small'
  /** generateKeyPair got a size other than 2048, 3072 or 4096. */
  | 'invalid_modulus_length'
  /** The key is encrypted and no passphrase was given. */
  | 'passphrase_required'
  /** The passphrase does not decrypt the key. */
  | 'wrong_passphrase';

/** A refused key; `message` in English, `text` as a template and arguments for a translator (see messages.ts). */
export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    readonly text: Message,
    readonly cause?: unknown,
  ) {
    super(formatMessage(text));
    this.name = 'KeyError';
  }
}

export interface KeyPair {
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), unencrypted unless a passphrase was given. */
  privateKeyPem: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`): paste it into Jira's application link. */
  publicKeyPem: string;
}

export interface GenerateKeyPairOptions {
  /** 2048 (default), 3072 or 4096. */
  modulusLength?: number;
  /** Encrypt the private key PEM (PKCS#8, AES-256-CBC) with this passphrase. */
  passphrase?: string;
}

export const ALLOWED_MODULUS_LENGTHS: readonly number[] = [2048, 3072, 4096];
export const MIN_MODULUS_LENGTH = 2048;

/**
 * Generate an RSA key pair for a Jira application link, off the event loop (crypto.generateKeyPair
 * runs in libuv's thread pool).
 */
export function generateKeyPair(options: GenerateKeyPairOptions = {}): Promise<KeyPair> {
  const modulusLength = options.modulusLength ?? 2048;
  if (!ALLOWED_MODULUS_LENGTHS.includes(modulusLength)) {
    return Promise.reject(
      new KeyError(
        'invalid_modulus_length',
        msg('Cannot generate a {0}-bit RSA key: use 2048 (default), 3072 or 4096 bits.', String(modulusLength)),
      ),
    );
  }
  return new Promise<KeyPair>((resolve, reject) => {
    const privateKeyEncoding = options.passphrase
      ? { type: 'pkcs8' as const, format: 'pem' as const, cipher: 'aes-256-cbc', passphrase: options.passphrase }
      : { type: 'pkcs8' as const, format: 'pem' as const };
    cryptoGenerateKeyPair(
      'rsa',
      { modulusLength, publicExponent: 0x10001, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding },
      (err, publicKeyPem, privateKeyPem) => {
        if (err) reject(err);
        else resolve({ privateKeyPem, publicKeyPem });
      },
    );
  });
}

export interface LoadPrivateKeyOptions {
  /** For `BEGIN ENCRYPTED PRIVATE KEY` (or legacy `Proc-Type: 4,ENCRYPTED`) keys. */
  passphrase?: string;
  /**
   * Smallest accepted RSA modulus in bits. Default 2048. Lower it only to verify old test
   * vectors (the OAuth test-case key is 1024 bits); Jira links should use 2048 or more.
   */
  minModulusLength?: number;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Clean up a pasted PEM: CRLF, literal "\n" escapes (from JSON or env vars), surrounding quotes. */
export function cleanPem(input: string): string {
  let s = String(input ?? '').trim();
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) s = s.slice(1, -1).trim();
  if (!s.includes('\n') && s.includes('\\n')) s = s.replace(/\\r\\n|\\n/g, '\n');
  return s.replace(/\r\n?/g, '\n');
}

/** "This is ... key, not an RSA key." for each key type Node knows. */
function notRsa(type: string | undefined): Message {
  switch (type) {
    case 'ec':
      return msg('This is an EC (elliptic curve) key, not an RSA key. {0}', NOT_RSA_HINT);
    case 'rsa-pss':
      return msg('This is an RSA-PSS key (it cannot make RSA-SHA1 PKCS#1 v1.5 signatures), not an RSA key. {0}', NOT_RSA_HINT);
    default:
      return msg('This is a {0} key, not an RSA key. {1}', type === 'ed25519' ? 'Ed25519' : type === 'ed448' ? 'Ed448' : type === 'dsa' ? 'DSA' : type ?? 'non-RSA', NOT_RSA_HINT);
  }
}

const NOT_RSA_HINT = msg('Jira application links need an RSA key: generate one (e.g. `openssl genrsa 2048`) or let the extension generate it.');

function checkRsa(key: KeyObject, min: number): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyError('not_rsa', notRsa(key.asymmetricKeyType));
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && bits < min) {
    throw new KeyError(
      'key_too_small',
      msg('This RSA key has only {0} bits; at least {1} bits are required. Generate a new key of 2048 bits or more and update the public key in Jira\'s application link.', bits, min),
    );
  }
  return key;
}

/**
 * Parse an RSA private key PEM once into a KeyObject: PKCS#1 (`BEGIN RSA PRIVATE KEY`, what
 * `openssl genrsa` writes), PKCS#8 (`BEGIN PRIVATE KEY`) or encrypted PKCS#8 (`BEGIN ENCRYPTED
 * PRIVATE KEY`, needs `passphrase`). A file holding several PEM blocks (certificate + key) is
 * searched for the private key. Throws a KeyError saying what to do.
 */
export function loadPrivateKey(pem: string, options: LoadPrivateKeyOptions = {}): KeyObject {
  const min = options.minModulusLength ?? MIN_MODULUS_LENGTH;
  const text = cleanPem(pem);
  if (!text) throw new KeyError('invalid_pem', msg('No private key was given. Paste the whole PEM, from -----BEGIN ... PRIVATE KEY----- to the END line.'));
  const blocks: string[] = text.match(PEM_BLOCK) ?? [];
  if (!blocks.length) {
    if (/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
      throw new KeyError('invalid_pem', msg('The PEM block is incomplete: the -----END ...----- line is missing or does not match the BEGIN line. Paste the whole key.'));
    }
    if (/^PuTTY-User-Key-File/m.test(text)) {
      throw new KeyError('unsupported_format', msg('This is a PuTTY (.ppk) key. Export it as OpenSSH/PEM (PuTTYgen: Conversions > Export OpenSSH key) or generate a new RSA key.'));
    }
    throw new KeyError('invalid_pem', msg('This is not a PEM key: expected text starting with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----.'));
  }
  const label = (b: string) => /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(b)![1];
  const block = blocks.find((b) => /PRIVATE KEY$/.test(label(b))) ?? blocks[0];
  const kind = label(block);
  switch (kind) {
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY':
      throw new KeyError('not_private_key', msg('This is a public key. Signing needs the private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----); the public key is what you paste into Jira.'));
    case 'CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
    case 'CERTIFICATE REQUEST':
    case 'NEW CERTIFICATE REQUEST':
      throw new KeyError('not_private_key', msg('This is a {0}, not a private key. Use the RSA private key (-----BEGIN PRIVATE KEY-----).', kind.toLowerCase()));
    case 'OPENSSH PRIVATE KEY':
      throw new KeyError(
        'unsupported_format',
        msg('This is an OpenSSH-format key. Convert it to PEM with `ssh-keygen -p -m PEM -f <file>` (RSA keys only), or generate a new key with `openssl genrsa 2048`.'),
      );
    case 'EC PRIVATE KEY':
    case 'DSA PRIVATE KEY':
      throw new KeyError('not_rsa', notRsa(kind.startsWith('EC') ? 'ec' : 'dsa'));
    case 'PRIVATE KEY':
    case 'RSA PRIVATE KEY':
    case 'ENCRYPTED PRIVATE KEY':
      break;
    default:
      throw new KeyError('unsupported_format', msg('A "{0}" PEM block is not a supported private key. Use an RSA private key in PKCS#1 or PKCS#8 PEM.', kind));
  }
  const encrypted = kind === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(block);
  if (encrypted && !options.passphrase) {
    throw new KeyError('passphrase_required', msg('This private key is encrypted: enter its passphrase.'));
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: block, format: 'pem', passphrase: options.passphrase } : { key: block, format: 'pem' });
  } catch (e) {
    const why = String((e as Error)?.message ?? e);
    if (encrypted && /bad decrypt|decrypt|passphrase|interrupted or cancelled|wrong|mac/i.test(why)) {
      throw new KeyError('wrong_passphrase', msg('The passphrase does not decrypt this private key. Check the passphrase and try again.'), e);
    }
    if (encrypted) {
      throw new KeyError('wrong_passphrase', msg('Could not decrypt this private key: the passphrase is wrong or the key is damaged.'), e);
    }
    throw new KeyError('invalid_pem', msg('The private key could not be read: the PEM is damaged or incomplete (was it copied in full?). Import the whole file, from -----BEGIN to -----END.'), e);
  }
  return checkRsa(key, min);
}

function toPublicKey(pemOrKey: string | KeyObject, options: LoadPrivateKeyOptions): KeyObject {
  if (typeof pemOrKey !== 'string') {
    return pemOrKey.type === 'public' ? pemOrKey : createPublicKey(pemOrKey);
  }
  const text = cleanPem(pemOrKey);
  const m = /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----[\s\S]*?-----END \1-----/.exec(text);
  if (m && !/PRIVATE KEY-----/.test(text)) {
    try {
      return createPublicKey({ key: m[0], format: 'pem' });
    } catch (e) {
      throw new KeyError('invalid_pem', msg('The public key could not be read: the PEM is damaged or incomplete.'), e);
    }
  }
  return createPublicKey(loadPrivateKey(text, { minModulusLength: 0, ...options }));
}

/**
 * The SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`, what Jira's application link accepts)
 * of a private key PEM or KeyObject: for "Copy Public Key" after importing a key.
 */
export function derivePublicKeyPem(privateKey: string | KeyObject, options: LoadPrivateKeyOptions = {}): string {
  const key = typeof privateKey === 'string' ? loadPrivateKey(privateKey, options) : privateKey;
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * A fingerprint for display: `SHA256:` + unpadded base64 of the SHA-256 of the public key's
 * SPKI DER encoding (the same layout as OpenSSH's `SHA256:...`, but over the SPKI structure, so
 * the value matches `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64`
 * rather than `ssh-keygen -l`). Accepts a public key, a private key, a certificate, or a KeyObject;
 * the same key in any format gives the same fingerprint.
 */
export function keyFingerprint(pem: string | KeyObject, options: LoadPrivateKeyOptions = {}): string {
  const der = toPublicKey(pem, options).export({ type: 'spki', format: 'der' });
  return 'SHA256:' + createHash('sha256').update(der).digest('base64').replace(/=+$/, '');
}

/** The RSA modulus length of a key in bits. */
export function keyBits(key: KeyObject): number | undefined {
  return key.asymmetricKeyDetails?.modulusLength;
}
