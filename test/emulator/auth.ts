// REST authentication: OAuth 1.0a (signed with an access token), personal access tokens
// (Authorization: Bearer), and Basic user:password (unless disabled). Every 401 carries
// `WWW-Authenticate: OAuth realm="..."`, as Jira's OAuth filter adds it to all of them.
import { Ctx, header, sendErrors } from './http';
import { authenticateOAuth, isOAuthRequest, OAuthProblem, sendProblem, wwwAuthenticate } from './oauth1';
import type { AuthPolicy } from './router';

export const NOT_AUTHENTICATED = 'You are not authenticated. Authentication required to perform this operation.';

function unauthorized(ctx: Ctx, message = NOT_AUTHENTICATED, extra: Record<string, string> = {}): void {
  sendErrors(ctx, 401, [message], {}, { 'WWW-Authenticate': wwwAuthenticate(ctx.state), ...extra });
}

/** Runs the route's authentication policy; returns false when it has already answered. */
export function authenticateRest(ctx: Ctx, policy: AuthPolicy): boolean {
  if (policy === 'none') return true;
  const state = ctx.state;
  const authorization = header(ctx, 'authorization') ?? '';
  if (isOAuthRequest(ctx)) {
    ctx.log.auth = 'oauth1';
    try {
      ctx.user = authenticateOAuth(ctx);
    } catch (e) {
      if (e instanceof OAuthProblem) { sendProblem(ctx, e); return false; }
      throw e;
    }
  } else if (/^\s*bearer\s/i.test(authorization)) {
    const bearer = authorization.trim().slice(6).trim();
    const name = ctx.cloudId === undefined ? state.pats.get(bearer) : undefined;
    if (name) {
      ctx.log.auth = 'pat';
      ctx.user = state.user(name);
    } else {
      // OAuth 2.0 access tokens (Data Center, or Cloud 3LO under /ex/jira/{cloudId}).
      const r = state.oauth2.bearerUser(bearer, ctx.cloudId);
      ctx.log.auth = r.known ? 'oauth2' : 'pat';
      if (!r.user) { unauthorized(ctx, r.error ?? NOT_AUTHENTICATED); return false; }
      ctx.user = r.user;
    }
  } else if (/^\s*basic\s/i.test(authorization)) {
    ctx.log.auth = 'basic';
    // Basic disabled (Jira 11 default, SSO-only sites): a plain 401, no CAPTCHA header.
    if (!state.basicAuth) { unauthorized(ctx, 'Basic Authentication has been disabled on this instance.'); return false; }
    const decoded = Buffer.from(authorization.trim().slice(5).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    if (state.deploymentType === 'Cloud') {
      // Jira Cloud: e-mail address + API token only; passwords are refused.
      const owner = state.apiTokens.get(password);
      const user = owner ? state.user(owner) : undefined;
      if (!user || user.emailAddress.toLowerCase() !== name.toLowerCase()) {
        unauthorized(ctx, 'Client must be authenticated to access this resource.');
        return false;
      }
      ctx.user = user;
    } else {
      const user = state.user(name);
      if (user && state.captchaRequired(user.name)) {
        // Jira's Seraph after too many failed logins: refuses even the right password.
        unauthorized(ctx, NOT_AUTHENTICATED, {
          'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
          'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${state.baseUrl}/login.jsp`,
        });
        return false;
      }
      if (!user || user.password === undefined || user.password !== password) {
        if (user) state.basicFailures.set(user.name, (state.basicFailures.get(user.name) ?? 0) + 1);
        unauthorized(ctx, NOT_AUTHENTICATED, { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' });
        return false;
      }
      state.basicFailures.delete(user.name);
      ctx.res.setHeader('X-Seraph-LoginReason', 'OK');
      ctx.user = user;
    }
  }
  if (ctx.user) {
    ctx.log.user = ctx.user.name;
    return true;
  }
  if (policy === 'required') { unauthorized(ctx); return false; }
  return true;
}
