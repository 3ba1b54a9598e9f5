// Jira's OAuth 1.0a service provider (the incoming side of an application link), modelled on
// Atlassian's atlassian-oauth plugin and the net.oauth library it uses:
//   POST {ctx}/plugins/servlet/oauth/request-token   -> oauth_token, oauth_token_secret, oauth_callback_confirmed
//   GET  {ctx}/plugins/servlet/oauth/authorize        -> the "Allow / Deny" page
//   POST {ctx}/plugins/servlet/oauth/authorize        -> the form post of Allow / Deny
//   POST {ctx}/plugins/servlet/oauth/access-token     -> oauth_token, oauth_token_secret, oauth_expires_in, ...
// plus the authenticator that checks every OAuth-signed REST call.
//
// Problems are answered the net.oauth way: status 401 (400 for some with legacyErrorStatus), a
// form-encoded body `oauth_problem=...&<extra fields>` and `WWW-Authenticate: OAuth realm="<base
// URL, percent-encoded>", oauth_problem="..."`. Unlike Jira, oauth_signature and
// oauth_signature_base_string are never echoed back.
import { formField, header, queryParam, send, contentType, Ctx, sendHtml, redirect } from './http';
import * as pages from './pages';
import {
  allParameters, formEncode, Param, ParameterSources, percentEncode, requestBaseString, requestParameterSources, verifyRsaSha1,
} from './rfc5849';
import { EmulatorState, Link, randomAlnum, SESSION_EXTRA_SECONDS, Token, User } from './state';

export class OAuthProblem extends Error {
  constructor(readonly problem: string, readonly extra: Param[] = []) {
    super(problem);
  }
}

/** The problems net.oauth maps to 400 Bad Request; newer Jira answers 401 for all of them. */
const LEGACY_400 = new Set(['version_rejected', 'parameter_absent', 'parameter_rejected', 'timestamp_refused', 'signature_method_rejected']);

export function problemStatus(state: EmulatorState, problem: string): number {
  return state.legacyErrorStatus && LEGACY_400.has(problem) ? 400 : 401;
}

/** `OAuth realm="..."` plus every oauth_* field, as net.oauth's OAuthMessage.getAuthorizationHeader writes it. */
export function wwwAuthenticate(state: EmulatorState, params: Param[] = []): string {
  let h = `OAuth realm="${percentEncode(state.baseUrl)}"`;
  for (const [k, v] of params) if (k.startsWith('oauth_')) h += `, ${percentEncode(k)}="${percentEncode(v)}"`;
  return h;
}

export function sendProblem(ctx: Ctx, p: OAuthProblem): void {
  ctx.log.oauthProblem = p.problem;
  const params: Param[] = [['oauth_problem', p.problem], ...p.extra];
  send(ctx, problemStatus(ctx.state, p.problem), formEncode(params), {
    'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
    'WWW-Authenticate': wwwAuthenticate(ctx.state, params),
  });
}

// ---------------------------------------------------------------------------------------------
// The OAuth message of a request

export interface OAuthMessage {
  method: string;
  /** The URI the signature must have been made for: the CONFIGURED base URL + the path after the context path. */
  uri: string;
  sources: ParameterSources;
  /** Every parameter (header, query, form body), oauth_signature included. */
  all: Param[];
  get(name: string): string | undefined;
}

export function readMessage(ctx: Ctx): OAuthMessage {
  const sources = requestParameterSources({
    query: ctx.rawQuery,
    authorization: header(ctx, 'authorization'),
    contentType: contentType(ctx),
    body: ctx.body.toString('utf8'),
  });
  const all = allParameters(sources);
  return {
    method: ctx.method,
    uri: ctx.state.baseUrl + ctx.path,
    sources,
    all,
    get: (name) => all.find(([k]) => k === name)?.[1],
  };
}

/** Does this request carry OAuth 1.0 credentials (header or oauth_* parameters)? */
export function isOAuthRequest(ctx: Ctx): boolean {
  const auth = header(ctx, 'authorization');
  if (auth && /^\s*oauth(\s|$)/i.test(auth)) return true;
  const names = new Set(readMessage(ctx).all.map(([k]) => k));
  return names.has('oauth_signature') || (names.has('oauth_consumer_key') && names.has('oauth_token'));
}

function requireParameters(msg: OAuthMessage, ...names: string[]): void {
  const absent = names.filter((n) => msg.get(n) === undefined);
  if (absent.length) throw new OAuthProblem('parameter_absent', [['oauth_parameters_absent', absent.map(percentEncode).join('&')]]);
}

// ---------------------------------------------------------------------------------------------
// net.oauth's SimpleOAuthValidator.validateMessage, step by step

/** Parameters that may appear only once across header, query and body. */
const SINGLE_PARAMETERS = ['oauth_consumer_key', 'oauth_token', 'oauth_token_secret', 'oauth_callback', 'oauth_verifier',
  'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce', 'oauth_version', 'oauth_session_handle'];

function checkSingleParameters(msg: OAuthMessage): void {
  const counts = new Map<string, number>();
  for (const [k] of msg.all) if (SINGLE_PARAMETERS.includes(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  // net.oauth lists name=value pairs; the emulator lists names only, so a signature is never echoed.
  if (repeated.length) throw new OAuthProblem('parameter_rejected', [['oauth_parameters_rejected', repeated.map(percentEncode).join('&')]]);
}

function validateVersion(msg: OAuthMessage): void {
  const v = msg.get('oauth_version');
  if (v === undefined) return;
  if (!/^\s*\d+(\.\d*)?\s*$/.test(v) || Number(v) !== 1) {
    throw new OAuthProblem('version_rejected', [['oauth_acceptable_versions', '1.0-1.0']]);
  }
}

const MAX_TIMESTAMP_AGE_MS = 5 * 60 * 1000;

function validateTimestampAndNonce(msg: OAuthMessage, state: EmulatorState): void {
  requireParameters(msg, 'oauth_timestamp', 'oauth_nonce');
  const ts = msg.get('oauth_timestamp') as string;
  if (!/^\d{1,15}$/.test(ts)) throw new OAuthProblem('parameter_rejected', [['oauth_parameters_rejected', 'oauth_timestamp']]);
  const timestamp = Number(ts);
  const now = state.now();
  const min = Math.floor((now - MAX_TIMESTAMP_AGE_MS + 500) / 1000);
  const max = Math.floor((now + MAX_TIMESTAMP_AGE_MS + 500) / 1000);
  if (timestamp < min || timestamp > max) throw new OAuthProblem('timestamp_refused', [['oauth_acceptable_timestamps', `${min}-${max}`]]);
  // The nonce is recorded before the signature is checked, as in net.oauth.
  const key = `${msg.get('oauth_consumer_key') ?? ''}\n${timestamp}\n${msg.get('oauth_nonce')}`;
  if (state.nonces.has(key)) throw new OAuthProblem('nonce_used');
  state.nonces.set(key, timestamp);
  if (state.nonces.size > 5000) {
    for (const [k, t] of state.nonces) if (t < min) state.nonces.delete(k);
  }
}

function validateSignature(msg: OAuthMessage, link: Link): void {
  requireParameters(msg, 'oauth_consumer_key', 'oauth_signature_method', 'oauth_signature');
  if (msg.get('oauth_signature_method') !== 'RSA-SHA1') {
    throw new OAuthProblem('signature_method_rejected', [['oauth_acceptable_signature_methods', 'RSA-SHA1']]);
  }
  const baseString = requestBaseString(msg.method, msg.uri, msg.sources);
  if (!verifyRsaSha1(baseString, link.publicKey, msg.get('oauth_signature') as string)) throw new OAuthProblem('signature_invalid');
}

export function validateMessage(msg: OAuthMessage, link: Link, state: EmulatorState): void {
  checkSingleParameters(msg);
  validateVersion(msg);
  validateTimestampAndNonce(msg, state);
  validateSignature(msg, link);
}

function expired(t: Token, now: number): boolean {
  return t.created + t.ttlMs < now;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

const CALLBACK_ADVICE = "As per OAuth spec version 1.0 Revision A Section 6.1 <http://oauth.net/core/1.0a#auth_step1>, the oauth_callback parameter is required and must be either a valid, absolute URI using the http or https scheme, or 'oob' if the callback has been established out of band.";

function checkCallback(cb: string): void {
  if (cb === 'oob') return;
  let ok = false;
  try {
    const u = new URL(cb);
    ok = (u.protocol === 'http:' || u.protocol === 'https:') && !!u.host;
  } catch {
    ok = false;
  }
  if (!ok) throw new OAuthProblem('parameter_rejected', [['oauth_parameters_rejected', 'oauth_callback'], ['oauth_problem_advice', CALLBACK_ADVICE]]);
}

export function handleRequestToken(ctx: Ctx): void {
  ctx.log.auth = 'oauth1';
  const state = ctx.state;
  try {
    const msg = readMessage(ctx);
    requireParameters(msg, 'oauth_consumer_key');
    const link = state.links.get(msg.get('oauth_consumer_key') as string);
    if (!link) throw new OAuthProblem('consumer_key_unknown');
    validateMessage(msg, link, state);
    const callback = msg.get('oauth_callback');
    if (callback !== undefined) checkCallback(callback);
    const t = state.storeToken({
      kind: 'request', token: randomAlnum(32), secret: randomAlnum(32), consumerKey: link.consumerKey,
      created: state.now(), ttlMs: state.requestTokenTtlMs, callback, authorization: 'none',
    });
    send(ctx, 200, formEncode([['oauth_token', t.token], ['oauth_token_secret', t.secret], ['oauth_callback_confirmed', 'true']]),
      { 'Content-Type': 'text/plain;charset=UTF-8' });
  } catch (e) {
    if (e instanceof OAuthProblem) sendProblem(ctx, e);
    else throw e;
  }
}

export function handleAccessToken(ctx: Ctx): void {
  ctx.log.auth = 'oauth1';
  const state = ctx.state;
  try {
    const msg = readMessage(ctx);
    requireParameters(msg, 'oauth_token');
    const token = state.tokens.get(msg.get('oauth_token') as string);
    if (!token) throw new OAuthProblem('token_rejected');
    const now = state.now();
    if (token.kind === 'request') {
      // The order of AccessTokenServlet: expiry, approval, consumer, verifier; then the signature.
      if (expired(token, now)) throw new OAuthProblem('token_expired');
      if (token.authorization === 'none') throw new OAuthProblem('permission_unknown');
      if (token.authorization === 'denied') throw new OAuthProblem('permission_denied');
      if (token.consumerKey !== msg.get('oauth_consumer_key')) throw new OAuthProblem('token_rejected');
      requireParameters(msg, 'oauth_verifier');
      // A wrong verifier: Jira answers token_rejected (and the request token stays usable).
      if (token.verifier !== msg.get('oauth_verifier')) throw new OAuthProblem('token_rejected');
    } else {
      // Renewing an access token with its session handle.
      if (token.consumerKey !== msg.get('oauth_consumer_key')) throw new OAuthProblem('token_rejected');
      requireParameters(msg, 'oauth_session_handle');
      if (token.sessionHandle !== msg.get('oauth_session_handle')) throw new OAuthProblem('token_rejected');
      if ((token.sessionCreated ?? 0) + (token.sessionTtlMs ?? 0) < now) throw new OAuthProblem('permission_denied');
    }
    const link = state.links.get(token.consumerKey);
    if (!link) throw new OAuthProblem('consumer_key_unknown');
    validateMessage(msg, link, state);
    const renewing = token.kind === 'access';
    const access = state.storeToken({
      kind: 'access', token: randomAlnum(32), secret: randomAlnum(32), consumerKey: token.consumerKey, created: now,
      ttlMs: state.accessTokenTtlMs, authorization: 'authorized', user: token.user,
      sessionHandle: renewing ? token.sessionHandle : randomAlnum(32),
      sessionCreated: renewing ? token.sessionCreated : now,
      sessionTtlMs: renewing ? token.sessionTtlMs : state.accessTokenTtlMs + SESSION_EXTRA_SECONDS * 1000,
    });
    // Single use: the request (or renewed access) token is gone once exchanged.
    state.tokens.delete(token.token);
    send(ctx, 200, formEncode([
      ['oauth_token', access.token],
      ['oauth_token_secret', access.secret],
      ['oauth_expires_in', String(Math.floor(access.ttlMs / 1000))],
      ['oauth_session_handle', access.sessionHandle as string],
      ['oauth_authorization_expires_in', String(Math.floor(((access.sessionCreated as number) + (access.sessionTtlMs as number) - now) / 1000))],
    ]), { 'Content-Type': 'text/plain;charset=UTF-8' });
  } catch (e) {
    if (e instanceof OAuthProblem) sendProblem(ctx, e);
    else throw e;
  }
}

/**
 * Authenticates an OAuth-signed REST call (Atlassian's AuthenticatorImpl, 3-legged): the access
 * token must exist, belong to the signing consumer and be unexpired, and the signature must verify
 * with that token. Returns the user the token acts as; throws OAuthProblem otherwise.
 */
export function authenticateOAuth(ctx: Ctx): User {
  const state = ctx.state;
  const msg = readMessage(ctx);
  const tokenStr = msg.get('oauth_token');
  if (tokenStr === undefined) {
    // 2-legged OAuth: this emulator's links never allow it (Jira's default).
    requireParameters(msg, 'oauth_consumer_key');
    const link = state.links.get(msg.get('oauth_consumer_key') as string);
    if (!link) throw new OAuthProblem('consumer_key_unknown');
    validateMessage(msg, link, state);
    throw new OAuthProblem('permission_denied');
  }
  const token = state.tokens.get(tokenStr);
  if (!token || token.kind !== 'access') throw new OAuthProblem('token_rejected');
  if (token.consumerKey !== msg.get('oauth_consumer_key')) throw new OAuthProblem('token_rejected');
  if (expired(token, state.now())) throw new OAuthProblem('token_expired');
  const link = state.links.get(token.consumerKey);
  if (!link) throw new OAuthProblem('consumer_key_unknown');
  validateMessage(msg, link, state);
  const user = state.user(token.user);
  if (!user) throw new OAuthProblem('permission_denied');
  return user;
}

// ---------------------------------------------------------------------------------------------
// The authorize page (the browser side)

type TokenCheck = { ok: true; token: Token; link: Link } | { ok: false; status: number; message: string };

function checkRequestTokenForPage(state: EmulatorState, tokenStr: string | undefined): TokenCheck {
  if (!tokenStr) return { ok: false, status: 400, message: 'The oauth_token parameter is missing. Start the sign-in again from the application.' };
  const token = state.tokens.get(tokenStr);
  if (!token || token.kind !== 'request') {
    return { ok: false, status: 400, message: 'The request token is invalid: it is unknown, has already been used, or its application link was removed. Start the sign-in again from the application.' };
  }
  const link = state.links.get(token.consumerKey);
  if (!link) return { ok: false, status: 400, message: 'The application link for this request no longer exists.' };
  if (expired(token, state.now())) return { ok: false, status: 400, message: 'The request token has expired. Start the sign-in again from the application.' };
  if (token.authorization !== 'none') {
    return { ok: false, status: 400, message: `This request has already been ${token.authorization === 'authorized' ? 'allowed' : 'denied'}. Start the sign-in again from the application.` };
  }
  return { ok: true, token, link };
}

function browserUser(state: EmulatorState): User {
  return state.user(state.browserUser) as User;
}

export function authorizeGet(ctx: Ctx): void {
  const state = ctx.state;
  const user = browserUser(state);
  const check = checkRequestTokenForPage(state, queryParam(ctx, 'oauth_token'));
  if (!check.ok) return sendHtml(ctx, check.status, pages.oauthErrorPage(state, user, check.message));
  sendHtml(ctx, 200, pages.authorizePage(state, user, check.link, check.token.token));
}

function withParams(callback: string, params: Param[]): string {
  const hash = callback.indexOf('#');
  const base = hash >= 0 ? callback.slice(0, hash) : callback;
  const frag = hash >= 0 ? callback.slice(hash) : '';
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}${formEncode(params)}${frag}`;
}

export function authorizePost(ctx: Ctx): void {
  const state = ctx.state;
  const user = browserUser(state);
  if (formField(ctx, 'atl_token') !== state.xsrfToken) {
    return sendHtml(ctx, 403, pages.xsrfPage(state, user));
  }
  const check = checkRequestTokenForPage(state, formField(ctx, 'oauth_token'));
  if (!check.ok) return sendHtml(ctx, check.status, pages.oauthErrorPage(state, user, check.message));
  const { token, link } = check;
  const approve = formField(ctx, 'approve') !== undefined;
  const deny = formField(ctx, 'deny') !== undefined;
  if (approve === deny) return sendHtml(ctx, 400, pages.oauthErrorPage(state, user, 'Choose Allow or Deny.'));
  const hasCallback = token.callback !== undefined && token.callback !== 'oob';
  token.user = user.name;
  if (approve) {
    token.authorization = 'authorized';
    token.verifier = randomAlnum(6);
    state.noteIssued(token.verifier);
    if (hasCallback) return redirect(ctx, withParams(token.callback as string, [['oauth_token', token.token], ['oauth_verifier', token.verifier]]));
    return sendHtml(ctx, 200, pages.verificationPage(state, user, link, token.verifier));
  }
  token.authorization = 'denied';
  if (hasCallback) return redirect(ctx, withParams(token.callback as string, [['oauth_token', token.token], ['oauth_verifier', 'denied']]));
  sendHtml(ctx, 200, pages.deniedPage(state, user, link));
}
