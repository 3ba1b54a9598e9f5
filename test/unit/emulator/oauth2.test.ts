// The emulator's OAuth 2.0 providers (Data Center /rest/oauth2/latest/*, Cloud 3LO), Cloud API
// tokens, and Basic's CAPTCHA lock-out / disabled Basic, over raw HTTP (helpers.http) so that the
// emulator is checked independently of the core library.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createJiraClient, JiraError } from '../../../src/core';
import { parseArgs } from '../../emulator/cli';
import { Emulator, startEmulator } from '../../emulator';
import { http, Res } from './helpers';

const REDIRECT = 'http://127.0.0.1:45678/callback';

function q(params: Record<string, string | undefined>): string {
  return Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`).join('&');
}

function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /<input type="hidden" name="([^"]*)" value="([^"]*)">/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html)) !== null) out[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  return out;
}

function form(body: Record<string, string | undefined>): { method: string; headers: Record<string, string>; body: string } {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: q(body) };
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function location(r: Res): URL {
  assert.equal(r.status, 302, r.body.slice(0, 300));
  return new URL(r.headers.location as string);
}

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

describe('emulator: Data Center OAuth 2.0', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      issueCount: 5,
      oauth2AccessTokenTtlSeconds: 120,
      oauth2Clients: [
        { clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret', name: 'VS Code Jira' },
        { clientId: 'public-app' },
        { clientId: 'strict', clientSecret: 's', redirectUris: ['https://app.example.com/cb'] },
      ],
    });
  });
  after(() => emu.close());

  const authorizeUrl = (p: Record<string, string | undefined>): string =>
    `${emu.url}/rest/oauth2/latest/authorize?${q({ client_id: 'vscode-jira', redirect_uri: REDIRECT, response_type: 'code', scope: 'READ WRITE', state: 'st-1', ...p })}`;

  /** GET the consent page and submit it; returns the redirect. */
  async function decide(p: Record<string, string | undefined>, decision: 'allow' | 'deny'): Promise<URL> {
    const page = await http(authorizeUrl(p));
    assert.equal(page.status, 200, page.body.slice(0, 300));
    return location(await http(`${emu.url}/rest/oauth2/latest/authorize`, form({ ...hiddenFields(page.body), decision })));
  }

  async function token(body: Record<string, string | undefined>): Promise<{ status: number; json: Record<string, unknown> }> {
    const r = await http(`${emu.url}/rest/oauth2/latest/token`, form(body));
    return { status: r.status, json: JSON.parse(r.body) as Record<string, unknown> };
  }

  it('shows a Jira-like consent page: the app, the logged-in user, the scopes, Allow and Deny', async () => {
    const page = await http(authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Allow access - Jira Emulator<\/title>/);
    assert.match(page.body, /VS Code Jira<\/span> wants to access your Jira account/);
    assert.match(page.body, /id="oauth2-user">Alice Admin</);
    assert.match(page.body, /data-scope="READ"/);
    assert.match(page.body, /data-scope="WRITE"/);
    assert.match(page.body, /id="approve"/);
    assert.match(page.body, /id="deny"/);
  });

  it('Allow redirects with code and state; Deny with error=access_denied and state', async () => {
    const ok = await decide({}, 'allow');
    assert.equal(ok.origin + ok.pathname, REDIRECT);
    assert.ok(ok.searchParams.get('code'));
    assert.equal(ok.searchParams.get('state'), 'st-1');
    const denied = await decide({ state: 'st-2' }, 'deny');
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('state'), 'st-2');
    assert.equal(denied.searchParams.get('code'), null);
    assert.ok(emu.oauth2.stats.denials >= 1);
  });

  it('an unknown client id or an unregistered redirect URI => an error page, never a redirect', async () => {
    const bad = [
      authorizeUrl({ client_id: 'nobody' }),
      authorizeUrl({ redirect_uri: 'https://evil.example.com/cb' }),
      authorizeUrl({ redirect_uri: 'http://127.0.0.1.evil.example.com/cb' }),
      authorizeUrl({ client_id: 'strict', redirect_uri: REDIRECT }),
    ];
    for (const u of bad) {
      const r = await http(u);
      assert.equal(r.status, 400, u);
      assert.equal(r.headers.location, undefined);
      assert.match(r.body, /id="oauth2-error"/);
    }
    assert.match((await http(authorizeUrl({ client_id: 'nobody' }))).body, /no OAuth 2.0 integration with the client id &#39;nobody&#39;/);
  });

  it('allows loopback on any port and vscode:// redirect URIs by default', async () => {
    for (const uri of ['http://127.0.0.1:1/', 'http://127.0.0.1:65000/cb?x=1', 'http://localhost:3000/callback', 'vscode://jira-auth-project.jira-auth/oauth2']) {
      const r = await http(authorizeUrl({ redirect_uri: uri }));
      assert.equal(r.status, 200, uri);
    }
  });

  it('bad scope and response type come back as redirect errors', async () => {
    const s = location(await http(authorizeUrl({ scope: 'READ DELETE_EVERYTHING' })));
    assert.equal(s.searchParams.get('error'), 'invalid_scope');
    assert.equal(s.searchParams.get('state'), 'st-1');
    const t = location(await http(authorizeUrl({ response_type: 'token' })));
    assert.equal(t.searchParams.get('error'), 'unsupported_response_type');
  });

  it('a public client must use PKCE', async () => {
    const r = location(await http(authorizeUrl({ client_id: 'public-app' })));
    assert.equal(r.searchParams.get('error'), 'invalid_request');
    assert.match(r.searchParams.get('error_description')!, /PKCE/);
  });

  it('the consent form checks the XSRF token', async () => {
    const page = await http(authorizeUrl({}));
    const fields = hiddenFields(page.body);
    const r = await http(`${emu.url}/rest/oauth2/latest/authorize`, form({ ...fields, atl_token: 'wrong', decision: 'allow' }));
    assert.equal(r.status, 403);
    assert.equal(r.headers.location, undefined);
  });

  it('exchanges a code with PKCE S256 (form body), and the token works as Bearer', async () => {
    const p = pkce();
    const code = (await decide({ code_challenge: p.challenge, code_challenge_method: 'S256' }, 'allow')).searchParams.get('code')!;
    const wrong = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret', code_verifier: pkce().verifier });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error, 'invalid_grant');
    assert.match(String(wrong.json.error_description), /PKCE verification failed/);
    // The failed attempt did not burn the code.
    const ok = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret', code_verifier: p.verifier });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.equal(ok.json.token_type, 'Bearer');
    assert.equal(ok.json.expires_in, 120);
    assert.equal(ok.json.scope, 'READ WRITE');
    const me = await http(`${emu.url}/rest/api/2/myself`, { headers: { authorization: `Bearer ${ok.json.access_token as string}` } });
    assert.equal(me.status, 200);
    assert.equal(JSON.parse(me.body).name, 'admin');
    assert.equal(emu.requests[emu.requests.length - 1].auth, 'oauth2');
    assert.ok(emu.issuedTokens().includes(ok.json.access_token as string));
    assert.ok(emu.issuedTokens().includes(ok.json.refresh_token as string));
    assert.ok(emu.issuedTokens().includes(code));
    assert.ok(emu.issuedTokens().includes('vscode-jira-secret'), 'client secrets are listed for leak scans');
  });

  it('a public client exchanges with PKCE and no secret; client authentication by HTTP Basic works too', async () => {
    const p = pkce();
    const code = (await decide({ client_id: 'public-app', code_challenge: p.challenge, code_challenge_method: 'S256' }, 'allow')).searchParams.get('code')!;
    const ok = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'public-app', code_verifier: p.verifier });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    const code2 = (await decide({}, 'allow')).searchParams.get('code')!;
    const r = await http(`${emu.url}/rest/oauth2/latest/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic('vscode-jira', 'vscode-jira-secret') },
      body: q({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT }),
    });
    assert.equal(r.status, 200, r.body);
  });

  it('token endpoint errors: unknown client 401, missing secret 401, unsupported grant 400', async () => {
    const a = await token({ grant_type: 'authorization_code', code: 'x', client_id: 'nobody' });
    assert.equal(a.status, 401);
    assert.equal(a.json.error, 'invalid_client');
    const b = await token({ grant_type: 'authorization_code', code: 'x', client_id: 'vscode-jira' });
    assert.equal(b.status, 401);
    assert.equal(b.json.error, 'invalid_client');
    const c = await token({ grant_type: 'password', client_id: 'vscode-jira', client_secret: 'vscode-jira-secret', username: 'admin', password: 'admin' });
    assert.equal(c.status, 400);
    assert.equal(c.json.error, 'unsupported_grant_type');
  });

  it('rotating refresh: new pair each time, counters, reuse => invalid_grant and the family revoked; expire now => 401', async () => {
    const code = (await decide({}, 'allow')).searchParams.get('code')!;
    const t1 = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret' })).json;
    const stats = { ...emu.oauth2.stats };
    const t2 = await token({ grant_type: 'refresh_token', refresh_token: t1.refresh_token as string, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret' });
    assert.equal(t2.status, 200);
    assert.notEqual(t2.json.refresh_token, t1.refresh_token);
    assert.notEqual(t2.json.access_token, t1.access_token);
    assert.equal(emu.oauth2.stats.refreshCalls, stats.refreshCalls + 1);
    assert.equal(emu.oauth2.stats.refreshes, stats.refreshes + 1);
    assert.equal(emu.oauth2.stats.tokenCalls, stats.tokenCalls + 1);

    const bearer = (t: unknown): Record<string, string> => ({ authorization: `Bearer ${t as string}` });
    assert.equal(emu.oauth2.expireAccessTokens(t2.json.access_token as string), 1);
    const expired = await http(`${emu.url}/rest/api/2/myself`, { headers: bearer(t2.json.access_token) });
    assert.equal(expired.status, 401);
    assert.match(expired.body, /access token has expired/);

    const t3 = await token({ grant_type: 'refresh_token', refresh_token: t2.json.refresh_token as string, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret' });
    assert.equal((await http(`${emu.url}/rest/api/2/myself`, { headers: bearer(t3.json.access_token) })).status, 200);
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: t1.refresh_token as string, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret' });
    assert.equal(reuse.status, 400);
    assert.equal(reuse.json.error, 'invalid_grant');
    assert.equal(emu.oauth2.stats.refreshReuse, stats.refreshReuse + 1);
    assert.equal((await http(`${emu.url}/rest/api/2/myself`, { headers: bearer(t3.json.access_token) })).status, 401, 'the family is revoked');
    const after = await token({ grant_type: 'refresh_token', refresh_token: t3.json.refresh_token as string, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret' });
    assert.equal(after.json.error, 'invalid_grant');
  });

  it('setTtl changes the lifetime of new tokens; an expired refresh token => invalid_grant', async () => {
    emu.oauth2.setTtl({ accessSeconds: 5, refreshSeconds: 0 });
    try {
      const code = (await decide({}, 'allow')).searchParams.get('code')!;
      const t = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret' })).json;
      assert.equal(t.expires_in, 5);
      const r = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token as string, client_id: 'vscode-jira', client_secret: 'vscode-jira-secret' });
      assert.equal(r.json.error, 'invalid_grant');
      assert.match(String(r.json.error_description), /expired/);
    } finally {
      emu.oauth2.setTtl({ accessSeconds: 120, refreshSeconds: 3600 });
    }
  });

  it('the Cloud 3LO endpoints do not exist outside Cloud mode', async () => {
    assert.equal((await http(`${emu.url}/oauth/token`, form({ grant_type: 'x' }))).status, 404);
    assert.equal((await http(`${emu.url}/.well-known/jwks.json`)).status, 404);
  });
});

describe('emulator: Cloud 3LO', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ issueCount: 5, deploymentType: 'Cloud', apiTokens: { 'api-token-1': 'bob' } });
  });
  after(() => emu.close());

  const authorizeUrl = (p: Record<string, string | undefined> = {}): string =>
    `${emu.url}/authorize?${q({ audience: 'api.atlassian.com', client_id: 'vscode-jira', scope: 'read:jira-work offline_access', redirect_uri: REDIRECT, state: 'c1', response_type: 'code', prompt: 'consent', ...p })}`;

  async function code(): Promise<string> {
    const page = await http(authorizeUrl());
    assert.equal(page.status, 200, page.body.slice(0, 300));
    assert.match(page.body, /is requesting access to your Atlassian account/);
    assert.equal((page.body.match(/class="cloud-site"/g) ?? []).length, 2);
    const loc = location(await http(`${emu.url}/authorize`, form({ ...hiddenFields(page.body), decision: 'allow' })));
    assert.equal(loc.searchParams.get('state'), 'c1');
    return loc.searchParams.get('code')!;
  }

  it('requires audience=api.atlassian.com (error page, no redirect)', async () => {
    const r = await http(authorizeUrl({ audience: undefined }));
    assert.equal(r.status, 400);
    assert.equal(r.headers.location, undefined);
    assert.match(r.body, /audience must be/);
  });

  it('the token endpoint requires the client secret, takes JSON, and issues a JWT usable under /ex/jira/{cloudId}', async () => {
    const c = await code();
    const noSecret = await http(`${emu.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', client_id: 'vscode-jira', code: c, redirect_uri: REDIRECT }) });
    assert.equal(noSecret.status, 401);
    assert.equal(JSON.parse(noSecret.body).error, 'invalid_client');
    const r = await http(`${emu.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', client_id: 'vscode-jira', client_secret: 'vscode-jira-secret', code: c, redirect_uri: REDIRECT }) });
    assert.equal(r.status, 200, r.body);
    const t = JSON.parse(r.body) as { access_token: string; refresh_token: string };
    assert.equal(t.access_token.split('.').length, 3);
    const sites = JSON.parse((await http(`${emu.url}/oauth/token/accessible-resources`, { headers: { authorization: `Bearer ${t.access_token}` } })).body) as Array<{ id: string }>;
    assert.equal(sites.length, 2);
    const me = await http(`${emu.url}/ex/jira/${sites[0].id}/rest/api/2/myself`, { headers: { authorization: `Bearer ${t.access_token}` } });
    assert.equal(me.status, 200);
    assert.equal(JSON.parse(me.body).name, 'admin');
    const jwks = JSON.parse((await http(`${emu.url}/.well-known/jwks.json`)).body) as { keys: Array<{ kid: string; alg: string; kty: string }> };
    assert.equal(jwks.keys[0].alg, 'RS256');
    assert.equal(jwks.keys[0].kty, 'RSA');
    const header = JSON.parse(Buffer.from(t.access_token.split('.')[0], 'base64url').toString()) as { kid: string };
    assert.equal(header.kid, jwks.keys[0].kid);
  });

  it('the Data Center endpoints do not exist in Cloud mode', async () => {
    assert.equal((await http(`${emu.url}/rest/oauth2/latest/token`, form({ grant_type: 'x' }))).status, 404);
  });

  it('API tokens: Basic email:token works on the Cloud REST API; a password or another e-mail does not', async () => {
    const ok = createJiraClient({ baseUrl: emu.url, auth: { type: 'basic', username: 'bob@example.com', password: 'api-token-1' } });
    const me = await ok.request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.name, 'bob');
    assert.equal((await http(`${emu.url}/rest/api/2/myself`, { headers: basic('bob', 'bob') })).status, 401, 'no passwords on Cloud');
    assert.equal((await http(`${emu.url}/rest/api/2/myself`, { headers: basic('admin@example.com', 'api-token-1') })).status, 401, 'the token is bob\'s');
  });
});

describe('emulator: Basic CAPTCHA lock-out and disabled Basic', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ issueCount: 5 });
  });
  after(() => emu.close());

  it('after 3 wrong passwords, even the right one gets 401 with X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE until reset', async () => {
    const url = `${emu.url}/rest/api/2/myself`;
    for (let i = 0; i < 3; i++) {
      const r = await http(url, { headers: basic('bob', 'wrong') });
      assert.equal(r.status, 401);
      assert.equal(r.headers['x-seraph-loginreason'], 'AUTHENTICATED_FAILED');
      assert.equal(r.headers['x-authentication-denied-reason'], undefined);
    }
    const locked = await http(url, { headers: basic('bob', 'bob') });
    assert.equal(locked.status, 401);
    assert.equal(locked.headers['x-authentication-denied-reason'], `CAPTCHA_CHALLENGE; login-url=${emu.url}/login.jsp`);
    assert.equal(locked.headers['x-seraph-loginreason'], 'AUTHENTICATION_DENIED');
    // Another user is not affected.
    assert.equal((await http(url, { headers: basic('admin', 'admin') })).status, 200);
    // The core names it.
    const jira = createJiraClient({ baseUrl: emu.url, auth: { type: 'basic', username: 'bob', password: 'bob' } });
    await assert.rejects(jira.request('GET', '/rest/api/2/myself'), (e: JiraError) => {
      assert.equal(e.code, 'captcha_required');
      assert.match(e.message, /Log in to .* once in a browser/);
      return true;
    });
    emu.resetCaptcha('bob');
    assert.equal((await http(url, { headers: basic('bob', 'bob') })).status, 200);
  });

  it('a success resets the count of wrong passwords', async () => {
    const url = `${emu.url}/rest/api/2/myself`;
    for (let round = 0; round < 3; round++) {
      assert.equal((await http(url, { headers: basic('admin', 'x') })).status, 401);
      assert.equal((await http(url, { headers: basic('admin', 'x') })).status, 401);
      assert.equal((await http(url, { headers: basic('admin', 'admin') })).status, 200);
    }
  });

  it('basicMaxFailures 0 never locks; basicAuth false answers 401 without the CAPTCHA header', async () => {
    const never = await startEmulator({ issueCount: 5, basicMaxFailures: 0 });
    const off = await startEmulator({ issueCount: 5, basicAuth: false });
    try {
      for (let i = 0; i < 5; i++) await http(`${never.url}/rest/api/2/myself`, { headers: basic('bob', 'wrong') });
      assert.equal((await http(`${never.url}/rest/api/2/myself`, { headers: basic('bob', 'bob') })).status, 200);
      const r = await http(`${off.url}/rest/api/2/myself`, { headers: basic('bob', 'bob') });
      assert.equal(r.status, 401);
      assert.equal(r.headers['x-authentication-denied-reason'], undefined);
      assert.match(r.body, /Basic Authentication has been disabled/);
    } finally {
      await never.close();
      await off.close();
    }
  });
});

describe('emulator CLI: OAuth 2.0, Cloud, API token and Basic options', () => {
  it('parses --oauth2-client, TTLs, --no-oauth2-rotate, --cloud, --api-token, --basic-max-failures', () => {
    const o = parseArgs([
      '--oauth2-client', 'app:sec:http://127.0.0.1:*,vscode://',
      '--oauth2-client=pub::https://x.example.com/cb',
      '--oauth2-client', 'plain:s2',
      '--oauth2-access-ttl', '30', '--oauth2-refresh-ttl=600', '--no-oauth2-rotate',
      '--cloud', '--api-token', 'tok=bob', '--basic-max-failures', '5',
    ]);
    assert.deepEqual(o.oauth2Clients, [
      { clientId: 'app', clientSecret: 'sec', redirectUris: ['http://127.0.0.1:*', 'vscode://'] },
      { clientId: 'pub', clientSecret: undefined, redirectUris: ['https://x.example.com/cb'] },
      { clientId: 'plain', clientSecret: 's2', redirectUris: undefined },
    ]);
    assert.equal(o.oauth2AccessTokenTtlSeconds, 30);
    assert.equal(o.oauth2RefreshTokenTtlSeconds, 600);
    assert.equal(o.oauth2RotateRefreshTokens, false);
    assert.equal(o.deploymentType, 'Cloud');
    assert.deepEqual(o.apiTokens, { tok: 'bob' });
    assert.equal(o.basicMaxFailures, 5);
  });

  it('refuses malformed values with what to write', () => {
    assert.throws(() => parseArgs(['--oauth2-client', 'nocolon']), /--oauth2-client needs ID:SECRET/);
    assert.throws(() => parseArgs(['--api-token', 'tok']), /--api-token needs TOKEN=user/);
    assert.throws(() => parseArgs(['--oauth2-access-ttl', 'soon']), /needs a number/);
    assert.throws(() => parseArgs(['--deployment-type', 'Mainframe']), /Server, DataCenter or Cloud/);
  });
});
