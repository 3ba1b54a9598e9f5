import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as path from 'path';
import { createJiraClient, JiraAuth, JiraError, JiraErrorCode, msg, redact } from '../../../src/core';
import { errorFromNetwork } from '../../../src/core/errors';
import { hasOpenssl, jiraError as failure, openssl, send, startServer, TestServer, tmpDir } from './helpers';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const OAUTH: JiraAuth = { type: 'oauth1', consumerKey: 'my-consumer', privateKeyPem: PEM, token: 'ACCESS-TOKEN-SECRET-VALUE', tokenSecret: 'TS' };

function expectCode(e: JiraError, code: JiraErrorCode, message?: RegExp): void {
  assert.equal(e.code, code, e.message);
  if (message) assert.match(e.message, message);
}

describe('core/errors: oauth_problem mapping (401 with WWW-Authenticate and body)', () => {
  let server: TestServer;
  let reply: (res: http.ServerResponse) => void = () => undefined;
  before(async () => {
    server = await startServer((_req, res) => reply(res));
  });
  after(() => server.close());

  function oauthProblem(problem: string, extra = '', status = 401, viaHeader = true): void {
    reply = (res) => {
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
      if (viaHeader) headers['WWW-Authenticate'] = `OAuth realm="${server.url}", oauth_problem="${problem}"`;
      res.writeHead(status, headers);
      res.end(`oauth_problem=${problem}${extra}`);
    };
  }

  const cases: Array<[string, RegExp, string?]> = [
    ['signature_invalid', /Jira rejected the signature for http:\/\/127\.0\.0\.1:\d+\/jira\/rest\/api\/2\/myself\..*context path such as \/jira.*Administration > System > General configuration.*public key/s],
    ['timestamp_refused', /clock.*(NTP|automatically)/s, '&oauth_acceptable_timestamps=abc'],
    ['nonce_used', /nonce/],
    ['token_rejected', /Sign in again/],
    ['token_revoked', /revoked.*Sign in again/s],
    ['token_expired', /expired.*Sign in again.*10 minutes/s],
    ['token_used', /already been exchanged/],
    ['permission_unknown', /not been authorized yet.*Allow/s],
    ['permission_denied', /denied.*click Allow/s],
    ['user_refused', /denied/],
    ['consumer_key_unknown', /no application link with consumer key "my-consumer".*create/s],
    ['consumer_key_rejected', /refused consumer key "my-consumer"/],
    ['consumer_key_refused', /refused consumer key/],
    ['parameter_absent', /missing.*oauth_parameters_absent: oauth_nonce, oauth_signature/s, '&oauth_parameters_absent=oauth_nonce%26oauth_signature'],
    ['parameter_rejected', /rejected OAuth parameters.*oauth_parameters_rejected: oauth_foo/s, '&oauth_parameters_rejected=oauth_foo'],
    ['signature_method_rejected', /RSA-SHA1.*public key/s],
    ['version_rejected', /OAuth version/],
    ['additional_authorization_required', /additional authorization/],
    ['something_new', /oauth_problem=something_new/],
  ];

  for (const [problem, message, extra] of cases) {
    it(`${problem}`, async () => {
      oauthProblem(problem, extra);
      const client = createJiraClient({ baseUrl: `${server.url}/jira`, auth: OAUTH });
      const e = await failure(client.request('GET', '/rest/api/2/myself'));
      expectCode(e, 'oauth_problem', message);
      assert.equal(e.oauthProblem, problem);
      assert.equal(e.status, 401);
    });
  }

  it('older servers: 400 with the problem only in the form body', async () => {
    oauthProblem('consumer_key_unknown', '&oauth_problem_advice=ask+your+admin', 400, false);
    const client = createJiraClient({ baseUrl: server.url, auth: OAUTH });
    const e = await failure(client.request('GET', '/rest/api/2/myself'));
    expectCode(e, 'oauth_problem', /no application link/);
    assert.equal(e.status, 400);
    assert.equal(e.oauthProblemAdvice, 'ask your admin');
  });

  it('problem only in the WWW-Authenticate header', async () => {
    reply = (res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'OAuth realm="x", oauth_problem="token_rejected"', 'Content-Type': 'text/html' });
      res.end('<html><title>Unauthorized</title></html>');
    };
    const client = createJiraClient({ baseUrl: server.url, auth: OAUTH });
    const e = await failure(client.request('GET', '/rest/api/2/myself'));
    expectCode(e, 'oauth_problem');
    assert.equal(e.oauthProblem, 'token_rejected');
  });

  it('signature_invalid names the URL Jira signed when it sends its base string back', async () => {
    const serverBase = 'GET&https%3A%2F%2Finternal.example%3A8080%2Fjira%2Frest%2Fapi%2F2%2Fmyself&oauth_token%3DACCESS-TOKEN-SECRET-VALUE';
    oauthProblem('signature_invalid', `&oauth_signature_base_string=${encodeURIComponent(serverBase)}&oauth_signature=abcdEFGH`);
    const client = createJiraClient({ baseUrl: server.url, auth: OAUTH });
    const e = await failure(client.request('GET', '/rest/api/2/myself'));
    assert.match(e.message, /Jira computed it for https:\/\/internal\.example:8080\/jira\/rest\/api\/2\/myself instead/);
    assert.ok(!e.message.includes('ACCESS-TOKEN-SECRET-VALUE'));
  });
});

describe('core/errors: HTTP statuses', () => {
  let server: TestServer;
  let reply: (res: http.ServerResponse) => void = () => undefined;
  before(async () => {
    server = await startServer((_req, res) => reply(res));
  });
  after(() => server.close());

  const status = async (auth: JiraAuth, r: (res: http.ServerResponse) => void) => {
    reply = r;
    return failure(createJiraClient({ baseUrl: server.url, auth }).request('GET', '/rest/api/2/issue/ABC-1'));
  };

  it('401 without oauth_problem: unauthorized, with advice per auth type', async () => {
    expectCode(await status({ type: 'pat', token: 'tok' }, (res) => send(res, 401, '')), 'unauthorized', /personal access token/);
    expectCode(await status({ type: 'basic', username: 'u', password: 'p' }, (res) => send(res, 401, '')), 'unauthorized', /API token/);
    expectCode(await status({ type: 'oauth2', accessToken: 'a' }, (res) => send(res, 401, '')), 'unauthorized', /OAuth 2\.0/);
    expectCode(await status(OAUTH, (res) => send(res, 401, '')), 'unauthorized', /sign in again/);
  });

  it('403 forbidden with Jira errorMessages; CAPTCHA', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => send(res, 403, { errorMessages: ['You do not have the permission to see the specified issue.'], errors: {} }));
    expectCode(e, 'forbidden', /permission.*Jira says: You do not have the permission/s);
    assert.deepEqual(e.errorMessages, ['You do not have the permission to see the specified issue.']);
    const c = await status({ type: 'basic', username: 'u', password: 'p' }, (res) =>
      send(res, 403, '', { 'X-Authentication-Denied-Reason': 'CAPTCHA_CHALLENGE; login-url=http://x/login.jsp' }),
    );
    expectCode(c, 'captcha_required', /CAPTCHA.*browser/s);
  });

  it('404 not_found of an issue says it does not exist or may not be visible; errors map is kept (other 404s: core/notFound.test.ts)', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => send(res, 404, { errorMessages: ['Issue Does Not Exist'], errors: { key: 'bad' } }));
    expectCode(e, 'not_found', /The issue does not exist, or your account may not see it.*Issue Does Not Exist; key: bad/s);
    assert.deepEqual(e.errors, { key: 'bad' });
  });

  it('410 gone', async () => expectCode(await status({ type: 'pat', token: 't' }, (res) => send(res, 410, '')), 'gone', /removed/));

  it('429 with Retry-After', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => send(res, 429, '', { 'Retry-After': '17' }));
    expectCode(e, 'rate_limited', /Retry after 17 seconds/);
    assert.equal(e.retryAfterSeconds, 17);
  });

  it('500 and 503', async () => {
    expectCode(await status({ type: 'pat', token: 't' }, (res) => send(res, 500, { errorMessages: ['NPE'] })), 'server_error', /internal error.*NPE/s);
    expectCode(await status({ type: 'pat', token: 't' }, (res) => send(res, 503, '')), 'server_error', /unavailable/);
  });

  it('400 bad_request with Jira field errors', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => send(res, 400, { errorMessages: [], errors: { jql: "The value 'X' does not exist" } }));
    expectCode(e, 'bad_request', /jql: The value 'X' does not exist/);
  });

  it('3xx redirect: http to https, SSO login', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => send(res, 301, '', { Location: 'https://jira.example.com/rest/api/2/issue/ABC-1' }));
    expectCode(e, 'redirect', /https:\/\/ base URL/);
    const s = await status({ type: 'pat', token: 't' }, (res) => send(res, 302, '', { Location: 'https://idp.example.com/saml/login?SAMLRequest=xyz' }));
    expectCode(s, 'redirect', /SSO/);
  });

  it('HTML page where JSON was expected (200 SSO page): recognised, title shown, page never dumped', async () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in &amp; continue - Okta</title></head><body><form>secret-looking-stuff</form></body></html>';
    const e = await status({ type: 'pat', token: 't' }, (res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
    });
    expectCode(e, 'html_instead_of_json', /web page \(title: "Sign in & continue - Okta"\) instead of Jira's JSON.*not Jira's REST API.*SSO\/proxy login page/s);
    assert.equal(e.pageTitle, 'Sign in & continue - Okta');
    assert.ok(!e.message.includes('<form>') && !e.message.includes('secret-looking-stuff'));
  });

  it('HTML without a text/html content type is recognised by its first character', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('  <html><body>Proxy error</body></html>');
    });
    expectCode(e, 'html_instead_of_json', /web page instead/);
  });

  it('an HTML proxy error page (502) keeps its status code and mentions the page title', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>');
    });
    expectCode(e, 'server_error', /web page \(title: "502 Bad Gateway"\)/);
    assert.ok(!e.message.includes('<center>'));
  });

  it('JSON that fails to parse is bad_json', async () => {
    const e = await status({ type: 'pat', token: 't' }, (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"key": "ABC-1", "fields": {');
    });
    expectCode(e, 'bad_json', /not valid JSON/);
  });
});

describe('core/errors: network, timeout, abort', () => {
  it('connection refused is network with advice', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const e = await failure(createJiraClient({ baseUrl: `http://127.0.0.1:${port}`, auth: { type: 'pat', token: 't' } }).request('GET', '/rest/api/2/myself'));
    expectCode(e, 'network', /refused.*port/s);
    assert.equal(e.systemCode, 'ECONNREFUSED');
  });

  it('connection reset by the server is network', async () => {
    const srv = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    try {
      const e = await failure(createJiraClient({ baseUrl: `http://127.0.0.1:${port}`, auth: { type: 'pat', token: 't' } }).request('GET', '/x'));
      expectCode(e, 'network', /reset|closed|hang up/);
    } finally {
      srv.close();
    }
  });

  it('ENOTFOUND, EAI_AGAIN, ECONNRESET and TLS codes map to their own messages', () => {
    const ctx = { method: 'GET', url: 'https://jira.example.com/rest', baseUrl: 'https://jira.example.com' };
    const err = (code: string) => Object.assign(new Error(code), { code });
    expectCode(errorFromNetwork(err('ENOTFOUND'), ctx), 'network', /could not be resolved/);
    expectCode(errorFromNetwork(err('EAI_AGAIN'), ctx), 'network', /DNS/);
    expectCode(errorFromNetwork(err('ECONNRESET'), ctx), 'network', /reset/);
    expectCode(errorFromNetwork(err('DEPTH_ZERO_SELF_SIGNED_CERT'), ctx), 'tls', /self-signed/);
    expectCode(errorFromNetwork(err('SELF_SIGNED_CERT_IN_CHAIN'), ctx), 'tls', /self-signed/);
    expectCode(errorFromNetwork(err('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), ctx), 'tls', /certificate authority/);
    expectCode(errorFromNetwork(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), ctx), 'tls', /unknown certificate authority/);
    expectCode(errorFromNetwork(err('CERT_HAS_EXPIRED'), ctx), 'tls', /expired/);
    expectCode(errorFromNetwork(err('ERR_TLS_CERT_ALTNAME_INVALID'), ctx), 'tls', /does not match the host name/);
    expectCode(errorFromNetwork(err('ERR_SSL_WRONG_VERSION_NUMBER'), ctx), 'tls', /http:\/\//);
  });

  it('no response within timeoutMs is timeout', async () => {
    const server = await startServer(() => undefined);
    try {
      const client = createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: 't' }, timeoutMs: 150 });
      const e = await failure(client.request('GET', '/slow'));
      expectCode(e, 'timeout', /no response within/);
      const e2 = await failure(createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: 't' } }).request('GET', '/slow', { timeoutMs: 100 }));
      expectCode(e2, 'timeout');
    } finally {
      await server.close();
    }
  });

  it('an AbortSignal cancels a request in flight, and an aborted signal never sends', async () => {
    const server = await startServer(() => undefined);
    try {
      const client = createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: 't' } });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      expectCode(await failure(client.request('GET', '/slow', { signal: ac.signal })), 'aborted', /cancelled/);
      const before = server.requests.length;
      expectCode(await failure(client.request('GET', '/never', { signal: ac.signal })), 'aborted');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(server.requests.length, before);
    } finally {
      await server.close();
    }
  });
});

const OPENSSL = hasOpenssl();
(OPENSSL ? describe : describe.skip)(`core/errors: real TLS failures${OPENSSL ? '' : ' (SKIPPED: openssl not installed)'}`, () => {
  let server: https.Server;
  let port: number;
  let cert: string;
  before(async () => {
    const dir = tmpDir();
    const keyFile = path.join(dir, 'k.pem');
    const certFile = path.join(dir, 'c.pem');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']);
    cert = fs.readFileSync(certFile, 'utf8');
    server = https.createServer({ key: fs.readFileSync(keyFile), cert }, (_req, res) => send(res, 200, { ok: true }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(() => server.close());

  it('a self-signed certificate is tls (not network)', async () => {
    const e = await failure(createJiraClient({ baseUrl: `https://localhost:${port}`, auth: { type: 'pat', token: 't' } }).request('GET', '/x'));
    expectCode(e, 'tls', /self-signed/);
  });

  it('trusting it through the tls.ca option works (TLS options reach the HTTP layer)', async () => {
    const r = await createJiraClient({ baseUrl: `https://localhost:${port}`, auth: { type: 'pat', token: 't' }, tls: { ca: cert } }).request('GET', '/x');
    assert.deepEqual(r.body, { ok: true });
  });

  it('a host name that is not in the certificate is tls', async () => {
    const e = await failure(createJiraClient({ baseUrl: `https://127.0.0.1:${port}`, auth: { type: 'pat', token: 't' }, tls: { ca: cert } }).request('GET', '/x'));
    expectCode(e, 'tls', /host name/);
  });

  it('https:// against a plain-http port is tls with a hint', async () => {
    const plain = await startServer((_r, res) => send(res, 200, {}));
    try {
      const e = await failure(createJiraClient({ baseUrl: plain.url.replace('http:', 'https:'), auth: { type: 'pat', token: 't' } }).request('GET', '/x'));
      expectCode(e, 'tls', /TLS/);
    } finally {
      await plain.close();
    }
  });
});

describe('core/redact', () => {
  const SECRET = 'S3cr3tV4lue';
  const cases: Array<[string, string]> = [
    ['Authorization header (Bearer)', `Authorization: Bearer ${SECRET}`],
    ['Authorization header (Basic)', `authorization: Basic ${Buffer.from('u:' + SECRET).toString('base64')}`],
    ['Authorization header (OAuth)', `Authorization: OAuth oauth_consumer_key="ck", oauth_token="${SECRET}", oauth_signature="${SECRET}"`],
    ['JSON header object', `{"Authorization":"Bearer ${SECRET}"}`],
    ['bare Bearer credential', `sent Bearer ${SECRET} to jira`],
    ['bare OAuth header value', `OAuth oauth_token="${SECRET}", oauth_nonce="n"`],
    ['oauth_signature in a query', `https://h/x?oauth_signature=${SECRET}%3D&a=1`],
    ['oauth_token in a form body', `oauth_token=${SECRET}&oauth_token_secret=x`],
    ['oauth_token_secret', `oauth_token=a&oauth_token_secret=${SECRET}`],
    ['oauth_verifier', `oauth_verifier=${SECRET}`],
    ['oauth values inside a percent-encoded base string', `GET&https%3A%2F%2Fh%2Fx&oauth_token%3D${SECRET}%26oauth_verifier%3D${SECRET}`],
    ['access_token (form and JSON)', `access_token=${SECRET}&x=1 {"access_token": "${SECRET}"}`],
    ['refresh_token', `{"refresh_token":"${SECRET}"}`],
    ['client_secret', `client_id=abc&client_secret=${SECRET}`],
    ['authorization code', `https://cb/?code=${SECRET}&state=xyz`],
    ['password in a URL', `https://user:${SECRET}@jira.example.com/`],
    ['PEM private key', `key: -----BEGIN PRIVATE KEY-----\nMIIE${SECRET}\n-----END PRIVATE KEY-----`],
    ['PEM RSA private key, truncated', `-----BEGIN RSA PRIVATE KEY-----\nMIIE${SECRET}`],
    ['encrypted PEM', `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${SECRET}\n-----END ENCRYPTED PRIVATE KEY-----`],
  ];
  for (const [name, text] of cases) {
    it(`removes ${name}`, () => {
      const out = redact(text);
      assert.ok(!out.includes(SECRET), out);
      assert.match(out, /REDACTED/);
    });
  }

  it('keeps what is needed to understand the text', () => {
    assert.equal(redact('oauth_token=abc&jql=project%20%3D%20X'), 'oauth_token=[REDACTED]&jql=project%20%3D%20X');
    assert.equal(redact('Authorization: Bearer abcdef123'), 'Authorization: Bearer [REDACTED]');
    assert.equal(redact('Basic authentication failed'), 'Basic authentication failed');
    assert.equal(redact('Jira rejected the signature for https://h/jira/rest'), 'Jira rejected the signature for https://h/jira/rest');
  });

  it('every JiraError message and string detail is redacted', async () => {
    const server = await startServer((_req, res) =>
      send(res, 400, `oauth_token=${SECRET}&oauth_token_secret=${SECRET}&Authorization: Bearer ${SECRET}`, { Location: `https://x/?code=${SECRET}` }),
    );
    try {
      const e = await failure(createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: SECRET } }).request('GET', `/x?access_token=${SECRET}`));
      assert.ok(!e.message.includes(SECRET), e.message);
      assert.ok(!String(e.url).includes(SECRET), e.url);
      const direct = new JiraError('network', msg(`failed with Authorization: OAuth oauth_token="${SECRET}"`), { url: `https://h/?oauth_verifier=${SECRET}` });
      assert.ok(!direct.message.includes(SECRET) && !String(direct.url).includes(SECRET));
    } finally {
      await server.close();
    }
  });
});
