// OAuth 2.0 provider of the emulator: Jira Data Center's incoming application link
// (/rest/oauth2/latest/authorize and /token: authorization code with PKCE S256 or plain, rotating
// refresh tokens, reuse of a rotated refresh token revokes the whole family), plus the token
// bookkeeping that cloud3lo.ts (Jira Cloud 3LO) shares. Access tokens work as
// `Authorization: Bearer` on the REST API (auth.ts asks bearerUser()).
import { createHash, randomBytes } from 'node:crypto';
import { contentType, Ctx, formBody, header, isJsonContentType, jsonBody, queryParam, redirect, sendHtml, sendJson } from './http';
import { esc, layout } from './pages';
import type { Router } from './router';
import type { EmulatorState, User } from './state';

/** A registered OAuth 2.0 client (an incoming application link on Data Center, an app on Cloud). */
export interface OAuth2ClientInput {
  clientId: string;
  /** Omit for a public client (Data Center only; it must use PKCE). */
  clientSecret?: string;
  /**
   * Allowed redirect URI prefixes. `:*` stands for any port (`http://127.0.0.1:*`).
   * Default DEFAULT_REDIRECT_PREFIXES.
   */
  redirectUris?: string[];
  /** Shown on the consent page. Default: the client id. */
  name?: string;
}

export interface OAuth2Client {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  name: string;
}

/** Loopback on any port, and the editor URI handlers (desktop VS Code, Insiders, OSS builds, code-server's /callback on loopback). */
export const DEFAULT_REDIRECT_PREFIXES = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*', 'vscode://', 'vscode-insiders://', 'code-oss://'];

/** The client every emulator has unless oauth2Clients says otherwise. */
export const DEFAULT_OAUTH2_CLIENT: OAuth2ClientInput = {
  clientId: 'vscode-jira',
  clientSecret: 'vscode-jira-secret',
  name: 'VS Code Jira',
};

export const DC_SCOPES = ['READ', 'WRITE', 'ADMIN', 'SYSTEM_ADMIN'];

export interface OAuth2Stats {
  /** Every POST to a token endpoint. */
  tokenCalls: number;
  /** Successful authorization_code grants. */
  codeExchanges: number;
  /** refresh_token grant calls (successful or not). */
  refreshCalls: number;
  /** Successful refreshes. */
  refreshes: number;
  /** Refreshes with an already-rotated refresh token (the family was revoked). */
  refreshReuse: number;
  /** Token endpoint calls that answered an error. */
  tokenErrors: number;
  approvals: number;
  denials: number;
  /** REST requests refused because the bearer token had expired. */
  expiredTokenRejections: number;
}

interface Grant {
  family: string;
  clientId: string;
  user: string;
  scope: string;
  /** Cloud 3LO: the site ids the grant covers. */
  sites?: string[];
}

export interface OAuth2TokenRecord extends Grant {
  kind: 'access' | 'refresh';
  token: string;
  /** Emulator-clock ms. */
  expiresAt: number;
  /** Refresh tokens: exchanged already (rotated out). */
  used: boolean;
  revoked: boolean;
}

interface CodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  user: string;
  challenge?: string;
  method?: string;
  expiresAt: number;
  used: boolean;
  cloud: boolean;
  sites?: string[];
  /** The family issued from it (revoked if the code is replayed). */
  family?: string;
}

export interface OAuth2Options {
  clients?: OAuth2ClientInput[];
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Default 90 days. */
  refreshTokenTtlSeconds?: number;
  /** Default true: every refresh returns a new refresh token and retires the old one. */
  rotateRefreshTokens?: boolean;
  /** Default 600. */
  codeTtlSeconds?: number;
}

export class OAuth2Error extends Error {
  constructor(readonly error: string, readonly description: string, readonly status = 400) {
    super(description);
  }
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function redirectAllowed(client: OAuth2Client, uri: string): boolean {
  if (!uri || /[\s#]/.test(uri)) return false;
  return client.redirectUris.some((p) => {
    const star = p.indexOf(':*');
    if (star < 0) return uri.startsWith(p);
    const head = p.slice(0, star + 1);
    const tail = p.slice(star + 2);
    if (!uri.startsWith(head)) return false;
    const m = /^(\d{1,5})(.*)$/.exec(uri.slice(head.length));
    return !!m && m[2].startsWith(tail) && (m[2] === '' || /^[/?]/.test(m[2]) || tail !== '');
  });
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`)
    .join('&');
  return `${uri}${uri.includes('?') ? '&' : '?'}${q}`;
}

/** The OAuth 2.0 state of one emulator (both Data Center and Cloud flows). */
export class OAuth2Server {
  readonly clients = new Map<string, OAuth2Client>();
  readonly tokens = new Map<string, OAuth2TokenRecord>();
  readonly codes = new Map<string, CodeRecord>();
  readonly stats: OAuth2Stats = {
    tokenCalls: 0, codeExchanges: 0, refreshCalls: 0, refreshes: 0, refreshReuse: 0, tokenErrors: 0, approvals: 0, denials: 0, expiredTokenRejections: 0,
  };
  accessTtlMs: number;
  refreshTtlMs: number;
  readonly codeTtlMs: number;
  readonly rotate: boolean;

  constructor(private readonly state: EmulatorState, o: OAuth2Options = {}) {
    for (const c of o.clients ?? [DEFAULT_OAUTH2_CLIENT]) this.addClient(c);
    this.accessTtlMs = (o.accessTokenTtlSeconds ?? 3600) * 1000;
    this.refreshTtlMs = (o.refreshTokenTtlSeconds ?? 90 * 24 * 3600) * 1000;
    this.codeTtlMs = (o.codeTtlSeconds ?? 600) * 1000;
    this.rotate = o.rotateRefreshTokens ?? true;
  }

  addClient(c: OAuth2ClientInput): OAuth2Client {
    const clientId = c.clientId.trim();
    if (!clientId) throw new Error('An OAuth 2.0 client needs a client id.');
    const client: OAuth2Client = {
      clientId,
      clientSecret: c.clientSecret || undefined,
      redirectUris: c.redirectUris?.length ? [...c.redirectUris] : [...DEFAULT_REDIRECT_PREFIXES],
      name: c.name?.trim() || clientId,
    };
    this.clients.set(clientId, client);
    // Client secrets are secrets too (the leak scan looks for them).
    if (client.clientSecret) this.state.noteIssued(client.clientSecret);
    return client;
  }

  /** Validates client_id and redirect_uri of an authorize request: an error here is shown as a page, never redirected. */
  checkClient(clientId: string | undefined, redirectUri: string | undefined): OAuth2Client {
    const client = clientId ? this.clients.get(clientId) : undefined;
    if (!client) throw new OAuth2Error('invalid_client', `There is no OAuth 2.0 integration with the client id '${clientId ?? ''}'. Check the client id in the application link.`);
    if (!redirectUri || !redirectAllowed(client, redirectUri)) {
      throw new OAuth2Error('invalid_request', `The redirect URI '${redirectUri ?? ''}' is not registered for '${client.name}'. Add it to the application link's redirect URLs.`);
    }
    return client;
  }

  /** client_id/client_secret from the body, or HTTP Basic (RFC 6749 §2.3.1). */
  authenticateClient(ctx: Ctx, params: Record<string, string>, secretRequired: boolean): OAuth2Client {
    let id = params.client_id;
    let secret = params.client_secret;
    const auth = header(ctx, 'authorization') ?? '';
    if (/^\s*basic\s/i.test(auth)) {
      const decoded = Buffer.from(auth.trim().slice(5).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(colon < 0 ? decoded : decoded.slice(0, colon));
      secret = colon < 0 ? '' : decodeURIComponent(decoded.slice(colon + 1));
    }
    const client = id ? this.clients.get(id) : undefined;
    if (!client) throw new OAuth2Error('invalid_client', 'Unknown client_id.', 401);
    if (secretRequired && !secret) throw new OAuth2Error('invalid_client', 'client_secret is required.', 401);
    if (client.clientSecret !== undefined && secret !== client.clientSecret) {
      throw new OAuth2Error('invalid_client', secret ? 'Client authentication failed: wrong client_secret.' : 'client_secret is required for this client.', 401);
    }
    return client;
  }

  newCode(c: Omit<CodeRecord, 'code' | 'expiresAt' | 'used'>): string {
    const code = randomToken(24);
    this.codes.set(code, { ...c, code, expiresAt: this.state.now() + this.codeTtlMs, used: false });
    this.state.noteIssued(code);
    return code;
  }

  /** Issues an access token (opaque, or made by `makeAccess` for Cloud JWTs) and, when wanted, a refresh token. */
  issue(grant: Grant, withRefresh: boolean, makeAccess?: (expiresAtMs: number) => string): { access: OAuth2TokenRecord; refresh?: OAuth2TokenRecord } {
    const now = this.state.now();
    const accessExpires = now + this.accessTtlMs;
    const access: OAuth2TokenRecord = { ...grant, kind: 'access', token: makeAccess ? makeAccess(accessExpires) : randomToken(), expiresAt: accessExpires, used: false, revoked: false };
    this.tokens.set(access.token, access);
    this.state.noteIssued(access.token);
    let refresh: OAuth2TokenRecord | undefined;
    if (withRefresh) {
      refresh = { ...grant, kind: 'refresh', token: randomToken(), expiresAt: now + this.refreshTtlMs, used: false, revoked: false };
      this.tokens.set(refresh.token, refresh);
      this.state.noteIssued(refresh.token);
    }
    return { access, refresh };
  }

  revokeFamily(family: string): void {
    for (const t of this.tokens.values()) if (t.family === family) t.revoked = true;
  }

  /** Every issued token becomes unusable. */
  revokeAll(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }

  /** Access tokens expire now (all, or the one given): the next REST call with them gets 401. */
  expireAccessTokens(token?: string): number {
    let n = 0;
    const now = this.state.now();
    for (const t of this.tokens.values()) {
      if (t.kind === 'access' && (token === undefined || t.token === token) && t.expiresAt > now) {
        t.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  /** The authorization_code grant: code, redirect_uri and PKCE checks. Replaying a code revokes what it issued. */
  redeemCode(client: OAuth2Client, params: Record<string, string>, cloud: boolean): CodeRecord {
    const rec = params.code ? this.codes.get(params.code) : undefined;
    if (!rec || rec.cloud !== cloud || rec.clientId !== client.clientId) throw new OAuth2Error('invalid_grant', 'The authorization code is invalid.');
    if (rec.used) {
      if (rec.family) this.revokeFamily(rec.family);
      throw new OAuth2Error('invalid_grant', 'The authorization code has already been used.');
    }
    if (this.state.now() >= rec.expiresAt) throw new OAuth2Error('invalid_grant', 'The authorization code has expired.');
    if (params.redirect_uri !== rec.redirectUri) throw new OAuth2Error('invalid_grant', 'The redirect_uri does not match the one of the authorization request.');
    if (rec.challenge !== undefined) {
      const v = params.code_verifier;
      if (!v) throw new OAuth2Error('invalid_grant', 'code_verifier is required (PKCE).');
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(v)) throw new OAuth2Error('invalid_grant', 'The code_verifier is malformed (RFC 7636: 43 to 128 unreserved characters).');
      const computed = rec.method === 'plain' ? v : createHash('sha256').update(v, 'ascii').digest('base64url');
      if (computed !== rec.challenge) throw new OAuth2Error('invalid_grant', 'PKCE verification failed: the code_verifier does not match the code_challenge.');
    } else if (client.clientSecret === undefined) {
      throw new OAuth2Error('invalid_grant', 'A public client must use PKCE.');
    }
    rec.used = true;
    return rec;
  }

  /** The refresh_token grant, rotating. Reusing a rotated token revokes the family (RFC 6819 §5.2.2.3). */
  redeemRefresh(client: OAuth2Client, params: Record<string, string>, cloud: boolean): OAuth2TokenRecord {
    this.stats.refreshCalls++;
    const rec = params.refresh_token ? this.tokens.get(params.refresh_token) : undefined;
    if (!rec || rec.kind !== 'refresh' || rec.clientId !== client.clientId || (rec.sites !== undefined) !== cloud) throw new OAuth2Error('invalid_grant', 'Unknown refresh token.');
    if (rec.used) {
      this.stats.refreshReuse++;
      this.revokeFamily(rec.family);
      throw new OAuth2Error('invalid_grant', 'The refresh token was already used: every token of this grant is revoked.');
    }
    if (rec.revoked) throw new OAuth2Error('invalid_grant', 'The refresh token has been revoked.');
    if (this.state.now() >= rec.expiresAt) throw new OAuth2Error('invalid_grant', 'The refresh token has expired.');
    if (this.rotate) rec.used = true;
    return rec;
  }

  /**
   * The user of a bearer token on a REST request, or why not. `cloudId` is the site of an
   * /ex/jira/{cloudId} request (Cloud tokens work only there; Data Center tokens only elsewhere).
   */
  bearerUser(token: string, cloudId: string | undefined): { user?: User; error?: string; known: boolean } {
    const rec = this.tokens.get(token);
    if (!rec || rec.kind !== 'access') return { known: false };
    if (rec.revoked) return { known: true, error: 'The OAuth 2.0 access token has been revoked.' };
    if (this.state.now() >= rec.expiresAt) {
      this.stats.expiredTokenRejections++;
      return { known: true, error: 'The OAuth 2.0 access token has expired.' };
    }
    if (rec.sites !== undefined ? !cloudId || !rec.sites.includes(cloudId) : cloudId !== undefined) {
      return { known: true, error: 'The OAuth 2.0 access token is not valid for this site.' };
    }
    const user = this.state.user(rec.user);
    return user ? { known: true, user } : { known: true, error: 'The user of this token no longer exists.' };
  }

  /** Access and refresh tokens issued so far (for leak scans), newest last. */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }
}

/** The token endpoint's parameters: form body, JSON body (Cloud accepts it) or, like Data Center, the query. */
export function tokenParams(ctx: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of ctx.query) if (!(k in out)) out[k] = v;
  if (isJsonContentType(contentType(ctx))) {
    const b = jsonBody(ctx);
    if (b.ok && b.value && typeof b.value === 'object' && !Array.isArray(b.value)) {
      for (const [k, v] of Object.entries(b.value as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    }
  } else {
    for (const [k, v] of formBody(ctx)) out[k] = v;
  }
  return out;
}

export function sendTokenError(ctx: Ctx, e: OAuth2Error): void {
  ctx.state.oauth2.stats.tokenErrors++;
  sendJson(ctx, e.status, { error: e.error, error_description: e.description }, e.status === 401 ? { 'WWW-Authenticate': 'Basic realm="OAuth"' } : {});
}

export function sendTokens(ctx: Ctx, access: OAuth2TokenRecord, refresh: OAuth2TokenRecord | undefined): void {
  sendJson(ctx, 200, {
    access_token: access.token,
    ...(refresh ? { refresh_token: refresh.token } : {}),
    token_type: 'Bearer',
    expires_in: Math.max(0, Math.round((access.expiresAt - ctx.state.now()) / 1000)),
    scope: access.scope,
  }, { Pragma: 'no-cache', 'Cache-Control': 'no-store' });
}

// ---- Data Center pages and routes ----

function errorPage(state: EmulatorState, user: User | undefined, message: string): string {
  return layout(state, user, 'OAuth 2.0 error', `<h1>Something went wrong</h1><div id="oauth2-error" class="error">${esc(message)}</div>`);
}

/**
 * The consent form both authorize pages end with: the request in hidden fields, the XSRF token, and
 * the allow (decision=allow) and deny buttons, posted to `action` (a path under the site's root).
 */
export function consentForm(state: EmulatorState, action: string, hidden: Record<string, string>, labels: { allow: string; deny: string }): string {
  const inputs = Object.entries(hidden).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n');
  return `<form id="oauth2-consent-form" method="post" action="${esc(action.replace(/^\//, ''))}">
${inputs}
<input type="hidden" name="atl_token" value="${esc(state.xsrfToken)}">
<button type="submit" id="approve" name="decision" value="allow" class="aui-button aui-button-primary">${labels.allow}</button>
<button type="submit" id="deny" name="decision" value="deny" class="aui-button">${labels.deny}</button>
</form>`;
}

function consentPage(state: EmulatorState, user: User, client: OAuth2Client, scopes: string[], hidden: Record<string, string>): string {
  const app = esc(client.name);
  const scopeList = scopes.map((s) => `<li class="oauth2-scope" data-scope="${esc(s)}">${esc(s)}: ${esc(scopeDescription(s))}</li>`).join('');
  return layout(state, user, 'Allow access', `
<section id="oauth2-consent" class="oauth2-consent" data-client-id="${esc(client.clientId)}">
<h1 id="oauth2-title"><span class="client-name">${app}</span> wants to access your Jira account</h1>
<p>You are logged in as <strong id="oauth2-user">${esc(user.displayName)}</strong> (${esc(user.name)}). ${app} asks for:</p>
<ul id="oauth2-scopes">${scopeList}</ul>
<p class="description">You can revoke the access at any time in Profile &gt; Authorized applications.</p>
${consentForm(state, '/rest/oauth2/latest/authorize', hidden, { allow: 'Allow', deny: 'Deny' })}
</section>`);
}

function scopeDescription(s: string): string {
  switch (s) {
    case 'READ': return 'View projects and issues you can see, and your profile';
    case 'WRITE': return 'Create and edit issues, comments and worklogs on your behalf';
    case 'ADMIN': return 'Administer projects you administer';
    case 'SYSTEM_ADMIN': return 'Administer Jira';
    default: return s;
  }
}

const AUTHORIZE_FIELDS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method'];

/**
 * An authorize request's parameters (the query on GET; the form on POST, XSRF-checked) and its
 * registered client (client_id and redirect_uri checked): undefined once an error page was sent,
 * never a redirect to an unregistered redirect_uri. Data Center and Cloud (cloud3lo.ts) share it.
 */
/** A validated authorize request: the browser's user, its parameters, the client, and the way back to the client. */
export interface AuthorizeRequest {
  user: User;
  p: Record<string, string>;
  client: OAuth2Client;
  /** Redirects to the client's redirect_uri with these parameters and the request's state. */
  back(params: Record<string, string | undefined>): void;
}

export function authorizeRequest(ctx: Ctx, fields: readonly string[]): AuthorizeRequest | undefined {
  const state = ctx.state;
  const user = state.user(state.browserUser) as User;
  const p: Record<string, string> = {};
  if (ctx.method === 'POST') {
    for (const [k, v] of formBody(ctx)) p[k] = v;
    if (p.atl_token !== state.xsrfToken) return void sendHtml(ctx, 403, errorPage(state, user, 'XSRF check failed: reload the page and try again.'));
  } else {
    for (const k of fields) { const v = queryParam(ctx, k); if (v !== undefined) p[k] = v; }
  }
  try {
    const client = state.oauth2.checkClient(p.client_id, p.redirect_uri);
    return { user, p, client, back: (params) => redirect(ctx, withParams(p.redirect_uri, { ...params, state: p.state })) };
  } catch (e) {
    if (e instanceof OAuth2Error) return void sendHtml(ctx, 400, errorPage(state, user, e.description));
    throw e;
  }
}

/**
 * The end both authorize endpoints share: GET shows the consent page (the request in hidden fields),
 * POST redirects back with a new code when the user allowed it, else with access_denied.
 */
export function consentOrDecision(
  ctx: Ctx,
  request: AuthorizeRequest,
  fields: readonly string[],
  o: { consent(hidden: Record<string, string>): string; deniedDescription: string; issueCode(): string },
): void {
  const { p, back } = request;
  if (ctx.method === 'GET') {
    const hidden: Record<string, string> = {};
    for (const k of fields) if (p[k] !== undefined) hidden[k] = p[k];
    return sendHtml(ctx, 200, o.consent(hidden));
  }
  const stats = ctx.state.oauth2.stats;
  if (p.decision !== 'allow') {
    stats.denials++;
    return back({ error: 'access_denied', error_description: o.deniedDescription });
  }
  stats.approvals++;
  back({ code: o.issueCode() });
}

/** Data Center authorize: validates, then shows the consent page (GET) or redirects with code / error (POST). */
function dcAuthorize(ctx: Ctx): void {
  const request = authorizeRequest(ctx, AUTHORIZE_FIELDS);
  if (!request) return;
  const { user, p, client, back } = request;
  const state = ctx.state;
  if (p.response_type !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response_type must be code.' });
  const scopes = (p.scope ?? 'READ').split(/[\s+]+/).filter(Boolean);
  const bad = scopes.filter((s) => !DC_SCOPES.includes(s));
  if (!scopes.length || bad.length) return back({ error: 'invalid_scope', error_description: `Unknown scope: ${bad.join(' ')}. Use READ, WRITE, ADMIN or SYSTEM_ADMIN.` });
  if (p.code_challenge !== undefined) {
    const m = p.code_challenge_method ?? 'plain';
    if (m !== 'S256' && m !== 'plain') return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256 or plain.' });
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(p.code_challenge)) return back({ error: 'invalid_request', error_description: 'The code_challenge is malformed.' });
  } else if (client.clientSecret === undefined) {
    return back({ error: 'invalid_request', error_description: 'A public client must send a PKCE code_challenge.' });
  }
  consentOrDecision(ctx, request, AUTHORIZE_FIELDS, {
    consent: (hidden) => consentPage(state, user, client, scopes, hidden),
    deniedDescription: 'The user denied access.',
    issueCode: () =>
      state.oauth2.newCode({
        clientId: client.clientId, redirectUri: p.redirect_uri, scope: scopes.join(' '), user: user.name,
        challenge: p.code_challenge, method: p.code_challenge !== undefined ? p.code_challenge_method ?? 'plain' : undefined, cloud: false,
      }),
  });
}

function dcToken(ctx: Ctx): void {
  const o = ctx.state.oauth2;
  o.stats.tokenCalls++;
  const p = tokenParams(ctx);
  if (ctx.done) return;
  try {
    const client = o.authenticateClient(ctx, p, false);
    if (p.grant_type === 'authorization_code') {
      const code = o.redeemCode(client, p, false);
      const family = randomToken(12);
      code.family = family;
      const { access, refresh } = o.issue({ family, clientId: client.clientId, user: code.user, scope: code.scope }, true);
      o.stats.codeExchanges++;
      return sendTokens(ctx, access, refresh);
    }
    if (p.grant_type === 'refresh_token') {
      const old = o.redeemRefresh(client, p, false);
      const { access, refresh } = o.issue({ family: old.family, clientId: old.clientId, user: old.user, scope: old.scope }, o.rotate);
      o.stats.refreshes++;
      return sendTokens(ctx, access, o.rotate ? refresh : undefined);
    }
    throw new OAuth2Error('unsupported_grant_type', `grant_type '${p.grant_type ?? ''}' is not supported: use authorization_code or refresh_token.`);
  } catch (e) {
    if (e instanceof OAuth2Error) return sendTokenError(ctx, e);
    throw e;
  }
}

/** Data Center routes; outside Cloud mode only (Cloud answers 404 like any unknown REST path). */
export function registerOAuth2(router: Router): void {
  const dcOnly = (h: (ctx: Ctx) => void) => (ctx: Ctx): void => {
    if (ctx.state.deploymentType === 'Cloud') return sendJson(ctx, 404, { message: `null for uri: ${ctx.state.baseUrl}${ctx.path}`, 'status-code': 404 });
    h(ctx);
  };
  router.add(['GET', 'POST'], '/rest/oauth2/latest/authorize', 'none', dcOnly(dcAuthorize));
  router.add('POST', '/rest/oauth2/latest/token', 'none', dcOnly(dcToken));
}
