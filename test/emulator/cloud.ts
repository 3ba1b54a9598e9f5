// Cloud mode (deploymentType: 'Cloud'): Jira Cloud's enhanced search
// `GET/POST /rest/api/3/search/jql` pages with an opaque `nextPageToken` and `isLast`, and sends no
// `total`; the old `/rest/api/{2,3,latest}/search` answers 410 Gone. serverInfo reports
// deploymentType "Cloud". Outside Cloud mode /rest/api/3/search/jql does not exist (404).
import { createHash } from 'node:crypto';
import { selectFields } from './data';
import { contentType, Ctx, isJsonContentType, jsonBody, queryParam, send, sendErrors, sendJson } from './http';
import { compileJql, JqlError, parseJql } from './jql';
import type { Router } from './router';

/** Cloud's answer on the removed search endpoints. */
export const SEARCH_GONE_MESSAGE = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. '
  + 'A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
export const UNBOUNDED_MESSAGE = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
export const BAD_TOKEN_MESSAGE = 'The provided next page token is invalid or expired.';
/** Cloud returns at most this many issues per page when fields are requested. */
export const CLOUD_MAX_RESULTS = 100;

export function isCloud(ctx: Ctx): boolean {
  return ctx.state.deploymentType === 'Cloud';
}

/** 410 Gone for the old search, in Cloud mode. */
export function searchGone(ctx: Ctx): void {
  sendErrors(ctx, 410, [SEARCH_GONE_MESSAGE]);
}

function jqlHash(jql: string): string {
  return createHash('sha256').update(jql).digest('base64url').slice(0, 12);
}

export function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, h: jqlHash(jql) })).toString('base64url');
}

export function decodePageToken(token: string, jql: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; h?: unknown };
    if (typeof v.o !== 'number' || !Number.isInteger(v.o) || v.o < 0 || v.h !== jqlHash(jql)) return undefined;
    return v.o;
  } catch {
    return undefined;
  }
}

/** Atlassian Document Format for a plain text (v3 answers rich text fields as ADF). */
function adf(text: string): unknown {
  return { type: 'doc', version: 1, content: text.split(/\n{2,}/).map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })) };
}

function searchJql(ctx: Ctx): void {
  if (!isCloud(ctx)) {
    return sendJson(ctx, 404, { message: `null for uri: ${ctx.state.baseUrl}${ctx.path}`, 'status-code': 404 });
  }
  let params: { jql?: unknown; nextPageToken?: unknown; maxResults?: unknown; fields?: unknown; expand?: unknown };
  if (ctx.method === 'POST') {
    if (!isJsonContentType(contentType(ctx))) return send(ctx, 415, '', {});
    const body = jsonBody(ctx);
    if (!body.ok) return;
    if (body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) return sendErrors(ctx, 400, ['The search request must be a JSON object.']);
    params = body.value as typeof params;
  } else {
    params = {
      jql: queryParam(ctx, 'jql'),
      nextPageToken: queryParam(ctx, 'nextPageToken'),
      maxResults: queryParam(ctx, 'maxResults'),
      fields: ctx.query.filter(([k]) => k === 'fields').map(([, v]) => v).join(',') || undefined,
      expand: queryParam(ctx, 'expand'),
    };
  }
  const jql = typeof params.jql === 'string' ? params.jql : '';
  const rawMax = params.maxResults === undefined || params.maxResults === '' ? 50 : Number(params.maxResults);
  if (!Number.isInteger(rawMax)) return sendErrors(ctx, 400, [`The 'maxResults' parameter must be an integer, got '${String(params.maxResults)}'.`]);
  const max = Math.min(Math.max(1, rawMax), CLOUD_MAX_RESULTS);
  let offset = 0;
  if (params.nextPageToken !== undefined && params.nextPageToken !== null && params.nextPageToken !== '') {
    const o = typeof params.nextPageToken === 'string' ? decodePageToken(params.nextPageToken, jql) : undefined;
    if (o === undefined) return sendErrors(ctx, 400, [BAD_TOKEN_MESSAGE]);
    offset = o;
  }
  const state = ctx.state;
  let matching;
  try {
    const parsed = parseJql(jql);
    if (!parsed.where) return sendErrors(ctx, 400, [UNBOUNDED_MESSAGE]);
    const compiled = compileJql(parsed, { data: state.data, users: state.users, currentUser: ctx.user?.name, now: state.now() });
    matching = state.data.records().filter(compiled.filter).sort(compiled.compare);
  } catch (e) {
    if (e instanceof JqlError) return sendErrors(ctx, 400, [e.message]);
    throw e;
  }
  const spec = Array.isArray(params.fields) ? params.fields.map(String) : typeof params.fields === 'string' ? params.fields : undefined;
  // The enhanced search returns only ids unless fields are asked for.
  const fields = spec === undefined || (Array.isArray(spec) && spec.length === 0) ? [] : selectFields(spec, '*navigable');
  const expand = new Set(typeof params.expand === 'string' ? params.expand.split(',').map((s) => s.trim()) : []);
  const page = matching.slice(offset, offset + max);
  const end = offset + page.length;
  const isLast = end >= matching.length;
  const issues = page.map((r) => {
    const json = state.data.issueJson(r, fields, new Set([...expand].filter((x) => x === 'renderedFields')));
    const f = json.fields as Record<string, unknown>;
    if (typeof f.description === 'string') f.description = adf(f.description);
    return json;
  });
  sendJson(ctx, 200, { issues, isLast, ...(isLast ? {} : { nextPageToken: encodePageToken(end, jql) }) });
}

export function registerCloud(router: Router): void {
  router.add(['GET', 'POST'], '/rest/api/3/search/jql', 'required', searchJql);
  // The old search endpoints in Cloud mode (registered before the Server ones, which answer otherwise).
  router.add(['GET', 'POST'], '/rest/api/3/search', 'required', (ctx) => (isCloud(ctx) ? searchGone(ctx) : sendJson(ctx, 404, { message: `null for uri: ${ctx.state.baseUrl}${ctx.path}`, 'status-code': 404 })));
}
