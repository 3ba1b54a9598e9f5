import * as assert from 'node:assert/strict';
import { createLogger } from '../../../src/log';
import { ACCOUNT_SECRET_PREFIX, ACCOUNTS_KEY, AccountsChange, AccountStore, accountLabel, siteLabel } from '../../../src/store/accounts';
import type { AccountAuth, AccountMeta } from '../../../src/store/types';
import { FakeChannel, FakeMemento, FakeSecretStorage, SecretBackend, settle } from '../support/fakes';

function meta(over: Partial<AccountMeta> = {}): AccountMeta {
  return {
    id: 'a1',
    method: 'oauth1',
    site: { baseUrl: 'https://jira.example.com/jira', title: 'Example Jira', version: '9.12.0', deploymentType: 'Server' },
    userName: 'ada',
    displayName: 'Ada Lovelace',
    consumerKey: 'vscode-jira',
    createdAt: 1,
    ...over,
  };
}

const AUTH: AccountAuth = {
  type: 'oauth1',
  consumerKey: 'vscode-jira',
  privateKeyPem: '-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n',
  token: 'ACCESS-TOKEN-123',
  tokenSecret: 'TOKEN-SECRET-456',
};

describe('AccountStore (secrets in SecretStorage, metadata in globalState)', () => {
  let secrets: FakeSecretStorage;
  let memento: FakeMemento;
  let store: AccountStore;
  let events: AccountsChange[];

  beforeEach(() => {
    secrets = new FakeSecretStorage();
    memento = new FakeMemento();
    store = new AccountStore(secrets, memento);
    events = [];
    store.onDidChange((e) => events.push(e));
  });
  afterEach(() => store.dispose());

  it('stores the credentials as one JSON blob under jira.account.<id> and only metadata in globalState', async () => {
    const stored = await store.add(meta(), AUTH);
    assert.equal(stored.id, 'a1');
    const blob = JSON.parse((await secrets.get(`${ACCOUNT_SECRET_PREFIX}a1`))!);
    assert.deepEqual(blob.auth, AUTH);
    assert.equal(blob.meta.userName, 'ada');
    for (const secret of ['SECRETKEYMATERIAL', 'ACCESS-TOKEN-123', 'TOKEN-SECRET-456']) {
      assert.ok(!memento.dump().includes(secret), `${secret} leaked into globalState`);
    }
    assert.deepEqual(store.list().map((a) => a.id), ['a1']);
    assert.equal(store.active()?.id, 'a1');
    assert.deepEqual(await store.getAuth('a1'), AUTH);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].added.map((a) => a.id), ['a1']);
  });

  it('replaces the account of the same user on the same site instead of duplicating it', async () => {
    await store.add(meta(), AUTH);
    await store.add(meta({ id: 'other', displayName: 'Ada L.' }), { ...AUTH, token: 'NEW' });
    assert.deepEqual(store.list().map((a) => [a.id, a.displayName]), [['a1', 'Ada L.']]);
    assert.equal(((await store.getAuth('a1')) as { token: string }).token, 'NEW');
    assert.deepEqual(events[1].changed.map((a) => a.id), ['a1']);
  });

  it('keeps several accounts side by side and switches the active one', async () => {
    await store.add(meta(), AUTH);
    await store.add(meta({ id: 'b2', userName: 'bob', displayName: 'Bob', site: { baseUrl: 'https://other.example.com' } }), { type: 'pat', token: 'PAT' });
    assert.equal(store.active()?.id, 'b2', 'the newest sign-in becomes active');
    await store.setActive('a1');
    assert.equal(store.active()?.id, 'a1');
    assert.equal(events.at(-1)?.activeChanged, true);
    await assert.rejects(store.setActive('nope'));
  });

  it('removes secrets and metadata on sign-out and falls back to another active account', async () => {
    await store.add(meta(), AUTH);
    await store.add(meta({ id: 'b2', userName: 'bob', displayName: 'Bob' }), { type: 'pat', token: 'PAT' });
    const removed = await store.remove('b2');
    assert.equal(removed?.id, 'b2');
    assert.equal(await secrets.get(`${ACCOUNT_SECRET_PREFIX}b2`), undefined);
    assert.deepEqual(store.list().map((a) => a.id), ['a1']);
    assert.equal(store.active()?.id, 'a1');
    assert.deepEqual(events.at(-1)?.removed.map((a) => a.id), ['b2']);
  });

  it('writes nothing when SecretStorage fails, and removes the secret when globalState fails', async () => {
    secrets.backend.fail = true;
    await assert.rejects(store.add(meta(), AUTH), /keychain/);
    assert.equal(store.list().length, 0);
    secrets.backend.fail = false;
    memento.fail = true;
    await assert.rejects(store.add(meta(), AUTH), /storage full/);
    memento.fail = false;
    assert.equal(await secrets.get(`${ACCOUNT_SECRET_PREFIX}a1`), undefined, 'no secret without its account');
    assert.equal(store.list().length, 0);
  });

  it('shows a sign-in from another window (SecretStorage.onDidChange), and its sign-out', async () => {
    const backend = new SecretBackend();
    const windowA = new AccountStore(new FakeSecretStorage(backend), new FakeMemento());
    const windowB = new AccountStore(new FakeSecretStorage(backend), new FakeMemento());
    const seen: AccountsChange[] = [];
    windowB.onDidChange((e) => seen.push(e));
    await windowA.add(meta(), AUTH);
    await settle();
    assert.deepEqual(windowB.list().map((a) => a.id), ['a1']);
    assert.deepEqual(seen.map((e) => e.added.length), [1]);
    assert.deepEqual(await windowB.getAuth('a1'), AUTH);
    await windowA.remove('a1');
    await settle();
    assert.deepEqual(windowB.list(), []);
    assert.deepEqual(seen.at(-1)?.removed.map((a) => a.id), ['a1']);
    windowA.dispose();
    windowB.dispose();
  });

  it('ignores its own change events (no duplicate events)', async () => {
    await store.add(meta(), AUTH);
    await settle();
    assert.equal(events.length, 1);
  });

  it('ignores malformed metadata and secret blobs', async () => {
    await memento.update(ACCOUNTS_KEY, [{ id: 'x' }, 42, meta()]);
    assert.deepEqual(store.list().map((a) => a.id), ['a1']);
    await secrets.store(`${ACCOUNT_SECRET_PREFIX}a1`, '{not json');
    assert.equal(await store.getAuth('a1'), undefined);
  });

  it('labels accounts with the user and the site', () => {
    assert.equal(accountLabel(meta()), 'Ada Lovelace (jira.example.com/jira)');
    assert.equal(siteLabel('http://127.0.0.1:8080/'), '127.0.0.1:8080');
  });

  it('logs without secrets', async () => {
    const channel = new FakeChannel();
    const logged = new AccountStore(secrets, memento, createLogger(channel));
    await logged.add(meta(), AUTH);
    assert.match(channel.text(), /account a1 stored/);
    assert.ok(!/ACCESS-TOKEN|SECRETKEY|TOKEN-SECRET/.test(channel.text()));
    logged.dispose();
  });
});
