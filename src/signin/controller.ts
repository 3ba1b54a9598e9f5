import { t } from '../l10n';
import { siteLabel } from '../store/accounts';
import type { AccountMeta, AuthMethod, SiteInfo } from '../store/types';
import { AccountCommands } from './accountCommands';
import { ApplicationLinkCommands } from './applicationLink';
import type { SignInDeps } from './deps';
import { answered, cancelled, isCancellation, SignInError } from './errors';
import { ACTION_LABELS, describeFailure, ErrorAction } from './failures';
import { deploymentKind, FlowContext, FlowQuery, methodLabel, methodsOf, orderMethods, recommendedMethods, selectFlows, SignInArgs, SignInFlow, stepCounter } from './flows';
import { oauth2Flows } from './oauth2';
import { OAuth1LoopbackFlow, OAuth1OobFlow, OAuth1UriHandlerFlow } from './oauth1';
import { describeSite, pickSite, validateSite } from './site';
import { ApiTokenFlow, BasicFlow, PatFlow } from './tokenFlows';

/** All sign-in flows, in preference order; the controller keeps those that fit. */
export function defaultFlows(): SignInFlow[] {
  return [new OAuth1LoopbackFlow(), new OAuth1UriHandlerFlow(), new OAuth1OobFlow(), ...oauth2Flows(), new PatFlow(), new ApiTokenFlow(), new BasicFlow()];
}

export interface RunOptions {
  /** Reject with the error (API and programmatic command calls) in addition to showing it. */
  rethrow?: boolean;
}

/** What the command groups use of the controller: sign in again, and run a use case with failures shown. */
export interface SignInRunner {
  signIn(args?: SignInArgs, opts?: RunOptions): Promise<AccountMeta | undefined>;
  continueSignIn(opts?: RunOptions): Promise<AccountMeta | undefined>;
  guard<T>(what: string, run: () => Promise<T>, retry: () => Promise<unknown>, opts: RunOptions): Promise<T | undefined>;
}

/**
 * The sign-in use cases behind the commands, on top of the stores and the Prompter. Plain Node
 * (no vscode import): unit-tested with fakes, and driven by commands in VS Code.
 */
export class SignInController implements SignInRunner {
  /** Key pair, copy and open commands around the application link. */
  readonly applicationLink: ApplicationLinkCommands;
  /** Sign out, show accounts, copy access token. */
  readonly account: AccountCommands;

  constructor(
    readonly deps: SignInDeps,
    readonly flows: SignInFlow[] = defaultFlows(),
  ) {
    this.applicationLink = new ApplicationLinkCommands(deps, this);
    this.account = new AccountCommands(deps, this);
  }

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
        await this.applicationLink.discardPending(true);
        throw cancelled();
      }
    }
    const title = t('Jira: Sign In');
    const site = args.baseUrl
      ? await deps.prompter.progress(t('Connecting to {0}...', siteLabel(args.baseUrl)), (signal) => validateSite(deps, args.baseUrl!, signal))
      : await pickSite(deps, { step: 1 }, title);
    return this.runFlows(site, args, false, args.baseUrl ? 0 : 1);
  }

  private async doContinue(): Promise<AccountMeta> {
    const p = this.deps.pending.get();
    if (!p) return this.doSignIn({ fresh: true });
    return this.runFlows(p.site, { method: 'oauth1' }, true, 0);
  }

  /**
   * The flows that fit this window and site, for the method the user picks; falls back in order.
   * `shown`: how many steps the user went through already (the site pick).
   */
  private async runFlows(site: SiteInfo, args: SignInArgs, resume: boolean, shown: number): Promise<AccountMeta> {
    const { deps } = this;
    const callback = args.callback ?? (args.verifier !== undefined || deps.settings().callback === 'oob' ? 'oob' : undefined);
    // OAuth 2.0 flows need a client id and secret: the user can enter them (interactive sign-in),
    // or they are given, or stored for the site from an earlier sign-in.
    const interactive = !(args.token || args.password || args.privateKeyPem || args.verifier || args.authorize);
    const hasClientSecret = interactive || !!args.clientId || (await deps.oauth2Clients.get(site.baseUrl)) !== undefined;
    const oauth2Redirect = args.redirect ?? deps.settings().oauth2Redirect;
    const redirects: FlowQuery['redirects'] = {
      ...(callback === 'oob' ? { oauth1: 'paste' } : {}),
      ...(oauth2Redirect && oauth2Redirect !== 'auto' ? { oauth2: oauth2Redirect } : {}),
    };
    const flows = selectFlows(this.flows, { extensionHost: deps.extensionHost, deployment: deploymentKind(site), version: site.version, hasClientSecret, redirects });
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
            steps: { step: shown + 1 },
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
        shown++;
      }
    }
    const candidates = flows.filter((f) => f.method === method);
    if (!candidates.length) {
      throw new SignInError('no_flow', t('{0} is not available for {1} in this window.', methodLabel(method, site), describeSite(site)));
    }
    const shared = {};
    for (let i = 0; i < candidates.length; i++) {
      const flow = candidates[i];
      const ctx: FlowContext = { deps, site, args, title: siteTitle, resume, shared, step: stepCounter(flow.steps, shown) };
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

  /** Runs a use case: cancellation is quiet, errors are shown with helpful buttons and logged. */
  async guard<T>(what: string, run: () => Promise<T>, retry: () => Promise<unknown>, opts: RunOptions): Promise<T | undefined> {
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
        const labels = failure.actions.map((a) => ACTION_LABELS[a]());
        void deps.prompter.notify(failure.severity, failure.message, {}, ...labels).then(async (label) => {
          const action = failure.actions[labels.indexOf(label ?? '')];
          if (action) await this.failureActions[action](err, retry);
        });
      }
      if (opts.rethrow) throw err;
      return undefined;
    }
  }

  /** What each button of a failure notification does. */
  private readonly failureActions: Record<ErrorAction, (err: unknown, retry: () => Promise<unknown>) => Promise<unknown> | void> = {
    tryAgain: (_err, retry) => (this.deps.pending.get() ? this.continueSignIn() : retry()),
    signIn: () => this.signIn({ fresh: true }),
    openSite: async (err) => {
      const site = (err as SignInError).baseUrl;
      if (site) await this.deps.prompter.openExternal(`${site}/login.jsp`);
    },
    usePat: (err) => this.signIn({ fresh: true, ...siteOf(err), method: 'pat' }),
    otherMethod: (err) => this.signIn({ fresh: true, ...siteOf(err) }),
    openApplicationLinks: () => this.applicationLink.openApplicationLinks(),
    copyPublicKey: () => this.applicationLink.copyPublicKey(),
    newConsumerKey: () => this.applicationLink.newConsumerKey(),
    showLog: () => this.deps.log.show(),
  };
}

/** The site a failure is about, as sign-in arguments (a new sign-in there skips the site step). */
function siteOf(err: unknown): { baseUrl?: string } {
  const baseUrl = (err as SignInError).baseUrl;
  return baseUrl ? { baseUrl } : {};
}
