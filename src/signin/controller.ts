import { t } from '../l10n';
import { accountLabel, siteLabel } from '../store/accounts';
import type { AccountMeta, AuthMethod, SiteInfo } from '../store/types';
import type { SignInDeps } from './deps';
import { answered, cancelled, isCancellation, SignInError } from './errors';
import { deploymentKind, FlowContext, methodsOf, orderMethods, recommendedMethods, selectFlows, SignInArgs, SignInFlow } from './flows';
import { OAuth2CloudFlow, OAuth2DataCenterFlow } from './oauth2';
import {
  askConsumerKey,
  confirmReplacePending,
  copyWithNotice,
  generateKey,
  isApplinkProblem,
  OAuth1LoopbackFlow,
  OAuth1OobFlow,
} from './oauth1';
import { applicationLinksUrl, describeSite, pickSite, validateSite } from './site';
import { ApiTokenFlow, BasicFlow, PatFlow } from './tokenFlows';
import { onSite } from '../auth/consent';

/** All sign-in flows, in preference order; the controller keeps those that fit. */
export function defaultFlows(): SignInFlow[] {
  return [new OAuth1LoopbackFlow(), new OAuth1OobFlow(), new OAuth2DataCenterFlow(), new OAuth2CloudFlow(), new PatFlow(), new ApiTokenFlow(), new BasicFlow()];
}

/** The method's name; Basic on Jira Cloud is an API token. */
export function methodLabel(method: AuthMethod, site?: SiteInfo): string {
  switch (method) {
    case 'oauth1':
      return t('OAuth 1.0a');
    case 'pat':
      return t('Personal access token');
    case 'basic':
      return site && deploymentKind(site) === 'cloud' ? t('API token') : t('Basic authentication');
    case 'oauth2':
      return t('OAuth 2.0');
  }
}

/** What went wrong, said for the user, with the buttons that help. */
export type ErrorAction = 'tryAgain' | 'openApplicationLinks' | 'setUpApplicationLink' | 'showLog' | 'signIn' | 'openSite' | 'usePat' | 'otherMethod';

export function describeFailure(err: unknown): { severity: 'warning' | 'error'; message: string; actions: ErrorAction[] } | undefined {
  if (isCancellation(err)) return undefined;
  const message = (err as Error)?.message || String(err);
  if (err instanceof SignInError) {
    switch (err.code) {
      case 'denied':
        return { severity: 'warning', message, actions: ['tryAgain'] };
      case 'pending_lost':
        return { severity: 'warning', message, actions: ['signIn'] };
      case 'captcha':
        return { severity: 'error', message, actions: ['openSite', 'usePat', 'tryAgain'] };
      case 'basic_disabled':
        return { severity: 'error', message, actions: ['otherMethod'] };
      case 'bad_credentials':
      case 'oauth2':
      case 'no_site':
        return { severity: 'error', message, actions: ['tryAgain', 'showLog'] };
      default:
        return { severity: 'error', message, actions: ['tryAgain', 'showLog'] };
    }
  }
  if (isApplinkProblem(err)) return { severity: 'error', message, actions: ['openApplicationLinks', 'tryAgain', 'showLog'] };
  if ((err as { name?: string })?.name === 'KeyError') return { severity: 'error', message, actions: ['tryAgain'] };
  if ((err as { name?: string })?.name === 'JiraError') return { severity: 'error', message, actions: ['tryAgain', 'showLog'] };
  return { severity: 'error', message: t('Unexpected error: {0}', message), actions: ['showLog'] };
}

function actionLabel(a: ErrorAction): string {
  switch (a) {
    case 'tryAgain':
      return t('Try Again');
    case 'openApplicationLinks':
      return t('Open Application Links');
    case 'setUpApplicationLink':
      return t('Set Up Application Link');
    case 'showLog':
      return t('Show Log');
    case 'signIn':
      return t('Sign In');
    case 'openSite':
      return t('Open Jira in Browser');
    case 'usePat':
      return t('Use a Personal Access Token');
    case 'otherMethod':
      return t('Choose Another Method');
  }
}

export interface RunOptions {
  /** Reject with the error (API and programmatic command calls) in addition to showing it. */
  rethrow?: boolean;
}

/**
 * The sign-in use cases behind the commands, on top of the stores and the Prompter. Plain Node
 * (no vscode import): unit-tested with fakes, and driven by commands in VS Code.
 */
export class SignInController {
  constructor(
    readonly deps: SignInDeps,
    readonly flows: SignInFlow[] = defaultFlows(),
  ) {}

  /** "Jira: Sign In": continue a pending sign-in, or site > method > flow. */
  signIn(args: SignInArgs = {}, opts: RunOptions = {}): Promise<AccountMeta | undefined> {
    return this.guard('sign-in', () => this.doSignIn(args), () => this.signIn(args.baseUrl ? { ...args, verifier: undefined } : {}), opts);
  }

  /** Continue the pending OAuth 1.0a sign-in where it stopped (or start one). */
  continueSignIn(opts: RunOptions = {}): Promise<AccountMeta | undefined> {
    return this.guard('sign-in', () => this.doContinue(), () => this.continueSignIn(), opts);
  }

  private async doSignIn(args: SignInArgs): Promise<AccountMeta> {
    const { deps } = this;
    const pending = deps.pending.get();
    const programmatic = !!(args.baseUrl || args.method || args.consumerKey || args.privateKeyPem || args.token || args.clientId);
    if (pending && !args.fresh && !programmatic) {
      type C = 'continue' | 'new' | 'discard';
      const c = answered(
        await deps.prompter.pick<C>({
          title: t('Jira: Sign In'),
          placeholder: t('A sign-in to {0} is in progress', siteLabel(pending.site.baseUrl)),
          items: [
            {
              label: `$(debug-continue) ${t('Continue Signing In to {0}', siteLabel(pending.site.baseUrl))}`,
              detail: pending.step === 'applink'
                ? t('Next: confirm the application link for consumer key "{0}" exists in Jira.', pending.consumerKey)
                : t('Next: allow access in Jira and enter the verification code.'),
              value: 'continue',
            },
            { label: `$(add) ${t('Sign In to Another Site or Account...')}`, value: 'new' },
            { label: `$(trash) ${t('Discard the Sign-In in Progress')}`, value: 'discard' },
          ],
        }),
      );
      if (c === 'continue') return this.doContinue();
      if (c === 'discard') {
        await this.discardPending(true);
        throw cancelled();
      }
    }
    const title = t('Jira: Sign In');
    const site = args.baseUrl
      ? await deps.prompter.progress(t('Connecting to {0}...', siteLabel(args.baseUrl)), (signal) => validateSite(deps, args.baseUrl!, signal))
      : await pickSite(deps, { step: 1, totalSteps: 5 }, title);
    return this.runFlows(site, args, false);
  }

  private async doContinue(): Promise<AccountMeta> {
    const p = this.deps.pending.get();
    if (!p) return this.doSignIn({ fresh: true });
    return this.runFlows(p.site, { method: 'oauth1' }, true);
  }

  /** The flows that fit this window and site, for the method the user picks; falls back in order. */
  private async runFlows(site: SiteInfo, args: SignInArgs, resume: boolean): Promise<AccountMeta> {
    const { deps } = this;
    const callback = args.callback ?? (args.verifier !== undefined || deps.settings().callback === 'oob' ? 'oob' : undefined);
    // OAuth 2.0 flows need a client id and secret: the user can enter them (interactive sign-in),
    // or they are given, or stored for the site from an earlier sign-in.
    const interactive = !(args.token || args.password || args.privateKeyPem || args.verifier || args.authorize);
    const hasClientSecret = interactive || !!args.clientId || (await deps.oauth2Clients.get(site.baseUrl)) !== undefined;
    let flows = selectFlows(this.flows, { extensionHost: deps.extensionHost, deployment: deploymentKind(site), version: site.version, hasClientSecret });
    if (callback === 'oob') flows = flows.filter((f) => f.id !== 'oauth1-loopback');
    const recommended = recommendedMethods(site);
    const methods = orderMethods(methodsOf(flows), recommended);
    if (!methods.length) throw new SignInError('no_flow', t('No sign-in method works for {0} in this window.', describeSite(site)));
    const siteTitle = `${t('Jira: Sign In')} (${siteLabel(site.baseUrl)})`;
    let method = args.method;
    if (!method) {
      if (methods.length === 1) method = methods[0];
      else {
        method = answered(
          await deps.prompter.pick<AuthMethod>({
            title: siteTitle,
            steps: { step: 2, totalSteps: 5 },
            placeholder: t('How do you want to sign in to {0}?', describeSite(site)),
            items: methods.map((m) => {
              const f = flows.find((x) => x.method === m)!;
              const rec = recommended.indexOf(m);
              return {
                label: rec === 0 ? `$(star-full) ${f.label}` : f.label,
                description: rec === 0 ? t('Recommended') : rec > 0 ? t('Also recommended') : m === 'basic' && deploymentKind(site) !== 'cloud' ? t('Weakest') : undefined,
                detail: f.detail,
                value: m,
              };
            }),
          }),
        );
      }
    }
    const candidates = flows.filter((f) => f.method === method);
    if (!candidates.length) {
      throw new SignInError('no_flow', t('{0} is not available for {1} in this window.', methodLabel(method, site), describeSite(site)));
    }
    const ctx: FlowContext = {
      deps,
      site,
      args,
      title: siteTitle,
      resume,
      shared: {},
      step: (n) => ({ step: n, totalSteps: 5 }),
    };
    for (let i = 0; i < candidates.length; i++) {
      const flow = candidates[i];
      try {
        deps.log.info(`sign-in to ${site.baseUrl}: ${flow.id}`);
        const account = await flow.trigger(ctx);
        // The account's site: OAuth 2.0 on Cloud picks it after consent.
        const signedIn = account.site ?? site;
        void deps.prompter.notify('info', t('Signed in to {0} ({1}) as {2}.', signedIn.title || siteLabel(signedIn.baseUrl), signedIn.baseUrl, account.displayName));
        return account;
      } catch (err) {
        if (err instanceof SignInError && err.code === 'fallback' && i < candidates.length - 1) {
          deps.log.info(`${flow.id} did not complete; falling back to ${candidates[i + 1].id}`);
          if (err.message) void deps.prompter.notify('info', err.message);
          continue;
        }
        throw err;
      }
    }
    throw new SignInError('no_flow', t('No sign-in method works for {0} in this window.', describeSite(site)));
  }

  /**
   * "Jira: Generate Key Pair": site and consumer key, then a new RSA key pair kept in SecretStorage
   * as the pending sign-in; the user then creates the application link with the public key.
   */
  generateKeyPair(opts: RunOptions = {}): Promise<AccountMeta | undefined> {
    return this.guard('key generation', async () => {
      const { deps } = this;
      const title = t('Jira: Generate Key Pair');
      const site = await pickSite(deps, { step: 1, totalSteps: 3 }, title);
      const pending = deps.pending.get();
      const consumerKey = await askConsumerKey(deps, `${title} (${siteLabel(site.baseUrl)})`, 2, 3, pending?.site.baseUrl === site.baseUrl ? pending.consumerKey : deps.proposedConsumerKey());
      await confirmReplacePending(deps, site.baseUrl);
      const key = await generateKey(deps);
      const now = Date.now();
      const { newId } = await import('../util/id');
      await deps.pending.start(
        { id: newId(), method: 'oauth1', step: 'applink', site, consumerKey, publicKeyPem: key.publicKeyPem, keyFingerprint: key.fingerprint, keySource: 'generated', createdAt: now, updatedAt: now },
        key.privateKeyPem,
      );
      deps.log.info(`key pair ${key.fingerprint} generated for ${site.baseUrl} (consumer key ${consumerKey})`);
      void this.afterKeyPair(site, consumerKey);
      return undefined;
    }, () => this.generateKeyPair(), opts);
  }

  private async afterKeyPair(site: SiteInfo, consumerKey: string): Promise<void> {
    const copy = t('Copy Public Key');
    const open = t('Open Application Links');
    const guide = t('Show Walkthrough');
    const a = await this.deps.prompter.notify(
      'info',
      t('Key pair generated. In Jira ({0}), create an application link with consumer key "{1}" and the public key, then run "Jira: Sign In".', siteLabel(site.baseUrl), consumerKey),
      {},
      copy,
      open,
      guide,
    );
    if (a === copy) await this.copyPublicKey();
    else if (a === open) await this.deps.prompter.openExternal(applicationLinksUrl(site.baseUrl));
    else if (a === guide) await this.deps.prompter.showWalkthrough();
  }

  /** "Jira: Set Up Application Link": the walkthrough for the pending sign-in (after making a key pair if needed). */
  async setUpApplicationLink(): Promise<void> {
    if (!this.deps.pending.get()) {
      await this.generateKeyPair();
      if (!this.deps.pending.get()) return;
    }
    await this.deps.prompter.showWalkthrough();
  }

  /** The site, consumer key and public key the application link is about: pending sign-in first, then the active OAuth 1.0a account. */
  linkTarget(): { site: SiteInfo; consumerKey: string; publicKeyPem: string; fingerprint?: string } | undefined {
    const p = this.deps.pending.get();
    if (p) return { site: p.site, consumerKey: p.consumerKey, publicKeyPem: p.publicKeyPem, fingerprint: p.keyFingerprint };
    const active = this.deps.accounts.active();
    const a = active?.method === 'oauth1' ? active : this.deps.accounts.list().find((x) => x.method === 'oauth1');
    if (a?.consumerKey && a.publicKeyPem) return { site: a.site, consumerKey: a.consumerKey, publicKeyPem: a.publicKeyPem, fingerprint: a.keyFingerprint };
    return undefined;
  }

  private async noKeyYet(): Promise<void> {
    const generate = t('Generate Key Pair');
    if ((await this.deps.prompter.notify('info', t('There is no key pair yet: generate one first (it starts an OAuth 1.0a sign-in).'), {}, generate)) === generate) {
      await this.generateKeyPair();
    }
  }

  /** "Jira: Copy Public Key". Returns the copied PEM. */
  async copyPublicKey(): Promise<string | undefined> {
    const target = this.linkTarget();
    if (!target) {
      void this.noKeyYet();
      return undefined;
    }
    await copyWithNotice(
      this.deps,
      target.publicKeyPem,
      t('Public key ({0}) copied to the clipboard. Paste it into the application link\'s incoming authentication in Jira.', target.fingerprint ?? ''),
    );
    return target.publicKeyPem;
  }

  /** "Jira: Copy Consumer Key". */
  async copyConsumerKey(): Promise<string | undefined> {
    const target = this.linkTarget();
    if (!target) {
      void this.noKeyYet();
      return undefined;
    }
    await copyWithNotice(this.deps, target.consumerKey, t('Consumer key "{0}" copied to the clipboard.', target.consumerKey));
    return target.consumerKey;
  }

  /** Opens {base}/plugins/servlet/applinks/listApplicationLinks of the pending sign-in's or the active account's site. */
  async openApplicationLinks(): Promise<void> {
    const site = this.linkTarget()?.site ?? this.deps.accounts.active()?.site;
    if (site) {
      await this.deps.prompter.openExternal(applicationLinksUrl(site.baseUrl));
      return;
    }
    await this.guard('open application links', async () => {
      const s = await pickSite(this.deps, { step: 1, totalSteps: 1 }, t('Jira: Open Application Links'));
      await this.deps.prompter.openExternal(applicationLinksUrl(s.baseUrl));
    }, () => this.openApplicationLinks(), {});
  }

  /** Forgets the pending sign-in (its key pair too), after confirming. */
  async discardPending(confirm: boolean): Promise<boolean> {
    const p = this.deps.pending.get();
    if (!p) return false;
    if (confirm) {
      const discard = t('Discard');
      const a = await this.deps.prompter.notify(
        'warning',
        t('Discard the sign-in in progress for {0}?', siteLabel(p.site.baseUrl)),
        { modal: true, detail: t('Its key pair is deleted; an application link created with its public key will no longer work.') },
        discard,
      );
      if (a !== discard) return false;
    }
    await this.deps.pending.clear();
    this.deps.log.info(`pending sign-in to ${p.site.baseUrl} discarded`);
    return true;
  }

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
    const removed = await deps.accounts.remove(account.id);
    if (!removed) return undefined;
    if (removed.method === 'oauth1') {
      const open = t('Open Application Links');
      void deps.prompter
        .notify(
          'info',
          t('Signed out of {0}. The application link (consumer key "{1}") stays in Jira: an administrator can remove it under Application Links, and you can revoke the access token in your Jira profile (Tools > View OAuth Access Tokens).', accountLabel(removed), removed.consumerKey ?? ''),
          {},
          open,
        )
        .then((a) => (a === open ? deps.prompter.openExternal(applicationLinksUrl(removed.site.baseUrl)) : undefined));
    } else {
      void deps.prompter.notify('info', t('Signed out of {0}.', accountLabel(removed)));
    }
    return removed;
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
    if (a === again) await this.signIn({ fresh: true, baseUrl: account.site.baseUrl, method: account.method });
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
    if (v.kind === 'account') {
      await deps.accounts.setActive(v.id);
      const a = deps.accounts.get(v.id);
      if (a) deps.log.info(`active account: ${a.id} (${a.site.baseUrl})`);
    } else if (v.kind === 'signIn') await this.signIn({ fresh: true });
    else if (v.kind === 'continue') await this.continueSignIn();
    else await this.signOut();
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
      if ((await deps.prompter.notify('info', t('You are not signed in to Jira.'), {}, signIn)) === signIn) await this.signIn();
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
          void deps.prompter.notify('error', (e as Error).message);
          return undefined;
        }
      } else secret = auth.type === 'oauth1' || auth.type === 'pat' ? auth.token : auth.type === 'oauth2' ? auth.accessToken : auth.password;
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

  /** Runs a use case: cancellation is quiet, errors are shown with helpful buttons and logged. */
  private async guard<T>(what: string, run: () => Promise<T>, retry: () => Promise<unknown>, opts: RunOptions): Promise<T | undefined> {
    const { deps } = this;
    try {
      return await run();
    } catch (err) {
      if (isCancellation(err)) {
        deps.log.info(`${what} cancelled`);
        const p = deps.pending.get();
        if (p && !opts.rethrow) {
          const go = t('Continue Sign-In');
          void deps.prompter
            .notify('info', t('Sign-in to {0} paused. Run "Jira: Sign In" to continue where you stopped.', siteLabel(p.site.baseUrl)), {}, go)
            .then((a) => (a === go ? this.continueSignIn() : undefined));
        }
        if (opts.rethrow) throw err;
        return undefined;
      }
      deps.log.error(`${what} failed:`, err);
      const failure = describeFailure(err);
      if (failure) {
        const labels = failure.actions.map(actionLabel);
        void deps.prompter.notify(failure.severity, failure.message, {}, ...labels).then(async (label) => {
          const action = failure.actions[labels.indexOf(label ?? '')];
          switch (action) {
            case 'tryAgain':
              await (deps.pending.get() ? this.continueSignIn() : retry());
              break;
            case 'signIn':
              await this.signIn({ fresh: true });
              break;
            case 'openSite': {
              const site = (err as SignInError).baseUrl;
              if (site) await deps.prompter.openExternal(`${site}/login.jsp`);
              break;
            }
            case 'usePat':
            case 'otherMethod': {
              const site = (err as SignInError).baseUrl;
              await this.signIn({ fresh: true, ...(site ? { baseUrl: site } : {}), ...(action === 'usePat' ? { method: 'pat' as const } : {}) });
              break;
            }
            case 'openApplicationLinks':
              await this.openApplicationLinks();
              break;
            case 'setUpApplicationLink':
              await this.setUpApplicationLink();
              break;
            case 'showLog':
              deps.log.show();
              break;
          }
        });
      }
      if (opts.rethrow) throw err;
      return undefined;
    }
  }
}
