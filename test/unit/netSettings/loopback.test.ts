// A local Jira (http://127.0.0.1:8080, http://localhost) never goes through http.proxy or
// HTTPS_PROXY: the proxy would read its Authorization header in clear text. Only a
// jira.network.proxy entry for the site sends it through a proxy.
import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import { networkDefaultsFor, proxySettingsFor, RawNetworkSettings } from '../../../src/netSettings/config';
import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/types';
import { startProxy, TestProxy } from '../support/netFixtures';

const env = { HTTP_PROXY: 'http://env-proxy:3128', HTTPS_PROXY: 'http://env-proxy:3128' };

describe('network settings: loopback sites go direct unless their own jira.network.proxy entry says otherwise', () => {
  it('http.proxy and HTTPS_PROXY/HTTP_PROXY are not applied to localhost, 127.0.0.0/8 or ::1', () => {
    const s: RawNetworkSettings = { httpProxy: 'http://corp-proxy:3128', proxyAuthorization: 'Basic cHJveHk6c2VjcmV0' };
    for (const url of ['http://127.0.0.1:8080/jira', 'https://localhost:8443', 'http://jira.localhost', 'http://127.1.2.3', 'http://[::1]:8080']) {
      assert.deepEqual(proxySettingsFor(url, s, env), { proxy: 'direct' }, url);
      assert.deepEqual(proxySettingsFor(url, {}, env), { proxy: 'direct' }, `${url} with only the environment`);
    }
    assert.equal(proxySettingsFor('https://jira.example.com', s, env).proxy, 'http://corp-proxy:3128', 'other sites keep http.proxy');
    assert.equal(proxySettingsFor('https://127.example.com', s, env).proxy, 'http://corp-proxy:3128', 'a host name that starts with 127 is not loopback');
  });

  it('a jira.network.proxy entry for the loopback site does send it through that proxy', () => {
    const s: RawNetworkSettings = { httpProxy: 'http://corp-proxy:3128', siteProxies: { 'http://127.0.0.1:8080': 'http://debug-proxy:8888' } };
    assert.equal(proxySettingsFor('http://127.0.0.1:8080/rest/api/2/myself', s, env).proxy, 'http://debug-proxy:8888');
    assert.deepEqual(proxySettingsFor('http://127.0.0.1:9090/', s, env), { proxy: 'direct' }, 'the entry is for port 8080 only');
  });

  describe('with a real proxy and the emulator on 127.0.0.1', () => {
    let proxy: TestProxy;
    let emulator: Emulator;
    before(async () => {
      proxy = await startProxy();
      emulator = await startEmulator();
    });
    after(async () => {
      core.closeIdleConnections();
      await Promise.all([proxy.close(), emulator.close()]);
    });
    beforeEach(() => (proxy.requests.length = 0));

    const io = { core, env: { HTTP_PROXY: '' }, readFile: () => Promise.reject(new Error('no files')), clientCertificate: () => Promise.reject(new Error('none')) };
    /** GET /myself with a password (Basic): the header a proxy must not see. */
    const myself = async (s: RawNetworkSettings) => {
      const d = await networkDefaultsFor(emulator.url, s, io);
      const client = core.createJiraClient({ baseUrl: emulator.url, auth: { type: 'basic', username: 'admin', password: 'admin' }, network: d.network, retry: false });
      return client.request<{ name: string }>('GET', '/rest/api/2/myself');
    };

    it('http.proxy set: the request with its Authorization header reaches the emulator, the proxy sees nothing', async () => {
      assert.equal((await myself({ httpProxy: proxy.url })).body.name, 'admin');
      assert.deepEqual(proxy.requests, []);
    });

    it('jira.network.proxy for the site: the proxy carries it', async () => {
      await myself({ httpProxy: 'http://127.0.0.1:1', siteProxies: { [emulator.url]: proxy.url } });
      assert.deepEqual(proxy.requests, [`GET ${emulator.url}/rest/api/2/myself`]);
    });
  });
});
