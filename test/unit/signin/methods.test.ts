import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import type { Core } from '../../../src/coreLoader';
import { format, setTranslator } from '../../../src/l10n';
import { patProfileUrl } from '../../../src/signin/tokenFlows';
import { codeFrom, PASTE_REDIRECT_URI } from '../../../src/signin/oauth2';
import type { UriCallbacks } from '../../../src/signin/deps';
import { ACCOUNT_SECRET_PREFIX } from '../../../src/store/accounts';
import { OAUTH2_CLIENT_PREFIX } from '../../../src/store/oauth2Clients';
import { Emulator, startEmulator } from '../../emulator';
import { consentInBrowser } from '../support/browser';
import { choose, PickHandler } from '../support/fakes';
import { makeWorld, secretValues, World } from '../support/world';

function accountSecrets(w: World): string[] {
  return [...w.secrets.backend.data.keys()].filter((k) => k.startsWith(ACCOUNT_SECRET_PREFIX));
}

/** Records the items of a pick, then chooses. */
function recordPick(into: Array<{ label: string; description?: string }>, then: PickHandler): PickHandler {
  return (o) => {
    for (const i of o.items) if (i !== 'separator') into.push({ label: i.label, description: i.description });
    return then(o);
  };
}

describe('other sign-in methods: PAT, API token, Basic (scripted UI, real emulator)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => emulator?.close());

  it('PAT: validates with /myself before storing, re-asks with the reason when Jira refuses it, links to the profile page', async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-123': 'bob' } });
    const w = makeWorld();
    w.ui.inputs.push(async (o) => {
      await o.onButton?.('open');
      assert.equal(o.password, true, 'masked');
      return 'wrong-token';
    });
    w.ui.inputs.push((o) => {
      assert.match(o.validationMessage ?? '', /did not accept this personal access token/);
      assert.equal(w.deps.accounts.list().length, 0, 'nothing stored after the refused token');
      assert.deepEqual(accountSecrets(w), []);
      return 'pat-123';
    });
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'pat' }, { rethrow: true });
    assert.equal(account?.method, 'pat');
    assert.equal(account?.displayName, 'Bob Builder');
    assert.deepEqual(w.ui.opened, [patProfileUrl(emulator.url)]);
    const myself = emulator.requests.filter((r) => r.path === '/rest/api/2/myself').map((r) => r.status);
    assert.deepEqual(myself, [401, 200], 'checked with /myself, refused then accepted');
    assert.deepEqual(await w.deps.accounts.getAuth(account!.id), { type: 'pat', token: 'pat-123' });
    for (const s of secretValues(w)) assert.ok(!w.memento.dump().includes(s) && !w.channel.text().includes(s), 'secret outside SecretStorage');
  });

  it('a failed attempt never overwrites the stored account', async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-123': 'bob' } });
    const w = makeWorld();
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'pat', token: 'pat-123' }, { rethrow: true });
    await assert.rejects(w.controller.signIn({ baseUrl: emulator.url, method: 'pat', token: 'revoked-token' }, { rethrow: true }), { code: 'bad_credentials' });
    assert.deepEqual(await w.deps.accounts.getAuth(account!.id), { type: 'pat', token: 'pat-123' });
    assert.equal(w.deps.accounts.list().length, 1);
    assert.match(w.ui.notifications.at(-1)!.message, /did not accept this personal access token/);
  });

  it('recommends for the site: the picker shows the recommended methods first, Basic last and marked weakest', async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-123': 'bob' }, version: '9.12.0' });
    const w = makeWorld();
    const items: Array<{ label: string; description?: string }> = [];
    w.ui.picks.push(recordPick(items, choose(/Personal Access Token/)));
    w.ui.inputs.push(() => 'pat-123');
    await w.controller.signIn({ baseUrl: emulator.url }, { rethrow: true });
    assert.deepEqual(
      items.map((i) => [i.label.replace(/^\$\([\w-]+\) /, ''), i.description]),
      [
        ['OAuth 2.0', 'Recommended'],
        ['Personal Access Token', 'Also recommended'],
        ['OAuth 1.0a (Application Link)', 'Also recommended'],
        ['User Name and Password', 'Weakest'],
      ],
    );
  });

  it('older Jira: application link and PAT recommended, no OAuth 2.0', async () => {
    emulator = await startEmulator({ port: 0, version: '8.20.1' });
    const w = makeWorld();
    const items: Array<{ label: string; description?: string }> = [];
    w.ui.picks.push(recordPick(items, () => undefined));
    assert.equal(await w.controller.signIn({ baseUrl: emulator.url }), undefined);
    assert.deepEqual(items.map((i) => i.description), ['Recommended', 'Also recommended', 'Weakest']);
    assert.match(items[0].label, /OAuth 1\.0a/);
  });

  it('API token (Jira Cloud): e-mail and token as Basic, its own method; Basic with a password is not offered', async () => {
    emulator = await startEmulator({ port: 0, deploymentType: 'Cloud', apiTokens: { 'atl-token-1': 'admin' } });
    const w = makeWorld();
    const items: Array<{ label: string; description?: string }> = [];
    w.ui.picks.push(recordPick(items, choose(/API Token/)));
    w.ui.inputs.push((o) => {
      assert.ok(o.validate?.('not-an-email'), 'asks for an e-mail');
      return 'admin@example.com';
    });
    w.ui.inputs.push((o) => {
      assert.equal(o.password, true);
      return 'atl-token-1';
    });
    const account = await w.controller.signIn({ baseUrl: emulator.url }, { rethrow: true });
    assert.equal(account?.method, 'basic');
    assert.equal(account?.displayName, 'Alice Admin');
    assert.ok(!items.some((i) => /Password/.test(i.label)), 'no user name and password on Cloud');
    assert.match(items[0].label, /OAuth 2\.0 \(3LO\)/);
    assert.equal(items[0].description, 'Recommended');
    await assert.rejects(
      w.controller.signIn({ baseUrl: emulator.url, method: 'basic', username: 'admin@example.com', password: 'admin' }, { rethrow: true }),
      (e: Error & { code?: string }) => e.code === 'bad_credentials' && /token from id\.atlassian\.com/.test(e.message),
    );
  });

  it('Basic: a CAPTCHA lock-out says to log in to Jira in the browser once, or to use a PAT', async () => {
    emulator = await startEmulator({ port: 0, basicMaxFailures: 2 });
    const w = makeWorld();
    for (let i = 0; i < 2; i++) {
      await assert.rejects(w.controller.signIn({ baseUrl: emulator.url, method: 'basic', username: 'admin', password: 'wrong' }, { rethrow: true }), { code: 'bad_credentials' });
    }
    await assert.rejects(w.controller.signIn({ baseUrl: emulator.url, method: 'basic', username: 'admin', password: 'admin' }, { rethrow: true }), { code: 'captcha' });
    const n = w.ui.notifications.at(-1)!;
    assert.equal(n.severity, 'error');
    assert.match(n.message, /CAPTCHA\. Log in to Jira in your browser once .* then try again, or sign in with a personal access token/);
    assert.deepEqual(n.actions, ['Open Jira in Browser', 'Use a Personal Access Token', 'Try Again']);
    assert.equal(w.deps.accounts.list().length, 0);
  });

  it('Basic: a site that disabled Basic says which method to use instead', async () => {
    emulator = await startEmulator({ port: 0, basicAuth: false });
    const w = makeWorld();
    w.ui.inputs.push(() => 'admin', () => 'admin');
    await assert.rejects(w.controller.signIn({ baseUrl: emulator.url, method: 'basic' }, { rethrow: true }), { code: 'basic_disabled' });
    const n = w.ui.notifications.at(-1)!;
    assert.match(n.message, /Basic authentication is disabled\)\. Sign in with a personal access token, OAuth 2\.0 or an application link/);
    assert.deepEqual(n.actions, ['Choose Another Method']);
  });

  it('Basic: a wrong password is asked again with the reason, typed in', async () => {
    emulator = await startEmulator({ port: 0, basicMaxFailures: 0 });
    const w = makeWorld();
    w.ui.inputs.push(() => 'admin', () => 'nope');
    w.ui.inputs.push((o) => (assert.match(o.validationMessage ?? '', /did not accept this user name and password/), 'admin'));
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'basic' }, { rethrow: true });
    assert.equal(account?.userName, 'admin');
  });
});

describe('OAuth 2.0 sign-in (fake browser against the emulator)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => emulator?.close());

  it('Data Center, local window: PKCE S256 through a one-shot loopback listener; client secret saved for reuse', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    let authorizeUrl = '';
    w.ui.onOpen = async (url) => {
      authorizeUrl = url;
      const back = await consentInBrowser(url, 'allow');
      assert.match(back, /^http:\/\/127\.0\.0\.1:\d+\/oauth2-callback\?code=/);
      const page = await fetch(back);
      assert.match(await page.text(), /You can close this tab/);
      assert.equal((await fetch(back).catch(() => undefined))?.status ?? 'closed', 'closed', 'the listener answers once, then closes');
    };
    w.ui.inputs.push(() => 'vscode-jira', (o) => (assert.equal(o.password, true), 'vscode-jira-secret'));
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2' }, { rethrow: true });
    assert.equal(account?.method, 'oauth2');
    assert.equal(account?.userName, 'admin');
    const u = new URL(authorizeUrl);
    assert.equal(u.pathname, '/rest/oauth2/latest/authorize');
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(u.searchParams.get('scope'), 'READ WRITE');
    assert.ok((u.searchParams.get('state') ?? '').length >= 32);
    const auth = await w.deps.accounts.getAuth(account!.id);
    assert.equal(auth?.type, 'oauth2');
    assert.ok(auth?.type === 'oauth2' && auth.refreshToken && auth.expiresAt && auth.clientSecret === 'vscode-jira-secret');
    assert.deepEqual(await w.deps.oauth2Clients.get(emulator.url).then((c) => c && { id: c.clientId, s: c.clientSecret }), { id: 'vscode-jira', s: 'vscode-jira-secret' });
    assert.ok(!w.memento.dump().includes('vscode-jira-secret'), 'the client secret is only in SecretStorage');
    for (const s of secretValues(w)) assert.ok(!w.memento.dump().includes(s) && !w.channel.text().includes(s), 'secret outside SecretStorage');

    // The next sign-in to the site offers the saved client instead of asking again.
    const again = makeWorld({ extensionHost: 'local', from: { secrets: w.secrets } });
    again.ui.onOpen = async (url) => void (await fetch(await consentInBrowser(url, 'allow')));
    again.ui.picks.push(choose(/Use the Saved Client vscode-jira/));
    const second = await again.controller.signIn({ baseUrl: emulator.url, method: 'oauth2' }, { rethrow: true });
    assert.equal(second?.userName, 'admin');
    assert.equal(again.ui.asked.filter((a) => a.kind === 'input').length, 0, 'no client id or secret asked');
    assert.equal(emulator.oauth2.stats.codeExchanges, 2);
  });

  it('Data Center, remote window: the URI handler takes the redirect (the paste box closes by itself)', async () => {
    emulator = await startEmulator({ port: 0 });
    let deliver: (uri: string) => void = () => undefined;
    const uri: UriCallbacks = {
      externalUri: async (path) => `vscode://jira-auth-project.jira-auth${path}`,
      wait: (_state, signal) => new Promise((resolve, reject) => {
        deliver = resolve;
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
    };
    const w = makeWorld({ extensionHost: 'remote', uriCallbacks: uri });
    w.ui.onOpen = async (url) => {
      const back = await consentInBrowser(url, 'allow');
      assert.match(back, /^vscode:\/\/jira-auth-project\.jira-auth\/oauth2-callback\?code=/);
      setTimeout(() => deliver(back), 20);
    };
    let boxClosed = false;
    w.ui.inputs.push((o) => new Promise<undefined>((resolve) => o.signal?.addEventListener('abort', () => ((boxClosed = true), resolve(undefined)))));
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret' }, { rethrow: true });
    assert.equal(account?.userName, 'admin');
    assert.ok(boxClosed, 'the paste box was closed');
  });

  it('Data Center, remote window without a URI handler: paste the address the browser ended on', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'remote' });
    let back = '';
    w.ui.onOpen = async (url) => {
      back = await consentInBrowser(url, 'allow');
    };
    w.ui.inputs.push((o) => {
      assert.ok(o.validate?.(''), 'empty refused');
      assert.ok(back.startsWith(`${PASTE_REDIRECT_URI}?code=`), back);
      return `  ${back}  `;
    });
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret' }, { rethrow: true });
    assert.equal(account?.userName, 'admin');
  });

  it('denied consent: "access denied", nothing stored, the client not saved', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    w.ui.onOpen = async (url) => {
      const back = await consentInBrowser(url, 'deny');
      assert.match(await (await fetch(back)).text(), /You denied access/);
    };
    await assert.rejects(w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret' }, { rethrow: true }), { code: 'denied' });
    assert.match(w.ui.messages(), /warning: Access was denied in the browser/);
    assert.equal(w.deps.accounts.list().length, 0);
    assert.deepEqual([...w.secrets.backend.data.keys()], []);
  });

  it('a wrong client secret says to check the application link', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    w.ui.onOpen = async (url) => void (await fetch(await consentInBrowser(url, 'allow')));
    await assert.rejects(w.controller.signIn({ baseUrl: emulator.url, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'wrong' }, { rethrow: true }), { oauth2Error: 'invalid_client' });
    assert.match(w.ui.messages(), /client id or client secret was not accepted/);
    assert.deepEqual([...w.secrets.backend.data.keys()].filter((k) => k.startsWith(OAUTH2_CLIENT_PREFIX)), []);
  });

  it('reads the code from a pasted address or (with PKCE) a bare code, and refuses a forged state', () => {
    for (const pkce of [true, false]) {
      assert.equal(codeFrom(core as unknown as Core, 'http://127.0.0.1:1/cb?code=abc&state=s1', 's1', pkce), 'abc');
      assert.throws(() => codeFrom(core as unknown as Core, 'http://x/cb?code=abc&state=other', 's1', pkce), { oauth2Error: 'state_mismatch' });
      assert.throws(() => codeFrom(core as unknown as Core, 'http://x/cb?error=access_denied&state=s1', 's1', pkce), { code: 'denied' });
    }
    assert.equal(codeFrom(core as unknown as Core, ' abc-123_x ', 's1', true), 'abc-123_x');
  });

  it('without PKCE (Jira Cloud) a bare code is refused: only the state in the address binds it to this sign-in', () => {
    assert.throws(() => codeFrom(core as unknown as Core, ' abc-123_x ', 's1', false), { code: 'oauth2', message: /whole address.*state=.*without PKCE/ });
    assert.throws(() => codeFrom(core as unknown as Core, 'http://x/cb?code=abc', 's1', false), { oauth2Error: 'state_mismatch' });
  });

  it('Jira Cloud, paste box: says why the whole address is needed, refuses a bare code, signs in with the address', async () => {
    emulator = await startEmulator({ port: 0, deploymentType: 'Cloud' });
    const w = makeWorld({ extensionHost: 'remote', settings: { cloudEndpoints: emulator.cloudEndpoints, oauth2Redirect: 'paste' } });
    let back = '';
    w.ui.onOpen = async (url) => {
      back = await consentInBrowser(url, 'allow');
    };
    w.ui.picks.push(choose(/OAuth 2\.0 \(3LO\)/));
    w.ui.inputs.push(() => 'vscode-jira', () => 'vscode-jira-secret');
    w.ui.inputs.push((o) => {
      assert.match(o.prompt ?? '', /whole address.*no PKCE/);
      const code = new URL(back).searchParams.get('code')!;
      assert.match(o.validate?.(code) ?? '', /without PKCE/, 'a bare code is refused in the box');
      assert.equal(o.validate?.(back), undefined);
      return back;
    });
    w.ui.picks.push(choose(/acme-sandbox/));
    const account = await w.controller.signIn({ baseUrl: emulator.url }, { rethrow: true });
    assert.equal(account?.site.deploymentType, 'Cloud');
  });

  it('Jira Cloud 3LO: audience, prompt=consent, offline_access, then the site pick; the account keeps cloudId and site URL', async () => {
    emulator = await startEmulator({ port: 0, deploymentType: 'Cloud' });
    const w = makeWorld({ extensionHost: 'local', settings: { cloudEndpoints: emulator.cloudEndpoints } });
    let authorizeUrl = '';
    w.ui.onOpen = async (url) => {
      authorizeUrl = url;
      await fetch(await consentInBrowser(url, 'allow'));
    };
    w.ui.picks.push(choose(/OAuth 2\.0 \(3LO\)/));
    w.ui.inputs.push(() => 'vscode-jira', () => 'vscode-jira-secret');
    const sites: string[] = [];
    w.ui.picks.push((o) => {
      for (const i of o.items) if (i !== 'separator') sites.push(i.label);
      return choose(/acme-sandbox/)(o);
    });
    const account = await w.controller.signIn({ baseUrl: emulator.url }, { rethrow: true });
    const u = new URL(authorizeUrl);
    assert.equal(u.searchParams.get('audience'), 'api.atlassian.com');
    assert.equal(u.searchParams.get('prompt'), 'consent');
    assert.match(u.searchParams.get('scope') ?? '', /\boffline_access\b/);
    assert.equal(u.searchParams.get('code_challenge'), null, 'Cloud has no PKCE');
    assert.deepEqual(sites, ['acme', 'acme-sandbox']);
    assert.equal(account?.site.baseUrl, 'https://acme-sandbox.atlassian.net');
    assert.equal(account?.site.deploymentType, 'Cloud');
    assert.equal(account?.cloudId, '2c7d9e1f-3a4b-4c5d-8e6f-0a1b2c3d4e5f');
    assert.equal(account?.apiBaseUrl, `${emulator.url}/ex/jira/2c7d9e1f-3a4b-4c5d-8e6f-0a1b2c3d4e5f`);
    assert.ok(emulator.requests.some((r) => r.path === `/ex/jira/${account?.cloudId}/rest/api/2/myself` && r.status === 200));
  });
});
