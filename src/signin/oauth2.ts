import { t } from '../l10n';
import { siteLabel } from '../store/accounts';
import { oauth2Auth } from '../store/oauth2Tokens';
import type { AccountMeta, SiteInfo } from '../store/types';
import type { Core } from '../coreLoader';
import type { OAuth2Endpoints, OAuth2Tokens } from '../core';
import { fetchProfile, storeAccount } from './account';
import { abortable, answered, SignInError } from './errors';
import type { FlowContext, FlowOptions, FlowStep, SignInFlow } from './flows';
import { OAUTH2_DC_MIN_VERSION } from './flows';
import { LoopbackTimeoutError, signInPages, startOAuth2Loopback } from './loopback';

/** Data Center scopes (WRITE includes READ; both are sent so a link limited to READ says so). */
export const DC_SCOPES = ['READ', 'WRITE'];
/** Jira Cloud 3LO scopes: the views read and comment; offline_access for a refresh token. */
export const CLOUD_SCOPES = ['read:jira-work', 'read:jira-user', 'write:jira-work', 'offline_access'];
/** Path of the redirect on the loopback listener and on the extension's URI handler. */
export const OAUTH2_CALLBACK_PATH = '/oauth2-callback';
/**
 * Redirect URI where neither the loopback listener nor the URI handler can be used: nothing
 * listens on this port, so the browser shows an error page whose address (with the code) the
 * user pastes into VS Code. A fixed port, so that it can be registered with the client.
 */
export const PASTE_REDIRECT_URI = `http://127.0.0.1:33418${OAUTH2_CALLBACK_PATH}`;

type RedirectMode = 'loopback' | 'uri' | 'paste';

function deniedError(): SignInError {
  return new SignInError('denied', t('Access was denied in the browser, so you are not signed in. To sign in, run "Jira: Sign In" again and click Allow.'));
}

/** What the paste box says when a bare code cannot be accepted (no PKCE: Jira Cloud). */
function wholeAddressNeeded(): string {
  return t('Paste the whole address the browser ended on (with code= and state=): without PKCE (Jira Cloud), only the state in it ties the code to this sign-in.');
}

/** Whether `text` is a bare code rather than an address or a query. */
function isBareCode(text: string): boolean {
  const s = text.trim();
  return !s.includes('=') && !s.includes('?') && /^[\w.~+/-]+$/.test(s);
}

/**
 * The code from what the browser came back with: a redirect URL (or its query), checked against
 * `state`, or, with PKCE only, a bare code the user copied (without PKCE, as on Jira Cloud, `state`
 * is the only thing that binds a code to this sign-in). Deny becomes SignInError 'denied'.
 */
export function codeFrom(core: Pick<Core, 'parseRedirect'>, text: string, state: string, pkce: boolean): string {
  const s = text.trim();
  if (isBareCode(s)) {
    if (pkce) return s;
    throw new SignInError('oauth2', wholeAddressNeeded());
  }
  try {
    return core.parseRedirect(s, state).code;
  } catch (err) {
    if ((err as { oauth2Error?: string })?.oauth2Error === 'access_denied') throw deniedError();
    throw err;
  }
}

/** The redirect mode for this window: loopback where the host is local, else the URI handler (with the paste box), else the paste box. */
export function redirectMode(ctx: Pick<FlowContext, 'deps' | 'args'>): RedirectMode {
  const wanted = ctx.args.redirect ?? ctx.deps.settings().oauth2Redirect ?? 'auto';
  if (wanted !== 'auto') return wanted === 'uri' && !ctx.deps.uriCallbacks ? 'paste' : wanted;
  if (ctx.deps.extensionHost === 'local') return 'loopback';
  return ctx.deps.uriCallbacks ? 'uri' : 'paste';
}

/** The client id and secret: given, reused from SecretStorage (after asking), or entered. */
async function askClient(ctx: FlowContext, where: string): Promise<{ clientId: string; clientSecret: string; saved: boolean }> {
  const { deps, site, args } = ctx;
  if (args.clientId) return { clientId: args.clientId.trim(), clientSecret: (args.clientSecret ?? '').trim(), saved: false };
  const stored = await deps.oauth2Clients.get(site.baseUrl);
  if (stored?.clientSecret) {
    const reuse = answered(
      await deps.prompter.pick<boolean>({
        title: t('{0}: OAuth 2.0 client', ctx.title),
        steps: ctx.step('client'),
        placeholder: t('Use the OAuth 2.0 client saved for {0}?', siteLabel(site.baseUrl)),
        items: [
          { label: `$(key) ${t('Use the Saved Client {0}', stored.clientId)}`, detail: t('The client id and secret you entered before (kept in VS Code\'s secret storage).'), value: true },
          { label: `$(edit) ${t('Enter Another Client Id and Secret...')}`, value: false },
        ],
      }),
    );
    if (reuse) return { clientId: stored.clientId, clientSecret: stored.clientSecret, saved: true };
  }
  const clientId = answered(
    await deps.prompter.input({
      title: t('{0}: client id', ctx.title),
      steps: ctx.step('client'),
      prompt: `${t('OAuth 2.0 client id.')} ${where}`,
      value: stored?.clientId,
      validate: (v) => (!v.trim() ? t('Enter the client id.') : /\s/.test(v.trim()) ? t('The client id cannot contain spaces.') : undefined),
    }),
  ).trim();
  const clientSecret = answered(
    await deps.prompter.input({
      title: t('{0}: client secret', ctx.title),
      steps: ctx.step('client'),
      prompt: `${t('OAuth 2.0 client secret (kept in VS Code\'s secret storage, offered again next time).')} ${where}`,
      password: true,
      validate: (v) => (v.trim() ? undefined : t('Enter the client secret.')),
    }),
  ).trim();
  return { clientId, clientSecret, saved: false };
}

/**
 * The URI handler's redirect URI, if it can be one: vscode://publisher.name/oauth2-callback
 * (desktop, also remote over SSH). In the browser (code-server, Codespaces) asExternalUri gives a
 * callback URL with a per-request query (vscode-reqid=...), which no application link can have
 * registered and which link rewriting mangles: there the address is pasted instead.
 */
async function handlerUri(ctx: Pick<FlowContext, 'deps'>): Promise<string | undefined> {
  const cb = ctx.deps.uriCallbacks;
  if (!cb) return undefined;
  try {
    const uri = await cb.externalUri(OAUTH2_CALLBACK_PATH);
    if (new URL(uri).search) {
      ctx.deps.log.info('the URI handler is reachable only through a per-request callback URL; asking for the address instead');
      return undefined;
    }
    return uri;
  } catch (err) {
    ctx.deps.log.warn(`the URI handler cannot be used: ${(err as Error)?.message ?? String(err)}`);
    return undefined;
  }
}

/** The browser part: opens the consent page and gets the redirect back (loopback, URI handler, paste, or args.authorize). */
async function authorize(ctx: FlowContext, build: (redirectUri: string) => string, state: string, pkce: boolean): Promise<{ redirect: string; redirectUri: string }> {
  const { deps, site, args } = ctx;
  const host = siteLabel(site.baseUrl);
  if (args.authorize) {
    const redirectUri = (args.redirect === 'uri' ? await handlerUri(ctx) : undefined) ?? PASTE_REDIRECT_URI;
    const url = build(redirectUri);
    const redirect = await deps.prompter.progress(t('Waiting for you to allow access in the browser ({0})...', host), (signal) => args.authorize!(url, signal));
    return { redirect, redirectUri };
  }
  let mode = redirectMode(ctx);
  let handler: string | undefined;
  if (mode === 'uri') {
    handler = await handlerUri(ctx);
    if (!handler) mode = 'paste';
  }
  deps.log.info(`OAuth 2.0 redirect: ${mode}`);
  if (mode === 'loopback') {
    let server: Awaited<ReturnType<typeof startOAuth2Loopback>> | undefined;
    try {
      server = await startOAuth2Loopback(signInPages(), { state, path: OAUTH2_CALLBACK_PATH });
    } catch (err) {
      deps.log.error('could not listen on 127.0.0.1 for the OAuth 2.0 redirect; asking for the address instead', err);
    }
    if (server) {
      const s = server;
      try {
        const url = build(s.redirectUri);
        if (!(await deps.prompter.openExternal(url))) deps.log.warn('the browser did not open the consent page');
        const redirect = await deps.prompter.progress(t('Waiting for you to allow access in the browser ({0})...', host), (signal) => abortable(s.result, signal));
        return { redirect, redirectUri: s.redirectUri };
      } catch (err) {
        if (!(err instanceof LoopbackTimeoutError)) throw err;
        throw new SignInError('oauth2', t('No answer came back from the browser within 5 minutes. Run "Jira: Sign In" again and click Allow.'), err);
      } finally {
        s.close();
      }
    }
  }
  const redirectUri = handler ?? PASTE_REDIRECT_URI;
  const url = build(redirectUri);
  if (!(await deps.prompter.openExternal(url))) deps.log.warn('the browser did not open the consent page');
  // The URI handler answers by itself where it reaches; the box takes a pasted address meanwhile.
  const ac = new AbortController();
  const viaHandler = mode === 'uri' ? deps.uriCallbacks!.wait(state, ac.signal) : new Promise<string>(() => undefined);
  viaHandler.catch(() => undefined);
  const viaBox = deps.prompter
    .input({
      title: t('{0}: allow access', ctx.title),
      steps: ctx.step('allowAccess'),
      prompt: !pkce
        ? mode === 'uri'
          ? t('Click Allow in the browser; VS Code continues by itself. If it does not, paste the whole address the browser ended on: Jira Cloud has no PKCE, so the state in it proves the code is for this sign-in.')
          : t('Click Allow in the browser, then paste the whole address the browser ended on (code=...&state=...): Jira Cloud has no PKCE, so the state in it proves the code is for this sign-in.')
        : mode === 'uri'
          ? t('Click Allow in the browser; VS Code continues by itself. If it does not, paste the address the browser ended on (or the code).')
          : t('Click Allow in the browser, then paste the address the browser ended on (it contains code=...), or just the code.'),
      placeholder: `${redirectUri}?code=...&state=...`,
      signal: ac.signal,
      validate: (v) => (!v.trim() ? t('Paste the address from the browser, or the code.') : !pkce && isBareCode(v) ? wholeAddressNeeded() : undefined),
      buttons: [{ id: 'open', icon: 'link-external', tooltip: t('Open the Consent Page Again') }],
      onButton: async () => {
        await deps.prompter.openExternal(url);
      },
    })
    .then((v) => (ac.signal.aborted ? new Promise<string>(() => undefined) : answered(v)));
  try {
    const redirect = await Promise.race([viaHandler, viaBox]);
    return { redirect, redirectUri };
  } finally {
    ac.abort();
  }
}

abstract class OAuth2Flow implements SignInFlow {
  readonly method = 'oauth2' as const;
  abstract readonly id: string;
  abstract readonly options: FlowOptions;
  abstract readonly steps: readonly FlowStep[];
  abstract readonly label: string;
  abstract readonly detail: string;
  // What differs between Data Center and Cloud, as data (the subclasses):
  /** Scopes asked for on the consent page. */
  protected abstract readonly scopes: readonly string[];
  /** Proof Key for Code Exchange (Data Center has it; Cloud's 3LO has not). */
  protected abstract readonly pkce: boolean;
  /** Where the client id and secret come from (shown in the boxes). */
  protected abstract readonly clientHelp: string;
  protected abstract endpoints(core: Core, ctx: FlowContext): OAuth2Endpoints;
  /** Extra parameters of the authorize URL. */
  protected authorizeExtra(_core: Core): Record<string, string> | undefined {
    return undefined;
  }
  /** The server that hands out the token (shown in the progress). */
  protected tokenServer(ctx: FlowContext, _endpoints: OAuth2Endpoints): string {
    return ctx.site.baseUrl;
  }
  /** The account's site and where its API is: the site signed in to (Data Center); Cloud picks it after consent. */
  protected async target(ctx: FlowContext, _core: Core, _endpoints: OAuth2Endpoints, _accessToken: string): Promise<{ site: SiteInfo; extra: Partial<AccountMeta> }> {
    return { site: ctx.site, extra: {} };
  }

  async trigger(ctx: FlowContext): Promise<AccountMeta> {
    const { deps, site } = ctx;
    const core = await deps.core();
    const endpoints = this.endpoints(core, ctx);
    const client = await askClient(ctx, this.clientHelp);
    const state = core.randomState();
    const pkce = this.pkce ? core.createPkce() : undefined;
    const { redirect, redirectUri } = await authorize(
      ctx,
      (redirectUri) =>
        core.buildAuthorizeUrl({
          endpoints,
          clientId: client.clientId,
          redirectUri,
          scopes: [...this.scopes],
          state,
          pkce,
          extra: this.authorizeExtra(core),
        }),
      state,
      !!pkce,
    );
    const code = codeFrom(core, redirect, state, !!pkce);
    const tokens: OAuth2Tokens = await deps.prompter.progress(t('Getting the access token from {0}...', siteLabel(this.tokenServer(ctx, endpoints))), (signal) =>
      core.exchangeCode({ endpoints, clientId: client.clientId, clientSecret: client.clientSecret || undefined, code, redirectUri, codeVerifier: pkce?.verifier, signal, userAgent: deps.userAgent }),
    );
    const { site: target, extra } = await this.target(ctx, core, endpoints, tokens.accessToken);
    const apiBase = extra.apiBaseUrl ?? target.baseUrl;
    const profile = await deps.prompter.progress(t('Getting your Jira profile from {0}...', siteLabel(target.baseUrl)), (signal) =>
      fetchProfile(ctx, { type: 'oauth2', accessToken: tokens.accessToken }, signal, apiBase),
    );
    const auth = oauth2Auth({ clientId: client.clientId, ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}), endpoints: { ...endpoints } }, tokens);
    const account = await storeAccount({ ...ctx, site: target }, auth, extra, profile);
    if (!client.saved) {
      await deps.oauth2Clients.set(site.baseUrl, client).catch((err) => deps.log.warn(`could not save the OAuth 2.0 client for ${site.baseUrl}: ${(err as Error)?.message}`));
    }
    return account;
  }
}

/** OAuth 2.0 with PKCE against Jira Data Center's incoming application link (8.22+). */
export class OAuth2DataCenterFlow extends OAuth2Flow {
  readonly id = 'oauth2-dc';
  readonly steps = ['client', 'allowAccess'] as const;
  protected readonly scopes = DC_SCOPES;
  protected readonly pkce = true;
  readonly options: FlowOptions = { extensionHosts: ['local', 'remote'], deployments: ['server'], minServerVersion: OAUTH2_DC_MIN_VERSION, needsClientSecret: true };
  get label(): string {
    return t('OAuth 2.0');
  }
  get detail(): string {
    return t('Jira Data Center 8.22 or later: an administrator creates an incoming OAuth 2.0 application link and gives you its client id and secret; you allow access in the browser (SSO works there).');
  }
  protected get clientHelp(): string {
    return t('From the incoming OAuth 2.0 application link in Jira (Administration > Applications > Application links > Create link > External application > Incoming).');
  }
  protected endpoints(core: Core, ctx: FlowContext): OAuth2Endpoints {
    return core.dataCenterEndpoints(ctx.site.baseUrl);
  }
}

/** OAuth 2.0 (3LO) for Jira Cloud: an Atlassian developer console app, site chosen after consent. */
export class OAuth2CloudFlow extends OAuth2Flow {
  readonly id = 'oauth2-cloud';
  readonly steps = ['client', 'allowAccess', 'cloudSite'] as const;
  protected readonly scopes = CLOUD_SCOPES;
  protected readonly pkce = false;
  readonly options: FlowOptions = { extensionHosts: ['local', 'remote'], deployments: ['cloud'], needsClientSecret: true };
  get label(): string {
    return t('OAuth 2.0 (3LO)');
  }
  get detail(): string {
    return t('Jira Cloud: an OAuth 2.0 app from the Atlassian developer console (client id and secret); you allow access in the browser and choose the site.');
  }
  protected get clientHelp(): string {
    return t('From your OAuth 2.0 (3LO) app in the Atlassian developer console (developer.atlassian.com > Settings).');
  }
  protected endpoints(core: Core, ctx: FlowContext): OAuth2Endpoints {
    return core.cloudEndpoints(ctx.deps.settings().cloudEndpoints ?? {});
  }
  protected authorizeExtra(core: Core): Record<string, string> {
    return { ...core.CLOUD_AUTHORIZE_EXTRA };
  }
  /** Atlassian's token endpoint, not the site. */
  protected tokenServer(_ctx: FlowContext, endpoints: OAuth2Endpoints): string {
    return endpoints.token;
  }
  /** The site chosen among those the app may access; requests go through api.atlassian.com/ex/jira/{cloudId}. */
  protected async target(ctx: FlowContext, core: Core, endpoints: OAuth2Endpoints, accessToken: string): Promise<{ site: SiteInfo; extra: Partial<AccountMeta> }> {
    const chosen = await this.chooseSite(ctx, core, endpoints, accessToken);
    return {
      site: { baseUrl: chosen.url.replace(/\/+$/, '') || ctx.site.baseUrl, title: chosen.name, version: ctx.site.version, deploymentType: 'Cloud' },
      extra: { cloudId: chosen.id, apiBaseUrl: core.cloudApiBaseUrl(endpoints, chosen.id) },
    };
  }

  /** Cloud: the sites the token may access; the only one, the one given, or a pick. */
  private async chooseSite(ctx: FlowContext, core: Core, endpoints: OAuth2Endpoints, accessToken: string) {
    const { deps, site, args } = ctx;
    const all = await deps.prompter.progress(t('Getting the Jira sites you can access...'), (signal) => core.accessibleResources({ endpoints, accessToken, signal }));
    const sites = all.filter((r) => !r.scopes.length || r.scopes.some((s) => /jira/.test(s)));
    if (!sites.length) {
      throw new SignInError('no_site', t('The app was allowed, but it has no access to any Jira site. In the consent page, choose a Jira site; the app needs the Jira scopes (read:jira-work, read:jira-user).'));
    }
    if (args.cloudId) {
      const given = sites.find((r) => r.id === args.cloudId);
      if (!given) throw new SignInError('invalid_argument', t('No accessible Jira site has the cloud id {0}.', args.cloudId));
      return given;
    }
    if (sites.length === 1) return sites[0];
    const same = (u: string) => u.replace(/\/+$/, '').toLowerCase() === site.baseUrl.toLowerCase();
    const ordered = [...sites.filter((r) => same(r.url)), ...sites.filter((r) => !same(r.url))];
    return answered(
      await deps.prompter.pick({
        title: t('{0}: Jira site', ctx.title),
        steps: ctx.step('cloudSite'),
        placeholder: t('Which Jira site do you want to use?'),
        items: ordered.map((r) => ({ label: r.name, description: r.url, detail: same(r.url) ? t('The site you entered') : undefined, value: r })),
      }),
    );
  }

}
