import { t } from '../l10n';
import { siteLabel } from '../store/accounts';
import { oauth2Auth } from '../store/oauth2Tokens';
import type { AccountMeta, SiteInfo } from '../store/types';
import type { Core } from '../coreLoader';
import type { OAuth2Endpoints, OAuth2Tokens } from '../core';
import { fetchProfile, storeAccount } from './account';
import { abortable, answered, SignInError } from './errors';
import type { ExtensionHostKind } from './deps';
import type { DeploymentKind, FlowContext, FlowOptions, FlowStep, Redirect, SignInFlow } from './flows';
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

/** The client, asked once per sign-in: a flow that steps aside leaves it to the next one. */
async function sharedClient(ctx: FlowContext, where: string): ReturnType<typeof askClient> {
  const shared = ctx.shared as { oauth2Client?: Awaited<ReturnType<typeof askClient>> };
  shared.oauth2Client ??= await askClient(ctx, where);
  return shared.oauth2Client;
}

/** One consent attempt: the authorize URL for a redirect URI, and what ties the answer to this sign-in. */
interface Consent {
  url(redirectUri: string): string;
  readonly state: string;
  readonly pkce: boolean;
}

/** What the browser came back with (a redirect URL, its query, or a code) and the redirect URI it was sent to. */
interface Answer {
  readonly redirect: string;
  readonly redirectUri: string;
}

function waitingForBrowser(ctx: FlowContext): string {
  return t('Waiting for you to allow access in the browser ({0})...', siteLabel(ctx.site.baseUrl));
}

async function openConsentPage(ctx: FlowContext, url: string): Promise<void> {
  if (!(await ctx.deps.prompter.openExternal(url))) ctx.deps.log.warn('the browser did not open the consent page');
}

/** A caller that approves in the browser itself (args.authorize: scripts, tests): no listener, no box. */
async function consentByCaller(ctx: FlowContext, consent: Consent): Promise<Answer> {
  const redirectUri = (ctx.args.redirect === 'uri' ? await handlerUri(ctx) : undefined) ?? PASTE_REDIRECT_URI;
  const url = consent.url(redirectUri);
  const redirect = await ctx.deps.prompter.progress(waitingForBrowser(ctx), (signal) => ctx.args.authorize!(url, signal));
  return { redirect, redirectUri };
}

/**
 * Opens the consent page and takes the address the user pastes; with `viaHandler`, VS Code's URI
 * handler answers by itself where it reaches, and the box closes.
 */
async function pasteBox(ctx: FlowContext, consent: Consent, redirectUri: string, viaHandler?: (signal: AbortSignal) => Promise<string>): Promise<Answer> {
  const { deps } = ctx;
  const url = consent.url(redirectUri);
  await openConsentPage(ctx, url);
  const ac = new AbortController();
  const handled = viaHandler ? viaHandler(ac.signal) : new Promise<string>(() => undefined);
  handled.catch(() => undefined);
  const typed = deps.prompter
    .input({
      title: t('{0}: allow access', ctx.title),
      steps: ctx.step('allowAccess'),
      prompt: !consent.pkce
        ? viaHandler
          ? t('Click Allow in the browser; VS Code continues by itself. If it does not, paste the whole address the browser ended on: Jira Cloud has no PKCE, so the state in it proves the code is for this sign-in.')
          : t('Click Allow in the browser, then paste the whole address the browser ended on (code=...&state=...): Jira Cloud has no PKCE, so the state in it proves the code is for this sign-in.')
        : viaHandler
          ? t('Click Allow in the browser; VS Code continues by itself. If it does not, paste the address the browser ended on (or the code).')
          : t('Click Allow in the browser, then paste the address the browser ended on (it contains code=...), or just the code.'),
      placeholder: `${redirectUri}?code=...&state=...`,
      signal: ac.signal,
      validate: (v) => (!v.trim() ? t('Paste the address from the browser, or the code.') : !consent.pkce && isBareCode(v) ? wholeAddressNeeded() : undefined),
      buttons: [{ id: 'open', icon: 'link-external', tooltip: t('Open the Consent Page Again') }],
      onButton: async () => {
        await deps.prompter.openExternal(url);
      },
    })
    .then((v) => (ac.signal.aborted ? new Promise<string>(() => undefined) : answered(v)));
  try {
    return { redirect: await Promise.race([handled, typed]), redirectUri };
  } finally {
    ac.abort();
  }
}

/**
 * What differs between Jira Data Center and Jira Cloud, as data: one row per deployment, shared
 * by the three redirect flows.
 */
export interface OAuth2Deployment {
  readonly deployment: DeploymentKind;
  /** Lowest Data Center version (the flows' `minServerVersion`). */
  readonly minServerVersion?: string;
  /** The flows' steps (the step counter). */
  readonly steps: readonly FlowStep[];
  /** Scopes asked for on the consent page. */
  readonly scopes: readonly string[];
  /** Proof Key for Code Exchange (Data Center has it; Cloud's 3LO has not). */
  readonly pkce: boolean;
  /** The method picker's words (localised on access). */
  label(): string;
  detail(): string;
  /** Where the client id and secret come from (shown in the boxes). */
  clientHelp(): string;
  endpoints(core: Core, ctx: FlowContext): OAuth2Endpoints;
  /** Extra parameters of the authorize URL. */
  authorizeExtra?(core: Core): Record<string, string>;
  /** The server that hands out the token (shown in the progress). */
  tokenServer(ctx: FlowContext, endpoints: OAuth2Endpoints): string;
  /** The account's site and where its API is; by default the site signed in to. */
  target?(ctx: FlowContext, core: Core, endpoints: OAuth2Endpoints, accessToken: string): Promise<{ site: SiteInfo; extra: Partial<AccountMeta> }>;
}

/** OAuth 2.0 with PKCE against Jira Data Center's incoming application link (8.22+). */
export const DATA_CENTER: OAuth2Deployment = {
  deployment: 'server',
  minServerVersion: OAUTH2_DC_MIN_VERSION,
  steps: ['client', 'allowAccess'],
  scopes: DC_SCOPES,
  pkce: true,
  label: () => t('OAuth 2.0'),
  detail: () => t('Jira Data Center 8.22 or later: an administrator creates an incoming OAuth 2.0 application link and gives you its client id and secret; you allow access in the browser (SSO works there).'),
  clientHelp: () => t('From the incoming OAuth 2.0 application link in Jira (Administration > Applications > Application links > Create link > External application > Incoming).'),
  endpoints: (core, ctx) => core.dataCenterEndpoints(ctx.site.baseUrl),
  tokenServer: (ctx) => ctx.site.baseUrl,
};

/** OAuth 2.0 (3LO) for Jira Cloud: an Atlassian developer console app, site chosen after consent. */
export const CLOUD: OAuth2Deployment = {
  deployment: 'cloud',
  steps: ['client', 'allowAccess', 'cloudSite'],
  scopes: CLOUD_SCOPES,
  pkce: false,
  label: () => t('OAuth 2.0 (3LO)'),
  detail: () => t('Jira Cloud: an OAuth 2.0 app from the Atlassian developer console (client id and secret); you allow access in the browser and choose the site.'),
  clientHelp: () => t('From your OAuth 2.0 (3LO) app in the Atlassian developer console (developer.atlassian.com > Settings).'),
  endpoints: (core, ctx) => core.cloudEndpoints(ctx.deps.settings().cloudEndpoints ?? {}),
  authorizeExtra: (core) => ({ ...core.CLOUD_AUTHORIZE_EXTRA }),
  /** Atlassian's token endpoint, not the site. */
  tokenServer: (_ctx, endpoints) => endpoints.token,
  /** The site chosen among those the app may access; requests go through api.atlassian.com/ex/jira/{cloudId}. */
  async target(ctx, core, endpoints, accessToken) {
    const chosen = await chooseCloudSite(ctx, core, endpoints, accessToken);
    return {
      site: { baseUrl: chosen.url.replace(/\/+$/, '') || ctx.site.baseUrl, title: chosen.name, version: ctx.site.version, deploymentType: 'Cloud' },
      extra: { cloudId: chosen.id, apiBaseUrl: core.cloudApiBaseUrl(endpoints, chosen.id) },
    };
  },
};

/** Cloud: the sites the token may access; the only one, the one given, or a pick. */
async function chooseCloudSite(ctx: FlowContext, core: Core, endpoints: OAuth2Endpoints, accessToken: string) {
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

/** Where each redirect mode works: a loopback listener only helps where the browser runs too. */
const REDIRECT_HOSTS: Readonly<Record<Redirect, readonly ExtensionHostKind[]>> = {
  loopback: ['local'],
  uri: ['remote'],
  paste: ['local', 'remote'],
};

/**
 * An OAuth 2.0 sign-in for one deployment and one redirect mode: the client, the consent page,
 * the code exchanged for tokens, the profile, the account stored. The subclasses differ only in
 * how the browser's answer comes back (`consent`); the deployment's differences are its row.
 */
abstract class OAuth2Flow implements SignInFlow {
  readonly method = 'oauth2' as const;
  readonly options: FlowOptions;
  readonly steps: readonly FlowStep[];

  constructor(
    readonly id: string,
    private readonly deployment: OAuth2Deployment,
    redirect: Redirect,
  ) {
    this.steps = deployment.steps;
    this.options = {
      extensionHosts: REDIRECT_HOSTS[redirect],
      deployments: [deployment.deployment],
      minServerVersion: deployment.minServerVersion,
      needsClientSecret: true,
      redirect,
    };
  }

  get label(): string {
    return this.deployment.label();
  }
  get detail(): string {
    return this.deployment.detail();
  }

  /** Opens the consent page and gets the browser's answer, or steps aside (SignInError 'fallback'). */
  protected abstract consent(ctx: FlowContext, consent: Consent): Promise<Answer>;

  async trigger(ctx: FlowContext): Promise<AccountMeta> {
    const { deps, site } = ctx;
    const d = this.deployment;
    const core = await deps.core();
    const endpoints = d.endpoints(core, ctx);
    const client = await sharedClient(ctx, d.clientHelp());
    const state = core.randomState();
    const pkce = d.pkce ? core.createPkce() : undefined;
    const consent: Consent = {
      state,
      pkce: !!pkce,
      url: (redirectUri) =>
        core.buildAuthorizeUrl({ endpoints, clientId: client.clientId, redirectUri, scopes: [...d.scopes], state, pkce, extra: d.authorizeExtra?.(core) }),
    };
    const { redirect, redirectUri } = ctx.args.authorize ? await consentByCaller(ctx, consent) : await this.consent(ctx, consent);
    const code = codeFrom(core, redirect, state, !!pkce);
    const tokens: OAuth2Tokens = await deps.prompter.progress(t('Getting the access token from {0}...', siteLabel(d.tokenServer(ctx, endpoints))), (signal) =>
      core.exchangeCode({ endpoints, clientId: client.clientId, clientSecret: client.clientSecret || undefined, code, redirectUri, codeVerifier: pkce?.verifier, signal, userAgent: deps.userAgent }),
    );
    const { site: target, extra } = d.target ? await d.target(ctx, core, endpoints, tokens.accessToken) : { site: ctx.site, extra: {} as Partial<AccountMeta> };
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

/** The redirect comes to a one-shot listener on 127.0.0.1; steps aside when it cannot listen. */
class OAuth2LoopbackFlow extends OAuth2Flow {
  constructor(id: string, deployment: OAuth2Deployment) {
    super(id, deployment, 'loopback');
  }
  protected async consent(ctx: FlowContext, consent: Consent): Promise<Answer> {
    const { deps } = ctx;
    let server: Awaited<ReturnType<typeof startOAuth2Loopback>>;
    try {
      server = await startOAuth2Loopback(signInPages(), { state: consent.state, path: OAUTH2_CALLBACK_PATH });
    } catch (err) {
      deps.log.error('could not listen on 127.0.0.1 for the OAuth 2.0 redirect; asking for the address instead', err);
      throw new SignInError('fallback', '', err);
    }
    try {
      await openConsentPage(ctx, consent.url(server.redirectUri));
      const redirect = await deps.prompter.progress(waitingForBrowser(ctx), (signal) => abortable(server.result, signal));
      return { redirect, redirectUri: server.redirectUri };
    } catch (err) {
      if (!(err instanceof LoopbackTimeoutError)) throw err;
      throw new SignInError('oauth2', t('No answer came back from the browser within 5 minutes. Run "Jira: Sign In" again and click Allow.'), err);
    } finally {
      server.close();
    }
  }
}

/** The redirect comes to VS Code's URI handler (with the paste box open); steps aside where it cannot be a redirect URI. */
class OAuth2UriHandlerFlow extends OAuth2Flow {
  constructor(id: string, deployment: OAuth2Deployment) {
    super(id, deployment, 'uri');
  }
  protected async consent(ctx: FlowContext, consent: Consent): Promise<Answer> {
    const callbacks = ctx.deps.uriCallbacks;
    const handler = callbacks && (await handlerUri(ctx));
    if (!callbacks || !handler) throw new SignInError('fallback', '');
    return pasteBox(ctx, consent, handler, (signal) => callbacks.wait(consent.state, signal));
  }
}

/** The user pastes the address the browser ended on (nothing listens there): works everywhere. */
class OAuth2PasteFlow extends OAuth2Flow {
  constructor(id: string, deployment: OAuth2Deployment) {
    super(id, deployment, 'paste');
  }
  protected consent(ctx: FlowContext, consent: Consent): Promise<Answer> {
    return pasteBox(ctx, consent, PASTE_REDIRECT_URI);
  }
}

/** The OAuth 2.0 flows in preference order: for each deployment, loopback, URI handler, paste. */
export function oauth2Flows(): SignInFlow[] {
  return [
    new OAuth2LoopbackFlow('oauth2-dc-loopback', DATA_CENTER),
    new OAuth2UriHandlerFlow('oauth2-dc-uri', DATA_CENTER),
    new OAuth2PasteFlow('oauth2-dc-paste', DATA_CENTER),
    new OAuth2LoopbackFlow('oauth2-cloud-loopback', CLOUD),
    new OAuth2UriHandlerFlow('oauth2-cloud-uri', CLOUD),
    new OAuth2PasteFlow('oauth2-cloud-paste', CLOUD),
  ];
}
