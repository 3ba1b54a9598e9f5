import { createHash, createPrivateKey } from 'crypto';
import { readFileSync } from 'fs';
import * as tls from 'tls';
import { JiraError } from '../errors';
import { msg } from '../messages';
import { LruMap } from '../lru';

/** A client certificate for mutual TLS: PEM cert + key, or PKCS#12 (pfx). */
export interface ClientCertificate {
  cert?: string | Buffer;
  key?: string | Buffer;
  pfx?: Buffer;
  passphrase?: string;
  /** Where it came from (file names), for messages. */
  source?: string;
}

/** Extra trust and client certificate of a connection; see NetworkOptions. */
export interface TrustOptions {
  /** Extra CA certificates (PEM text), trusted in addition to Node's and the operating system's. */
  extraCa?: ReadonlyArray<string | Buffer>;
  /**
   * Also trust the operating system's certificate store (VS Code's http.systemCertificates), where
   * a company's TLS-inspection CA usually is. See systemCaCertificates for what is read.
   */
  systemCa?: boolean;
  clientCertificate?: ClientCertificate;
}

let defaults: string[] | undefined;

/**
 * The CA certificates trusted without configuration: Node's bundled list (plus NODE_EXTRA_CA_CERTS)
 * and, where Node can read it (Node 22.15+/23.9+), the operating system's store.
 */
export function defaultCaCertificates(): string[] {
  if (defaults) return defaults;
  const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  const set = new Set<string>();
  if (typeof get === 'function') {
    for (const type of ['default', 'system']) {
      try {
        for (const c of get(type)) set.add(c);
      } catch {
        /* not available on this platform */
      }
    }
  }
  if (!set.size) for (const c of tls.rootCertificates) set.add(c);
  defaults = [...set];
  return defaults;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Where Linux distributions keep the system's CA bundle (the list VS Code's proxy agent reads). */
const LINUX_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'];

let system: { key: string; certs: string[] } | undefined;

/**
 * The operating system's trusted CA certificates, read once per process (per SSL_CERT_FILE): Node's
 * own reader where it has one (22.15+/23.9+: the Windows and macOS stores, OpenSSL's default file
 * and directory on Linux, which honour SSL_CERT_FILE and SSL_CERT_DIR); on older Node, which VS Code
 * 1.74 to 1.100 run, only Linux's bundle file (SSL_CERT_FILE, else the distribution's), read like
 * VS Code's proxy agent does; elsewhere none (use jira.ca there).
 */
export function systemCaCertificates(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const key = env.SSL_CERT_FILE ?? '';
  if (system && system.key === key) return system.certs;
  const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  let certs: string[] = [];
  if (typeof get === 'function') {
    try {
      certs = get('system');
    } catch {
      /* no system store on this platform */
    }
  } else if (process.platform === 'linux') {
    for (const file of env.SSL_CERT_FILE ? [env.SSL_CERT_FILE, ...LINUX_CA_BUNDLES] : LINUX_CA_BUNDLES) {
      try {
        certs = readFileSync(file, 'utf8').match(PEM_CERT) ?? [];
        break;
      } catch {
        /* try the next one */
      }
    }
  }
  system = { key, certs };
  return certs;
}

/** The certificates in a PEM file's text; throws JiraError('config') naming `source` when there is none. */
export function pemCertificates(text: string, source: string): string[] {
  const found = text.match(PEM_CERT);
  if (!found || !found.length) {
    throw new JiraError(
      'config',
      msg('{0} contains no PEM certificate (a "BEGIN CERTIFICATE" block). Export the CA certificate as PEM (Base-64), e.g. "openssl x509 -inform der -in ca.cer -out ca.pem", and point jira.ca at that file.', source),
    );
  }
  return found;
}

/** The `ca` list for a TLS connection: the defaults plus `extra` (never instead of the defaults). */
export function caWithDefaults(extra: ReadonlyArray<string | Buffer> | undefined): Array<string | Buffer> | undefined {
  if (!extra || !extra.length) return undefined;
  return [...defaultCaCertificates(), ...extra];
}

/**
 * The CAs a connection trusts: a caller's own `ca` alone replaces the defaults; extra CAs (jira.ca,
 * `network.extraCa`) are always added to the defaults and to that `ca`, never instead of them.
 */
export function trustedCa(
  ca: string | Buffer | Array<string | Buffer> | undefined,
  extraCa: ReadonlyArray<string | Buffer> | undefined,
): string | Buffer | Array<string | Buffer> | undefined {
  if (!extraCa?.length) return ca;
  const own = ca === undefined ? [] : Array.isArray(ca) ? ca : [ca];
  return caWithDefaults([...own, ...extraCa]);
}

type Pem = string | Buffer;

/** Everything a TLS client context is built from: one SecureContext per distinct value. */
export interface SecureContextInput {
  /** CA list that replaces Node's defaults (a caller's own `tls.ca`). */
  ca?: Pem | Pem[];
  /** CA certificates added to the defaults (and to `ca`): jira.ca / `network.extraCa`. */
  extraCa?: ReadonlyArray<Pem>;
  /** Add the operating system's store to the defaults (ignored with a caller's own `ca`). */
  system?: boolean;
  cert?: Pem | Pem[];
  key?: Pem | Pem[];
  pfx?: Pem | Pem[];
  passphrase?: string;
  minVersion?: tls.SecureVersion;
}

/** A cached context and the identity of its input (a hash: never the input itself). */
export interface TrustContext {
  id: string;
  context: tls.SecureContext;
}

/**
 * Identity of a trust configuration: a SHA-256 over every input, tagged and length-prefixed (so
 * no two different inputs collide by concatenation). The default CA list is not hashed: it does
 * not change while the process runs; whether it is included is part of the tags ("ca" replaces
 * it, "extra" adds to it).
 */
export function trustId(input: SecureContextInput): string {
  const h = createHash('sha256');
  const add = (tag: string, v: Pem | ReadonlyArray<Pem> | undefined) => {
    if (v === undefined) return;
    for (const x of Array.isArray(v) ? (v as ReadonlyArray<Pem>) : [v as Pem]) {
      const b = typeof x === 'string' ? Buffer.from(x, 'utf8') : x;
      h.update(`${tag}:${b.length}:`);
      h.update(b);
    }
  };
  add('ca', input.ca);
  add('extra', input.extraCa);
  // Like the defaults, the system's store is read once: whether it is added is enough.
  if (input.system && input.ca === undefined) h.update('system;');
  add('cert', input.cert);
  add('key', input.key);
  add('pfx', input.pfx);
  add('passphrase', input.passphrase);
  add('min', input.minVersion);
  return h.digest('hex').slice(0, 32);
}

/** A few trust configurations (sites with different jira.ca or client certificates, an edited file). */
const MAX_CONTEXTS = 8;
const contexts = new LruMap<string, tls.SecureContext>(MAX_CONTEXTS);

/**
 * The SecureContext for a trust configuration, built once: building one parses every trusted CA
 * certificate (Node's ~140 plus jira.ca), which is what tls.connect would otherwise do for every
 * connection given `ca`. Least recently used contexts beyond a few are dropped (sockets that use
 * them keep them alive). Throws what tls.createSecureContext throws (a bad key, a wrong passphrase).
 */
export function secureContextFor(input: SecureContextInput): TrustContext {
  const id = trustId(input);
  let context = contexts.get(id);
  if (context) return { id, context };
  const extraCa = input.system && input.ca === undefined ? [...systemCaCertificates(), ...(input.extraCa ?? [])] : input.extraCa;
  context = tls.createSecureContext({ ca: trustedCa(input.ca, extraCa), cert: input.cert, key: input.key, pfx: input.pfx, passphrase: input.passphrase, minVersion: input.minVersion });
  contexts.set(id, context);
  return { id, context };
}

export type ClientCertificateCheck = 'ok' | 'passphrase_required' | 'wrong_passphrase';

function decrypts(key: string | Buffer, passphrase: string): boolean {
  try {
    createPrivateKey({ key, format: 'pem', passphrase });
    return true;
  } catch {
    return false;
  }
}

const PASSPHRASE_ERROR = /bad decrypt|mac verify failure|bad password|passphrase|PKCS12_parse|decryption failed|wrong password|pkcs12 cipherfinal/i;

/**
 * Can Node use this client certificate? 'passphrase_required' / 'wrong_passphrase' when the key
 * or PKCS#12 file is encrypted and the passphrase is missing / wrong; throws JiraError('config')
 * when the files are not a usable certificate and key.
 */
export function checkClientCertificate(c: ClientCertificate): ClientCertificateCheck {
  const where = c.source ? ` (${c.source})` : '';
  if (!c.pfx && !(c.cert && c.key)) {
    throw new JiraError('config', msg('The client certificate{0} needs either "pfx" (PKCS#12) or both "cert" and "key" (PEM) in jira.network.clientCertificates.', where));
  }
  try {
    tls.createSecureContext({ cert: c.cert, key: c.key, pfx: c.pfx, passphrase: c.passphrase });
    return 'ok';
  } catch (e) {
    const why = (e as Error)?.message ?? String(e);
    const encryptedKey = !!c.key && /ENCRYPTED/.test(String(c.key));
    if ((!!c.pfx || encryptedKey) && PASSPHRASE_ERROR.test(why)) return c.passphrase ? 'wrong_passphrase' : 'passphrase_required';
    if (encryptedKey && !c.passphrase) return 'passphrase_required';
    // A wrong passphrase decrypts an encrypted PEM key into noise, which fails the padding check
    // ("bad decrypt") most of the time, but about once in 256 passes it and fails as ASN.1 instead
    // ("header too long"): a key that does not decrypt with this passphrase is a wrong passphrase
    // (or a damaged key), as in core's loadPrivateKey.
    if (encryptedKey && c.key && c.passphrase && !decrypts(c.key, c.passphrase)) return 'wrong_passphrase';
    throw new JiraError(
      'config',
      msg('The client certificate{0} cannot be used: {1}. Check jira.network.clientCertificates: "cert" and "key" must be PEM files of the same key pair, "pfx" a PKCS#12 (.p12/.pfx) file.', where, why),
      { cause: e },
    );
  }
}
