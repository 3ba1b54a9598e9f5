import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'crypto';
import * as http from 'http';
import {
  createJiraClient,
  DEFAULT_USER_AGENT,
  fetchServerInfo,
  getClockOffset,
  HttpRequest,
  JiraError,
  KeyError,
  normalizeBaseUrl,
  parseAuthorizationHeader,
} from '../../../src/core';
import { RecordedRequest, send, startServer, TestServer, verifyOAuth } from './helpers';

const KP = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = KP.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

function oauthParams(req: RecordedRequest): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [k, v] of parseAuthorizationHeader(String(req.headers.authorization ?? ''))) o[k] = v;
  return o;
}

describe('core/jira: normalizeBaseUrl', () => {
  const ok: Array<[string, string]> = [
    ['https://jira.example.com', 'https://jira.example.com'],
    ['  https://jira.example.com/  ', 'https://jira.example.com'],
    ['HTTPS://JIRA.Example.COM', 'https://jira.example.com'],
    ['https://jira.example.com:443/', 'https://jira.example.com'],
    ['http://jira.example.com:80', 'http://jira.example.com'],
    ['http://jira.example.com:8080/jira/', 'http://jira.example.com:8080/jira'],
    ['https://example.com/Jira//', 'https://example.com/Jira'],
    ['https://[::1]:8443/jira', 'https://[::1]:8443/jira'],
  ];
  for (const [input, expected] of ok) it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(normalizeBaseUrl(input), expected));

  const bad: Array<[string, RegExp]> = [
    ['', /enter the address/],
    ['jira.example.com', /must start with https:\/\/.*https:\/\/jira\.example\.com/],
    ['ftp://jira.example.com', /only http/],
    ['https://', /host name/],
    ['https://user:pw@jira.example.com', /user name and password/],
    ['https://jira.example.com/?a=1', /query/],
    ['https://jira.example.com/#x', /fragment/],
    ['https://jira example.com', /spaces/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)}`, () =>
      assert.throws(() => normalizeBaseUrl(input), (e: unknown) => e instanceof JiraError && e.code === 'invalid_base_url' && message.test(e.message)));
  }
  it('the error for credentials in the URL does not echo the password', () => {
    assert.throws(() => normalizeBaseUrl('https://user:hunter2@jira.example.com'), (e: unknown) => !(e as Error).message.includes('hunter2'));
  });
});

describe('core/jira: createJiraClient against a local server', () => {
  let server: TestServer;
  let reply: (req: RecordedRequest, res: http.ServerResponse) => void;
  beforeEach(async () => {
    reply = (_req, res) => send(res, 200, { ok: true });
    server = await startServer((req, res) => reply(req, res));
  });
  afterEach(() => server.close());

  it('PAT: Bearer token, Accept JSON, User-Agent, JSON in and out, lower-cased response headers', async () => {
    reply = (_req, res) => send(res, 201, { id: '10000' }, { 'X-AREQUESTID': 'abc' });
    const client = createJiraClient({ baseUrl: server.url + '/', auth: { type: 'pat', token: 'pat-123' } });
    const r = await client.request('POST', '/rest/api/2/issue', { json: { fields: { summary: 'Hi "there" é' } } });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, { id: '10000' });
    assert.equal(r.headers['x-arequestid'], 'abc');
    assert.equal(r.headers['content-type'], 'application/json;charset=UTF-8');
    const req = server.requests[0];
    assert.equal(req.headers.authorization, 'Bearer pat-123');
    assert.equal(req.headers.accept, 'application/json');
    assert.equal(req.headers['user-agent'], DEFAULT_USER_AGENT);
    assert.match(DEFAULT_USER_AGENT, /^jira-auth-core\/\d+\.\d+\.\d+/);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), { fields: { summary: 'Hi "there" é' } });
    assert.equal(req.headers['content-length'], String(Buffer.byteLength(req.body)));
  });

  it('basic auth and OAuth 2.0 bearer; custom User-Agent', async () => {
    await createJiraClient({ baseUrl: server.url, auth: { type: 'basic', username: 'ann', password: 'pä:ss' }, userAgent: 'my-ext/1.2.3' }).request('GET', 'rest/api/2/myself');
    assert.equal(server.requests[0].headers.authorization, `Basic ${Buffer.from('ann:pä:ss').toString('base64')}`);
    assert.equal(server.requests[0].headers['user-agent'], 'my-ext/1.2.3');
    assert.equal(server.requests[0].url, '/rest/api/2/myself');
    await createJiraClient({ baseUrl: server.url, auth: { type: 'oauth2', accessToken: 'at-1' } }).request('GET', '/x');
    assert.equal(server.requests[1].headers.authorization, 'Bearer at-1');
  });

  it('empty (204) bodies are undefined; text bodies are strings', async () => {
    reply = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const client = createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: 't' } });
    const r = await client.request('DELETE', '/rest/api/2/issue/ABC-1');
    assert.equal(r.status, 204);
    assert.equal(r.body, undefined);
    reply = (_req, res) => send(res, 200, 'plain text');
    assert.equal((await client.request('GET', '/x')).body, 'plain text');
  });

  it('OAuth 1.0a: every request is signed for the URL as sent, the key is parsed once', async () => {
    const client = createJiraClient({
      baseUrl: server.url + '/jira/',
      auth: { type: 'oauth1', consumerKey: 'ck', privateKeyPem: PEM, token: 'access', tokenSecret: 'secret' },
    });
    await client.request('GET', '/rest/api/2/search?jql=project+%3D+ABC', { query: { fields: ['summary', 'status'], q: 'a+b c' } });
    const req = server.requests[0];
    assert.equal(req.url, '/jira/rest/api/2/search?jql=project+%3D+ABC&fields=summary&fields=status&q=a%2Bb%20c');
    const v = verifyOAuth(req, server.url, KP.publicKey);
    assert.ok(v.ok, v.base);
    assert.equal(v.params.oauth_token, 'access');
    assert.equal(v.params.oauth_consumer_key, 'ck');
    assert.equal(v.params.oauth_signature_method, 'RSA-SHA1');
    assert.ok(v.base.includes('jql%3Dproject%2520%253D%2520ABC'));
    assert.ok(v.base.includes('q%3Da%252Bb%2520c'));
  });

  it('OAuth 1.0a: a JSON body is not signed, a form body is', async () => {
    const client = createJiraClient({ baseUrl: server.url, auth: { type: 'oauth1', consumerKey: 'ck', privateKeyPem: PEM, token: 'tok', tokenSecret: 's' } });
    await client.request('POST', '/rest/api/2/search', { json: { jql: 'a=b&c', oauth_x: 1 } });
    const j = verifyOAuth(server.requests[0], server.url, KP.publicKey);
    assert.ok(j.ok);
    assert.ok(!j.base.includes('jql'));
    await client.request('POST', '/rest/x', { form: { name: 'a b+c', multi: ['1', '2'] } });
    const f = server.requests[1];
    assert.equal(f.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(f.body, 'name=a%20b%2Bc&multi=1&multi=2');
    assert.equal(f.headers['x-atlassian-token'], 'no-check');
    const fv = verifyOAuth(f, server.url, KP.publicKey);
    assert.ok(fv.ok);
    assert.ok(fv.base.includes('name%3Da%2520b%252Bc'));
    await assert.rejects(client.request('POST', '/x', { json: {}, form: {} }), (e: unknown) => (e as JiraError).code === 'invalid_request');
  });

  it('the private key is validated when the client is created (KeyError), not per request', () => {
    assert.throws(
      () => createJiraClient({ baseUrl: server.url, auth: { type: 'oauth1', consumerKey: 'ck', privateKeyPem: 'nope', token: 't', tokenSecret: 's' } }),
      (e: unknown) => e instanceof KeyError && e.code === 'invalid_pem',
    );
    assert.throws(() => createJiraClient({ baseUrl: 'jira', auth: { type: 'pat', token: 't' } }), (e: unknown) => (e as JiraError).code === 'invalid_base_url');
  });

  it('clock skew: timestamp_refused (acceptable timestamps) is learned and retried once with a fresh nonce; later requests are accepted at once', async () => {
    const skew = 1200;
    reply = (req, res) => {
      const ts = Number(oauthParams(req).oauth_timestamp);
      const serverNow = Math.floor(Date.now() / 1000) + skew;
      if (Math.abs(ts - serverNow) > 300) {
        res.writeHead(401, { 'WWW-Authenticate': 'OAuth realm="x", oauth_problem="timestamp_refused"', 'Content-Type': 'text/plain' });
        res.end(`oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${serverNow - 300}-${serverNow + 300}`);
        return;
      }
      send(res, 200, { ok: true });
    };
    const client = createJiraClient({ baseUrl: server.url, auth: { type: 'oauth1', consumerKey: 'ck', privateKeyPem: PEM, token: 't', tokenSecret: 's' } });
    const r = await client.request('GET', '/rest/api/2/myself');
    assert.equal(r.status, 200);
    assert.equal(server.requests.length, 2);
    const [a, b] = server.requests.map(oauthParams);
    assert.notEqual(a.oauth_nonce, b.oauth_nonce);
    assert.ok(Math.abs(getClockOffset(server.url) - skew) <= 2);
    await client.request('GET', '/rest/api/2/myself');
    assert.equal(server.requests.length, 3);
  });

  it('clock skew from the Date header when no acceptable timestamps are sent; only one retry', async () => {
    let refuse = true;
    reply = (_req, res) => {
      if (refuse) {
        res.writeHead(401, { 'WWW-Authenticate': 'OAuth oauth_problem="timestamp_refused"', Date: new Date(Date.now() - 3600e3).toUTCString() });
        res.end();
        return;
      }
      send(res, 200, {});
    };
    const client = createJiraClient({ baseUrl: server.url, auth: { type: 'oauth1', consumerKey: 'ck', privateKeyPem: PEM, token: 't', tokenSecret: 's' } });
    const e = await client.request('GET', '/x').catch((err: JiraError) => err);
    assert.ok(e instanceof JiraError);
    assert.equal(e.oauthProblem, 'timestamp_refused');
    assert.match(e.message, /clock/);
    assert.equal(server.requests.length, 2);
    assert.ok(Math.abs(getClockOffset(server.url) + 3600) <= 2);
    refuse = false;
    await client.request('GET', '/x');
  });

  it('transport and agent hooks receive the fully built request', async () => {
    const seen: HttpRequest[] = [];
    const agent = new http.Agent({ keepAlive: false });
    const client = createJiraClient({
      baseUrl: 'https://jira.example.com/jira',
      auth: { type: 'pat', token: 't' },
      agent,
      tls: { rejectUnauthorized: true },
      timeoutMs: 1234,
      transport: async (req) => {
        seen.push(req);
        return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('[1,2]') };
      },
    });
    const r = await client.request('get', '/rest/api/2/field');
    assert.deepEqual(r.body, [1, 2]);
    assert.equal(seen[0].method, 'GET');
    assert.equal(seen[0].url, 'https://jira.example.com/jira/rest/api/2/field');
    assert.equal(seen[0].agent, agent);
    assert.equal(seen[0].timeoutMs, 1234);
    assert.deepEqual(seen[0].tls, { rejectUnauthorized: true });
    agent.destroy();
  });

  it('fetchServerInfo reads /rest/api/2/serverInfo anonymously', async () => {
    reply = (req, res) => send(res, 200, { baseUrl: 'https://jira.example.com', version: '9.12.0', deploymentType: 'Server', path: req.url });
    const info = await fetchServerInfo(server.url + '/');
    assert.equal(info.version, '9.12.0');
    assert.equal(server.requests[0].url, '/rest/api/2/serverInfo');
    assert.equal(server.requests[0].headers.authorization, undefined);
  });
});
