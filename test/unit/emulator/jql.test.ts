// The JQL subset and /rest/api/2/search paging. Expected results are computed in the test from
// the issues' JSON (as any client would see them), not from the emulator's internal records.
import * as assert from 'node:assert/strict';
import { startEmulator, Emulator } from '../../emulator';
import { parseJql } from '../../emulator/jql';
import { http, json, Loose } from './helpers';

const PAT = 'pat-jql';
const H = { Authorization: `Bearer ${PAT}` };

interface Issue { key: string; fields: Loose }

async function search(emu: Emulator, jql: string, extra = ''): Promise<{ status: number; body: Loose }> {
  const res = await http(`${emu.url}/rest/api/2/search?jql=${encodeURIComponent(jql)}${extra}`, { headers: H });
  return { status: res.status, body: json(res) };
}

async function keys(emu: Emulator, jql: string): Promise<string[]> {
  const r = await search(emu, jql, '&maxResults=1000&fields=summary');
  assert.equal(r.status, 200, `${jql}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.total, r.body.issues.length, 'all results fit in one page here');
  return (r.body.issues as Issue[]).map((i) => i.key).sort();
}

function textOf(i: Issue): string {
  return [i.fields.summary, i.fields.description ?? '', ...(i.fields.comment?.comments ?? []).map((c: Loose) => c.body)].join(' ').toLowerCase();
}

describe('emulator JQL parser', () => {
  it('AND binds tighter than OR; NOT and parentheses', () => {
    const q = parseJql('a = 1 OR b = 2 AND c = 3');
    assert.equal(q.where?.type, 'or');
    const p = parseJql('(a = 1 OR b = 2) AND NOT c = 3 order by updated desc, key');
    assert.equal(p.where?.type, 'and');
    assert.deepEqual(p.orderBy.map((o) => [o.field, o.dir]), [['updated', 'DESC'], ['key', undefined]]);
  });

  it('strings in single or double quotes with escapes; keywords in any case', () => {
    const q = parseJql(`status = 'In Progress' aNd summary ~ "say \\"hi\\"" oR assignee Is eMpTy`);
    assert.equal(q.where?.type, 'or');
    const clauses = JSON.stringify(q);
    assert.match(clauses, /"value":"In Progress"/);
    assert.match(clauses, /"value":"say \\"hi\\""/);
    assert.match(clauses, /"op":"is"/);
  });

  it('syntax errors say "Error in the JQL Query"', () => {
    for (const bad of ['project =', 'project == DEMO', 'project = DEMO AND', 'summary ~ "open', '(project = DEMO', 'project DEMO', 'project = DEMO status = Done', 'order by', 'project = %']) {
      assert.throws(() => parseJql(bad), (e: Error) => e.message.startsWith('Error in the JQL Query: '), bad);
    }
  });
});

describe('emulator search', () => {
  let emu: Emulator;
  let all: Issue[];
  before(async () => {
    emu = await startEmulator({ pats: { [PAT]: 'admin' } });
    const r = await search(emu, '', '&maxResults=1000&fields=*all');
    all = r.body.issues;
  });
  after(async () => { await emu.close(); });

  const expectKeys = (pred: (i: Issue) => boolean) => all.filter(pred).map((i) => i.key).sort();

  it('empty JQL returns every issue; keys are DEMO-n / OPS-n / WEB-n with DEMO-1..', () => {
    assert.equal(all.length, 300);
    const byProject = (p: string) => all.filter((i) => i.key.startsWith(`${p}-`)).length;
    assert.deepEqual([byProject('DEMO'), byProject('OPS'), byProject('WEB')], [180, 60, 60]);
    const demo = new Set(all.filter((i) => i.key.startsWith('DEMO-')).map((i) => i.key));
    for (let n = 1; n <= 180; n++) assert.ok(demo.has(`DEMO-${n}`), `DEMO-${n}`);
    assert.equal(new Set(all.map((i) => i.key)).size, 300);
  });

  it('the data is deterministic and varied', async () => {
    const e2 = await startEmulator({ pats: { [PAT]: 'admin' } });
    try {
      const again = (await search(e2, '', '&maxResults=1000&fields=*all')).body.issues as Issue[];
      const strip = (i: Issue) => JSON.stringify({ ...i.fields, project: i.fields.project.key, status: i.fields.status.name, comment: i.fields.comment.total }).replace(/http:\/\/127\.0\.0\.1:\d+/g, '');
      assert.deepEqual(again.map(strip), all.map(strip));
    } finally {
      await e2.close();
    }
    const count = (f: (i: Issue) => unknown) => new Set(all.map(f)).size;
    assert.equal(count((i) => i.fields.status.name), 3);
    assert.equal(count((i) => i.fields.issuetype.name), 3);
    assert.equal(count((i) => i.fields.assignee?.name ?? null), 3, 'admin, bob, unassigned');
    assert.ok(all.some((i) => i.fields.labels.length > 0));
    assert.ok(all.some((i) => i.fields.resolution === null) && all.some((i) => i.fields.resolution !== null));
  });

  it('assignee = currentUser(), assignee = bob, assignee is EMPTY, reporter = currentUser()', async () => {
    assert.deepEqual(await keys(emu, 'assignee = currentUser()'), expectKeys((i) => i.fields.assignee?.name === 'admin'));
    assert.deepEqual(await keys(emu, 'assignee = bob'), expectKeys((i) => i.fields.assignee?.name === 'bob'));
    assert.deepEqual(await keys(emu, 'assignee is EMPTY'), expectKeys((i) => i.fields.assignee === null));
    assert.deepEqual(await keys(emu, 'assignee != bob'), expectKeys((i) => i.fields.assignee !== null && i.fields.assignee.name !== 'bob'));
    assert.deepEqual(await keys(emu, 'reporter = currentUser()'), expectKeys((i) => i.fields.reporter.name === 'admin'));
    assert.ok((await keys(emu, 'assignee is EMPTY')).length > 0);
  });

  it('project = X, project in (A, B)', async () => {
    assert.deepEqual(await keys(emu, 'project = OPS'), expectKeys((i) => i.fields.project.key === 'OPS'));
    assert.deepEqual(await keys(emu, 'project in (OPS, "WEB")'), expectKeys((i) => ['OPS', 'WEB'].includes(i.fields.project.key)));
    assert.deepEqual(await keys(emu, 'project = "Demo Project"'), expectKeys((i) => i.fields.project.key === 'DEMO'));
  });

  it('status, statusCategory and resolution', async () => {
    const inProgress = expectKeys((i) => i.fields.status.name === 'In Progress');
    assert.deepEqual(await keys(emu, 'status = "In Progress"'), inProgress);
    assert.deepEqual(await keys(emu, "status = 'in progress'"), inProgress);
    const notDone = expectKeys((i) => i.fields.status.statusCategory.key !== 'done');
    assert.deepEqual(await keys(emu, 'statusCategory != Done'), notDone);
    assert.deepEqual(await keys(emu, 'resolution = Unresolved'), expectKeys((i) => i.fields.resolution === null));
    assert.deepEqual(await keys(emu, 'resolution = Unresolved'), notDone);
    assert.deepEqual(await keys(emu, 'resolution is not EMPTY'), expectKeys((i) => i.fields.resolution !== null));
  });

  it('key = DEMO-5, text ~, summary ~, labels =', async () => {
    assert.deepEqual(await keys(emu, 'key = DEMO-5'), ['DEMO-5']);
    assert.deepEqual(await keys(emu, 'issuekey in (DEMO-5, OPS-2)'), ['DEMO-5', 'OPS-2']);
    const oauth = await keys(emu, 'text ~ "OAuth"');
    assert.ok(oauth.length > 0);
    assert.deepEqual(oauth, expectKeys((i) => /\boauth\b/.test(textOf(i))));
    assert.deepEqual(await keys(emu, 'summary ~ "login timeout"'), expectKeys((i) => /\blogin\b/i.test(i.fields.summary) && /\btimeout\b/i.test(i.fields.summary)));
    assert.deepEqual(await keys(emu, 'summary ~ "dashb*"'), expectKeys((i) => /\bdashb/i.test(i.fields.summary)));
    assert.deepEqual(await keys(emu, 'labels = oauth'), expectKeys((i) => i.fields.labels.includes('oauth')));
    assert.deepEqual(await keys(emu, 'labels is EMPTY'), expectKeys((i) => i.fields.labels.length === 0));
  });

  it('AND / OR / NOT / parentheses and case-insensitive keywords', async () => {
    assert.deepEqual(
      await keys(emu, 'project = DEMO AND (status = Done OR assignee = bob)'),
      expectKeys((i) => i.fields.project.key === 'DEMO' && (i.fields.status.name === 'Done' || i.fields.assignee?.name === 'bob')),
    );
    assert.deepEqual(
      await keys(emu, 'project = DEMO and status = Done or assignee = bob'),
      expectKeys((i) => (i.fields.project.key === 'DEMO' && i.fields.status.name === 'Done') || i.fields.assignee?.name === 'bob'),
    );
    assert.deepEqual(await keys(emu, 'PROJECT = demo AnD NOT status = done'), expectKeys((i) => i.fields.project.key === 'DEMO' && i.fields.status.name !== 'Done'));
    assert.deepEqual(await keys(emu, 'project = WEB && labels = ux'), expectKeys((i) => i.fields.project.key === 'WEB' && i.fields.labels.includes('ux')));
  });

  it('ORDER BY updated DESC / ASC and key', async () => {
    const desc = (await search(emu, 'project = DEMO ORDER BY updated DESC', '&maxResults=1000&fields=updated')).body.issues as Issue[];
    const times = desc.map((i) => Date.parse(i.fields.updated.replace('+0000', 'Z')));
    assert.ok(times.every((t, n) => n === 0 || times[n - 1] >= t), 'updated DESC');
    const asc = (await search(emu, 'project = DEMO order by updated asc', '&maxResults=1000&fields=updated')).body.issues as Issue[];
    assert.equal(asc.length, desc.length);
    const t2 = asc.map((i) => Date.parse(i.fields.updated.replace('+0000', 'Z')));
    assert.ok(t2.every((t, n) => n === 0 || t2[n - 1] <= t), 'updated ASC');
    const byKey = (await search(emu, 'project = DEMO ORDER BY key ASC', '&maxResults=3')).body.issues as Issue[];
    assert.deepEqual(byKey.map((i) => i.key), ['DEMO-1', 'DEMO-2', 'DEMO-3']);
    const byKeyDesc = (await search(emu, 'ORDER BY key DESC', '&maxResults=1')).body.issues as Issue[];
    assert.equal(byKeyDesc[0].key, 'WEB-60');
  });

  it('errors: 400 with errorMessages like Jira', async () => {
    const syntax = await search(emu, 'project = ');
    assert.equal(syntax.status, 400);
    assert.deepEqual(Object.keys(syntax.body), ['errorMessages', 'errors']);
    assert.match(syntax.body.errorMessages[0], /^Error in the JQL Query: /);
    assert.deepEqual(syntax.body.errors, {});
    const field = await search(emu, 'foo = bar');
    assert.deepEqual([field.status, field.body.errorMessages], [400, ["Field 'foo' does not exist or you do not have permission to view it."]]);
    const value = await search(emu, 'project = NOPE');
    assert.deepEqual([value.status, value.body.errorMessages], [400, ["The value 'NOPE' does not exist for the field 'project'."]]);
    const issue = await search(emu, 'key = DEMO-99999');
    assert.equal(issue.status, 400);
    assert.match(issue.body.errorMessages[0], /DEMO-99999/);
    const op = await search(emu, 'summary = x');
    assert.equal(op.status, 400);
    assert.match(op.body.errorMessages[0], /operator '='/);
    assert.equal((await search(emu, 'assignee = nobody')).status, 400);
    assert.equal((await search(emu, 'assignee = currentUsr()')).status, 400);
  });

  it('paging: startAt, maxResults (default 50, at most 1000), total', async () => {
    const first = (await search(emu, '')).body;
    assert.deepEqual([first.startAt, first.maxResults, first.total, first.issues.length], [0, 50, 300, 50]);
    const end = (await search(emu, '', '&startAt=290&maxResults=50')).body;
    assert.deepEqual([end.startAt, end.maxResults, end.total, end.issues.length], [290, 50, 300, 10]);
    const beyond = (await search(emu, '', '&startAt=400')).body;
    assert.deepEqual([beyond.total, beyond.issues.length], [300, 0]);
    const big = (await search(emu, '', '&maxResults=5000')).body;
    assert.deepEqual([big.maxResults, big.issues.length], [1000, 300]);
    // Pages tile the result exactly.
    const pages: string[] = [];
    for (let s = 0; s < 300; s += 70) pages.push(...((await search(emu, 'ORDER BY key', `&startAt=${s}&maxResults=70&fields=summary`)).body.issues as Issue[]).map((i) => i.key));
    assert.deepEqual(pages, (await search(emu, 'ORDER BY key', '&maxResults=1000&fields=summary')).body.issues.map((i: Issue) => i.key));
    const bad = await search(emu, '', '&startAt=x');
    assert.equal(bad.status, 400);
  });

  it('fields and expand=names', async () => {
    const r = (await search(emu, 'key = DEMO-1', '&fields=summary,status,customfield_10010&expand=names')).body;
    assert.deepEqual(Object.keys(r.issues[0].fields), ['summary', 'status', 'customfield_10010']);
    assert.deepEqual(r.names, { summary: 'Summary', status: 'Status', customfield_10010: 'Story Points' });
    const nav = (await search(emu, 'key = DEMO-1')).body.issues[0].fields;
    assert.ok('summary' in nav && !('comment' in nav), 'default *navigable leaves the comment out');
    const minus = (await search(emu, 'key = DEMO-1', '&fields=*navigable,-description')).body.issues[0].fields;
    assert.ok('summary' in minus && !('description' in minus));
  });

  it('POST /search with a JSON body gives the same answer as GET', async () => {
    const get = (await search(emu, 'project = OPS ORDER BY key', '&startAt=5&maxResults=7&fields=summary,assignee')).body;
    const res = await http(`${emu.url}/rest/api/2/search`, {
      method: 'POST', headers: { ...H, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jql: 'project = OPS ORDER BY key', startAt: 5, maxResults: 7, fields: ['summary', 'assignee'] }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), get);
    const notJson = await http(`${emu.url}/rest/api/2/search`, { method: 'POST', headers: { ...H, 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(notJson.status, 415);
  });
});

describe('emulator search with 10,000 issues', () => {
  let emu: Emulator;
  before(async () => { emu = await startEmulator({ issueCount: 10000, pats: { [PAT]: 'admin' } }); });
  after(async () => { await emu.close(); });

  // How fast the emulator searches is measured by `npm run bench` (search_first_page_ms), not here.
  it('totals and the last page are right', async () => {
    const r = (await search(emu, '', '&startAt=9990&maxResults=50&fields=summary')).body;
    assert.deepEqual([r.total, r.startAt, r.issues.length], [10000, 9990, 10]);
    const last = (await search(emu, 'ORDER BY key ASC', '&startAt=9999&maxResults=50&fields=summary')).body;
    assert.deepEqual([last.total, last.issues.length, last.issues[0].key], [10000, 1, 'WEB-2000']);
    const ops = (await search(emu, 'project = OPS', '&maxResults=0')).body;
    assert.deepEqual([ops.total, ops.issues.length], [2000, 0]);
    const demo = (await search(emu, 'project = DEMO ORDER BY key DESC', '&maxResults=1&fields=summary')).body;
    assert.deepEqual([demo.total, demo.issues[0].key], [6000, 'DEMO-6000']);
    const mine = (await search(emu, 'assignee = currentUser() AND statusCategory != Done', '&startAt=0&maxResults=1')).body;
    assert.ok(mine.total > 2000 && mine.total < 6000, String(mine.total));
    const issue = await http(`${emu.url}/rest/api/2/issue/DEMO-5999`, { headers: H });
    assert.equal(json(issue).key, 'DEMO-5999');
  });
});
