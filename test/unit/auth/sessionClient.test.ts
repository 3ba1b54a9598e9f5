// The exported API's getClient: only for a session that VS Code's authentication API handed out
// (its access token is the account's current one), never for an account id or a made-up session.
import * as assert from 'node:assert/strict';
import { accountOfSession } from '../../../src/auth/sessionClient';
import type { AccountAuth, AccountMeta } from '../../../src/store/types';

const account = { id: 'acc-1', displayName: 'Ada' } as AccountMeta;
const auth: AccountAuth = { type: 'pat', token: 'pat-secret-1' } as AccountAuth;
const accounts = {
  get: (id: string) => (id === account.id ? account : undefined),
  getAuth: async (id: string) => (id === account.id ? auth : undefined),
};
const tokenOf = (a: AccountAuth) => (a as { token: string }).token;

describe('exported API: a client only for a session the user allowed', () => {
  it('a session with the account\'s current token gives its account', async () => {
    assert.equal(await accountOfSession({ id: 'acc-1', accessToken: 'pat-secret-1' }, accounts, tokenOf), account);
  });

  it('an account id, a guessed or stale token, an unknown account or garbage is refused with what to do', async () => {
    for (const session of ['acc-1', { id: 'acc-1', accessToken: 'guessed' }, { id: 'acc-1' }, { id: 'other', accessToken: 'pat-secret-1' }, undefined, null, 42]) {
      await assert.rejects(accountOfSession(session, accounts, tokenOf), /vscode\.authentication\.getSession\('jira'/, JSON.stringify(session));
    }
  });
});
