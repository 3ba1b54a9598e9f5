import { errorMessage, t } from '../l10n';
import { accountLabel, sessionToken, siteLabel } from '../store/accounts';
import type { AccountMeta } from '../store/types';
import type { SignInRunner } from './controller';
import type { SignInDeps } from './deps';
import { methodLabel } from './flows';
import { forgetLinkKey, keepLinkKey, keptLinkKeys } from './linkedKeys';
import { applicationLinksUrl } from './site';
import { onSite } from '../auth/consent';

/**
 * The account commands (Sign Out, Show Accounts, Copy Access Token) and what happens when an
 * OAuth 2.0 sign-in can no longer be renewed.
 */
export class AccountCommands {
  constructor(
    private readonly deps: SignInDeps,
    private readonly runner: SignInRunner,
  ) {}

  /** Chooses an account (the only one, or from a list). */
  private async chooseAccount(title: string, accountId?: string): Promise<AccountMeta | undefined> {
    const all = this.deps.accounts.list();
    if (accountId) return all.find((a) => a.id === accountId);
    if (all.length <= 1) return all[0];
    const active = this.deps.accounts.active();
    return this.deps.prompter.pick<AccountMeta>({
      title,
      placeholder: t('Choose an account'),
      items: all.map((a) => ({
        label: `${a.id === active?.id ? '$(check)' : '$(account)'} ${a.displayName}`,
        description: siteLabel(a.site.baseUrl),
        detail: methodLabel(a.method, a.site),
        value: a,
      })),
    });
  }

  /** "Jira: Sign Out": removes the account's secrets and metadata. */
  async signOut(accountId?: string, opts: { quiet?: boolean } = {}): Promise<AccountMeta | undefined> {
    const { deps } = this;
    if (!deps.accounts.list().length) {
      if (!opts.quiet) void deps.prompter.notify('info', t('You are not signed in to Jira.'));
      return undefined;
    }
    const account = await this.chooseAccount(t('Jira: Sign Out'), accountId);
    if (!account) return undefined;
    // An OAuth 1.0a key pair is the application link's credential, not the account's: Jira keeps
    // the link, so keep the key pair for the next sign-in through it (before the account goes).
    const auth = await deps.accounts.getAuth(account.id);
    const link = auth?.type === 'oauth1' && account.keyFingerprint ? { baseUrl: account.site.baseUrl, consumerKey: auth.consumerKey, fingerprint: account.keyFingerprint, privateKeyPem: auth.privateKeyPem } : undefined;
    if (link) await keepLinkKey(deps.accounts.secretStorage, deps.memento, link);
    const removed = await deps.accounts.remove(account.id);
    if (!removed) return undefined;
    if (link) {
      const open = t('Open Application Links');
      const forget = t('Forget Key Pair');
      void deps.prompter
        .notify(
          'info',
          t('Signed out of {0}. The application link (consumer key "{1}") stays in Jira, and VS Code keeps its key pair so that signing in again needs no change there (Forget Key Pair deletes it). An administrator can remove the link under Application Links; you can revoke the access token in your Jira profile (Tools > View OAuth Access Tokens).', accountLabel(removed), link.consumerKey),
          {},
          open,
          forget,
        )
        .then(async (a) => {
          if (a === open) await deps.prompter.openExternal(applicationLinksUrl(removed.site.baseUrl));
          else if (a === forget) await this.forgetLinkKey(link.baseUrl, link.consumerKey);
        });
    } else if (removed.method === 'oauth1') {
      void deps.prompter.notify('info', t('Signed out of {0}. The application link (consumer key "{1}") stays in Jira: an administrator can remove it under Application Links, and you can revoke the access token in your Jira profile (Tools > View OAuth Access Tokens).', accountLabel(removed), removed.consumerKey ?? ''));
    } else {
      void deps.prompter.notify('info', t('Signed out of {0}.', accountLabel(removed)));
    }
    return removed;
  }

  /** "Jira: Forget Application Link Key Pair": chooses one of the kept key pairs and forgets it. */
  async forgetKeptLinkKey(): Promise<void> {
    const { deps } = this;
    const kept = keptLinkKeys(deps.memento);
    if (!kept.length) {
      void deps.prompter.notify('info', t('VS Code keeps no key pair of an application link.'));
      return;
    }
    const link = await deps.prompter.pick({
      title: t('Jira: Forget Application Link Key Pair'),
      placeholder: t('The key pairs kept after Sign Out, for signing in through their link again'),
      items: kept.map((k) => ({ label: `$(key) ${k.consumerKey}`, description: siteLabel(k.baseUrl), detail: k.fingerprint, value: k })),
    });
    if (link) await this.forgetLinkKey(link.baseUrl, link.consumerKey);
  }

  /** "Forget Key Pair": the kept key pair of an application link is deleted (the link in Jira stays). */
  async forgetLinkKey(baseUrl: string, consumerKey: string): Promise<void> {
    await forgetLinkKey(this.deps.accounts.secretStorage, this.deps.memento, baseUrl, consumerKey);
    this.deps.log.info(`forgot the kept key pair of the application link ${consumerKey} on ${baseUrl}`);
    void this.deps.prompter.notify('info', t('VS Code no longer keeps the key pair of the application link "{0}" on {1}. Signing in through that link again needs a new public key in Jira, or a new consumer key.', consumerKey, siteLabel(baseUrl)));
  }

  /**
   * An OAuth 2.0 account's refresh failed for good (invalid_grant: the refresh token expired, was
   * revoked or reused): sign it out and offer to sign in again.
   */
  async sessionEnded(account: AccountMeta, err: unknown): Promise<void> {
    const { deps } = this;
    deps.log.warn(`the OAuth 2.0 sign-in of ${account.id} (${account.site.baseUrl}) can no longer be renewed; signing it out`);
    deps.log.error('refresh failed:', err);
    await deps.accounts.remove(account.id);
    const again = t('Sign In Again');
    const a = await deps.prompter.notify(
      'warning',
      t('Your sign-in to {0} has ended and could not be renewed, so it was signed out. Sign in again to continue.', accountLabel(account)),
      {},
      again,
    );
    if (a === again) await this.runner.signIn({ fresh: true, baseUrl: account.site.baseUrl, method: account.method });
  }

  /** "Jira: Show Accounts": switch the active account, sign in or out. */
  async showAccounts(): Promise<void> {
    const { deps } = this;
    const active = deps.accounts.active();
    const pending = deps.pending.get();
    type V = { kind: 'account'; id: string } | { kind: 'signIn' | 'signOut' | 'continue' };
    const items: Array<{ label: string; description?: string; detail?: string; value: V } | 'separator'> = deps.accounts.list().map((a) => ({
      label: `${a.id === active?.id ? '$(check)' : '$(account)'} ${a.displayName}`,
      description: siteLabel(a.site.baseUrl),
      detail: `${methodLabel(a.method, a.site)}${a.site.title ? ` · ${a.site.title}` : ''}${a.id === active?.id ? ` · ${t('active account')}` : ''}`,
      value: { kind: 'account', id: a.id } as V,
    }));
    if (items.length) items.push('separator');
    if (pending) items.push({ label: `$(debug-continue) ${t('Continue Signing In to {0}', siteLabel(pending.site.baseUrl))}`, value: { kind: 'continue' } });
    items.push({ label: `$(sign-in) ${t('Sign In to Another Account...')}`, value: { kind: 'signIn' } });
    if (deps.accounts.list().length) items.push({ label: `$(sign-out) ${t('Sign Out...')}`, value: { kind: 'signOut' } });
    const v = await deps.prompter.pick<V>({
      title: t('Jira: Accounts'),
      placeholder: deps.accounts.list().length ? t('Choose the account for the Jira views') : t('You are not signed in to Jira'),
      items,
      ignoreFocusOut: false,
    });
    if (!v) return;
    if (v.kind === 'account') await this.accountActions(v.id);
    else if (v.kind === 'signIn') await this.runner.signIn({ fresh: true });
    else if (v.kind === 'continue') await this.runner.continueSignIn();
    else await this.signOut();
  }

  /** What can be done with one account, chosen in Show Accounts: never a list that just closes. */
  private async accountActions(id: string): Promise<void> {
    const { deps } = this;
    const account = deps.accounts.get(id);
    if (!account) return;
    const isActive = deps.accounts.active()?.id === id;
    type A = 'use' | 'copy' | 'inspect' | 'signOut';
    const items: Array<{ label: string; description?: string; value: A }> = [];
    if (!isActive) items.push({ label: `$(check) ${t('Use for the Jira Views')}`, value: 'use' });
    items.push({ label: `$(copy) ${t('Copy Access Token...')}`, value: 'copy' });
    if (deps.inspectToken) items.push({ label: `$(inspect) ${t('Inspect Token')}`, description: t('method, site, scopes and expiry; never the token'), value: 'inspect' });
    items.push({ label: `$(sign-out) ${t('Sign Out')}`, value: 'signOut' });
    const action = await deps.prompter.pick<A>({
      title: accountLabel(account),
      placeholder: isActive ? t('{0}: the account of the Jira views', methodLabel(account.method, account.site)) : methodLabel(account.method, account.site),
      items,
      ignoreFocusOut: false,
    });
    if (action === 'use') {
      await deps.accounts.setActive(id);
      deps.log.info(`active account: ${account.id} (${account.site.baseUrl})`);
      void deps.prompter.notify('info', t('The Jira views now show {0}.', accountLabel(account)));
    } else if (action === 'copy') await this.copyAccessToken({ accountId: id });
    else if (action === 'inspect') await deps.inspectToken?.(id);
    else if (action === 'signOut') await this.signOut(id);
  }

  /**
   * "Jira: Copy Access Token": after a modal warning, copies the token (or, for OAuth 1.0a, a
   * signed curl command), and offers to clear the clipboard. Nothing is logged.
   */
  async copyAccessToken(args: { accountId?: string; confirm?: boolean; curlUrl?: string } = {}): Promise<'token' | 'curl' | undefined> {
    const { deps } = this;
    const account = args.accountId ? deps.accounts.get(args.accountId) : deps.accounts.active();
    if (!account) {
      const signIn = t('Sign In');
      if ((await deps.prompter.notify('info', t('You are not signed in to Jira.'), {}, signIn)) === signIn) await this.runner.signIn();
      return undefined;
    }
    const auth = await deps.accounts.getAuth(account.id);
    if (!auth) {
      void deps.prompter.notify('error', t('The credentials of {0} are no longer in VS Code\'s secret storage. Sign in again.', accountLabel(account)));
      return undefined;
    }
    const copyToken = t('Copy Token');
    const copyCurl = t('Copy as curl Command');
    let choice: string | undefined;
    if (args.confirm) choice = args.curlUrl ? copyCurl : copyToken;
    else {
      choice = await deps.prompter.notify(
        'warning',
        t('Copy the access token of {0} to the clipboard?', accountLabel(account)),
        {
          modal: true,
          detail:
            t('The token is a credential: anyone who gets it can use Jira as you until it is revoked. Paste it only where you trust, and clear the clipboard afterwards.') +
            (auth.type === 'oauth1' ? `\n\n${t('An OAuth 1.0a access token alone cannot call Jira: requests must also be signed with the private key. "Copy as curl Command" copies one signed request instead.')}` : ''),
        },
        ...(auth.type === 'oauth1' ? [copyToken, copyCurl] : [copyToken]),
      );
    }
    if (choice !== copyToken && choice !== copyCurl) return undefined;
    let secret: string;
    let notice: string;
    if (choice === copyToken) {
      if (auth.type === 'oauth2' && deps.oauth2AccessToken) {
        // An expired access token is of no use on the clipboard: refresh it first, as a request would.
        try {
          secret = await deps.oauth2AccessToken(account, auth);
        } catch (e) {
          void deps.prompter.notify('error', errorMessage(e));
          return undefined;
        }
      } else secret = sessionToken(auth);
      notice = t('Access token of {0} copied to the clipboard.', accountLabel(account));
    } else {
      if (auth.type !== 'oauth1') return undefined;
      const curl = await this.signedCurl(account, auth, args.curlUrl);
      if (!curl) return undefined;
      secret = curl;
      notice = t('Signed curl command copied. It works once (Jira refuses a reused nonce) and only for a few minutes (the signature is timestamped).');
    }
    await deps.prompter.copy(secret);
    deps.log.info(`${choice === copyToken ? 'access token' : 'signed curl command'} of ${account.id} copied to the clipboard`);
    const clear = t('Clear Clipboard');
    void deps.prompter.notify('info', notice, {}, clear).then(async (a) => {
      if (a !== clear) return;
      if ((await deps.prompter.readClipboard()) === secret) await deps.prompter.copy('');
    });
    return choice === copyToken ? 'token' : 'curl';
  }

  private async signedCurl(account: AccountMeta, auth: { consumerKey: string; privateKeyPem: string; token: string }, given?: string): Promise<string | undefined> {
    const { deps } = this;
    const base = account.site.baseUrl;
    const url =
      given ??
      (await deps.prompter.input({
        title: t('Jira: Copy as curl Command'),
        prompt: t('URL of the Jira resource to GET (under {0})', base),
        value: `${base}/rest/api/2/myself`,
        validate: (v) => (onSite(v, base) ? undefined : t('The URL must start with {0}.', base)),
      }));
    if (!url) return undefined;
    const target = onSite(url, base);
    if (!target) {
      // Only the account's own site: a signed request for another host would hand it the credential.
      void deps.prompter.notify('error', t('The URL must start with {0}.', base));
      return undefined;
    }
    const core = await deps.core();
    const offset = core.getClockOffset(base);
    const signer = new core.OAuth1Signer(auth.consumerKey, core.loadPrivateKey(auth.privateKeyPem), { seconds: offset });
    const header = signer.sign({ method: 'GET', url: target }, { token: auth.token }).authorization;
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    return `curl -sS -H ${q(`Authorization: ${header}`)} -H ${q('Accept: application/json')} ${q(target)}`;
  }
}
