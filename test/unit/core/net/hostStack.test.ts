// The seam to VS Code's network stack (src/core/net/host.ts), with a fake of VS Code's patched
// request functions (support/fakeVsCodeStack.ts) for what cannot run on this machine: a PAC answer,
// the proxy login prompt, Kerberos. The site is https://jira.corp.example, a name only the fake's
// "system resolver" and the proxies know, with a certificate of a CA only the fake's "OS store" holds.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { fetchServerInfo, JiraError, NetworkOptions } from '../../../../src/core';
import type { Emulator } from '../../../emulator/types';
import { jiraError as rejects } from '../helpers';
import { ChallengingProxy, fakeVsCodeStack, FakeStack, startChallengingProxy } from '../../support/fakeVsCodeStack';
import { closedPort, makePkiOrSkip, Pki, startRefusingProxy, startSilentServer, startTlsEmulator } from '../../support/netFixtures';

const SECRET = 'pr0xy-s3cret';
const LOGIN = `Basic ${Buffer.from(`corp-user:${SECRET}`).toString('base64')}`;
const KERBEROS = 'Negotiate YIIKERBEROS-TICKET';

/** Nothing of a credential in anything an error shows. */
function assertNoCredential(e: JiraError): void {
  for (const text of [e.message, JSON.stringify(e), inspect(e, { showHidden: true, depth: Infinity })]) {
    for (const secret of [SECRET, LOGIN.slice(6), KERBEROS.slice(10)]) assert.ok(!text.includes(secret), `a credential in ${text}`);
  }
}

describe('transport: through VS Code\'s network stack (fake of the patched https.request)', function () {
  let pki: Pki;
  let emulator: Emulator;
  let site: string;
  let stacks: FakeStack[] = [];
  const stack = (o: Parameters<typeof fakeVsCodeStack>[0]) => {
    const s = fakeVsCodeStack({ systemCa: [pki.read(pki.caCertFile)], hosts: { 'jira.corp.example': '127.0.0.1' }, ...o });
    stacks.push(s);
    return s;
  };
  const info = (url: string, network: NetworkOptions, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) => fetchServerInfo(url, { network, retry: false, ...extra });

  before(async function () {
    pki = makePkiOrSkip(this);
    const cert = pki.issueServer('corp', 'DNS:jira.corp.example');
    emulator = await startTlsEmulator(pki, { certFile: cert.certFile });
    site = `https://jira.corp.example:${emulator.port}`;
  });
  after(async () => {
    await emulator?.close();
    pki?.cleanup();
  });
  afterEach(() => {
    for (const s of stacks) s.close();
    stacks = [];
  });

  it('sends through the host\'s function, which trusts the site by its "OS store" alone', async () => {
    const s = stack({});
    assert.equal((await info(site, { host: s })).serverTitle, 'Jira Emulator');
    assert.deepEqual(s.calls, ['GET jira.corp.example:' + emulator.port + '/rest/api/2/serverInfo']);
  });

  it('a PAC answer "PROXY p:port; DIRECT": the request goes through that proxy (a tunnel to the site)', async () => {
    const proxy = await startChallengingProxy('Basic realm="corp"', LOGIN);
    try {
      const s = stack({ pac: () => `PROXY corp-user:${SECRET}@127.0.0.1:${proxy.port}; DIRECT` });
      assert.equal((await info(site, { host: s })).serverTitle, 'Jira Emulator');
      assert.deepEqual(proxy.requests, [`CONNECT jira.corp.example:${emulator.port} ${LOGIN}`]);
    } finally {
      await proxy.close();
    }
  });

  it('a site given by IP address, through the proxy: the certificate is checked against that address, not "localhost"', async () => {
    const proxy = await startChallengingProxy('Basic realm="corp"', LOGIN);
    const ipOnly = await startTlsEmulator(pki, { certFile: pki.ipOnlyCertFile });
    const localhostOnly = await startTlsEmulator(pki, { certFile: pki.localhostOnlyCertFile });
    try {
      const s = stack({ pac: () => `PROXY corp-user:${SECRET}@127.0.0.1:${proxy.port}` });
      assert.equal((await info(ipOnly.url, { host: s })).serverTitle, 'Jira Emulator', 'a certificate for IP:127.0.0.1 only');
      const e = await rejects(info(localhostOnly.url, { host: s }));
      assert.deepEqual([e.code, e.systemCode], ['tls', 'ERR_TLS_CERT_ALTNAME_INVALID'], 'a certificate for DNS:localhost only is not one for 127.0.0.1');
    } finally {
      await Promise.all([proxy.close(), ipOnly.close(), localhostOnly.close()]);
    }
  });

  describe('a proxy that asks for credentials (407)', () => {
    let proxy: ChallengingProxy;
    afterEach(() => proxy?.close());

    it('Basic: VS Code\'s login prompt answers, and the request goes through', async () => {
      proxy = await startChallengingProxy('Basic realm="corp"', LOGIN);
      const asked: string[] = [];
      const s = stack({ pac: () => `PROXY 127.0.0.1:${proxy.port}`, lookupProxyAuthorization: async (_u, challenge) => (asked.push(challenge), LOGIN) });
      assert.equal((await info(site, { host: s })).serverTitle, 'Jira Emulator');
      assert.deepEqual(asked, ['Basic realm="corp"']);
      assert.deepEqual(proxy.requests.map((r) => r.split(' ').slice(2).join(' ')), ['-', LOGIN]);
    });

    it('Negotiate: Kerberos answers, and the request goes through', async () => {
      proxy = await startChallengingProxy('Negotiate', KERBEROS);
      const s = stack({ pac: () => `PROXY 127.0.0.1:${proxy.port}`, lookupProxyAuthorization: async (_u, challenge) => (/^Negotiate/.test(challenge) ? KERBEROS : undefined) });
      assert.equal((await info(site, { host: s })).serverTitle, 'Jira Emulator');
      assert.equal(proxy.requests.at(-1), `CONNECT jira.corp.example:${emulator.port} ${KERBEROS}`);
    });

    it('the login is cancelled: proxy_auth naming the proxy (without its credentials), not Jira\'s 407', async () => {
      proxy = await startChallengingProxy('Basic realm="corp"', LOGIN);
      const s = stack({ pac: () => `PROXY corp-user:wrong-${SECRET}@127.0.0.1:${proxy.port}`, lookupProxyAuthorization: async () => undefined });
      const e = await rejects(info(site, { host: s }));
      assert.equal(e.code, 'proxy_auth');
      assert.match(e.message, new RegExp(`http://127\\.0\\.0\\.1:${proxy.port}`));
      assert.match(e.message, /VS Code's proxy login, Kerberos or NTLM/);
      assertNoCredential(e);
    });
  });

  it('the proxy cannot be reached: proxy (not network), naming the proxy without its credentials', async () => {
    const port = await closedPort();
    const s = stack({ pac: () => `PROXY corp-user:${SECRET}@127.0.0.1:${port}` });
    const e = await rejects(info(site, { host: s }));
    assert.equal(e.code, 'proxy');
    assert.equal(e.systemCode, 'ECONNREFUSED');
    assert.match(e.message, new RegExp(`http://127\\.0\\.0\\.1:${port}`));
    assert.match(e.message, /VS Code's proxy settings/);
    assertNoCredential(e);
  });

  it('the proxy refuses the site (403 to CONNECT): proxy, not a Jira permission error', async () => {
    const refusing = await startRefusingProxy();
    try {
      const s = stack({ pac: () => `PROXY ${refusing.url.replace('http://', '')}` });
      const e = await rejects(info(site, { host: s }));
      assert.equal(e.code, 'proxy');
      assert.equal(e.status, 403);
    } finally {
      await refusing.close();
    }
  });

  it('direct: refused, unknown host, untrusted certificate map to network / network / tls', async () => {
    const port = await closedPort();
    const refused = await rejects(info(`https://jira.corp.example:${port}`, { host: stack({}) }));
    assert.deepEqual([refused.code, refused.systemCode], ['network', 'ECONNREFUSED']);
    const dns = await rejects(info(`https://nowhere.corp.example:${emulator.port}`, { host: stack({}) }));
    assert.deepEqual([dns.code, dns.systemCode], ['network', 'ENOTFOUND']);
    const untrusted = await rejects(info(site, { host: stack({ systemCa: [] }) }));
    assert.equal(untrusted.code, 'tls');
    assert.match(String(untrusted.systemCode), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
  });

  it('a server that never answers: timeout; a cancelled request: aborted', async () => {
    const silent = await startSilentServer();
    try {
      const url = silent.url.replace('127.0.0.1', 'jira.corp.example').replace('http:', 'https:');
      const timeout = await rejects(info(url, { host: stack({}) }, { timeoutMs: 300 }));
      assert.equal(timeout.code, 'timeout');
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const aborted = await rejects(info(url, { host: stack({}) }, { timeoutMs: 0, signal: ac.signal }));
      assert.equal(aborted.code, 'aborted');
    } finally {
      await silent.close();
    }
  });

});
