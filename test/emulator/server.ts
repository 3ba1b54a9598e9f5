// The HTTP server: context path handling, body reading, routing, authentication and the request log.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { applinksGet, applinksPost } from './applinks';
import { authenticateRest } from './auth';
import { Ctx, send, sendErrors, sendHtml, sendJson, sendNullForUri, redirect } from './http';
import { authorizeGet, authorizePost, handleAccessToken, handleRequestToken } from './oauth1';
import * as pages from './pages';
import { registerRest } from './rest';
import { registerViewsRoutes } from './views';
import { registerWorkflow } from './workflow';
import { registerProfile } from './profile';
import { registerOAuth2 } from './oauth2';
import { cloudSitePath, registerCloud3lo } from './cloud3lo';
import { formDecode } from './rfc5849';
import { Router } from './router';
import { EmulatorState, User } from './state';
import type { Emulator, EmulatorOptions, LinkInput } from './types';
import { trackConnections } from './connections';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function buildRouter(): Router {
  const router = new Router();
  router.add('GET', '/', 'none', (ctx) => sendHtml(ctx, 200, pages.homePage(ctx.state, ctx.state.user(ctx.state.browserUser) as User)));
  router.add('GET', '/status', 'none', (ctx) => sendJson(ctx, 200, { state: 'RUNNING' }));
  router.add('POST', '/plugins/servlet/oauth/request-token', 'none', handleRequestToken);
  router.add('GET', '/plugins/servlet/oauth/authorize', 'none', authorizeGet);
  router.add('POST', '/plugins/servlet/oauth/authorize', 'none', authorizePost);
  router.add('POST', '/plugins/servlet/oauth/access-token', 'none', handleAccessToken);
  router.add('GET', '/plugins/servlet/applinks/listApplicationLinks', 'none', applinksGet);
  router.add('POST', '/plugins/servlet/applinks/listApplicationLinks', 'none', applinksPost);
  registerProfile(router);
  registerViewsRoutes(router); // before the REST routes: Cloud mode answers 410 on /rest/api/3/search
  registerRest(router);
  registerWorkflow(router); // transitions, assignee, Cloud v3 comments, user search (workflow.ts)
  registerOAuth2(router); // Data Center OAuth 2.0 (oauth2.ts)
  registerCloud3lo(router); // Cloud 3LO (cloud3lo.ts)
  return router;
}

function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, state: EmulatorState, router: Router): Promise<void> {
  const started = Date.now();
  let target = req.url ?? '/';
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(target);
  if (abs) target = target.slice(abs[0].length) || '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const { body, tooLarge } = await readBody(req);
  const ctx: Ctx = {
    req, res, state, method: (req.method ?? 'GET').toUpperCase(), rawPath, path: rawPath, rawQuery,
    query: formDecode(rawQuery), params: {}, body, log: { auth: 'none' }, started, done: false,
  };
  if (tooLarge) return send(ctx, 413, 'Request entity too large', { 'Content-Type': 'text/plain;charset=UTF-8' });

  const cp = state.contextPath;
  if (cp) {
    // Relative ('jira/'), so that it also holds behind a path-prefix proxy.
    if (rawPath === cp) return redirect(ctx, `${cp.slice(cp.lastIndexOf('/') + 1)}/${rawQuery ? `?${rawQuery}` : ''}`);
    if (!rawPath.startsWith(`${cp}/`)) return sendHtml(ctx, 404, pages.notFoundPage(state, rawPath));
    ctx.path = rawPath.slice(cp.length);
  }
  // Cloud mode: api.atlassian.com/ex/jira/{cloudId}/rest/... is that site's REST API.
  const site = state.deploymentType === 'Cloud' ? cloudSitePath(ctx.path) : undefined;
  if (site) {
    if (!state.cloudSites.some((x) => x.id === site.cloudId)) return sendJson(ctx, 404, { code: 404, message: `No site with cloudId '${site.cloudId}'.` });
    ctx.cloudId = site.cloudId;
    ctx.path = site.rest;
  }
  const isRest = ctx.path.startsWith('/rest/');

  if (ctx.method === 'OPTIONS') {
    const allow = router.allowed(ctx.path);
    if (!allow.length) return notFound(ctx, isRest);
    return send(ctx, 200, '', { Allow: allow.join(',') });
  }
  const m = router.match(ctx.method, ctx.path);
  if (m.kind === 'not-found') return notFound(ctx, isRest);
  if (m.kind === 'method-not-allowed') return send(ctx, 405, '', { Allow: m.allow.join(',') });
  ctx.params = m.params;
  if (!authenticateRest(ctx, m.route.auth)) return;
  await m.route.handler(ctx);
  if (!ctx.done) sendErrors(ctx, 500, ['The emulator route did not answer.']);
}

function notFound(ctx: Ctx, isRest: boolean): void {
  if (isRest) {
    return sendNullForUri(ctx);
  }
  sendHtml(ctx, 404, pages.notFoundPage(ctx.state, ctx.rawPath));
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state = new EmulatorState(options);
  const router = buildRouter();
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, state, router).catch((err: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json;charset=UTF-8');
        res.end(JSON.stringify({ errorMessages: [`Internal emulator error: ${(err as Error)?.message ?? String(err)}`], errors: {} }));
      } else {
        res.destroy();
      }
    });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: !!tls.requestCert, rejectUnauthorized: !!tls.requestCert }, listener)
    : createServer(listener);
  const destroyConnections = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  state.url = `${tls ? 'https' : 'http'}://${urlHost(host)}:${port}${state.contextPath}`;
  state.baseUrl = options.baseUrl ? options.baseUrl.trim().replace(/\/+$/, '') : state.url;
  let closed: Promise<void> | undefined;
  return {
    url: state.url,
    port,
    requests: state.requests,
    addLink: (link: LinkInput) => { state.addLink(link); },
    removeLink: (consumerKey: string) => { state.removeLink(consumerKey); },
    revokeAccessTokens: (consumerKey?: string) => state.revokeAccessTokens(consumerKey),
    issuedTokens: () => [...state.issued],
    setClockSkew: (seconds: number) => state.setClockSkew(seconds),
    oauth2: {
      stats: state.oauth2.stats,
      issuedTokens: () => state.oauth2.issuedTokens(),
      expireAccessTokens: (token?: string) => state.oauth2.expireAccessTokens(token),
      revokeAll: () => state.oauth2.revokeAll(),
      addClient: (client) => { state.oauth2.addClient(client); },
      setTtl: (o) => {
        if (o.accessSeconds !== undefined) state.oauth2.accessTtlMs = o.accessSeconds * 1000;
        if (o.refreshSeconds !== undefined) state.oauth2.refreshTtlMs = o.refreshSeconds * 1000;
      },
    },
    cloudEndpoints: {
      authorize: `${state.url}/authorize`,
      token: `${state.url}/oauth/token`,
      accessibleResources: `${state.url}/oauth/token/accessible-resources`,
      apiBase: `${state.url}/ex/jira/{cloudId}`,
      jwks: `${state.url}/.well-known/jwks.json`,
    },
    resetCaptcha: (user?: string) => { if (user === undefined) state.basicFailures.clear(); else state.basicFailures.delete(user); },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        destroyConnections();
      });
      return closed;
    },
  };
}
