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
 * The default path, old (the own transport, which it was until issue 18 was finished) and new
 * (VS Code's network stack: net/host.ts), side by side:
 *  - default_path_direct_own_ms / default_path_direct_vscode_ms: no proxy; VS Code's stack sends a
 *    direct request through Node's global agent (kept alive since Node 19), stood for here by Node's
 *    unpatched https.request with the test CA as the "OS store";
 *  - default_path_proxy_own_ms / default_path_proxy_vscode_ms: through a CONNECT proxy; VS Code's
 *    agent opens a new tunnel per request (microsoft/vscode#228872), stood for here by the fake of
 *    the unit tests (test/unit/support/fakeVsCodeStack.ts), the own transport keeps one alive.
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
import { fakeVsCodeStack } from '../test/unit/support/fakeVsCodeStack';
import { makePki, opensslMissing, startProxy } from '../test/unit/support/netFixtures';
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
    const handshakes = connections;
    // The default path, old and new, direct and through a proxy (one after the other).
    const proxy = await startProxy();
    const directStack = { http: http.request, https: (o: https.RequestOptions, cb?: (res: http.IncomingMessage) => void) => https.request({ ...o, ca: caList }, cb) };
    const proxyStack = fakeVsCodeStack({ pac: () => `PROXY 127.0.0.1:${proxy.port}`, systemCa: extraCa });
    const paths: Record<string, () => Promise<unknown>> = {
      directOwn: () => httpRequest({ method: 'GET', url, headers: {}, network: { extraCa, systemCa: true } }),
      directVscode: () => httpRequest({ method: 'GET', url, headers: {}, network: { host: directStack } }),
      proxyOwn: () => httpRequest({ method: 'GET', url, headers: {}, network: { extraCa, systemCa: true, proxy: { proxy: proxy.url } } }),
      proxyVscode: () => httpRequest({ method: 'GET', url, headers: {}, network: { host: proxyStack } }),
    };
    const times: Record<string, number[]> = { directOwn: [], directVscode: [], proxyOwn: [], proxyVscode: [] };
    const tunnels: Record<string, number> = {};
    try {
      for (let i = 0; i < 5; i++) for (const f of Object.values(paths)) await f();
      for (const name of Object.keys(paths)) {
        const before = proxy.requests.length;
        for (let i = 0; i < N; i++) {
          const t0 = process.hrtime.bigint();
          await paths[name]();
          times[name].push(msSince(t0));
        }
        tunnels[name] = proxy.requests.length - before;
      }
    } finally {
      proxyStack.close();
      https.globalAgent.destroy();
      await proxy.close();
    }
    const d = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summary(v)]));
    note(`default path, ${N} GETs each: direct own ${d.directOwn.median} ms / VS Code's ${d.directVscode.median} ms; through a proxy own ${d.proxyOwn.median} ms (${tunnels.proxyOwn} new tunnels: the warm-up's is kept alive) / VS Code's ${d.proxyVscode.median} ms (${tunnels.proxyVscode} tunnels)`);
    const s = {
      directOwn: d.directOwn,
      directVscode: d.directVscode,
      proxyOwn: d.proxyOwn,
      proxyVscode: d.proxyVscode,
      fresh: summary(fresh),
      post: summary(post),
      pooled: summary(pooled),
      pooledSystem: summary(pooledSystem),
      contextDefault: summary(contextDefault),
      contextSystem: summary(contextSystem),
    };
    note(`tls: ${N} requests each; fresh ${s.fresh.median} ms, own connection (cached context) ${s.post.median} ms, pooled ${s.pooled.median} ms, pooled with the system store ${s.pooledSystem.median} ms; ${handshakes} TLS handshakes (expected ${2 * N})`);
    note(`tls: a context with Node's ${defaultCaCertificates().length} CAs ${s.contextDefault.median} ms, plus the system's ${systemCaCertificates().length} ${s.contextSystem.median} ms`);
    emitResult({
      https_get_fresh_connection_ms: round(s.fresh.median),
      https_post_own_connection_ms: round(s.post.median),
      https_get_pooled_ms: round(s.pooled.median),
      https_get_pooled_system_ca_ms: round(s.pooledSystem.median),
      tls_context_default_ms: round(s.contextDefault.median),
      tls_context_system_ms: round(s.contextSystem.median),
      default_path_direct_own_ms: round(d.directOwn.median),
      default_path_direct_vscode_ms: round(d.directVscode.median),
      default_path_proxy_own_ms: round(d.proxyOwn.median),
      default_path_proxy_vscode_ms: round(d.proxyVscode.median),
      default_path_proxy_tunnels: tunnels,
      tls_handshakes: handshakes,
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
