// The per-request context handed to route handlers, and response helpers. Every response goes
// through send(), which also records the request log entry before the response ends.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formDecode, isFormContentType, Param } from './rfc5849';
import type { EmulatorState, User } from './state';
import type { RequestLogEntry } from './types';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  state: EmulatorState;
  method: string;
  /** The path as received (still percent-encoded), including the context path, without the query. */
  rawPath: string;
  /** The raw path after the context path ('/' at least). */
  path: string;
  /** The raw query string, without '?'. */
  rawQuery: string;
  /** The query, form-decoded. */
  query: Param[];
  params: Record<string, string>;
  body: Buffer;
  /** The REST caller, once authenticated. */
  user?: User;
  /** Cloud mode: the site of an /ex/jira/{cloudId}/... request (path is then the site's path). */
  cloudId?: string;
  /** Filled in as the request is handled; written to the request log by send(). */
  log: { auth: RequestLogEntry['auth']; user?: string; oauthProblem?: string };
  started: number;
  done: boolean;
}

export function queryParam(ctx: Ctx, name: string): string | undefined {
  return ctx.query.find(([k]) => k === name)?.[1];
}

export function header(ctx: Ctx, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function contentType(ctx: Ctx): string {
  return header(ctx, 'content-type') ?? '';
}

export function isJsonContentType(ct: string): boolean {
  const media = ct.split(';')[0].trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

/** The form body's fields when the request is application/x-www-form-urlencoded, else []. */
export function formBody(ctx: Ctx): Param[] {
  return isFormContentType(contentType(ctx)) ? formDecode(ctx.body.toString('utf8')) : [];
}

export function formField(ctx: Ctx, name: string): string | undefined {
  return formBody(ctx).find(([k]) => k === name)?.[1];
}

export function send(ctx: Ctx, status: number, body: string | Buffer, headers: Record<string, string | string[]> = {}): void {
  if (ctx.done) return;
  ctx.done = true;
  const res = ctx.res;
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.setHeader('Content-Length', String(buf.length));
  res.setHeader('X-AREQUESTID', `${Math.floor(ctx.started / 1000) % 100000}x${ctx.state.requests.length + 1}x1`);
  res.setHeader('X-AUSERNAME', ctx.log.user ?? 'anonymous');
  const entry: RequestLogEntry = {
    method: ctx.method,
    path: ctx.rawPath,
    query: ctx.query.map(([k, v]) => [k, v] as [string, string]),
    auth: ctx.log.auth,
    status,
    time: ctx.started,
  };
  if (ctx.log.user !== undefined) entry.user = ctx.log.user;
  if (ctx.log.oauthProblem !== undefined) entry.oauthProblem = ctx.log.oauthProblem;
  ctx.state.requests.push(entry);
  try {
    ctx.state.options.onRequest?.(entry);
  } catch {
    // a logging hook must not break the response
  }
  res.end(ctx.method === 'HEAD' ? undefined : buf);
}

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const HTML_TYPE = 'text/html;charset=UTF-8';

export function sendJson(ctx: Ctx, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(ctx, status, JSON.stringify(value), { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, no-store, no-transform', ...headers });
}

/** What Jira's Jersey answers for a REST resource it does not have: 404 with "null for uri: <url>". */
export function sendNullForUri(ctx: Ctx): void {
  sendJson(ctx, 404, { message: `null for uri: ${ctx.state.baseUrl}${ctx.path}${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}`, 'status-code': 404 });
}

/**
 * The way back from this request's page to the site's root (its context path): './' for '/x',
 * '../../' for '/plugins/servlet/x'. Relative, so that it holds wherever the site is mounted.
 */
export function siteRoot(ctx: Ctx): string {
  const cp = ctx.state.contextPath;
  const below = cp && ctx.rawPath.startsWith(`${cp}/`) ? ctx.rawPath.slice(cp.length) : ctx.rawPath;
  const depth = below.split('/').length - 2;
  return depth > 0 ? '../'.repeat(depth) : './';
}

/**
 * An HTML page. Its links and form actions are relative to the site's root (`plugins/servlet/...`),
 * and a relative `<base href>` (siteRoot) anchors them: the pages then work at the site's own
 * address and behind a path-prefix proxy alike, such as code-server's port forwarding
 * (`http://<code-server>/proxy/<port>/...`, which strips the prefix before the request arrives).
 */
export function sendHtml(ctx: Ctx, status: number, html: string, headers: Record<string, string> = {}): void {
  html = html.replace(/<head>/i, `<head>\n<base href="${siteRoot(ctx)}">`);
  send(ctx, status, html, {
    'Content-Type': HTML_TYPE,
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    'X-Frame-Options': 'SAMEORIGIN',
    'Content-Security-Policy': "frame-ancestors 'self'",
    ...headers,
  });
}

export function sendText(ctx: Ctx, status: number, text: string, headers: Record<string, string> = {}): void {
  send(ctx, status, text, { 'Content-Type': 'text/plain;charset=UTF-8', ...headers });
}

/** Jira's REST error body. */
export function sendErrors(ctx: Ctx, status: number, errorMessages: string[], errors: Record<string, string> = {}, headers: Record<string, string> = {}): void {
  sendJson(ctx, status, { errorMessages, errors }, headers);
}

export function redirect(ctx: Ctx, location: string, status = 302): void {
  send(ctx, status, '', { Location: location });
}

/** Parses a JSON body; answers 400 itself and returns undefined when it is not JSON. */
export function jsonBody(ctx: Ctx): { ok: true; value: unknown } | { ok: false } {
  const text = ctx.body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    sendErrors(ctx, 400, [`Unexpected character in the JSON body: ${(e as Error).message}`]);
    return { ok: false };
  }
}
