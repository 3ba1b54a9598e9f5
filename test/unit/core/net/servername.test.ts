// Which name the site's certificate is checked against, and which name goes out as SNI, directly
// and through an HTTP CONNECT proxy. The certificates carry only one name each (DNS:localhost or
// IP:127.0.0.1): a certificate with both would pass whatever name is checked.
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { closeIdleConnections, httpRequest, NetworkOptions } from '../../../../src/core';
import { trackConnections } from '../../../emulator/connections';
import { jiraError as rejects } from '../helpers';
import { makePkiOrSkip, Pki, startProxy, TestProxy } from '../../support/netFixtures';

interface NamedServer {
  port: number;
  /** TCP connections accepted. */
  connections: number;
  /** The SNI of the connections that sent one. */
  servernames: string[];
  close(): Promise<void>;
}

async function startServer(pki: Pki, certFile: string): Promise<NamedServer> {
  const servernames: string[] = [];
  const identity = { cert: pki.read(certFile), key: pki.read(certFile.replace(/\.crt$/, '.key')) };
  const context = createSecureContext(identity);
  // SNICallback runs only when the client sends a name, before the client checks the certificate.
  const server = https.createServer({ ...identity, SNICallback: (name, cb) => (servernames.push(name), cb(null, context)) }, (_req, res) => res.end('{}'));
  const out = { connections: 0, servernames };
  server.on('connection', () => out.connections++);
  const destroyConnections = trackConnections(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(out, {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      destroyConnections();
    }),
  });
}

describe('transport: the certificate is checked against the site name, also through a proxy', function () {
  let pki: Pki;
  let proxy: TestProxy;
  let dnsOnly: NamedServer;
  let ipOnly: NamedServer;

  before(async function () {
    pki = makePkiOrSkip(this);
    proxy = await startProxy();
    dnsOnly = await startServer(pki, pki.localhostOnlyCertFile);
    ipOnly = await startServer(pki, pki.ipOnlyCertFile);
  });
  after(async () => {
    closeIdleConnections();
    await Promise.all([proxy?.close(), dnsOnly?.close(), ipOnly?.close()]);
    pki?.cleanup();
  });
  beforeEach(() => {
    // A fresh connection per request: a kept-alive one would skip the check being tested.
    closeIdleConnections();
    proxy.requests.length = 0;
    for (const s of [dnsOnly, ipOnly]) {
      s.servernames.length = 0;
      s.connections = 0;
    }
  });

  const get = (url: string, viaProxy: boolean) => {
    const network: NetworkOptions = { extraCa: [pki.read(pki.caCertFile)], proxy: viaProxy ? { proxy: proxy.url } : { proxy: 'direct' } };
    return httpRequest({ method: 'GET', url, headers: {}, network });
  };

  for (const viaProxy of [false, true]) {
    const how = viaProxy ? 'through a CONNECT proxy' : 'directly';

    it(`${how}: https://127.0.0.1 is refused a certificate for DNS:localhost only`, async () => {
      const e = await rejects(get(`https://127.0.0.1:${dnsOnly.port}/`, viaProxy));
      assert.equal(e.code, 'tls');
      assert.equal(e.systemCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
      assert.deepEqual([dnsOnly.connections, dnsOnly.servernames], [1, []], 'one connection, no SNI for an IP address');
      if (viaProxy) assert.deepEqual(proxy.requests, [`CONNECT 127.0.0.1:${dnsOnly.port}`]);
    });

    it(`${how}: https://localhost is refused a certificate for IP:127.0.0.1 only`, async () => {
      const e = await rejects(get(`https://localhost:${ipOnly.port}/`, viaProxy));
      assert.equal(e.code, 'tls');
      assert.equal(e.systemCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
      assert.deepEqual([ipOnly.connections, ipOnly.servernames], [1, ['localhost']]);
      if (viaProxy) assert.deepEqual(proxy.requests, [`CONNECT localhost:${ipOnly.port}`]);
    });

    it(`${how}: each certificate is accepted for the one name it carries`, async () => {
      assert.equal((await get(`https://127.0.0.1:${ipOnly.port}/`, viaProxy)).status, 200);
      assert.equal((await get(`https://localhost:${dnsOnly.port}/`, viaProxy)).status, 200);
      assert.deepEqual([ipOnly.servernames, dnsOnly.servernames], [[], ['localhost']]);
      if (viaProxy) assert.equal(proxy.requests.length, 2);
    });
  }
});
