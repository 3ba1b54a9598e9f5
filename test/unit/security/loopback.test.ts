// Issue 8: "Loopback listeners bind 127.0.0.1 only, use a random port, check state, accept one
// request and close." Checks src/signin/loopback.ts (the OAuth 1.0a callback listener) from the
// outside, as an attacker on the network or another local process would see it.
//
// A request with a wrong state (or another request token) gets a 400 page and the listener KEEPS
// WAITING: that is the right behaviour, because any local process or web page can send a request
// to 127.0.0.1; if a stray request ended the sign-in, anyone could cancel it. The state is never
// revealed, and the timeout bounds the wait.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { LoopbackTimeoutError, startLoopback, startOAuth2Loopback } from '../../../src/signin/loopback';

const PAGES = { success: 'OK-PAGE', denied: 'DENIED-PAGE', invalid: 'INVALID-PAGE' };

/** Resolves true when a TCP connection to host:port is accepted, false when refused/unreachable. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Runs `start` while recording the arguments of every http.Server listen() call. */
async function recordingListen<T>(start: () => Promise<T>): Promise<{ result: T; calls: unknown[][] }> {
  const calls: unknown[][] = [];
  const original = http.Server.prototype.listen;
  http.Server.prototype.listen = function (this: http.Server, ...args: unknown[]) {
    calls.push(args);
    return (original as (...a: unknown[]) => http.Server).apply(this, args);
  } as typeof original;
  try {
    return { result: await start(), calls };
  } finally {
    http.Server.prototype.listen = original;
  }
}

/** Not reachable on any external IPv4 address of this machine. */
async function assertNotExternallyReachable(port: number): Promise<void> {
  const external = Object.values(networkInterfaces()).flat().filter((i) => i && !i.internal && i.family === 'IPv4');
  for (const i of external) assert.equal(await canConnect(i!.address, port), false, `not reachable on ${i!.address}`);
}

function pending<T>(p: Promise<T>): Promise<'pending' | 'settled'> {
  return Promise.race([p.then(() => 'settled' as const, () => 'settled' as const), new Promise<'pending'>((r) => setTimeout(() => r('pending'), 100))]);
}

describe('security: the loopback callback listener', () => {
  it('listens on 127.0.0.1 only (never 0.0.0.0, :: or localhost)', async () => {
    const { result: server, calls } = await recordingListen(() => startLoopback(PAGES));
    try {
      assert.equal(calls.length, 1);
      assert.equal(calls[0][1], '127.0.0.1', 'the host argument of listen()');
      const port = Number(new URL(server.callbackUrl).port);
      assert.equal(new URL(server.callbackUrl).hostname, '127.0.0.1', 'the callback URL names the loopback address, not localhost');
      assert.equal(await canConnect('127.0.0.1', port), true);
      assert.equal(await canConnect('::1', port), false, 'not reachable over IPv6 loopback (it would be with ::)');
      await assertNotExternallyReachable(port);
    } finally {
      server.close();
    }
  });

  it('uses a random port and a random state for every sign-in', async () => {
    const a = await startLoopback(PAGES);
    const b = await startLoopback(PAGES);
    try {
      const ua = new URL(a.callbackUrl);
      const ub = new URL(b.callbackUrl);
      assert.notEqual(ua.port, ub.port);
      assert.ok(Number(ua.port) > 1024 && Number(ub.port) > 1024);
      assert.match(ua.pathname, /^\/jira-callback\/[0-9a-f]{32}$/, '128 bits of state');
      assert.notEqual(ua.pathname, ub.pathname);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a wrong state, another request token, a missing token and other methods, and keeps waiting for the right callback', async () => {
    const server = await startLoopback(PAGES);
    server.expectToken('RT');
    const url = new URL(server.callbackUrl);
    const wrongState = `${url.origin}/jira-callback/${'0'.repeat(32)}?oauth_token=RT&oauth_verifier=V`;
    for (const [what, target, init] of [
      ['wrong state', wrongState, undefined],
      ['no state', `${url.origin}/?oauth_token=RT&oauth_verifier=V`, undefined],
      ['another request token', `${server.callbackUrl}?oauth_token=OTHER&oauth_verifier=V`, undefined],
      ['no token', `${server.callbackUrl}?oauth_verifier=V`, undefined],
      ['POST', `${server.callbackUrl}?oauth_token=RT&oauth_verifier=V`, { method: 'POST' }],
    ] as Array<[string, string, RequestInit | undefined]>) {
      const res = await fetch(target, init);
      assert.equal(res.status, 400, what);
      const text = await res.text();
      assert.equal(text, 'INVALID-PAGE', what);
      assert.ok(!text.includes(url.pathname.split('/').pop()!), `${what}: the state is not revealed`);
      assert.equal(await pending(server.result), 'pending', `${what}: still waiting`);
    }
    const ok = await fetch(`${server.callbackUrl}?oauth_token=RT&oauth_verifier=V1`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('cache-control'), 'no-store');
    assert.equal(ok.headers.get('referrer-policy'), 'no-referrer', 'the verifier does not leak through Referer');
    assert.deepEqual(await server.result, { token: 'RT', verifier: 'V1', denied: false });
  });

  it('accepts one request, then closes: a replayed callback cannot connect', async () => {
    const server = await startLoopback(PAGES);
    const port = Number(new URL(server.callbackUrl).port);
    const first = await fetch(`${server.callbackUrl}?oauth_token=RT&oauth_verifier=V1`, { headers: { Connection: 'close' } });
    assert.equal(first.status, 200);
    await first.text();
    assert.equal((await server.result).verifier, 'V1');
    for (let i = 0; i < 50 && (await canConnect('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await canConnect('127.0.0.1', port), false, 'the port is closed after the first valid callback');
  });

  it('times out with a message that says what happened, and closes the port', async () => {
    const server = await startLoopback(PAGES, { timeoutMs: 50 });
    const port = Number(new URL(server.callbackUrl).port);
    const err = await server.result.then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof LoopbackTimeoutError);
    assert.equal((err as LoopbackTimeoutError).code, 'loopback_timeout');
    assert.match((err as Error).message, /Nobody came back from the browser/);
    assert.equal(await canConnect('127.0.0.1', port), false);
  });
});

describe('security: the OAuth 2.0 redirect listener (RFC 8252 loopback)', () => {
  const STATE = 'st-0123456789abcdef';

  it('listens on 127.0.0.1 only, on a random port', async () => {
    const {
      result: [a, b],
      calls,
    } = await recordingListen(async () => [await startOAuth2Loopback(PAGES, { state: STATE }), await startOAuth2Loopback(PAGES, { state: STATE })] as const);
    try {
      assert.deepEqual(calls.map((c) => c.slice(0, 2)), [[0, '127.0.0.1'], [0, '127.0.0.1']], 'listen(0, "127.0.0.1"): a random port on the loopback address');
      const port = Number(new URL(a.redirectUri).port);
      assert.match(a.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      assert.notEqual(new URL(a.redirectUri).port, new URL(b.redirectUri).port);
      assert.equal(await canConnect('::1', port), false);
      await assertNotExternallyReachable(port);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a wrong or missing state and keeps waiting; accepts one redirect, then closes', async () => {
    const server = await startOAuth2Loopback(PAGES, { state: STATE });
    const port = Number(new URL(server.redirectUri).port);
    for (const [what, target] of [
      ['wrong state', `${server.redirectUri}?code=C1&state=other`],
      ['no state', `${server.redirectUri}?code=C1`],
      ['other path', `http://127.0.0.1:${port}/elsewhere?code=C1&state=${STATE}`],
    ]) {
      const res = await fetch(target);
      assert.equal(res.status, 400, what);
      assert.equal(await res.text(), 'INVALID-PAGE', what);
      assert.equal(await pending(server.result), 'pending', `${what}: still waiting`);
    }
    const ok = await fetch(`${server.redirectUri}?code=C2&state=${STATE}`, { headers: { Connection: 'close' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('referrer-policy'), 'no-referrer', 'the code does not leak through Referer');
    await ok.text();
    assert.equal(new URL(await server.result).searchParams.get('code'), 'C2');
    for (let i = 0; i < 50 && (await canConnect('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await canConnect('127.0.0.1', port), false, 'closed after the redirect');
  });

  it('times out and closes the port', async () => {
    const server = await startOAuth2Loopback(PAGES, { state: STATE, timeoutMs: 50 });
    const port = Number(new URL(server.redirectUri).port);
    await assert.rejects(server.result, LoopbackTimeoutError);
    assert.equal(await canConnect('127.0.0.1', port), false);
  });
});
