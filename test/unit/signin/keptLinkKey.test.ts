import * as assert from 'node:assert/strict';
import { format, setTranslator } from '../../../src/l10n';
import { keptLinkKeys, nextConsumerKey } from '../../../src/signin/linkedKeys';
import type { AccountMeta } from '../../../src/store/types';
import { startEmulator, Emulator } from '../../emulator';
import { clickInJira } from '../support/browser';
import { choose, PickHandler, settle } from '../support/fakes';
import { makeWorld, World } from '../support/world';

// After Sign Out, Jira keeps the application link with the account's public key. Signing in again
// used to offer only a new key pair for the same consumer key, which that link then refuses. The
// link's key pair is now kept at Sign Out (it is the link's credential, not the account's) and
// offered first; a new consumer key (a new link) is a button when a new key meets the old link.
describe('signin/keptLinkKey: signing in again through an existing application link', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  // A context path, as many Data Center sites have: the link is per site with its path.
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, contextPath: '/jira', pats: { 'pat-admin': 'admin' } });
  });
  afterEach(async () => emulator.close());

  const linkKeySecrets = (w: World) => [...w.secrets.backend.data.keys()].filter((k) => k.startsWith('jira.oauth1.linkKey.'));
  const host = () => new RegExp(emulator.url.replace(/^http:\/\//, '').replace(/[./]/g, '\\$&'));

  /** Jira's authorize page answers Allow; the code is typed into the box. */
  function allowAndType(w: World) {
    let code: string | undefined;
    w.ui.onOpen = async (url) => {
      code = (await clickInJira(url, 'approve')).code;
    };
    w.ui.inputs.push(() => code);
  }

  /** The application-link step: the administrator creates the link with the pending key, then Continue. */
  function createLinkThenContinue(w: World): PickHandler {
    return (o) => {
      const p = w.deps.pending.get()!;
      emulator.addLink({ consumerKey: p.consumerKey, name: 'VS Code', publicKeyPem: p.publicKeyPem });
      return choose(/Continue: the Application Link/)(o);
    };
  }

  /** A first OAuth 1.0a sign-in with a generated key pair and a new link. */
  async function firstSignIn(w: World): Promise<AccountMeta> {
    w.ui.inputs.push(() => emulator.url);
    w.ui.picks.push(choose(/OAuth 1\.0a/));
    w.ui.inputs.push((o) => o.value);
    w.ui.picks.push(choose(/Generate a New Key Pair/), createLinkThenContinue(w));
    allowAndType(w);
    const account = await w.controller.signIn({}, { rethrow: true });
    assert.ok(account?.keyFingerprint);
    return account;
  }

  /** "Jira: Sign In" again on the known site: records the proposed consumer key and the key-pair rows, chooses `key`. */
  function signInAgain(w: World, key: RegExp) {
    const seen = { consumerKey: '', rows: [] as string[] };
    w.ui.picks.push(choose(host()), choose(/OAuth 1\.0a/));
    w.ui.inputs.push((o) => (seen.consumerKey = o.value ?? ''));
    w.ui.picks.push((o) => {
      seen.rows = o.items.flatMap((i) => (i === 'separator' ? [] : [i.label]));
      return choose(key)(o);
    });
    return seen;
  }

  it('Sign Out keeps the key pair of the link, says so, and offers to forget it', async () => {
    const w = makeWorld();
    const account = await firstSignIn(w);
    await w.controller.account.signOut(account.id);
    const bye = w.ui.notifications.at(-1)!;
    assert.match(bye.message, /application link \(consumer key "vscode-jira-test"\) stays in Jira, and VS Code keeps its key pair/);
    assert.deepEqual(bye.actions, ['Open Application Links', 'Forget Key Pair']);
    assert.deepEqual(w.deps.accounts.list(), [], 'the account is gone');
    assert.deepEqual(keptLinkKeys(w.memento, emulator.url).map((k) => [k.consumerKey, k.fingerprint]), [['vscode-jira-test', account.keyFingerprint]]);
    assert.equal(linkKeySecrets(w).length, 1, 'the private key in SecretStorage');
    assert.doesNotMatch(w.memento.dump(), /PRIVATE KEY/, 'never in globalState');
  });

  it('signing in again proposes that link and its key pair first, and needs no change in Jira', async () => {
    const w = makeWorld();
    const first = await firstSignIn(w);
    await w.controller.account.signOut(first.id);
    const before = emulator.requests.length;
    const asked = w.ui.asked.length;
    const seen = signInAgain(w, /Reuse the Key Pair of the Application Link/);
    allowAndType(w);
    const again = await w.controller.signIn({}, { rethrow: true });
    assert.equal(seen.consumerKey, 'vscode-jira-test', 'the link\'s consumer key is proposed');
    assert.match(seen.rows[0], /Reuse the Key Pair of the Application Link/, 'reuse is the first row');
    assert.equal(again?.keyFingerprint, first.keyFingerprint);
    assert.ok(!w.ui.asked.slice(asked).some((a) => /application link/.test(a.title)), 'no application-link step');
    assert.deepEqual(emulator.requests.slice(before).filter((r) => /applinks/.test(r.path)), [], 'nothing asked of the application links');
    assert.deepEqual(keptLinkKeys(w.memento, emulator.url), [], 'the account holds the key pair again');
    assert.deepEqual(linkKeySecrets(w), []);
  });

  it('Forget Key Pair deletes it: the next sign-in offers no reuse', async () => {
    const w = makeWorld();
    const first = await firstSignIn(w);
    w.ui.answer = (_m, actions) => actions.find((a) => a === 'Forget Key Pair');
    await w.controller.account.signOut(first.id);
    await settle();
    assert.deepEqual(keptLinkKeys(w.memento, emulator.url), []);
    assert.deepEqual(linkKeySecrets(w), []);
    assert.match(w.ui.messages(), /no longer keeps the key pair of the application link "vscode-jira-test"/);
    w.ui.answer = () => undefined;
    const seen = signInAgain(w, /Generate a New Key Pair/);
    w.ui.cancelProgress = /Generating/;
    await w.controller.signIn({}, { rethrow: false });
    assert.ok(seen.rows.length > 0);
    assert.ok(!seen.rows.some((r) => /Reuse/.test(r)), seen.rows.join(' | '));
  });

  it('Jira: Forget Application Link Key Pair lists the kept ones and forgets the chosen one', async () => {
    const w = makeWorld();
    await w.controller.account.forgetKeptLinkKey();
    assert.match(w.ui.messages(), /keeps no key pair of an application link/);
    const first = await firstSignIn(w);
    await w.controller.account.signOut(first.id);
    let rows: string[] = [];
    w.ui.picks.push((o) => {
      rows = o.items.flatMap((i) => (i === 'separator' ? [] : [`${i.label} ${i.description}`]));
      return choose(/vscode-jira-test/)(o);
    });
    await w.controller.account.forgetKeptLinkKey();
    assert.deepEqual(rows, [`$(key) vscode-jira-test ${emulator.url.replace(/^http:\/\//, '')}`]);
    assert.deepEqual(keptLinkKeys(w.memento), []);
    assert.deepEqual(linkKeySecrets(w), []);
  });

  it('a personal access token keeps nothing at Sign Out', async () => {
    const w = makeWorld();
    const account = await w.controller.signIn({ baseUrl: emulator.url, method: 'pat', token: 'pat-admin' }, { rethrow: true });
    await w.controller.account.signOut(account!.id);
    assert.deepEqual(keptLinkKeys(w.memento, emulator.url), []);
    assert.deepEqual(w.ui.notifications.at(-1)!.actions, []);
  });

  it('a new key pair meeting the old link: the key mismatch first, and New Consumer Key leads through a new link to signed in', async () => {
    const w = makeWorld();
    const first = await firstSignIn(w);
    await w.controller.account.signOut(first.id);
    signInAgain(w, /Generate a New Key Pair/);
    // Nobody changes the link in Jira: Continue at the application-link step.
    w.ui.picks.push(choose(/Continue: the Application Link/));
    let proposed = '';
    w.ui.answer = (message, actions) => (/still holds the public key of your earlier sign-in/.test(message) ? actions.find((a) => a === 'New Consumer Key') : undefined);
    w.ui.inputs.push((o) => {
      proposed = o.value ?? '';
      return o.value;
    });
    w.ui.picks.push(createLinkThenContinue(w));
    allowAndType(w);
    await w.controller.signIn({}, { rethrow: false });
    const failure = w.ui.notifications.find((n) => n.severity === 'error')!;
    assert.match(failure.message, /^Jira rejected the signature: the application link for consumer key "vscode-jira-test" most likely still holds/);
    assert.deepEqual(failure.actions, ['Copy Public Key', 'Open Application Links', 'New Consumer Key', 'Try Again']);
    // The button runs on its own: wait for the account it makes.
    for (let i = 0; i < 200 && !w.deps.accounts.list().length; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(proposed, 'vscode-jira-test-2', 'a consumer key no link has yet');
    const account = w.deps.accounts.list()[0];
    assert.equal(account?.consumerKey, 'vscode-jira-test-2');
    assert.notEqual(account.keyFingerprint, first.keyFingerprint, 'the new key pair, through the new link');
    assert.equal(w.deps.pending.get(), undefined);
  });

  it('proposes the next free consumer key', () => {
    assert.equal(nextConsumerKey('vscode-jira-alice', []), 'vscode-jira-alice-2');
    assert.equal(nextConsumerKey('vscode-jira-alice-2', ['vscode-jira-alice-3']), 'vscode-jira-alice-4');
    assert.equal(nextConsumerKey('k', ['k-2', 'k-3']), 'k-4');
  });
});
