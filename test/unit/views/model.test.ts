import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import {
  DeploymentResolver, IssueSearch, PageRequest, SearchPage, SearchRequest, SearchTransport,
} from '../../../src/core/search';
import {
  FilterDef, FiltersModel, IssueList, IssueNode, ListHost, LoadMoreNode, MessageNode, parseFavouriteFilters, parseIssueKey,
  parseSavedFilters, Session, browseUrl, jqlUrl,
} from '../../../src/views/model';

function rawIssue(n: number) {
  return {
    id: String(10000 + n), key: `PROJ-${n}`, self: `http://jira/rest/api/2/issue/${10000 + n}`,
    fields: {
      summary: `Issue number ${n}: something is not right in the module`, status: { name: n % 3 ? 'Open' : 'Done', statusCategory: { key: n % 3 ? 'new' : 'done' } },
      issuetype: { name: 'Bug', iconUrl: 'http://jira/images/bug.png' }, priority: { name: 'Major', iconUrl: 'http://jira/images/major.png' },
      assignee: { displayName: 'Alice Admin', name: 'admin', emailAddress: 'admin@example.com', avatarUrls: { '48x48': 'http://jira/a.png' } },
      reporter: { displayName: 'Bob Builder', name: 'bob' }, updated: '2024-01-02T03:04:05.000+0000',
    },
  };
}

/** A Server search over `total` issues, as JSON text parsed per request (like a real client). */
function serverTransport(total: number, opts: { delay?: number; fail?: (req: SearchRequest) => Error | undefined } = {}) {
  const calls: SearchRequest[] = [];
  const t: SearchTransport = async <T>(req: SearchRequest): Promise<T> => {
    calls.push(req);
    if (opts.delay) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, opts.delay);
        req.signal?.addEventListener('abort', () => { clearTimeout(timer); reject(Object.assign(new Error('aborted'), { name: 'JiraError', code: 'aborted' })); });
      });
    }
    const err = opts.fail?.(req);
    if (err) throw err;
    if (req.path === '/rest/api/2/filter/favourite') return JSON.parse(JSON.stringify([{ id: '10000', name: 'My open bugs', jql: 'type = Bug', viewUrl: 'http://jira/issues/?filter=10000' }])) as T;
    const startAt = Number(req.query?.startAt ?? 0);
    const max = Number(req.query?.maxResults ?? 50);
    const issues = [];
    for (let i = startAt; i < Math.min(total, startAt + max); i++) issues.push(rawIssue(i + 1));
    return JSON.parse(JSON.stringify({ startAt, maxResults: max, total, issues })) as T;
  };
  return { t, calls };
}

function makeHost(t: SearchTransport, opts: { signedIn?: () => boolean; pageSize?: number } = {}) {
  const changes: Array<IssueList | undefined> = [];
  const resolver = new DeploymentResolver();
  const search = new IssueSearch(t, 'http://jira', resolver, 'Server');
  const session: Session = {
    id: 's1', baseUrl: 'http://jira',
    page: (req: PageRequest): Promise<SearchPage> => search.page(req),
    favouriteFilters: async (signal) => parseFavouriteFilters(await t({ method: 'GET', path: '/rest/api/2/filter/favourite', signal })),
  };
  let busy = 0;
  const host: ListHost & { changes: typeof changes; busyCount(): number } = {
    changes,
    busyCount: () => busy,
    session: async () => ((opts.signedIn ?? (() => true))() ? session : undefined),
    pageSize: () => opts.pageSize ?? 50,
    changed: (n) => { changes.push(n); },
    busy: async <T>(p: Promise<T>) => { busy++; try { return await p; } finally { busy--; } },
  };
  return host;
}

const keys = (children: unknown[]) => children.filter((c): c is IssueNode => c instanceof IssueNode).map((c) => c.issue.key);

describe('views/model', () => {
  describe('IssueList paging', () => {
    it('loads only the first page for the tree, and the next page only on "Load more"', async () => {
      const { t, calls } = serverTransport(120);
      const list = new IssueList(makeHost(t), 'my', 'My Issues', 'assignee = currentUser()', 'my');
      const c1 = await list.children();
      assert.equal(calls.length, 1);
      assert.equal(keys(c1).length, 50);
      assert.ok(c1[50] instanceof LoadMoreNode);
      assert.equal(list.total, 120);
      // Asking again (a re-render) sends nothing.
      await list.children();
      assert.equal(calls.length, 1);
      await list.loadMore();
      assert.equal(calls.length, 2);
      assert.equal(calls[1].query?.startAt, 50);
      await list.loadMore();
      const c3 = await list.children();
      assert.equal(keys(c3).length, 120);
      assert.ok(!(c3[c3.length - 1] instanceof LoadMoreNode), 'no Load more after the last page');
      await list.loadMore();
      assert.equal(calls.length, 3);
    });

    it('shares one request between concurrent asks for the same node (no duplicates)', async () => {
      const { t, calls } = serverTransport(120, { delay: 20 });
      const list = new IssueList(makeHost(t), 'my', 'My Issues', 'x', 'my');
      const [a, b, c] = await Promise.all([list.children(), list.children(), list.children()]);
      assert.equal(calls.length, 1);
      assert.deepEqual(keys(a), keys(b));
      assert.deepEqual(keys(b), keys(c));
      await Promise.all([list.loadMore(), list.loadMore(), list.loadMore()]);
      assert.equal(calls.length, 2);
    });

    it('refresh cancels the request in flight and drops its answer', async () => {
      const { t, calls } = serverTransport(120, { delay: 50 });
      const host = makeHost(t);
      const list = new IssueList(host, 'my', 'My Issues', 'x', 'my');
      const first = list.children();
      await new Promise((r) => setTimeout(r, 5));
      list.reset();
      assert.equal(calls[0].signal?.aborted, true, 'the first request was aborted');
      assert.deepEqual(await first, [], 'the stale ask gets nothing (the tree is told to ask again)');
      assert.ok(host.changes.includes(list));
      const again = await list.children();
      assert.equal(keys(again).length, 50);
      assert.equal(calls.length, 2);
    });

    it('cancel during "Load more" keeps what was loaded', async () => {
      const { t, calls } = serverTransport(120, { delay: 30 });
      const list = new IssueList(makeHost(t), 'my', 'My Issues', 'x', 'my');
      await list.children();
      const more = list.loadMore();
      assert.equal(list.loadingMore, true);
      await new Promise((r) => setTimeout(r, 5));
      list.cancel();
      await more;
      assert.equal(calls[1].signal?.aborted, true);
      assert.equal(list.issues.length, 50);
      assert.equal(list.loadingMore, false);
    });

    it('shows an empty-state message for a JQL without issues', async () => {
      const { t } = serverTransport(0);
      const list = new IssueList(makeHost(t), 'my', 'My Issues', 'x', 'my');
      const c = await list.children();
      assert.equal(c.length, 1);
      assert.ok(c[0] instanceof MessageNode);
      assert.equal((c[0] as MessageNode).message, 'empty');
    });

    it('shows an error item with Jira\'s message and retries it', async () => {
      let fail = true;
      const { t, calls } = serverTransport(10, { fail: () => (fail ? Object.assign(new Error('Jira says no'), { name: 'JiraError', status: 400, errorMessages: ["The value 'NOPE' does not exist for the field 'project'."] }) : undefined) });
      const host = makeHost(t);
      const list = new IssueList(host, 'my', 'My Issues', 'project = NOPE', 'my');
      const c = await list.children();
      assert.equal(c.length, 1);
      const err = c[0] as MessageNode;
      assert.equal(err.message, 'error');
      assert.equal(err.text, "The value 'NOPE' does not exist for the field 'project'.");
      assert.doesNotMatch(err.text, /\n\s+at /);
      fail = false;
      err.retry?.();
      assert.ok(host.changes.includes(list));
      assert.equal(keys(await list.children()).length, 10);
      assert.equal(calls.length, 2);
    });

    it('keeps loaded issues when "Load more" fails, and its Retry loads the next page', async () => {
      let fail = false;
      const { t } = serverTransport(120, { fail: () => (fail ? Object.assign(new Error('Service unavailable'), { status: 503 }) : undefined) });
      const list = new IssueList(makeHost(t), 'my', 'My Issues', 'x', 'my');
      await list.children();
      fail = true;
      await list.loadMore();
      let c = list.snapshot();
      assert.equal(keys(c).length, 50);
      const err = c[50] as MessageNode;
      assert.equal(err.message, 'error');
      assert.equal(err.text, 'Service unavailable');
      fail = false;
      err.retry?.();
      await list.loadMore();
      c = list.snapshot();
      assert.equal(keys(c).length, 100);
      assert.ok(c[100] instanceof LoadMoreNode);
    });

    it('is empty (so the welcome view shows) when signed out', async () => {
      const { t, calls } = serverTransport(10);
      const list = new IssueList(makeHost(t, { signedIn: () => false }), 'my', 'My Issues', 'x', 'my');
      assert.deepEqual(await list.children(), []);
      assert.equal(list.status, 'signedOut');
      assert.equal(calls.length, 0);
    });

    it('shows progress while loading', async () => {
      const { t } = serverTransport(10, { delay: 20 });
      const host = makeHost(t);
      const list = new IssueList(host, 'my', 'My Issues', 'x', 'my');
      const p = list.children();
      await new Promise((r) => setTimeout(r, 5));
      assert.equal(host.busyCount(), 1);
      await p;
      assert.equal(host.busyCount(), 0);
    });

    it('keeps 10 000 loaded issues compact (paging through all costs little heap)', async function () {
      this.timeout(60_000);
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      const { t } = serverTransport(10_000);
      // Warm up (compiled code, string pools) so that only the issues are measured.
      await new IssueList(makeHost(t), 'warm', 'Warm', 'x', 'my').children();
      const list = new IssueList(makeHost(t), 'my', 'My Issues', 'x', 'my');
      gc();
      const before = process.memoryUsage().heapUsed;
      await list.children();
      gc();
      const afterFirst = process.memoryUsage().heapUsed;
      while (list.next) await list.loadMore();
      assert.equal(list.issues.length, 10_000);
      gc();
      const afterAll = process.memoryUsage().heapUsed;
      const perIssue = (afterAll - before) / 10_000;
      // The raw JSON of one issue here is ~700 bytes; keep far less than that.
      assert.ok(perIssue < 250, `${perIssue.toFixed(0)} bytes per loaded issue`);
      // No page's JSON is retained: the first page costs what 50 compact issues cost.
      assert.ok(afterFirst - before < 50 * 250 + 32 * 1024, `first page retained ${afterFirst - before} bytes`);
    });
  });

  describe('FiltersModel', () => {
    it('lists favourite filters (one request) and saved JQL, each expandable to its issues', async () => {
      const { t, calls } = serverTransport(30);
      const host = makeHost(t);
      const m = new FiltersModel(host);
      m.setSaved(parseSavedFilters([{ name: 'Recently updated', jql: 'updated >= -1d' }, { jql: 'project = PROJ' }, { name: 'bad' }, 42]));
      const roots = await m.children();
      assert.equal(calls.length, 1);
      assert.equal(calls[0].path, '/rest/api/2/filter/favourite');
      assert.deepEqual(roots.map((r) => (r as IssueList).label), ['My open bugs', 'Recently updated', 'project = PROJ']);
      assert.deepEqual(roots.map((r) => (r as IssueList).origin), ['favourite', 'saved', 'saved']);
      const fav = roots[0] as IssueList;
      assert.equal(fav.jql, 'type = Bug');
      const issues = await fav.children();
      assert.equal(keys(issues).length, 30);
      assert.equal(calls.length, 2);
      assert.equal(calls[1].query?.jql, 'type = Bug');
    });

    it('shows an error item with Retry when the favourites fail, and still the saved filters', async () => {
      let fail = true;
      const { t } = serverTransport(1, { fail: (req) => (fail && req.path.includes('filter') ? Object.assign(new Error('Forbidden'), { status: 403 }) : undefined) });
      const host = makeHost(t);
      const m = new FiltersModel(host);
      m.setSaved([{ name: 'Mine', jql: 'x' }]);
      const roots = await m.children();
      assert.equal(roots.length, 2);
      assert.ok(roots[0] instanceof MessageNode);
      assert.equal((roots[0] as MessageNode).text, 'Forbidden');
      fail = false;
      (roots[0] as MessageNode).retry?.();
      assert.equal((await m.children()).length, 2);
      assert.equal(((await m.children())[0] as IssueList).label, 'My open bugs');
    });

    it('puts a search at the top and refresh resets every list', async () => {
      const { t, calls } = serverTransport(5);
      const host = makeHost(t);
      const m = new FiltersModel(host);
      await m.children();
      const s = new IssueList(host, 'search', 'Search', 'text ~ foo', 'search');
      await s.load();
      m.setSearch(s);
      const roots = await m.children();
      assert.equal(roots[0], s);
      assert.equal(keys(await s.children()).length, 5);
      const before = calls.length;
      m.refresh();
      assert.equal(s.status, 'idle');
      await m.children();
      await s.children();
      assert.equal(calls.length, before + 2);
      m.clear();
      assert.equal(m.search, undefined);
    });
  });

  describe('helpers', () => {
    it('parses issue keys and browse URLs', () => {
      assert.equal(parseIssueKey('proj-12'), 'PROJ-12');
      assert.equal(parseIssueKey(' ABC_1-7 '), 'ABC_1-7');
      assert.equal(parseIssueKey('https://jira.example.com/browse/PROJ-9'), 'PROJ-9');
      assert.equal(parseIssueKey('PROJ'), undefined);
      assert.equal(parseIssueKey('12-PROJ'), undefined);
    });
    it('builds browser URLs', () => {
      assert.equal(browseUrl('https://jira/', 'A-1'), 'https://jira/browse/A-1');
      assert.equal(jqlUrl('https://jira', 'a = b'), 'https://jira/issues/?jql=a%20%3D%20b');
    });
    it('parses favourite filters', () => {
      const f: FilterDef[] = parseFavouriteFilters([{ id: 1, name: 'A', jql: 'x', owner: { displayName: 'Me' } }, { id: '2', name: 'B' }, { name: 'C' }, null]);
      assert.deepEqual(f.map((d) => [d.id, d.name, d.jql, d.owner]), [['1', 'A', 'x', 'Me'], ['2', 'B', 'filter = 2', undefined]]);
    });
  });
});
