import * as assert from 'node:assert/strict';
import { countText, escapeMarkdown, iconColor, issueLabel, issueTooltip, priorityIcon, prioritySeverity, statusIcon, typeIcon } from '../../../src/views/present';
import { ClientInfo, SessionManager, transportFor } from '../../../src/views/session';

describe('views/present', () => {
  it('maps issue types, priorities and status categories to codicons', () => {
    assert.equal(typeIcon('Bug'), 'bug');
    assert.equal(typeIcon('Story'), 'bookmark');
    assert.equal(typeIcon('Epic'), 'zap');
    assert.equal(typeIcon('Sub-task'), 'list-tree');
    assert.equal(typeIcon('Task'), 'tasklist');
    assert.equal(typeIcon('Whatever'), 'issues');
    assert.equal(typeIcon(undefined), 'issues');
    assert.equal(prioritySeverity('Blocker'), 'highest');
    assert.equal(prioritySeverity('Major'), 'high');
    assert.equal(prioritySeverity('Medium'), 'medium');
    assert.equal(prioritySeverity('Minor'), 'low');
    assert.equal(prioritySeverity('Lowest'), 'lowest');
    assert.equal(priorityIcon('Highest'), 'chevron-up');
    assert.equal(statusIcon('done'), 'pass');
    assert.equal(iconColor({ priority: 'Highest', statusCategory: 'new' }), 'charts.red');
    assert.equal(iconColor({ priority: 'Highest', statusCategory: 'done' }), 'charts.green');
    assert.equal(iconColor({ priority: 'Low', statusCategory: 'new' }), undefined);
  });

  it('labels and tooltips', () => {
    assert.equal(issueLabel({ key: 'A-1', summary: 'Fix it' }), 'A-1 Fix it');
    assert.equal(issueLabel({ key: 'A-1', summary: '' }), 'A-1');
    const md = issueTooltip({
      key: 'A-1', summary: 'Fix *this* [now](x)', status: 'Open', statusCategory: 'new', type: 'Bug', priority: 'High',
      assignee: undefined, reporter: 'Bob', updated: Date.UTC(2024, 0, 2, 3, 4),
    }, { url: 'https://jira/browse/A-1', locale: 'en-US' });
    assert.match(md, /^\*\*\[A\\-1\]\(https:\/\/jira\/browse\/A-1\)\*\* Fix \\\*this\\\* \\\[now\\\]\\\(x\\\)/);
    assert.match(md, /\$\(bug\) Type: \*\*Bug\*\*/);
    assert.match(md, /Assignee: \*\*Unassigned\*\*/);
    assert.match(md, /Reporter: \*\*Bob\*\*/);
    assert.match(md, /Priority: \*\*High\*\*/);
    assert.match(md, /Updated: \*\*Jan 2, 2024/);
    assert.equal(escapeMarkdown('<img src=x>'), '&lt;img src=x&gt;');
  });

  it('counts', () => {
    assert.equal(countText(50, 10000, true), '50 of 10,000');
    assert.equal(countText(50, undefined, true), '50+');
    assert.equal(countText(7, undefined, false), '7');
  });
});

describe('views/session', () => {
  function fakeClient(answer: (method: string, path: string, opts: unknown) => unknown) {
    const calls: Array<{ method: string; path: string; opts: { query?: Record<string, unknown>; signal?: AbortSignal } }> = [];
    const client: ClientInfo['client'] = {
      baseUrl: 'https://jira.example.com',
      request: (async (method: string, path: string, opts: never) => {
        calls.push({ method, path, opts });
        return { status: 200, headers: {}, body: answer(method, path, opts) };
      }) as ClientInfo['client']['request'],
    };
    return { client, calls };
  }

  it('adapts any JiraClient: drops undefined query values, passes the signal, returns the body', async () => {
    const { client, calls } = fakeClient(() => ({ ok: 1 }));
    const ac = new AbortController();
    const body = await transportFor(client)({ method: 'GET', path: '/x', query: { a: 1, b: undefined }, signal: ac.signal });
    assert.deepEqual(body, { ok: 1 });
    assert.deepEqual(calls[0].opts.query, { a: 1 });
    assert.equal(calls[0].opts.signal, ac.signal);
  });

  it('creates one session per account, with the sign-in deployment type (no serverInfo request)', async () => {
    const { client, calls } = fakeClient((_m, path) => (path === '/rest/api/3/search/jql' ? { issues: [], isLast: true } : []));
    let n = 0;
    const store = new Map<string, string>();
    const mgr = new SessionManager(async () => { n++; return { client, site: { baseUrl: 'https://x.atlassian.net/', deploymentType: 'Cloud' } }; },
      { get: (k) => store.get(k), set: (k, v) => { store.set(k, v); } });
    const s1 = await mgr.session();
    const s2 = await mgr.session();
    assert.equal(s1, s2);
    assert.equal(n, 1);
    assert.equal(s1!.baseUrl, 'https://x.atlassian.net');
    await s1!.page({ jql: 'x', pageSize: 10 });
    assert.deepEqual(calls.map((c) => c.path), ['/rest/api/3/search/jql']);
    await s1!.favouriteFilters();
    await s1!.issue('A-1');
    assert.deepEqual(calls.slice(1).map((c) => [c.path, c.opts.query]), [['/rest/api/2/filter/favourite', undefined], ['/rest/api/2/issue/A-1', { expand: 'names,renderedFields' }]]);
    mgr.invalidate();
    await mgr.session();
    assert.equal(n, 2);
  });

  it('does not cache "signed out" or a failure', async () => {
    let answer: 'out' | 'fail' | 'in' = 'out';
    const { client } = fakeClient(() => ({}));
    const mgr = new SessionManager(async () => {
      if (answer === 'fail') throw new Error('secret storage unavailable');
      return answer === 'in' ? { client, site: { baseUrl: 'https://j' } } : undefined;
    });
    assert.equal(await mgr.session(), undefined);
    answer = 'fail';
    await assert.rejects(mgr.session(), /secret storage/);
    answer = 'in';
    assert.ok(await mgr.session());
  });
});
