import * as assert from 'node:assert/strict';
import type { UriCallbacks } from '../../../src/signin/deps';
import { clickInJira } from '../support/browser';
import { choose } from '../support/fakes';
import { jiraPerTest } from '../support/jiraPerTest';
import { makeWorld, World } from '../support/world';

/**
 * A code-server window: asExternalUri gives the URI handler a per-request http callback address;
 * opening it (with Jira's parameters appended) calls the handler with the original query plus
 * those parameters. OAuth 1.0a's oauth_callback is per request (nothing is registered in Jira),
 * so that address works as the callback where OAuth 2.0's registered redirect cannot.
 */
function codeServerUriHandler(): UriCallbacks & { delivered: string[]; open(url: string): void } {
  let waiter: ((uri: string) => void) | undefined;
  const delivered: string[] = [];
  return {
    delivered,
    externalUri: async (path) => {
      const [p, q] = path.split('?');
      return `http://127.0.0.1:8080/stable-1/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-authority=jira-auth-project.jira-auth&vscode-path=${encodeURIComponent(p)}&vscode-query=${encodeURIComponent(q ?? '')}`;
    },
    wait: (_state, signal) =>
      new Promise((resolve, reject) => {
        waiter = resolve;
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
    open(url: string) {
      const u = new URL(url);
      const extra = [...u.searchParams].filter(([k]) => !k.startsWith('vscode-')).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
      const uri = `code-oss://jira-auth-project.jira-auth${u.searchParams.get('vscode-path')}?${[u.searchParams.get('vscode-query'), ...extra].join('&')}`;
      delivered.push(uri);
      waiter?.(uri);
    },
  };
}

describe('signin/oauth1: in remote and browser-based windows Allow comes back through the URI handler (no paste)', function () {
  this.timeout(30_000);
  const jira = jiraPerTest();

  async function toApplicationLink(w: World): Promise<void> {
    w.ui.inputs.push(() => jira.emulator.url, (o) => o.value);
    await w.controller.applicationLink.generateKeyPair({ rethrow: true });
    const p = w.deps.pending.get()!;
    jira.emulator.addLink({ consumerKey: p.consumerKey, name: 'VS Code', publicKeyPem: p.publicKeyPem });
    w.ui.picks.push(choose(/Continue Signing In/), choose(/Continue: the Application Link/));
  }

  it('Allow in Jira returns the verifier to VS Code; the fallback box closes by itself', async () => {
    const handler = codeServerUriHandler();
    const w = makeWorld({ extensionHost: 'remote', uriCallbacks: handler });
    await toApplicationLink(w);
    w.ui.onOpen = async (url) => {
      const { redirect } = await clickInJira(url, 'approve');
      assert.ok(redirect?.startsWith('http://127.0.0.1:8080/stable-1/callback?'), `Jira redirects to the callback address: ${redirect}`);
      setTimeout(() => handler.open(redirect!), 20);
    };
    let boxClosed = false;
    w.ui.inputs.push((o) => new Promise<undefined>((resolve) => o.signal?.addEventListener('abort', () => ((boxClosed = true), resolve(undefined)))));
    const account = await w.controller.signIn({}, { rethrow: true });
    assert.equal(account?.displayName, 'Alice Admin');
    assert.ok(boxClosed, 'the box closed once the answer arrived');
    assert.match(handler.delivered[0], /[?&]state=[^&]+&oauth_token=[^&]+&oauth_verifier=/);
  });

  it('the browser cannot come back: the address it ended on, pasted into the box, signs in', async () => {
    const handler = codeServerUriHandler();
    const w = makeWorld({ extensionHost: 'remote', uriCallbacks: handler });
    await toApplicationLink(w);
    let ended = '';
    w.ui.onOpen = async (url) => {
      ended = (await clickInJira(url, 'approve')).redirect!;
    };
    w.ui.inputs.push(() => ended);
    const account = await w.controller.signIn({}, { rethrow: true });
    assert.equal(account?.displayName, 'Alice Admin');
  });

  it('Deny in Jira: says access was denied', async () => {
    const handler = codeServerUriHandler();
    const w = makeWorld({ extensionHost: 'remote', uriCallbacks: handler });
    await toApplicationLink(w);
    w.ui.onOpen = async (url) => {
      const { redirect } = await clickInJira(url, 'deny');
      setTimeout(() => handler.open(redirect!), 20);
    };
    w.ui.inputs.push((o) => new Promise<undefined>((resolve) => o.signal?.addEventListener('abort', () => resolve(undefined))));
    await assert.rejects(w.controller.signIn({}, { rethrow: true }), /denied/i);
  });

  it('desktop remote (vscode:// address, which Jira refuses as a callback) and jira.oauth1.callback "oob": the code is pasted', async () => {
    for (const setup of [
      { uri: { externalUri: async (path: string) => `vscode://jira-auth-project.jira-auth${path}`, wait: () => new Promise<string>(() => undefined) }, settings: {} },
      { uri: codeServerUriHandler(), settings: { callback: 'oob' as const } },
    ]) {
      await jira.restart();
      const w = makeWorld({ extensionHost: 'remote', uriCallbacks: setup.uri, settings: setup.settings });
      await toApplicationLink(w);
      let code: string | undefined;
      w.ui.onOpen = async (url) => {
        // Jira shows a code only for an oob request token; with a callback it redirects instead.
        code = (await clickInJira(url, 'approve')).code;
        assert.ok(code, 'the request token was oob');
      };
      w.ui.inputs.push((o) => (assert.match(o.prompt ?? '', /paste the verification code/), code));
      const account = await w.controller.signIn({}, { rethrow: true });
      assert.equal(account?.displayName, 'Alice Admin');
    }
  });
});
