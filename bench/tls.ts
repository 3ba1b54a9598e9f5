/**
 * HTTPS requests with a jira.ca-style extra CA, side by side in one run (compiled to
 * out/bench/tls.js; run by bench/run.mjs --only tls). Against a local HTTPS server with a test CA
 * (generated with the openssl CLI, as the unit tests do), the median of N sequential GETs:
 *
 *  - https_get_fresh_connection_ms: what every request did before: a new TCP connection and TLS
 *    handshake with a TLS context built from `ca` (Node's ~140 default CAs + the extra one);
 *  - https_post_own_connection_ms: a POST now (a connection of its own, the cached TLS context);
 *  - https_get_pooled_ms: a GET now (a kept-alive connection of the pool);
 *  - https_get_pooled_system_ca_ms: the same with the system's CA store added (http.systemCertificates,
 *    the extension's default since issue 18): kept-alive connections stay, so the same cost;
 *  - tls_context_default_ms / tls_context_system_ms: building a TLS context from Node's CAs alone /
 *    with the system store added, paid once per trust configuration (the first request to a site).
 *
 * On loopback a round trip costs nothing, so this shows only the CPU side (context, handshake);
 * over a VPN every handshake the pool saves is also one to three round trips.
 *
 *   node out/bench/tls.js [--requests 60]
 */
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import type { AddressInfo } from 'net';
import { caWithDefaults, closeIdleConnections, defaultCaCertificates, httpRequest, systemCaCertificates } from '../src/core';
import { makePki, opensslMissing } from '../test/unit/support/netFixtures';
import { emitResult, msSince, note, round, summary } from './lib/stats';

const argv = process.argv.slice(2);
const N = Number(argv[argv.indexOf('--requests') + 1] || process.env.BENCH_TLS_REQUESTS || 60);

/** The request as http.ts made it before: no agent, a new socket, `ca` given to tls.connect (a new context). */
function freshGet(port: number, ca: Array<string | Buffer>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/rest/api/2/myself', method: 'GET', agent: false, ca }, (res) => {
      res.resume();
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const missing = opensslMissing();
  if (missing) throw new Error(missing);
  const pki = makePki();
  const server = https.createServer({ cert: pki.read(pki.serverCertFile), key: pki.read(pki.serverKeyFile) }, (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"name":"admin"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}/rest/api/2/myself`;
  const extraCa = [pki.read(pki.caCertFile)];
  const caList = caWithDefaults(extraCa)!;
  let connections = 0;
  server.on('secureConnection', () => connections++);
  try {
    const pooledGet = () => httpRequest({ method: 'GET', url, headers: {}, network: { extraCa } });
    const ownPost = () => httpRequest({ method: 'POST', url, headers: {}, body: Buffer.from('{}'), network: { extraCa } });
    const pooledSystemGet = () => httpRequest({ method: 'GET', url, headers: {}, network: { extraCa, systemCa: true } });
    // Warm up each path (JIT, the cached context, the first pooled connection).
    for (let i = 0; i < 5; i++) {
      await freshGet(port, caList);
      await ownPost();
      await pooledGet();
      await pooledSystemGet();
    }
    const fresh: number[] = [];
    const pooledSystem: number[] = [];
    const post: number[] = [];
    const pooled: number[] = [];
    connections = 0;
    // Interleaved, so a change of machine load affects all three alike.
    for (let i = 0; i < N; i++) {
      let t0 = process.hrtime.bigint();
      await freshGet(port, caList);
      fresh.push(msSince(t0));
      t0 = process.hrtime.bigint();
      await ownPost();
      post.push(msSince(t0));
      t0 = process.hrtime.bigint();
      await pooledGet();
      pooled.push(msSince(t0));
      t0 = process.hrtime.bigint();
      await pooledSystemGet();
      pooledSystem.push(msSince(t0));
    }
    // Context builds, as the first request of a trust configuration does them (not cached here).
    const withDefaults = caWithDefaults(extraCa)!;
    const withSystem = [...systemCaCertificates(), ...withDefaults];
    const contextDefault: number[] = [];
    const contextSystem: number[] = [];
    for (let i = 0; i < Math.max(5, Math.round(N / 4)); i++) {
      let t0 = process.hrtime.bigint();
      tls.createSecureContext({ ca: withDefaults });
      contextDefault.push(msSince(t0));
      t0 = process.hrtime.bigint();
      tls.createSecureContext({ ca: withSystem });
      contextSystem.push(msSince(t0));
    }
    const s = {
      fresh: summary(fresh),
      post: summary(post),
      pooled: summary(pooled),
      pooledSystem: summary(pooledSystem),
      contextDefault: summary(contextDefault),
      contextSystem: summary(contextSystem),
    };
    note(`tls: ${N} requests each; fresh ${s.fresh.median} ms, own connection (cached context) ${s.post.median} ms, pooled ${s.pooled.median} ms, pooled with the system store ${s.pooledSystem.median} ms; ${connections} TLS handshakes (expected ${2 * N})`);
    note(`tls: a context with Node's ${defaultCaCertificates().length} CAs ${s.contextDefault.median} ms, plus the system's ${systemCaCertificates().length} ${s.contextSystem.median} ms`);
    emitResult({
      https_get_fresh_connection_ms: round(s.fresh.median),
      https_post_own_connection_ms: round(s.post.median),
      https_get_pooled_ms: round(s.pooled.median),
      https_get_pooled_system_ca_ms: round(s.pooledSystem.median),
      tls_context_default_ms: round(s.contextDefault.median),
      tls_context_system_ms: round(s.contextSystem.median),
      tls_handshakes: connections,
      requests_each: N,
      summaries: s,
    });
  } finally {
    closeIdleConnections();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    pki.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
