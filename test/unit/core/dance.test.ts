import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'crypto';
import * as http from 'http';
import { accessToken, authorizeUrl, createJiraClient, JiraError, parseVerifier, requestToken } from '../../../src/core';
import { RecordedRequest, send, startServer, TestServer, verifyOAuth } from './helpers';

const KP = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = KP.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('core/oauth1 dance: parseVerifier', () => {
  const ok: Array<[string, string]> = [
    ['AbC123', 'AbC123'],
    ['  AbC123\n', 'AbC123'],
    ["'AbC123'", 'AbC123'],
    ['"AbC123"', 'AbC123'],
    ['`AbC123`', 'AbC123'],
    ['‘AbC123’', 'AbC123'],
    [" ' AbC123 ' ", 'AbC123'],
    ["Your verification code is 'AbC123'", 'AbC123'],
    ["Your verification code is 'AbC123'.", 'AbC123'],
    ['Access Approved\nYou have successfully authorized. Your verification code is "x9Yz". Enter it to complete.', 'x9Yz'],
    ['your verification code is: AbC123', 'AbC123'],
    ['https://cb.example/?oauth_token=t&oauth_verifier=v%2B1', 'v+1'],
  ];
  for (const [input, expected] of ok) it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(parseVerifier(input), expected));

  for (const input of ['', '   ', "''", '``', 'two words']) {
    it(`rejects ${JSON.stringify(input)}`, () =>
      assert.throws(() => parseVerifier(input), (e: unknown) => e instanceof JiraError && e.code === 'invalid_verifier' && /verification code/.test(e.message)));
  }
});

describe('core/oauth1 dance: requestToken and accessToken against a local server', () => {
  let server: TestServer;
  let reply: (req: RecordedRequest, res: http.ServerResponse) => void;
  beforeEach(async () => {
    server = await startServer((req, res) => reply(req, res));
  });
  afterEach(() => server.close());

  it('requestToken POSTs a signed request with oauth_callback=oob and returns the authorize URL', async () => {
    reply = (_req, res) => send(res, 200, 'oauth_token=req%2Btok&oauth_token_secret=rts&oauth_callback_confirmed=true');
    const r = await requestToken({ baseUrl: server.url + '/jira/', consumerKey: 'ck', privateKeyPem: PEM });
    assert.deepEqual(r, {
      token: 'req+tok',
      tokenSecret: 'rts',
      authorizeUrl: `${server.url}/jira/plugins/servlet/oauth/authorize?oauth_token=req%2Btok`,
      callbackConfirmed: true,
    });
    const req = server.requests[0];
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/jira/plugins/servlet/oauth/request-token');
    const v = verifyOAuth(req, server.url, KP.publicKey);
    assert.ok(v.ok, v.base);
    assert.equal(v.params.oauth_callback, 'oob');
    assert.equal(v.params.oauth_token, undefined);
    assert.ok(v.base.includes('oauth_callback%3Doob'));
    assert.equal(authorizeUrl(server.url + '/jira', 'a b'), `${server.url}/jira/plugins/servlet/oauth/authorize?oauth_token=a%20b`);
  });

  it('accessToken sends oauth_token and oauth_verifier (from a pasted sentence), keeps expiry and session handle', async () => {
    reply = (_req, res) => send(res, 200, 'oauth_token=acc&oauth_token_secret=ats&oauth_expires_in=157680000&oauth_session_handle=sh1&oauth_authorization_expires_in=160000000');
    const r = await accessToken({
      baseUrl: server.url,
      consumerKey: 'ck',
      privateKeyPem: PEM,
      token: 'req+tok',
      tokenSecret: 'rts',
      verifier: "Your verification code is 'VeRi'",
    });
    assert.deepEqual(r, { token: 'acc', tokenSecret: 'ats', expiresIn: 157680000, sessionHandle: 'sh1', authorizationExpiresIn: 160000000 });
    const v = verifyOAuth(server.requests[0], server.url, KP.publicKey);
    assert.ok(v.ok);
    assert.equal(server.requests[0].url, '/plugins/servlet/oauth/access-token');
    assert.equal(v.params.oauth_verifier, 'VeRi');
    assert.equal(v.params.oauth_token, 'req+tok');
  });

  it('oauth_problem during the dance is mapped (permission_unknown, consumer_key_unknown)', async () => {
    reply = (_req, res) => send(res, 401, 'oauth_problem=permission_unknown', { 'WWW-Authenticate': 'OAuth oauth_problem="permission_unknown"' });
    await assert.rejects(
      accessToken({ baseUrl: server.url, consumerKey: 'ck', privateKeyPem: PEM, token: 't', tokenSecret: 's', verifier: 'v' }),
      (e: unknown) => e instanceof JiraError && e.oauthProblem === 'permission_unknown' && /authorize URL/.test(e.message),
    );
    reply = (_req, res) => send(res, 401, 'oauth_problem=consumer_key_unknown');
    await assert.rejects(
      requestToken({ baseUrl: server.url, consumerKey: 'nobody', privateKeyPem: PEM }),
      (e: unknown) => e instanceof JiraError && e.oauthProblem === 'consumer_key_unknown' && /"nobody"/.test(e.message),
    );
  });

  it('a web page instead of the OAuth response (wrong base URL) is html_instead_of_json; no token is bad_response', async () => {
    reply = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><head><title>Welcome to nginx!</title></head></html>');
    };
    await assert.rejects(
      requestToken({ baseUrl: server.url, consumerKey: 'ck', privateKeyPem: PEM }),
      (e: unknown) => e instanceof JiraError && e.code === 'html_instead_of_json' && /Welcome to nginx!.*instead of an OAuth response/.test(e.message),
    );
    reply = (_req, res) => send(res, 200, 'hello');
    await assert.rejects(requestToken({ baseUrl: server.url, consumerKey: 'ck', privateKeyPem: PEM }), (e: unknown) => (e as JiraError).code === 'bad_response');
  });

  it('a clock offset learned during the dance is reused by the client for the same Jira (one refusal in total)', async () => {
    const skew = -1500;
    let refused = 0;
    reply = (req, res) => {
      const ts = Number(/oauth_timestamp="(\d+)"/.exec(String(req.headers.authorization))?.[1]);
      const now = Math.floor(Date.now() / 1000) + skew;
      if (Math.abs(ts - now) > 300) {
        refused++;
        send(res, 401, `oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${now - 600}-${now + 600}`);
        return;
      }
      if (req.url.endsWith('request-token')) send(res, 200, 'oauth_token=r&oauth_token_secret=s');
      else if (req.url.endsWith('access-token')) send(res, 200, 'oauth_token=a&oauth_token_secret=s');
      else send(res, 200, { name: 'me' });
    };
    const base = server.url;
    const rt = await requestToken({ baseUrl: base, consumerKey: 'ck', privateKeyPem: PEM, timeoutMs: 5000 });
    const at = await accessToken({ baseUrl: base, consumerKey: 'ck', privateKeyPem: PEM, token: rt.token, tokenSecret: rt.tokenSecret, verifier: 'v' });
    const client = createJiraClient({ baseUrl: base, auth: { type: 'oauth1', consumerKey: 'ck', privateKeyPem: PEM, token: at.token, tokenSecret: at.tokenSecret } });
    assert.deepEqual((await client.request('GET', '/rest/api/2/myself')).body, { name: 'me' });
    assert.equal(refused, 1);
    assert.equal(server.requests.length, 4);
  });

  it('AbortSignal and timeoutMs apply to the dance', async () => {
    reply = () => undefined;
    await assert.rejects(
      requestToken({ baseUrl: server.url, consumerKey: 'ck', privateKeyPem: PEM, timeoutMs: 100 }),
      (e: unknown) => (e as JiraError).code === 'timeout',
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(
      accessToken({ baseUrl: server.url, consumerKey: 'ck', privateKeyPem: PEM, token: 't', tokenSecret: 's', verifier: 'v', signal: ac.signal }),
      (e: unknown) => (e as JiraError).code === 'aborted',
    );
  });
});
