import * as assert from 'node:assert/strict';
import { launch, Workbench } from './harness';

describe('foundation: the extension in a real VS Code', () => {
  let wb: Workbench;
  before(async () => { wb = await launch({ name: 'foundation' }); });
  after(async () => { await wb?.close(); });

  it('shows the Jira view container and runs "Jira: Show Log" from the command palette', async () => {
    await wb.runCommand('Jira: Show Log');
    // The output view opens on the "Jira" log channel, which records the activation time.
    const output = wb.page.locator('.view-lines', { hasText: /activated\sin\s\d+(?:\.\d+)?\sms/ }).first();
    await output.waitFor({ timeout: 30_000 });
    const text = await output.innerText();
    assert.match(text, /activated\sin\s\d+(?:\.\d+)?\sms/);
    await wb.screenshot('show-log');
  });
});
