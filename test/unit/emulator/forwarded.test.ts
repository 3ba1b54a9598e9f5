// The emulator's pages behind a path-prefix proxy, as code-server forwards a Jira on its own
// machine's loopback (http://<code-server>/proxy/<port>/...: the prefix is stripped before the
// request reaches Jira). A user clicks through every page there: links, form posts and redirects
// must stay under the prefix. A page with an absolute path (/plugins/...) would leave it and land
// on code-server itself, which answers a POST with "Unsupported method POST".
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, Emulator } from '../../emulator';
import { resolveInPage } from '../pageLinks';
import { formBody, formInputs, getRequestToken, http, rsaKeyPair, verifierFrom, Res } from './helpers';

/** A stand-in for code-server's port forwarding: /proxy/<port>/rest → 127.0.0.1:<port>/rest; anything else is code-server's own. */
async function forwardingProxy(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const m = /^\/proxy\/(\d+)(\/.*)?$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'Content-Type': 'text/plain' }).end(`Unsupported method ${req.method}`);
      return;
    }
    const up = request({ host: '127.0.0.1', port: Number(m[1]), path: m[2] ?? '/', method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Submits the form `formId` of a page as a browser does (its action resolved against the page), with `more` fields. */
async function submit(pageUrl: string, page: Res, formId: string, more: Record<string, string>): Promise<{ url: string; res: Res }> {
  const action = new RegExp(`<form id="${formId}" method="post" action="([^"]*)"`).exec(page.body)?.[1];
  assert.ok(action !== undefined, `the page has the form ${formId}`);
  const url = resolveInPage(pageUrl, page.body, action);
  const res = await http(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody({ ...formInputs(page.body, formId), ...more }) });
  return { url, res };
}

describe('emulator pages behind a path-prefix proxy (code-server port forwarding)', () => {
  let proxy: { url: string; server: Server };
  let emu: Emulator | undefined;
  before(async () => {
    proxy = await forwardingProxy();
  });
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });
  after(() => proxy.server.close());

  const forwarded = (e: Emulator) => `${proxy.url}/proxy/${new URL(e.url).port}${new URL(e.url).pathname.replace(/\/$/, '')}`;

  it('the proxy stand-in refuses what leaves the prefix, as code-server does', async () => {
    const res = await http(`${proxy.url}/plugins/servlet/applinks/listApplicationLinks`, { method: 'POST', body: '' });
    assert.deepEqual([res.status, res.body], [405, 'Unsupported method POST']);
  });

  for (const contextPath of ['', '/jira']) {
    it(`creates an application link, then Allow shows the verification code (context path '${contextPath}')`, async () => {
      emu = await startEmulator({ port: 0, contextPath });
      const base = forwarded(emu);
      const { publicPem, privateKey } = await rsaKeyPair();
      // The home page's link to Application Links, as a user follows it.
      const home = await http(`${base}/`);
      const linkHref = /id="applinks-link" href="([^"]+)"/.exec(home.body)?.[1] ?? '';
      const adminUrl = resolveInPage(`${base}/`, home.body, linkHref);
      assert.equal(adminUrl, `${base}/plugins/servlet/applinks/listApplicationLinks`);
      const admin = await http(adminUrl);
      const created = await submit(adminUrl, admin, 'create-link-form', { consumerKey: 'vscode-fwd', consumerName: 'VS Code', publicKey: publicPem });
      assert.equal(created.url, adminUrl);
      assert.equal(created.res.status, 200, created.res.body.slice(0, 300));
      assert.match(created.res.body, /id="applink-success"/);

      const rt = await getRequestToken({ base: emu.url, consumerKey: 'vscode-fwd', privateKey });
      const authorizeUrl = `${base}/plugins/servlet/oauth/authorize?oauth_token=${rt.token}`;
      const page = await http(authorizeUrl);
      assert.equal(page.status, 200);
      const allowed = await submit(authorizeUrl, page, 'oauth-authorize-form', { approve: 'Allow' });
      assert.equal(allowed.url, `${base}/plugins/servlet/oauth/authorize`);
      assert.equal(allowed.res.status, 200, allowed.res.body.slice(0, 300));
      assert.match(verifierFrom(allowed.res.body), /^\S+$/);
      // The logo leads back to the forwarded home page.
      assert.equal(resolveInPage(allowed.url, allowed.res.body, /id="logo"[^>]*href="([^"]+)"/.exec(allowed.res.body)?.[1] ?? ''), `${base}/`);
    });
  }

  it('the bare context path redirects to its root under the prefix', async () => {
    emu = await startEmulator({ port: 0, contextPath: '/jira' });
    const bare = await http(forwarded(emu));
    assert.equal(bare.status, 302);
    assert.equal(new URL(String(bare.headers.location), forwarded(emu)).toString(), `${forwarded(emu)}/`);
  });

  it("OAuth 2.0 (Data Center): the consent form posts under the prefix and redirects to the client's redirect URI", async () => {
    emu = await startEmulator({ port: 0 });
    const verifier = 'v'.repeat(50);
    const q = new URLSearchParams({
      client_id: 'vscode-jira', redirect_uri: 'http://127.0.0.1:33418/oauth2-callback', response_type: 'code', scope: 'READ', state: 's1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    });
    const consentUrl = `${forwarded(emu)}/rest/oauth2/latest/authorize?${q}`;
    const page = await http(consentUrl);
    assert.equal(page.status, 200, page.body.slice(0, 300));
    const { url, res } = await submit(consentUrl, page, 'oauth2-consent-form', { decision: 'allow' });
    assert.equal(url, `${forwarded(emu)}/rest/oauth2/latest/authorize`);
    assert.equal(res.status, 302, res.body.slice(0, 300));
    assert.match(String(res.headers.location), /^http:\/\/127\.0\.0\.1:33418\/oauth2-callback\?code=[^&]+&state=s1$/);
  });

  it("creates a personal access token on the profile page the extension's PAT box opens; Jira accepts it", async () => {
    emu = await startEmulator({ port: 0 });
    const url = `${forwarded(emu)}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens`;
    const page = await http(url);
    assert.equal(page.status, 200);
    const { res } = await submit(url, page, 'create-pat-form', { name: 'VS Code' });
    assert.equal(res.status, 200, res.body.slice(0, 300));
    const token = /<code id="pat-token">([^<]+)</.exec(res.body)?.[1] ?? '';
    assert.match(token, /^[A-Za-z0-9+/]{44}$/);
    assert.match(res.body, /<li class="pat-name">VS Code<\/li>/);
    const me = await http(`${emu.url}/rest/api/2/myself`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.deepEqual(emu.issuedTokens().includes(token), true, 'the secret scan knows it');
    // A nameless token is refused with a message, nothing created.
    const again = await http(url);
    const empty = await submit(url, again, 'create-pat-form', { name: ' ' });
    assert.equal(empty.res.status, 400);
    assert.match(empty.res.body, /Enter a name for the token/);
    assert.equal((empty.res.body.match(/class="pat-name"/g) ?? []).length, 1);
  });

  it('an issue page links to itself under the prefix', async () => {
    emu = await startEmulator({ port: 0 });
    const url = `${forwarded(emu)}/browse/DEMO-1`;
    const page = await http(url);
    assert.equal(page.status, 200);
    assert.equal(resolveInPage(url, page.body, /id="key" href="([^"]+)"/.exec(page.body)?.[1] ?? ''), url);
  });
});
