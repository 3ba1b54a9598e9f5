import * as assert from 'node:assert/strict';
import type { PickOptions } from '../../../src/ui/prompter';
import { choose } from '../support/fakes';
import { jiraPerTest } from '../support/jiraPerTest';
import { makeWorld } from '../support/world';

// The application-link step used to have "Continue" first (so Enter skipped creating the link) and
// the consumer name only inside a placeholder that VS Code cuts off.
describe('signin/oauth1: the application-link step leads through the work in order', function () {
  this.timeout(20_000);
  const jira = jiraPerTest();

  it('open, copy key, copy name, copy public key, continue: first row active, each action makes the next one active', async () => {
    const w = makeWorld();
    w.ui.inputs.push(() => jira.emulator.url, (o) => o.value);
    await w.controller.applicationLink.generateKeyPair({ rethrow: true });
    const p = w.deps.pending.get()!;
    let step: PickOptions<unknown> | undefined;
    w.ui.picks.push(choose(/Continue Signing In/), async (o) => ((step = o), undefined));
    await w.controller.signIn({}, { rethrow: false });
    assert.ok(step, 'the application-link step was shown');
    const rows = step.items.filter((i) => i !== 'separator') as Array<{ label: string; description?: string; value: unknown }>;
    assert.deepEqual(rows.map((r) => r.value), ['open', 'copyKey', 'copyName', 'copyPublic', 'continue', 'walkthrough']);
    assert.equal(rows.find((r) => r.value === 'copyName')?.description, 'Visual Studio Code', 'the consumer name is a row of its own');
    assert.equal(rows.find((r) => r.value === 'copyKey')?.description, p.consumerKey);
    const next = (v: string) => step!.nextAfter?.(v);
    assert.deepEqual(['open', 'copyKey', 'copyName', 'copyPublic'].map(next), ['copyKey', 'copyName', 'copyPublic', 'continue']);
    await step.onChoose?.('copyName');
    assert.equal(w.ui.clipboard, 'Visual Studio Code');
    assert.match(w.ui.messages(), /Consumer name "Visual Studio Code" copied/);
  });

  // In a browser-based window (code-server) a Jira on the remote machine's loopback opens through
  // port forwarding; the row used to show the extension host's address, which the browser cannot reach.
  it('the "Open Application Links in Jira" row shows the address the browser will open', async () => {
    const w = makeWorld();
    const forwardedRoot = 'https://vscode.example/proxy/8080/';
    w.ui.forward = (url) => url.replace(`${jira.emulator.url}/`, forwardedRoot);
    w.ui.inputs.push(() => jira.emulator.url, (o) => o.value);
    await w.controller.applicationLink.generateKeyPair({ rethrow: true });
    let step: PickOptions<unknown> | undefined;
    w.ui.picks.push(choose(/Continue Signing In/), async (o) => ((step = o), undefined));
    await w.controller.signIn({}, { rethrow: false });
    const open = step?.items.find((i) => i !== 'separator' && i.value === 'open') as { description?: string } | undefined;
    assert.equal(open?.description, `${forwardedRoot}plugins/servlet/applinks/listApplicationLinks`);
    // Choosing it hands the site's own address to openExternal, which forwards it as it opens it.
    await step!.onChoose?.('open');
    assert.deepEqual(w.ui.opened, [`${jira.emulator.url}/plugins/servlet/applinks/listApplicationLinks`]);
  });
});
