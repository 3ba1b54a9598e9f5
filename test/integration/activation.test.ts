import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'jira-auth.jira-auth';

suite('activation in a real VS Code', () => {
  test('the extension is installed from this project and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(api.version, ext.packageJSON.version);
  });

  test('its commands are registered with VS Code', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed: Array<{ command: string }> = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
    assert.ok(contributed.length > 0);
    for (const { command } of contributed) assert.ok(all.includes(command), `${command} is contributed but not registered`);
  });

  test('"Jira: Show Log" runs', async () => {
    // The command resolves only if it is registered and its handler does not throw.
    await vscode.commands.executeCommand('jira.showLog');
  });
});
