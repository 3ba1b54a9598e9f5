// The OAuth 1.0a provider at the HTTP level, driven by the independent test signer in helpers.ts.
import * as assert from 'node:assert/strict';
import { KeyObject } from 'node:crypto';
import { startEmulator, Emulator } from '../../emulator';
import {
  Dance, decide, enc, exchange, formInputs, formResponse, fullDance, getRequestToken, http, json, restGet, rsaKeyPair, signedHttp,
  signRequest, verifierFrom,
} from './helpers';
import { resolveInPage } from '../pageLinks';

const KEY = 'vscode-test';
const now = () => Math.floor(Date.now() / 1000);

function problem(res: { status: number; body: string }): string | undefined {
  return formResponse(res.body).oauth_problem;
}

describe('emulator OAuth 1.0a provider', () => {
  let privateKey: KeyObject;
  let publicPem: string;
  let other: KeyObject;
  let emu: Emulator;
  let d: Dance;

  before(async () => {
    const [a, b] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
    privateKey = a.privateKey;
    publicPem = a.publicPem;
    other = b.privateKey;
  });
  beforeEach(async () => {
    emu = await startEmulator({ links: [{ consumerKey: KEY, name: 'VS Code Jira', publicKeyPem: publicPem }] });
    d = { base: emu.url, consumerKey: KEY, privateKey };
  });
  afterEach(async () => { await emu.close(); });

  describe('the three-legged dance', () => {
    it('request token -> Allow on the page -> verification code -> access token -> signed REST as that user', async () => {
      const rt = await getRequestToken(d);
      assert.equal(rt.res.status, 200);
      assert.match(rt.res.headers['content-type'] as string, /^text\/plain/);
      const f = formResponse(rt.res.body);
      assert.deepEqual(Object.keys(f), ['oauth_token', 'oauth_token_secret', 'oauth_callback_confirmed']);
      assert.equal(f.oauth_callback_confirmed, 'true');
      assert.match(rt.token, /^[A-Za-z0-9]{32}$/);

      const page = await http(`${emu.url}/plugins/servlet/oauth/authorize?oauth_token=${rt.token}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Welcome to Jira, Alice Admin/);
      assert.match(page.body, /logged in as/);
      assert.match(page.body, /VS Code Jira<\/strong> would like to access your Jira account/);
      assert.match(page.body, /id="approve"/);
      assert.match(page.body, /id="deny"/);
      assert.equal(formInputs(page.body, 'oauth-authorize-form').oauth_token, rt.token);

      const { res } = await decide(d, rt.token, 'approve');
      assert.equal(res.status, 200);
      const code = verifierFrom(res.body);
      assert.match(code, /^[A-Za-z0-9]{6,}$/);
      assert.match(res.body, new RegExp(`<code id="verification-code">${code}</code>`));
      assert.match(res.body, /Go back to VS Code Jira/);

      const at = await exchange(d, rt.token, code);
      assert.equal(at.res.status, 200, at.res.body);
      assert.deepEqual(Object.keys(at.fields), ['oauth_token', 'oauth_token_secret', 'oauth_expires_in', 'oauth_session_handle', 'oauth_authorization_expires_in']);
      assert.equal(at.fields.oauth_expires_in, String(5 * 365 * 24 * 3600));
      assert.ok(Number(at.fields.oauth_authorization_expires_in) > Number(at.fields.oauth_expires_in));
      assert.notEqual(at.token, rt.token);

      const me = await restGet(d, at.token, '/rest/api/2/myself');
      assert.equal(me.status, 200, me.body);
      assert.equal(json(me).name, 'admin');
      assert.equal(json(me).displayName, 'Alice Admin');
      const last = emu.requests[emu.requests.length - 1];
      assert.deepEqual([last.auth, last.user, last.status, last.path], ['oauth1', 'admin', 200, '/rest/api/2/myself']);

      const issued = emu.issuedTokens();
      for (const v of [rt.token, rt.secret, code, at.token, at.secret, at.fields.oauth_session_handle]) assert.ok(issued.includes(v), `issuedTokens lacks ${v.slice(0, 4)}...`);
    });

    it('a signed REST call acts as the user who approved (browserUser bob)', async () => {
      await emu.close();
      emu = await startEmulator({ browserUser: 'bob', links: [{ consumerKey: KEY, publicKeyPem: publicPem }] });
      d = { ...d, base: emu.url };
      const at = await fullDance(d);
      const me = await restGet(d, at.token, '/rest/api/2/myself');
      assert.equal(json(me).name, 'bob');
    });

    it('accepts the OAuth parameters in the query string or in the form body as well', async () => {
      const viaQuery = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, placement: 'query' });
      assert.equal(viaQuery.status, 200, viaQuery.body);
      const viaBody = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, placement: 'body' });
      assert.equal(viaBody.status, 200, viaBody.body);
    });

    it('signs query and form parameters: the echo endpoint shows what was decoded', async () => {
      const at = await fullDance(d);
      const res = await signedHttp({
        method: 'POST', url: `${emu.url}/rest/emulator/1.0/echo?q=a+b&x=%E2%98%83&x=1&empty`, consumerKey: KEY, privateKey, token: at.token,
        form: [['f', 'one two'], ['g', '+&=']],
      });
      assert.equal(res.status, 200, res.body);
      const e = json(res);
      assert.equal(e.user, 'admin');
      assert.deepEqual(e.query, [['q', 'a b'], ['x', '☃'], ['x', '1'], ['empty', '']]);
      assert.deepEqual(e.form, [['f', 'one two'], ['g', '+&=']]);
      assert.equal(e.json, null);
    });

    it('a JSON body is not signed (and is echoed back)', async () => {
      const at = await fullDance(d);
      const s = signRequest({ method: 'POST', url: `${emu.url}/rest/emulator/1.0/echo`, consumerKey: KEY, privateKey, token: at.token });
      const res = await http(s.url, { method: 'POST', headers: { ...s.headers, 'Content-Type': 'application/json' }, body: '{"a":[1,"x=y"]}' });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(json(res).json, { a: [1, 'x=y'] });
      assert.equal(json(res).form, null);
    });

    it('with a real callback, Allow redirects with oauth_token and oauth_verifier', async () => {
      const rt = await getRequestToken(d, 'http://127.0.0.1:9/cb?state=x');
      assert.equal(rt.res.status, 200);
      const { res } = await decide(d, rt.token, 'approve');
      assert.equal(res.status, 302);
      const loc = new URL(res.headers.location as string);
      assert.equal(loc.origin + loc.pathname, 'http://127.0.0.1:9/cb');
      assert.equal(loc.searchParams.get('state'), 'x');
      assert.equal(loc.searchParams.get('oauth_token'), rt.token);
      const verifier = loc.searchParams.get('oauth_verifier') as string;
      assert.match(verifier, /^[A-Za-z0-9]{6,}$/);
      assert.equal((await exchange(d, rt.token, verifier)).res.status, 200);
    });

    it('renews an access token with oauth_session_handle; the old one stops working', async () => {
      const at = await fullDance(d);
      const renewed = await signedHttp({
        method: 'POST', url: `${emu.url}/plugins/servlet/oauth/access-token`, consumerKey: KEY, privateKey, token: at.token,
        oauth: { oauth_session_handle: at.fields.oauth_session_handle },
      });
      assert.equal(renewed.status, 200, renewed.body);
      const f = formResponse(renewed.body);
      assert.equal(f.oauth_session_handle, at.fields.oauth_session_handle);
      assert.equal((await restGet(d, f.oauth_token, '/rest/api/2/myself')).status, 200);
      assert.equal(problem(await restGet(d, at.token, '/rest/api/2/myself')), 'token_rejected');
    });
  });

  describe('problems, the Jira way', () => {
    it('signature_invalid: a query value changed after signing', async () => {
      const at = await fullDance(d);
      const s = signRequest({ method: 'GET', url: `${emu.url}/rest/api/2/search?jql=project%3DDEMO&maxResults=5`, consumerKey: KEY, privateKey, token: at.token });
      const ok = await http(s.url, { headers: s.headers });
      assert.equal(ok.status, 200);
      const s2 = signRequest({ method: 'GET', url: `${emu.url}/rest/api/2/search?jql=project%3DDEMO&maxResults=5`, consumerKey: KEY, privateKey, token: at.token });
      const tampered = await http(s2.url.replace('maxResults=5', 'maxResults=6'), { headers: s2.headers });
      assert.equal(tampered.status, 401);
      assert.equal(tampered.body, 'oauth_problem=signature_invalid');
      assert.match(tampered.headers['content-type'] as string, /^application\/x-www-form-urlencoded/);
      assert.equal(tampered.headers['www-authenticate'], `OAuth realm="${enc(emu.url)}", oauth_problem="signature_invalid"`);
      assert.doesNotMatch(tampered.body + String(tampered.headers['www-authenticate']), /oauth_signature/);
      const entry = emu.requests[emu.requests.length - 1];
      assert.deepEqual([entry.status, entry.oauthProblem, entry.auth, entry.user], [401, 'signature_invalid', 'oauth1', undefined]);
    });

    it('signature_invalid: signed with another key, or for another method', async () => {
      const wrongKey = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey: other, oauth: { oauth_callback: 'oob' } });
      assert.equal(problem(wrongKey), 'signature_invalid');
      const s = signRequest({ method: 'GET', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } });
      const wrongMethod = await http(s.url, { method: 'POST', headers: s.headers });
      assert.equal(problem(wrongMethod), 'signature_invalid');
    });

    it('signature_invalid: an unencoded "+" in the header signature (decoded as a space, like Jira)', async () => {
      let s = signRequest({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } });
      while (!s.signature.includes('+')) s = signRequest({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } });
      const raw = s.headers.Authorization.replace(`oauth_signature="${enc(s.signature)}"`, `oauth_signature="${s.signature}"`);
      assert.notEqual(raw, s.headers.Authorization);
      assert.equal(problem(await http(s.url, { method: 'POST', headers: { Authorization: raw } })), 'signature_invalid');
    });

    it('timestamp_refused with oauth_acceptable_timestamps (±300 s around the emulator clock)', async () => {
      const res = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, timestamp: now() - 3600 });
      assert.equal(res.status, 401);
      const f = formResponse(res.body);
      assert.equal(f.oauth_problem, 'timestamp_refused');
      const [min, max] = f.oauth_acceptable_timestamps.split('-').map(Number);
      assert.ok(Math.abs(min - (now() - 300)) <= 2, `min ${min}`);
      assert.ok(Math.abs(max - (now() + 300)) <= 2, `max ${max}`);
      assert.match(res.headers['www-authenticate'] as string, /oauth_problem="timestamp_refused", oauth_acceptable_timestamps="\d+-\d+"$/);
    });

    it('timestamp_refused follows the clock skew, and a skewed signer recovers', async () => {
      emu.setClockSkew(3600);
      const res = await getRequestToken(d);
      const f = formResponse(res.res.body);
      assert.equal(f.oauth_problem, 'timestamp_refused');
      const min = Number(f.oauth_acceptable_timestamps.split('-')[0]);
      assert.ok(Math.abs(min - (now() + 3300)) <= 2);
      const retry = await getRequestToken({ ...d, skew: 3600 });
      assert.equal(retry.res.status, 200);
    });

    it('nonce_used: the same consumer + nonce + timestamp twice', async () => {
      const s = signRequest({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } });
      assert.equal((await http(s.url, { method: 'POST', headers: s.headers })).status, 200);
      const again = await http(s.url, { method: 'POST', headers: s.headers });
      assert.equal(again.status, 401);
      assert.equal(problem(again), 'nonce_used');
    });

    it('consumer_key_unknown: no link with that key (and after removeLink)', async () => {
      const res = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: 'nobody', privateKey, oauth: { oauth_callback: 'oob' } });
      assert.equal(res.status, 401);
      assert.equal(problem(res), 'consumer_key_unknown');
      emu.removeLink(KEY);
      assert.equal(problem((await getRequestToken(d)).res), 'consumer_key_unknown');
    });

    it('parameter_absent: a missing oauth_nonce / oauth_signature_method', async () => {
      const noNonce = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, omit: ['oauth_nonce'] });
      assert.equal(noNonce.status, 401);
      assert.deepEqual(formResponse(noNonce.body), { oauth_problem: 'parameter_absent', oauth_parameters_absent: 'oauth_nonce' });
      const noMethod = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, omit: ['oauth_signature_method'] });
      assert.deepEqual(formResponse(noMethod.body), { oauth_problem: 'parameter_absent', oauth_parameters_absent: 'oauth_signature_method' });
    });

    it('parameter_absent: no oauth_verifier at access-token', async () => {
      const rt = await getRequestToken(d);
      await decide(d, rt.token, 'approve');
      const res = await exchange(d, rt.token, undefined);
      assert.equal(res.res.status, 401);
      assert.equal(res.res.body, 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_verifier');
      assert.match(res.res.headers['www-authenticate'] as string, /oauth_problem="parameter_absent", oauth_parameters_absent="oauth_verifier"/);
    });

    it('parameter_rejected: a duplicated oauth_ parameter, or a callback that is not oob or an absolute http(s) URI', async () => {
      const s = signRequest({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } });
      const dup = await http(`${s.url}?oauth_nonce=again`, { method: 'POST', headers: s.headers });
      assert.equal(dup.status, 401);
      assert.deepEqual(formResponse(dup.body), { oauth_problem: 'parameter_rejected', oauth_parameters_rejected: 'oauth_nonce' });
      const badCb = await getRequestToken(d, 'javascript:alert(1)');
      const f = formResponse(badCb.res.body);
      assert.equal(f.oauth_problem, 'parameter_rejected');
      assert.equal(f.oauth_parameters_rejected, 'oauth_callback');
    });

    it('version_rejected: oauth_version other than 1.0 (net.oauth / Jira; with oauth_acceptable_versions)', async () => {
      const res = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, version: '2.0' });
      assert.equal(res.status, 401);
      assert.deepEqual(formResponse(res.body), { oauth_problem: 'version_rejected', oauth_acceptable_versions: '1.0-1.0' });
      const none = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, version: null });
      assert.equal(none.status, 200, 'oauth_version is optional');
    });

    it('signature_method_rejected: anything but RSA-SHA1', async () => {
      const res = await signedHttp({ method: 'POST', url: `${emu.url}/plugins/servlet/oauth/request-token`, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, signatureMethod: 'HMAC-SHA1' });
      assert.equal(res.status, 401);
      assert.deepEqual(formResponse(res.body), { oauth_problem: 'signature_method_rejected', oauth_acceptable_signature_methods: 'RSA-SHA1' });
    });

    it('permission_unknown: exchanging before the user decided', async () => {
      const rt = await getRequestToken(d);
      const res = await exchange(d, rt.token, 'abcdef');
      assert.equal(res.res.status, 401);
      assert.equal(problem(res.res), 'permission_unknown');
    });

    it('permission_denied: the user clicked Deny (oob shows "Access Denied")', async () => {
      const rt = await getRequestToken(d);
      const { res } = await decide(d, rt.token, 'deny');
      assert.equal(res.status, 200);
      assert.match(res.body, /Access Denied/);
      assert.match(res.body, /You have denied VS Code Jira access/);
      assert.doesNotMatch(res.body, /verification code/);
      const ex = await exchange(d, rt.token, 'denied');
      assert.equal(problem(ex.res), 'permission_denied');
    });

    it('Deny with a real callback redirects with oauth_verifier=denied', async () => {
      const rt = await getRequestToken(d, 'https://app.example/cb');
      const { res } = await decide(d, rt.token, 'deny');
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, `https://app.example/cb?oauth_token=${rt.token}&oauth_verifier=denied`);
    });

    it('token_rejected: a wrong verifier (the request token stays usable with the right one)', async () => {
      const rt = await getRequestToken(d);
      const { res } = await decide(d, rt.token, 'approve');
      const code = verifierFrom(res.body);
      const wrong = await exchange(d, rt.token, code === 'zzzzzz' ? 'yyyyyy' : 'zzzzzz');
      assert.equal(wrong.res.status, 401);
      assert.equal(problem(wrong.res), 'token_rejected');
      assert.equal((await exchange(d, rt.token, code)).res.status, 200);
    });

    it('token_rejected: unknown tokens, a request token used twice, a revoked access token, a request token on REST', async () => {
      assert.equal(problem((await exchange(d, 'no-such-token', 'abcdef')).res), 'token_rejected');
      const rt = await getRequestToken(d);
      const { res } = await decide(d, rt.token, 'approve');
      const code = verifierFrom(res.body);
      const at = await exchange(d, rt.token, code);
      assert.equal(at.res.status, 200);
      assert.equal(problem((await exchange(d, rt.token, code)).res), 'token_rejected', 'single use');
      assert.equal(problem(await restGet(d, rt.token, '/rest/api/2/myself')), 'token_rejected');
      assert.equal(problem(await restGet(d, 'made-up', '/rest/api/2/myself')), 'token_rejected');
      assert.equal((await restGet(d, at.token, '/rest/api/2/myself')).status, 200);
      emu.revokeAccessTokens(KEY);
      const revoked = await restGet(d, at.token, '/rest/api/2/myself');
      assert.equal(revoked.status, 401);
      assert.equal(problem(revoked), 'token_rejected');
    });

    it('token_expired: a request token older than requestTokenTtlSeconds', async () => {
      const rt = await getRequestToken(d);
      const { res } = await decide(d, rt.token, 'approve');
      const code = verifierFrom(res.body);
      emu.setClockSkew(601);
      const ex = await exchange({ ...d, skew: 601 }, rt.token, code);
      assert.equal(ex.res.status, 401);
      assert.equal(problem(ex.res), 'token_expired');
    });

    it('token_expired: an access token past accessTokenTtlSeconds; the authorize page refuses an expired request token', async () => {
      await emu.close();
      emu = await startEmulator({ accessTokenTtlSeconds: 60, requestTokenTtlSeconds: 30, links: [{ consumerKey: KEY, publicKeyPem: publicPem }] });
      d = { ...d, base: emu.url };
      const at = await fullDance(d);
      assert.equal(at.fields.oauth_expires_in, '60');
      emu.setClockSkew(61);
      const res = await restGet({ ...d, skew: 61 }, at.token, '/rest/api/2/myself');
      assert.equal(res.status, 401);
      assert.equal(problem(res), 'token_expired');
      const rt = await getRequestToken({ ...d, skew: 61 });
      emu.setClockSkew(100);
      const page = await http(`${emu.url}/plugins/servlet/oauth/authorize?oauth_token=${rt.token}`);
      assert.equal(page.status, 400);
      assert.match(page.body, /class="error"[^>]*>The request token has expired/);
    });

    it('legacyErrorStatus: 400 for timestamp_refused and parameter_*, still 401 for signature_invalid', async () => {
      await emu.close();
      emu = await startEmulator({ legacyErrorStatus: true, links: [{ consumerKey: KEY, publicKeyPem: publicPem }] });
      const url = `${emu.url}/plugins/servlet/oauth/request-token`;
      const old = await signedHttp({ method: 'POST', url, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, timestamp: now() - 3600 });
      assert.deepEqual([old.status, problem(old)], [400, 'timestamp_refused']);
      const absent = await signedHttp({ method: 'POST', url, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' }, omit: ['oauth_nonce'] });
      assert.deepEqual([absent.status, problem(absent)], [400, 'parameter_absent']);
      const bad = await signedHttp({ method: 'POST', url, consumerKey: KEY, privateKey: other, oauth: { oauth_callback: 'oob' } });
      assert.deepEqual([bad.status, problem(bad)], [401, 'signature_invalid']);
    });

    it('2-legged OAuth (no oauth_token) is refused with permission_denied', async () => {
      const res = await signedHttp({ method: 'GET', url: `${emu.url}/rest/api/2/myself`, consumerKey: KEY, privateKey });
      assert.equal(res.status, 401);
      assert.equal(problem(res), 'permission_denied');
    });
  });

  describe('the authorize page', () => {
    it('rejects a form post without the XSRF token, and unknown tokens', async () => {
      const rt = await getRequestToken(d);
      const noXsrf = await http(`${emu.url}/plugins/servlet/oauth/authorize`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `oauth_token=${rt.token}&approve=Allow` });
      assert.equal(noXsrf.status, 403);
      assert.match(noXsrf.body, /XSRF Security Token Missing/);
      const unknown = await http(`${emu.url}/plugins/servlet/oauth/authorize?oauth_token=nope`);
      assert.equal(unknown.status, 400);
      assert.match(unknown.body, /class="error"/);
      // The token was not approved by any of that.
      assert.equal(problem((await exchange(d, rt.token, 'abcdef')).res), 'permission_unknown');
    });

    it('a request token can be decided only once', async () => {
      const rt = await getRequestToken(d);
      await decide(d, rt.token, 'approve');
      const again = await http(`${emu.url}/plugins/servlet/oauth/authorize?oauth_token=${rt.token}`);
      assert.equal(again.status, 400);
      assert.match(again.body, /already been allowed/);
    });

    it('escapes the application name', async () => {
      emu.addLink({ consumerKey: 'evil', name: '<script>alert(1)</script>', publicKeyPem: publicPem });
      const rt = await getRequestToken({ ...d, consumerKey: 'evil' });
      const page = await http(`${emu.url}/plugins/servlet/oauth/authorize?oauth_token=${rt.token}`);
      assert.doesNotMatch(page.body, /<script>alert/);
      assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/strong> would like to access your Jira account/);
    });
  });
});

describe('emulator context path and base URL', () => {
  let privateKey: KeyObject;
  let publicPem: string;
  before(async () => { ({ privateKey, publicPem } = await rsaKeyPair()); });

  it('serves everything under contextPath /jira, and nothing outside it', async () => {
    const emu = await startEmulator({ contextPath: '/jira', links: [{ consumerKey: KEY, publicKeyPem: publicPem }] });
    try {
      assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+\/jira$/);
      const d: Dance = { base: emu.url, consumerKey: KEY, privateKey };
      const at = await fullDance(d);
      const me = await restGet(d, at.token, '/rest/api/2/myself');
      assert.equal(me.status, 200);
      const origin = new URL(emu.url).origin;
      assert.equal((await http(`${origin}/rest/api/2/serverInfo`)).status, 404);
      assert.equal((await http(`${origin}/plugins/servlet/oauth/request-token`, { method: 'POST' })).status, 404);
      assert.equal((await http(`${origin}/jiraX/rest/api/2/serverInfo`)).status, 404);
      const bare = await http(`${origin}/jira`);
      assert.deepEqual([bare.status, bare.headers.location], [302, 'jira/']);
      assert.equal(json(await http(`${emu.url}/rest/api/2/serverInfo`)).baseUrl, emu.url);
      const page = await http(`${emu.url}/plugins/servlet/applinks/listApplicationLinks`);
      const action = /<form id="create-link-form" method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
      assert.equal(resolveInPage(`${emu.url}/plugins/servlet/applinks/listApplicationLinks`, page.body, action), `${emu.url}/plugins/servlet/applinks/listApplicationLinks`);
      assert.equal(emu.requests.find((r) => r.path === '/jira/rest/api/2/myself')?.user, 'admin');
    } finally {
      await emu.close();
    }
  });

  it('verifies against the CONFIGURED baseUrl: a proxy mismatch gives signature_invalid', async () => {
    const emu = await startEmulator({ baseUrl: 'https://jira.example.com/', links: [{ consumerKey: KEY, publicKeyPem: publicPem }] });
    try {
      const url = `${emu.url}/plugins/servlet/oauth/request-token`;
      const asListening = await signedHttp({ method: 'POST', url, consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } });
      assert.equal(asListening.status, 401);
      assert.equal(problem(asListening), 'signature_invalid');
      assert.match(asListening.headers['www-authenticate'] as string, /^OAuth realm="https%3A%2F%2Fjira\.example\.com", oauth_problem="signature_invalid"$/);
      // Signed for the URL Jira believes it has, sent to where it listens: accepted.
      const asConfigured = await signedHttp(
        { method: 'POST', url: 'https://jira.example.com/plugins/servlet/oauth/request-token', consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } },
        { sendUrl: url },
      );
      assert.equal(asConfigured.status, 200, asConfigured.body);
      assert.equal(json(await http(`${emu.url}/rest/api/2/serverInfo`)).baseUrl, 'https://jira.example.com');
    } finally {
      await emu.close();
    }
  });

  it('a configured baseUrl with a context path of its own', async () => {
    const emu = await startEmulator({ contextPath: '/jira', baseUrl: 'https://proxy.example/tools/jira', links: [{ consumerKey: KEY, publicKeyPem: publicPem }] });
    try {
      const res = await signedHttp(
        { method: 'POST', url: 'https://proxy.example/tools/jira/plugins/servlet/oauth/request-token', consumerKey: KEY, privateKey, oauth: { oauth_callback: 'oob' } },
        { sendUrl: `${emu.url}/plugins/servlet/oauth/request-token` },
      );
      assert.equal(res.status, 200, res.body);
    } finally {
      await emu.close();
    }
  });
});
