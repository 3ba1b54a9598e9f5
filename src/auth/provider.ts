import vscode = require('vscode');
import type { Logger } from '../log';
import { accountLabel, AccountStore, sessionToken } from '../store/accounts';
import type { AccountMeta } from '../store/types';

export const PROVIDER_ID = 'jira';

/**
 * The scopes of every session (Jira grants a user's full access; there are no finer scopes).
 * Not empty: VS Code only clears an Accounts-menu sign-in request whose scopes match a new
 * session's, and an empty list does not match in recent versions.
 */
export const SESSION_SCOPES: readonly string[] = ['jira'];

/** Scopes may name a site (`site:https://jira.example.com`) to get or create a session there. */
export function siteOfScopes(scopes: readonly string[] | undefined): string | undefined {
  const s = scopes?.find((x) => x.startsWith('site:'));
  return s ? s.slice('site:'.length).replace(/\/+$/, '') : undefined;
}

export interface SessionActions {
  /** Runs the interactive sign-in; resolves with the new account, rejects when cancelled or failed. */
  signIn(baseUrl: string | undefined): Promise<AccountMeta | undefined>;
  signOut(accountId: string): Promise<void>;
}

/**
 * The `jira` AuthenticationProvider: one session per account, so accounts appear in the Accounts
 * menu, `vscode.authentication.getSession('jira', [])` works for other extensions, and sign-in/out
 * (also in another window, via SecretStorage.onDidChange) fires onDidChangeSessions. It registers
 * itself with VS Code, as github-authentication's provider does.
 */
export class JiraAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.emitter.event;
  private readonly known = new Map<string, vscode.AuthenticationSession>();
  private readonly subscription: { dispose(): void };
  private readonly authSubscription: { dispose(): void };
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly accounts: AccountStore,
    private readonly actions: SessionActions,
    private readonly log: Logger,
  ) {
    this.subscription = accounts.onDidChange((e) => {
      void (async () => {
        const added = (await Promise.all(e.added.map((a) => this.toSession(a)))).filter((s): s is vscode.AuthenticationSession => !!s);
        const changed = (await Promise.all(e.changed.map((a) => this.toSession(a)))).filter((s): s is vscode.AuthenticationSession => !!s);
        const removed = e.removed.map((a) => this.known.get(a.id) ?? { id: a.id, accessToken: '', account: { id: a.id, label: accountLabel(a) }, scopes: [...SESSION_SCOPES] });
        for (const a of e.removed) this.known.delete(a.id);
        if (added.length || changed.length || removed.length) this.emitter.fire({ added, removed, changed });
      })().catch((err) => this.log.error('could not update the Jira sessions:', err));
      if (e.removed.length) this.offerSignIn();
    });
    // Renewed OAuth 2.0 tokens (in this window or another): the session's token changed.
    this.authSubscription = accounts.onDidChangeAuth((id) => {
      const before = this.known.get(id);
      const meta = accounts.get(id);
      if (!before || !meta) return;
      void this.toSession(meta)
        .then((s) => {
          if (s && s.accessToken !== before.accessToken) this.emitter.fire({ added: [], removed: [], changed: [s] });
        })
        .catch((err) => this.log.error('could not update the Jira sessions:', err));
    });
    this.registration = vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, 'Jira', this, { supportsMultipleAccounts: true });
  }

  /** Offers "Sign in with Jira" in the Accounts menu while there is no account. */
  offerSignIn(): void {
    if (!this.accounts.list().length) vscode.authentication.getSession(PROVIDER_ID, SESSION_SCOPES, { createIfNone: false }).then(undefined, () => undefined);
  }

  dispose(): void {
    this.registration.dispose();
    this.subscription.dispose();
    this.authSubscription.dispose();
    this.emitter.dispose();
  }

  private async toSession(a: AccountMeta): Promise<vscode.AuthenticationSession | undefined> {
    const auth = await this.accounts.getAuth(a.id);
    if (!auth) {
      this.log.warn(`account ${a.id} (${a.site.baseUrl}) has no credentials in SecretStorage; sign in again`);
      return undefined;
    }
    const s: vscode.AuthenticationSession = { id: a.id, accessToken: sessionToken(auth), account: { id: a.id, label: accountLabel(a) }, scopes: [...SESSION_SCOPES] };
    this.known.set(a.id, s);
    return s;
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const site = siteOfScopes(scopes)?.toLowerCase();
    const accounts = this.accounts.list().filter((a) => !site || a.site.baseUrl.toLowerCase() === site);
    // The active account first, so getSession() without a choice gets it.
    const active = this.accounts.active()?.id;
    accounts.sort((a, b) => (a.id === active ? -1 : b.id === active ? 1 : 0));
    const sessions = await Promise.all(accounts.map((a) => this.toSession(a)));
    return sessions.filter((s): s is vscode.AuthenticationSession => !!s);
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const account = await this.actions.signIn(siteOfScopes(scopes));
    const session = account && (await this.toSession(account));
    if (!session) throw new Error('Cancelled');
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.actions.signOut(sessionId);
  }
}
