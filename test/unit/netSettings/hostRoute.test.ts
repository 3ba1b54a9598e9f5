// Which requests go through VS Code's own network stack (its patched https.request: PAC and system
// proxies, its proxy login, Kerberos, the OS store) and which through the extension's own transport:
// every jira.* override, a loopback site, http.proxySupport "off", http.proxyAuthorization and
// http.proxyStrictSSL false (settings VS Code's stack for extensions ignores) keep the own transport; everything else, http.proxy included, is VS Code's (docs/network.md).
import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import { hostRoute, networkDefaultsFor, NetworkIo, RawNetworkSettings } from '../../../src/netSettings/config';
import type { Emulator } from '../../emulator/types';
import { jiraError as rejects } from '../core/helpers';
import { fakeVsCodeStack, FakeStack, startChallengingProxy } from '../support/fakeVsCodeStack';
import { makePkiOrSkip, Pki, startTlsEmulator } from '../support/netFixtures';

const SITE = 'https://jira.corp.example';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const own = { extraCa: false, clientCertificate: false };

describe('network settings: the default path is VS Code\'s network stack', () => {
  it('no override: VS Code\'s stack, whatever http.proxy, http.noProxy, http.proxySupport (on, fallback, override) say', () => {
    for (const s of [{}, { httpProxy: 'http://corp:3128' }, { noProxy: ['jira.corp.example'] }, { proxySupport: 'on' }, { proxySupport: 'fallback' }, { proxySupport: 'override' }, { systemCertificates: false }] as RawNetworkSettings[]) {
      assert.equal(hostRoute(`${SITE}/rest/api/2/myself`, s, own), true, JSON.stringify(s));
    }
  });

  it('the own transport for explicit overrides, loopback, http.proxySupport "off", http.proxyAuthorization, http.proxyStrictSSL false', () => {
    const cases: Array<[string, string, RawNetworkSettings, typeof own?]> = [
      ['a jira.network.proxy entry', SITE, { siteProxies: { 'jira.corp.example': 'http://site-proxy:8080' } }],
      ['a jira.network.proxy "direct" entry', SITE, { siteProxies: { [SITE]: 'direct' } }],
      ['jira.ca for the site', SITE, {}, { extraCa: true, clientCertificate: false }],
      ['a client certificate', SITE, {}, { extraCa: false, clientCertificate: true }],
      ['a loopback site', 'https://127.0.0.1:8443', {}],
      ['localhost', 'http://localhost:8080/jira', {}],
      ['http.proxySupport off', SITE, { proxySupport: 'off', httpProxy: 'http://corp:3128' }],
      ['http.proxyAuthorization', SITE, { httpProxy: 'http://corp:3128', proxyAuthorization: 'Basic dXNlcjpwdw==' }],
      ['http.proxyStrictSSL false', SITE, { httpProxy: 'https://corp:3128', proxyStrictSSL: false }],
    ];
    for (const [why, url, s, site] of cases) assert.equal(hostRoute(url, s, site ?? own), false, why);
    assert.equal(hostRoute(SITE, { siteProxies: { 'other.example': 'http://p:1' } }, own), true, 'an entry for another site does not count');
  });

  it('networkDefaultsFor hands the stack over only on the default path, and only when the host gave one (not in plain Node)', async () => {
    const stack = fakeVsCodeStack();
    const io: NetworkIo = { core, env: {}, hostStack: stack, readFile: async () => Buffer.from(PEM), clientCertificate: async () => ({ cert: 'c', key: 'k' }) };
    assert.equal((await networkDefaultsFor(SITE, {}, io)).network?.host, stack);
    const withCa = (await networkDefaultsFor(SITE, { ca: { [SITE]: ['/company-ca.pem'] } }, io)).network;
    assert.equal(withCa?.host, undefined);
    assert.equal(withCa?.extraCa?.length, 1);
    assert.equal((await networkDefaultsFor(SITE, { clientCertificates: { [SITE]: { pfx: '/me.p12' } } }, io)).network?.host, undefined);
    assert.equal((await networkDefaultsFor(SITE, {}, { ...io, hostStack: undefined })).network?.host, undefined);
    stack.close();
  });

  describe('requests through the installed provider', function () {
    let pki: Pki;
    let emulator: Emulator;
    let site: string;
    let stack: FakeStack;
    let restore: () => void;
    let settings: RawNetworkSettings;

    before(async function () {
      pki = makePkiOrSkip(this);
      emulator = await startTlsEmulator(pki, { certFile: pki.issueServer('corp', 'DNS:jira.corp.example').certFile });
      site = `https://jira.corp.example:${emulator.port}`;
    });
    beforeEach(() => {
      settings = {};
      stack = fakeVsCodeStack({ systemCa: [pki.read(pki.caCertFile)], hosts: { 'jira.corp.example': '127.0.0.1' } });
      const io: NetworkIo = { core, env: {}, hostStack: stack, readFile: async () => Buffer.from(pki.read(pki.caCertFile)), clientCertificate: () => Promise.reject(new Error('none')) };
      restore = core.setNetworkProvider((url, signal) => networkDefaultsFor(url, settings, io, signal));
    });
    afterEach(() => {
      restore();
      stack.close();
      core.closeIdleConnections();
    });
    after(async () => {
      await emulator?.close();
      pki?.cleanup();
    });

    it('with no jira.* setting, a request with no network options of its own goes through VS Code\'s stack', async () => {
      assert.equal((await core.fetchServerInfo(site)).serverTitle, 'Jira Emulator');
      assert.deepEqual(stack.calls, [`GET jira.corp.example:${emulator.port}/rest/api/2/serverInfo`]);
    });

    it('a jira.network.proxy entry bypasses VS Code\'s stack: the extension opens the tunnel itself', async () => {
      const proxy = await startChallengingProxy('Basic realm="corp"', `Basic ${Buffer.from('me:pw').toString('base64')}`);
      try {
        settings = { siteProxies: { 'jira.corp.example': `http://me:pw@127.0.0.1:${proxy.port}` }, ca: [pki.caCertFile] };
        assert.equal((await core.fetchServerInfo(site)).serverTitle, 'Jira Emulator');
        assert.deepEqual(stack.calls, []);
        assert.equal(proxy.requests.length, 1);
      } finally {
        await proxy.close();
      }
    });

    it('jira.ca alone bypasses it too: the own transport, with its own name resolution', async () => {
      settings = { ca: { 'jira.corp.example': [pki.caCertFile] } };
      const e = await rejects(core.fetchServerInfo(site, { retry: false }));
      assert.equal(e.code, 'network');
      assert.match(String(e.systemCode), /^(ENOTFOUND|EAI_AGAIN)$/, 'jira.corp.example is a name only the fake stack resolves');
      assert.deepEqual(stack.calls, []);
    });
  });
});
