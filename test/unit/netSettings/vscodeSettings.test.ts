// VS Code's own network settings that decide how extensions reach the network, read like VS Code
// applies them to extensions: http.proxySupport "off" leaves requests direct (http.proxy and
// HTTPS_PROXY unused), http.systemCertificates (on by default) adds the system's CA store. The
// jira.network.proxy override still wins over both.
import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import { networkDefaultsFor, NetworkIo, proxySettingsFor, RawNetworkSettings } from '../../../src/netSettings/config';

const env = { HTTPS_PROXY: 'http://env-proxy:3128' };
const io: NetworkIo = { core, env, readFile: () => Promise.reject(new Error('no files')), clientCertificate: () => Promise.reject(new Error('none')) };

describe('network settings: http.proxySupport and http.systemCertificates', () => {
  it('http.proxySupport "off": direct, whatever http.proxy and HTTPS_PROXY say', () => {
    const s: RawNetworkSettings = { proxySupport: 'off', httpProxy: 'http://corp-proxy:3128' };
    assert.deepEqual(proxySettingsFor('https://jira.example.com/', s, env), { proxy: 'direct' });
    assert.deepEqual(proxySettingsFor('https://jira.example.com/', { proxySupport: 'off' }, env), { proxy: 'direct' });
  });

  it('the other values ("override", "on", "fallback", unset) keep http.proxy, then the environment', () => {
    for (const proxySupport of ['override', 'on', 'fallback', undefined]) {
      assert.equal(proxySettingsFor('https://jira.example.com/', { proxySupport, httpProxy: 'http://corp-proxy:3128' }, env).proxy, 'http://corp-proxy:3128', String(proxySupport));
      assert.equal(core.resolveProxy('https://jira.example.com/', proxySettingsFor('https://jira.example.com/', { proxySupport }, env))?.display, 'http://env-proxy:3128', String(proxySupport));
    }
  });

  it('a jira.network.proxy entry for the site wins over http.proxySupport "off"', () => {
    const s: RawNetworkSettings = { proxySupport: 'off', siteProxies: { 'jira.example.com': 'http://site-proxy:8080' } };
    assert.equal(proxySettingsFor('https://jira.example.com/', s, env).proxy, 'http://site-proxy:8080');
  });

  it('http.systemCertificates: the system store is trusted unless the setting is false', async () => {
    assert.equal((await networkDefaultsFor('https://jira.example.com/', {}, io)).network?.systemCa, true, 'VS Code\'s default is on');
    assert.equal((await networkDefaultsFor('https://jira.example.com/', { systemCertificates: true }, io)).network?.systemCa, true);
    assert.equal((await networkDefaultsFor('https://jira.example.com/', { systemCertificates: false }, io)).network?.systemCa, false);
  });
});
