// A corporate network in a real VS Code (code-server), with no jira.* network setting at all:
// - the site's certificate is issued by a company CA that only the operating system's trust store
//   holds (the harness seeds it before any journey: osTrustedCa), as with TLS inspection; VS Code's
//   http.systemCertificates is on (its default), and jira.ca is not set;
// - VS Code's http.proxy is a local proxy that requires a login (credentials in the proxy URL):
//   sign-in and the issue tree go through it; with http.proxySupport "off" they go direct.
// With no jira.* network setting, requests go through VS Code's own (patched) https.request, which
// resolves http.proxy and reads the OS store itself. The proxy's log shows it: VS Code's agent opens
// a new tunnel for every request (microsoft/vscode#228872), where the extension's own transport
// would carry several requests over one kept-alive tunnel.
// The site listens on this machine's non-loopback address: a loopback site never uses http.proxy.
import * as assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import type { Page } from 'playwright-core';
import { startProxy, TestProxy } from '../unit/support/netFixtures';
import { launch, osTrustedCa, pane, signInThroughUi, tidy, withPersonalAccessToken, Workbench, writeServerSettings } from './harness';

const PAT = 'corporate-e2e-pat';
const PROXY_USER = 'corp-user';
const PROXY_PASSWORD = 'corp-proxy-pw';

/** What the proxy carried for the site (VS Code's own requests go through http.proxy too: open-vsx, telemetry). */
function toSite(proxy: TestProxy, host: string): string[] {
  return proxy.requests.filter((r) => r.includes(host));
}

function issueRows(page: Page) {
  return pane(page, 'My Issues').locator('.monaco-list-row', { hasText: /[A-Z]+-\d+/ });
}

/** This machine's first non-loopback IPv4 address. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

/** The site on this machine's non-loopback address with a certificate of the OS-trusted company CA, VS Code started with `settings`. */
async function corporateSite(ctx: Mocha.Context, name: string, proxy: TestProxy, settings: Record<string, unknown>): Promise<{ wb: Workbench; host: string } | undefined> {
  const ca = osTrustedCa();
  const ip = lanAddress();
  if (!ca || !ip) {
    console.log(`    skipped: ${!ca ? 'openssl is missing (it makes the company CA)' : 'this machine has no non-loopback IPv4 address'}`);
    ctx.skip();
    return undefined;
  }
  const site = ca.issueServer(`corporate-${name}`, `IP:${ip}`);
  writeServerSettings({ 'jira.ca': undefined, 'jira.network.proxy': undefined, 'http.proxy': proxy.url.replace('http://', `http://${PROXY_USER}:${PROXY_PASSWORD}@`), ...settings });
  const wb = await launch({ name: `corporate-${name}`, emulator: { host: ip, pats: { [PAT]: 'admin' }, tls: { cert: ca.read(site.certFile), key: ca.read(site.keyFile) } } });
  // e2e-guard: fixture: the site's address on this machine's non-loopback IP, which the user types.
  const host = `${ip}:${wb.emulator.port}`;
  assert.equal(wb.emulator.url, `https://${host}`);
  await tidy(wb);
  return { wb, host };
}

describe('Corporate network: OS-trusted company CA, http.proxy with a login, http.proxySupport off', function () {
  let wb: Workbench | undefined;
  let proxy: TestProxy;

  before(async () => {
    proxy = await startProxy({ auth: { user: PROXY_USER, password: PROXY_PASSWORD } });
  });
  afterEach(async () => {
    writeServerSettings({ 'http.proxy': undefined, 'http.proxySupport': undefined });
    await wb?.close();
    wb = undefined;
  });
  after(async () => {
    await proxy?.close();
  });

  it('signs in and loads the issues through the proxy, trusting the site by the system store alone', async function () {
    const started = await corporateSite(this, 'proxied', proxy, { 'http.proxySupport': 'override' });
    if (!started) return;
    wb = started.wb;
    const { host } = started;
    await signInThroughUi(wb, withPersonalAccessToken(wb, PAT));
    await issueRows(wb.page).first().waitFor({ timeout: 30_000 });
    assert.ok(toSite(proxy, host).length >= 1, `the proxy carried the requests: ${JSON.stringify(proxy.requests)}`);
    assert.deepEqual([...new Set(toSite(proxy, host))], [`CONNECT ${host}`], 'every request was a CONNECT tunnel to the site, with the login accepted');
    assert.ok(wb.emulator.requests.some((r) => r.path.endsWith('/search') && r.status === 200 && r.user === 'admin'));
    const api = wb.emulator.requests.filter((r) => r.path.includes('/rest/')).length;
    assert.ok(toSite(proxy, host).length >= api, `VS Code's stack carried them, one tunnel per request: ${toSite(proxy, host).length} tunnels for ${api} REST requests`);
  });

  // VS Code is started with the setting: written while the window ran, the change had not reached
  // the extension host by the next refresh (its log showed no change of route), and through the
  // own transport's kept-alive tunnel an earlier version of this test passed without going direct.
  it('with http.proxySupport "off" the requests go direct: the proxy sees none of them', async function () {
    const started = await corporateSite(this, 'direct', proxy, { 'http.proxySupport': 'off' });
    if (!started) return;
    wb = started.wb;
    const { host } = started;
    await signInThroughUi(wb, withPersonalAccessToken(wb, PAT));
    await issueRows(wb.page).first().waitFor({ timeout: 30_000 });
    assert.ok(wb.emulator.requests.some((r) => r.path.endsWith('/search') && r.status === 200 && r.user === 'admin'), 'the site answered');
    assert.deepEqual(toSite(proxy, host), [], 'the proxy saw no request for the site');
  });
});
