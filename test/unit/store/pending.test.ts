import * as assert from 'node:assert/strict';
import { PENDING_KEY, PENDING_SECRET_KEY, PendingStore, REQUEST_TOKEN_MAX_AGE_MS, requestTokenFresh } from '../../../src/store/pending';
import type { PendingSignIn } from '../../../src/store/types';
import { FakeMemento, FakeSecretStorage } from '../support/fakes';

const P: PendingSignIn = {
  id: 'p1',
  method: 'oauth1',
  step: 'applink',
  site: { baseUrl: 'https://jira.example.com' },
  consumerKey: 'vscode-jira',
  publicKeyPem: '-----BEGIN PUBLIC KEY-----\nPUB\n-----END PUBLIC KEY-----',
  keyFingerprint: 'SHA256:abc',
  keySource: 'generated',
  createdAt: 1,
  updatedAt: 1,
};
const PRIVATE = '-----BEGIN PRIVATE KEY-----\nPRIVATEMATERIAL\n-----END PRIVATE KEY-----';

describe('PendingStore (a sign-in that continues after a reload)', () => {
  let secrets: FakeSecretStorage;
  let memento: FakeMemento;
  let store: PendingStore;
  beforeEach(() => {
    secrets = new FakeSecretStorage();
    memento = new FakeMemento();
    store = new PendingStore(secrets, memento);
  });
  afterEach(() => store.dispose());

  it('keeps site, consumer key and step in globalState and the private key in SecretStorage', async () => {
    await store.start(P, PRIVATE);
    assert.deepEqual(store.get(), P);
    assert.ok(!memento.dump().includes('PRIVATEMATERIAL'));
    assert.equal((await store.getSecrets())?.privateKeyPem, PRIVATE);
    // A "reload": new stores over the same storage.
    const again = new PendingStore(secrets, memento);
    assert.equal(again.get()?.step, 'applink');
    assert.equal((await again.getSecrets())?.privateKeyPem, PRIVATE);
    again.dispose();
  });

  it('moves to the next step and remembers the request token secret only in SecretStorage', async () => {
    await store.start(P, PRIVATE);
    await store.update({ step: 'authorize' });
    await store.setRequestToken({ token: 'RT', tokenSecret: 'RTSECRET', authorizeUrl: 'u', callback: 'oob', createdAt: Date.now() });
    assert.equal(store.get()?.step, 'authorize');
    assert.equal((await store.getSecrets())?.request?.tokenSecret, 'RTSECRET');
    assert.ok(!memento.dump().includes('RTSECRET'));
    await store.setRequestToken(undefined);
    assert.equal((await store.getSecrets())?.request, undefined);
  });

  it('clears everything', async () => {
    const seen: unknown[] = [];
    store.onDidChange((p) => seen.push(p));
    await store.start(P, PRIVATE);
    await store.clear();
    assert.equal(store.get(), undefined);
    assert.equal(await secrets.get(PENDING_SECRET_KEY), undefined);
    assert.equal(memento.get(PENDING_KEY), undefined);
    assert.equal(seen.at(-1), undefined);
  });

  it('does not use secrets that belong to another pending sign-in', async () => {
    await store.start(P, PRIVATE);
    await memento.update(PENDING_KEY, { ...P, id: 'p2' });
    assert.equal(await store.getSecrets(), undefined);
  });

  it('treats request tokens older than 9 minutes (Jira: 10) or for another callback as stale', () => {
    const now = Date.now();
    const r = { token: 't', tokenSecret: 's', authorizeUrl: 'u', callback: 'oob', createdAt: now - 60_000 };
    assert.equal(requestTokenFresh(r, 'oob', now), true);
    assert.equal(requestTokenFresh(r, 'http://127.0.0.1:1/cb', now), false);
    assert.equal(requestTokenFresh({ ...r, createdAt: now - REQUEST_TOKEN_MAX_AGE_MS }, 'oob', now), false);
    assert.equal(requestTokenFresh(undefined, 'oob', now), false);
  });
});
