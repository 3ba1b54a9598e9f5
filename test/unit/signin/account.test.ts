import * as assert from 'node:assert/strict';
import { format, setTranslator } from '../../../src/l10n';
import { ACCOUNT_SECRET_PREFIX } from '../../../src/store/accounts';
import { startEmulator, Emulator } from '../../emulator';
import { choose } from '../support/fakes';
import { makeWorld, World } from '../support/world';

// Signing in to a site where the same user is already signed in with another method used to
// replace that account without a word (its token and key were gone). Now the user chooses.
describe('signin/account: a second sign-in method for the same user and site never replaces the first silently', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-admin': 'admin' } });
  });
  afterEach(async () => emulator.close());

  const basic = () => ({ baseUrl: emulator.url, method: 'basic' as const, username: 'admin', password: 'admin' });
  const pat = () => ({ baseUrl: emulator.url, method: 'pat' as const, token: 'pat-admin' });
  const secretKeys = (w: World) => [...w.secrets.backend.data.keys()].filter((k) => k.startsWith(ACCOUNT_SECRET_PREFIX)).sort();

  async function signedInWithBasic(): Promise<{ w: World; first: string }> {
    const w = makeWorld();
    const first = await w.controller.signIn(basic(), { rethrow: true });
    assert.equal(w.ui.notifications.filter((n) => n.modal).length, 0, 'the first sign-in asks nothing');
    return { w, first: first!.id };
  }

  it('asks, naming the site, the user, the method in place and what Replace removes', async () => {
    const { w } = await signedInWithBasic();
    w.ui.answer = () => undefined;
    await w.controller.signIn(pat(), { rethrow: false });
    const ask = w.ui.notifications.find((n) => n.modal);
    assert.ok(ask, 'a modal question');
    assert.match(ask.message, new RegExp(`already signed in to ${emulator.url.replace(/^http:\/\//, '').replace(/\./g, '\\.')} as Alice Admin with Basic authentication`));
    assert.match(ask.detail ?? '', /VS Code forgets the password or API token.*new Personal access token sign-in/);
    assert.deepEqual(ask.actions, ['Replace', 'Keep Both']);
  });

  it('Replace: only the new account is left, the old secret is gone', async () => {
    const { w, first } = await signedInWithBasic();
    w.ui.answer = (_m, actions, modal) => (modal ? actions.find((a) => a === 'Replace') : undefined);
    const second = await w.controller.signIn(pat(), { rethrow: true });
    assert.deepEqual(w.deps.accounts.list().map((a) => a.method), ['pat']);
    assert.equal(await w.deps.accounts.getAuth(first), undefined);
    assert.deepEqual(secretKeys(w), [ACCOUNT_SECRET_PREFIX + second!.id]);
    assert.equal(w.deps.accounts.active()?.id, second!.id);
  });

  it('Keep Both: both accounts stay, each with its own credentials; the new one is active', async () => {
    const { w, first } = await signedInWithBasic();
    w.ui.answer = (_m, actions, modal) => (modal ? actions.find((a) => a === 'Keep Both') : undefined);
    const second = await w.controller.signIn(pat(), { rethrow: true });
    assert.deepEqual(w.deps.accounts.list().map((a) => a.method).sort(), ['basic', 'pat']);
    assert.equal((await w.deps.accounts.getAuth(first))?.type, 'basic');
    assert.deepEqual(await w.deps.accounts.getAuth(second!.id), { type: 'pat', token: 'pat-admin' });
    assert.equal(w.deps.accounts.active()?.id, second!.id);
  });

  it('dismissed: nothing new is stored and the first account is untouched', async () => {
    const { w, first } = await signedInWithBasic();
    const before = secretKeys(w);
    w.ui.answer = () => undefined;
    await assert.rejects(w.controller.signIn(pat(), { rethrow: true }), { code: 'cancelled' });
    assert.deepEqual(w.deps.accounts.list().map((a) => a.id), [first]);
    assert.deepEqual(secretKeys(w), before);
    assert.equal((await w.deps.accounts.getAuth(first))?.type, 'basic');
  });

  it('signing in again with the same method renews that account without asking', async () => {
    const { w, first } = await signedInWithBasic();
    const again = await w.controller.signIn(basic(), { rethrow: true });
    assert.equal(again!.id, first, 'same account, same id');
    assert.equal(w.ui.notifications.filter((n) => n.modal).length, 0);
    assert.equal(w.deps.accounts.list().length, 1);
  });
});

// Choosing an account in Show Accounts used to close the list and switch silently.
describe('signin/accountCommands: Show Accounts offers what can be done with the chosen account', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-admin': 'admin', 'pat-bob': 'bob' } });
  });
  afterEach(async () => emulator.close());

  async function twoAccounts() {
    const w = makeWorld();
    const inspected: string[] = [];
    w.deps.inspectToken = async (id) => void inspected.push(id);
    const admin = (await w.controller.signIn({ baseUrl: emulator.url, method: 'pat', token: 'pat-admin' }, { rethrow: true }))!;
    const bob = (await w.controller.signIn({ baseUrl: emulator.url, method: 'pat', token: 'pat-bob' }, { rethrow: true }))!;
    assert.equal(w.deps.accounts.active()?.id, bob.id);
    return { w, admin, bob, inspected };
  }

  /** Picks the account row, then records the action list and picks the action matching `action`. */
  function chooseAccountThen(w: World, account: RegExp, action: RegExp, seen: string[]) {
    w.ui.picks.push(choose(account));
    w.ui.picks.push((o) => {
      for (const i of o.items) if (i !== 'separator') seen.push(i.label);
      return choose(action)(o);
    });
  }

  it('another account: use it for the views (and say so), copy its token, inspect, sign out', async () => {
    const { w, admin } = await twoAccounts();
    const seen: string[] = [];
    chooseAccountThen(w, /Alice Admin/, /Use for the Jira Views/, seen);
    await w.controller.account.showAccounts();
    assert.deepEqual(seen.map((l) => l.replace(/^\$\([a-z-]+\) /, '')), ['Use for the Jira Views', 'Copy Access Token...', 'Inspect Token', 'Sign Out']);
    assert.equal(w.deps.accounts.active()?.id, admin.id);
    assert.match(w.ui.messages(), /The Jira views now show Alice Admin/);
  });

  it('the active account: no "use" row; Inspect Token opens the inspector for that account', async () => {
    const { w, bob, inspected } = await twoAccounts();
    const seen: string[] = [];
    chooseAccountThen(w, /Bob/, /Inspect Token/, seen);
    await w.controller.account.showAccounts();
    assert.ok(!seen.some((l) => /Use for the Jira Views/.test(l)));
    assert.deepEqual(inspected, [bob.id]);
  });

  it("Sign Out from the account's actions signs out that account only", async () => {
    const { w, admin, bob } = await twoAccounts();
    chooseAccountThen(w, /Alice Admin/, /Sign Out/, []);
    await w.controller.account.showAccounts();
    assert.deepEqual(w.deps.accounts.list().map((a) => a.id), [bob.id]);
    assert.equal(await w.deps.accounts.getAuth(admin.id), undefined);
  });

  it("Copy Access Token from the actions asks first, then copies that account's token", async () => {
    const { w } = await twoAccounts();
    chooseAccountThen(w, /Alice Admin/, /Copy Access Token/, []);
    w.ui.answer = (_m, actions, modal) => (modal ? actions.find((a) => a === 'Copy Token') : undefined);
    await w.controller.account.showAccounts();
    assert.equal(w.ui.clipboard, 'pat-admin');
    assert.ok(w.ui.notifications.some((n) => n.modal && /Copy the access token of Alice Admin/.test(n.message)), 'the warning came first');
  });
});
