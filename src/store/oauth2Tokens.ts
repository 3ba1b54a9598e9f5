import type { OAuth2Tokens } from '../core/oauth2/tokens';
import type { AccountStore } from './accounts';
import type { RefreshLease } from './refreshLease';
import type { AccountAuth } from './types';

/** What the token endpoint gave (core's type; a type-only import, so the store does not load core). */
export type StoredTokens = OAuth2Tokens;

type OAuth2Auth = Extract<AccountAuth, { type: 'oauth2' }>;

/**
 * Core's TokenStoreLike over SecretStorage for one OAuth 2.0 account. load() reads the account's
 * secret blob (the AccountStore cache is dropped whenever SecretStorage reports a change, also
 * from another window, so a token another window renewed is picked up); save() writes the whole
 * blob in one SecretStorage call and resolves only once it is stored, before the token is used.
 */
export class AccountTokenStore {
  constructor(
    private readonly accounts: Pick<AccountStore, 'getAuth' | 'updateAuth'> & Partial<Pick<AccountStore, 'syncFromSecret'>>,
    readonly accountId: string,
    /** One refresh per account across windows (see RefreshLease); without it, one per store object. */
    private readonly lease?: RefreshLease,
  ) {}

  /**
   * core's cross-process lock: the manager runs each refresh inside it. Once this window holds the
   * lease, the account's secret is read again (another window may have just stored a new pair,
   * and its change event may not have arrived yet), so the manager sees what the last holder stored.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.lease) return fn();
    return this.lease.run(async () => {
      await this.accounts.syncFromSecret?.(this.accountId);
      return fn();
    });
  }

  async load(): Promise<StoredTokens | undefined> {
    const auth = await this.accounts.getAuth(this.accountId);
    if (!auth || auth.type !== 'oauth2' || !auth.accessToken) return undefined;
    return {
      accessToken: auth.accessToken,
      ...(auth.refreshToken ? { refreshToken: auth.refreshToken } : {}),
      tokenType: auth.tokenType ?? 'Bearer',
      ...(auth.scope !== undefined ? { scope: auth.scope } : {}),
      ...(auth.expiresAt !== undefined ? { expiresAt: auth.expiresAt } : {}),
      obtainedAt: auth.obtainedAt ?? 0,
    };
  }

  async save(t: StoredTokens): Promise<void> {
    const auth = await this.accounts.getAuth(this.accountId);
    if (!auth || auth.type !== 'oauth2') throw new Error('The account was signed out.');
    await this.accounts.updateAuth(this.accountId, oauth2Auth(auth, t));
  }
}

/** The account's OAuth 2.0 credentials with new tokens (client and endpoints kept). */
export function oauth2Auth(base: Omit<OAuth2Auth, 'accessToken' | 'type'>, t: StoredTokens): OAuth2Auth {
  const out: OAuth2Auth = { ...base, type: 'oauth2', accessToken: t.accessToken, tokenType: t.tokenType, obtainedAt: t.obtainedAt };
  if (t.refreshToken) out.refreshToken = t.refreshToken;
  else delete out.refreshToken;
  if (t.scope !== undefined) out.scope = t.scope;
  if (t.expiresAt !== undefined) out.expiresAt = t.expiresAt;
  else delete out.expiresAt;
  return out;
}
