// The session an extension passes to the exported API's getClient: the one VS Code's
// authentication API hands out (here from the provider itself, to pick one account of several).
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { JiraAuthApi } from '../../src/api';

export async function sessionOf(api: JiraAuthApi, accountId: string): Promise<vscode.AuthenticationSession> {
  const sessions = await api.testing!.provider.getSessions(['jira']);
  const session = sessions.find((s) => s.id === accountId);
  assert.ok(session, `no session for ${accountId}`);
  return session;
}
