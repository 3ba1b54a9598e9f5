// Working on an issue (issue 23): Jira's workflow (transitions per status, a transition screen
// that requires a resolution, a validator that refuses), the assignee, comments in Cloud's v3
// (Atlassian Document Format) and assignable-user search, on Data Center and in Cloud mode.
// Writes are validated like the other resources: JSON only (415 otherwise), Jira's
// `{ errorMessages, errors }` for a bad body, 404 for an unknown issue, 403 for a user without the
// permission (EmulatorOptions.readOnlyUsers), 204 on success.
import { RESOLUTION_DONE, STATUSES, Status } from './data';
import type { IssueRecord } from './data';
import { accountId } from './cloud3lo';
import { isCloud } from './cloud';
import { contentType, Ctx, isJsonContentType, jsonBody, queryParam, send, sendErrors, sendJson } from './http';
import type { Router } from './router';
import type { User } from './state';

export interface Transition {
  id: string;
  name: string;
  to: Status;
  /** A transition screen with a required Resolution field. */
  screen?: boolean;
  /** A workflow validator: the issue must have an assignee. */
  needsAssignee?: boolean;
}

const [TODO, IN_PROGRESS, DONE] = STATUSES;

/** Jira's classic workflow, trimmed: what each status (by id) offers. */
export const WORKFLOW: Record<string, Transition[]> = {
  [TODO.id]: [
    { id: '11', name: 'Start Progress', to: IN_PROGRESS },
    { id: '31', name: 'Done', to: DONE, screen: true, needsAssignee: true },
  ],
  [IN_PROGRESS.id]: [
    { id: '21', name: 'Stop Progress', to: TODO },
    { id: '31', name: 'Done', to: DONE, screen: true, needsAssignee: true },
  ],
  [DONE.id]: [{ id: '41', name: 'Reopen', to: TODO }],
};

export const RESOLUTIONS = [
  RESOLUTION_DONE,
  { id: '10001', name: "Won't Do", description: 'This issue won\'t be actioned.' },
  { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
];

/** Jira's answers (the wording of Jira 9 where known). */
export const MESSAGES = {
  missingTransition: "Missing 'transition' identifier",
  invalidTransition: (id: string) => `Transition id '${id}' is not valid for this issue.`,
  resolutionRequired: 'Resolution is required.',
  badResolution: "Could not find valid 'id' or 'name' in resolution object.",
  notOnScreen: (field: string) => `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`,
  mustBeAssigned: 'An issue must be assigned before it can be resolved.',
  noTransitionPermission: 'You do not have permission to transition this issue.',
  noAssignPermission: 'You do not have permission to assign issues.',
  noCommentPermission: 'You do not have the permission to comment on this issue.',
  emptyComment: 'Comment body can not be empty!',
  tooLong: 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.',
  noUser: (name: string) => `User '${name}' does not exist.`,
  notAssignable: (name: string) => `User '${name}' cannot be assigned issues.`,
  accountIdRequired: "The 'accountId' is required: user names are not supported in GDPR strict mode.",
  usernameGdpr: "The query parameter 'username' is not supported in GDPR strict mode.",
  notJsonObject: 'The request body must be a JSON object.',
  badAdf: 'Comment body is not valid! It must be an Atlassian Document Format document.',
};

export const MAX_COMMENT = 32767;

/** The default users plus carol, who may only browse (pass with `readOnlyUsers: ['carol']`). */
export const USERS_WITH_VIEWER = [
  { name: 'admin', displayName: 'Alice Admin', emailAddress: 'admin@example.com', password: 'admin' },
  { name: 'bob', displayName: 'Bob Builder', emailAddress: 'bob@example.com', password: 'bob' },
  { name: 'carol', displayName: 'Carol Viewer', emailAddress: 'carol@example.com', password: 'carol' },
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export function transitionsFor(rec: IssueRecord): Transition[] {
  return WORKFLOW[rec.status.id] ?? [];
}

function canWrite(ctx: Ctx): boolean {
  return !!ctx.user && !ctx.state.readOnlyUsers.has(ctx.user.name);
}

/** The issue of the route, or a 404 already sent. */
function issueOf(ctx: Ctx): IssueRecord | undefined {
  const rec = ctx.state.data.find(ctx.params.key);
  if (!rec) sendErrors(ctx, 404, ['Issue Does Not Exist']);
  return rec;
}

/** The JSON object body of a write, or undefined when an error was sent (415, 400). */
function objectBody(ctx: Ctx): Obj | undefined {
  if (!isJsonContentType(contentType(ctx))) {
    send(ctx, 415, '', {});
    return undefined;
  }
  const body = jsonBody(ctx);
  if (!body.ok) return undefined;
  if (!isObj(body.value)) {
    sendErrors(ctx, 400, [MESSAGES.notJsonObject]);
    return undefined;
  }
  return body.value;
}

/** /rest/api/3 exists only in Cloud mode (Jersey's 404 elsewhere). */
function v3Only(ctx: Ctx): boolean {
  if (isCloud(ctx)) return true;
  sendJson(ctx, 404, { message: `null for uri: ${ctx.state.baseUrl}${ctx.path}`, 'status-code': 404 });
  return false;
}

function transitionJson(ctx: Ctx, t: Transition, withFields: boolean): Obj {
  const base = ctx.state.baseUrl;
  const out: Obj = {
    id: t.id, name: t.name, to: ctx.state.data.statusJson(t.to),
    hasScreen: !!t.screen, isGlobal: false, isInitial: false, isAvailable: true, isConditional: false, isLooped: false,
  };
  if (withFields) {
    out.fields = t.screen
      ? {
          resolution: {
            required: true, schema: { type: 'resolution', system: 'resolution' }, name: 'Resolution', key: 'resolution',
            hasDefaultValue: false, operations: ['set'],
            allowedValues: RESOLUTIONS.map((r) => ({ self: `${base}/rest/api/2/resolution/${r.id}`, ...r })),
          },
        }
      : {};
  }
  return out;
}

function getTransitions(ctx: Ctx): void {
  const rec = issueOf(ctx);
  if (!rec) return;
  const expand = (queryParam(ctx, 'expand') ?? '').split(',').map((s) => s.trim());
  // Jira lists no transitions to a user who may not transition the issue (no error).
  const list = canWrite(ctx) ? transitionsFor(rec) : [];
  const only = queryParam(ctx, 'transitionId');
  const shown = only ? list.filter((t) => t.id === only) : list;
  sendJson(ctx, 200, { expand: 'transitions', transitions: shown.map((t) => transitionJson(ctx, t, expand.includes('transitions.fields'))) });
}

function postTransition(ctx: Ctx): void {
  const rec = issueOf(ctx);
  if (!rec) return;
  const body = objectBody(ctx);
  if (!body) return;
  if (!canWrite(ctx)) return sendErrors(ctx, 403, [MESSAGES.noTransitionPermission]);
  const tr = body.transition;
  const id = isObj(tr) && (typeof tr.id === 'string' || typeof tr.id === 'number') ? String(tr.id) : undefined;
  if (!id) return sendErrors(ctx, 400, [MESSAGES.missingTransition]);
  const t = transitionsFor(rec).find((x) => x.id === id);
  if (!t) return sendErrors(ctx, 400, [MESSAGES.invalidTransition(id)]);
  const fields = body.fields === undefined || body.fields === null ? {} : body.fields;
  if (!isObj(fields)) return sendErrors(ctx, 400, [MESSAGES.notJsonObject]);
  const errors: Record<string, string> = {};
  for (const f of Object.keys(fields)) if (!(t.screen && f === 'resolution')) errors[f] = MESSAGES.notOnScreen(f);
  let resolution: (typeof RESOLUTIONS)[number] | undefined;
  if (t.screen) {
    const r = fields.resolution;
    if (r === undefined || r === null) errors.resolution = MESSAGES.resolutionRequired;
    else {
      resolution = isObj(r) ? RESOLUTIONS.find((x) => (r.id !== undefined && String(r.id) === x.id) || (r.name !== undefined && r.name === x.name)) : undefined;
      if (!resolution) errors.resolution = MESSAGES.badResolution;
    }
  }
  if (Object.keys(errors).length) return sendErrors(ctx, 400, [], errors);
  if (t.needsAssignee && rec.assignee === null) return sendErrors(ctx, 400, [MESSAGES.mustBeAssigned]);
  const now = ctx.state.now();
  rec.status = t.to;
  rec.updated = now;
  if (t.to.category.key === 'done') {
    rec.resolutiondate = now;
    rec.resolution = resolution ?? RESOLUTION_DONE;
  } else {
    rec.resolutiondate = null;
    rec.resolution = undefined;
  }
  send(ctx, 204, '');
}

/** The user a user-search hit or an assignee body names, in this deployment's terms. */
function findUser(ctx: Ctx, by: 'name' | 'key' | 'accountId', value: string): User | undefined {
  for (const u of ctx.state.users.values()) {
    if (by === 'accountId' ? accountId(u.name) === value : by === 'key' ? u.key === value : u.name.toLowerCase() === value.toLowerCase()) return u;
  }
  return undefined;
}

function putAssignee(ctx: Ctx): void {
  const rec = issueOf(ctx);
  if (!rec) return;
  const body = objectBody(ctx);
  if (!body) return;
  if (!canWrite(ctx)) return sendErrors(ctx, 403, [MESSAGES.noAssignPermission]);
  const cloud = isCloud(ctx);
  let by: 'name' | 'key' | 'accountId';
  if (cloud) {
    if (!('accountId' in body)) return sendErrors(ctx, 400, [], { accountId: MESSAGES.accountIdRequired });
    by = 'accountId';
  } else {
    by = 'name' in body ? 'name' : 'key' in body ? 'key' : 'name';
  }
  const value = body[by];
  if (value === null || value === undefined) {
    // null: unassigned.
    rec.assignee = null;
  } else if (typeof value !== 'string' || value.trim() === '') {
    return sendErrors(ctx, 400, [], { assignee: MESSAGES.noUser(String(value)) });
  } else if (value === '-1') {
    // The project's default assignee (the project lead: the first user here).
    rec.assignee = [...ctx.state.users.keys()][0];
  } else {
    const u = findUser(ctx, by, value);
    if (!u) return sendErrors(ctx, 400, [], { assignee: MESSAGES.noUser(value) });
    if (ctx.state.readOnlyUsers.has(u.name)) return sendErrors(ctx, 400, [], { assignee: MESSAGES.notAssignable(cloud ? u.displayName : u.name) });
    rec.assignee = u.name;
  }
  rec.updated = ctx.state.now();
  send(ctx, 204, '');
}

/** Atlassian Document Format -> the wiki text the emulator stores (paragraphs, text nodes, hard breaks). */
export function adfToText(doc: unknown): string | undefined {
  if (!isObj(doc) || doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) return undefined;
  const blocks: string[] = [];
  for (const block of doc.content) {
    if (!isObj(block) || !Array.isArray(block.content ?? [])) return undefined;
    let text = '';
    for (const node of (block.content ?? []) as unknown[]) {
      if (!isObj(node)) return undefined;
      if (node.type === 'text' && typeof node.text === 'string') text += node.text;
      else if (node.type === 'hardBreak') text += '\n';
      else return undefined;
    }
    blocks.push(text);
  }
  return blocks.join('\n\n');
}

/** Cloud's v3 comment: the body is ADF; a plain string is refused. */
function postCommentV3(ctx: Ctx): void {
  const rec = issueOf(ctx);
  if (!rec) return;
  const body = objectBody(ctx);
  if (!body) return;
  if (!canWrite(ctx)) return sendErrors(ctx, 403, [MESSAGES.noCommentPermission]);
  const text = adfToText(body.body);
  if (text === undefined) return sendErrors(ctx, 400, [], { comment: MESSAGES.badAdf });
  addComment(ctx, rec, text);
}

/** v2 (Data Center, Cloud): `{ body: "wiki markup" }`. */
export function postCommentV2(ctx: Ctx, rec: IssueRecord): void {
  if (!canWrite(ctx)) return sendErrors(ctx, 403, [MESSAGES.noCommentPermission]);
  const body = jsonBody(ctx);
  if (!body.ok) return;
  if (!isObj(body.value)) return sendErrors(ctx, 400, [MESSAGES.notJsonObject]);
  addComment(ctx, rec, body.value.body);
}

function addComment(ctx: Ctx, rec: IssueRecord, text: unknown): void {
  if (typeof text !== 'string' || text.trim() === '') return sendErrors(ctx, 400, [], { comment: MESSAGES.emptyComment });
  if (text.length > MAX_COMMENT) return sendErrors(ctx, 400, [], { comment: MESSAGES.tooLong });
  const state = ctx.state;
  const c = state.data.addComment(rec, (ctx.user as User).name, text, state.now());
  const json = state.data.commentJson(rec, c) as { self: string };
  sendJson(ctx, 201, json, { Location: json.self });
}

/**
 * Assignable users. Data Center: `username` (matches the name, display name or e-mail, by prefix
 * of any word); Cloud: `query`, and `username` is refused (GDPR strict mode). Either needs
 * `issueKey` or `project`.
 */
function assignableSearch(ctx: Ctx): void {
  const cloud = isCloud(ctx);
  if (cloud && queryParam(ctx, 'username') !== undefined) return sendErrors(ctx, 400, [MESSAGES.usernameGdpr]);
  const issueKey = queryParam(ctx, 'issueKey');
  const project = queryParam(ctx, 'project');
  if (!issueKey && !project) return sendErrors(ctx, 400, ["At least one of 'issueKey' or 'project' must be given."]);
  if (issueKey && !ctx.state.data.find(issueKey)) return sendErrors(ctx, 404, ['Issue Does Not Exist']);
  const q = (queryParam(ctx, cloud ? 'query' : 'username') ?? '').trim().toLowerCase();
  const rawMax = Number(queryParam(ctx, 'maxResults') ?? 50);
  const max = Number.isInteger(rawMax) && rawMax > 0 ? Math.min(rawMax, 1000) : 50;
  const hits = [...ctx.state.users.values()]
    .filter((u) => !ctx.state.readOnlyUsers.has(u.name))
    .filter((u) => !q || [u.name, u.emailAddress, ...u.displayName.split(/\s+/)].some((w) => w.toLowerCase().startsWith(q)) || u.displayName.toLowerCase().startsWith(q))
    .slice(0, max);
  sendJson(ctx, 200, hits.map((u) => ctx.state.data.userJson(u.name)));
}

export function registerWorkflow(router: Router): void {
  for (const v of ['2', 'latest']) {
    router.add(['GET', 'POST'], `/rest/api/${v}/issue/:key/transitions`, 'required', (ctx) => (ctx.method === 'POST' ? postTransition(ctx) : getTransitions(ctx)));
    router.add('PUT', `/rest/api/${v}/issue/:key/assignee`, 'required', putAssignee);
    router.add('GET', `/rest/api/${v}/user/assignable/search`, 'required', assignableSearch);
  }
  const cloudOnly = (h: (ctx: Ctx) => void) => (ctx: Ctx): void => { if (v3Only(ctx)) h(ctx); };
  router.add(['GET', 'POST'], '/rest/api/3/issue/:key/transitions', 'required', cloudOnly((ctx) => (ctx.method === 'POST' ? postTransition(ctx) : getTransitions(ctx))));
  router.add('PUT', '/rest/api/3/issue/:key/assignee', 'required', cloudOnly(putAssignee));
  router.add('GET', '/rest/api/3/user/assignable/search', 'required', cloudOnly(assignableSearch));
  router.add('POST', '/rest/api/3/issue/:key/comment', 'required', cloudOnly(postCommentV3));
}
