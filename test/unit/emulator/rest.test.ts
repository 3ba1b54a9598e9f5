// REST endpoints, PAT and Basic authentication, HTTP method handling, the request log.
import * as assert from 'node:assert/strict';
import { startEmulator, Emulator } from '../../emulator';
import { basic, enc, http, json, Loose } from './helpers';

const PAT = 'pat-abc123';
const NOT_AUTH = 'You are not authenticated. Authentication required to perform this operation.';

describe('emulator REST', () => {
  let emu: Emulator;
  const bearer = { Authorization: `Bearer ${PAT}` };
  before(async () => { emu = await startEmulator({ pats: { [PAT]: 'admin', 'pat-bob': 'bob' } }); });
  after(async () => { await emu.close(); });

  describe('authentication', () => {
    it('serverInfo is anonymous and shaped like Jira', async () => {
      const res = await http(`${emu.url}/rest/api/2/serverInfo`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json;charset=UTF-8');
      const s = json(res);
      assert.equal(s.baseUrl, emu.url);
      assert.equal(s.version, '9.12.0');
      assert.deepEqual(s.versionNumbers, [9, 12, 0]);
      assert.equal(s.deploymentType, 'Server');
      assert.equal(s.serverTitle, 'Jira Emulator');
      assert.equal(typeof s.buildNumber, 'number');
      assert.match(s.serverTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    });

    it('anything else anonymous: 401 with Jira\'s message and an OAuth WWW-Authenticate', async () => {
      for (const path of ['/rest/api/2/myself', '/rest/api/2/search', '/rest/api/2/issue/DEMO-1']) {
        const res = await http(`${emu.url}${path}`);
        assert.equal(res.status, 401, path);
        assert.deepEqual(json(res), { errorMessages: [NOT_AUTH], errors: {} });
        assert.equal(res.headers['www-authenticate'], `OAuth realm="${enc(emu.url)}"`);
      }
    });

    it('a personal access token (Bearer) authenticates as its user; an unknown one is 401', async () => {
      const me = await http(`${emu.url}/rest/api/2/myself`, { headers: bearer });
      assert.equal(me.status, 200);
      const m = json(me);
      assert.equal(m.name, 'admin');
      assert.equal(m.key, 'JIRAUSER10000');
      assert.equal(m.displayName, 'Alice Admin');
      assert.equal(m.emailAddress, 'admin@example.com');
      assert.equal(m.active, true);
      assert.equal(typeof m.timeZone, 'string');
      assert.equal(json(await http(`${emu.url}/rest/api/2/myself`, { headers: { Authorization: 'Bearer pat-bob' } })).name, 'bob');
      const bad = await http(`${emu.url}/rest/api/2/myself`, { headers: { Authorization: 'Bearer nope' } });
      assert.equal(bad.status, 401);
      assert.deepEqual(json(bad).errorMessages, [NOT_AUTH]);
      const log = emu.requests.slice(-3).map((r) => [r.auth, r.user, r.status]);
      assert.deepEqual(log, [['pat', 'admin', 200], ['pat', 'bob', 200], ['pat', undefined, 401]]);
    });

    it('Basic user:password works; bad credentials give X-Seraph-LoginReason: AUTHENTICATED_FAILED', async () => {
      const ok = await http(`${emu.url}/rest/api/2/myself`, { headers: { Authorization: basic('bob', 'bob') } });
      assert.equal(ok.status, 200);
      assert.equal(json(ok).name, 'bob');
      assert.equal(ok.headers['x-seraph-loginreason'], 'OK');
      assert.equal(ok.headers['x-ausername'], 'bob');
      const bad = await http(`${emu.url}/rest/api/2/myself`, { headers: { Authorization: basic('bob', 'wrong') } });
      assert.equal(bad.status, 401);
      assert.equal(bad.headers['x-seraph-loginreason'], 'AUTHENTICATED_FAILED');
      const unknown = await http(`${emu.url}/rest/api/2/myself`, { headers: { Authorization: basic('nobody', 'x') } });
      assert.equal(unknown.status, 401);
      // Bad credentials are refused even where anonymous access is fine.
      assert.equal((await http(`${emu.url}/rest/api/2/serverInfo`, { headers: { Authorization: basic('bob', 'wrong') } })).status, 401);
    });

    it('basicAuth: false refuses Basic', async () => {
      const e2 = await startEmulator({ basicAuth: false });
      try {
        const res = await http(`${e2.url}/rest/api/2/myself`, { headers: { Authorization: basic('admin', 'admin') } });
        assert.equal(res.status, 401);
        assert.match(json<{ errorMessages: string[] }>(res).errorMessages[0], /Basic Authentication has been disabled/);
      } finally {
        await e2.close();
      }
    });

    it('custom users and serverInfo options', async () => {
      const e2 = await startEmulator({
        users: [{ name: 'carol', displayName: 'Carol C', password: 'pw' }], serverTitle: 'Acme Jira', version: '8.20.10', deploymentType: 'DataCenter',
      });
      try {
        const me = json(await http(`${e2.url}/rest/api/2/myself`, { headers: { Authorization: basic('carol', 'pw') } }));
        assert.deepEqual([me.name, me.displayName, me.emailAddress], ['carol', 'Carol C', 'carol@example.com']);
        const s = json(await http(`${e2.url}/rest/api/2/serverInfo`));
        assert.deepEqual([s.serverTitle, s.version, s.deploymentType], ['Acme Jira', '8.20.10', 'DataCenter']);
        assert.deepEqual(s.versionNumbers, [8, 20, 10]);
      } finally {
        await e2.close();
      }
    });
  });

  describe('issues and comments', () => {
    it('GET /issue/{key} with expand=names,renderedFields', async () => {
      const res = await http(`${emu.url}/rest/api/2/issue/DEMO-5?expand=names,renderedFields`, { headers: bearer });
      assert.equal(res.status, 200);
      const i = json<Loose>(res);
      assert.equal(i.key, 'DEMO-5');
      assert.equal(i.self, `${emu.url}/rest/api/2/issue/${i.id}`);
      const f = i.fields;
      assert.equal(typeof f.summary, 'string');
      assert.ok(['To Do', 'In Progress', 'Done'].includes(f.status.name));
      assert.ok(['new', 'indeterminate', 'done'].includes(f.status.statusCategory.key));
      assert.ok(['Bug', 'Story', 'Task'].includes(f.issuetype.name));
      assert.match(f.issuetype.iconUrl, new RegExp(`^${emu.url}/`));
      assert.match(f.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
      assert.equal(f.project.key, 'DEMO');
      assert.ok(Array.isArray(f.labels));
      assert.ok(Array.isArray(f.components));
      assert.ok('customfield_10010' in f && 'customfield_10020' in f && 'customfield_10030' in f);
      assert.equal(f.status.name === 'Done', f.resolution !== null);
      assert.equal(i.names.customfield_10010, 'Story Points');
      assert.equal(i.names.customfield_10020, 'Sprint');
      assert.equal(i.names.customfield_10030, 'Team');
      assert.equal(i.names.summary, 'Summary');
      assert.ok(typeof i.renderedFields === 'object');
      assert.ok('comment' in f, 'the issue endpoint returns *all fields');
    });

    it('renders the description as HTML', async () => {
      // Find an issue with a description.
      const s = json<Loose>(await http(`${emu.url}/rest/api/2/search?jql=description%20is%20not%20EMPTY&maxResults=1&fields=description`, { headers: bearer }));
      const key = s.issues[0].key as string;
      const i = json<Loose>(await http(`${emu.url}/rest/api/2/issue/${key}?expand=renderedFields&fields=description`, { headers: bearer }));
      assert.match(i.fields.description, /\*.+\*/);
      assert.match(i.renderedFields.description, /^<p>The <b>.+<\/b> needs attention\.<\/p>/);
      assert.match(i.renderedFields.description, /<li>/);
      assert.deepEqual(Object.keys(i.fields), ['description']);
    });

    it('unknown issue: 404 Issue Does Not Exist', async () => {
      const res = await http(`${emu.url}/rest/api/2/issue/NOPE-1`, { headers: bearer });
      assert.equal(res.status, 404);
      assert.deepEqual(json(res), { errorMessages: ['Issue Does Not Exist'], errors: {} });
      assert.equal((await http(`${emu.url}/rest/api/2/issue/DEMO-99999`, { headers: bearer })).status, 404);
    });

    it('POST a comment: 201, then it shows on the issue and in renderedFields', async () => {
      const res = await http(`${emu.url}/rest/api/2/issue/DEMO-7/comment`, {
        method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify({ body: 'Hello *world*' }),
      });
      assert.equal(res.status, 201);
      const c = json<Loose>(res);
      assert.equal(c.body, 'Hello *world*');
      assert.equal(c.author.name, 'admin');
      assert.equal(res.headers.location, c.self);
      const i = json<Loose>(await http(`${emu.url}/rest/api/2/issue/DEMO-7?expand=renderedFields`, { headers: bearer }));
      const last = i.fields.comment.comments[i.fields.comment.comments.length - 1];
      assert.equal(last.id, c.id);
      assert.equal(i.fields.comment.total, i.fields.comment.comments.length);
      assert.match(i.renderedFields.comment.comments[i.renderedFields.comment.comments.length - 1].body, /Hello <b>world<\/b>/);
      const empty = await http(`${emu.url}/rest/api/2/issue/DEMO-7/comment`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: '{"body":""}' });
      assert.equal(empty.status, 400);
      assert.deepEqual(json(empty), { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
      const form = await http(`${emu.url}/rest/api/2/issue/DEMO-7/comment`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'body=x' });
      assert.equal(form.status, 415);
      const missing = await http(`${emu.url}/rest/api/2/issue/NOPE-7/comment`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: '{"body":"x"}' });
      assert.equal(missing.status, 404);
    });
  });

  describe('HTTP details', () => {
    it('HEAD answers like GET without a body; OPTIONS lists the methods; others 405', async () => {
      const head = await http(`${emu.url}/rest/api/2/serverInfo`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.body, '');
      assert.equal(head.headers['content-type'], 'application/json;charset=UTF-8');
      const opts = await http(`${emu.url}/rest/api/2/search`, { method: 'OPTIONS' });
      assert.equal(opts.status, 200);
      assert.deepEqual((opts.headers.allow as string).split(',').sort(), ['GET', 'HEAD', 'OPTIONS', 'POST']);
      const del = await http(`${emu.url}/rest/api/2/serverInfo`, { method: 'DELETE' });
      assert.equal(del.status, 405);
      assert.match(del.headers.allow as string, /GET/);
      const getToken = await http(`${emu.url}/plugins/servlet/oauth/request-token`);
      assert.equal(getToken.status, 405);
    });

    it('an unknown REST resource is a Jersey-style 404', async () => {
      const res = await http(`${emu.url}/rest/api/2/nothing`, { headers: bearer });
      assert.equal(res.status, 404);
      assert.equal(json(res)['status-code'], 404);
    });

    it('the echo endpoint reports what was decoded, for any method', async () => {
      const res = await http(`${emu.url}/rest/emulator/1.0/echo?a=1+2&a=%2B&b`, {
        method: 'PUT', headers: { ...bearer, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x=%20y&z',
      });
      assert.equal(res.status, 200);
      assert.deepEqual(json(res), { method: 'PUT', path: '/rest/emulator/1.0/echo', query: [['a', '1 2'], ['a', '+'], ['b', '']], form: [['x', ' y'], ['z', '']], json: null, user: 'admin' });
      const anon = json(await http(`${emu.url}/rest/emulator/1.0/echo`, { method: 'DELETE' }));
      assert.deepEqual([anon.method, anon.user, anon.form, anon.json], ['DELETE', null, null, null]);
    });

    it('logs every request in order, with decoded query pairs', async () => {
      const before = emu.requests.length;
      await http(`${emu.url}/rest/api/2/search?jql=key%3DDEMO-1&startAt=0`, { headers: bearer });
      await http(`${emu.url}/nowhere`);
      const [a, b] = emu.requests.slice(before);
      assert.deepEqual([a.method, a.path, a.query, a.auth, a.user, a.status], ['GET', '/rest/api/2/search', [['jql', 'key=DEMO-1'], ['startAt', '0']], 'pat', 'admin', 200]);
      assert.deepEqual([b.path, b.status, b.auth], ['/nowhere', 404, 'none']);
      assert.ok(a.time <= b.time && Date.now() - a.time < 10_000);
    });
  });
});
