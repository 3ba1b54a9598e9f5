import * as assert from 'node:assert/strict';
import {
  clampPageSize, compactIssue, deploymentOf, DeploymentResolver, errorSummary, IssueSearch, isAbortError, isJqlError,
  jiraErrorMessages, MAX_GET_JQL, searchCloudPage, searchServerPage, SearchRequest, SearchTransport, siteKey, StringPool,
} from '../../../src/core/search';

/** A fake transport that records requests and answers from a handler. */
function fake(handler: (req: SearchRequest) => unknown): SearchTransport & { calls: SearchRequest[] } {
  const calls: SearchRequest[] = [];
  const t = (async (req: SearchRequest) => {
    calls.push(req);
    const r = handler(req);
    if (r instanceof Error) throw r;
    return r;
  }) as SearchTransport & { calls: SearchRequest[] };
  t.calls = calls;
  return t;
}

function httpError(status: number, body?: { errorMessages?: string[]; errors?: Record<string, string> }, message = `HTTP ${status}`): Error {
  return Object.assign(new Error(message), { name: 'JiraError', status, ...body });
}

function rawIssue(n: number) {
  return {
    id: String(10000 + n), key: `PROJ-${n}`, self: `http://jira/rest/api/2/issue/${10000 + n}`,
    fields: {
      summary: `Issue ${n}`, status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } },
      issuetype: { name: 'Bug' }, priority: { name: 'High' },
      assignee: { displayName: 'Alice Admin', name: 'admin' }, reporter: { displayName: 'Bob' },
      updated: '2024-01-02T03:04:05.000+0000', description: 'x'.repeat(200),
    },
  };
}

/** A Server (DC) search over `total` issues, honouring startAt/maxResults. */
function serverSearch(total: number) {
  return (req: SearchRequest) => {
    if (req.path === '/rest/api/2/serverInfo') return { deploymentType: 'Server', version: '9.12.0' };
    assert.equal(req.path, '/rest/api/2/search');
    const startAt = Number(req.query?.startAt ?? 0);
    const max = Number(req.query?.maxResults ?? 50);
    const issues = [];
    for (let i = startAt; i < Math.min(total, startAt + max); i++) issues.push(rawIssue(i + 1));
    return { startAt, maxResults: max, total, issues };
  };
}

/** A Cloud search over `total` issues with opaque tokens; /rest/api/2/search is gone. */
function cloudSearch(total: number) {
  return (req: SearchRequest) => {
    if (req.path === '/rest/api/2/serverInfo') return { deploymentType: 'Cloud' };
    if (req.path === '/rest/api/2/search') return httpError(410, { errorMessages: ['The requested API has been removed.'] });
    assert.equal(req.path, '/rest/api/3/search/jql');
    const token = req.method === 'GET' ? req.query?.nextPageToken : (req.body as { nextPageToken?: string }).nextPageToken;
    const startAt = token ? Number(Buffer.from(String(token), 'base64').toString()) : 0;
    const max = Number(req.method === 'GET' ? req.query?.maxResults : (req.body as { maxResults: number }).maxResults);
    const issues = [];
    for (let i = startAt; i < Math.min(total, startAt + max); i++) issues.push(rawIssue(i + 1));
    const end = startAt + issues.length;
    const isLast = end >= total;
    return { issues, isLast, ...(isLast ? {} : { nextPageToken: Buffer.from(String(end)).toString('base64') }) };
  };
}

function memoryStore() {
  const m = new Map<string, string>();
  return { map: m, get: (k: string) => m.get(k), set: (k: string, v: string) => { m.set(k, v); } };
}

describe('core/search', () => {
  describe('deploymentOf / siteKey', () => {
    it('treats only "Cloud" (any case) as Cloud, anything else as Server, nothing as unknown', () => {
      assert.equal(deploymentOf('Cloud'), 'Cloud');
      assert.equal(deploymentOf(' cloud '), 'Cloud');
      assert.equal(deploymentOf('Server'), 'Server');
      assert.equal(deploymentOf('DataCenter'), 'Server');
      assert.equal(deploymentOf(undefined), undefined);
      assert.equal(deploymentOf(''), undefined);
    });
    it('keys sites by normalized URL', () => {
      assert.equal(siteKey('https://Jira.Example.com/jira/'), 'https://jira.example.com/jira');
      assert.equal(siteKey('https://jira.example.com'), siteKey('https://JIRA.example.com/'));
    });
  });

  describe('DeploymentResolver (the Cloud/DC choice)', () => {
    it('uses the sign-in hint without any request', async () => {
      const t = fake(() => assert.fail('no request expected'));
      const r = new DeploymentResolver();
      assert.equal(await r.resolve('https://x.atlassian.net', t, 'Cloud'), 'Cloud');
      assert.equal(await r.resolve('https://jira.local', t, 'Server'), 'Server');
      assert.equal(t.calls.length, 0);
    });

    it('asks serverInfo once per site, shares concurrent answers and caches them in the store', async () => {
      const t = fake(() => ({ deploymentType: 'Cloud' }));
      const store = memoryStore();
      const r = new DeploymentResolver(store);
      const all = await Promise.all([r.resolve('https://a.example', t), r.resolve('https://a.example/', t), r.resolve('https://A.example', t)]);
      assert.deepEqual(all, ['Cloud', 'Cloud', 'Cloud']);
      assert.equal(t.calls.length, 1);
      assert.equal(t.calls[0].path, '/rest/api/2/serverInfo');
      assert.equal(await r.resolve('https://a.example', t), 'Cloud');
      assert.equal(t.calls.length, 1);
      assert.deepEqual([...store.map.values()], ['Cloud']);
      // A new resolver (next VS Code session) reads the store: still no request.
      const r2 = new DeploymentResolver(store);
      assert.equal(await r2.resolve('https://a.example', t), 'Cloud');
      assert.equal(t.calls.length, 1);
      // Another site is asked separately.
      const t2 = fake(() => ({ deploymentType: 'Server' }));
      assert.equal(await r2.resolve('https://b.example', t2), 'Server');
      assert.equal(t2.calls.length, 1);
    });

    it('defaults to Server when serverInfo has no deploymentType, and forgets a failed lookup', async () => {
      let fail = true;
      const t = fake(() => (fail ? httpError(500) : {}));
      const r = new DeploymentResolver();
      await assert.rejects(r.resolve('https://c.example', t));
      fail = false;
      assert.equal(await r.resolve('https://c.example', t), 'Server');
      assert.equal(t.calls.length, 2);
    });

    it('a cancelled caller stops waiting but does not cancel the shared lookup', async () => {
      let release!: (v: unknown) => void;
      const t = (async () => new Promise<unknown>((res) => { release = res; })) as SearchTransport;
      const r = new DeploymentResolver();
      const ac = new AbortController();
      const a = r.resolve('https://d.example', t, undefined, ac.signal);
      const b = r.resolve('https://d.example', t);
      ac.abort();
      await assert.rejects(a, (e) => isAbortError(e));
      release({ deploymentType: 'Cloud' });
      assert.equal(await b, 'Cloud');
    });
  });

  describe('Data Center / Server paging (startAt/maxResults/total)', () => {
    it('asks /rest/api/2/search for one page of the summary fields and returns the next offset', async () => {
      const t = fake(serverSearch(120));
      const p1 = await searchServerPage(t, { jql: 'project = PROJ', pageSize: 50 });
      assert.equal(t.calls.length, 1);
      assert.equal(t.calls[0].method, 'GET');
      assert.equal(t.calls[0].path, '/rest/api/2/search');
      assert.deepEqual(t.calls[0].query, { jql: 'project = PROJ', startAt: 0, maxResults: 50, fields: 'summary,status,issuetype,priority,assignee,reporter,updated' });
      assert.equal(p1.issues.length, 50);
      assert.equal(p1.total, 120);
      assert.deepEqual(p1.next, { kind: 'offset', startAt: 50 });
      const p2 = await searchServerPage(t, { jql: 'project = PROJ', pageSize: 50, cursor: p1.next });
      assert.deepEqual(p2.next, { kind: 'offset', startAt: 100 });
      const p3 = await searchServerPage(t, { jql: 'project = PROJ', pageSize: 50, cursor: p2.next });
      assert.equal(p3.issues.length, 20);
      assert.equal(p3.next, undefined);
      assert.equal(p3.issues[19].key, 'PROJ-120');
      assert.equal(t.calls.length, 3);
    });

    it('advances by what the server returned when it caps maxResults', async () => {
      const t = fake((req) => {
        const startAt = Number(req.query?.startAt);
        return { startAt, maxResults: 20, total: 45, issues: Array.from({ length: Math.min(20, 45 - startAt) }, (_, i) => rawIssue(startAt + i + 1)) };
      });
      const p1 = await searchServerPage(t, { jql: '', pageSize: 100 });
      assert.deepEqual(p1.next, { kind: 'offset', startAt: 20 });
    });

    it('has no next page for an empty result', async () => {
      const t = fake(() => ({ startAt: 0, maxResults: 50, total: 0, issues: [] }));
      const p = await searchServerPage(t, { jql: 'project = NONE', pageSize: 50 });
      assert.deepEqual(p.issues, []);
      assert.equal(p.next, undefined);
      assert.equal(p.total, 0);
    });

    it('sends very long JQL in a POST body', async () => {
      const t = fake(serverSearch(3));
      const jql = `key in (${Array.from({ length: 400 }, (_, i) => `PROJ-${i}`).join(',')})`;
      assert.ok(jql.length > MAX_GET_JQL);
      await searchServerPage(t, { jql, pageSize: 10 });
      assert.equal(t.calls[0].method, 'POST');
      assert.deepEqual(t.calls[0].body, { jql, startAt: 0, maxResults: 10, fields: ['summary', 'status', 'issuetype', 'priority', 'assignee', 'reporter', 'updated'] });
    });
  });

  describe('Cloud paging (nextPageToken/isLast, no total)', () => {
    it('asks /rest/api/3/search/jql and follows nextPageToken until isLast', async () => {
      const t = fake(cloudSearch(120));
      const p1 = await searchCloudPage(t, { jql: 'project = PROJ', pageSize: 50 });
      assert.equal(t.calls[0].path, '/rest/api/3/search/jql');
      assert.deepEqual(t.calls[0].query, { jql: 'project = PROJ', maxResults: 50, fields: 'summary,status,issuetype,priority,assignee,reporter,updated', nextPageToken: undefined });
      assert.equal(p1.total, undefined);
      assert.equal(p1.next?.kind, 'token');
      const p2 = await searchCloudPage(t, { jql: 'project = PROJ', pageSize: 50, cursor: p1.next });
      assert.equal(t.calls[1].query?.nextPageToken, (p1.next as { token: string }).token);
      const p3 = await searchCloudPage(t, { jql: 'project = PROJ', pageSize: 50, cursor: p2.next });
      assert.equal(p3.issues.length, 20);
      assert.equal(p3.next, undefined);
      assert.deepEqual([p1, p2, p3].flatMap((p) => p.issues).map((i) => i.key), Array.from({ length: 120 }, (_, i) => `PROJ-${i + 1}`));
    });

    it('stops when isLast is true even if a token is present, and when no token comes back', async () => {
      const t1 = fake(() => ({ issues: [rawIssue(1)], isLast: true, nextPageToken: 'zzz' }));
      assert.equal((await searchCloudPage(t1, { jql: '', pageSize: 1 })).next, undefined);
      const t2 = fake(() => ({ issues: [rawIssue(1)] }));
      assert.equal((await searchCloudPage(t2, { jql: '', pageSize: 1 })).next, undefined);
    });

    it('refuses to mix cursors', async () => {
      const t = fake(cloudSearch(1));
      await assert.rejects(searchCloudPage(t, { jql: '', pageSize: 1, cursor: { kind: 'offset', startAt: 5 } }), TypeError);
      await assert.rejects(searchServerPage(t, { jql: '', pageSize: 1, cursor: { kind: 'token', token: 'x' } }), TypeError);
    });
  });

  describe('IssueSearch (one interface for both)', () => {
    it('on a Server site pages with startAt after one serverInfo, then never asks serverInfo again', async () => {
      const t = fake(serverSearch(75));
      const s = new IssueSearch(t, 'https://jira.local', new DeploymentResolver());
      const p1 = await s.page({ jql: 'x', pageSize: 50 });
      const p2 = await s.page({ jql: 'x', pageSize: 50, cursor: p1.next });
      assert.equal(p2.next, undefined);
      assert.deepEqual(t.calls.map((c) => c.path), ['/rest/api/2/serverInfo', '/rest/api/2/search', '/rest/api/2/search']);
    });

    it('on a Cloud site (hint from sign-in) pages with tokens: exactly one request for the first page', async () => {
      const t = fake(cloudSearch(75));
      const s = new IssueSearch(t, 'https://x.atlassian.net', new DeploymentResolver(), 'Cloud');
      const p1 = await s.page({ jql: 'x', pageSize: 50 });
      assert.equal(t.calls.length, 1);
      assert.equal(p1.deployment, 'Cloud');
      await s.page({ jql: 'x', pageSize: 50, cursor: p1.next });
      assert.deepEqual(t.calls.map((c) => c.path), ['/rest/api/3/search/jql', '/rest/api/3/search/jql']);
    });

    it('switches to Cloud and remembers it when the Server search answers 410 Gone', async () => {
      const t = fake(cloudSearch(10));
      const store = memoryStore();
      const r = new DeploymentResolver(store);
      const s = new IssueSearch(t, 'https://moved.example', r, 'Server');
      const p = await s.page({ jql: 'x', pageSize: 50 });
      assert.equal(p.deployment, 'Cloud');
      assert.equal(p.issues.length, 10);
      assert.deepEqual(t.calls.map((c) => c.path), ['/rest/api/2/search', '/rest/api/3/search/jql']);
      assert.equal(r.peek('https://moved.example'), 'Cloud');
    });

    it('passes the AbortSignal to the transport', async () => {
      const ac = new AbortController();
      const t = fake(serverSearch(1));
      await new IssueSearch(t, 'https://jira.local', new DeploymentResolver(), 'Server').page({ jql: 'x', pageSize: 1, signal: ac.signal });
      assert.equal(t.calls[0].signal, ac.signal);
    });
  });

  describe('compact issues', () => {
    it('keeps only what a tree item needs', () => {
      const c = compactIssue(rawIssue(7))!;
      assert.deepEqual(c, {
        key: 'PROJ-7', summary: 'Issue 7', status: 'In Progress', statusCategory: 'indeterminate', type: 'Bug', priority: 'High',
        assignee: 'Alice Admin', reporter: 'Bob', updated: Date.parse('2024-01-02T03:04:05.000+0000'),
      });
      assert.equal(compactIssue({}), undefined);
      assert.equal(compactIssue(null), undefined);
      const bare = compactIssue({ key: 'A-1' })!;
      assert.equal(bare.summary, '');
      assert.equal(bare.assignee, undefined);
      assert.ok(Number.isNaN(bare.updated));
    });

    it('shares repeated strings', () => {
      const pool = new StringPool();
      const a = compactIssue(JSON.parse(JSON.stringify(rawIssue(1))), pool)!;
      const b = compactIssue(JSON.parse(JSON.stringify(rawIssue(2))), pool)!;
      assert.equal(a.status, b.status);
      assert.equal(pool.intern('In Progress'), a.status);
    });
  });

  describe('errors', () => {
    it('extracts Jira errorMessages and errors from a JiraError-like error', () => {
      const e = httpError(400, { errorMessages: ["Error in the JQL Query: The character '=' is a reserved JQL character."], errors: {} });
      assert.deepEqual(jiraErrorMessages(e), ["Error in the JQL Query: The character '=' is a reserved JQL character."]);
      assert.equal(isJqlError(e), true);
      assert.match(errorSummary(e), /reserved JQL character/);
      const f = httpError(400, { errorMessages: [], errors: { jql: 'Field "foo" does not exist.' } });
      assert.deepEqual(jiraErrorMessages(f), ['Field "foo" does not exist.']);
    });

    it('reads a body property too (string or object)', () => {
      assert.deepEqual(jiraErrorMessages({ status: 400, body: JSON.stringify({ errorMessages: ['bad'] }) }), ['bad']);
      assert.deepEqual(jiraErrorMessages({ status: 400, body: { errorMessages: ['worse'] } }), ['worse']);
    });

    it('summarises other errors in one line, without a stack trace', () => {
      const e = new Error('connect ECONNREFUSED 127.0.0.1:1\n    at TCPConnectWrap.afterConnect');
      assert.equal(errorSummary(e), 'connect ECONNREFUSED 127.0.0.1:1');
      assert.equal(errorSummary({ status: 503 }), 'Jira answered HTTP 503');
      assert.equal(isJqlError(httpError(500)), false);
    });

    it('recognizes aborts', () => {
      assert.equal(isAbortError(Object.assign(new Error('x'), { name: 'AbortError' })), true);
      assert.equal(isAbortError({ name: 'JiraError', code: 'aborted' }), true);
      assert.equal(isAbortError(new Error('x')), false);
    });

    it('clamps page sizes', () => {
      assert.equal(clampPageSize(50), 50);
      assert.equal(clampPageSize(0), 1);
      assert.equal(clampPageSize(100000), 1000);
      assert.equal(clampPageSize('x'), 50);
      assert.equal(clampPageSize(12.7), 12);
    });
  });
});
