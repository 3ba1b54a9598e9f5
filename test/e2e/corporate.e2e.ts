// A corporate network in a real VS Code (code-server), with no jira.* network setting at all:
// - the site's certificate is issued by a company CA that only the operating system's trust store
//   holds (the harness seeds it before any journey: osTrustedCa), as with TLS inspection; VS Code's
//   http.systemCertificates is on (its default), and jira.ca is not set;
// - VS Code's http.proxy is a local proxy that requires a login (credentials in the proxy URL):
//   sign-in and the issue tree go through it; with http.proxySupport "off" they go direct.
// The site listens on this machine's non-loopback address: a loopback site never uses http.proxy.
import * as assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import type { Page } from 'playwright-core';
import { startProxy, TestProxy } from '../unit/support/netFixtures';
import { launch, osTrustedCa, pane, runExact, signInThroughUi, tidy, withPersonalAccessToken, Workbench, writeServerSettings } from './harness';

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

describe('Corporate network: OS-trusted company CA, http.proxy with a login, http.proxySupport off', function () {
  let wb: Workbench;
  let proxy: TestProxy;
  let host: string;

  before(async function () {
    const ca = osTrustedCa();
    const ip = lanAddress();
    if (!ca || !ip) {
      console.log(`    skipped: ${!ca ? 'openssl is missing (it makes the company CA)' : 'this machine has no non-loopback IPv4 address'}`);
      this.skip();
    }
    const site = ca.issueServer('corporate-site', `IP:${ip}`);
    proxy = await startProxy({ auth: { user: PROXY_USER, password: PROXY_PASSWORD } });
    writeServerSettings({
      'jira.ca': undefined,
      'jira.network.proxy': undefined,
      'http.proxy': proxy.url.replace('http://', `http://${PROXY_USER}:${PROXY_PASSWORD}@`),
      'http.proxySupport': 'override',
    });
    wb = await launch({ name: 'corporate', emulator: { host: ip, pats: { [PAT]: 'admin' }, tls: { cert: ca.read(site.certFile), key: ca.read(site.keyFile) } } });
    // e2e-guard: fixture: the site's address on this machine's non-loopback IP, which the user types.
    host = `${ip}:${wb.emulator.port}`;
    assert.equal(wb.emulator.url, `https://${host}`);
    await wb.page.waitForTimeout(1500); // the settings file change reaches the extension host
    await tidy(wb);
  });

  after(async () => {
    writeServerSettings({ 'http.proxy': undefined, 'http.proxySupport': undefined });
    await wb?.close();
    await proxy?.close();
  });

  it('signs in and loads the issues through the proxy, trusting the site by the system store alone', async () => {
    await signInThroughUi(wb, withPersonalAccessToken(wb, PAT));
    await issueRows(wb.page).first().waitFor({ timeout: 30_000 });
    assert.ok(toSite(proxy, host).length >= 1, `the proxy carried the requests: ${JSON.stringify(proxy.requests)}`);
    assert.deepEqual([...new Set(toSite(proxy, host))], [`CONNECT ${host}`], 'every request was a CONNECT tunnel to the site, with the login accepted');
    assert.ok(wb.emulator.requests.some((r) => r.path.endsWith('/search') && r.status === 200 && r.user === 'admin'));
  });

  it('with http.proxySupport "off" the requests go direct: the proxy sees no new connection', async () => {
    writeServerSettings({ 'http.proxySupport': 'off' });
    await wb.page.waitForTimeout(1500);
    const seen = toSite(proxy, host).length;
    const before = wb.emulator.requests.length;
    await runExact(wb, 'Jira: Refresh');
    const deadline = Date.now() + 30_000;
    while (!wb.emulator.requests.slice(before).some((r) => r.path.endsWith('/search') && r.status === 200)) {
      assert.ok(Date.now() < deadline, 'the refresh reached the site');
      await wb.page.waitForTimeout(100);
    }
    await issueRows(wb.page).first().waitFor();
    assert.equal(toSite(proxy, host).length, seen, `the proxy saw ${JSON.stringify(toSite(proxy, host).slice(seen))}`);
  });
});
