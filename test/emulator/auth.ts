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
    ctx.log.auth = 'pat';
    const pat = authorization.trim().slice(6).trim();
    const name = state.pats.get(pat);
    if (!name) { unauthorized(ctx); return false; }
    ctx.user = state.user(name);
  } else if (/^\s*basic\s/i.test(authorization)) {
    ctx.log.auth = 'basic';
    if (!state.basicAuth) { unauthorized(ctx, 'Basic Authentication has been disabled on this instance.'); return false; }
    const decoded = Buffer.from(authorization.trim().slice(5).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    const user = state.user(name);
    if (!user || user.password === undefined || user.password !== password) {
      unauthorized(ctx, NOT_AUTHENTICATED, { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' });
      return false;
    }
    ctx.res.setHeader('X-Seraph-LoginReason', 'OK');
    ctx.user = user;
  }
  if (ctx.user) {
    ctx.log.user = ctx.user.name;
    return true;
  }
  if (policy === 'required') { unauthorized(ctx); return false; }
  return true;
}
