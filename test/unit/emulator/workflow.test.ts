/* eslint-disable @typescript-eslint/no-explicit-any -- the emulator's JSON answers, checked field by field */
// The emulator's writes (issue 23): transitions, assignee, comments and user search, Data Center
// and Cloud mode, validated like Jira (workflow.ts). Raw HTTP with a PAT (Data Center) or an API
// token (Cloud): what the extension sends is tested in test/unit/core/writes.test.ts.
import * as assert from 'node:assert/strict';
import { startEmulator, Emulator } from '../../emulator';
import { accountId } from '../../emulator/cloud3lo';
import { MESSAGES, USERS_WITH_VIEWER } from '../../emulator/workflow';
import { parseArgs } from '../../emulator/cli';
import { basic } from './helpers';

const PAT = 'workflow-pat';
const VIEWER = 'workflow-viewer-pat';

type Call = { method?: string; body?: unknown; raw?: string; type?: string; auth?: string };

async function call(em: Emulator, path: string, init: Call = {}): Promise<{ status: number; json: any }> {
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const res = await fetch(`${em.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: init.auth ?? `Bearer ${PAT}`, ...(body !== undefined ? { 'Content-Type': init.type ?? 'application/json' } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** The key of the first issue a JQL finds (the data is deterministic, the state is not). */
async function first(em: Emulator, jql: string, auth?: string): Promise<string> {
  const r = await call(em, `/rest/api/2/search?maxResults=1&fields=summary&jql=${encodeURIComponent(jql)}`, { auth });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.ok(r.json.issues.length, `no issue for ${jql}`);
  return r.json.issues[0].key;
}

async function issue(em: Emulator, key: string, auth?: string): Promise<any> {
  return (await call(em, `/rest/api/2/issue/${key}?fields=status,assignee,resolution,comment`, { auth })).json.fields;
}

describe('emulator: workflow, assignee and comments (Data Center)', () => {
  let em: Emulator;
  beforeEach(async () => {
    em = await startEmulator({
      issueCount: 60,
      users: USERS_WITH_VIEWER,
      pats: { [PAT]: 'admin', [VIEWER]: 'carol' },
      readOnlyUsers: ['carol'],
    });
  });
  afterEach(async () => em?.close());

  it('lists the transitions of the issue\'s status, with the screen\'s fields only when expanded', async () => {
    const key = await first(em, 'status = "To Do"');
    const plain = await call(em, `/rest/api/2/issue/${key}/transitions`);
    assert.equal(plain.status, 200);
    assert.deepEqual(plain.json.transitions.map((t: any) => [t.id, t.name, t.to.name, t.to.statusCategory.key, t.hasScreen]),
      [['11', 'Start Progress', 'In Progress', 'indeterminate', false], ['31', 'Done', 'Done', 'done', true]]);
    assert.equal(plain.json.transitions[1].fields, undefined);
    const expanded = await call(em, `/rest/api/2/issue/${key}/transitions?expand=transitions.fields`);
    const resolution = expanded.json.transitions[1].fields.resolution;
    assert.equal(resolution.required, true);
    assert.deepEqual(resolution.allowedValues.map((v: any) => v.name), ['Done', "Won't Do", 'Duplicate']);
    const done = await first(em, 'status = Done');
    assert.deepEqual((await call(em, `/rest/api/2/issue/${done}/transitions`)).json.transitions.map((t: any) => t.name), ['Reopen']);
  });

  it('moves the issue on a valid transition (204), and the issue and JQL show it', async () => {
    const key = await first(em, 'status = "To Do" AND assignee is not EMPTY');
    const r = await call(em, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '11' } } });
    assert.equal(r.status, 204);
    assert.equal((await issue(em, key)).status.name, 'In Progress');
    const resolved = await call(em, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '31' }, fields: { resolution: { name: "Won't Do" } } } });
    assert.equal(resolved.status, 204);
    const f = await issue(em, key);
    assert.deepEqual([f.status.name, f.resolution.name], ['Done', "Won't Do"]);
    assert.equal(await first(em, `key = ${key} AND resolution is not EMPTY`), key);
  });

  it('refuses bad transition requests with Jira\'s messages and changes nothing', async () => {
    const key = await first(em, 'status = "To Do" AND assignee is not EMPTY');
    const post = (body: unknown, extra: Partial<Call> = {}) => call(em, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body, ...extra });
    const cases: Array<[Promise<{ status: number; json: any }>, number, unknown]> = [
      [post({}), 400, { errorMessages: [MESSAGES.missingTransition], errors: {} }],
      [post({ transition: { id: '41' } }), 400, { errorMessages: [MESSAGES.invalidTransition('41')], errors: {} }],
      [post({ transition: { id: '31' } }), 400, { errorMessages: [], errors: { resolution: MESSAGES.resolutionRequired } }],
      [post({ transition: { id: '31' }, fields: { resolution: { name: 'Fixed' } } }), 400, { errorMessages: [], errors: { resolution: MESSAGES.badResolution } }],
      [post({ transition: { id: '11' }, fields: { resolution: { name: 'Done' } } }), 400, { errorMessages: [], errors: { resolution: MESSAGES.notOnScreen('resolution') } }],
      [post([1]), 400, { errorMessages: [MESSAGES.notJsonObject], errors: {} }],
    ];
    for (const [p, status, body] of cases) {
      const r = await p;
      assert.equal(r.status, status);
      assert.deepEqual(r.json, body);
    }
    assert.equal((await post(undefined, { raw: '{"transition":', type: 'application/json' })).status, 400);
    assert.equal((await post(undefined, { raw: 'transition=11', type: 'application/x-www-form-urlencoded' })).status, 415);
    assert.equal((await call(em, '/rest/api/2/issue/NOPE-1/transitions', { method: 'POST', body: { transition: { id: '11' } } })).status, 404);
    assert.equal((await issue(em, key)).status.name, 'To Do');
  });

  it('a validator refuses to resolve an unassigned issue', async () => {
    const key = await first(em, 'status = "To Do" AND assignee is EMPTY');
    const r = await call(em, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '31' }, fields: { resolution: { id: '10000' } } } });
    assert.deepEqual([r.status, r.json.errorMessages], [400, [MESSAGES.mustBeAssigned]]);
    assert.equal((await issue(em, key)).status.name, 'To Do');
  });

  it('a user without permission sees no transitions and is refused every write (403)', async () => {
    const key = await first(em, 'status = "To Do"');
    const auth = `Bearer ${VIEWER}`;
    assert.deepEqual((await call(em, `/rest/api/2/issue/${key}/transitions`, { auth })).json.transitions, []);
    const tr = await call(em, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '11' } }, auth });
    assert.deepEqual([tr.status, tr.json.errorMessages], [403, [MESSAGES.noTransitionPermission]]);
    const as = await call(em, `/rest/api/2/issue/${key}/assignee`, { method: 'PUT', body: { name: 'carol' }, auth });
    assert.deepEqual([as.status, as.json.errorMessages], [403, [MESSAGES.noAssignPermission]]);
    const co = await call(em, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body: { body: 'hi' }, auth });
    assert.deepEqual([co.status, co.json.errorMessages], [403, [MESSAGES.noCommentPermission]]);
    assert.equal((await issue(em, key)).status.name, 'To Do');
  });

  it('assigns by name or key, unassigns with null, refuses unknown and non-assignable users', async () => {
    const key = await first(em, 'assignee is EMPTY');
    const put = (body: unknown) => call(em, `/rest/api/2/issue/${key}/assignee`, { method: 'PUT', body });
    assert.equal((await put({ name: 'bob' })).status, 204);
    assert.equal((await issue(em, key)).assignee.name, 'bob');
    assert.equal((await put({ key: 'JIRAUSER10000' })).status, 204);
    assert.equal((await issue(em, key)).assignee.name, 'admin');
    assert.equal((await put({ name: null })).status, 204);
    assert.equal((await issue(em, key)).assignee, null);
    assert.deepEqual((await put({ name: 'nobody' })).json, { errorMessages: [], errors: { assignee: MESSAGES.noUser('nobody') } });
    assert.deepEqual((await put({ name: 'carol' })).json, { errorMessages: [], errors: { assignee: MESSAGES.notAssignable('carol') } });
    assert.equal((await issue(em, key)).assignee, null);
  });

  it('comments take wiki text; empty and too long bodies are refused', async () => {
    const key = await first(em, 'project = DEMO');
    const before = (await issue(em, key)).comment.total;
    const ok = await call(em, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body: { body: 'Line *one*\nline two' } });
    assert.equal(ok.status, 201);
    assert.equal(ok.json.body, 'Line *one*\nline two');
    const empty = await call(em, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body: { body: '  ' } });
    assert.deepEqual([empty.status, empty.json.errors], [400, { comment: MESSAGES.emptyComment }]);
    const long = await call(em, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body: { body: 'x'.repeat(32768) } });
    assert.deepEqual([long.status, long.json.errors], [400, { comment: MESSAGES.tooLong }]);
    assert.equal((await issue(em, key)).comment.total, before + 1);
  });

  it('searches assignable users by user name (never the read-only one); /rest/api/3 does not exist', async () => {
    const key = await first(em, 'project = DEMO');
    const r = await call(em, `/rest/api/2/user/assignable/search?issueKey=${key}&username=b`);
    assert.deepEqual(r.json.map((u: any) => [u.name, u.displayName]), [['bob', 'Bob Builder']]);
    assert.deepEqual((await call(em, `/rest/api/2/user/assignable/search?issueKey=${key}&username=`)).json.map((u: any) => u.name), ['admin', 'bob']);
    assert.equal((await call(em, '/rest/api/2/user/assignable/search?username=b')).status, 400);
    assert.equal((await call(em, `/rest/api/3/issue/${key}/transitions`)).status, 404);
  });
});

describe('emulator: workflow, assignee and comments (Cloud mode)', () => {
  let em: Emulator;
  const TOKEN = 'workflow-api-token';
  const auth = basic('admin@example.com', TOKEN);
  beforeEach(async () => {
    em = await startEmulator({ issueCount: 30, deploymentType: 'Cloud', apiTokens: { [TOKEN]: 'admin' } });
  });
  afterEach(async () => em?.close());

  it('users carry account ids; the assignee is set by accountId only', async () => {
    const key = (await call(em, '/rest/api/3/search/jql?jql=project%3DDEMO&maxResults=1&fields=summary', { auth })).json.issues[0].key;
    const me = (await call(em, '/rest/api/2/myself', { auth })).json;
    assert.equal(me.accountId, accountId('admin'));
    const byName = await call(em, `/rest/api/3/issue/${key}/assignee`, { method: 'PUT', body: { name: 'bob' }, auth });
    assert.deepEqual([byName.status, byName.json.errors], [400, { accountId: MESSAGES.accountIdRequired }]);
    assert.equal((await call(em, `/rest/api/3/issue/${key}/assignee`, { method: 'PUT', body: { accountId: accountId('bob') }, auth })).status, 204);
    assert.equal((await issue(em, key, auth)).assignee.accountId, accountId('bob'));
  });

  it('user search takes query; username is refused (GDPR strict mode)', async () => {
    const ok = await call(em, '/rest/api/3/user/assignable/search?issueKey=DEMO-1&query=bob', { auth });
    assert.deepEqual(ok.json.map((u: any) => u.accountId), [accountId('bob')]);
    const refused = await call(em, '/rest/api/2/user/assignable/search?issueKey=DEMO-1&username=bob', { auth });
    assert.deepEqual([refused.status, refused.json.errorMessages], [400, [MESSAGES.usernameGdpr]]);
  });

  it('v3 comments take ADF and refuse a plain string; v2 takes the plain text', async () => {
    const adf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'From ADF' }] }] };
    const v3 = await call(em, '/rest/api/3/issue/DEMO-1/comment', { method: 'POST', body: { body: adf }, auth });
    assert.equal(v3.status, 201);
    assert.equal(v3.json.body, 'From ADF');
    const plain = await call(em, '/rest/api/3/issue/DEMO-1/comment', { method: 'POST', body: { body: 'plain' }, auth });
    assert.deepEqual([plain.status, plain.json.errors], [400, { comment: MESSAGES.badAdf }]);
    assert.equal((await call(em, '/rest/api/2/issue/DEMO-1/comment', { method: 'POST', body: { body: 'plain' }, auth })).status, 201);
  });

  it('transitions work under v3 as under v2', async () => {
    const list = await call(em, '/rest/api/3/issue/DEMO-1/transitions', { auth });
    assert.equal(list.status, 200);
    assert.ok(list.json.transitions.length > 0);
  });
});

describe('emulator CLI: --read-only-user', () => {
  it('collects the read-only users (repeatable)', () => {
    assert.deepEqual(parseArgs(['--read-only-user', 'carol', '--read-only-user', 'dave']).readOnlyUsers, ['carol', 'dave']);
    assert.equal(parseArgs([]).readOnlyUsers, undefined);
  });
});
