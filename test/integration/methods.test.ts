// Every sign-in method in a real VS Code extension host (code-server), each against its own Jira
// emulator started here: the credentials end up in SecretStorage only (never in globalState or
// settings), the account works, OAuth 2.0 tokens refresh, and Inspect Token never shows a secret.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JiraAuthApi } from '../../src/api';
import type { TokenReport } from '../../src/commands/inspectToken';
import { Emulator, startEmulator } from '../emulator';
import { consentInBrowser } from '../unit/support/browser';
import { sessionOf } from './session';

const EXTENSION_ID = 'jira-auth-project.jira-auth';

function globalStateDump(api: JiraAuthApi): string {
  const m = api.testing!.globalState;
  return JSON.stringify(m.keys().map((k) => [k, m.get(k)]));
}

/** Everything the user and workspace settings say about jira.*. */
function settingsDump(): string {
  const c = vscode.workspace.getConfiguration('jira');
  const out: Record<string, unknown> = {};
  for (const k of ['sites', 'oauth1.callback', 'oauth1.keySize', 'oauth2.redirect', 'oauth2.cloudEndpoints', 'issues.jql', 'filters']) out[k] = c.inspect(k);
  return JSON.stringify(out);
}

/** The secret values must be in the account's SecretStorage blob and nowhere else we can look. */
async function assertOnlyInSecretStorage(api: JiraAuthApi, accountId: string, secrets: string[]): Promise<Record<string, unknown>> {
  const raw = await api.testing!.secrets.get(`jira.account.${accountId}`);
  assert.ok(raw, 'the account blob is in SecretStorage');
  const state = globalStateDump(api);
  const settings = settingsDump();
  for (const s of secrets) {
    assert.ok(s && raw.includes(s), 'the secret is in the SecretStorage blob');
    assert.ok(!state.includes(s), 'no secret in globalState');
    assert.ok(!settings.includes(s), 'no secret in settings');
  }
  return JSON.parse(raw).auth as Record<string, unknown>;
}

suite('Other sign-in methods in a real VS Code', function () {
  this.timeout(60_000);
  let api: JiraAuthApi;
  let emulator: Emulator | undefined;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<JiraAuthApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    assert.ok(api.testing);
  });

  teardown(async () => {
    api.testing!.setPrompter(undefined);
    for (const a of api.getAccounts()) await api.signOut(a.id);
    await vscode.workspace.getConfiguration('jira').update('oauth2.cloudEndpoints', undefined, vscode.ConfigurationTarget.Global);
    await emulator?.close();
    emulator = undefined;
  });

  test('personal access token: SecretStorage only; the client works', async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-int-1': 'bob' } });
    const account = await api.signIn({ baseUrl: emulator.url, method: 'pat', token: 'pat-int-1' });
    assert.equal(account?.method, 'pat');
    assert.deepEqual(await assertOnlyInSecretStorage(api, account!.id, ['pat-int-1']), { type: 'pat', token: 'pat-int-1' });
    const me = await (await api.getClient(await sessionOf(api, account!.id))).request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.name, 'bob');
  });

  test('API token (Cloud): SecretStorage only', async () => {
    emulator = await startEmulator({ port: 0, deploymentType: 'Cloud', apiTokens: { 'atl-int-token': 'admin' } });
    const account = await api.signIn({ baseUrl: emulator.url, method: 'basic', username: 'admin@example.com', password: 'atl-int-token' });
    assert.equal(account?.deploymentType, 'Cloud');
    const auth = await assertOnlyInSecretStorage(api, account!.id, ['atl-int-token']);
    assert.equal(auth.username, 'admin@example.com');
  });

  test('user name and password (Data Center): SecretStorage only; a wrong password stores nothing', async () => {
    emulator = await startEmulator({ port: 0, users: [{ name: 'admin', displayName: 'Alice Admin' }, { name: 'carol', displayName: 'Carol Coder', password: 'c4rol-secret-pw' }] });
    await assert.rejects(api.signIn({ baseUrl: emulator.url, method: 'basic', username: 'carol', password: 'wrong-pass' }), { code: 'bad_credentials' });
    assert.equal(api.getAccounts().length, 0);
    const account = await api.signIn({ baseUrl: emulator.url, method: 'basic', username: 'carol', password: 'c4rol-secret-pw' });
    assert.equal(account?.displayName, 'Carol Coder');
    await assertOnlyInSecretStorage(api, account!.id, ['c4rol-secret-pw']);
    assert.ok(!globalStateDump(api).includes('wrong-pass'));
  });

  test('OAuth 2.0 (Data Center): tokens and client secret in SecretStorage only; refresh after expiry in the host; Inspect Token', async () => {
    emulator = await startEmulator({ port: 0 });
    const account = await api.signIn({
      baseUrl: emulator.url,
      method: 'oauth2',
      clientId: 'vscode-jira',
      clientSecret: 'vscode-jira-secret',
      authorize: (url: string) => consentInBrowser(url, 'allow'),
    });
    assert.equal(account?.method, 'oauth2');
    const before = await assertOnlyInSecretStorage(api, account!.id, ['vscode-jira-secret']);
    await assertOnlyInSecretStorage(api, account!.id, [before.accessToken as string, before.refreshToken as string]);
    const client = await api.testing!.secrets.get(`jira.oauth2.client.${emulator.url.toLowerCase()}`);
    assert.ok(client && JSON.parse(client).clientSecret === 'vscode-jira-secret', 'the client is saved for the site in SecretStorage');

    emulator.oauth2.expireAccessTokens();
    const me = await (await api.getClient(await sessionOf(api, account!.id))).request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.name, 'admin');
    assert.equal(emulator.oauth2.stats.refreshes, 1);
    const after = await assertOnlyInSecretStorage(api, account!.id, ['vscode-jira-secret']);
    assert.notEqual(after.accessToken, before.accessToken, 'the renewed token is stored');
    assert.ok(!globalStateDump(api).includes(after.accessToken as string));

    const report = await vscode.commands.executeCommand<TokenReport>('jira.inspectToken', account!.id);
    assert.ok(report);
    assert.match(report.markdown, /OAuth 2\.0 \(Data Center application link, PKCE\)/);
    assert.ok(!report.markdown.includes(after.accessToken as string) && !report.markdown.includes(after.refreshToken as string));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'jira-token');
    assert.ok(doc, 'shown in a read-only jira-token document');
    assert.equal(doc.getText(), report.markdown);
  });

  test('OAuth 2.0 (Cloud 3LO): site chosen by cloud id; the account keeps cloudId and site URL; JWT verified by Inspect Token', async () => {
    emulator = await startEmulator({ port: 0, deploymentType: 'Cloud' });
    await vscode.workspace.getConfiguration('jira').update('oauth2.cloudEndpoints', emulator.cloudEndpoints, vscode.ConfigurationTarget.Global);
    const account = await api.signIn({
      baseUrl: emulator.url,
      method: 'oauth2',
      clientId: 'vscode-jira',
      clientSecret: 'vscode-jira-secret',
      cloudId: '2c7d9e1f-3a4b-4c5d-8e6f-0a1b2c3d4e5f',
      authorize: (url: string) => consentInBrowser(url, 'allow'),
    });
    assert.equal(account?.siteUrl, 'https://acme-sandbox.atlassian.net');
    const auth = await assertOnlyInSecretStorage(api, account!.id, ['vscode-jira-secret']);
    await assertOnlyInSecretStorage(api, account!.id, [auth.accessToken as string, auth.refreshToken as string]);
    const me = await (await api.getClient(await sessionOf(api, account!.id))).request<{ name: string }>('GET', '/rest/api/2/myself');
    assert.equal(me.body.name, 'admin');
    const report = await vscode.commands.executeCommand<TokenReport>('jira.inspectToken', account!.id);
    assert.equal(report?.verified, true);
    assert.ok(!report!.markdown.includes(auth.accessToken as string));
  });
});
