import { Emitter, Event } from '../util/event';
import type { Logger } from '../log';
import { nullLogger } from '../log';
import type { AccountAuth, AccountMeta, MementoLike, SecretStorageLike, StoredAccount } from './types';

export const ACCOUNTS_KEY = 'jira.accounts';
export const ACTIVE_ACCOUNT_KEY = 'jira.activeAccount';
export const ACCOUNT_SECRET_PREFIX = 'jira.account.';

export interface AccountsChange {
  readonly added: readonly AccountMeta[];
  readonly removed: readonly AccountMeta[];
  readonly changed: readonly AccountMeta[];
  /** The active account changed (or was removed). */
  readonly activeChanged: boolean;
}

function isMeta(v: unknown): v is AccountMeta {
  const m = v as AccountMeta;
  return !!m && typeof m === 'object' && typeof m.id === 'string' && typeof m.method === 'string' &&
    !!m.site && typeof m.site.baseUrl === 'string' && typeof m.userName === 'string' && typeof m.displayName === 'string';
}

function isStored(v: unknown): v is StoredAccount {
  const s = v as StoredAccount;
  return !!s && typeof s === 'object' && s.v === 1 && isMeta(s.meta) && !!s.auth && typeof s.auth.type === 'string';
}

export function parseStoredAccount(json: string | undefined): StoredAccount | undefined {
  if (!json) return undefined;
  try {
    const v: unknown = JSON.parse(json);
    return isStored(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** "Ada Lovelace (jira.example.com/jira)" */
export function accountLabel(meta: AccountMeta): string {
  return `${meta.displayName} (${siteLabel(meta.site.baseUrl)})`;
}

/** "jira.example.com/jira": host and context path, without the scheme. */
export function siteLabel(baseUrl: string): string {
  return baseUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

/** The token a credential carries (a session's accessToken, "Copy Access Token"); OAuth 1.0a also needs the key to sign. */
export function sessionToken(auth: AccountAuth): string {
  switch (auth.type) {
    case 'oauth1':
    case 'pat':
      return auth.token;
    case 'oauth2':
      return auth.accessToken;
    case 'basic':
      return auth.password;
  }
}

/** Whether two base URLs name the same site (case and trailing slashes aside). */
export function sameSite(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/**
 * Accounts: non-secret metadata in a Memento (globalState `jira.accounts`), credentials in
 * SecretStorage, one JSON blob per account (`jira.account.<id>`) written in one call so that an
 * account is either fully stored or not at all. The blob also carries a copy of the metadata, so
 * that another window that sees the secret change (SecretStorage.onDidChange) can add the account
 * even before globalState reaches it.
 */
export class AccountStore {
  private readonly emitter = new Emitter<AccountsChange>();
  readonly onDidChange: Event<AccountsChange> = this.emitter.event;
  private readonly authEmitter = new Emitter<string>();
  /**
   * An account's secret blob changed, in this window or another (e.g. renewed OAuth 2.0 tokens):
   * the id. Whoever holds credentials in memory reloads them with getAuth().
   */
  readonly onDidChangeAuth: Event<string> = this.authEmitter.event;
  private readonly cache = new Map<string, StoredAccount>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly subscription: { dispose(): void };

  constructor(
    /** Where the accounts' secrets live (shared by every window): also holds their refresh leases. */
    readonly secretStorage: SecretStorageLike,
    private readonly memento: MementoLike,
    private readonly log: Logger = nullLogger,
  ) {
    this.subscription = secretStorage.onDidChange((e) => {
      if (e.key.startsWith(ACCOUNT_SECRET_PREFIX)) void this.syncFromSecret(e.key.slice(ACCOUNT_SECRET_PREFIX.length));
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
    this.authEmitter.dispose();
  }

  /** All accounts (metadata only), in sign-in order. */
  list(): AccountMeta[] {
    const v = this.memento.get<unknown>(ACCOUNTS_KEY);
    return Array.isArray(v) ? v.filter(isMeta) : [];
  }

  get(id: string): AccountMeta | undefined {
    return this.list().find((a) => a.id === id);
  }

  /** The account the views use: the one chosen last, else the first. */
  active(): AccountMeta | undefined {
    const all = this.list();
    const id = this.memento.get<string>(ACTIVE_ACCOUNT_KEY);
    return all.find((a) => a.id === id) ?? all[0];
  }

  async setActive(id: string): Promise<void> {
    if (!this.get(id)) throw new Error(`No Jira account with id ${id}.`);
    if (this.memento.get<string>(ACTIVE_ACCOUNT_KEY) === id) return;
    await this.memento.update(ACTIVE_ACCOUNT_KEY, id);
    this.emitter.fire({ added: [], removed: [], changed: [], activeChanged: true });
  }

  /** The credentials of an account, from SecretStorage (cached until the secret changes). */
  async getAuth(id: string): Promise<AccountAuth | undefined> {
    return (await this.getStored(id))?.auth;
  }

  private async getStored(id: string): Promise<StoredAccount | undefined> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const stored = parseStoredAccount(await this.secretStorage.get(ACCOUNT_SECRET_PREFIX + id));
    if (stored && stored.meta.id === id) this.cache.set(id, stored);
    return stored;
  }

  /** The accounts of this user on this site, whatever their sign-in method. */
  findBySiteAndUser(baseUrl: string, userName: string): AccountMeta[] {
    return this.list().filter((a) => sameSite(a.site.baseUrl, baseUrl) && a.userName === userName);
  }

  /**
   * Stores a signed-in account: the secret blob first, then the metadata. The account of the same
   * site, user and sign-in method is replaced (same id): signing in again renews it. Accounts of
   * that user with another method stay unless `replaces` names them (the caller asked the user).
   * Call only once sign-in fully succeeded.
   */
  add(meta: AccountMeta, auth: AccountAuth, opts: { replaces?: readonly string[] } = {}): Promise<AccountMeta> {
    return this.serialize(async () => {
      const existing = this.findBySiteAndUser(meta.site.baseUrl, meta.userName).find((a) => a.method === meta.method);
      const m: AccountMeta = existing ? { ...meta, id: existing.id, createdAt: existing.createdAt } : meta;
      const blob: StoredAccount = { v: 1, meta: m, auth };
      await this.secretStorage.store(ACCOUNT_SECRET_PREFIX + m.id, JSON.stringify(blob));
      this.cache.set(m.id, blob);
      const replaced = this.list().filter((a) => a.id !== m.id && opts.replaces?.includes(a.id));
      try {
        await this.memento.update(ACCOUNTS_KEY, [...this.list().filter((a) => a.id !== m.id && !replaced.some((r) => r.id === a.id)), m]);
        await this.memento.update(ACTIVE_ACCOUNT_KEY, m.id);
      } catch (err) {
        // Never leave a secret without its account.
        this.cache.delete(m.id);
        await this.secretStorage.delete(ACCOUNT_SECRET_PREFIX + m.id);
        throw err;
      }
      // The replaced accounts' metadata is gone: now their secrets (a failure here leaves a secret
      // without an account, which nothing reads; never an account without its secret).
      for (const r of replaced) {
        this.cache.delete(r.id);
        await this.secretStorage.delete(ACCOUNT_SECRET_PREFIX + r.id);
        this.log.info(`account ${r.id} replaced by ${m.id} (${r.method} -> ${m.method}, ${m.site.baseUrl})`);
      }
      this.log.info(`account ${m.id} stored (${m.method}, ${m.site.baseUrl}, ${m.userName})`);
      this.emitter.fire({ added: existing ? [] : [m], removed: replaced, changed: existing ? [m] : [], activeChanged: true });
      return m;
    });
  }

  /**
   * Replaces the credentials of an existing account (renewed OAuth 2.0 tokens) in one
   * SecretStorage write of the whole blob, so that another window never sees half of it. Resolves
   * once stored; rejects (and changes nothing) if the account is gone or the write fails.
   */
  updateAuth(id: string, auth: AccountAuth): Promise<void> {
    return this.serialize(async () => {
      const stored = await this.getStored(id);
      if (!stored) throw new Error(`No Jira account with id ${id}.`);
      const blob: StoredAccount = { v: 1, meta: stored.meta, auth };
      await this.secretStorage.store(ACCOUNT_SECRET_PREFIX + id, JSON.stringify(blob));
      this.cache.set(id, blob);
      this.authEmitter.fire(id);
    });
  }

  /** Removes the account's secret blob and metadata. Returns what was removed. */
  remove(id: string): Promise<AccountMeta | undefined> {
    return this.serialize(async () => {
      const meta = this.get(id) ?? (await this.getStored(id))?.meta;
      this.cache.delete(id);
      await this.secretStorage.delete(ACCOUNT_SECRET_PREFIX + id);
      const wasActive = this.active()?.id === id;
      await this.memento.update(ACCOUNTS_KEY, this.list().filter((a) => a.id !== id));
      if (this.memento.get<string>(ACTIVE_ACCOUNT_KEY) === id) await this.memento.update(ACTIVE_ACCOUNT_KEY, undefined);
      if (meta) {
        this.log.info(`account ${id} removed (${meta.site.baseUrl}, ${meta.userName})`);
        this.emitter.fire({ added: [], removed: [meta], changed: [], activeChanged: wasActive });
      }
      return meta;
    });
  }

  /**
   * Another window (or this one) changed an account's secret: bring the metadata in line with it.
   * Idempotent, so every window converges whatever order the events arrive in.
   */
  syncFromSecret(id: string): Promise<void> {
    return this.serialize(async () => {
      this.cache.delete(id);
      const stored = parseStoredAccount(await this.secretStorage.get(ACCOUNT_SECRET_PREFIX + id));
      const known = this.get(id);
      if (stored && stored.meta.id === id) {
        this.cache.set(id, stored);
        this.authEmitter.fire(id);
        if (known && JSON.stringify(known) === JSON.stringify(stored.meta)) return;
        await this.memento.update(ACCOUNTS_KEY, [...this.list().filter((a) => a.id !== id), stored.meta]);
        this.log.info(`account ${id} ${known ? 'updated' : 'added'} in another window`);
        this.emitter.fire({ added: known ? [] : [stored.meta], removed: [], changed: known ? [stored.meta] : [], activeChanged: !known && this.list().length === 1 });
      } else if (known) {
        const wasActive = this.active()?.id === id;
        await this.memento.update(ACCOUNTS_KEY, this.list().filter((a) => a.id !== id));
        this.log.info(`account ${id} removed in another window`);
        this.emitter.fire({ added: [], removed: [known], changed: [], activeChanged: wasActive });
      }
    });
  }

  /** Drops accounts whose secret has disappeared (e.g. the OS keychain was reset). */
  async prune(): Promise<AccountMeta[]> {
    const gone: AccountMeta[] = [];
    for (const a of this.list()) {
      if (!(await this.getStored(a.id))) gone.push(a);
    }
    for (const a of gone) {
      this.log.warn(`account ${a.id} (${a.site.baseUrl}) has no credentials in SecretStorage any more; removing it`);
      await this.remove(a.id);
    }
    return gone;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
