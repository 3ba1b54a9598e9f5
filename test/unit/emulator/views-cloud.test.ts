/* eslint-disable @typescript-eslint/no-explicit-any -- the emulator's JSON answers, checked field by field */
import * as assert from 'node:assert/strict';
import { createJiraClient, JiraClient } from '../../../src/core';
import { DeploymentResolver, IssueSearch, SearchPage, SearchRequest } from '../../../src/core/search';
import { transportFor } from '../../../src/views/session';
import { startEmulator, Emulator } from '../../emulator';
import { BAD_TOKEN_MESSAGE, CLOUD_MAX_RESULTS, SEARCH_GONE_MESSAGE, UNBOUNDED_MESSAGE } from '../../emulator/cloud';

const PAT = 'views-cloud-pat';

async function get(em: Emulator, path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${em.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.auth === false ? {} : { Authorization: `Bearer ${PAT}` }), ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('emulator: Cloud mode (views)', () => {
  let cloud: Emulator;
  let server: Emulator;
  before(async () => {
    cloud = await startEmulator({ pats: { [PAT]: 'admin' }, issueCount: 250, deploymentType: 'Cloud' });
    server = await startEmulator({ pats: { [PAT]: 'admin' }, issueCount: 250 });
  });
  after(async () => {
    await cloud?.close();
    await server?.close();
  });

  it('serverInfo says Cloud', async () => {
    assert.equal((await get(cloud, '/rest/api/2/serverInfo')).json.deploymentType, 'Cloud');
    assert.equal((await get(server, '/rest/api/2/serverInfo')).json.deploymentType, 'Server');
  });

  it('the old search endpoints answer 410 Gone in Cloud mode', async () => {
    for (const p of ['/rest/api/2/search?jql=project%20%3D%20DEMO', '/rest/api/latest/search', '/rest/api/3/search']) {
      const r = await get(cloud, p);
      assert.equal(r.status, 410, p);
      assert.deepEqual(r.json.errorMessages, [SEARCH_GONE_MESSAGE]);
    }
    assert.equal((await get(cloud, '/rest/api/2/search', { method: 'POST', body: { jql: 'project = DEMO' } })).status, 410);
    assert.equal((await get(server, '/rest/api/2/search?maxResults=1')).status, 200);
  });

  it('/rest/api/3/search/jql pages with nextPageToken and isLast, without total', async () => {
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const q = new URLSearchParams({ jql: 'project = DEMO ORDER BY key ASC', maxResults: '40', fields: 'summary,status' });
      if (token) q.set('nextPageToken', token);
      const r = await get(cloud, `/rest/api/3/search/jql?${q}`);
      assert.equal(r.status, 200);
      pages++;
      assert.equal('total' in r.json, false);
      assert.equal('startAt' in r.json, false);
      for (const i of r.json.issues) {
        keys.push(i.key);
        assert.deepEqual(Object.keys(i.fields).sort(), ['status', 'summary']);
      }
      if (r.json.isLast) {
        assert.equal(r.json.nextPageToken, undefined);
        break;
      }
      assert.equal(typeof r.json.nextPageToken, 'string');
      token = r.json.nextPageToken;
    }
    assert.equal(keys.length, 150, '3 of every 5 issues are DEMO');
    assert.equal(new Set(keys).size, 150);
    assert.equal(pages, 4);
  });

  it('accepts POST, caps maxResults, returns only ids without fields, converts description to ADF', async () => {
    const p = await get(cloud, '/rest/api/3/search/jql', { method: 'POST', body: { jql: 'project = DEMO', maxResults: 1000, fields: ['summary', 'description'] } });
    assert.equal(p.status, 200);
    assert.equal(p.json.issues.length, CLOUD_MAX_RESULTS);
    const withDescription = p.json.issues.find((i: any) => i.fields.description !== null);
    assert.equal(withDescription.fields.description.type, 'doc');
    const bare = await get(cloud, '/rest/api/3/search/jql?jql=project%20%3D%20WEB&maxResults=2');
    assert.deepEqual(bare.json.issues.map((i: any) => Object.keys(i.fields)), [[], []]);
  });

  it('refuses a bad or foreign token, unbounded JQL and bad JQL with errorMessages', async () => {
    const bad = await get(cloud, '/rest/api/3/search/jql?jql=project%20%3D%20DEMO&nextPageToken=garbage');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.errorMessages, [BAD_TOKEN_MESSAGE]);
    const first = await get(cloud, '/rest/api/3/search/jql?jql=project%20%3D%20DEMO&maxResults=5');
    const foreign = await get(cloud, `/rest/api/3/search/jql?jql=project%20%3D%20OPS&nextPageToken=${first.json.nextPageToken}`);
    assert.equal(foreign.status, 400);
    const unbounded = await get(cloud, '/rest/api/3/search/jql?jql=ORDER%20BY%20created');
    assert.equal(unbounded.status, 400);
    assert.deepEqual(unbounded.json.errorMessages, [UNBOUNDED_MESSAGE]);
    const jql = await get(cloud, `/rest/api/3/search/jql?jql=${encodeURIComponent('project = = DEMO')}`);
    assert.equal(jql.status, 400);
    assert.match(jql.json.errorMessages[0], /Error in the JQL Query/);
    assert.equal((await get(cloud, '/rest/api/3/search/jql?jql=project%20%3D%20DEMO', { auth: false })).status, 401);
  });

  it('does not exist on Server/Data Center', async () => {
    assert.equal((await get(server, '/rest/api/3/search/jql?jql=project%20%3D%20DEMO')).status, 404);
  });

  describe('core/search against the emulator (a real signed client)', () => {
    async function pageAll(em: Emulator, jql: string, pageSize: number, hint?: string) {
      const client: JiraClient = createJiraClient({ baseUrl: em.url, auth: { type: 'pat', token: PAT } });
      const seen: SearchRequest[] = [];
      const t = transportFor(client);
      const transport = (<T>(req: SearchRequest) => { seen.push(req); return t<T>(req); });
      const search = new IssueSearch(transport, em.url, new DeploymentResolver(), hint);
      const before = em.requests.length;
      const pages: SearchPage[] = [];
      let p = await search.page({ jql, pageSize });
      pages.push(p);
      const afterFirst = em.requests.length - before;
      while (p.next) {
        p = await search.page({ jql, pageSize, cursor: p.next });
        pages.push(p);
      }
      return { pages, afterFirst, log: em.requests.slice(before), seen };
    }

    it('Cloud: the deployment comes from serverInfo once, then nextPageToken paging', async () => {
      const { pages, afterFirst, log } = await pageAll(cloud, 'project = DEMO ORDER BY key ASC', 50);
      assert.equal(afterFirst, 2, 'serverInfo + the first page');
      assert.deepEqual(log.map((r) => r.path), ['/rest/api/2/serverInfo', '/rest/api/3/search/jql', '/rest/api/3/search/jql', '/rest/api/3/search/jql']);
      assert.deepEqual(pages.map((p) => p.issues.length), [50, 50, 50]);
      assert.ok(pages.every((p) => p.total === undefined && p.deployment === 'Cloud'));
      assert.equal(log[2].query.find(([k]) => k === 'nextPageToken') !== undefined, true);
    });

    it('Cloud with the sign-in hint: exactly one request for the first page', async () => {
      const { afterFirst } = await pageAll(cloud, 'project = OPS', 50, 'Cloud');
      assert.equal(afterFirst, 1);
    });

    it('Server: startAt paging with total', async () => {
      const { pages, log } = await pageAll(server, 'project = DEMO ORDER BY key ASC', 60, 'Server');
      assert.deepEqual(log.map((r) => [r.path, r.query.find(([k]) => k === 'startAt')?.[1]]), [
        ['/rest/api/2/search', '0'], ['/rest/api/2/search', '60'], ['/rest/api/2/search', '120'],
      ]);
      assert.deepEqual(pages.map((p) => p.total), [150, 150, 150]);
    });

    it('a wrong Server hint falls back to Cloud on 410', async () => {
      const { log, pages } = await pageAll(cloud, 'project = WEB', 50, 'Server');
      assert.deepEqual(log.map((r) => [r.path, r.status]), [['/rest/api/2/search', 410], ['/rest/api/3/search/jql', 200]]);
      assert.equal(pages[0].deployment, 'Cloud');
    });
  });
});
