// Errors travel far (logs, bug reports, other extensions through the API), and callers print
// them with JSON.stringify or util.inspect, which walk every enumerable property, `cause`
// included. A proxy failure used to carry the proxy's Proxy-Authorization value there
// (JiraError.cause.proxy.authorization). Each failure below is a real one, against a real proxy
// or a closed port, with credentials configured; none of the ways of printing it may show them.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { closeIdleConnections, httpRequest, JiraError, NetworkOptions } from '../../../src/core';
import { jiraError as rejects } from '../core/helpers';
import { closedPort, startProxy, startRefusingProxy, startSilentServer, TestProxy } from '../support/netFixtures';

const USER = 'proxyuser';
const PASSWORD = 'pr0xy-s3cret-pw';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const NEGOTIATE = 'YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6iBwMFACAAAACjggS';

/** Every way a caller might print an error, each checked on its own so a failure names the way. */
function printed(e: unknown): Record<string, string> {
  return {
    'JSON.stringify': JSON.stringify(e),
    'JSON.stringify(cause)': JSON.stringify((e as { cause?: unknown }).cause) ?? '',
    'util.inspect': inspect(e, { depth: Infinity }),
    'util.inspect showHidden': inspect(e, { depth: Infinity, showHidden: true }),
    'message and stack': `${(e as Error).message}\n${(e as Error).stack}`,
  };
}

function assertNoCredential(e: JiraError, what: string): void {
  for (const [how, text] of Object.entries(printed(e))) {
    for (const secret of [PASSWORD, BASIC, NEGOTIATE]) assert.ok(!text.includes(secret), `${what}: ${how} shows a credential:\n${text}`);
  }
}

describe('errors never carry proxy credentials (JSON.stringify, util.inspect)', function () {
  let wrongAuthProxy: TestProxy;
  let refusing: Awaited<ReturnType<typeof startRefusingProxy>>;
  before(async () => {
    wrongAuthProxy = await startProxy({ auth: { user: USER, password: 'another-password' } });
    refusing = await startRefusingProxy();
  });
  after(async () => {
    closeIdleConnections();
    await Promise.all([wrongAuthProxy.close(), refusing.close()]);
  });

  const withCredentials = (proxyUrl: string) => proxyUrl.replace('http://', `http://${USER}:${PASSWORD}@`);
  const send = (url: string, proxy: NetworkOptions['proxy'], timeoutMs = 5000) =>
    rejects(httpRequest({ method: 'GET', url, headers: {}, network: { proxy }, timeoutMs }));

  it('wrong credentials (407), through CONNECT and for plain http; from the URL and from http.proxyAuthorization', async () => {
    for (const url of ['https://jira.example.com/rest/api/2/myself', 'http://jira.example.com/rest/api/2/myself']) {
      const e = await send(url, { proxy: withCredentials(wrongAuthProxy.url) });
      assert.equal(e.code, 'proxy_auth');
      assertNoCredential(e, `407 for ${url}`);
      const h = await send(url, { proxy: wrongAuthProxy.url, proxyAuthorization: `Negotiate ${NEGOTIATE}` });
      assert.equal(h.code, 'proxy_auth');
      assertNoCredential(h, `407 with http.proxyAuthorization for ${url}`);
    }
  });

  it('the proxy refuses the destination (403)', async () => {
    const e = await send('https://jira.example.com/', { proxy: withCredentials(refusing.url) });
    assert.equal(e.code, 'proxy');
    assert.equal(e.status, 403);
    assertNoCredential(e, 'CONNECT refused');
  });

  it('the proxy is down, or never answers (timeout)', async () => {
    const down = await send('https://jira.example.com/', { proxy: withCredentials(`http://127.0.0.1:${await closedPort()}`) });
    assert.equal(down.code, 'proxy');
    assertNoCredential(down, 'proxy down');
    const silent = await startSilentServer();
    try {
      const t = await send('https://jira.example.com/', { proxy: withCredentials(silent.url) }, 300);
      assert.equal(t.code, 'timeout');
      assertNoCredential(t, 'proxy silent');
    } finally {
      await silent.close();
    }
  });

  it('a proxy URL that does not parse, or is not http(s), is refused without repeating its password', async () => {
    for (const bad of [`http://${USER}:${PASSWORD}@[bad`, `${USER}:${PASSWORD}@[bad:80`, `socks5://${USER}:${PASSWORD}@127.0.0.1:1080`]) {
      const e = await send('https://jira.example.com/', { proxy: bad });
      assert.equal(e.code, 'config');
      assertNoCredential(e, bad);
    }
  });

  it('the credential still reaches the proxy (the check above is not passed by dropping it)', async () => {
    const ok = await startProxy({ auth: { user: USER, password: PASSWORD } });
    const target = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    try {
      // The target is on loopback, but the core proxies what it is given (only the extension's settings keep loopback direct).
      const res = await httpRequest({ method: 'GET', url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`, headers: {}, network: { proxy: { proxy: withCredentials(ok.url) } } });
      assert.equal(res.status, 200);
      assert.equal(ok.requests.length, 1);
    } finally {
      target.close();
      await ok.close();
    }
  });
});
