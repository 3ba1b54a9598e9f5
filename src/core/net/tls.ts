import * as tls from 'tls';
import { JiraError } from '../errors';

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

/** The certificates in a PEM file's text; throws JiraError('config') naming `source` when there is none. */
export function pemCertificates(text: string, source: string): string[] {
  const found = text.match(PEM_CERT);
  if (!found || !found.length) {
    throw new JiraError(
      'config',
      `${source} contains no PEM certificate (a "BEGIN CERTIFICATE" block). Export the CA certificate as PEM (Base-64), e.g. ` +
        `"openssl x509 -inform der -in ca.cer -out ca.pem", and point jira.ca at that file.`,
    );
  }
  return found;
}

/** The `ca` list for a TLS connection: the defaults plus `extra` (never instead of the defaults). */
export function caWithDefaults(extra: ReadonlyArray<string | Buffer> | undefined): Array<string | Buffer> | undefined {
  if (!extra || !extra.length) return undefined;
  return [...defaultCaCertificates(), ...extra];
}

export type ClientCertificateCheck = 'ok' | 'passphrase_required' | 'wrong_passphrase';

const PASSPHRASE_ERROR = /bad decrypt|mac verify failure|bad password|passphrase|PKCS12_parse|decryption failed|wrong password|pkcs12 cipherfinal/i;

/**
 * Can Node use this client certificate? 'passphrase_required' / 'wrong_passphrase' when the key
 * or PKCS#12 file is encrypted and the passphrase is missing / wrong; throws JiraError('config')
 * when the files are not a usable certificate and key.
 */
export function checkClientCertificate(c: ClientCertificate): ClientCertificateCheck {
  const where = c.source ? ` (${c.source})` : '';
  if (!c.pfx && !(c.cert && c.key)) {
    throw new JiraError('config', `The client certificate${where} needs either "pfx" (PKCS#12) or both "cert" and "key" (PEM) in jira.network.clientCertificates.`);
  }
  try {
    tls.createSecureContext({ cert: c.cert, key: c.key, pfx: c.pfx, passphrase: c.passphrase });
    return 'ok';
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    const encrypted = !!c.pfx || /ENCRYPTED/.test(String(c.key ?? ''));
    if (encrypted && PASSPHRASE_ERROR.test(msg)) return c.passphrase ? 'wrong_passphrase' : 'passphrase_required';
    if (c.key && /ENCRYPTED/.test(String(c.key)) && !c.passphrase) return 'passphrase_required';
    throw new JiraError(
      'config',
      `The client certificate${where} cannot be used: ${msg}. Check jira.network.clientCertificates: "cert" and "key" must be PEM files ` +
        `of the same key pair, "pfx" a PKCS#12 (.p12/.pfx) file.`,
      { cause: e },
    );
  }
}
