import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import type { Core } from '../../../src/coreLoader';
import { ClientFactory } from '../../../src/auth/clients';
import { inspectToken } from '../../../src/commands/inspectToken';
import { format, setTranslator } from '../../../src/l10n';
import { AccountTokenStore } from '../../../src/store/oauth2Tokens';
import { REFRESH_LEASE_PREFIX } from '../../../src/store/refreshLease';
import type { AccountMeta } from '../../../src/store/types';
import { Emulator, startEmulator } from '../../emulator';
import { settle } from '../support/fakes';
import { signInOAuth2, twoWindows } from '../support/oauth2Windows';
import { makeWorld, World } from '../support/world';

function factory(w: World, ended: Array<{ account: AccountMeta; err: Error }> = []): ClientFactory {
  return new ClientFactory({
    accounts: w.deps.accounts,
    core: async () => core as unknown as Core,
    userAgent: 'jira-auth-tests',
    onSessionEnded: (account, err) => ended.push({ account, err }),
  });
}

describe('OAuth 2.0 refresh: SecretStorage token store, windows, sign-out', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => emulator?.close());

  it('refreshes an expired access token once for 100 concurrent requests and stores the rotated pair before using it', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    const account = await signInOAuth2(w, emulator);
    const before = await w.deps.accounts.getAuth(account.id);
    const client = await factory(w).create(account, before!);
    assert.equal(emulator.oauth2.expireAccessTokens(), 1);
    const saved: string[] = [];
    const store = w.secrets.store.bind(w.secrets);
    w.secrets.store = async (k, v) => {
      if (!k.startsWith(REFRESH_LEASE_PREFIX)) saved.push(JSON.parse(v).auth?.accessToken); // the cross-window lease has its own key
      return store(k, v);
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => client.request<{ name: string }>('GET', '/rest/api/2/myself')));
    assert.ok(results.every((r) => r.body.name === 'admin'), 'no request dropped');
    assert.equal(emulator.oauth2.stats.refreshCalls, 1, 'exactly one refresh');
    const after = await w.deps.accounts.getAuth(account.id);
    assert.ok(after?.type === 'oauth2' && before?.type === 'oauth2');
    assert.notEqual(after.accessToken, before.accessToken);
    assert.notEqual(after.refreshToken, before.refreshToken, 'the refresh token rotated');
    assert.deepEqual(saved, [after.accessToken], 'the whole blob written once with the new token');
    const used = emulator.requests.filter((r) => r.path === '/rest/api/2/myself' && r.status === 200).length;
    assert.equal(used, 101, 'the sign-in check plus 100 requests');
  });

  it('"Copy Access Token" copies a valid token: an expired one is refreshed (and stored) first', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    const account = await signInOAuth2(w, emulator);
    const f = factory(w);
    w.deps.oauth2AccessToken = (a, auth) => f.accessToken(a, auth);
    const tokens = new AccountTokenStore(w.deps.accounts, account.id);
    const stale = (await tokens.load())!;
    await tokens.save({ ...stale, expiresAt: Date.now() - 1000 });
    assert.equal(await w.controller.account.copyAccessToken({ accountId: account.id, confirm: true }), 'token');
    const fresh = await w.deps.accounts.getAuth(account.id);
    assert.ok(fresh?.type === 'oauth2');
    assert.equal(emulator.oauth2.stats.refreshCalls, 1, 'refreshed once before copying');
    assert.notEqual(fresh.accessToken, stale.accessToken);
    assert.equal(w.ui.clipboard, fresh.accessToken, 'the clipboard holds the new, stored token');
    // A token that is still valid is copied as it is, without a refresh.
    await w.controller.account.copyAccessToken({ accountId: account.id, confirm: true });
    assert.equal(emulator.oauth2.stats.refreshCalls, 1);
    assert.equal(w.ui.clipboard, fresh.accessToken);
  });

  it('two windows: the second picks up the pair the first stored instead of reusing the rotated refresh token', async () => {
    emulator = await startEmulator({ port: 0 });
    const { c1, c2 } = await twoWindows(emulator, (w) => factory(w));
    emulator.oauth2.expireAccessTokens();
    await c1.request('GET', '/rest/api/2/myself');
    await settle(); // SecretStorage.onDidChange reaches the second window
    const r = await c2.request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(r.body.name, 'admin');
    assert.equal(emulator.oauth2.stats.refreshCalls, 1, 'the second window did not refresh again');
    assert.equal(emulator.oauth2.stats.refreshReuse, 0, 'no rotated refresh token reused');
  });

  it('a refresh that fails for good (revoked grant) ends the session once; the controller signs out and offers "Sign In Again"', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    const account = await signInOAuth2(w, emulator);
    const ended: Array<{ account: AccountMeta; err: Error }> = [];
    const client = await factory(w, ended).create(account, (await w.deps.accounts.getAuth(account.id))!);
    emulator.oauth2.revokeAll();
    emulator.oauth2.expireAccessTokens();
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => client.request('GET', '/rest/api/2/myself')));
    assert.ok(outcomes.every((o) => o.status === 'rejected' && (o.reason as { oauth2Error?: string }).oauth2Error === 'invalid_grant'));
    assert.equal(ended.length, 1, 'reported once');
    assert.equal(ended[0].account.id, account.id);
    let offered: string[] = [];
    w.ui.answer = (_m, actions) => ((offered = actions), undefined);
    await w.controller.account.sessionEnded(ended[0].account, ended[0].err);
    assert.equal(w.deps.accounts.list().length, 0, 'signed out');
    assert.equal(await w.deps.accounts.getAuth(account.id), undefined, 'its secrets removed');
    assert.match(w.ui.messages(), /warning: Your sign-in to Alice Admin .* has ended and could not be renewed/);
    assert.deepEqual(offered, ['Sign In Again']);
  });

  it('the token store refuses to save for an account that was signed out (the token is then not used)', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    const account = await signInOAuth2(w, emulator);
    const store = new AccountTokenStore(w.deps.accounts, account.id);
    const t = (await store.load())!;
    assert.equal(typeof t.accessToken, 'string');
    await w.deps.accounts.remove(account.id);
    await assert.rejects(store.save({ ...t, accessToken: 'new' }), /signed out/);
    assert.equal(await store.load(), undefined);
  });
});

describe('Jira: Inspect Token (report)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => emulator?.close());

  it('Cloud JWT: decoded header and claims, RS256 verified against the JWKS, never the token', async () => {
    emulator = await startEmulator({ port: 0, deploymentType: 'Cloud' });
    const w = makeWorld({ extensionHost: 'local', settings: { cloudEndpoints: emulator.cloudEndpoints } });
    const account = await signInOAuth2(w, emulator, true);
    const auth = (await w.deps.accounts.getAuth(account.id))!;
    assert.ok(auth.type === 'oauth2');
    const report = await inspectToken(core as unknown as Core, account, auth);
    assert.equal(report.verified, true);
    assert.match(report.markdown, /OAuth 2\.0 \(Jira Cloud 3LO\)/);
    assert.match(report.markdown, /https:\/\/acme\.atlassian\.net/);
    assert.match(report.markdown, /read:jira-work/);
    assert.match(report.markdown, /## JWT header[\s\S]*"alg": "RS256"[\s\S]*## JWT claims[\s\S]*"iss"/);
    assert.match(report.markdown, /The RS256 signature holds: verified with key emulator-/);
    assert.ok(!report.markdown.includes(auth.accessToken), 'not the access token');
    assert.ok(!report.markdown.includes(auth.accessToken.split('.')[2]), 'not its signature');
    assert.ok(!report.markdown.includes(auth.refreshToken!), 'not the refresh token');
    assert.ok(!report.markdown.includes('vscode-jira-secret'), 'not the client secret');

    const [h, p, s] = auth.accessToken.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'mallory' })).toString('base64url')}.${s}`;
    const bad = await inspectToken(core as unknown as Core, account, { ...auth, accessToken: forged });
    assert.equal(bad.verified, false);
    assert.match(bad.markdown, /The signature does NOT hold/);
  });

  it('opaque tokens and other methods: method, site, account, expiry; no secret', async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-123': 'bob' } });
    const w = makeWorld({ extensionHost: 'local' });
    const account = await signInOAuth2(w, emulator);
    const auth = (await w.deps.accounts.getAuth(account.id))!;
    const r = await inspectToken(core as unknown as Core, account, auth);
    assert.equal(r.verified, undefined);
    assert.match(r.markdown, /OAuth 2\.0 \(Data Center application link, PKCE\)/);
    assert.match(r.markdown, /opaque \(not a JWT\)/);
    assert.match(r.markdown, /\| Expires \| \d{4}-\d\d-\d\dT[\d:]+Z \(in \d+ minutes\) \|/);
    assert.ok(auth.type === 'oauth2' && !r.markdown.includes(auth.accessToken));
    const pat = (await w.controller.signIn({ baseUrl: emulator.url, method: 'pat', token: 'pat-123' }, { rethrow: true }))!;
    const pr = await inspectToken(core as unknown as Core, pat, { type: 'pat', token: 'pat-123' });
    assert.match(pr.markdown, /Personal access token \(Bearer\)/);
    assert.match(pr.markdown, /Bob Builder \(bob/);
    assert.ok(!pr.markdown.includes('pat-123'));
  });
});
