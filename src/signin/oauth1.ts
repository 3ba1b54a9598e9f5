import { errorMessage, t } from '../l10n';
import { newId } from '../util/id';
import { siteLabel } from '../store/accounts';
import { requestTokenFresh } from '../store/pending';
import type { AccountAuth, AccountMeta, PendingRequestToken } from '../store/types';
import type { Core } from '../coreLoader';
import type { SignInDeps } from './deps';
import { abortable, answered, cancelled, isCancellation, SignInError } from './errors';
import type { FlowContext, FlowOptions, FlowStep, SignInFlow } from './flows';
import { forgetLinkKey, keyMismatch, otherLinkedKey, rememberLinkedKey } from './linkedKeys';
import { LoopbackTimeoutError, signInPages, startLoopback } from './loopback';
import { applicationLinksUrl } from './site';
import { fetchProfile, Myself, storeAccount } from './account';
import { Draft, loadDraft, prepareDraft, setRequest, setStep } from './oauth1Draft';
import { adviceOf, isApplinkProblem, oauthProblemOf, problemRow } from './oauthProblems';

function deniedError(): SignInError {
  return new SignInError('denied', t('Access was denied in Jira, so you are not signed in. To sign in, run "Jira: Sign In" again and click Allow on the Jira page.'));
}

/** The actions of the application-link step, also used by commands and the walkthrough. */
export async function copyWithNotice(deps: SignInDeps, text: string, notice: string): Promise<void> {
  await deps.prompter.copy(text);
  void deps.prompter.notify('info', notice);
}

/** The consumer name the application link shows in Jira (the user types or pastes it there). */
const CONSUMER_NAME = 'Visual Studio Code';

/**
 * Step 3: the user creates the application link in Jira (consumer key, consumer name, public key).
 * The pick stays open while they copy the keys or open Jira; "Continue" moves on.
 */
async function applicationLinkStep(ctx: FlowContext, draft: Draft): Promise<void> {
  const { deps } = ctx;
  const { consumerKey, publicKeyPem, keyFingerprint, site } = draft.meta;
  type A = 'continue' | 'open' | 'copyKey' | 'copyName' | 'copyPublic' | 'walkthrough';
  // The rows in the order of the work, the first one active: Enter never skips creating the link.
  const order: A[] = ['open', 'copyKey', 'copyName', 'copyPublic', 'continue'];
  const choice = answered(
    await deps.prompter.pick<A>({
      title: t('{0}: application link', ctx.title),
      steps: ctx.step('applicationLink'),
      placeholder: t('Create the application link in Jira with incoming authentication; each row copies what Jira asks for.'),
      items: [
        // The address the browser will show (forwarded in browser-based windows), not the extension host's view of it.
        { label: `$(link-external) ${t('Open Application Links in Jira')}`, description: await deps.prompter.pageAddress(applicationLinksUrl(site.baseUrl)), value: 'open' },
        { label: `$(copy) ${t('Copy Consumer Key')}`, description: consumerKey, value: 'copyKey' },
        { label: `$(copy) ${t('Copy Consumer Name')}`, description: CONSUMER_NAME, value: 'copyName' },
        { label: `$(copy) ${t('Copy Public Key')}`, description: keyFingerprint, value: 'copyPublic' },
        { label: `$(check) ${t('Continue: the Application Link Is Created')}`, detail: t('Jira: Administration > Applications > Application links'), value: 'continue' },
        { label: `$(book) ${t('Show the Step-by-Step Walkthrough')}`, value: 'walkthrough' },
      ],
      nextAfter: (a) => order[order.indexOf(a) + 1],
      onChoose: async (a) => {
        switch (a) {
          case 'continue':
            return true;
          case 'open':
            await deps.prompter.openExternal(applicationLinksUrl(site.baseUrl));
            return false;
          case 'copyKey':
            await copyWithNotice(deps, consumerKey, t('Consumer key "{0}" copied to the clipboard.', consumerKey));
            return false;
          case 'copyName':
            await copyWithNotice(deps, CONSUMER_NAME, t('Consumer name "{0}" copied to the clipboard.', CONSUMER_NAME));
            return false;
          case 'copyPublic':
            await copyWithNotice(deps, publicKeyPem, t('Public key ({0}) copied to the clipboard. Paste it into the application link\'s incoming authentication.', keyFingerprint));
            return false;
          case 'walkthrough':
            await deps.prompter.showWalkthrough();
            return false;
        }
      },
    }),
  );
  if (choice === 'continue') await setStep(deps, draft, 'authorize');
}

/** Gets a request token (reusing a fresh one for the same callback), with progress. */
async function obtainRequestToken(ctx: FlowContext, draft: Draft, callback: string, core: Core): Promise<PendingRequestToken> {
  const { deps, site } = ctx;
  if (requestTokenFresh(draft.request, callback)) return draft.request;
  let r: Awaited<ReturnType<Core['requestToken']>>;
  try {
    r = await deps.prompter.progress(t('Requesting authorization from {0}...', siteLabel(site.baseUrl)), (signal) =>
      core.requestToken({ baseUrl: site.baseUrl, consumerKey: draft.meta.consumerKey, privateKeyPem: draft.privateKeyPem, callback, signal, userAgent: deps.userAgent }),
    );
  } catch (err) {
    if (isApplinkProblem(err)) {
      // The link is missing or has another key: go back to the application-link step next time.
      deps.log.warn(`request token refused (${oauthProblemOf(err)}); the application link needs attention`);
      if (draft.meta.keySource !== 'account') await setStep(deps, draft, 'applink');
      // A key pair generated for this sign-in (a key handed over by a caller has no pending step to go back to).
      const linked = oauthProblemOf(err) === 'signature_invalid' && draft.meta.keySource === 'generated' ? otherLinkedKey(deps.memento, site.baseUrl, draft.meta.consumerKey, draft.meta.keyFingerprint) : undefined;
      if (linked) throw keyMismatch(site.baseUrl, draft.meta.consumerKey, linked, draft.meta.keyFingerprint, err);
    }
    throw err;
  }
  const request: PendingRequestToken = { token: r.token, tokenSecret: r.tokenSecret, authorizeUrl: r.authorizeUrl, callback, createdAt: Date.now() };
  await setRequest(deps, draft, request);
  deps.log.info(`got a request token (callback ${callback === 'oob' ? 'oob' : 'loopback'})`);
  return request;
}

type AccessToken = Awaited<ReturnType<Core['accessToken']>>;

/** The OAuth 1.0a credentials of an exchanged request token. */
function oauth1Auth(draft: Draft, access: AccessToken): AccountAuth {
  return {
    type: 'oauth1',
    consumerKey: draft.meta.consumerKey,
    privateKeyPem: draft.privateKeyPem,
    token: access.token,
    tokenSecret: access.tokenSecret,
    ...(access.sessionHandle ? { sessionHandle: access.sessionHandle } : {}),
    ...(access.expiresIn ? { expiresAt: Date.now() + access.expiresIn * 1000 } : {}),
  };
}

interface Exchanged {
  auth: AccountAuth;
  profile: Myself;
}

/** Step 5: exchanges the verifier for an access token and reads /myself with it, under one progress. */
async function exchange(ctx: FlowContext, draft: Draft, req: PendingRequestToken, verifier: string, core: Core): Promise<Exchanged> {
  const { deps, site } = ctx;
  return deps.prompter.progress(t('Signing in to {0}...', siteLabel(site.baseUrl)), async (signal) => {
    const access = await core.accessToken({
      baseUrl: site.baseUrl,
      consumerKey: draft.meta.consumerKey,
      privateKeyPem: draft.privateKeyPem,
      token: req.token,
      tokenSecret: req.tokenSecret,
      verifier,
      signal,
      userAgent: deps.userAgent,
    });
    const auth = oauth1Auth(draft, access);
    return { auth, profile: await fetchProfile(ctx, auth, signal) };
  });
}

/** What Jira says of a request token, asked without spending it. */
type RequestTokenState = 'pending' | 'allowed' | 'denied' | 'unknown';

/**
 * Asks Jira what became of this request token by exchanging it with a dummy verifier: a denied
 * token answers permission_denied; a pending one permission_unknown; an allowed one
 * token_rejected (and stays usable). Anything else (network, another problem): unknown. Never throws.
 */
async function probeRequestToken(ctx: FlowContext, draft: Draft, req: PendingRequestToken, core: Core): Promise<RequestTokenState> {
  try {
    await core.accessToken({
      baseUrl: ctx.site.baseUrl,
      consumerKey: draft.meta.consumerKey,
      privateKeyPem: draft.privateKeyPem,
      token: req.token,
      tokenSecret: req.tokenSecret,
      verifier: `probe-${newId()}`,
      userAgent: ctx.deps.userAgent,
      timeoutMs: 10000,
    });
    return 'unknown';
  } catch (err) {
    const p = oauthProblemOf(err);
    if (p === 'permission_denied' || p === 'user_refused') return 'denied';
    if (p === 'permission_unknown') return 'pending';
    if (p === 'token_rejected') return 'allowed';
    return 'unknown';
  }
}

/** Did the user click Deny for this request token? */
async function probeDenied(ctx: FlowContext, draft: Draft, req: PendingRequestToken, core: Core): Promise<boolean> {
  return (await probeRequestToken(ctx, draft, req, core)) === 'denied';
}

/**
 * A request token kept from before a window reload may already be allowed, and Jira answers the
 * authorize page of an allowed token with token_used: find out (or ask) before opening it again.
 * Returns true when the user only has to paste the code.
 */
async function alreadyAllowed(ctx: FlowContext, draft: Draft, req: PendingRequestToken, core: Core): Promise<boolean> {
  const { deps, site } = ctx;
  const state = await deps.prompter.progress(t('Checking the authorization in {0}...', siteLabel(site.baseUrl)), () => probeRequestToken(ctx, draft, req, core));
  deps.log.info(`resumed request token: ${state}`);
  if (state === 'denied') throw deniedError();
  if (state !== 'unknown') return state === 'allowed';
  const yes = t('Yes: Enter the Verification Code');
  const no = t('No: Open the Jira Page Again');
  const answer = await deps.prompter.notify('info', t('Did you already click Allow on the Jira authorization page?'), { modal: true }, yes, no);
  if (answer === yes) return true;
  if (answer === no) return false;
  throw cancelled();
}

/**
 * Step 4, out of band: open the authorize page, then the verification code goes into an input
 * box. A refused code can be corrected; an expired or used request token is renewed and the
 * page opened again.
 */
async function authorizeOob(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
  const { deps, args } = ctx;
  const core = await deps.core();
  const resumed = requestTokenFresh(draft.request, 'oob');
  let req = await obtainRequestToken(ctx, draft, 'oob', core);
  const supplied = typeof args.verifier === 'function' ? args.verifier : undefined;
  let given = typeof args.verifier === 'string' ? args.verifier : undefined;
  let message: string | undefined;
  let value: string | undefined;
  // Resumed after a reload with a token the user already allowed: straight to the code box.
  let allowed = resumed && !supplied && given === undefined && (await alreadyAllowed(ctx, draft, req, core));
  let opened = allowed;
  let refusals = 0;
  const renew = async (why: string) => {
    await setRequest(deps, draft, undefined);
    req = await obtainRequestToken(ctx, draft, 'oob', core);
    opened = false;
    allowed = false;
    message = why;
    value = undefined;
    refusals = 0;
  };
  for (;;) {
    if (!opened) {
      opened = true;
      if (supplied) given = await supplied(req.authorizeUrl);
      else if (!(await deps.prompter.openExternal(req.authorizeUrl))) deps.log.warn('the browser did not open the authorize page');
    }
    let code = given;
    given = undefined;
    if (code === undefined) {
      const current = req;
      // Coming back from the browser (or dismissing the box) after clicking Deny: Jira tells a
      // denied request token apart (permission_denied), so the user hears it was denied.
      const closeBox = new AbortController();
      let denied = false;
      let newPage = false;
      const focus = deps.onDidFocusWindow?.(() => {
        void probeDenied(ctx, draft, current, core).then((d) => {
          if (d) {
            denied = true;
            closeBox.abort();
          }
        });
      });
      let typed: string | undefined;
      try {
        typed = await deps.prompter.input({
          title: t('{0}: verification code', ctx.title),
          steps: ctx.step('verificationCode'),
          prompt: allowed
            ? t('You already clicked Allow in Jira: paste the verification code it showed. Lost it? The button opens a new Jira authorization page.')
            : t('Click Allow on the Jira page that opened in your browser, then paste the verification code Jira shows.'),
          placeholder: t("Your verification code is 'XXXXXX'"),
          value,
          validationMessage: message,
          validate: (v) => (v.trim() ? verifierProblem(core, v) : t('Paste the verification code from the Jira page.')),
          buttons: [{ id: 'open', icon: 'link-external', tooltip: allowed ? t('Open a New Jira Authorization Page') : t('Open the Jira Authorization Page Again') }],
          onButton: async () => {
            // An allowed token's page is dead (token_used): a new request token gets a live one.
            if (!allowed) return void (await deps.prompter.openExternal(current.authorizeUrl));
            newPage = true;
            closeBox.abort();
          },
          signal: closeBox.signal,
        });
      } finally {
        focus?.dispose();
      }
      if (typed === undefined && newPage) {
        await renew(t('A new Jira authorization page opened in your browser. Click Allow there and paste the new code.'));
        continue;
      }
      if (typed === undefined) {
        if (denied || (await probeDenied(ctx, draft, current, core))) throw deniedError();
        throw cancelled();
      }
      code = typed;
    }
    const verifier = core.parseVerifier(code);
    if (verifier.toLowerCase() === 'denied') throw deniedError();
    if (!requestTokenFresh(req, 'oob')) {
      deps.log.info('the request token is older than Jira allows; getting a new one');
      await renew(adviceOf(core, core.OAUTH_PROBLEMS.token_expired));
      continue;
    }
    try {
      return await exchange(ctx, draft, req, verifier, core);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const problem = oauthProblemOf(err);
      deps.log.warn(`access token refused${problem ? ` (${problem})` : ''}`);
      const row = problemRow(core, err);
      if (row?.kind === 'denied') throw deniedError();
      if (row?.kind === 'renew' || (row?.kind === 'codeRefused' && row.renewAfter !== undefined && refusals >= row.renewAfter)) {
        await renew(adviceOf(core, row.kind === 'renew' ? row : undefined));
        continue;
      }
      if (row?.kind === 'codeRefused' || row?.kind === 'notAllowedYet') {
        if (row.kind === 'codeRefused') refusals++;
        message = adviceOf(core, row);
        value = code;
        continue;
      }
      throw err;
    }
  }
}

/**
 * Step 4 where the extension host runs on the user's machine: Jira redirects the browser to a
 * one-shot listener on 127.0.0.1 (random port, random state), so no code has to be copied. Fails
 * over to the verification code ('fallback') if the listener cannot start or nobody comes back.
 */
async function authorizeLoopback(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
  const { deps, site } = ctx;
  const core = await deps.core();
  let server: Awaited<ReturnType<typeof startLoopback>>;
  try {
    server = await startLoopback(signInPages());
  } catch (err) {
    deps.log.error('could not listen on 127.0.0.1 for the OAuth callback', err);
    throw new SignInError('fallback', '', err);
  }
  try {
    const req = await obtainRequestToken(ctx, draft, server.callbackUrl, core);
    server.expectToken(req.token);
    if (!(await deps.prompter.openExternal(req.authorizeUrl))) deps.log.warn('the browser did not open the authorize page');
    let result: Awaited<typeof server.result>;
    try {
      result = await deps.prompter.progress(t('Waiting for you to click Allow in the browser ({0})...', siteLabel(site.baseUrl)), (signal) =>
        abortable(server.result, signal),
      );
    } catch (err) {
      if (err instanceof LoopbackTimeoutError) {
        throw new SignInError('fallback', t('No answer came back from the browser within 5 minutes; enter the verification code instead.'), err);
      }
      throw err;
    }
    if (result.denied) throw deniedError();
    return await exchange(ctx, draft, req, result.verifier, core);
  } finally {
    server.close();
  }
}

/** Why the box's text holds no verification code (in the user's language), or undefined when it does. */
function verifierProblem(core: Core, text: string): string | undefined {
  try {
    core.parseVerifier(text);
    return undefined;
  } catch (e) {
    return errorMessage(e);
  }
}

/** The answer of Jira's authorize page, as the redirect to oauth_callback carries it. */
function verifierFromRedirect(uri: string, req: PendingRequestToken): string {
  const q = new URL(uri).searchParams;
  const verifier = q.get('oauth_verifier');
  if (q.get('oauth_token') !== req.token || !verifier) throw new SignInError('invalid_argument', t('This link does not belong to the sign-in in progress. Start the sign-in again from VS Code.'));
  return verifier;
}

/**
 * Step 4 where the window has a URI handler with an http(s) address (code-server, Codespaces,
 * other browser-based and remote windows): that address is the oauth_callback, so Allow in Jira
 * comes back to VS Code by itself. The box stays open as the fallback (the address the browser
 * ended on, or a code). Jira takes only http(s) callbacks: a vscode:// address falls back to oob.
 */
async function authorizeViaUriHandler(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
  const { deps } = ctx;
  const callbacks = deps.uriCallbacks;
  if (!callbacks) throw new SignInError('fallback', '');
  const core = await deps.core();
  const state = newId();
  let callback: string;
  try {
    callback = await callbacks.externalUri(`/oauth1-callback?state=${state}`);
  } catch (err) {
    throw new SignInError('fallback', '', err);
  }
  if (!/^https?:\/\//i.test(callback)) {
    deps.log.info('the URI handler has no http(s) address in this window; the verification code is pasted instead');
    throw new SignInError('fallback', '');
  }
  const req = await obtainRequestToken(ctx, draft, callback, core);
  if (!(await deps.prompter.openExternal(req.authorizeUrl))) deps.log.warn('the browser did not open the authorize page');
  const box = new AbortController();
  const redirected = callbacks.wait(state, box.signal).then(
    (uri) => ({ uri }),
    () => ({ uri: undefined }),
  );
  const typed = deps.prompter
    .input({
      title: t('{0}: allow access', ctx.title),
      steps: ctx.step('allowAccess'),
      prompt: t('Click Allow on the Jira page in your browser: VS Code receives the answer by itself. If the browser cannot come back, paste the address it ended on or the verification code here.'),
      placeholder: t("Your verification code is 'XXXXXX'"),
      validate: (v) => verifierProblem(core, v),
      signal: box.signal,
    })
    .then((code) => ({ code }));
  const first = await Promise.race([redirected, typed]);
  box.abort();
  let verifier: string;
  if ('uri' in first && first.uri) verifier = verifierFromRedirect(first.uri, req);
  else if ('code' in first && first.code !== undefined) verifier = core.parseVerifier(first.code);
  else if (await probeDenied(ctx, draft, req, core)) throw deniedError();
  else throw cancelled();
  if (verifier.toLowerCase() === 'denied') throw deniedError();
  return exchange(ctx, draft, req, verifier, core);
}

abstract class OAuth1Flow implements SignInFlow {
  readonly method = 'oauth1' as const;
  abstract readonly id: string;
  abstract readonly options: FlowOptions;
  abstract readonly steps: readonly FlowStep[];
  get label(): string {
    return t('OAuth 1.0a (Application Link)');
  }
  get detail(): string {
    return t('Jira Server and Data Center (any version): an administrator creates an application link with your public key; you approve access in the browser.');
  }

  protected abstract authorize(ctx: FlowContext, draft: Draft): Promise<Exchanged>;

  async trigger(ctx: FlowContext): Promise<AccountMeta> {
    const { deps } = ctx;
    let draft = ctx.shared.draft as Draft | undefined;
    if (!draft) {
      draft = (!ctx.args.privateKeyPem && ctx.resume ? await loadDraft(deps, ctx.site) : undefined) ?? (await prepareDraft(ctx));
      ctx.shared.draft = draft;
    }
    if (draft.meta.step === 'applink') await applicationLinkStep(ctx, draft);
    let exchanged: Exchanged;
    try {
      exchanged = await this.authorize(ctx, draft);
    } catch (err) {
      // A request token is single use: never keep one past a failed attempt. A flow that stepped
      // aside (fallback) did not use it: the next flow may resume with it. Nor did a code box
      // closed without an answer (Escape, or the command palette that runs "Developer: Reload
      // Window" closing it): Continue Sign-In asks Jira whether it was allowed before opening its page.
      const unused = (err instanceof SignInError && err.code === 'fallback') || (isCancellation(err) && draft.request?.callback === 'oob');
      if (draft.request && !unused) await setRequest(deps, draft, undefined).catch(() => undefined);
      throw err;
    }
    const meta = await storeAccount(
      ctx,
      exchanged.auth,
      { consumerKey: draft.meta.consumerKey, publicKeyPem: draft.meta.publicKeyPem, keyFingerprint: draft.meta.keyFingerprint },
      exchanged.profile,
    );
    await rememberLinkedKey(deps.memento, ctx.site.baseUrl, draft.meta.consumerKey, draft.meta.keyFingerprint).catch(() => undefined);
    // The account holds the link's key pair now (a kept one, or a new one the link was updated to).
    await forgetLinkKey(deps.accounts.secretStorage, deps.memento, ctx.site.baseUrl, draft.meta.consumerKey).catch(() => undefined);
    if (draft.persisted && deps.pending.get()?.id === draft.meta.id) await deps.pending.clear();
    return meta;
  }
}

/** OAuth 1.0a answered through VS Code's URI handler: remote and browser-based windows. */
export class OAuth1UriHandlerFlow extends OAuth1Flow {
  readonly id = 'oauth1-uri';
  readonly steps = ['consumerKey', 'keyPair', 'applicationLink', 'allowAccess'] as const;
  readonly options: FlowOptions = { extensionHosts: ['remote'], deployments: ['server', 'cloud'], needsClientSecret: false, redirect: 'uri' };
  protected authorize(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
    return authorizeViaUriHandler(ctx, draft);
  }
}

/** OAuth 1.0a with Jira's verification code typed into VS Code: works everywhere. */
export class OAuth1OobFlow extends OAuth1Flow {
  readonly id = 'oauth1-oob';
  readonly steps = ['consumerKey', 'keyPair', 'applicationLink', 'verificationCode'] as const;
  readonly options: FlowOptions = { extensionHosts: ['local', 'remote'], deployments: ['server', 'cloud'], needsClientSecret: false, redirect: 'paste' };
  protected authorize(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
    return authorizeOob(ctx, draft);
  }
}

/** OAuth 1.0a with a loopback callback: only where the extension host shares the browser's machine. */
export class OAuth1LoopbackFlow extends OAuth1Flow {
  readonly id = 'oauth1-loopback';
  readonly steps = ['consumerKey', 'keyPair', 'applicationLink', 'allowAccess'] as const;
  readonly options: FlowOptions = { extensionHosts: ['local'], deployments: ['server', 'cloud'], needsClientSecret: false, redirect: 'loopback' };
  protected authorize(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
    return authorizeLoopback(ctx, draft);
  }
}

