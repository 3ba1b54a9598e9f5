import * as assert from 'node:assert/strict';
import { clickInJira } from '../support/browser';
import { choose } from '../support/fakes';
import { jiraPerTest } from '../support/jiraPerTest';
import { makeWorld, World } from '../support/world';

// After Sign Out, Jira keeps the application link with the old public key. A new sign-in that
// generated a new key pair for the same consumer key used to hear "Usually Jira's base URL
// differs...": the wrong cause first.
describe('signin/linkedKeys: a new key pair for a link that holds an earlier one is named as the cause', function () {
  this.timeout(30_000);
  const jira = jiraPerTest();

  /** Generate Key Pair, then Sign In through the application-link step; `link` creates the link first. */
  async function signIn(w: World, link: boolean, known = false) {
    // A site signed in to before is offered in a list; a new one is typed.
    if (known) w.ui.picks.push(choose(new RegExp(jira.emulator.url.replace(/^http:\/\//, '').replace(/\./g, '\\.'))));
    else w.ui.inputs.push(() => jira.emulator.url);
    w.ui.inputs.push((o) => o.value);
    await w.controller.applicationLink.generateKeyPair({ rethrow: true });
    const p = w.deps.pending.get()!;
    if (link) jira.emulator.addLink({ consumerKey: p.consumerKey, name: 'VS Code', publicKeyPem: p.publicKeyPem });
    let code: string | undefined;
    w.ui.onOpen = async (url) => {
      code = (await clickInJira(url, 'approve')).code;
    };
    w.ui.picks.push(choose(/Continue Signing In/), choose(/Continue: the Application Link/));
    w.ui.inputs.push(() => code);
    return { pending: p, account: await w.controller.signIn({}, { rethrow: false }) };
  }

  it('signed in, signed out, new key pair for the same consumer key: the key mismatch comes first, with Copy Public Key', async () => {
    const w = makeWorld();
    const first = await signIn(w, true);
    assert.ok(first.account, 'the first sign-in works');
    await w.controller.account.signOut(first.account.id);
    const second = await signIn(w, false, true);
    assert.equal(second.account, undefined);
    assert.equal(second.pending.consumerKey, first.pending.consumerKey, 'the same consumer key was proposed');
    const failure = w.ui.notifications.at(-1)!;
    assert.equal(failure.severity, 'error');
    assert.match(failure.message, new RegExp(`^Jira rejected the signature: the application link for consumer key "${second.pending.consumerKey}" most likely still holds the public key of your earlier sign-in \\(${first.pending.keyFingerprint.replace(/[+/]/g, '\\$&')}\\), not the new key pair`));
    assert.deepEqual(failure.actions, ['Copy Public Key', 'Open Application Links', 'New Consumer Key', 'Try Again']);
    assert.equal(w.deps.pending.get()?.step, 'applink', 'back at the application-link step');
  });

  it('a first sign-in whose signature Jira refuses keeps the base-URL explanation (nothing known about the link)', async () => {
    const w = makeWorld();
    w.ui.inputs.push(() => jira.emulator.url, (o) => o.value);
    await w.controller.applicationLink.generateKeyPair({ rethrow: true });
    const p = w.deps.pending.get()!;
    // A link for this consumer key with some other key: Jira refuses the signature.
    const other = makeWorld();
    other.ui.inputs.push(() => jira.emulator.url, () => p.consumerKey);
    await other.controller.applicationLink.generateKeyPair({ rethrow: true });
    jira.emulator.addLink({ consumerKey: p.consumerKey, publicKeyPem: other.deps.pending.get()!.publicKeyPem });
    w.ui.picks.push(choose(/Continue Signing In/), choose(/Continue: the Application Link/));
    assert.equal(await w.controller.signIn({}, { rethrow: false }), undefined);
    assert.match(w.ui.notifications.at(-1)!.message, /base URL/);
    assert.doesNotMatch(w.ui.notifications.at(-1)!.message, /earlier sign-in/);
  });
});
