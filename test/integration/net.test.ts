// Network settings reach the transport, in a real VS Code extension host (code-server): the
// emulator over HTTPS with a CA generated for this run, trusted only through jira.ca; a per-site
// proxy (a real proxy server); a client certificate for an emulator that requires one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JiraAuthApi } from '../../src/api';
import type { Emulator } from '../emulator';
import { makePkiOrSkip, Pki, startProxy, startTlsEmulator, TestProxy } from '../unit/support/netFixtures';
import { sessionOf } from './session';

const EXTENSION_ID = 'jira-auth-project.jira-auth';
const PAT = 'net-integration-pat';

async function setJira(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('jira').update(key, value, vscode.ConfigurationTarget.Global);
}

suite('Network settings in a real VS Code (HTTPS emulator, test CA, proxy, mTLS)', function () {
  this.timeout(60_000);
  let api: JiraAuthApi;
  let pki: Pki;
  let emulator: Emulator;
  let proxy: TestProxy;

  suiteSetup(async function () {
    pki = makePkiOrSkip(this);
    const ext = vscode.extensions.getExtension<JiraAuthApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    emulator = await startTlsEmulator(pki, { pats: { [PAT]: 'bob' } });
    proxy = await startProxy();
  });

  teardown(async () => {
    for (const a of api.getAccounts()) await api.signOut(a.id);
    for (const k of ['ca', 'network.proxy', 'network.clientCertificates']) await setJira(k, undefined);
    proxy.requests.length = 0;
  });

  suiteTeardown(async () => {
    await emulator?.close();
    await proxy?.close();
    pki?.cleanup();
  });

  test('without jira.ca the sign-in fails naming the unknown CA and the setting; nothing is stored', async () => {
    await assert.rejects(api.signIn({ baseUrl: emulator.url, method: 'pat', token: PAT }), (e: Error) => {
      assert.match(e.message, /unknown certificate authority/);
      assert.match(e.message, /jira\.ca/);
      return true;
    });
    assert.equal(api.getAccounts().length, 0);
  });

  test('with the test CA in jira.ca, sign-in and requests work over HTTPS', async () => {
    await setJira('ca', [pki.caCertFile]);
    const account = await api.signIn({ baseUrl: emulator.url, method: 'pat', token: PAT });
    assert.equal(account?.method, 'pat');
    const client = await api.getClient(await sessionOf(api, account!.id));
    const me = await client.request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.name, 'bob');
  });

  test('jira.network.proxy for the site sends the requests through the proxy (CONNECT)', async () => {
    await setJira('ca', [pki.caCertFile]);
    await setJira('network.proxy', { [emulator.url]: proxy.url });
    const account = await api.signIn({ baseUrl: emulator.url, method: 'pat', token: PAT });
    const client = await api.getClient(await sessionOf(api, account!.id));
    await client.request('GET', '/rest/api/2/myself');
    // Sign-in's requests and this GET share kept-alive tunnels (src/core/net/pool.ts): one CONNECT or more.
    assert.ok(proxy.requests.length >= 1, `the proxy saw ${JSON.stringify(proxy.requests)}`);
    assert.ok(proxy.requests.every((r) => r === `CONNECT 127.0.0.1:${emulator.port}`), JSON.stringify(proxy.requests));
  });

  test('a site requiring a client certificate: refused without one, works with jira.network.clientCertificates (PEM)', async () => {
    const mtls = await startTlsEmulator(pki, { requireClientCert: true, pats: { [PAT]: 'bob' } });
    try {
      await setJira('ca', [pki.caCertFile]);
      await assert.rejects(api.signIn({ baseUrl: mtls.url, method: 'pat', token: PAT }), (e: Error) => /jira\.network\.clientCertificates/.test(e.message));
      await setJira('network.clientCertificates', { [mtls.url]: { cert: pki.clientCertFile, key: pki.clientKeyFile } });
      const account = await api.signIn({ baseUrl: mtls.url, method: 'pat', token: PAT });
      assert.equal(account?.method, 'pat');
    } finally {
      await mtls.close();
    }
  });
});
