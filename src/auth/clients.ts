/**
 * Builds the signed Jira client of an account. OAuth 2.0 accounts get core's OAuth2TokenManager
 * over their SecretStorage blob (AccountTokenStore): tokens are refreshed before expiry and once
 * after a 401, one refresh at a time per account, the new pair stored before it is used, and a
 * refresh that fails for good (invalid_grant...) reported once through onSessionEnded. Plain
 * TypeScript (no vscode import): unit-tested with fakes.
 */
import type { Core } from '../coreLoader';
import { t } from '../l10n';
import type { JiraClient, OAuth2Endpoints } from '../core';
import type { AccountStore } from '../store/accounts';
import { AccountTokenStore } from '../store/oauth2Tokens';
import { REFRESH_LEASE_PREFIX, RefreshLease, type RefreshLeaseOptions } from '../store/refreshLease';
import type { AccountAuth, AccountMeta } from '../store/types';

export interface ClientFactoryOptions {
  accounts: AccountStore;
  core(): Promise<Core>;
  userAgent: string;
  /** Jira Cloud OAuth 2.0 endpoint overrides (setting jira.oauth2.cloudEndpoints), for accounts that did not store theirs. */
  cloudEndpoints?: () => Partial<OAuth2Endpoints> | undefined;
  /** An OAuth 2.0 account can no longer refresh (invalid_grant, revoked...): sign it out and tell the user. Called once per account. */
  onSessionEnded(account: AccountMeta, err: Error): void;
  /** The cross-window refresh lease's timings (tests). */
  lease?: RefreshLeaseOptions;
}

/** The endpoints an OAuth 2.0 account refreshes with. */
export function endpointsOf(core: Pick<Core, 'cloudEndpoints' | 'dataCenterEndpoints'>, account: AccountMeta, auth: Extract<AccountAuth, { type: 'oauth2' }>, cloudOverrides?: Partial<OAuth2Endpoints>): OAuth2Endpoints {
  if (auth.endpoints?.authorize && auth.endpoints.token) return { ...auth.endpoints };
  return account.cloudId ? core.cloudEndpoints(cloudOverrides ?? {}) : core.dataCenterEndpoints(account.site.baseUrl);
}

export class ClientFactory {
  private readonly stores = new Map<string, AccountTokenStore>();
  private readonly ended = new Set<string>();
  /** One client per account, made on first use; dropped when the account changes or is removed. */
  private readonly clients = new Map<string, Promise<JiraClient>>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly o: ClientFactoryOptions) {
    this.subscription = o.accounts.onDidChange((e) => {
      for (const a of [...e.removed, ...e.changed]) this.clients.delete(a.id);
      for (const a of e.removed) this.forget(a.id);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.clients.clear();
  }

  /** The signed client of an account (default: the active one); rejects when signed out or its secret is gone. */
  client(accountId?: string): Promise<JiraClient> {
    const { accounts } = this.o;
    const a = accountId ? accounts.get(accountId) : accounts.active();
    if (!a) return Promise.reject(new Error(t('Not signed in to Jira: run "Jira: Sign In" first.')));
    let c = this.clients.get(a.id);
    if (!c) {
      c = (async () => {
        const auth = await accounts.getAuth(a.id);
        if (!auth) throw new Error(t('The credentials of {0} are no longer in VS Code\'s secret storage. Sign in again.', a.displayName));
        return this.create(a, auth);
      })();
      c.catch(() => this.clients.delete(a.id));
      this.clients.set(a.id, c);
    }
    return c;
  }

  /** The token store of an OAuth 2.0 account: one object per account, so every client of it shares one refresh. */
  tokenStore(accountId: string): AccountTokenStore {
    let s = this.stores.get(accountId);
    if (!s) {
      s = new AccountTokenStore(this.o.accounts, accountId, new RefreshLease(this.o.accounts.secretStorage, REFRESH_LEASE_PREFIX + accountId, this.o.lease));
      this.stores.set(accountId, s);
    }
    return s;
  }

  /** Forget an account (signed out): a later sign-in with the same id may end again. */
  forget(accountId: string): void {
    this.stores.delete(accountId);
    this.ended.delete(accountId);
  }

  async create(account: AccountMeta, auth: AccountAuth): Promise<JiraClient> {
    const core = await this.o.core();
    if (auth.type !== 'oauth2') return core.createJiraClient({ baseUrl: account.site.baseUrl, auth, userAgent: this.o.userAgent });
    const tokens = this.manager(core, account, auth);
    return core.createJiraClient({ baseUrl: account.apiBaseUrl ?? account.site.baseUrl, auth: { type: 'oauth2', tokens }, userAgent: this.o.userAgent });
  }

  /**
   * A valid access token of an OAuth 2.0 account (what "Copy Access Token" copies): refreshed first
   * when it has expired or is about to, through the same single-flight store as the clients.
   */
  async accessToken(account: AccountMeta, auth: Extract<AccountAuth, { type: 'oauth2' }>, signal?: AbortSignal): Promise<string> {
    return this.manager(await this.o.core(), account, auth).accessToken(signal);
  }

  private manager(core: Core, account: AccountMeta, auth: Extract<AccountAuth, { type: 'oauth2' }>): InstanceType<Core['OAuth2TokenManager']> {
    this.ended.delete(account.id);
    return new core.OAuth2TokenManager({
      endpoints: endpointsOf(core, account, auth, this.o.cloudEndpoints?.()),
      clientId: auth.clientId ?? '',
      clientSecret: auth.clientSecret,
      store: this.tokenStore(account.id),
      onDidFail: (err) => {
        if (this.ended.has(account.id)) return;
        this.ended.add(account.id);
        this.o.onSessionEnded(account, err);
      },
    });
  }
}
