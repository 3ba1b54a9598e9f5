// Jira Cloud OAuth 2.0 (3LO) in Cloud mode (deploymentType 'Cloud'), shaped like
// auth.atlassian.com and api.atlassian.com on one host:
//   GET/POST /authorize                       consent page (audience=api.atlassian.com; Accept / Deny)
//   POST     /oauth/token                     client_secret required, no PKCE; refresh tokens only with
//                                             offline_access, rotating, reuse revokes the family
//   GET      /oauth/token/accessible-resources  the sites the token may use (two by default)
//   GET      /.well-known/jwks.json           the RS256 key (kid) that signs the JWT access tokens
//   *        /ex/jira/{cloudId}/rest/...      the REST API of one site (server.ts rewrites the path)
import { createHash, createPrivateKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { Ctx, header, sendHtml, sendJson } from './http';
import { authorizeRequest, consentForm, consentOrDecision, OAuth2Client, OAuth2Error, randomToken, sendTokenError, sendTokens, tokenParams } from './oauth2';
import { esc, layout } from './pages';
import type { Router } from './router';
import type { EmulatorState, User } from './state';

export interface CloudSite {
  /** The cloudId. */
  id: string;
  name: string;
  url: string;
}

export const DEFAULT_CLOUD_SITES: CloudSite[] = [
  { id: '8b1f3c4e-0a2d-4f5b-9c6e-7d8a9b0c1d2e', name: 'acme', url: 'https://acme.atlassian.net' },
  { id: '2c7d9e1f-3a4b-4c5d-8e6f-0a1b2c3d4e5f', name: 'acme-sandbox', url: 'https://acme-sandbox.atlassian.net' },
];

export const JWT_ISSUER = 'https://auth.atlassian.com';
export const JWT_AUDIENCE = 'api.atlassian.com';

/** The signing key of the JWT access tokens (generated once per emulator, lazily). */
export class JwtSigner {
  private key?: KeyObject;
  readonly kid = `emulator-${randomToken(6)}`;

  private privateKey(): KeyObject {
    if (!this.key) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.key = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    }
    return this.key;
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    const pub = this.privateKey().export({ format: 'jwk' }) as Record<string, unknown>;
    return { keys: [{ kty: 'RSA', n: pub.n, e: pub.e, kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  sign(payload: Record<string, unknown>): string {
    const enc = (v: unknown): string => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
    const input = `${enc({ alg: 'RS256', typ: 'JWT', kid: this.kid })}.${enc(payload)}`;
    return `${input}.${sign('RSA-SHA256', Buffer.from(input, 'ascii'), this.privateKey()).toString('base64url')}`;
  }
}

/** A Cloud-style account id for a user name (stable). */
export function accountId(name: string): string {
  return createHash('sha256').update(`account:${name}`).digest('hex').slice(0, 24);
}

function cloudOnly(h: (ctx: Ctx) => void) {
  return (ctx: Ctx): void => {
    if (ctx.state.deploymentType !== 'Cloud') return sendJson(ctx, 404, { message: 'Cloud OAuth 2.0 (3LO) is only served in Cloud mode.', 'status-code': 404 });
    h(ctx);
  };
}

function errorPage(state: EmulatorState, user: User | undefined, message: string): string {
  return layout(state, user, 'Something went wrong', `<h1>Something went wrong</h1><div id="oauth2-error" class="error">${esc(message)}</div>`);
}

const FIELDS = ['audience', 'client_id', 'scope', 'redirect_uri', 'state', 'response_type', 'prompt'];

function consentPage(state: EmulatorState, user: User, client: OAuth2Client, scopes: string[], hidden: Record<string, string>): string {
  const sites = state.cloudSites.map((s) => `<li class="cloud-site" data-cloud-id="${esc(s.id)}">${esc(s.name)} (${esc(s.url)})</li>`).join('');
  return layout(state, user, 'Authorize app', `
<section id="oauth2-consent" class="oauth2-consent cloud" data-client-id="${esc(client.clientId)}">
<h1 id="oauth2-title"><span class="client-name">${esc(client.name)}</span> is requesting access to your Atlassian account</h1>
<p>Logged in as <strong id="oauth2-user">${esc(user.emailAddress)}</strong>. The app will be able to use these sites:</p>
<ul id="cloud-sites">${sites}</ul>
<p>It asks for these permissions:</p>
<ul id="oauth2-scopes">${scopes.map((s) => `<li class="oauth2-scope" data-scope="${esc(s)}">${esc(s)}</li>`).join('')}</ul>
${consentForm(state, '/authorize', hidden, { allow: 'Accept', deny: 'Cancel' })}
</section>`);
}

function authorize(ctx: Ctx): void {
  const request = authorizeRequest(ctx, FIELDS);
  if (!request) return;
  const { user, p, client, back } = request;
  const state = ctx.state;
  if (p.audience !== JWT_AUDIENCE) return sendHtml(ctx, 400, errorPage(state, user, `The audience must be '${JWT_AUDIENCE}' (got '${p.audience ?? ''}').`));
  if (p.response_type !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response_type must be code.' });
  const scopes = (p.scope ?? '').split(/[\s+]+/).filter(Boolean);
  if (!scopes.length) return back({ error: 'invalid_scope', error_description: 'scope is required.' });
  consentOrDecision(ctx, request, FIELDS, {
    consent: (hidden) => consentPage(state, user, client, scopes, hidden),
    deniedDescription: 'User did not authorize the request',
    issueCode: () =>
      state.oauth2.newCode({
        clientId: client.clientId, redirectUri: p.redirect_uri, scope: scopes.join(' '), user: user.name, cloud: true,
        sites: state.cloudSites.map((s) => s.id),
      }),
  });
}

function jwtFor(state: EmulatorState, clientId: string, user: string, scope: string, expiresAtMs: number): string {
  const iat = Math.floor(state.now() / 1000);
  return state.jwt.sign({
    iss: JWT_ISSUER,
    sub: accountId(user),
    aud: JWT_AUDIENCE,
    iat,
    nbf: iat,
    exp: Math.floor(expiresAtMs / 1000),
    jti: randomToken(12),
    scope,
    client_id: clientId,
    'https://atlassian.com/oauthClientId': clientId,
    'https://atlassian.com/systemAccountEmail': state.user(user)?.emailAddress,
  });
}

function token(ctx: Ctx): void {
  const state = ctx.state;
  const o = state.oauth2;
  o.stats.tokenCalls++;
  const p = tokenParams(ctx);
  if (ctx.done) return;
  try {
    const client = o.authenticateClient(ctx, p, true);
    const offline = (scope: string): boolean => scope.split(' ').includes('offline_access');
    if (p.grant_type === 'authorization_code') {
      const code = o.redeemCode(client, p, true);
      const family = randomToken(12);
      code.family = family;
      const { access, refresh } = o.issue({ family, clientId: client.clientId, user: code.user, scope: code.scope, sites: code.sites ?? [] }, offline(code.scope), (exp) => jwtFor(state, client.clientId, code.user, code.scope, exp));
      o.stats.codeExchanges++;
      return sendTokens(ctx, access, refresh);
    }
    if (p.grant_type === 'refresh_token') {
      const old = o.redeemRefresh(client, p, true);
      const { access, refresh } = o.issue({ family: old.family, clientId: old.clientId, user: old.user, scope: old.scope, sites: old.sites }, o.rotate, (exp) => jwtFor(state, old.clientId, old.user, old.scope, exp));
      o.stats.refreshes++;
      return sendTokens(ctx, access, o.rotate ? refresh : undefined);
    }
    throw new OAuth2Error('unsupported_grant_type', `grant_type '${p.grant_type ?? ''}' is not supported: use authorization_code or refresh_token.`);
  } catch (e) {
    if (e instanceof OAuth2Error) return sendTokenError(ctx, e);
    throw e;
  }
}

function accessibleResources(ctx: Ctx): void {
  const state = ctx.state;
  const auth = header(ctx, 'authorization') ?? '';
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(auth);
  const rec = m ? state.oauth2.tokens.get(m[1]) : undefined;
  if (!rec || rec.kind !== 'access' || rec.sites === undefined || rec.revoked || state.now() >= rec.expiresAt) {
    return sendJson(ctx, 401, { code: 401, message: 'Unauthorized' });
  }
  ctx.log.auth = 'oauth2';
  ctx.log.user = rec.user;
  const scopes = rec.scope.split(' ').filter((s) => s !== 'offline_access');
  sendJson(ctx, 200, state.cloudSites
    .filter((s) => rec.sites?.includes(s.id))
    .map((s) => ({ id: s.id, name: s.name, url: s.url, scopes, avatarUrl: `https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/${s.name}.png` })));
}

export function registerCloud3lo(router: Router): void {
  router.add(['GET', 'POST'], '/authorize', 'none', cloudOnly(authorize));
  router.add('POST', '/oauth/token', 'none', cloudOnly(token));
  router.add('GET', '/oauth/token/accessible-resources', 'none', cloudOnly(accessibleResources));
  router.add('GET', '/.well-known/jwks.json', 'none', cloudOnly((ctx) => sendJson(ctx, 200, ctx.state.jwt.jwks())));
}

/** `/ex/jira/{cloudId}/rest/...` -> the site's REST path, or undefined when the path is not one. */
export function cloudSitePath(path: string): { cloudId: string; rest: string } | undefined {
  const m = /^\/ex\/jira\/([^/]+)(\/.*)?$/.exec(path);
  if (!m) return undefined;
  return { cloudId: decodeURIComponent(m[1]), rest: m[2] ?? '/' };
}
