import * as assert from 'node:assert/strict';
import { clickInJira } from '../support/browser';
import { choose } from '../support/fakes';
import { jiraPerTest } from '../support/jiraPerTest';
import { makeWorld, World } from '../support/world';

// Continue Sign-In after a window reload used to reopen the authorize page of a request token the
// user had already allowed; Jira answers that page with token_used while the box said "Click Allow".
describe('signin/oauth1: Continue Sign-In after a reload never sends the user to a dead authorize page', function () {
  this.timeout(30_000);
  const jira = jiraPerTest();

  /**
   * A sign-in that got as far as the code box, with the authorize page opened and (optionally)
   * Allow or Deny clicked; then the window reloads (the box never answers, nothing is cleaned up).
   */
  async function reloadAtCodeBox(click: 'approve' | 'deny' | undefined, box: 'open' | 'closed' = 'open'): Promise<{ reloaded: World; code?: string }> {
    const first = makeWorld();
    first.ui.inputs.push(() => jira.emulator.url, (o) => o.value);
    await first.controller.applicationLink.generateKeyPair({ rethrow: true });
    const p = first.deps.pending.get()!;
    jira.emulator.addLink({ consumerKey: p.consumerKey, name: 'VS Code', publicKeyPem: p.publicKeyPem });
    let code: string | undefined;
    first.ui.onOpen = async (url) => {
      if (click) code = (await clickInJira(url, click)).code;
    };
    let atBox!: () => void;
    const reachedBox = new Promise<void>((r) => (atBox = r));
    first.ui.picks.push(choose(/Continue Signing In/), choose(/Continue: the Application Link/));
    // 'closed': the command palette that runs "Developer: Reload Window" closes the box first.
    first.ui.inputs.push(() => (atBox(), box === 'closed' ? undefined : new Promise<string | undefined>(() => undefined)));
    const signIn = first.controller.signIn({}, { rethrow: true });
    await reachedBox;
    if (box === 'closed') await assert.rejects(signIn, (e: Error) => e.name === 'Canceled' || /cancel/i.test(e.message));
    assert.equal(first.ui.opened.length, 1, 'the first window opened the authorize page');
    return { reloaded: makeWorld({ from: { secrets: first.secrets, memento: first.memento } }), code };
  }

  // 'closed': the command palette that runs "Developer: Reload Window" closed the box first.
  for (const box of ['open', 'closed'] as const) {
    it(`allowed before the reload (code box ${box}): straight to the code box, which says so; the page is not opened again`, async () => {
      const { reloaded, code } = await reloadAtCodeBox('approve', box);
      let prompt = '';
      reloaded.ui.inputs.push((o) => ((prompt = o.prompt ?? ''), code));
      const account = await reloaded.controller.continueSignIn({ rethrow: true });
      assert.equal(account?.displayName, 'Alice Admin');
      assert.deepEqual(reloaded.ui.opened, [], 'no authorize page opened');
      assert.match(prompt, /already clicked Allow/);
    });
  }

  it('allowed, code lost: the box button gets a new request token and opens its (live) page', async () => {
    const { reloaded } = await reloadAtCodeBox('approve');
    let newCode: string | undefined;
    reloaded.ui.onOpen = async (url) => {
      const page = await clickInJira(url, 'approve');
      assert.ok(page.code, `the new page works: ${page.html.slice(0, 200)}`);
      newCode = page.code;
    };
    reloaded.ui.inputs.push(async (o) => (await o.onButton?.('open'), undefined));
    reloaded.ui.inputs.push((o) => (assert.match(o.validationMessage ?? '', /new Jira authorization page/), newCode));
    const account = await reloaded.controller.continueSignIn({ rethrow: true });
    assert.equal(account?.displayName, 'Alice Admin');
    assert.equal(reloaded.ui.opened.length, 1);
  });

  it('not clicked yet: the same (still live) page is opened again', async () => {
    const { reloaded } = await reloadAtCodeBox(undefined);
    let code: string | undefined;
    reloaded.ui.onOpen = async (url) => {
      code = (await clickInJira(url, 'approve')).code;
    };
    reloaded.ui.inputs.push((o) => (assert.match(o.prompt ?? '', /Click Allow on the Jira page/), code));
    const account = await reloaded.controller.continueSignIn({ rethrow: true });
    assert.equal(account?.displayName, 'Alice Admin');
    assert.equal(reloaded.ui.opened.length, 1);
  });

  it('denied before the reload: says access was denied, opens nothing', async () => {
    const { reloaded } = await reloadAtCodeBox('deny');
    await assert.rejects(reloaded.controller.continueSignIn({ rethrow: true }), /denied/i);
    assert.deepEqual(reloaded.ui.opened, []);
  });
});
