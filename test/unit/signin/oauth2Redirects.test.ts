import * as assert from 'node:assert/strict';
import { format, setTranslator } from '../../../src/l10n';
import type { UriCallbacks } from '../../../src/signin/deps';
import { PASTE_REDIRECT_URI } from '../../../src/signin/oauth2';
import { Emulator, startEmulator } from '../../emulator';
import { consentInBrowser } from '../support/browser';
import { makeWorld } from '../support/world';

// OAuth 2.0's redirect modes are separate flows (loopback, URI handler, paste). These tests check
// the hand-over between them and the jira.oauth2.redirect setting, against the emulator.
describe('OAuth 2.0 redirect flows (fake browser against the emulator)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  beforeEach(async () => (emulator = await startEmulator({ port: 0 })));
  afterEach(async () => emulator?.close());

  it('browser windows (code-server): a URI handler reachable only through a per-request address hands over to the paste flow without asking for the client again', async () => {
    // code-server: asExternalUri gives a per-request address, which no client can have registered.
    const uri: UriCallbacks = {
      externalUri: async (path) => `http://127.0.0.1:8080/stable-1/callback?vscode-reqid=1&vscode-path=${encodeURIComponent(path)}`,
      wait: () => new Promise(() => undefined),
    };
    const w = makeWorld({ extensionHost: 'remote', uriCallbacks: uri });
    let back = '';
    w.ui.onOpen = async (url) => {
      assert.equal(new URL(url).searchParams.get('redirect_uri'), PASTE_REDIRECT_URI);
      back = await consentInBrowser(url, 'allow');
    };
    w.ui.inputs.push(() => 'vscode-jira', () => 'vscode-jira-secret', () => back);
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2' }, { rethrow: true });
    assert.equal(account?.userName, 'admin');
    assert.equal(w.ui.asked.filter((a) => a.kind === 'input').length, 3, 'client id, secret, then the address: nothing asked twice');
    assert.match(w.channel.text(), /oauth2-dc-uri did not complete; falling back to oauth2-dc-paste/);
  });

  it('jira.oauth2.redirect "paste" in a local window: no listener, the address is pasted', async () => {
    const w = makeWorld({ extensionHost: 'local', settings: { oauth2Redirect: 'paste' } });
    let back = '';
    w.ui.onOpen = async (url) => {
      assert.equal(new URL(url).searchParams.get('redirect_uri'), PASTE_REDIRECT_URI);
      back = await consentInBrowser(url, 'allow');
    };
    w.ui.inputs.push(() => back);
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret' }, { rethrow: true });
    assert.equal(account?.userName, 'admin');
    assert.match(w.channel.text(), /: oauth2-dc-paste/);
  });

  it('jira.oauth2.redirect "loopback" in a remote window: the loopback listener takes the redirect, no box', async () => {
    const w = makeWorld({ extensionHost: 'remote', settings: { oauth2Redirect: 'loopback' } });
    w.ui.onOpen = async (url) => {
      const back = await consentInBrowser(url, 'allow');
      assert.match(back, /^http:\/\/127\.0\.0\.1:\d+\/oauth2-callback\?code=/);
      assert.notEqual(back.split('?')[0], PASTE_REDIRECT_URI);
      await fetch(back);
    };
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret' }, { rethrow: true });
    assert.equal(account?.userName, 'admin');
    assert.equal(w.ui.asked.filter((a) => a.kind === 'input').length, 0);
  });
});
