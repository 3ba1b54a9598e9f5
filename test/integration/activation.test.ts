import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'jira-auth-project.jira-auth';

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

  // activate() registers what VS Code needs; the rest happens after it returns or on first use.
  test('activation reads no view settings; the tree views and the status bar follow right after activate() returns', async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const testing = api.testing;
    assert.ok(testing, 'test hooks (the extension runs in test mode)');
    assert.equal(testing.views.configured, false, 'the views read their settings on activation');
    assert.deepEqual(testing.createdDuringActivation, { treeViews: false, statusBar: false, logChannel: false }, 'activate() created only what VS Code needs');
    for (let i = 0; i < 100 && !testing.statusBarCreated; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(testing.statusBarCreated, true, 'the status bar item was created after activation');
    assert.equal(testing.views.treeViewsCreated, true, 'the tree views were created after activation');
    assert.equal(testing.logChannelCreated, true, 'the activation line was logged');
  });

  test('the views read jira.issues.jql and jira.filters when first used, and a later change applies at once', async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const views = api.testing.views;
    const c = vscode.workspace.getConfiguration('jira');
    const target = vscode.ConfigurationTarget.Global;
    await c.update('issues.jql', 'project = DEMO ORDER BY key ASC', target);
    await c.update('filters', [{ name: 'Saved in settings', jql: 'project = DEMO AND status = Open' }], target);
    try {
      // First use: a command of the views (a tree asking for its root does the same).
      await vscode.commands.executeCommand('jira.issues.refresh');
      assert.equal(views.configured, true);
      assert.equal(views.myIssues.jql, 'project = DEMO ORDER BY key ASC');
      assert.deepEqual(views.filters.saved.map((l: { label: string; jql: string }) => [l.label, l.jql]), [['Saved in settings', 'project = DEMO AND status = Open']]);
      await c.update('issues.jql', 'project = DEMO ORDER BY key DESC', target);
      for (let i = 0; i < 100 && views.myIssues.jql !== 'project = DEMO ORDER BY key DESC'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(views.myIssues.jql, 'project = DEMO ORDER BY key DESC');
    } finally {
      await c.update('issues.jql', undefined, target);
      await c.update('filters', undefined, target);
    }
    for (let i = 0; i < 100 && views.myIssues.jql !== 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(views.myIssues.jql, 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC', 'back to the default');
  });

  test('"Jira: Show Log" runs', async () => {
    // The command resolves only if it is registered and its handler does not throw.
    await vscode.commands.executeCommand('jira.showLog');
  });
});
