// Repeated network work taken off each request, against real servers: kept-alive connections
// (one TLS handshake for several GETs, never for POST/PUT/PATCH/DELETE, never across different
// CAs, client certificates or proxies), a stale kept-alive socket re-sent once, sockets of
// failed/cancelled requests never pooled, one TLS context per trust configuration, and setting
// files read again only when they changed (fake fs and real files).
import * as assert from 'node:assert/strict';
import { copyFileSync, promises as fsp, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tlsTypes from 'node:tls';
import * as core from '../../../../src/core';
import { closeIdleConnections, createJiraClient, httpRequest, HttpRequest, JiraError, NetworkOptions, setNetworkProvider } from '../../../../src/core';
import { poolStats } from '../../../../src/core/net/pool';
import { secureContextFor } from '../../../../src/core/net/tls';
import { ClientCertificateFiles, NetCore, networkDefaultsFor } from '../../../../src/netSettings/config';
import { cachedReader, FileSystemLike } from '../../../../src/netSettings/fileCache';
import { passphraseKey, unlockClientCertificate } from '../../../../src/netSettings/passphrase';
import { FakeSecretStorage } from '../../support/fakes';
import { jiraError as rejects } from '../helpers';
import { CLIENT_PASSPHRASE, makePkiOrSkip, Pki, startProxy } from '../../support/netFixtures';

// The module object itself (an ES namespace import is a read-only copy): the spy replaces its function.
const tlsModule = require('node:tls') as typeof tlsTypes;

interface SeenRequest {
  method: string;
  url: string;
  socket: net.Socket;
  /** The request's Connection header. */
  connection?: string;
  /** Common name of the client certificate, for servers that require one. */
  cn?: string;
  /** https: the connection resumed an earlier TLS session. */
  resumed?: boolean;
}

interface CountingServer {
  url: string;
  port: number;
  /** TCP connections accepted (including TLS handshakes that failed). */
  connections: number;
  /** TLS handshakes completed (https only). */
  handshakes: number;
  requests: SeenRequest[];
  /** Server-side sockets currently open. */
  open(): number;
  /** Destroy every server-side socket (as a server that closes idle connections does). */
  dropAll(): void;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, nthOnSocket: number) => void;

const answer: Handler = (req, res) => {
  if (req.url === '/slow') return;
  if (req.url === '/big') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(Buffer.alloc(64 * 1024, 1));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ ok: true, url: req.url }));
};

/** A local http(s) server that counts connections and handshakes and records each request's socket. */
async function startCounting(o: { pki?: Pki; requireClientCert?: boolean; handler?: Handler } = {}): Promise<CountingServer> {
  const handler = o.handler ?? answer;
  const sockets = new Set<net.Socket>();
  const perSocket = new WeakMap<net.Socket, number>();
  const s: Omit<CountingServer, 'url' | 'port' | 'close'> = {
    connections: 0,
    handshakes: 0,
    requests: [],
    open: () => sockets.size,
    dropAll: () => {
      for (const x of sockets) x.destroy();
    },
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      const cert = o.requireClientCert ? (req.socket as tlsTypes.TLSSocket).getPeerCertificate() : undefined;
      const resumed = o.pki ? (req.socket as tlsTypes.TLSSocket).isSessionReused() : undefined;
      s.requests.push({ method: req.method ?? '', url: req.url ?? '', socket: req.socket, connection: req.headers.connection, cn: cert?.subject?.CN as string | undefined, resumed });
      handler(req, res, n);
    });
  };
  const server: http.Server = o.pki
    ? https.createServer(
        {
          cert: o.pki.read(o.pki.serverCertFile),
          key: o.pki.read(o.pki.serverKeyFile),
          ca: o.requireClientCert ? o.pki.read(o.pki.caCertFile) : undefined,
          requestCert: !!o.requireClientCert,
          rejectUnauthorized: !!o.requireClientCert,
        },
        onRequest,
      )
    : http.createServer(onRequest);
  server.on('connection', (socket: net.Socket) => {
    s.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', () => s.handshakes++);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return Object.assign(s, {
    url: `${o.pki ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        s.dropAll();
      }),
  });
}

/** A CONNECT proxy (enough for these tests) that can hold some CONNECTs unanswered. */
async function startTunnelProxy(hold: (n: number) => boolean) {
  const connects: string[] = [];
  let heldClosed = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      client.removeListener('data', onData);
      const m = /^CONNECT ([^\s:]+):(\d+) HTTP/.exec(buffered.subarray(0, end).toString('latin1'));
      if (!m) {
        client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      const n = connects.push(`${m[1]}:${m[2]}`);
      if (hold(n)) {
        client.on('close', () => heldClosed++);
        return;
      }
      const upstream = net.connect(Number(m[2]), m[1], () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = buffered.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    heldClosed: () => heldClosed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const x of sockets) x.destroy();
        server.close(() => resolve());
      }),
  };
}

async function waitFor(what: string, cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const get = (url: string, network: NetworkOptions, extra: Partial<HttpRequest> = {}) => httpRequest({ method: 'GET', url, headers: {}, network, ...extra });

/** Calls of tls.createSecureContext (anyone's: ours and Node's own in tls.connect) while `fn` runs. */
async function contextsBuilt(fn: () => Promise<unknown>): Promise<number> {
  const real = tlsModule.createSecureContext;
  let n = 0;
  tlsModule.createSecureContext = ((...args: Parameters<typeof real>) => {
    n++;
    return real(...args);
  }) as typeof real;
  try {
    await fn();
  } finally {
    tlsModule.createSecureContext = real;
  }
  return n;
}

/** The pools (connection keys) to a port. */
const poolsTo = (port: number) => poolStats().filter((p) => p.key.includes(`|${port}|`));

describe('connection reuse: plain http (loopback)', () => {
  let server: CountingServer;
  beforeEach(async () => {
    closeIdleConnections();
    server = await startCounting();
  });
  afterEach(async () => {
    closeIdleConnections();
    await server.close();
  });

  it('sequential GETs share one kept-alive connection; a fully read response returns it to the pool', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await get(`${server.url}/r${i}`, {})).status, 200);
    assert.equal(server.connections, 1);
    assert.equal(new Set(server.requests.map((r) => r.socket)).size, 1);
    assert.equal(server.requests[0].connection, 'keep-alive');
    assert.deepEqual(poolsTo(server.port).map((p) => [p.free, p.active]), [[1, 0]]);
  });

  it('POST, PUT, PATCH and DELETE never go on a kept-alive socket: each gets a new connection, closed after the response', async () => {
    await get(`${server.url}/first`, {});
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await httpRequest({ method, url: `${server.url}/${method}`, headers: {}, body: Buffer.from('x'), network: {} });
      assert.equal(r.status, 200, method);
    }
    await get(`${server.url}/last`, {});
    const [first, ...rest] = server.requests;
    const last = rest.pop()!;
    assert.equal(server.connections, 5, 'one for the GETs, one per other request');
    assert.equal(last.socket, first.socket, 'the second GET reused the first connection');
    for (const r of rest) {
      assert.notEqual(r.socket, first.socket, r.method);
      assert.equal(r.connection, 'close', `${r.method} asks the server to close its connection`);
    }
    await waitFor('the connections of POST/PUT/PATCH/DELETE to close', () => server.open() === 1);
  });

  it('plain http through a proxy (absolute-form request target) still works with reuse', async () => {
    const proxy = await startProxy();
    try {
      await get(`${server.url}/a`, { proxy: { proxy: proxy.url } });
      await get(`${server.url}/b`, { proxy: { proxy: proxy.url } });
      assert.deepEqual(proxy.requests, [`GET ${server.url}/a`, `GET ${server.url}/b`]);
      assert.deepEqual(server.requests.map((r) => r.url), ['/a', '/b']);
    } finally {
      closeIdleConnections();
      await proxy.close();
    }
  });

  it('closeIdleConnections closes the kept-alive sockets; the next request opens a new one', async () => {
    await get(`${server.url}/a`, {});
    assert.equal(server.open(), 1);
    closeIdleConnections();
    assert.deepEqual(poolsTo(server.port), []);
    await waitFor('the idle connection to close', () => server.open() === 0);
    await get(`${server.url}/b`, {});
    assert.equal(server.connections, 2);
  });

  it('a caller-supplied agent is used as it is (the pool is not involved)', async () => {
    const agent = new http.Agent({ keepAlive: false });
    let used = 0;
    const spied = agent as unknown as { addRequest: (...a: unknown[]) => void };
    const add = spied.addRequest.bind(agent);
    spied.addRequest = (...a: unknown[]) => {
      used++;
      add(...a);
    };
    await httpRequest({ method: 'GET', url: `${server.url}/own`, headers: {}, agent });
    assert.equal(used, 1);
    assert.deepEqual(poolsTo(server.port), []);
    agent.destroy();
  });
});

describe('connection reuse: https, trust and proxies (test CA generated for the run)', function () {
  let pki: Pki;
  let ca: string;
  let otherCa: string;
  let server: CountingServer;
  before(function () {
    pki = makePkiOrSkip(this);
    ca = pki.read(pki.caCertFile);
    otherCa = pki.read(pki.otherCaCertFile);
  });
  after(() => pki?.cleanup());
  beforeEach(async () => {
    closeIdleConnections();
    if (pki) server = await startCounting({ pki });
  });
  afterEach(async () => {
    closeIdleConnections();
    await server?.close();
  });

  it('two GETs with a jira.ca-style extra CA use one TLS connection, and no TLS context is built again', async () => {
    await get(`${server.url}/a`, { extraCa: [ca] });
    const built = await contextsBuilt(async () => {
      await get(`${server.url}/b`, { extraCa: [ca] });
      // A POST gets a connection of its own, still with the cached context.
      await httpRequest({ method: 'POST', url: `${server.url}/c`, headers: {}, network: { extraCa: [ca] } });
    });
    assert.equal(built, 0, 'tls.createSecureContext was called again');
    assert.equal(server.handshakes, 2, 'GET + GET on one connection, POST on its own');
    assert.equal(server.requests[0].socket, server.requests[1].socket);
    assert.equal(secureContextFor({ extraCa: [ca] }).context, secureContextFor({ extraCa: [Buffer.from(ca)] }).context, 'one context per distinct CA text');
    assert.notEqual(secureContextFor({ extraCa: [ca] }).context, secureContextFor({ extraCa: [otherCa] }).context);
  });

  it('a POST\'s own connection resumes the TLS session of the pool of the same configuration, never of another', async () => {
    await get(`${server.url}/a`, { extraCa: [ca] });
    await httpRequest({ method: 'POST', url: `${server.url}/b`, headers: {}, body: Buffer.from('x'), network: { extraCa: [ca] } });
    // The same CA plus a client certificate the server does not ask for: another configuration, a full handshake.
    await httpRequest({ method: 'POST', url: `${server.url}/c`, headers: {}, body: Buffer.from('x'), network: { extraCa: [ca], clientCertificate: { cert: pki.read(pki.clientCertFile), key: pki.read(pki.clientKeyFile) } } });
    assert.deepEqual(server.requests.map((r) => [r.url, r.resumed]), [['/a', false], ['/b', true], ['/c', false]]);
    assert.equal(server.handshakes, 3);
  });

  it('a caller\'s own tls.ca (replacing the defaults) is pooled too, and a wrong one still fails', async () => {
    await get(`${server.url}/a`, {}, { tls: { ca } });
    await get(`${server.url}/b`, {}, { tls: { ca } });
    assert.equal(server.handshakes, 1);
    const e = await rejects(get(`${server.url}/c`, {}, { tls: { ca: otherCa } }));
    assert.equal(e.code, 'tls');
  });

  it('rejectUnauthorized: false is still ignored on pooled connections', async () => {
    const e = await rejects(get(`${server.url}/a`, {}, { tls: { rejectUnauthorized: false } }));
    assert.equal(e.code, 'tls');
    const e2 = await rejects(get(`${server.url}/a`, { extraCa: [otherCa] }, { tls: { rejectUnauthorized: false } }));
    assert.equal(e2.code, 'tls');
  });

  it('requests with different CAs never share a connection: the wrong CA fails even after the right one connected', async () => {
    await get(`${server.url}/a`, { extraCa: [ca] });
    const e = await rejects(get(`${server.url}/b`, { extraCa: [otherCa] }));
    assert.equal(e.code, 'tls');
    assert.equal(server.connections, 2, 'the request with the other CA opened its own connection');
    await get(`${server.url}/c`, { extraCa: [ca] });
    assert.equal(server.connections, 2, 'the first connection is still reused by its own configuration');
    const noCa = await rejects(get(`${server.url}/d`, {}));
    assert.equal(noCa.code, 'tls', 'no extra CA: not trusted, the pooled connection is not borrowed');
  });

  it('a stale kept-alive socket (closed by the server as it is reused) is re-sent once at once on a new connection, not as a retry', async () => {
    await server.close();
    // The server drops any second request on a connection without answering.
    server = await startCounting({ pki, handler: (req, res, n) => (n > 1 ? req.socket.destroy() : answer(req, res, n)) });
    const slept: number[] = [];
    const retried: string[] = [];
    const client = createJiraClient({
      baseUrl: server.url,
      auth: { type: 'pat', token: 't' },
      network: { extraCa: [ca] },
      retry: { retries: 2, sleep: async (ms) => void slept.push(ms), onRetry: (i) => retried.push(i.reason) },
    });
    await client.request('GET', '/a');
    const r = await client.request('GET', '/b');
    assert.deepEqual(r.body, { ok: true, url: '/b' });
    assert.equal(server.connections, 2, 'exactly one extra connection');
    assert.deepEqual(server.requests.map((x) => x.url), ['/a', '/b', '/b']);
    assert.deepEqual(slept, [], 'no backoff');
    assert.deepEqual(retried, [], 'not one of the retries');
  });

  it('the stale-socket re-send happens once only (a fresh connection that fails is an error)', async () => {
    await server.close();
    let n = 0;
    server = await startCounting({ pki, handler: (req, res) => (++n > 1 ? req.socket.destroy() : answer(req, res, 1)) });
    await get(`${server.url}/a`, { extraCa: [ca] });
    const e = await rejects(get(`${server.url}/b`, { extraCa: [ca] }));
    assert.equal(e.code, 'network');
    assert.equal(server.requests.length, 3);
    assert.equal(server.connections, 2);
  });

  it('a POST is never re-sent, and never sent on a kept-alive socket', async () => {
    await server.close();
    server = await startCounting({ pki, handler: (req, res, n) => (req.method === 'POST' ? req.socket.destroy() : answer(req, res, n)) });
    await get(`${server.url}/a`, { extraCa: [ca] });
    const e = await rejects(httpRequest({ method: 'POST', url: `${server.url}/token`, headers: {}, body: Buffer.from('grant_type=refresh_token'), network: { extraCa: [ca] } }));
    assert.equal(e.code, 'network');
    const posts = server.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1, 'sent once');
    assert.notEqual(posts[0].socket, server.requests[0].socket, 'on a connection of its own');
  });

  it('a connection the server closed while idle is dropped: the next GET opens a new one', async () => {
    await get(`${server.url}/a`, { extraCa: [ca] });
    server.dropAll();
    await waitFor('the pool to notice', () => poolsTo(server.port).every((p) => p.free === 0));
    assert.equal((await get(`${server.url}/b`, { extraCa: [ca] })).status, 200);
    assert.equal(server.connections, 2);
  });

  it('too large, timed out and cancelled responses destroy their socket instead of pooling it', async () => {
    const e = await rejects(get(`${server.url}/big`, { extraCa: [ca] }, { maxResponseBytes: 1000 }));
    assert.equal(e.code, 'response_too_large');
    await waitFor('the server to see the connection closed', () => server.open() === 0);
    const t = await rejects(get(`${server.url}/slow`, { extraCa: [ca] }, { timeoutMs: 150 }));
    assert.equal(t.code, 'timeout');
    await waitFor('the server to see the connection closed', () => server.open() === 0);
    const ac = new AbortController();
    const p = get(`${server.url}/slow`, { extraCa: [ca] }, { signal: ac.signal });
    await waitFor('the request to arrive', () => server.requests.length === 3);
    ac.abort();
    assert.equal((await rejects(p)).code, 'aborted');
    await waitFor('the server to see the connection closed', () => server.open() === 0);
    assert.deepEqual(poolsTo(server.port).map((p) => p.free), [0]);
    await get(`${server.url}/ok`, { extraCa: [ca] });
    assert.equal(server.connections, 4, 'each failed request took its connection with it');
  });

  it('two GETs through an HTTP CONNECT proxy open one tunnel; different proxies never share one', async () => {
    const p1 = await startProxy();
    const p2 = await startProxy();
    try {
      await get(`${server.url}/a`, { extraCa: [ca], proxy: { proxy: p1.url } });
      await get(`${server.url}/b`, { extraCa: [ca], proxy: { proxy: p1.url } });
      assert.deepEqual(p1.requests, [`CONNECT 127.0.0.1:${server.port}`]);
      await get(`${server.url}/c`, { extraCa: [ca], proxy: { proxy: p2.url } });
      assert.deepEqual(p2.requests, [`CONNECT 127.0.0.1:${server.port}`]);
      await get(`${server.url}/d`, { extraCa: [ca] });
      assert.equal(server.connections, 3, 'one through each proxy, one direct');
      assert.equal(p1.requests.length + p2.requests.length, 2);
    } finally {
      // A proxy waits for its open tunnels before it closes.
      closeIdleConnections();
      await Promise.all([p1.close(), p2.close()]);
    }
  });

  it('a request cancelled (or timed out) while its tunnel is set up leaves nothing in the pool; the next request works', async () => {
    const proxy = await startTunnelProxy((n) => n <= 2);
    try {
      const ac = new AbortController();
      const p = get(`${server.url}/a`, { extraCa: [ca], proxy: { proxy: proxy.url } }, { signal: ac.signal });
      await waitFor('the CONNECT', () => proxy.connects.length === 1);
      ac.abort();
      assert.equal((await rejects(p)).code, 'aborted');
      await waitFor('the half-open tunnel to be closed', () => proxy.heldClosed() === 1);
      const t = await rejects(get(`${server.url}/a`, { extraCa: [ca], proxy: { proxy: proxy.url } }, { timeoutMs: 150 }));
      assert.equal(t.code, 'timeout');
      await waitFor('the half-open tunnel to be closed', () => proxy.heldClosed() === 2);
      assert.deepEqual(poolStats().filter((s) => s.free || s.active || s.waiting), []);
      await get(`${server.url}/b`, { extraCa: [ca], proxy: { proxy: proxy.url } });
      await get(`${server.url}/c`, { extraCa: [ca], proxy: { proxy: proxy.url } });
      assert.equal(proxy.connects.length, 3, 'one tunnel for the two GETs that worked');
      assert.equal(server.connections, 1);
    } finally {
      closeIdleConnections();
      await proxy.close();
    }
  });

  describe('client certificates (a server that requires one from the test CA)', () => {
    let mtls: CountingServer;
    let dir: string;
    let bob: { certFile: string; keyFile: string };
    before(function () {
      if (!pki) this.skip();
      bob = pki.issueClient('bob');
    });
    beforeEach(async () => {
      mtls = await startCounting({ pki, requireClientCert: true });
      dir = mkdtempSync(join(tmpdir(), 'jira-net-reuse-'));
    });
    afterEach(async () => {
      closeIdleConnections();
      await mtls.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the server sees the same certificate over the reused connection, and a changed certificate file is used next', async () => {
      const files: ClientCertificateFiles = { cert: join(dir, 'client.crt'), key: join(dir, 'client.key') };
      copyFileSync(pki.clientCertFile, files.cert!);
      copyFileSync(pki.clientKeyFile, files.key!);
      const checks = { n: 0 };
      const netCore: NetCore = { ...core, checkClientCertificate: (c) => (checks.n++, core.checkClientCertificate(c)) };
      const read = cachedReader(fsp);
      const secrets = new FakeSecretStorage();
      const remove = setNetworkProvider((url, signal) =>
        networkDefaultsFor(url, { ca: [pki.caCertFile], clientCertificates: { [mtls.url]: files } }, {
          core: netCore,
          env: {},
          readFile: read,
          clientCertificate: (s, f) => unlockClientCertificate(s, f, { core: netCore, secrets, readFile: read, ask: async () => undefined }),
        }, signal),
      );
      try {
        await httpRequest({ method: 'GET', url: `${mtls.url}/a`, headers: {} });
        await httpRequest({ method: 'GET', url: `${mtls.url}/b`, headers: {} });
        assert.deepEqual(mtls.requests.map((r) => r.cn), ['alice', 'alice']);
        assert.equal(mtls.handshakes, 1);
        assert.equal(checks.n, 1, 'the unchanged certificate is not checked again');
        // Replace the files (new content, new modification time).
        writeFileSync(files.cert!, pki.read(bob.certFile));
        writeFileSync(files.key!, pki.read(bob.keyFile));
        const later = new Date(Date.now() + 5000);
        utimesSync(files.cert!, later, later);
        utimesSync(files.key!, later, later);
        await httpRequest({ method: 'GET', url: `${mtls.url}/c`, headers: {} });
        assert.deepEqual(mtls.requests.map((r) => r.cn), ['alice', 'alice', 'bob']);
        assert.equal(mtls.handshakes, 2, 'a new connection for the new certificate');
        assert.equal(checks.n, 2);
        // A deleted key file: the same config error as before, naming the setting.
        unlinkSync(files.key!);
        const e = await rejects(httpRequest({ method: 'GET', url: `${mtls.url}/d`, headers: {} }));
        assert.equal(e.code, 'config');
        assert.match(e.message, /Cannot read the client certificate key .*client\.key \(ENOENT\).*jira\.network\.clientCertificates/);
      } finally {
        remove();
      }
    });

    it('connections with and without a client certificate, or with another one, are never shared', async () => {
      await get(`${mtls.url}/a`, { extraCa: [ca], clientCertificate: { cert: pki.read(pki.clientCertFile), key: pki.read(pki.clientKeyFile) } });
      await get(`${mtls.url}/b`, { extraCa: [ca], clientCertificate: { cert: pki.read(bob.certFile), key: pki.read(bob.keyFile) } });
      await rejects(get(`${mtls.url}/c`, { extraCa: [ca] }));
      await get(`${mtls.url}/d`, { extraCa: [ca], clientCertificate: { cert: pki.read(pki.clientCertFile), key: pki.read(pki.clientKeyFile) } });
      assert.deepEqual(mtls.requests.map((r) => r.cn), ['alice', 'bob', 'alice']);
      assert.equal(mtls.connections, 3, 'alice, bob, none; alice again reuses hers');
      assert.equal(mtls.requests[0].socket, mtls.requests[2].socket);
    });
  });

  describe('jira.ca files (settings -> requests, real files)', () => {
    let dir: string;
    let caPath: string;
    let reads: number;
    let remove: () => void;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'jira-net-ca-'));
      caPath = join(dir, 'ca.pem');
      reads = 0;
      const counting: FileSystemLike = { stat: (p) => fsp.stat(p), readFile: (p) => (reads++, fsp.readFile(p)) };
      const read = cachedReader(counting);
      remove = setNetworkProvider((url, signal) =>
        networkDefaultsFor(url, { ca: [caPath] }, { core, env: {}, readFile: read, clientCertificate: async () => ({}) }, signal),
      );
    });
    afterEach(() => {
      remove();
      rmSync(dir, { recursive: true, force: true });
    });
    const rewrite = (text: string, secondsAhead: number) => {
      writeFileSync(caPath, text);
      const t = new Date(Date.now() + secondsAhead * 1000);
      utimesSync(caPath, t, t);
    };
    const req = (path: string) => httpRequest({ method: 'GET', url: `${server.url}${path}`, headers: {} });

    it('an unchanged file is read once; a corrected file applies to the next request, and so does a wrong one', async () => {
      rewrite(otherCa, 0);
      assert.equal((await rejects(req('/a'))).code, 'tls');
      assert.equal((await rejects(req('/b'))).code, 'tls');
      assert.equal(reads, 1, 'not read again while unchanged');
      rewrite(ca, 5);
      assert.equal((await req('/c')).status, 200);
      assert.equal((await req('/d')).status, 200);
      assert.equal(reads, 2);
      // The reverse: the connection verified with the old CA must not serve the new configuration.
      rewrite(otherCa, 10);
      const e = await rejects(req('/e'));
      assert.equal(e.code, 'tls');
      assert.equal(reads, 3);
    });

    it('a deleted file fails with the config error naming jira.ca', async () => {
      rewrite(ca, 0);
      await req('/a');
      unlinkSync(caPath);
      const e = await rejects(req('/b'));
      assert.equal(e.code, 'config');
      assert.match(e.message, /Cannot read .*ca\.pem from the setting "jira\.ca" \(ENOENT\)/);
      rewrite('not a certificate', 0);
      const bad = await rejects(req('/c'));
      assert.equal(bad.code, 'config');
      assert.match(bad.message, /contains no PEM certificate/);
    });
  });
});

describe('setting files are read again only when they changed (fake fs)', () => {
  interface FakeFile {
    data: Buffer;
    ino: number;
    mtimeMs: number;
    ctimeMs: number;
  }
  const fakeFs = (files: Map<string, FakeFile>) => {
    const calls = { stat: 0, read: 0 };
    const fs: FileSystemLike = {
      stat: async (p) => {
        calls.stat++;
        const f = files.get(p);
        if (!f) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
        return { ino: f.ino, size: f.data.length, mtimeMs: f.mtimeMs, ctimeMs: f.ctimeMs };
      },
      readFile: async (p) => {
        calls.read++;
        const f = files.get(p);
        if (!f) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
        return Buffer.from(f.data);
      },
    };
    return { fs, calls };
  };
  const file = (text: string, ino = 1, mtimeMs = 1000): FakeFile => ({ data: Buffer.from(text), ino, mtimeMs, ctimeMs: mtimeMs });

  it('returns the same Buffer while stat is unchanged; re-reads on a new mtime, size, inode or ctime', async () => {
    const files = new Map([['/ca.pem', file('one')]]);
    const { fs, calls } = fakeFs(files);
    const read = cachedReader(fs);
    const a = await read('/ca.pem');
    assert.equal(await read('/ca.pem'), a, 'the same Buffer object');
    assert.deepEqual(calls, { stat: 2, read: 1 });
    files.get('/ca.pem')!.mtimeMs = 2000;
    assert.equal((await read('/ca.pem')).toString(), 'one');
    assert.equal(calls.read, 2);
    files.set('/ca.pem', { ...files.get('/ca.pem')!, data: Buffer.from('two!') });
    assert.equal((await read('/ca.pem')).toString(), 'two!', 'size changed, same mtime');
    files.set('/ca.pem', { ...files.get('/ca.pem')!, data: Buffer.from('TWO!'), ino: 2 });
    assert.equal((await read('/ca.pem')).toString(), 'TWO!', 'replaced (new inode), same size and mtime');
    files.set('/ca.pem', { ...files.get('/ca.pem')!, data: Buffer.from('tWo!'), ctimeMs: 9999 });
    assert.equal((await read('/ca.pem')).toString(), 'tWo!', 'changed ctime');
    assert.equal(calls.read, 5);
  });

  it('a deleted file fails with its error (the caller names the setting), and is read again when it is back', async () => {
    const files = new Map([['/ca.pem', file('one')]]);
    const { fs, calls } = fakeFs(files);
    const read = cachedReader(fs);
    await read('/ca.pem');
    files.delete('/ca.pem');
    await assert.rejects(read('/ca.pem'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    files.set('/ca.pem', file('one'));
    assert.equal((await read('/ca.pem')).toString(), 'one');
    assert.equal(calls.read, 2, 'the old content was forgotten with the error');
  });

  it('an unreadable file (stat works, read fails) fails every time and is not cached', async () => {
    const files = new Map([['/key.pem', file('secret key')]]);
    const { fs, calls } = fakeFs(files);
    let denied = true;
    const read = cachedReader({ stat: fs.stat, readFile: async (p) => (denied ? Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })) : fs.readFile(p)) });
    await assert.rejects(read('/key.pem'), (e: NodeJS.ErrnoException) => e.code === 'EACCES');
    await assert.rejects(read('/key.pem'), (e: NodeJS.ErrnoException) => e.code === 'EACCES');
    denied = false;
    assert.equal((await read('/key.pem')).toString(), 'secret key');
    assert.equal(calls.read, 1);
  });

  it('keys entries by resolved path and keeps a bounded number of files', async () => {
    const files = new Map<string, FakeFile>();
    for (const n of ['a', 'b', 'c']) files.set(join(process.cwd(), `${n}.pem`), file(n));
    const { fs, calls } = fakeFs(files);
    const read = cachedReader(fs, 2);
    await read('a.pem');
    await read(`.${'/'}a.pem`);
    assert.equal(calls.read, 1);
    await read('b.pem');
    await read('c.pem');
    await read('a.pem');
    assert.equal(calls.read, 4, 'a was dropped for c');
  });

  it('networkDefaultsFor parses an unchanged CA file once and keeps the config errors', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const files = new Map([['/ca.pem', file(pem)]]);
    const { fs } = fakeFs(files);
    const read = cachedReader(fs);
    let parsed = 0;
    const netCore: NetCore = { ...core, pemCertificates: (t, s) => (parsed++, core.pemCertificates(t, s)) };
    const io = { core: netCore, env: {}, readFile: read, clientCertificate: async () => ({}) };
    await networkDefaultsFor('https://a.example/x', { ca: ['/ca.pem'] }, io);
    const d = await networkDefaultsFor('https://a.example/x', { ca: ['/ca.pem'] }, io);
    assert.deepEqual(d.network?.extraCa, [pem.trim()]);
    assert.equal(parsed, 1);
    files.set('/ca.pem', { ...file(pem + pem), mtimeMs: 3000 });
    assert.equal((await networkDefaultsFor('https://a.example/x', { ca: ['/ca.pem'] }, io)).network?.extraCa?.length, 2);
    assert.equal(parsed, 2);
    files.delete('/ca.pem');
    await assert.rejects(networkDefaultsFor('https://a.example/x', { ca: ['/ca.pem'] }, io), (e: JiraError) =>
      e.code === 'config' && /Cannot read \/ca\.pem from the setting "jira\.ca" \(ENOENT\)/.test(e.message));
  });
});

describe('client certificate: checked again only when the files or the stored passphrase changed', function () {
  let pki: Pki;
  before(function () {
    pki = makePkiOrSkip(this);
  });
  after(() => pki?.cleanup());

  const counting = () => {
    const checks = { n: 0 };
    const netCore: NetCore = { ...core, checkClientCertificate: (c) => (checks.n++, core.checkClientCertificate(c)) };
    return { checks, netCore };
  };

  it('an encrypted key with its stored passphrase is checked once; a wrong stored passphrase is dropped and asked again, as before', async () => {
    const site = 'https://reuse-encrypted.example.com';
    const files = { cert: pki.clientCertFile, key: pki.clientEncryptedKeyFile };
    const secrets = new FakeSecretStorage();
    await secrets.store(passphraseKey(site, files), CLIENT_PASSPHRASE);
    const { checks, netCore } = counting();
    const asks: boolean[] = [];
    const answers = [CLIENT_PASSPHRASE];
    const deps = { core: netCore, secrets, readFile: cachedReader(fsp), ask: async (r: { retry: boolean }) => (asks.push(r.retry), answers.shift()) };
    const first = await unlockClientCertificate(site, files, deps);
    assert.equal(first.passphrase, CLIENT_PASSPHRASE);
    const n = checks.n;
    const again = await unlockClientCertificate(site, files, deps);
    assert.equal(again, first, 'the same certificate, not checked again');
    assert.equal(checks.n, n);
    await secrets.store(passphraseKey(site, files), 'wrong');
    const third = await unlockClientCertificate(site, files, deps);
    assert.equal(third.passphrase, CLIENT_PASSPHRASE);
    assert.deepEqual(asks, [true], 'asked again, saying the stored one was wrong');
    assert.ok(checks.n > n);
    assert.equal(await secrets.get(passphraseKey(site, files)), CLIENT_PASSPHRASE);
  });

  it('a changed or deleted file is read and checked again', async () => {
    const site = 'https://reuse-pem.example.com';
    const dir = mkdtempSync(join(tmpdir(), 'jira-net-cc-'));
    try {
      const files = { cert: join(dir, 'c.crt'), key: join(dir, 'c.key') };
      copyFileSync(pki.clientCertFile, files.cert);
      copyFileSync(pki.clientKeyFile, files.key);
      const { checks, netCore } = counting();
      const deps = { core: netCore, secrets: new FakeSecretStorage(), readFile: cachedReader(fsp), ask: async () => undefined };
      await unlockClientCertificate(site, files, deps);
      await unlockClientCertificate(site, files, deps);
      assert.equal(checks.n, 1);
      writeFileSync(files.key, 'not a key');
      await assert.rejects(unlockClientCertificate(site, files, deps), (e: JiraError) => e.code === 'config' && /cannot be used/.test(e.message));
      copyFileSync(pki.clientKeyFile, files.key);
      await unlockClientCertificate(site, files, deps);
      assert.equal(checks.n, 3);
      unlinkSync(files.cert);
      await assert.rejects(unlockClientCertificate(site, files, deps), (e: JiraError) => e.code === 'config' && /jira\.network\.clientCertificates/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
