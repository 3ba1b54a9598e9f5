/**
 * The issue views against the Jira emulator with 10 000 issues (run by bench/run.mjs with
 * --expose-gc; compiled to out/bench/paging.js). Drives the views' own model (src/views/model.ts:
 * IssueList / FiltersModel over src/views/session.ts and core's search and client, OAuth 1.0a
 * signed) the way the tree does: getChildren() on the root for the first render, then "Load more…"
 * (loadMore(), then getChildren() again) until every issue is loaded. Only VS Code's TreeItems are
 * missing (they live in VS Code's extension host, not in the model). The emulator runs in a child
 * process, so its data is not in the heap measured here.
 *
 *  - first render: requests the emulator received per view (goal: 1 each) and its time;
 *  - paging_heap_growth: heapUsed after paging through all 10 000 issues / after the first page,
 *    each after global.gc();
 *  - search_first_page_ms: median time of a first page (a fresh list, the same session).
 *
 *   node --expose-gc out/bench/paging.js [--issues 10000]
 */
import { createJiraClient, generateKeyPair } from '../src/core';
import { FiltersModel, IssueList, ListChild, ListHost } from '../src/views/model';
import { ClientInfo, SessionManager } from '../src/views/session';
import { forkEmulator } from './lib/emulator';
import { oauthSignIn } from './lib/emulator';
import { emitResult, median, msSince, note, round, summary } from './lib/stats';

const argv = process.argv.slice(2);
const ISSUES = Number(argv[argv.indexOf('--issues') + 1] || process.env.BENCH_ISSUES || 10000);
const PAGE_SIZE = 50; // src/views/index.ts DEFAULT_PAGE_SIZE
// src/views/index.ts DEFAULT_JQL (that module imports 'vscode', so it is repeated here).
const DEFAULT_JQL = 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC';
// Every issue, newest first: what a user paging through a whole backlog sees.
const ALL_JQL = 'ORDER BY updated DESC';
const CONSUMER_KEY = 'vscode-jira-bench';
const FIRST_PAGE_REPEATS = 15;

declare const gc: undefined | (() => void);

function heapAfterGc(): number {
  if (typeof gc !== 'function') throw new Error('run node with --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const keys = await generateKeyPair({ modulusLength: 2048 });
  const emu = await forkEmulator({ issueCount: ISSUES, links: [{ consumerKey: CONSUMER_KEY, name: 'bench', publicKeyPem: keys.publicKeyPem }] });
  try {
    note(`paging: emulator with ${ISSUES} issues; signing in with OAuth 1.0a`);
    const { token, tokenSecret } = await oauthSignIn(emu.url, CONSUMER_KEY, keys.privateKeyPem);
    const client = createJiraClient({ baseUrl: emu.url, auth: { type: 'oauth1', consumerKey: CONSUMER_KEY, privateKeyPem: keys.privateKeyPem, token, tokenSecret } });
    // What sign-in stores: the site and the deploymentType its serverInfo call reported.
    const info: ClientInfo = { client, site: { baseUrl: emu.url, deploymentType: 'Server' } };
    const makeHost = (sessions: SessionManager): ListHost => ({
      session: () => sessions.session(),
      pageSize: () => PAGE_SIZE,
      changed: () => undefined,
      busy: (work) => work,
      log: (m) => note(`paging: view log: ${m}`),
    });
    const sessions = new SessionManager(async () => info);
    const host = makeHost(sessions);

    // First render of each view, as VS Code asks for the roots' children.
    await emu.mark();
    const t0 = process.hrtime.bigint();
    const myIssues = new IssueList(host, 'my', 'My Issues', ALL_JQL, 'my');
    let rendered: ListChild[] = await myIssues.children();
    const firstRenderMs = msSince(t0);
    const issuesRequests = await emu.requests();
    if (myIssues.status !== 'ready') throw new Error(`My Issues: ${myIssues.status} ${myIssues.error ?? ''}`);
    await emu.mark();
    const filters = new FiltersModel(makeHost(sessions));
    const filterChildren = await filters.children();
    const filtersRequests = await emu.requests();
    note(`paging: first render: My Issues ${issuesRequests.length} request(s) [${issuesRequests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}] in ${firstRenderMs.toFixed(1)} ms; Filters ${filtersRequests.length} request(s) [${filtersRequests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}], ${filterChildren.length} node(s)`);

    // Without the deploymentType from sign-in, the first render also asks serverInfo (once per site).
    await emu.mark();
    const noHint = new IssueList(makeHost(new SessionManager(async () => ({ client, site: { baseUrl: emu.url } }))), 'my', 'My Issues', ALL_JQL, 'my');
    await noHint.children();
    const noHintRequests = await emu.requests();

    // Heap: after the first page, then after paging through everything.
    const heapFirst = heapAfterGc();
    const pagingStarted = process.hrtime.bigint();
    let pages = 1;
    const pageMs: number[] = [];
    while (myIssues.next) {
      const t = process.hrtime.bigint();
      await myIssues.loadMore();
      rendered = await myIssues.children(); // the tree re-renders the list
      pageMs.push(msSince(t));
      pages++;
      if (myIssues.status !== 'ready' || myIssues.moreError) throw new Error(`Load more failed: ${myIssues.moreError ?? myIssues.status}`);
    }
    const pagingMs = msSince(pagingStarted);
    const heapAll = heapAfterGc();
    const loaded = myIssues.issues.length;
    const growth = heapAll / heapFirst;
    note(`paging: ${loaded} issues in ${pages} pages (${pagingMs.toFixed(0)} ms); heap ${(heapFirst / 1048576).toFixed(2)} MB after the first page, ${(heapAll / 1048576).toFixed(2)} MB after all: x${growth.toFixed(3)}, ${((heapAll - heapFirst) / Math.max(1, loaded - PAGE_SIZE)).toFixed(0)} bytes per issue`);
    if (rendered.length < loaded) throw new Error('the rendered list is shorter than the loaded issues');

    // search_first_page_ms: a fresh list's first page (a refresh), same session and client.
    const firstPage: number[] = [];
    let defaultTotal: number | undefined;
    for (let i = 0; i < FIRST_PAGE_REPEATS; i++) {
      const list = new IssueList(host, `my${i}`, 'My Issues', DEFAULT_JQL, 'my');
      const t = process.hrtime.bigint();
      await list.children();
      firstPage.push(msSince(t));
      defaultTotal = list.total;
    }
    note(`paging: first page of the default JQL (${defaultTotal} matching issues): median ${median(firstPage).toFixed(1)} ms`);

    const views = { issues: issuesRequests.length, filters: filtersRequests.length };
    emitResult({
      issues: ISSUES,
      page_size: PAGE_SIZE,
      jql: ALL_JQL,
      loaded,
      pages,
      paging_ms: round(pagingMs, 0),
      load_more_ms: summary(pageMs, 2),
      heap_first_page_bytes: heapFirst,
      heap_all_pages_bytes: heapAll,
      paging_heap_growth: round(growth, 3),
      heap_bytes_per_issue: round((heapAll - heapFirst) / Math.max(1, loaded - PAGE_SIZE), 0),
      first_render_ms: round(firstRenderMs, 1),
      first_render_requests: views,
      first_render_requests_detail: {
        issues: issuesRequests.map((r) => `${r.method} ${r.path} ${r.status}`),
        filters: filtersRequests.map((r) => `${r.method} ${r.path} ${r.status}`),
        issues_without_deployment_hint: noHintRequests.map((r) => `${r.method} ${r.path} ${r.status}`),
      },
      search_first_page_ms: round(median(firstPage), 1),
      search_first_page_ms_summary: summary(firstPage, 1),
      default_jql: DEFAULT_JQL,
      default_jql_total: defaultTotal,
    });
  } finally {
    await emu.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
