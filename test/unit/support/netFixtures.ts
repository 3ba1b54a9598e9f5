// Real network parts for transport tests (reusable by other suites, e.g. the bad-input matrix):
// - makePki(): a test CA generated now with the openssl CLI (on Debian and macOS by default), a
//   server certificate for 127.0.0.1/localhost, two that carry only one of those names, an expired
//   one, one for another host name, and a client certificate as PEM, encrypted PEM and PKCS#12 with a passphrase.
// - startProxy(): a real HTTP proxy (npm `proxy` by TooTallNate: CONNECT + plain http), optionally
//   requiring Basic authentication, counting the requests it handled; startRefusingProxy(): one
//   that forbids every destination (403).
// - startTlsEmulator(): the Jira emulator over HTTPS, optionally requiring a client certificate.
// - startSilentServer(): accepts connections and never answers (timeouts).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy } from 'proxy';
import { trackConnections } from '../../emulator/connections';
import { startEmulator } from '../../emulator/server';
import type { Emulator, EmulatorOptions } from '../../emulator/types';

export const CLIENT_PASSPHRASE = 'correct horse battery staple';

/** Why the PKI tests cannot run here, or undefined when openssl is available. */
export function opensslMissing(): string | undefined {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'the openssl command is not installed (apt-get install openssl); it generates the test CA';
}

/** The test PKI, or the calling suite or test is skipped (saying why) where openssl is missing. */
export function makePkiOrSkip(ctx: Mocha.Context): Pki {
  const missing = opensslMissing();
  if (missing) {
    console.log(`    skipped: ${missing}`);
    ctx.skip();
  }
  return makePki();
}

export interface Pki {
  dir: string;
  /** Paths of PEM / PKCS#12 files. */
  caCertFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  expiredCertFile: string;
  wrongHostCertFile: string;
  /** Server certificates naming only DNS:localhost / only IP:127.0.0.1 (a name check that looks at the wrong name fails one). */
  localhostOnlyCertFile: string;
  ipOnlyCertFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** The client key encrypted with CLIENT_PASSPHRASE. */
  clientEncryptedKeyFile: string;
  /** PKCS#12 of the client certificate and key, protected by CLIENT_PASSPHRASE. */
  clientP12File: string;
  /** A CA nobody issued anything with (for "wrong CA configured"). */
  otherCaCertFile: string;
  /** Issue another client certificate of the test CA (PEM files named after `cn`). */
  issueClient(cn: string): { certFile: string; keyFile: string };
  /** Issue a server certificate of the test CA for `subjectAltName` (e.g. "IP:192.0.2.2"). */
  issueServer(name: string, subjectAltName: string): { certFile: string; keyFile: string };
  read(file: string): string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Generate a fresh test PKI in a temporary directory (about a second). */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'jira-net-pki-'));
  const o = (...args: string[]) => openssl(dir, args);
  const ca = (name: string, cn: string) => {
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '30', '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  ca('ca', 'Jira Auth Test CA');
  ca('other-ca', 'Unrelated Test CA');
  // `openssl ca` can backdate certificates (expired one); x509 -req in OpenSSL 3.0 cannot.
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]', 'default_ca = test', '[test]', 'dir = .', 'database = index.txt', 'serial = serial', 'new_certs_dir = .',
      'certificate = ca.crt', 'private_key = ca.key', 'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = none',
      '[any]', 'commonName = supplied',
      '[server]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', 'subjectAltName = @server_names',
      '[server_names]', 'DNS.1 = localhost', 'IP.1 = 127.0.0.1',
      '[dnsonly]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', 'subjectAltName = DNS:localhost',
      '[iponly]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', 'subjectAltName = IP:127.0.0.1',
      '[wronghost]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', 'subjectAltName = DNS:jira.wrong-host.invalid',
      '[client]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = clientAuth',
      '',
    ].join('\n'),
  );
  const issue = (name: string, cn: string, ext: string, dates: string[]) => {
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    o('ca', '-batch', '-config', 'ca.cnf', '-extensions', ext, '-in', `${name}.csr`, '-out', `${name}.crt`, '-notext', ...dates);
  };
  issue('server', 'localhost', 'server', ['-days', '30']);
  issue('expired', 'localhost', 'server', ['-startdate', '20200101000000Z', '-enddate', '20200201000000Z']);
  // Common names that are no host name: only the subjectAltName can match.
  issue('localhost-only', 'Jira DNS-only test', 'dnsonly', ['-days', '30']);
  issue('ip-only', 'Jira IP-only test', 'iponly', ['-days', '30']);
  issue('wronghost', 'jira.wrong-host.invalid', 'wronghost', ['-days', '30']);
  issue('client', 'alice', 'client', ['-days', '30']);
  o('pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${CLIENT_PASSPHRASE}`, '-out', 'client-encrypted.key');
  o('pkcs12', '-export', '-in', 'client.crt', '-inkey', 'client.key', '-passout', `pass:${CLIENT_PASSPHRASE}`, '-out', 'client.p12');
  const f = (n: string) => join(dir, n);
  return {
    dir,
    caCertFile: f('ca.crt'),
    serverCertFile: f('server.crt'),
    serverKeyFile: f('server.key'),
    expiredCertFile: f('expired.crt'),
    wrongHostCertFile: f('wronghost.crt'),
    localhostOnlyCertFile: f('localhost-only.crt'),
    ipOnlyCertFile: f('ip-only.crt'),
    clientCertFile: f('client.crt'),
    clientKeyFile: f('client.key'),
    clientEncryptedKeyFile: f('client-encrypted.key'),
    clientP12File: f('client.p12'),
    otherCaCertFile: f('other-ca.crt'),
    issueClient: (cn: string) => {
      issue(`client-${cn}`, cn, 'client', ['-days', '30']);
      return { certFile: f(`client-${cn}.crt`), keyFile: f(`client-${cn}.key`) };
    },
    issueServer: (name: string, subjectAltName: string) => {
      writeFileSync(f(`${name}.ext`), `[ext]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\nsubjectAltName = ${subjectAltName}\n`);
      o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      o('ca', '-batch', '-config', 'ca.cnf', '-extfile', `${name}.ext`, '-extensions', 'ext', '-in', `${name}.csr`, '-out', `${name}.crt`, '-notext', '-days', '30');
      return { certFile: f(`${name}.crt`), keyFile: f(`${name}.key`) };
    },
    read: (file: string) => readFileSync(file, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The key file that belongs to a certificate file of makePki (server.crt -> server.key...). */
function keyFor(certFile: string): string {
  return certFile.replace(/\.crt$/, '.key');
}

export interface TestProxy {
  /** http://127.0.0.1:port (no credentials). */
  url: string;
  port: number;
  /** Requests the proxy handled or refused: "CONNECT host:port" and "GET http://..." lines. */
  requests: string[];
  close(): Promise<void>;
}

/** A real forward proxy; with `auth`, requests without the right Basic credentials get 407. */
export async function startProxy(options: { auth?: { user: string; password: string } } = {}): Promise<TestProxy> {
  const server = createProxy(http.createServer());
  const destroyConnections = trackConnections(server);
  const requests: string[] = [];
  server.on('request', (req: http.IncomingMessage) => requests.push(`${req.method} ${req.url}`));
  server.on('connect', (req: http.IncomingMessage) => requests.push(`CONNECT ${req.url}`));
  if (options.auth) {
    const expected = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`;
    server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  }
  return listenOnLoopback(server, requests, destroyConnections);
}

/** A test proxy listening on a free loopback port; close() also ends its open connections (tunnels). */
export async function listenOnLoopback(server: net.Server, requests: string[], destroyConnections: () => void): Promise<TestProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        destroyConnections();
      }),
  };
}

/** A proxy that forbids every destination: 403 to CONNECT and to plain http (a company blocklist). */
export async function startRefusingProxy(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(403).end('blocked'));
  server.on('connect', (_req, socket: net.Socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
  return listenOnLoopback(server, [], trackConnections(server));
}

export interface TlsEmulatorOptions extends Omit<EmulatorOptions, 'tls'> {
  /** Which certificate the server presents (default pki.serverCertFile). */
  certFile?: string;
  /** Require a client certificate issued by the test CA. */
  requireClientCert?: boolean;
}

/** The emulator's `tls` option: a certificate of the test CA, optionally requiring a client certificate. */
export function emulatorTls(pki: Pki, options: Pick<TlsEmulatorOptions, 'certFile' | 'requireClientCert'> = {}): NonNullable<EmulatorOptions['tls']> {
  const { certFile = pki.serverCertFile, requireClientCert } = options;
  // The CA only for checking client certificates: a server given `ca` also sends it in its chain.
  return { cert: pki.read(certFile), key: pki.read(keyFor(certFile)), ca: requireClientCert ? pki.read(pki.caCertFile) : undefined, requestCert: !!requireClientCert };
}

/** The emulator over HTTPS with a certificate of the test CA (URL https://127.0.0.1:port). */
export function startTlsEmulator(pki: Pki, options: TlsEmulatorOptions = {}): Promise<Emulator> {
  const { certFile, requireClientCert, ...rest } = options;
  return startEmulator({ ...rest, tls: emulatorTls(pki, { certFile, requireClientCert }) });
}

/** A TCP server that accepts connections and never answers; counts connections. */
export async function startSilentServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (for "proxy down"). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
