import { createHash, timingSafeEqual } from 'crypto';
import { t } from '../l10n';
import type { AccountStore } from '../store/accounts';
import type { AccountAuth, AccountMeta } from '../store/types';

/**
 * The exported API's consent model. `getClient` signs requests as the user, so it is given only
 * for a session the caller got from `vscode.authentication.getSession('jira', ...)`: VS Code asks
 * the user once per extension before it hands one out (and lists the extension under the account
 * in the Accounts menu, where access can be removed). The session's access token is the proof: it
 * must be the account's current one (call getSession again after a refresh; VS Code remembers the
 * consent).
 */
export async function accountOfSession(
  session: unknown,
  accounts: Pick<AccountStore, 'get' | 'getAuth'>,
  /** The access token the provider puts in a session of the account (provider.ts sessionToken). */
  sessionToken: (auth: AccountAuth) => string,
): Promise<AccountMeta> {
  const s = session && typeof session === 'object' ? (session as { id?: unknown; accessToken?: unknown }) : {};
  const account = typeof s.id === 'string' ? accounts.get(s.id) : undefined;
  const auth = account ? await accounts.getAuth(account.id) : undefined;
  if (!account || !auth || typeof s.accessToken !== 'string' || !sameSecret(s.accessToken, sessionToken(auth))) {
    throw new Error(t('Jira: pass a current session from vscode.authentication.getSession(\'jira\', [\'jira\']) to getClient (VS Code asks the user before an extension gets one).'));
  }
  return account;
}

/** Compares two secrets in constant time (their digests have the same length). */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}
