// The core library against the Jira emulator (test/emulator), which verifies signatures with its
// own, independent RFC 5849 code and decodes requests the way a servlet container does.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { AddressInfo, createServer } from 'net';
import * as path from 'path';
import {
  accessToken,
  createJiraClient,
  derivePublicKeyPem,
  generateKeyPair,
  getClockOffset,
  httpRequest,
  HttpRequest,
  JiraClient,
  JiraError,
  KeyPair,
  requestToken,
  resetClockOffsets,
  Transport,
} from '../../../src/core';
import { Emulator, EmulatorOptions, startEmulator } from '../../emulator';
import { hasOpenssl, jiraError as failure, openssl, tmpDir } from './helpers';
import { resolveInPage } from '../pageLinks';

const CONSUMER = 'vscode-jira-test';

function htmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string);
}

/**
 * What a browser does on the authorize page: GET it, submit its form with the Allow (or Deny)
 * button, and read the verification code from the result page. Returns the code, or undefined
 * when denied.
 */
async function browserAuthorize(authorizeUrl: string, choice: 'approve' | 'deny' = 'approve'): Promise<string | undefined> {
  const page = await httpRequest({ method: 'GET', url: authorizeUrl, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200, page.body.toString());
  const html = page.body.toString('utf8');
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the authorize page has a form');
  const fields: Array<[string, string]> = [];
  const inputs = /<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"[^>]*>/g;
  let m: RegExpExecArray | null;
  while ((m = inputs.exec(form[2])) !== null) fields.push([htmlUnescape(m[1]), htmlUnescape(m[2])]);
  const button = new RegExp(`<button[^>]*name="(${choice})"[^>]*value="([^"]*)"`).exec(form[2]);
  assert.ok(button, `the form has a ${choice} button`);
  fields.push([button[1], htmlUnescape(button[2])]);
  const body = Buffer.from(fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const result = await httpRequest({
    method: 'POST',
    url: resolveInPage(authorizeUrl, html, form[1]),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body,
  });
  const text = htmlUnescape(result.body.toString('utf8'));
  const code = /Your verification code is '([^']+)'/.exec(text);
  if (choice === 'deny') {
    assert.equal(code, null);
    return undefined;
  }
  assert.ok(code, `verification page: ${text.slice(0, 200)}`);
  return code[1];
}

async function signIn(emu: Emulator, keys: KeyPair, baseUrl = emu.url, consumerKey = CONSUMER): Promise<JiraClient> {
  const common = { baseUrl, consumerKey, privateKeyPem: keys.privateKeyPem };
  const rt = await requestToken(common);
  const code = await browserAuthorize(rt.authorizeUrl);
  const at = await accessToken({ ...common, token: rt.token, tokenSecret: rt.tokenSecret, verifier: `Your verification code is '${code}'.` });
  return createJiraClient({ baseUrl, auth: { type: 'oauth1', consumerKey, privateKeyPem: keys.privateKeyPem, token: at.token, tokenSecret: at.tokenSecret } });
}

/** A transport that lets a test tamper with the signed request before it is sent. */
function tamper(change: (req: HttpRequest) => HttpRequest): Transport {
  return (req) => httpRequest(change({ ...req, headers: { ...req.headers } }));
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface Echo {
  method: string;
  path: string;
  query: Array<[string, string]>;
  form: Array<[string, string]> | Record<string, unknown> | null;
  json: unknown;
  user: string | null;
}

describe('core against the Jira emulator', function () {
  this.timeout(60000);
  let keys: KeyPair;
  const emulators: Emulator[] = [];
  async function emulator(options: EmulatorOptions = {}, linkKeys: KeyPair = keys): Promise<Emulator> {
    const emu = await startEmulator({ links: [{ consumerKey: CONSUMER, name: 'VS Code', publicKeyPem: linkKeys.publicKeyPem }], ...options });
    emulators.push(emu);
    return emu;
  }

  before(async () => {
    keys = await generateKeyPair();
  });
  beforeEach(() => resetClockOffsets());
  after(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  describe('the OAuth dance', () => {
    it('generated key: request token, browser approval, access token, signed REST calls', async () => {
      const emu = await emulator();
      const common = { baseUrl: emu.url, consumerKey: CONSUMER, privateKeyPem: keys.privateKeyPem };
      const rt = await requestToken(common);
      assert.equal(rt.authorizeUrl, `${emu.url}/plugins/servlet/oauth/authorize?oauth_token=${encodeURIComponent(rt.token)}`);
      assert.equal(rt.callbackConfirmed, true);
      const code = await browserAuthorize(rt.authorizeUrl);
      assert.ok(code);
      const at = await accessToken({ ...common, token: rt.token, tokenSecret: rt.tokenSecret, verifier: ` '${code}' ` });
      assert.ok(at.token && at.tokenSecret);
      assert.ok(at.expiresIn && at.expiresIn > 0);
      assert.ok(at.sessionHandle);
      const client = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth1', consumerKey: CONSUMER, privateKeyPem: keys.privateKeyPem, token: at.token, tokenSecret: at.tokenSecret } });
      const me = await client.request<{ name: string }>('GET', '/rest/api/2/myself');
      assert.equal(me.body.name, 'admin');
      const info = await client.request<{ version: string }>('GET', '/rest/api/2/serverInfo');
      assert.ok(info.body.version);
      const search = await client.request<{ issues: Array<{ key: string }>; total: number }>('GET', '/rest/api/2/search', {
        query: { jql: 'ORDER BY key ASC', maxResults: 3, fields: 'summary' },
      });
      assert.equal(search.body.issues.length, 3);
      const key = search.body.issues[0].key;
      const issue = await client.request<{ key: string }>('GET', `/rest/api/2/issue/${key}`);
      assert.equal(issue.body.key, key);
      const log = emu.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
      assert.deepEqual(log.slice(0, 4).map((l) => l.replace(/\s\d+$/, '')), [
        'POST /plugins/servlet/oauth/request-token',
        'GET /plugins/servlet/oauth/authorize',
        'POST /plugins/servlet/oauth/authorize',
        'POST /plugins/servlet/oauth/access-token',
      ]);
      assert.ok(emu.requests.every((r) => r.status < 400), log.join('\n'));
      assert.ok(emu.requests.filter((r) => r.path.startsWith('/rest/')).every((r) => r.auth === 'oauth1' && r.user === 'admin'));
    });

    it('the user denies: permission_denied on the access-token step', async () => {
      const emu = await emulator();
      const common = { baseUrl: emu.url, consumerKey: CONSUMER, privateKeyPem: keys.privateKeyPem };
      const rt = await requestToken(common);
      await browserAuthorize(rt.authorizeUrl, 'deny');
      const e = await failure(accessToken({ ...common, token: rt.token, tokenSecret: rt.tokenSecret, verifier: 'whatever' }));
      assert.equal(e.oauthProblem, 'permission_denied');
      assert.match(e.message, /denied.*Allow/s);
    });
  });

  describe('awkward queries, decoded by the server exactly as sent', () => {
    let emu: Emulator;
    let client: JiraClient;
    before(async () => {
      emu = await emulator();
      client = await signIn(emu, keys);
    });

    const values = [
      'project = "AB C" AND summary ~ "a+b" ORDER BY key',
      "text ~ 'x=y&z' OR labels in (\"a b\", c)",
      'a+b',
      'c d',
      '100%',
      '%20 is not a space',
      'ünïcødé 日本語 😀',
      '',
      '=&?#/;,',
      '[1]{2}|^`\\',
      "quote's \"double\"",
      '~!*()\'',
    ];

    it('query option values (JQL, +, %, unicode, empty, reserved characters)', async () => {
      for (const v of values) {
        const r = await client.request<Echo>('GET', '/rest/emulator/1.0/echo', { query: { jql: v, n: 42 } });
        assert.deepEqual(r.body.query, [['jql', v], ['n', '42']], `value ${JSON.stringify(v)}`);
        assert.equal(r.body.user, 'admin');
      }
    });

    it('the same values pre-encoded in the path query string', async () => {
      for (const v of values) {
        const r = await client.request<Echo>('GET', `/rest/emulator/1.0/echo?jql=${encodeURIComponent(v)}`);
        assert.deepEqual(r.body.query, [['jql', v]], `value ${JSON.stringify(v)}`);
      }
    });

    it('a + in the path query string is a space; in the query option a literal plus', async () => {
      const r = await client.request<Echo>('GET', '/rest/emulator/1.0/echo?a=1+2&b=x%2By', { query: { c: '3+4' } });
      assert.deepEqual(r.body.query, [['a', '1 2'], ['b', 'x+y'], ['c', '3+4']]);
    });

    it('a path query written loosely (raw spaces, quotes, brackets) is encoded, not rejected', async () => {
      const r = await client.request<Echo>('GET', '/rest/emulator/1.0/echo?jql=summary ~ "x [y]"&empty=&flag');
      assert.deepEqual(r.body.query, [['jql', 'summary ~ "x [y]"'], ['empty', ''], ['flag', '']]);
    });

    it('repeated keys from the path query and query option arrays are all kept, in order', async () => {
      const r = await client.request<Echo>('GET', '/rest/emulator/1.0/echo?fields=b&fields=a', { query: { fields: ['c', 'a'], expand: ['x'] } });
      assert.deepEqual(r.body.query, [['fields', 'b'], ['fields', 'a'], ['fields', 'c'], ['fields', 'a'], ['expand', 'x']]);
    });

    it('real JQL through /rest/api/2/search (GET with query, and POST with JSON)', async () => {
      const jql = 'project = DEMO AND summary ~ "issue" ORDER BY key DESC';
      const g = await client.request<{ issues: unknown[]; total: number }>('GET', '/rest/api/2/search', { query: { jql, maxResults: 2 } });
      const p = await client.request<{ issues: unknown[]; total: number }>('POST', '/rest/api/2/search', { json: { jql, maxResults: 2 } });
      assert.equal(g.body.total, p.body.total);
      assert.equal(g.body.issues.length, p.body.issues.length);
    });

    it('POST with a JSON body: not signed, still accepted', async () => {
      const doc = { text: 'a=b&c=d+e', oauth_token: 'not-a-param', nested: { n: [1, 2] }, u: 'é' };
      const r = await client.request<Echo>('POST', '/rest/emulator/1.0/echo?x=1', { json: doc });
      assert.deepEqual(r.body.json, doc);
      assert.deepEqual(r.body.query, [['x', '1']]);
      assert.equal(r.body.user, 'admin');
      const key = (await client.request<{ issues: Array<{ key: string }> }>('GET', '/rest/api/2/search', { query: { maxResults: 1 } })).body.issues[0].key;
      const c = await client.request<{ body: string }>('POST', `/rest/api/2/issue/${key}/comment`, { json: { body: 'Signed by *jira-auth* + core' } });
      assert.equal(c.status, 201);
      assert.equal(c.body.body, 'Signed by *jira-auth* + core');
    });

    it('form POST: signed, decoded by the server exactly as sent', async () => {
      const form = { name: 'a b+c', eq: 'x=y&z', empty: '', uni: 'ünï 😀', many: ['1', '2'] };
      const r = await client.request<Echo>('POST', '/rest/emulator/1.0/echo', { form });
      assert.equal(r.body.user, 'admin');
      const decoded = Array.isArray(r.body.form) ? r.body.form : Object.entries(r.body.form ?? {});
      const flat = (decoded as Array<[string, unknown]>).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));
      assert.deepEqual(flat, [['name', 'a b+c'], ['eq', 'x=y&z'], ['empty', ''], ['uni', 'ünï 😀'], ['many', '1'], ['many', '2']]);
    });

    it('200 concurrent requests: all accepted, no nonce_used', async () => {
      const before = emu.requests.length;
      const all = await Promise.all(
        Array.from({ length: 200 }, (_, i) => client.request<Echo>('GET', '/rest/emulator/1.0/echo', { query: { i } })),
      );
      assert.equal(all.length, 200);
      all.forEach((r, i) => assert.deepEqual(r.body.query, [['i', String(i)]]));
      const mine = emu.requests.slice(before);
      assert.equal(mine.length, 200);
      assert.ok(mine.every((r) => r.status === 200 && !r.oauthProblem));
    });
  });

  describe('base URLs', () => {
    it('upper-case host, trailing slash and a context path (/jira)', async () => {
      const port = await freePort();
      const emu = await emulator({ port, contextPath: '/jira', baseUrl: `http://localhost:${port}/jira` });
      assert.equal(emu.url.endsWith('/jira'), true);
      const client = await signIn(emu, keys, `HTTP://LOCALHOST:${port}/jira/`);
      assert.equal(client.baseUrl, `http://localhost:${port}/jira`);
      const r = await client.request<Echo>('GET', 'rest/emulator/1.0/echo', { query: { q: 'a b' } });
      assert.equal(r.body.path, '/jira/rest/emulator/1.0/echo');
      assert.deepEqual(r.body.query, [['q', 'a b']]);
      const me = await client.request<{ name: string }>('GET', '/rest/api/2/myself');
      assert.equal(me.body.name, 'admin');
    });

    it('forgetting the context path: a clear not_found naming the page, never the HTML', async () => {
      const emu = await emulator({ contextPath: '/jira' });
      const root = emu.url.replace(/\/jira$/, '');
      const e = await failure(requestToken({ baseUrl: root, consumerKey: CONSUMER, privateKeyPem: keys.privateKeyPem }));
      assert.equal(e.code, 'not_found');
      assert.match(e.message, /context path such as \/jira/);
      assert.ok(!/<html|<div/i.test(e.message));
    });

    it('Jira configured with another base URL (reverse proxy): signature_invalid names the URL that was signed', async () => {
      const emu = await emulator({ baseUrl: 'https://jira.example.com/jira' });
      const e = await failure(requestToken({ baseUrl: emu.url, consumerKey: CONSUMER, privateKeyPem: keys.privateKeyPem }));
      assert.equal(e.oauthProblem, 'signature_invalid');
      assert.ok(e.message.includes(`Jira rejected the signature for ${emu.url}/plugins/servlet/oauth/request-token`), e.message);
      assert.match(e.message, /Administration > System > General configuration/);
    });
  });

  describe('clock skew', () => {
    it('a clock 20 minutes off recovers after one round trip: exactly one refused request, then success', async () => {
      const emu = await emulator({ clockSkewSeconds: 1200 });
      const client = await signIn(emu, keys);
      await client.request('GET', '/rest/api/2/myself');
      await client.request('GET', '/rest/api/2/myself');
      const oauthCalls = emu.requests.filter((r) => r.auth === 'oauth1');
      const refused = oauthCalls.filter((r) => r.oauthProblem === 'timestamp_refused');
      assert.equal(refused.length, 1, oauthCalls.map((r) => `${r.path} ${r.status} ${r.oauthProblem ?? ''}`).join('\n'));
      assert.equal(oauthCalls[0].oauthProblem, 'timestamp_refused');
      assert.equal(oauthCalls[1].path, oauthCalls[0].path);
      assert.equal(oauthCalls[1].status, 200);
      assert.ok(oauthCalls.slice(1).every((r) => r.status < 400));
      assert.ok(Math.abs(getClockOffset(emu.url) - 1200) <= 2, String(getClockOffset(emu.url)));
    });

    it('a server clock that jumps later (setClockSkew) is learned again with one retry; legacy 400 status too', async () => {
      const emu = await emulator({ legacyErrorStatus: true });
      const client = await signIn(emu, keys);
      emu.setClockSkew(-1800);
      const before = emu.requests.length;
      await client.request('GET', '/rest/api/2/myself');
      const mine = emu.requests.slice(before);
      assert.deepEqual(mine.map((r) => [r.status, r.oauthProblem]), [[400, 'timestamp_refused'], [200, undefined]]);
    });
  });

  describe('every oauth_problem the emulator produces', () => {
    let emu: Emulator;
    before(async () => {
      emu = await emulator({ requestTokenTtlSeconds: 1 });
    });
    const common = () => ({ baseUrl: emu.url, consumerKey: CONSUMER, privateKeyPem: keys.privateKeyPem });

    async function expectProblem(p: Promise<unknown>, problem: string, message: RegExp): Promise<JiraError> {
      const e = await failure(p);
      assert.equal(e.code, 'oauth_problem', e.message);
      assert.equal(e.oauthProblem, problem, e.message);
      assert.match(e.message, message);
      return e;
    }

    it('consumer_key_unknown', async () => {
      const e = await expectProblem(requestToken({ ...common(), consumerKey: 'nobody' }), 'consumer_key_unknown', /no application link with consumer key "nobody"/);
      assert.equal(e.status, 401);
    });

    it('signature_invalid (a key that does not match the application link)', async () => {
      const other = await generateKeyPair();
      await expectProblem(requestToken({ ...common(), privateKeyPem: other.privateKeyPem }), 'signature_invalid', /public key in the application link/);
    });

    it('permission_unknown (access token before approving)', async () => {
      const rt = await requestToken(common());
      await expectProblem(accessToken({ ...common(), token: rt.token, tokenSecret: rt.tokenSecret, verifier: 'abc' }), 'permission_unknown', /not been authorized yet/);
    });

    it('token_rejected (wrong verifier, unknown token, revoked access token)', async () => {
      const rt = await requestToken(common());
      await browserAuthorize(rt.authorizeUrl);
      await expectProblem(accessToken({ ...common(), token: rt.token, tokenSecret: rt.tokenSecret, verifier: 'wrong1' }), 'token_rejected', /Sign in again/);
      await expectProblem(accessToken({ ...common(), token: 'no-such-token', tokenSecret: 'x', verifier: 'v' }), 'token_rejected', /Sign in again/);
      const client = await signIn(emu, keys);
      await client.request('GET', '/rest/api/2/myself');
      emu.revokeAccessTokens(CONSUMER);
      await expectProblem(client.request('GET', '/rest/api/2/myself'), 'token_rejected', /revoked/);
    });

    it('token_expired (request token older than its lifetime)', async () => {
      const rt = await requestToken(common());
      const code = await browserAuthorize(rt.authorizeUrl);
      await new Promise((r) => setTimeout(r, 1300));
      await expectProblem(accessToken({ ...common(), token: rt.token, tokenSecret: rt.tokenSecret, verifier: code as string }), 'token_expired', /10 minutes/);
    });

    it('parameter_rejected (an invalid oauth_callback)', async () => {
      const e = await expectProblem(requestToken({ ...common(), callback: 'not a url' }), 'parameter_rejected', /oauth_parameters_rejected: oauth_callback/);
      assert.deepEqual(e.oauthParametersRejected, ['oauth_callback']);
    });

    it('parameter_absent (a proxy dropped oauth_nonce)', async () => {
      const transport = tamper((req) => ({ ...req, headers: { ...req.headers, Authorization: req.headers.Authorization.replace(/oauth_nonce="[^"]*", /, '') } }));
      const e = await expectProblem(requestToken({ ...common(), transport }), 'parameter_absent', /oauth_parameters_absent: oauth_nonce/);
      assert.deepEqual(e.oauthParametersAbsent, ['oauth_nonce']);
    });

    it('nonce_used (a replayed request)', async () => {
      const transport: Transport = async (req) => {
        await httpRequest(req);
        return httpRequest(req);
      };
      await expectProblem(requestToken({ ...common(), transport }), 'nonce_used', /nonce/);
    });

    it('timestamp_refused that persists after the one retry', async () => {
      const transport = tamper((req) => ({ ...req, headers: { ...req.headers, Authorization: req.headers.Authorization.replace(/oauth_timestamp="\d+"/, 'oauth_timestamp="1000"') } }));
      const before = emu.requests.length;
      await expectProblem(requestToken({ ...common(), transport }), 'timestamp_refused', /clock/);
      assert.equal(emu.requests.length - before, 2);
    });

    it('signature_method_rejected', async () => {
      const transport = tamper((req) => ({ ...req, headers: { ...req.headers, Authorization: req.headers.Authorization.replace('RSA-SHA1', 'HMAC-SHA1') } }));
      await expectProblem(requestToken({ ...common(), transport }), 'signature_method_rejected', /RSA-SHA1/);
    });

    it('version_rejected', async () => {
      const transport = tamper((req) => ({ ...req, headers: { ...req.headers, Authorization: req.headers.Authorization.replace('oauth_version="1.0"', 'oauth_version="2.0"') } }));
      await expectProblem(requestToken({ ...common(), transport }), 'version_rejected', /version/);
    });

    it('parameter_rejected (oauth_token repeated in the query)', async () => {
      const client = await signIn(emu, keys);
      const e = await expectProblem(client.request('GET', '/rest/api/2/myself?oauth_token=again'), 'parameter_rejected', /oauth_parameters_rejected: oauth_token/);
      assert.deepEqual(e.oauthParametersRejected, ['oauth_token']);
    });

    it('401 without oauth_problem (unknown personal access token), 404 for a missing issue', async () => {
      const pat = createJiraClient({ baseUrl: emu.url, auth: { type: 'pat', token: 'nope' } });
      const u = await failure(pat.request('GET', '/rest/api/2/myself'));
      assert.equal(u.code, 'unauthorized');
      assert.match(u.message, /personal access token/);
      const client = await signIn(emu, keys);
      const nf = await failure(client.request('GET', '/rest/api/2/issue/NOPE-999999'));
      assert.equal(nf.code, 'not_found');
      assert.ok(nf.errorMessages && nf.errorMessages.length > 0);
    });

    it('no secret of the dance appears in any error message', async () => {
      const issued = emu.issuedTokens();
      const errors: JiraError[] = [];
      errors.push(await failure(requestToken({ ...common(), consumerKey: 'nobody' })));
      const rt = await requestToken(common());
      errors.push(await failure(accessToken({ ...common(), token: rt.token, tokenSecret: rt.tokenSecret, verifier: 'x' })));
      for (const e of errors) {
        for (const s of [...issued, ...emu.issuedTokens()]) assert.ok(!e.message.includes(s) && !String(e.url ?? '').includes(s), e.message);
        assert.ok(!e.message.includes('PRIVATE KEY'));
      }
    });
  });

  const OPENSSL = hasOpenssl();
  (OPENSSL ? describe : describe.skip)(`keys made by openssl${OPENSSL ? '' : ' (SKIPPED: openssl not installed)'}`, () => {
    let dir: string;
    before(() => {
      dir = tmpDir();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function danceWith(privateKeyPem: string, passphrase?: string): Promise<void> {
      const publicKeyPem = derivePublicKeyPem(privateKeyPem, { passphrase });
      const emu = await emulator({}, { privateKeyPem, publicKeyPem });
      const common = { baseUrl: emu.url, consumerKey: CONSUMER, privateKeyPem, passphrase };
      const rt = await requestToken(common);
      const code = await browserAuthorize(rt.authorizeUrl);
      const at = await accessToken({ ...common, token: rt.token, tokenSecret: rt.tokenSecret, verifier: code as string });
      const client = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth1', consumerKey: CONSUMER, privateKeyPem, passphrase, token: at.token, tokenSecret: at.tokenSecret } });
      assert.equal((await client.request<{ name: string }>('GET', '/rest/api/2/myself')).body.name, 'admin');
    }

    it('openssl genrsa 2048', async () => {
      const f = path.join(dir, 'genrsa.pem');
      try {
        openssl(['genrsa', '-traditional', '-out', f, '2048']);
      } catch {
        openssl(['genrsa', '-out', f, '2048']);
      }
      await danceWith(fs.readFileSync(f, 'utf8'));
    });

    it('openssl genpkey -algorithm RSA', async () => {
      const f = path.join(dir, 'genpkey.pem');
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072', '-out', f]);
      await danceWith(fs.readFileSync(f, 'utf8'));
    });

    it('openssl pkcs8 -topk8 -v2 aes-256-cbc (encrypted, with its passphrase)', async () => {
      const plain = path.join(dir, 'p.pem');
      const enc = path.join(dir, 'e.pem');
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', plain]);
      openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', plain, '-out', enc, '-passout', 'pass:pass phrase']);
      await danceWith(fs.readFileSync(enc, 'utf8'), 'pass phrase');
    });
  });
});
