// OAuth2TokenManager and createJiraClient({ auth: { type: 'oauth2', tokens } }): refresh before
// expiry and after a 401, single-flight, the rotation race between windows, store failures.
import * as assert from 'node:assert/strict';
import {
  buildAuthorizeUrl,
  createJiraClient,
  createPkce,
  dataCenterEndpoints,
  exchangeCode,
  httpRequest,
  JiraError,
  OAuth2Endpoints,
  OAuth2TokenManager,
  OAuth2Tokens,
  parseRedirect,
  randomState,
  SingleFlight,
  TokenStoreLike,
  Transport,
} from '../../../src/core';
import { Emulator, startEmulator } from '../../emulator';
import { jiraError as rejection } from './helpers';
import { consent, MemoryTokenStore } from './oauth2.helpers';

const CLIENT_ID = 'vscode-jira';
const CLIENT_SECRET = 'vscode-jira-secret';
const REDIRECT = 'http://127.0.0.1:53682/callback';

describe('SingleFlight', () => {
  it('runs one call per key while it is running, then starts afresh', async () => {
    const sf = new SingleFlight<string, number>();
    let calls = 0;
    let release!: (v: number) => void;
    const fn = (): Promise<number> => { calls++; return new Promise<number>((r) => { release = r; }); };
    const ps = Array.from({ length: 10 }, () => sf.run('a', fn));
    const other = sf.run('b', async () => 7);
    assert.equal(calls, 1);
    assert.ok(sf.has('a'));
    release(42);
    assert.deepEqual(await Promise.all(ps), Array(10).fill(42));
    assert.equal(await other, 7);
    assert.ok(!sf.has('a'));
    assert.equal(await sf.run('a', async () => { calls++; return 1; }), 1);
    assert.equal(calls, 2);
  });

  it('shares a rejection and forgets it', async () => {
    const sf = new SingleFlight<string, number>();
    const a = sf.run('k', async () => { throw new Error('boom'); });
    const b = sf.run('k', async () => 1);
    await assert.rejects(a, /boom/);
    await assert.rejects(b, /boom/);
    assert.equal(await sf.run('k', async () => 2), 2);
  });
});

describe('OAuth2TokenManager against the emulator', () => {
  let emu: Emulator;
  let endpoints: OAuth2Endpoints;
  before(async () => {
    emu = await startEmulator({ issueCount: 10 });
    endpoints = dataCenterEndpoints(emu.url);
  });
  after(() => emu.close());

  /** A fresh sign-in: a new token family. */
  async function signIn(): Promise<OAuth2Tokens> {
    const state = randomState();
    const pkce = createPkce();
    const url = buildAuthorizeUrl({ endpoints, clientId: CLIENT_ID, redirectUri: REDIRECT, scopes: ['READ', 'WRITE'], state, pkce });
    const { code } = parseRedirect(await consent(url), state);
    return exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
  }

  function manager(store: TokenStoreLike, extra: Partial<ConstructorParameters<typeof OAuth2TokenManager>[0]> = {}): OAuth2TokenManager {
    return new OAuth2TokenManager({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, store, ...extra });
  }

  const myselfCalls = (): number => emu.requests.filter((r) => r.path === '/rest/api/2/myself').length;

  it('uses the stored token while it is fresh (no refresh)', async () => {
    const store = new MemoryTokenStore(await signIn());
    const m = manager(store);
    const calls = emu.oauth2.stats.refreshCalls;
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', tokens: m } });
    await jira.request('GET', '/rest/api/2/myself');
    assert.equal(emu.oauth2.stats.refreshCalls, calls);
    assert.equal(jira.authType, 'oauth2');
  });

  it('100 concurrent requests on an expired token => exactly 1 refresh call and 100 successes', async () => {
    const t = await signIn();
    emu.oauth2.expireAccessTokens(t.accessToken);
    const store = new MemoryTokenStore({ ...t, expiresAt: Date.now() - 1000 });
    const m = manager(store);
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', tokens: m } });
    const calls = emu.oauth2.stats.refreshCalls;
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => jira.request<{ name: string }>('GET', '/rest/api/2/myself')));
    const ok = results.filter((r) => r.status === 'fulfilled' && r.value.body.name === 'admin').length;
    assert.equal(ok, 100, JSON.stringify(results.find((r) => r.status === 'rejected')));
    assert.equal(emu.oauth2.stats.refreshCalls - calls, 1);
    assert.equal(store.saves, 1);
    assert.notEqual(store.tokens!.accessToken, t.accessToken);
    assert.notEqual(store.tokens!.refreshToken, t.refreshToken);
  });

  it('100 concurrent requests whose token the server expired early (401) => 1 refresh, each retried once, 100 successes', async () => {
    const t = await signIn();
    const store = new MemoryTokenStore(t);
    const m = manager(store);
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', tokens: m } });
    emu.oauth2.expireAccessTokens(t.accessToken);
    const calls = emu.oauth2.stats.refreshCalls;
    const before = myselfCalls();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => jira.request('GET', '/rest/api/2/myself')));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 100);
    assert.equal(emu.oauth2.stats.refreshCalls - calls, 1);
    assert.equal(myselfCalls() - before, 200, 'each request: one 401, one retry');
  });

  it('a 401 once => one refresh and one retry of the same request', async () => {
    const t = await signIn();
    const store = new MemoryTokenStore(t);
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', tokens: manager(store) } });
    emu.oauth2.expireAccessTokens(t.accessToken);
    const calls = emu.oauth2.stats.refreshCalls;
    const before = myselfCalls();
    const me = await jira.request<{ name: string }>('GET', '/rest/api/2/myself', { query: { expand: 'groups' } });
    assert.equal(me.body.name, 'admin');
    assert.equal(emu.oauth2.stats.refreshCalls - calls, 1);
    const mine = emu.requests.filter((r) => r.path === '/rest/api/2/myself').slice(before);
    assert.deepEqual(mine.map((r) => r.status), [401, 200]);
    assert.deepEqual(mine[1].query, [['expand', 'groups']]);
  });

  it('a 401 after the refresh => the error, no loop', async () => {
    const t = await signIn();
    const store = new MemoryTokenStore(t);
    let rest = 0;
    const always401: Transport = async (req) => {
      if (req.url.includes('/rest/api/2/myself')) {
        rest++;
        return { status: 401, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"errorMessages":["no"]}') };
      }
      return httpRequest(req);
    };
    const jira = createJiraClient({ baseUrl: emu.url, transport: always401, auth: { type: 'oauth2', tokens: manager(store) } });
    const calls = emu.oauth2.stats.refreshCalls;
    const e = await rejection(jira.request('GET', '/rest/api/2/myself'));
    assert.equal(e.code, 'unauthorized');
    assert.match(e.message, /sign in again/);
    assert.equal(rest, 2);
    assert.equal(emu.oauth2.stats.refreshCalls - calls, 1);
  });

  it('rotation race: a second window picks up the stored token instead of reusing the old refresh token', async () => {
    const t = await signIn();
    // Two windows: two managers, two store objects over the same secret (SecretStorage).
    const secret = new MemoryTokenStore({ ...t, expiresAt: Date.now() - 1000 });
    const windowStore = (): TokenStoreLike => ({ load: () => secret.load(), save: (x) => secret.save(x) });
    const a = manager(windowStore());
    const b = manager(windowStore());
    emu.oauth2.expireAccessTokens(t.accessToken);
    const calls = emu.oauth2.stats.refreshCalls;
    const reuse = emu.oauth2.stats.refreshReuse;
    const fromA = await a.accessToken();
    // Window B got a 401 with the old access token it had in flight.
    const fromB = await b.refreshAfter(t.accessToken);
    assert.equal(fromB, fromA);
    assert.equal(await b.accessToken(), fromA);
    assert.equal(emu.oauth2.stats.refreshCalls - calls, 1);
    assert.equal(emu.oauth2.stats.refreshReuse, reuse, 'the rotated refresh token was never reused');
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', tokens: b } });
    await jira.request('GET', '/rest/api/2/myself');
  });

  it('two managers sharing one store object refresh once even when they start together', async () => {
    const t = await signIn();
    const store = new MemoryTokenStore({ ...t, expiresAt: Date.now() - 1000 });
    const a = manager(store);
    const b = manager(store);
    const calls = emu.oauth2.stats.refreshCalls;
    const [x, y] = await Promise.all([a.accessToken(), b.accessToken()]);
    assert.equal(x, y);
    assert.equal(emu.oauth2.stats.refreshCalls - calls, 1);
    assert.equal(emu.oauth2.stats.refreshReuse, 0);
  });

  it('two windows with their own store objects: without a lock both refresh (reuse!), with store.exclusive only one does', async () => {
    const run = async (withLock: boolean): Promise<{ calls: number; reuse: number; same: boolean }> => {
      const t = await signIn();
      const secret = new MemoryTokenStore({ ...t, expiresAt: Date.now() - 1000 });
      let chain: Promise<unknown> = Promise.resolve();
      const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
        const p = chain.then(fn);
        chain = p.catch(() => undefined);
        return p;
      };
      const windowStore = (): TokenStoreLike => ({ load: () => secret.load(), save: (x) => secret.save(x), ...(withLock ? { exclusive } : {}) });
      const a = manager(windowStore());
      const b = manager(windowStore());
      const calls = emu.oauth2.stats.refreshCalls;
      const reuse = emu.oauth2.stats.refreshReuse;
      const [x, y] = await Promise.all([a.accessToken(), b.accessToken()]);
      return { calls: emu.oauth2.stats.refreshCalls - calls, reuse: emu.oauth2.stats.refreshReuse - reuse, same: x === y };
    };
    assert.deepEqual(await run(false), { calls: 2, reuse: 1, same: true }, 'the hazard the lock exists for');
    assert.deepEqual(await run(true), { calls: 1, reuse: 0, same: true });
  });

  it('store.save failing => the new token is not used, a clear error, onDidFail', async () => {
    const t = await signIn();
    const store = new MemoryTokenStore({ ...t, expiresAt: Date.now() - 1000 });
    store.failSave = new Error('the keyring is locked');
    const failures: JiraError[] = [];
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', tokens: manager(store, { onDidFail: (e) => failures.push(e) }) } });
    const before = myselfCalls();
    const e = await rejection(jira.request('GET', '/rest/api/2/myself'));
    assert.equal(e.code, 'oauth2_error');
    assert.equal(e.oauth2Error, 'store_failed');
    assert.match(e.message, /could not be saved \(the keyring is locked\), so they were not used: sign in again/);
    assert.equal(myselfCalls(), before, 'no request was sent with the unsaved token');
    assert.equal(store.tokens!.accessToken, t.accessToken, 'the store still has the old tokens');
    assert.equal(failures.length, 1);
    assert.equal(failures[0], e);
  });

  it('a revoked refresh token => invalid_grant, sign in again, onDidFail once', async () => {
    const t = await signIn();
    const store = new MemoryTokenStore({ ...t, expiresAt: Date.now() - 1000 });
    emu.oauth2.revokeAll();
    const failures: JiraError[] = [];
    const m = manager(store, { onDidFail: (e) => failures.push(e) });
    const errs = await Promise.all([rejection(m.accessToken()), rejection(m.accessToken())]);
    for (const e of errs) {
      assert.equal(e.oauth2Error, 'invalid_grant');
      assert.match(e.message, /sign in again/);
    }
    assert.equal(failures.length, 1, 'one refresh, one failure notification');
  });

  it('no refresh token, or nothing stored => a clear error', async () => {
    const t = await signIn();
    const noRefresh = new MemoryTokenStore({ ...t, refreshToken: undefined, expiresAt: Date.now() - 1 });
    const e1 = await rejection(manager(noRefresh).accessToken());
    assert.equal(e1.oauth2Error, 'no_refresh_token');
    assert.match(e1.message, /no refresh token to renew it: sign in again/);
    const e2 = await rejection(manager(new MemoryTokenStore()).accessToken());
    assert.equal(e2.oauth2Error, 'not_signed_in');
    assert.match(e2.message, /sign in again/);
  });

  it('refreshes skewMs before expiry', async () => {
    const t = await signIn();
    const now = Date.now();
    const store = new MemoryTokenStore({ ...t, expiresAt: now + 30000 });
    const calls = emu.oauth2.stats.refreshCalls;
    assert.equal(await manager(store, { skewMs: 10000 }).accessToken(), t.accessToken, 'outside the skew: kept');
    const fresh = await manager(store, { skewMs: 60000 }).accessToken();
    assert.notEqual(fresh, t.accessToken, 'inside the skew: refreshed');
    assert.equal(emu.oauth2.stats.refreshCalls - calls, 1);
  });

  it('a cancelled caller stops waiting, but the refresh completes and is saved', async () => {
    const t = await signIn();
    const store = new MemoryTokenStore({ ...t, expiresAt: Date.now() - 1 });
    let tokenCalled!: () => void;
    const called = new Promise<void>((r) => { tokenCalled = r; });
    let finish!: () => void;
    const gate = new Promise<void>((r) => { finish = r; });
    const slow: Transport = async (req) => {
      tokenCalled();
      await gate;
      return httpRequest(req);
    };
    const m = manager(store, { transport: slow });
    const ac = new AbortController();
    const p = m.accessToken(ac.signal);
    await called;
    ac.abort();
    const e = await rejection(p);
    assert.equal(e.code, 'aborted');
    finish();
    const fresh = await m.accessToken();
    assert.notEqual(fresh, t.accessToken);
    assert.equal(store.saves, 1);
    assert.equal(store.tokens!.accessToken, fresh);
  });
});
