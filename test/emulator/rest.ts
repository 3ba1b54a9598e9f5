// Jira's REST API v2 (the subset the extension uses) plus the emulator-only echo endpoint.
import { ALL_FIELDS, FIELD_NAMES, jiraDate, namesFor, NAVIGABLE_FIELDS, PROJECTS, selectFields } from './data';
import { contentType, Ctx, formBody, isJsonContentType, jsonBody, queryParam, send, sendErrors, sendJson } from './http';
import { compileJql, JqlError, parseJql } from './jql';
import type { Router } from './router';
import { isCloud, searchGone } from './cloud';
import { postCommentV2 } from './workflow';

export function registerRest(router: Router): void {
  for (const v of ['2', 'latest']) {
    router.add('GET', `/rest/api/${v}/serverInfo`, 'optional', serverInfo);
    router.add('GET', `/rest/api/${v}/myself`, 'required', myself);
    router.add(['GET', 'POST'], `/rest/api/${v}/search`, 'required', search);
    router.add('GET', `/rest/api/${v}/issue/:key`, 'required', getIssue);
    router.add(['GET', 'POST'], `/rest/api/${v}/issue/:key/comment`, 'required', comments);
    router.add('GET', `/rest/api/${v}/field`, 'required', fieldList);
    router.add('GET', `/rest/api/${v}/project`, 'required', projectList);
  }
  router.add('*', '/rest/emulator/1.0/echo', 'optional', echo);
}

function serverInfo(ctx: Ctx): void {
  const s = ctx.state;
  const nums = s.version.split('.').map((x) => parseInt(x, 10) || 0);
  while (nums.length < 3) nums.push(0);
  sendJson(ctx, 200, {
    baseUrl: s.baseUrl,
    version: s.version,
    versionNumbers: nums.slice(0, 3),
    deploymentType: s.deploymentType,
    buildNumber: nums[0] * 100000 + nums[1] * 1000 + nums[2],
    buildDate: '2023-11-21T00:00:00.000+0000',
    serverTime: jiraDate(s.now()),
    scmInfo: 'e0b4f7c2a1d3b5c6e7f8091a2b3c4d5e6f708192',
    serverTitle: s.serverTitle,
  });
}

function myself(ctx: Ctx): void {
  const u = ctx.user;
  if (!u) return sendErrors(ctx, 401, ['You are not authenticated. Authentication required to perform this operation.']);
  const base = ctx.state.data.userJson(u.name) as Record<string, unknown>;
  sendJson(ctx, 200, {
    ...base,
    deleted: false,
    locale: 'en_US',
    groups: { size: 1, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  });
}

function intParam(raw: unknown, name: string, dflt: number): number | { error: string } {
  if (raw === undefined || raw === null || raw === '') return dflt;
  const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(String(raw).trim()) : NaN;
  if (!Number.isInteger(n)) return { error: `The '${name}' parameter must be an integer, got '${String(raw)}'.` };
  return n;
}

function listParam(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

const MAX_RESULTS_LIMIT = 1000;

function search(ctx: Ctx): void {
  if (isCloud(ctx)) return searchGone(ctx); // Cloud removed this endpoint (cloud.ts)
  let params: { jql?: unknown; startAt?: unknown; maxResults?: unknown; fields?: unknown; expand?: unknown };
  if (ctx.method === 'POST') {
    if (!isJsonContentType(contentType(ctx))) return send(ctx, 415, '', {});
    const body = jsonBody(ctx);
    if (!body.ok) return;
    if (body.value !== null && (typeof body.value !== 'object' || Array.isArray(body.value))) return sendErrors(ctx, 400, ['The search request must be a JSON object.']);
    params = (body.value ?? {}) as typeof params;
  } else {
    params = {
      jql: queryParam(ctx, 'jql'),
      startAt: queryParam(ctx, 'startAt'),
      maxResults: queryParam(ctx, 'maxResults'),
      fields: ctx.query.filter(([k]) => k === 'fields').map(([, v]) => v).join(',') || undefined,
      expand: queryParam(ctx, 'expand'),
    };
  }
  const startAt = intParam(params.startAt, 'startAt', 0);
  const maxResults = intParam(params.maxResults, 'maxResults', 50);
  if (typeof startAt !== 'number') return sendErrors(ctx, 400, [startAt.error]);
  if (typeof maxResults !== 'number') return sendErrors(ctx, 400, [maxResults.error]);
  const start = Math.max(0, startAt);
  const max = Math.min(Math.max(0, maxResults), MAX_RESULTS_LIMIT);
  const jql = typeof params.jql === 'string' ? params.jql : '';
  const state = ctx.state;
  let filtered;
  try {
    const compiled = compileJql(parseJql(jql), { data: state.data, users: state.users, currentUser: ctx.user?.name, now: state.now() });
    filtered = state.data.records().filter(compiled.filter).sort(compiled.compare);
  } catch (e) {
    if (e instanceof JqlError) return sendErrors(ctx, 400, [e.message]);
    throw e;
  }
  const fieldSpec = params.fields === undefined ? undefined : listParam(params.fields);
  const fields = selectFields(fieldSpec, '*navigable');
  const expand = new Set(listParam(params.expand));
  const issueExpand = new Set([...expand].filter((x) => x !== 'names'));
  const out: Record<string, unknown> = {
    expand: 'schema,names',
    startAt: start,
    maxResults: max,
    total: filtered.length,
    issues: filtered.slice(start, start + max).map((r) => state.data.issueJson(r, fields, issueExpand)),
  };
  if (expand.has('names')) out.names = namesFor(fields);
  sendJson(ctx, 200, out);
}

function notFound(ctx: Ctx): void {
  sendErrors(ctx, 404, ['Issue Does Not Exist']);
}

function getIssue(ctx: Ctx): void {
  const rec = ctx.state.data.find(ctx.params.key);
  if (!rec) return notFound(ctx);
  const fieldsParam = ctx.query.filter(([k]) => k === 'fields').map(([, v]) => v).join(',');
  const fields = selectFields(fieldsParam || undefined, '*all');
  const expand = new Set(listParam(queryParam(ctx, 'expand')));
  sendJson(ctx, 200, ctx.state.data.issueJson(rec, fields, expand));
}

function comments(ctx: Ctx): void {
  const state = ctx.state;
  const rec = state.data.find(ctx.params.key);
  if (!rec) return notFound(ctx);
  if (ctx.method !== 'POST') {
    const c = state.data.commentsJson(rec);
    return sendJson(ctx, 200, { startAt: c.startAt, maxResults: c.maxResults, total: c.total, comments: c.comments });
  }
  if (!isJsonContentType(contentType(ctx))) return send(ctx, 415, '', {});
  postCommentV2(ctx, rec); // workflow.ts: permission, empty and too long bodies
}

function fieldList(ctx: Ctx): void {
  sendJson(ctx, 200, ALL_FIELDS.map((id) => {
    const custom = id.startsWith('customfield_');
    return {
      id, name: FIELD_NAMES[id], custom, orderable: true, navigable: NAVIGABLE_FIELDS.includes(id), searchable: true,
      clauseNames: custom ? [`cf[${id.slice(12)}]`, FIELD_NAMES[id]] : [id],
      ...(custom ? { schema: { type: id === 'customfield_10020' ? 'array' : id === 'customfield_10010' ? 'number' : 'string', custom: 'emulator', customId: Number(id.slice(12)) } } : {}),
    };
  }));
}

function projectList(ctx: Ctx): void {
  sendJson(ctx, 200, PROJECTS.map((p) => ctx.state.data.projectJson(p)));
}

/** Emulator only: what the server decoded from the request, so signing tests can compare. */
function echo(ctx: Ctx): void {
  let json: unknown = null;
  if (isJsonContentType(contentType(ctx))) {
    const b = jsonBody(ctx);
    if (!b.ok) return;
    json = b.value;
  }
  const form = formBody(ctx);
  const isForm = contentType(ctx).split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
  sendJson(ctx, 200, {
    method: ctx.method,
    path: ctx.rawPath,
    query: ctx.query,
    form: isForm ? form : null,
    json,
    user: ctx.user?.name ?? null,
  });
}
