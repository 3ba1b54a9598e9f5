/* eslint-disable @typescript-eslint/no-explicit-any -- the emulator's JSON answers, checked field by field */
import * as assert from 'node:assert/strict';
import { startEmulator, Emulator } from '../../emulator';
import { DEFAULT_FILTERS } from '../../emulator/filters';
import { parseFavouriteFilters } from '../../../src/views/model';

async function get(em: Emulator, path: string, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${em.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('emulator: favourite filters, comments, rendered and custom fields (views)', () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator({
      pats: { 'admin-pat': 'admin', 'bob-pat': 'bob' },
      issueCount: 10_000,
      contextPath: '/jira',
    });
  });
  after(async () => { await em?.close(); });

  it('lists the favourite filters with their JQL, owner and view URL', async () => {
    const r = await get(em, '/rest/api/2/filter/favourite', 'admin-pat');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.map((f: any) => f.name), DEFAULT_FILTERS.map((f) => f.name));
    const f = r.json[0];
    assert.equal(f.id, '10000');
    assert.equal(f.jql, DEFAULT_FILTERS[0].jql);
    assert.equal(f.viewUrl, `${em.url}/issues/?filter=10000`);
    assert.equal(f.owner.displayName, 'Alice Admin');
    assert.equal(f.favourite, true);
    const defs = parseFavouriteFilters(r.json);
    assert.deepEqual(defs.map((d) => d.id), ['10000', '10001', '10002']);
    assert.equal((await get(em, '/rest/api/latest/filter/favourite', 'admin-pat')).json.length, 3);
  });

  it('every default filter is JQL the emulator runs', async () => {
    for (const f of DEFAULT_FILTERS) {
      const r = await get(em, `/rest/api/2/search?jql=${encodeURIComponent(f.jql)}&maxResults=5&fields=summary`, 'admin-pat');
      assert.equal(r.status, 200, `${f.name}: ${JSON.stringify(r.json)}`);
      assert.ok(r.json.total > 0, f.name);
    }
  });

  it('answers one filter by id, 400 for an unknown one, 401 anonymously', async () => {
    assert.equal((await get(em, '/rest/api/2/filter/10002', 'bob-pat')).json.name, 'DEMO bugs');
    assert.equal((await get(em, '/rest/api/2/filter/99', 'bob-pat')).status, 400);
    assert.equal((await get(em, '/rest/api/2/filter/favourite')).status, 401);
  });

  it('favourites are per user (filters option)', async () => {
    const other = await startEmulator({
      pats: { a: 'admin', b: 'bob' },
      filters: [{ id: '1', name: 'Mine', jql: 'project = OPS', favouritedBy: ['admin'] }, { name: 'Bob only', jql: 'project = WEB', owner: 'bob', favouritedBy: ['bob'] }],
    });
    try {
      assert.deepEqual((await get(other, '/rest/api/2/filter/favourite', 'a')).json.map((f: any) => f.name), ['Mine']);
      const bob = (await get(other, '/rest/api/2/filter/favourite', 'b')).json;
      assert.deepEqual(bob.map((f: any) => [f.id, f.name, f.owner.name]), [['10001', 'Bob only', 'bob']]);
    } finally {
      await other.close();
    }
  });

  it('an issue has comments (raw and rendered) and custom fields with display names', async () => {
    const search = await get(em, `/rest/api/2/search?jql=${encodeURIComponent('project = DEMO AND issuetype = Story')}&maxResults=50&fields=comment`, 'admin-pat');
    const withComments = search.json.issues.find((i: any) => i.fields.comment.total > 0);
    assert.ok(withComments, 'some issue has comments');
    const r = await get(em, `/rest/api/2/issue/${withComments.key}?expand=names,renderedFields`, 'admin-pat');
    assert.equal(r.status, 200);
    const c = r.json.fields.comment.comments[0];
    assert.equal(typeof c.body, 'string');
    assert.equal(typeof c.author.displayName, 'string');
    assert.equal(r.json.renderedFields.comment.comments[0].id, c.id);
    assert.match(r.json.renderedFields.comment.comments[0].body, /^<p>/);
    assert.equal(r.json.names.customfield_10010, 'Story Points');
    assert.ok('customfield_10010' in r.json.fields);
  });
});
