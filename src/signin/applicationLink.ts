import { t } from '../l10n';
import { siteLabel } from '../store/accounts';
import type { AccountMeta, SiteInfo } from '../store/types';
import type { SignInDeps } from './deps';
import type { SignInRunner } from './controller';
import { linkedConsumerKeys, nextConsumerKey } from './linkedKeys';
import { copyWithNotice } from './oauth1';
import { confirmReplacePending, newPending } from './oauth1Draft';
import { askConsumerKey, generateKey } from './oauth1Keys';
import { applicationLinksUrl, pickSite } from './site';

/** What an application link is about: the pending sign-in's key, else the active OAuth 1.0a account's. */
export interface LinkTarget {
  site: SiteInfo;
  consumerKey: string;
  publicKeyPem: string;
  fingerprint?: string;
}

/**
 * The application-link commands (Generate Key Pair, Set Up Application Link, Copy Public/Consumer
 * Key, Open Application Links, Cancel Sign-In in Progress): they prepare or show what the user
 * gives Jira, around the OAuth 1.0a sign-in.
 */
export class ApplicationLinkCommands {
  constructor(
    private readonly deps: SignInDeps,
    private readonly runner: SignInRunner,
  ) {}

  /**
   * "Jira: Generate Key Pair": site and consumer key, then a new RSA key pair kept in SecretStorage
   * as the pending sign-in; the user then creates the application link with the public key.
   */
  generateKeyPair(opts: { rethrow?: boolean } = {}): Promise<AccountMeta | undefined> {
    return this.runner.guard('key generation', async () => {
      const { deps } = this;
      const title = t('Jira: Generate Key Pair');
      const site = await pickSite(deps, { step: 1, totalSteps: 2 }, title);
      const pending = deps.pending.get();
      const consumerKey = await askConsumerKey(deps, `${title} (${siteLabel(site.baseUrl)})`, { step: 2, totalSteps: 2 }, pending?.site.baseUrl === site.baseUrl ? pending.consumerKey : deps.proposedConsumerKey());
      await confirmReplacePending(deps, site.baseUrl);
      const key = await generateKey(deps);
      await deps.pending.start(newPending(site, consumerKey, key, 'generated', 'applink'), key.privateKeyPem);
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
  linkTarget(): LinkTarget | undefined {
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
    await this.runner.guard('open application links', async () => {
      const s = await pickSite(this.deps, { step: 1, totalSteps: 1 }, t('Jira: Open Application Links'));
      await this.deps.prompter.openExternal(applicationLinksUrl(s.baseUrl));
    }, () => this.openApplicationLinks(), {});
  }

  /**
   * "New Consumer Key" (a new key pair met a link that holds an earlier key): the pending key pair
   * gets a new consumer key, that is a new application link in Jira, and the sign-in goes on at the
   * application-link step, which guides its creation. The old link is left as it is.
   */
  newConsumerKey(): Promise<AccountMeta | undefined> {
    return this.runner.guard('new consumer key', async () => {
      const { deps } = this;
      const p = deps.pending.get();
      if (!p) return this.runner.signIn({ fresh: true });
      const taken = [p.consumerKey, ...linkedConsumerKeys(deps.memento, p.site.baseUrl)];
      const consumerKey = await askConsumerKey(deps, `${t('Jira: New Consumer Key')} (${siteLabel(p.site.baseUrl)})`, { step: 1, totalSteps: 1 }, nextConsumerKey(p.consumerKey, taken));
      await deps.pending.update({ consumerKey, step: 'applink' });
      deps.log.info(`pending sign-in to ${p.site.baseUrl}: new consumer key ${consumerKey} (was ${p.consumerKey})`);
      return this.runner.continueSignIn();
    }, () => this.newConsumerKey(), {});
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
}
