import * as assert from 'node:assert/strict';
import { launch, Workbench } from './harness';

describe('foundation: the extension in a real VS Code', () => {
  let wb: Workbench;
  before(async () => { wb = await launch({ name: 'foundation' }); });
  after(async () => { await wb?.close(); });

  it('shows the Jira view container and runs "Jira: Show Log" from the command palette', async () => {
    await wb.runCommand('Jira: Show Log');
    // The output view opens on the "Jira" log channel, which records the activation time.
    const output = wb.page.locator('.part.panel');
    await output.locator('.view-lines', { hasText: /activated in \d+ ms/ }).first().waitFor({ timeout: 20_000 });
    const text = await output.locator('.view-lines').first().innerText();
    assert.match(text, /activated in \d+ ms/);
    await wb.screenshot('show-log');
  });
});
