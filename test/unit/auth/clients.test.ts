// The client factory keeps one signed client per account (the views and other extensions share it)
// and drops it when the account's credentials change or it signs out, so nobody keeps using a
// replaced or removed credential.
import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import type { Core } from '../../../src/coreLoader';
import { ClientFactory } from '../../../src/auth/clients';
import { format, setTranslator } from '../../../src/l10n';
import { AccountStore } from '../../../src/store/accounts';
import type { AccountMeta } from '../../../src/store/types';
import { FakeMemento, FakeSecretStorage, settle } from '../support/fakes';

const SITE = { baseUrl: 'https://jira.example.com', title: 'Example', deploymentType: 'Server', version: '9.12.0' };
const meta = (id: string): AccountMeta => ({ id, method: 'pat', site: SITE, userName: 'ada', displayName: 'Ada', createdAt: 1 });

function setup() {
  const accounts = new AccountStore(new FakeSecretStorage(), new FakeMemento());
  const factory = new ClientFactory({ accounts, core: async () => core as unknown as Core, userAgent: 'tests', onSessionEnded: () => undefined });
  return { accounts, factory };
}

describe('client factory: one client per account, dropped when the account changes', () => {
  before(() => setTranslator((m, ...a) => format(m, a)));

  it('says to sign in when there is no account', async () => {
    await assert.rejects(setup().factory.client(), /Not signed in to Jira: run "Jira: Sign In" first\./);
  });

  it('gives the same client to every caller of an account', async () => {
    const { accounts, factory } = setup();
    await accounts.add(meta('a1'), { type: 'pat', token: 'pat-1' });
    const first = await factory.client();
    assert.equal(await factory.client('a1'), first);
  });

  it('makes a new client after signing in again as the same user, and none after sign-out', async () => {
    const { accounts, factory } = setup();
    await accounts.add(meta('a1'), { type: 'pat', token: 'pat-1' });
    const first = await factory.client('a1');
    await accounts.add(meta('other-id'), { type: 'pat', token: 'pat-2' }); // same site and user: replaces a1's credentials
    await settle();
    assert.notEqual(await factory.client('a1'), first, 'a client with the new token');
    await accounts.remove('a1');
    await settle();
    await assert.rejects(factory.client('a1'), /Not signed in/);
  });

  it('keeps the client while only an OAuth 2.0 refresh changes the stored tokens (the client renews itself)', async () => {
    const { accounts, factory } = setup();
    await accounts.add(meta('a1'), { type: 'pat', token: 'pat-1' });
    const first = await factory.client('a1');
    await accounts.updateAuth('a1', { type: 'pat', token: 'pat-2' });
    await settle();
    assert.equal(await factory.client('a1'), first);
  });
});
