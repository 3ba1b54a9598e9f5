// Sign-in in a real VS Code extension host (code-server) against the Jira emulator that the
// runner started with a preset application link (JIRA_EMULATOR_* variables).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { JiraAuthApi } from '../../src/api';
import { clickInJira, createApplicationLink } from '../unit/support/browser';
import { choose, ScriptedPrompter } from '../unit/support/fakes';
import { sessionOf } from './session';

const EXTENSION_ID = 'jira-auth-project.jira-auth';

function env(name: string): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set (the integration runner starts the emulator)`);
  return v;
}

async function allowInJira(url: string): Promise<string> {
  const { code } = await clickInJira(url, 'approve');
  assert.ok(code, 'the emulator showed no verification code');
  return code;
}

/** Everything in globalState, for "no secret in it" checks. */
function globalStateDump(api: JiraAuthApi): string {
  const m = api.testing!.globalState;
  return JSON.stringify(m.keys().map((k) => [k, m.get(k)]));
}

suite('Jira sign-in in a real VS Code', function () {
  this.timeout(60_000);
  let api: JiraAuthApi;
  let baseUrl: string;
  let consumerKey: string;
  let privateKeyPem: string;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<JiraAuthApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    assert.ok(api.testing, 'test hooks are available in test mode');
    baseUrl = env('JIRA_EMULATOR_URL');
    consumerKey = env('JIRA_EMULATOR_CONSUMER_KEY');
    privateKeyPem = readFileSync(env('JIRA_EMULATOR_PRIVATE_KEY_FILE'), 'utf8');
  });

  teardown(async () => {
    api.testing!.setPrompter(undefined);
    for (const a of api.getAccounts()) await api.signOut(a.id);
    await vscode.commands.executeCommand('jira.cancelPendingSignIn').then(undefined, () => undefined);
  });

  test('activation time is recorded (bench/ measures it against its budget)', () => {
    assert.equal(typeof api.testing!.activationMs, 'number');
    assert.ok(Number.isFinite(api.testing!.activationMs) && api.testing!.activationMs >= 0, `activationMs = ${api.testing!.activationMs}`);
  });

  test('jira.signIn with OAuth 1.0a stores the session in SecretStorage only and fires onDidChangeSessions', async () => {
    const events: vscode.AuthenticationSessionsChangeEvent[] = [];
    const sub = vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === 'jira') events.push(e);
    });
    const accountsChanged = new Promise<void>((r) => {
      const d = api.onDidChangeAccounts(() => (d.dispose(), r()));
    });
    try {
      const account = await vscode.commands.executeCommand<{ id: string; displayName: string; siteUrl: string }>('jira.signIn', {
        baseUrl,
        method: 'oauth1',
        consumerKey,
        privateKeyPem,
        verifier: (url: string) => allowInJira(url),
      });
      assert.ok(account);
      assert.equal(account.displayName, 'Alice Admin');
      assert.equal(account.siteUrl, baseUrl);
      await accountsChanged;
      for (let i = 0; i < 50 && !events.length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(events.length > 0, 'onDidChangeSessions fired');

      // The provider VS Code asks for the Accounts menu and for other extensions' getSession
      // (which VS Code only answers after the user consents, so it is asked directly here).
      const [session] = await api.testing!.provider.getSessions([]);
      assert.ok(session);
      assert.equal(session.id, account.id);
      assert.match(session.account.label, /^Alice Admin \(/);
      const [scoped] = await api.testing!.provider.getSessions([`site:${baseUrl}`]);
      assert.equal(scoped?.id, account.id);
      assert.deepEqual(await api.testing!.provider.getSessions(['site:https://elsewhere.example.com']), []);
      // Without consent VS Code gives an unknown extension no session, and does not fail.
      await vscode.authentication.getSession('jira', [], { createIfNone: false });

      // Secrets live in SecretStorage, one blob per account; globalState holds none of them.
      const blob = JSON.parse((await api.testing!.secrets.get(`jira.account.${account.id}`))!);
      assert.equal(blob.auth.type, 'oauth1');
      assert.equal(blob.auth.token, session.accessToken);
      const state = globalStateDump(api);
      for (const secret of [blob.auth.token, blob.auth.tokenSecret, blob.auth.privateKeyPem.split('\n')[1]]) {
        assert.ok(!state.includes(secret), 'a secret leaked into globalState');
      }
      assert.ok(state.includes(account.id), 'account metadata is in globalState');
    } finally {
      sub.dispose();
    }
  });

  test('the exported API gives a signed client for the account', async () => {
    const account = await api.signIn({ baseUrl, method: 'oauth1', consumerKey, privateKeyPem, verifier: allowInJira });
    assert.ok(account);
    assert.equal(api.getActiveAccount()?.id, account.id);
    // What another extension does: a session of the provider (VS Code hands it out after consent), then the client.
    const client = await api.getClient(await sessionOf(api, account.id));
    const me = await client.request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.name, 'admin');
    const search = await client.request<{ total: number }>('GET', '/rest/api/2/search', { query: { jql: 'assignee = currentUser()', maxResults: 1 } });
    assert.equal(typeof search.body.total, 'number');
  });

  test('the exported API gives no client without a session VS Code handed out', async () => {
    const account = await api.signIn({ baseUrl, method: 'pat', token: env('JIRA_EMULATOR_PAT') });
    const forged = { id: account!.id, accessToken: 'guessed', account: { id: account!.id, label: 'x' }, scopes: ['jira'] };
    await assert.rejects(api.getClient(forged), /getSession/);
    await assert.rejects(api.getClient(account!.id as unknown as vscode.AuthenticationSession), /getSession/);
  });

  test('signs in with a personal access token', async () => {
    const account = await api.signIn({ baseUrl, method: 'pat', token: env('JIRA_EMULATOR_PAT') });
    assert.equal(account?.method, 'pat');
    const [session] = await api.testing!.provider.getSessions([]);
    assert.equal(session?.accessToken, env('JIRA_EMULATOR_PAT'));
  });

  test('jira.copyAccessToken puts the token on the clipboard', async () => {
    const account = await api.signIn({ baseUrl, method: 'pat', token: env('JIRA_EMULATOR_PAT') });
    await vscode.env.clipboard.writeText('before');
    const copied = await vscode.commands.executeCommand('jira.copyAccessToken', { accountId: account!.id, confirm: true });
    assert.equal(copied, 'token');
    assert.equal(await vscode.env.clipboard.readText(), env('JIRA_EMULATOR_PAT'));
    await vscode.env.clipboard.writeText('');
  });

  test('jira.signOut removes the secrets and the metadata and fires onDidChangeSessions', async () => {
    const account = await api.signIn({ baseUrl, method: 'oauth1', consumerKey, privateKeyPem, verifier: allowInJira });
    const removed = new Promise<vscode.AuthenticationSessionsChangeEvent>((resolve) => {
      const d = vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'jira') {
          d.dispose();
          resolve(e);
        }
      });
    });
    const ui = new ScriptedPrompter();
    api.testing!.setPrompter(ui);
    assert.equal(await vscode.commands.executeCommand('jira.signOut', account!.id), true);
    await removed;
    assert.equal(await api.testing!.secrets.get(`jira.account.${account!.id}`), undefined);
    assert.equal(api.getAccounts().length, 0);
    assert.ok(!globalStateDump(api).includes(account!.id));
    assert.deepEqual(await api.testing!.provider.getSessions([]), []);
    assert.match(ui.messages(), /application link .* stays in Jira/);
  });

  test('cancelling the verification code leaves no state', async () => {
    const ui = new ScriptedPrompter();
    ui.onOpen = async () => undefined;
    ui.inputs.push(() => undefined);
    api.testing!.setPrompter(ui);
    const before = globalStateDump(api);
    await assert.rejects(api.signIn({ baseUrl, method: 'oauth1', consumerKey, privateKeyPem }), { code: 'cancelled' });
    assert.equal(api.getAccounts().length, 0);
    assert.equal(globalStateDump(api).replace(/"jira\.recentSites",\[[^\]]*\]/, ''), before.replace(/"jira\.recentSites",\[[^\]]*\]/, ''));
    assert.equal(await api.testing!.secrets.get('jira.pendingSignIn'), undefined);
  });

  test('cancelling a network step leaves no state', async () => {
    const ui = new ScriptedPrompter();
    ui.cancelProgress = /Requesting authorization/;
    api.testing!.setPrompter(ui);
    await assert.rejects(api.signIn({ baseUrl, method: 'oauth1', consumerKey, privateKeyPem }), { code: 'aborted' });
    assert.equal(api.getAccounts().length, 0);
    assert.equal(await api.testing!.secrets.get('jira.pendingSignIn'), undefined);
  });

  test('a wrong key is refused with signature_invalid and nothing is stored', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const ui = new ScriptedPrompter();
    api.testing!.setPrompter(ui);
    await assert.rejects(api.signIn({ baseUrl, method: 'oauth1', consumerKey, privateKeyPem: other, verifier: allowInJira }), { oauthProblem: 'signature_invalid' });
    assert.equal(api.getAccounts().length, 0);
    assert.deepEqual(ui.notifications.at(-1)?.actions, ['Open Application Links', 'Try Again', 'Show Log']);
  });

  test('the whole interactive journey: Generate Key Pair, the application link, Sign In', async () => {
    const ui = new ScriptedPrompter();
    api.testing!.setPrompter(ui);
    const key = `vscode-it-${Date.now()}`;
    // Earlier tests signed in to the emulator, so it is offered as a known site.
    ui.picks.push((o) => {
      const items = o.items.filter((i): i is { label: string; description?: string; value: unknown } => i !== 'separator');
      return (items.find((i) => i.description === baseUrl) ?? assert.fail(`${baseUrl} is not offered`)).value;
    });
    ui.inputs.push(() => key);
    await vscode.commands.executeCommand('jira.generateKeyPair');
    assert.match(ui.messages(), /Key pair generated/);
    // The pending sign-in: metadata in globalState, the private key only in SecretStorage.
    const pendingSecret = JSON.parse((await api.testing!.secrets.get('jira.pendingSignIn'))!);
    assert.ok(!globalStateDump(api).includes(pendingSecret.privateKeyPem.split('\n')[1]));
    assert.equal(await vscode.commands.executeCommand('jira.copyPublicKey'), ui.clipboard);
    assert.match(ui.clipboard, /^-----BEGIN PUBLIC KEY-----/);
    await createApplicationLink(baseUrl, key, ui.clipboard);

    let code = '';
    ui.onOpen = async (url) => {
      code = await allowInJira(url);
    };
    ui.picks.push(choose(/Continue Signing In/), choose(/Continue: the Application Link/));
    ui.inputs.push(() => `Your verification code is '${code}'`);
    // The code path (in code-server the default is the URI-handler callback, which needs the
    // browser to follow Jira's redirect: the sandbox E2E journey does that).
    const jira = vscode.workspace.getConfiguration('jira');
    await jira.update('oauth1.callback', 'oob', vscode.ConfigurationTarget.Global);
    let account: { displayName: string } | undefined;
    try {
      account = await vscode.commands.executeCommand<{ displayName: string }>('jira.signIn');
    } finally {
      await jira.update('oauth1.callback', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(account?.displayName, 'Alice Admin');
    assert.equal(await api.testing!.secrets.get('jira.pendingSignIn'), undefined);
    assert.match(ui.messages(), /Signed in to .* as Alice Admin/);
  });
});
