import { errorMessage, t } from '../l10n';
import { newId } from '../util/id';
import { siteLabel } from '../store/accounts';
import { requestTokenFresh } from '../store/pending';
import type { AccountAuth, AccountMeta, PendingRequestToken, PendingSignIn, SiteInfo } from '../store/types';
import type { Core } from '../coreLoader';
import type { SignInDeps } from './deps';
import { abortable, answered, cancelled, isCancellation, SignInError } from './errors';
import type { FlowContext, FlowOptions, SignInFlow } from './flows';
import { LoopbackTimeoutError, loopbackPage, startLoopback } from './loopback';
import { applicationLinksUrl } from './site';
import { fetchProfile, Myself, storeAccount } from './account';

/** Steps of the OAuth 1.0a sign-in: site, consumer key and key, application link, authorize, finish. */
export const OAUTH1_STEPS = 5;

/** oauth_problem values that mean the application link is missing or does not match our key. */
export const APPLINK_PROBLEMS = ['consumer_key_unknown', 'consumer_key_rejected', 'consumer_key_refused', 'signature_invalid', 'signature_method_rejected'];

/** The state of an OAuth 1.0a sign-in while it runs (persisted in PendingStore when `persisted`). */
export interface Draft {
  meta: PendingSignIn;
  privateKeyPem: string;
  request?: PendingRequestToken;
  /** false for keys passed as arguments (tests, other extensions): nothing is written until success. */
  persisted: boolean;
}

interface KeyMaterial {
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
}

export function oauthProblemOf(err: unknown): string | undefined {
  const p = (err as { oauthProblem?: unknown })?.oauthProblem;
  return typeof p === 'string' ? p : undefined;
}

export function isApplinkProblem(err: unknown): boolean {
  const p = oauthProblemOf(err);
  return !!p && APPLINK_PROBLEMS.includes(p);
}

function deniedError(): SignInError {
  return new SignInError('denied', t('Access was denied in Jira, so you are not signed in. To sign in, run "Jira: Sign In" again and click Allow on the Jira page.'));
}

/** Consumer keys are free text in Jira; keep them copy-paste safe. */
export function validateConsumerKey(v: string): string | undefined {
  const s = v.trim();
  if (!s) return t('Enter a consumer key (any unique name, e.g. vscode-jira).');
  if (/\s/.test(s)) return t('The consumer key cannot contain spaces.');
  if (s.length > 200) return t('The consumer key is too long (at most 200 characters).');
  return undefined;
}

/** Generates an RSA key pair off the main thread, with a cancellable progress notification. */
export async function generateKey(deps: SignInDeps): Promise<KeyMaterial> {
  const core = await deps.core();
  const bits = deps.settings().keySize;
  const pair = await deps.prompter.progress(t('Generating an RSA {0}-bit key pair...', bits), (signal) =>
    abortable(core.generateKeyPair({ modulusLength: bits }), signal),
  );
  deps.log.info(`generated an RSA ${bits}-bit key pair`);
  return { ...pair, fingerprint: core.keyFingerprint(pair.publicKeyPem) };
}

/**
 * Reads a private key (PKCS#1, PKCS#8, encrypted PKCS#8), asking for the passphrase when needed,
 * and returns it as unencrypted PKCS#8 (for SecretStorage) with its public key.
 */
export async function importPem(deps: SignInDeps, pem: string, passphrase?: string, title = t('Jira: Import Private Key')): Promise<KeyMaterial> {
  const core = await deps.core();
  let message: string | undefined;
  for (;;) {
    try {
      const key = core.loadPrivateKey(pem, { passphrase });
      const privateKeyPem = String(key.export({ type: 'pkcs8', format: 'pem' }));
      const publicKeyPem = core.derivePublicKeyPem(key);
      return { privateKeyPem, publicKeyPem, fingerprint: core.keyFingerprint(publicKeyPem) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'passphrase_required' && code !== 'wrong_passphrase') throw err;
      if (code === 'wrong_passphrase') message = errorMessage(err);
      passphrase = answered(
        await deps.prompter.input({
          title,
          password: true,
          prompt: t('This private key is encrypted. Enter its passphrase (it is used once to read the key and not stored).'),
          validationMessage: message,
          validate: (v) => (v ? undefined : t('Enter the passphrase.')),
        }),
      );
    }
  }
}

/** Lets the user pick a private key file and reads it (the file is not copied anywhere). */
export async function importKeyFile(deps: SignInDeps, title: string): Promise<KeyMaterial> {
  const file = answered(
    await deps.prompter.openFile({
      title: t('Choose the private key of the application link (PEM)'),
      filters: { [t('Private keys')]: ['pem', 'key', 'txt'], [t('All files')]: ['*'] },
    }),
  );
  deps.log.info(`importing a private key from ${file.name}`);
  return importPem(deps, file.content, undefined, title);
}

/** Asks before a new sign-in replaces the pending one (its key pair would be lost). */
export async function confirmReplacePending(deps: SignInDeps, newSite: string): Promise<void> {
  const p = deps.pending.get();
  if (!p) return;
  const replace = t('Replace');
  const answer = await deps.prompter.notify(
    'warning',
    t('Replace the sign-in in progress for {0}?', siteLabel(p.site.baseUrl)),
    {
      modal: true,
      detail: t('Its key pair will be deleted, and an application link created with its public key (consumer key "{0}") will no longer work. The new sign-in is for {1}.', p.consumerKey, siteLabel(newSite)),
    },
    replace,
  );
  if (answer !== replace) throw cancelled();
}

function newPending(site: SiteInfo, consumerKey: string, key: KeyMaterial, source: PendingSignIn['keySource'], step: PendingSignIn['step']): PendingSignIn {
  const now = Date.now();
  return {
    id: newId(),
    method: 'oauth1',
    step,
    site,
    consumerKey,
    publicKeyPem: key.publicKeyPem,
    keyFingerprint: key.fingerprint,
    keySource: source,
    createdAt: now,
    updatedAt: now,
  };
}

export async function askConsumerKey(deps: SignInDeps, title: string, step: number, totalSteps: number, value: string): Promise<string> {
  return answered(
    await deps.prompter.input({
      title,
      steps: { step, totalSteps },
      prompt: t('Consumer key for the application link in Jira. Keep the proposal or enter the key of an existing link.'),
      value,
      validate: validateConsumerKey,
    }),
  ).trim();
}

/** Step 2: consumer key and key pair (generate, import, or reuse); starts the pending sign-in. */
async function prepareDraft(ctx: FlowContext): Promise<Draft> {
  const { deps, site, args } = ctx;
  const pending = deps.pending.get();
  const samePending = pending && pending.site.baseUrl === site.baseUrl ? pending : undefined;
  const consumerKey = args.consumerKey?.trim() || (await askConsumerKey(deps, t('{0}: consumer key', ctx.title), 2, OAUTH1_STEPS, samePending?.consumerKey ?? deps.proposedConsumerKey()));
  const invalid = args.consumerKey ? validateConsumerKey(args.consumerKey) : undefined;
  if (invalid) throw new SignInError('invalid_argument', invalid);

  if (args.privateKeyPem) {
    // A key handed over by a caller: its application link exists; nothing is stored before success.
    const key = await importPem(deps, args.privateKeyPem, args.passphrase);
    return { meta: newPending(site, consumerKey, key, 'imported', 'authorize'), privateKeyPem: key.privateKeyPem, persisted: false };
  }

  type Choice = 'generate' | 'import' | 'pending' | `account:${string}`;
  const items: Array<{ label: string; description?: string; detail?: string; value: Choice }> = [];
  const pendingSecrets = samePending && samePending.consumerKey === consumerKey ? await deps.pending.getSecrets() : undefined;
  if (samePending && pendingSecrets) {
    items.push({
      label: `$(history) ${t('Use the Key Pair Generated Earlier')}`,
      description: samePending.keyFingerprint,
      detail: t('Created {0} for consumer key "{1}".', new Date(samePending.createdAt).toLocaleString(), samePending.consumerKey),
      value: 'pending',
    });
  }
  for (const a of deps.accounts.list()) {
    if (a.method === 'oauth1' && a.site.baseUrl === site.baseUrl && a.consumerKey === consumerKey) {
      items.push({
        label: `$(account) ${t('Use the Key of {0}', a.displayName)}`,
        description: a.keyFingerprint,
        detail: t('The application link for consumer key "{0}" already works with this key.', consumerKey),
        value: `account:${a.id}`,
      });
    }
  }
  items.push(
    {
      label: `$(key) ${t('Generate a New Key Pair')}`,
      description: t('RSA {0}-bit', deps.settings().keySize),
      detail: t('The private key stays in VS Code\'s secret storage; you give Jira the public key.'),
      value: 'generate',
    },
    {
      label: `$(folder-opened) ${t('Import a Private Key File...')}`,
      description: 'PKCS#1 / PKCS#8',
      detail: t('For an existing application link. Encrypted keys are supported; the file is read once, not copied.'),
      value: 'import',
    },
  );
  const choice = answered(await deps.prompter.pick<Choice>({ title: t('{0}: key pair', ctx.title), steps: ctx.step(2), placeholder: t('Key pair for consumer key "{0}"', consumerKey), items }));

  if (choice === 'pending' && samePending && pendingSecrets) {
    return { meta: samePending, privateKeyPem: pendingSecrets.privateKeyPem, request: pendingSecrets.request, persisted: true };
  }
  await confirmReplacePending(deps, site.baseUrl);
  let key: KeyMaterial;
  let source: PendingSignIn['keySource'];
  let step: PendingSignIn['step'] = 'applink';
  if (choice.startsWith('account:')) {
    const auth = await deps.accounts.getAuth(choice.slice('account:'.length));
    if (!auth || auth.type !== 'oauth1') throw new SignInError('pending_lost', t('The key of that account is no longer in VS Code\'s secret storage.'));
    key = await importPem(deps, auth.privateKeyPem);
    source = 'account';
    step = 'authorize';
  } else {
    key = choice === 'generate' ? await generateKey(deps) : await importKeyFile(deps, ctx.title);
    source = choice === 'generate' ? 'generated' : 'imported';
  }
  const meta = newPending(site, consumerKey, key, source, step);
  await deps.pending.start(meta, key.privateKeyPem);
  deps.log.info(`sign-in to ${site.baseUrl} pending at step ${step} (consumer key ${consumerKey}, key ${key.fingerprint})`);
  return { meta, privateKeyPem: key.privateKeyPem, persisted: true };
}

/** The pending sign-in for this site, with its key; undefined when there is none. */
export async function loadDraft(deps: SignInDeps, site: SiteInfo): Promise<Draft | undefined> {
  const p = deps.pending.get();
  if (!p || p.site.baseUrl !== site.baseUrl) return undefined;
  const s = await deps.pending.getSecrets();
  if (!s) {
    await deps.pending.clear();
    throw new SignInError('pending_lost', t('The key pair of the sign-in to {0} is no longer in VS Code\'s secret storage (was the keychain reset?). Start the sign-in again.', siteLabel(site.baseUrl)));
  }
  return { meta: p, privateKeyPem: s.privateKeyPem, request: s.request, persisted: true };
}

async function setStep(deps: SignInDeps, draft: Draft, step: PendingSignIn['step']): Promise<void> {
  draft.meta = { ...draft.meta, step, updatedAt: Date.now() };
  if (draft.persisted) await deps.pending.update({ step });
}

async function setRequest(deps: SignInDeps, draft: Draft, request: PendingRequestToken | undefined): Promise<void> {
  draft.request = request;
  if (draft.persisted && deps.pending.get()?.id === draft.meta.id) await deps.pending.setRequestToken(request);
}

/** The actions of the application-link step, also used by commands and the walkthrough. */
export async function copyWithNotice(deps: SignInDeps, text: string, notice: string): Promise<void> {
  await deps.prompter.copy(text);
  void deps.prompter.notify('info', notice);
}

/**
 * Step 3: the user creates the application link in Jira (consumer key, consumer name, public key).
 * The pick stays open while they copy the keys or open Jira; "Continue" moves on.
 */
async function applicationLinkStep(ctx: FlowContext, draft: Draft): Promise<void> {
  const { deps } = ctx;
  const { consumerKey, publicKeyPem, keyFingerprint, site } = draft.meta;
  type A = 'continue' | 'open' | 'copyKey' | 'copyPublic' | 'walkthrough';
  const choice = answered(
    await deps.prompter.pick<A>({
      title: t('{0}: application link', ctx.title),
      steps: ctx.step(3),
      placeholder: t('In Jira, create an application link with incoming authentication: consumer key "{0}", consumer name "{1}", and the public key.', consumerKey, 'Visual Studio Code'),
      items: [
        { label: `$(check) ${t('Continue: the Application Link Is Created')}`, detail: t('Jira: Administration > Applications > Application links'), value: 'continue' },
        { label: `$(link-external) ${t('Open Application Links in Jira')}`, description: applicationLinksUrl(site.baseUrl), value: 'open' },
        { label: `$(copy) ${t('Copy Consumer Key')}`, description: consumerKey, value: 'copyKey' },
        { label: `$(copy) ${t('Copy Public Key')}`, description: keyFingerprint, value: 'copyPublic' },
        { label: `$(book) ${t('Show the Step-by-Step Walkthrough')}`, value: 'walkthrough' },
      ],
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

/**
 * Did the user click Deny for this request token? Asks Jira to exchange it with a dummy verifier:
 * a denied token answers permission_denied; a pending one permission_unknown; an allowed one
 * token_rejected (and stays usable). Never throws.
 */
async function probeDenied(ctx: FlowContext, draft: Draft, req: PendingRequestToken, core: Core): Promise<boolean> {
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
    return false;
  } catch (err) {
    const p = oauthProblemOf(err);
    return p === 'permission_denied' || p === 'user_refused';
  }
}

/**
 * Step 4, out of band: open the authorize page, then the verification code goes into an input
 * box. A refused code can be corrected; an expired or used request token is renewed and the
 * page opened again.
 */
async function authorizeOob(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
  const { deps, args } = ctx;
  const core = await deps.core();
  let req = await obtainRequestToken(ctx, draft, 'oob', core);
  const supplied = typeof args.verifier === 'function' ? args.verifier : undefined;
  let given = typeof args.verifier === 'string' ? args.verifier : undefined;
  let message: string | undefined;
  let value: string | undefined;
  let opened = false;
  let refusals = 0;
  const renew = async (why: string) => {
    await setRequest(deps, draft, undefined);
    req = await obtainRequestToken(ctx, draft, 'oob', core);
    opened = false;
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
          steps: ctx.step(4),
          prompt: t('Click Allow on the Jira page that opened in your browser, then paste the verification code Jira shows.'),
          placeholder: t("Your verification code is 'XXXXXX'"),
          value,
          validationMessage: message,
          validate: (v) => {
            if (!v.trim()) return t('Paste the verification code from the Jira page.');
            try {
              core.parseVerifier(v);
              return undefined;
            } catch (e) {
              return errorMessage(e);
            }
          },
          buttons: [{ id: 'open', icon: 'link-external', tooltip: t('Open the Jira Authorization Page Again') }],
          onButton: async () => {
            await deps.prompter.openExternal(current.authorizeUrl);
          },
          signal: closeBox.signal,
        });
      } finally {
        focus?.dispose();
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
      await renew(t('The authorization expired (Jira allows 10 minutes), so a new Jira page was opened in your browser. Click Allow there and paste the new code.'));
      continue;
    }
    try {
      return await exchange(ctx, draft, req, verifier, core);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const problem = oauthProblemOf(err);
      deps.log.warn(`access token refused${problem ? ` (${problem})` : ''}`);
      if (problem === 'permission_denied' || problem === 'user_refused') throw deniedError();
      if (problem === 'token_expired' || problem === 'token_used' || (problem === 'token_rejected' && refusals >= 2)) {
        await renew(
          problem === 'token_expired'
            ? t('The authorization expired (Jira allows 10 minutes), so a new Jira page was opened in your browser. Click Allow there and paste the new code.')
            : t('Jira no longer accepts that authorization, so a new Jira page was opened in your browser. Click Allow there and paste the new code.'),
        );
        continue;
      }
      if (problem === 'token_rejected' || problem === 'parameter_rejected' || problem === 'verifier_invalid') {
        refusals++;
        message = t('Jira refused this verification code. Copy the code from the latest Jira page (after clicking Allow) and try again.');
        value = code;
        continue;
      }
      if (problem === 'permission_unknown') {
        message = t('Jira says access was not allowed yet. Click Allow on the Jira page first, then paste the code it shows.');
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
    server = await startLoopback({
      success: loopbackPage(t('Jira: access allowed'), t('VS Code received the authorization. You can close this tab and return to VS Code.')),
      denied: loopbackPage(t('Jira: access denied'), t('You denied access, so VS Code is not signed in. You can close this tab.')),
      invalid: loopbackPage(t('Jira sign-in'), t('This link does not belong to the sign-in in progress. Start the sign-in again from VS Code.')),
    });
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

abstract class OAuth1Flow implements SignInFlow {
  readonly method = 'oauth1' as const;
  abstract readonly id: string;
  abstract readonly options: FlowOptions;
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
      // A request token is single use: never keep one past a failed or cancelled attempt.
      if (draft.request) await setRequest(deps, draft, undefined).catch(() => undefined);
      throw err;
    }
    const meta = await storeAccount(
      ctx,
      exchanged.auth,
      { consumerKey: draft.meta.consumerKey, publicKeyPem: draft.meta.publicKeyPem, keyFingerprint: draft.meta.keyFingerprint },
      exchanged.profile,
    );
    if (draft.persisted && deps.pending.get()?.id === draft.meta.id) await deps.pending.clear();
    return meta;
  }
}

/** OAuth 1.0a with Jira's verification code typed into VS Code: works everywhere. */
export class OAuth1OobFlow extends OAuth1Flow {
  readonly id = 'oauth1-oob';
  readonly options: FlowOptions = { extensionHosts: ['local', 'remote', 'web'], deployments: ['server', 'cloud'], needsClientSecret: false };
  protected authorize(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
    return authorizeOob(ctx, draft);
  }
}

/** OAuth 1.0a with a loopback callback: only where the extension host shares the browser's machine. */
export class OAuth1LoopbackFlow extends OAuth1Flow {
  readonly id = 'oauth1-loopback';
  readonly options: FlowOptions = { extensionHosts: ['local'], deployments: ['server', 'cloud'], needsClientSecret: false };
  protected authorize(ctx: FlowContext, draft: Draft): Promise<Exchanged> {
    return authorizeLoopback(ctx, draft);
  }
}

