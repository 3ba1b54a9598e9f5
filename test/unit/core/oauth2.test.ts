// OAuth 2.0 core (src/core/oauth2) against the emulator's Data Center and Cloud (3LO) providers.
import * as assert from 'node:assert/strict';
import {
  accessibleResources,
  buildAuthorizeUrl,
  CLOUD_AUTHORIZE_EXTRA,
  CLOUD_ENDPOINTS,
  cloudApiBaseUrl,
  cloudEndpoints,
  createJiraClient,
  createPkce,
  dataCenterEndpoints,
  exchangeCode,
  JiraError,
  OAuth2Endpoints,
  parseRedirect,
  pkceChallenge,
  randomState,
  refreshAccessToken,
} from '../../../src/core';
import { Emulator, startEmulator } from '../../emulator';
import { jiraError } from './helpers';
import { consent } from './oauth2.helpers';

const CLIENT_ID = 'vscode-jira';
const CLIENT_SECRET = 'vscode-jira-secret';
const REDIRECT = 'http://127.0.0.1:53682/callback';

async function rejectsWith(p: Promise<unknown>, check: (e: JiraError) => void): Promise<void> {
  check(await jiraError(p));
}

describe('oauth2: PKCE, state, authorize URL, redirect', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    assert.equal(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('creates verifiers of 43..128 unreserved characters with their S256 challenge, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = createPkce();
      assert.match(p.verifier, /^[A-Za-z0-9._~-]{43,128}$/);
      assert.equal(p.method, 'S256');
      assert.equal(p.challenge, pkceChallenge(p.verifier));
      assert.notEqual(p.challenge, p.verifier);
      seen.add(p.verifier);
    }
    assert.equal(seen.size, 50);
  });

  it('randomState has at least 128 bits, base64url, never repeats', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const s = randomState();
      assert.match(s, /^[A-Za-z0-9_-]+$/);
      assert.ok(Buffer.from(s, 'base64url').length >= 16, s);
      seen.add(s);
    }
    assert.equal(seen.size, 100);
  });

  it('builds the Data Center authorize URL with scope READ WRITE and PKCE', () => {
    const e = dataCenterEndpoints('HTTPS://Jira.Example.com:443/jira/');
    assert.equal(e.authorize, 'https://jira.example.com/jira/rest/oauth2/latest/authorize');
    assert.equal(e.token, 'https://jira.example.com/jira/rest/oauth2/latest/token');
    const pkce = createPkce();
    const u = new URL(buildAuthorizeUrl({ endpoints: e, clientId: 'c id', redirectUri: REDIRECT, scopes: ['READ', 'WRITE'], state: 'st', pkce }));
    assert.equal(u.origin + u.pathname, e.authorize);
    assert.equal(u.searchParams.get('client_id'), 'c id');
    assert.equal(u.searchParams.get('redirect_uri'), REDIRECT);
    assert.equal(u.searchParams.get('response_type'), 'code');
    assert.equal(u.searchParams.get('scope'), 'READ WRITE');
    assert.equal(u.searchParams.get('state'), 'st');
    assert.equal(u.searchParams.get('code_challenge'), pkce.challenge);
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(!u.search.includes('+'), 'spaces are %20, not +');
  });

  it('builds the Cloud authorize URL with audience, prompt=consent and no PKCE', () => {
    const u = new URL(buildAuthorizeUrl({
      endpoints: CLOUD_ENDPOINTS, clientId: 'abc', redirectUri: REDIRECT, scopes: ['read:jira-work', 'offline_access'], state: 's', extra: { ...CLOUD_AUTHORIZE_EXTRA },
    }));
    assert.equal(u.origin + u.pathname, 'https://auth.atlassian.com/authorize');
    assert.equal(u.searchParams.get('audience'), 'api.atlassian.com');
    assert.equal(u.searchParams.get('prompt'), 'consent');
    assert.equal(u.searchParams.get('scope'), 'read:jira-work offline_access');
    assert.equal(u.searchParams.get('code_challenge'), null);
  });

  it('cloudEndpoints overrides only what is given; cloudApiBaseUrl fills in the cloudId', () => {
    const e = cloudEndpoints({ token: 'http://127.0.0.1:1/oauth/token' });
    assert.equal(e.token, 'http://127.0.0.1:1/oauth/token');
    assert.equal(e.authorize, CLOUD_ENDPOINTS.authorize);
    assert.equal(cloudApiBaseUrl(e, 'abc-123'), 'https://api.atlassian.com/ex/jira/abc-123');
    assert.throws(() => cloudApiBaseUrl(e, '../x'), /not a Jira Cloud site id/);
    assert.throws(() => cloudApiBaseUrl(dataCenterEndpoints('https://j.example.com'), 'abc'), /not Jira Cloud endpoints/);
  });

  it('refuses to build an authorize URL without client id or state, saying what is missing', () => {
    const e = dataCenterEndpoints('https://j.example.com');
    assert.throws(() => buildAuthorizeUrl({ endpoints: e, clientId: '', redirectUri: REDIRECT, scopes: [], state: 's' }), /client id is missing/);
    assert.throws(() => buildAuthorizeUrl({ endpoints: e, clientId: 'c', redirectUri: REDIRECT, scopes: [], state: '' }), /state is missing: use randomState/);
  });

  it('exchange/refresh without code, refresh token or client id => a clear error, no request', async () => {
    let sent = 0;
    const transport = async (): Promise<never> => { sent++; throw new Error('must not be called'); };
    const endpoints = dataCenterEndpoints('https://j.example.com');
    await rejectsWith(exchangeCode({ endpoints, clientId: 'c', code: '', redirectUri: REDIRECT, transport }), (e) => {
      assert.equal(e.oauth2Error, 'missing_code');
      assert.match(e.message, /start the sign-in again/);
    });
    await rejectsWith(refreshAccessToken({ endpoints, clientId: 'c', refreshToken: '', transport }), (e) => {
      assert.equal(e.oauth2Error, 'no_refresh_token');
      assert.match(e.message, /sign in again/);
    });
    await rejectsWith(exchangeCode({ endpoints, clientId: '', code: 'x', redirectUri: REDIRECT, transport }), (e) => {
      assert.equal(e.code, 'invalid_request');
      assert.match(e.message, /client id is missing: copy it from the application link/);
    });
    assert.equal(sent, 0);
  });

  it('a 2xx without access_token => bad_response naming the token endpoint', async () => {
    const transport = async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"hello":"world"}') });
    await rejectsWith(exchangeCode({ endpoints: dataCenterEndpoints('https://j.example.com'), clientId: 'c', code: 'x', redirectUri: REDIRECT, transport }), (e) => {
      assert.equal(e.code, 'bad_response');
      assert.match(e.message, /answered without an access_token: check that the URL is Jira's OAuth 2.0 token endpoint/);
    });
  });

  it('parseRedirect returns the code when the state matches', () => {
    assert.deepEqual(parseRedirect(`${REDIRECT}?code=abc%2F1&state=s1`, 's1'), { code: 'abc/1' });
    assert.deepEqual(parseRedirect('code=xyz&state=s1', 's1'), { code: 'xyz' });
  });

  it('parseRedirect: Deny => access_denied, with what to do and the server description', () => {
    assert.throws(() => parseRedirect(`${REDIRECT}?error=access_denied&error_description=The%20user%20said%20no&state=s1`, 's1'), (e: JiraError) => {
      assert.equal(e.code, 'oauth2_error');
      assert.equal(e.oauth2Error, 'access_denied');
      assert.match(e.message, /start the sign-in again and click Allow/);
      assert.match(e.message, /The user said no/);
      return true;
    });
  });

  it('parseRedirect: a different or missing state => state_mismatch; no code => missing_code', () => {
    assert.throws(() => parseRedirect(`${REDIRECT}?code=c&state=other`, 's1'), (e: JiraError) => e.oauth2Error === 'state_mismatch' && /start the sign-in again/.test(e.message));
    assert.throws(() => parseRedirect(`${REDIRECT}?code=c`, 's1'), (e: JiraError) => e.oauth2Error === 'state_mismatch');
    assert.throws(() => parseRedirect(`${REDIRECT}?error=access_denied&state=forged`, 's1'), (e: JiraError) => e.oauth2Error === 'state_mismatch');
    assert.throws(() => parseRedirect(`${REDIRECT}?state=s1`, 's1'), (e: JiraError) => e.oauth2Error === 'missing_code' && /copy the whole address/.test(e.message));
  });
});

describe('oauth2: Data Center against the emulator', () => {
  let emu: Emulator;
  let endpoints: OAuth2Endpoints;
  before(async () => {
    emu = await startEmulator({ issueCount: 20, oauth2AccessTokenTtlSeconds: 600 });
    endpoints = dataCenterEndpoints(emu.url);
  });
  after(() => emu.close());

  async function authorize(pkce = createPkce()): Promise<{ code: string; pkce: ReturnType<typeof createPkce> }> {
    const state = randomState();
    const url = buildAuthorizeUrl({ endpoints, clientId: CLIENT_ID, redirectUri: REDIRECT, scopes: ['READ', 'WRITE'], state, pkce });
    const location = await consent(url);
    assert.ok(location.startsWith(`${REDIRECT}?`), location);
    return { ...parseRedirect(location, state), pkce };
  }

  it('exchanges the code (PKCE S256) and the access token works as Bearer on the REST API', async () => {
    const { code, pkce } = await authorize();
    const before = Date.now();
    const t = await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    assert.ok(t.accessToken && t.refreshToken);
    assert.equal(t.tokenType, 'Bearer');
    assert.equal(t.scope, 'READ WRITE');
    assert.ok(t.obtainedAt >= before);
    assert.ok(t.expiresAt! >= t.obtainedAt + 599000 && t.expiresAt! <= t.obtainedAt + 600000, String(t.expiresAt! - t.obtainedAt));
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', accessToken: t.accessToken } });
    const me = await jira.request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.name, 'admin');
    assert.equal(emu.requests[emu.requests.length - 1].auth, 'oauth2');
  });

  it('a wrong PKCE verifier is rejected by the emulator: invalid_grant, start again', async () => {
    const { code } = await authorize();
    await rejectsWith(
      exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri: REDIRECT, codeVerifier: createPkce().verifier }),
      (e) => {
        assert.equal(e.oauth2Error, 'invalid_grant');
        assert.equal(e.status, 400);
        assert.match(e.message, /PKCE verifier does not match/);
        assert.match(e.message, /start the sign-in again/);
      },
    );
  });

  it('a missing verifier, a reused code and another redirect URI are refused', async () => {
    const a = await authorize();
    await rejectsWith(exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: a.code, redirectUri: REDIRECT }), (e) => {
      assert.equal(e.oauth2Error, 'invalid_grant');
      assert.match(e.message, /code_verifier is required/);
    });
    const b = await authorize();
    await rejectsWith(exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: b.code, redirectUri: 'http://127.0.0.1:1/other', codeVerifier: b.pkce.verifier }), (e) => {
      assert.equal(e.oauth2Error, 'invalid_grant');
      assert.match(e.message, /redirect_uri does not match/);
    });
    const c = await authorize();
    await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: c.code, redirectUri: REDIRECT, codeVerifier: c.pkce.verifier });
    await rejectsWith(exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: c.code, redirectUri: REDIRECT, codeVerifier: c.pkce.verifier }), (e) => {
      assert.equal(e.oauth2Error, 'invalid_grant');
      assert.match(e.message, /already been used/);
    });
  });

  it('a wrong client secret => invalid_client, check the application link', async () => {
    const { code, pkce } = await authorize();
    await rejectsWith(exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: 'nope', code, redirectUri: REDIRECT, codeVerifier: pkce.verifier }), (e) => {
      assert.equal(e.oauth2Error, 'invalid_client');
      assert.equal(e.status, 401);
      assert.match(e.message, /check the client id\/secret in the Jira application link/);
      assert.ok(!e.message.includes('nope'));
    });
  });

  it('refresh rotates the refresh token; the old one reused => invalid_grant, sign in again, family revoked', async () => {
    const { code, pkce } = await authorize();
    const t1 = await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    const calls = emu.oauth2.stats.refreshCalls;
    const t2 = await refreshAccessToken({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: t1.refreshToken! });
    assert.equal(emu.oauth2.stats.refreshCalls, calls + 1);
    assert.notEqual(t2.accessToken, t1.accessToken);
    assert.ok(t2.refreshToken);
    assert.notEqual(t2.refreshToken, t1.refreshToken);
    const jira2 = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', accessToken: t2.accessToken } });
    await jira2.request('GET', '/rest/api/2/myself');

    await rejectsWith(refreshAccessToken({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: t1.refreshToken! }), (e) => {
      assert.equal(e.code, 'oauth2_error');
      assert.equal(e.oauth2Error, 'invalid_grant');
      assert.match(e.message, /sign in again/);
    });
    // Reuse revoked the family: the newest tokens are dead too.
    await rejectsWith(jira2.request('GET', '/rest/api/2/myself'), (e) => assert.equal(e.code, 'unauthorized'));
    await rejectsWith(refreshAccessToken({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: t2.refreshToken! }), (e) => assert.equal(e.oauth2Error, 'invalid_grant'));
  });

  it('a token URL that does not exist => not_found (Jira\'s 404), not a token error', async () => {
    await rejectsWith(
      exchangeCode({ endpoints: { authorize: `${emu.url}/`, token: `${emu.url}/nowhere` }, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: 'c', redirectUri: REDIRECT }),
      (e) => assert.equal(e.code, 'not_found'),
    );
  });
});

describe('oauth2: refresh without rotation keeps the refresh token', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ issueCount: 5, oauth2RotateRefreshTokens: false });
  });
  after(() => emu.close());

  it('keeps the old refresh token when none is returned', async () => {
    const endpoints = dataCenterEndpoints(emu.url);
    const state = randomState();
    const pkce = createPkce();
    const { code } = parseRedirect(await consent(buildAuthorizeUrl({ endpoints, clientId: CLIENT_ID, redirectUri: REDIRECT, scopes: ['READ'], state, pkce })), state);
    const t1 = await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    const t2 = await refreshAccessToken({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: t1.refreshToken! });
    assert.equal(t2.refreshToken, t1.refreshToken);
    assert.notEqual(t2.accessToken, t1.accessToken);
    const t3 = await refreshAccessToken({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: t2.refreshToken! });
    assert.equal(t3.refreshToken, t1.refreshToken);
  });
});

describe('oauth2: Cloud 3LO against the emulator', () => {
  let emu: Emulator;
  let endpoints: OAuth2Endpoints;
  before(async () => {
    emu = await startEmulator({ issueCount: 10, deploymentType: 'Cloud' });
    endpoints = cloudEndpoints(emu.cloudEndpoints);
  });
  after(() => emu.close());

  async function signIn(scopes = ['read:jira-work', 'read:jira-user', 'offline_access']): Promise<string> {
    const state = randomState();
    const url = buildAuthorizeUrl({ endpoints, clientId: CLIENT_ID, redirectUri: REDIRECT, scopes, state, extra: { ...CLOUD_AUTHORIZE_EXTRA } });
    return parseRedirect(await consent(url), state).code;
  }

  it('without a client secret => a clear error before any network call', async () => {
    const code = await signIn();
    const calls = emu.oauth2.stats.tokenCalls;
    await rejectsWith(exchangeCode({ endpoints, clientId: CLIENT_ID, code, redirectUri: REDIRECT }), (e) => {
      assert.equal(e.oauth2Error, 'invalid_client');
      assert.match(e.message, /requires the client secret/);
      assert.match(e.message, /Atlassian developer console/);
    });
    assert.equal(emu.oauth2.stats.tokenCalls, calls, 'no token call was made');
  });

  it('exchanges the code, lists two accessible sites, and calls the REST API under /ex/jira/{cloudId}', async () => {
    const code = await signIn();
    const t = await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri: REDIRECT });
    assert.ok(t.refreshToken, 'offline_access gives a refresh token');
    assert.equal(t.accessToken.split('.').length, 3, 'a JWT');
    const sites = await accessibleResources({ endpoints, accessToken: t.accessToken });
    assert.equal(sites.length, 2);
    for (const s of sites) {
      assert.match(s.id, /^[0-9a-f-]{36}$/);
      assert.match(s.url, /^https:\/\/.+\.atlassian\.net$/);
      assert.ok(s.scopes.includes('read:jira-work'));
      assert.ok(!s.scopes.includes('offline_access'));
    }
    const jira = createJiraClient({ baseUrl: cloudApiBaseUrl(endpoints, sites[1].id), auth: { type: 'oauth2', accessToken: t.accessToken } });
    const me = await jira.request<{ emailAddress: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.emailAddress, 'admin@example.com');
    const info = await jira.request<{ deploymentType: string }>('GET', '/rest/api/2/serverInfo');
    assert.equal(info.body.deploymentType, 'Cloud');
  });

  it('without offline_access there is no refresh token', async () => {
    const code = await signIn(['read:jira-work']);
    const t = await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri: REDIRECT });
    assert.equal(t.refreshToken, undefined);
  });

  it('a 3LO token does not work on the site URL itself or on an unknown cloudId', async () => {
    const t = await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: await signIn(), redirectUri: REDIRECT });
    const direct = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth2', accessToken: t.accessToken } });
    await rejectsWith(direct.request('GET', '/rest/api/2/myself'), (e) => assert.equal(e.code, 'unauthorized'));
    const unknown = createJiraClient({ baseUrl: `${emu.url}/ex/jira/00000000-0000-0000-0000-000000000000`, auth: { type: 'oauth2', accessToken: t.accessToken } });
    await rejectsWith(unknown.request('GET', '/rest/api/2/myself'), (e) => assert.equal(e.code, 'not_found'));
  });

  it('refresh rotates; reusing the old refresh token => invalid_grant', async () => {
    const t1 = await exchangeCode({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code: await signIn(), redirectUri: REDIRECT });
    const t2 = await refreshAccessToken({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: t1.refreshToken! });
    assert.notEqual(t2.refreshToken, t1.refreshToken);
    await rejectsWith(refreshAccessToken({ endpoints, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: t1.refreshToken! }), (e) => {
      assert.equal(e.oauth2Error, 'invalid_grant');
      assert.match(e.message, /sign in again/);
    });
  });

  it('accessible resources with a bad token => unauthorized', async () => {
    await rejectsWith(accessibleResources({ endpoints, accessToken: 'not-a-token' }), (e) => assert.equal(e.code, 'unauthorized'));
    await rejectsWith(accessibleResources({ endpoints: dataCenterEndpoints(emu.url), accessToken: 'x' }), (e) => assert.match(e.message, /not Jira Cloud endpoints/));
  });
});
