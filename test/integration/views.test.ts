// The Jira views' TreeDataProviders inside a real VS Code extension host, against the Jira
// emulator: items, paging (only on demand, checked on the emulator's request log), Cloud mode,
// errors with Retry, cancellation and de-duplication, favourite filters, the issue detail webview,
// and (when the extension wires the views) the registered commands.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createJiraClient, JiraClient } from '../../src/core';
import { FiltersModel, IssueList, IssueNode, LoadMoreNode, MessageNode, TreeNode } from '../../src/views/model';
import { ClientInfo, SessionManager } from '../../src/views/session';
import { createHost, JiraTreeProvider } from '../../src/views/tree';
import { startEmulator, Emulator } from '../emulator';

const EXTENSION_ID = 'jira-auth-project.jira-auth';
const PAT = 'views-integration-pat';
const ROOT = path.resolve(__dirname, '..', '..', '..');

let logChannel: vscode.LogOutputChannel | undefined;
function log(): vscode.LogOutputChannel {
  logChannel ??= vscode.window.createOutputChannel('Jira views (integration tests)', { log: true });
  return logChannel;
}

interface Rig {
  provider: JiraTreeProvider;
  list: IssueList;
  sessions: SessionManager;
  changes: Array<TreeNode | undefined>;
}

function rig(opts: { url: string; token?: string; deploymentType?: string; jql?: string; pageSize?: number; wrap?: (c: JiraClient) => ClientInfo['client'] }): Rig {
  const client = createJiraClient({ baseUrl: opts.url, auth: { type: 'pat', token: opts.token ?? PAT } });
  const sessions = new SessionManager(async () => ({ client: opts.wrap ? opts.wrap(client) : client, site: { baseUrl: opts.url, deploymentType: opts.deploymentType } }));
  const provider = new JiraTreeProvider('jira.issues');
  const changes: Array<TreeNode | undefined> = [];
  provider.onDidChangeTreeData((n) => changes.push(n));
  const host = createHost(provider, () => sessions.session(), () => opts.pageSize ?? 50, log());
  const list = new IssueList(host, 'my', 'My Issues', opts.jql ?? 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC', 'my');
  provider.setRoot({ kind: 'list', list });
  return { provider, list, sessions, changes };
}

const searches = (em: Emulator, from = 0) => em.requests.slice(from).filter((r) => /\/search(\/jql)?$/.test(r.path));
const q = (r: { query: [string, string][] }, k: string) => r.query.find(([n]) => n === k)?.[1];

suite('views: TreeDataProvider in the extension host', function () {
  this.timeout(60_000);
  let server: Emulator;
  let cloud: Emulator;

  suiteSetup(async () => {
    server = await startEmulator({ pats: { [PAT]: 'admin' }, issueCount: 10_000 });
    cloud = await startEmulator({ pats: { [PAT]: 'admin' }, issueCount: 10_000, deploymentType: 'Cloud' });
  });
  suiteTeardown(async () => {
    await server?.close();
    await cloud?.close();
  });

  test('My Issues: the first page as tree items in ONE request, with a "Load more…" item', async () => {
    const from = server.requests.length;
    const { provider, list } = rig({ url: server.url, deploymentType: 'Server' });
    const children = await provider.getChildren();
    assert.equal(server.requests.length - from, 1, 'exactly one request for the first render');
    const s = searches(server, from)[0];
    assert.equal(s.path, '/rest/api/2/search');
    assert.equal(q(s, 'startAt'), '0');
    assert.equal(q(s, 'maxResults'), '50');
    assert.equal(children.length, 51);
    assert.ok(children.slice(0, 50).every((c) => c instanceof IssueNode));
    assert.ok(children[50] instanceof LoadMoreNode);

    const node = children[0] as IssueNode;
    const item = provider.getTreeItem(node);
    assert.equal(item.label, `${node.key} ${node.summary}`);
    assert.equal(item.description, node.status);
    assert.ok(item.iconPath instanceof vscode.ThemeIcon);
    assert.equal(item.contextValue, 'jira.issue');
    assert.equal(item.command?.command, 'jira.issue.open');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    const resolved = provider.resolveTreeItem(item, node) as vscode.TreeItem;
    const md = (resolved.tooltip as vscode.MarkdownString).value;
    for (const s2 of ['Assignee', 'Reporter', 'Updated', 'Priority', node.key]) assert.ok(md.includes(s2.replace('-', '\\-')), `tooltip has ${s2}: ${md}`);
    const more = provider.getTreeItem(children[50]);
    assert.equal(more.label, 'Load more…');
    assert.equal(more.command?.command, 'jira.views.loadMore');
    assert.match(String(more.description), /^50 of [\d,]+$/);
    assert.ok(list.total! > 1000);
  });

  test('paging: page N+1 is requested only when the user asks, three pages in three requests', async () => {
    const from = server.requests.length;
    const { provider, list, changes } = rig({ url: server.url, deploymentType: 'Server' });
    await provider.getChildren();
    await provider.getChildren(); // a re-render
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(searches(server, from).map((r) => q(r, 'startAt')), ['0'], 'no request for page 2 before "Load more"');
    await list.loadMore(); // what the "Load more…" item's command does
    assert.ok(changes.includes(undefined), 'the tree was told to refresh');
    let children = await provider.getChildren();
    assert.equal(children.filter((c) => c instanceof IssueNode).length, 100);
    await list.loadMore();
    children = await provider.getChildren();
    assert.equal(children.filter((c) => c instanceof IssueNode).length, 150);
    assert.deepEqual(searches(server, from).map((r) => q(r, 'startAt')), ['0', '50', '100']);
    const keys = children.filter((c): c is IssueNode => c instanceof IssueNode).map((c) => c.key);
    assert.equal(new Set(keys).size, 150, 'no duplicates across pages');
  });

  test('Cloud mode: /rest/api/3/search/jql with nextPageToken; serverInfo asked once and cached', async () => {
    const from = cloud.requests.length;
    const { provider, list, sessions } = rig({ url: cloud.url, jql: 'project = DEMO ORDER BY key ASC' });
    await provider.getChildren();
    assert.deepEqual(cloud.requests.slice(from).map((r) => r.path), ['/rest/api/2/serverInfo', '/rest/api/3/search/jql']);
    await list.loadMore();
    await list.loadMore();
    const log2 = searches(cloud, from);
    assert.equal(log2.length, 3);
    assert.equal(q(log2[0], 'nextPageToken'), undefined);
    assert.ok(q(log2[1], 'nextPageToken'));
    assert.ok(q(log2[2], 'nextPageToken'));
    assert.notEqual(q(log2[1], 'nextPageToken'), q(log2[2], 'nextPageToken'));
    assert.equal(list.total, undefined);
    assert.equal(list.issues.length, 150);
    const more = provider.getTreeItem(list.more);
    assert.equal(more.description, '150+');
    // A second list on the same site: the Cloud decision is cached, no serverInfo.
    const from2 = cloud.requests.length;
    const other = new IssueList(createHost(provider, () => sessions.session(), () => 50, log()), 'x', 'x', 'project = OPS', 'saved');
    await other.children();
    assert.deepEqual(cloud.requests.slice(from2).map((r) => r.path), ['/rest/api/3/search/jql']);
  });

  test('an empty result shows an empty-state message', async () => {
    const { provider } = rig({ url: server.url, deploymentType: 'Server', jql: 'project = DEMO AND summary ~ "no such words anywhere"' });
    const children = await provider.getChildren();
    assert.equal(children.length, 1);
    const item = provider.getTreeItem(children[0]);
    assert.equal(item.contextValue, 'jira.empty');
    assert.equal(item.label, 'No issues match this query.');
  });

  test('a bad JQL shows Jira\'s errorMessages as an error item whose Retry loads again', async () => {
    const r = rig({ url: server.url, deploymentType: 'Server', jql: 'project = = DEMO' });
    const children = await r.provider.getChildren();
    assert.equal(children.length, 1);
    const err = children[0] as MessageNode;
    const item = r.provider.getTreeItem(err);
    assert.equal(item.contextValue, 'jira.error');
    assert.match(String(item.label), /^Error in the JQL Query/);
    assert.doesNotMatch(String(item.label), /\n|at .*\.js/);
    assert.equal(item.command?.command, 'jira.views.retry');
    r.list.jql = 'project = OPS';
    err.retry?.();
    const again = await r.provider.getChildren();
    assert.equal(again.filter((c) => c instanceof IssueNode).length, 50);
  });

  test('a failed request (server down) is an error item without a stack trace; Retry recovers', async () => {
    const em = await startEmulator({ pats: { [PAT]: 'admin' }, issueCount: 20 });
    const url = em.url;
    const r = rig({ url, deploymentType: 'Server' });
    await em.close();
    const children = await r.provider.getChildren();
    const item = r.provider.getTreeItem(children[0]);
    assert.equal(item.contextValue, 'jira.error');
    assert.doesNotMatch(String(item.label), /\n\s+at |Error: /);
    assert.doesNotMatch(String(item.label), new RegExp(PAT));
    const again = await startEmulator({ pats: { [PAT]: 'admin' }, issueCount: 20, port: Number(new URL(url).port) });
    try {
      (children[0] as MessageNode).retry?.();
      const ok = await r.provider.getChildren();
      assert.ok(ok.length > 0 && ok[0] instanceof IssueNode);
    } finally {
      await again.close();
    }
  });

  test('no duplicate requests for the same node; refresh cancels the request in flight', async () => {
    // A proxy that holds every request for 400 ms before passing it to the emulator.
    let forwarded = 0;
    let aborted = 0;
    const proxy = http.createServer((req, res) => {
      let gone = false;
      res.on('close', () => { if (!res.writableEnded) { gone = true; aborted++; } });
      setTimeout(() => {
        if (gone) return;
        forwarded++;
        const up = http.request(`${server.url}${req.url}`, { method: req.method, headers: req.headers }, (u) => {
          res.writeHead(u.statusCode ?? 502, u.headers);
          u.pipe(res);
        });
        req.pipe(up);
      }, 400);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const r = rig({ url, deploymentType: 'Server' });
      const [a, b, c] = await Promise.all([r.provider.getChildren(), r.provider.getChildren(), r.provider.getChildren()]);
      assert.equal(forwarded, 1, 'three asks, one request');
      assert.equal(a.length, 51);
      assert.deepEqual(b.length, c.length);

      const slow = r.list.loadMore();
      await new Promise((res) => setTimeout(res, 100));
      r.list.reset(); // what Refresh does
      await slow;
      await new Promise((res) => setTimeout(res, 500));
      assert.equal(aborted, 1, 'the in-flight request was aborted');
      assert.equal(forwarded, 1, 'the aborted request never reached Jira');
      const fresh = await r.provider.getChildren();
      assert.equal(fresh.length, 51);
      assert.equal(forwarded, 2);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(() => r(undefined)));
    }
  });

  test('an account switch cancels, forgets the session and reloads with the new account', async () => {
    let account = 'admin';
    const em = await startEmulator({ pats: { 'pat-admin': 'admin', 'pat-bob': 'bob' }, issueCount: 200 });
    try {
      const clients = { admin: createJiraClient({ baseUrl: em.url, auth: { type: 'pat', token: 'pat-admin' } }), bob: createJiraClient({ baseUrl: em.url, auth: { type: 'basic', username: 'bob', password: 'bob' } }) };
      const sessions = new SessionManager(async () => ({ client: clients[account as 'admin' | 'bob'], site: { baseUrl: em.url, deploymentType: 'Server' } }));
      const provider = new JiraTreeProvider('jira.issues');
      const list = new IssueList(createHost(provider, () => sessions.session(), () => 50, log()), 'my', 'My Issues', 'assignee = currentUser()', 'my');
      provider.setRoot({ kind: 'list', list });
      await provider.getChildren();
      const adminTotal = list.total;
      account = 'bob';
      sessions.invalidate();
      list.reset();
      await provider.getChildren();
      assert.notEqual(list.total, adminTotal);
      const users = em.requests.filter((r) => r.path.endsWith('/search')).map((r) => r.user);
      assert.deepEqual(users, ['admin', 'bob'], 'the views do not care which auth method signed the client');
    } finally {
      await em.close();
    }
  });

  test('Filters: favourite filters in one request, each expandable to its issues, plus saved JQL', async () => {
    const from = server.requests.length;
    const client = createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: PAT } });
    const sessions = new SessionManager(async () => ({ client, site: { baseUrl: server.url, deploymentType: 'Server' } }));
    const provider = new JiraTreeProvider('jira.filters');
    const model = new FiltersModel(createHost(provider, () => sessions.session(), () => 25, log()));
    model.setSaved([{ name: 'Ops, newest first', jql: 'project = OPS ORDER BY created DESC' }]);
    provider.setRoot({ kind: 'filters', model });
    const roots = await provider.getChildren();
    assert.deepEqual(server.requests.slice(from).map((r) => r.path), ['/rest/api/2/filter/favourite']);
    assert.deepEqual(roots.map((r) => (r as IssueList).label), ['My open issues', 'Reported by me', 'DEMO bugs', 'Ops, newest first']);
    const fav = provider.getTreeItem(roots[2]);
    assert.equal(fav.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(fav.contextValue, 'jira.list.favourite');
    const bugs = await provider.getChildren(roots[2]);
    assert.equal(bugs.filter((c) => c instanceof IssueNode).length, 25);
    assert.ok(bugs[25] instanceof LoadMoreNode);
    const s = searches(server, from);
    assert.equal(s.length, 1);
    assert.equal(q(s[0], 'jql'), 'project = DEMO AND issuetype = Bug ORDER BY updated DESC');
    assert.equal(provider.getParent(bugs[0]), roots[2]);
    const saved = await provider.getChildren(roots[3]);
    assert.ok((saved[0] as IssueNode).key.startsWith('OPS-'));
  });

  test('issue detail: a webview with custom fields by name, comments, a strict CSP and a Refresh', async () => {
    const client = createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: PAT } });
    const sessions = new SessionManager(async () => ({ client, site: { baseUrl: server.url, deploymentType: 'Server' } }));
    const detail = await import('../../src/views/detail/panel');
    const context = { extensionUri: vscode.Uri.file(ROOT) } as vscode.ExtensionContext;
    detail.initDetail(context, { session: () => sessions.session(), log: log() });
    // An issue with comments and story points.
    const found = await client.request<{ issues: Array<{ key: string }> }>('GET', '/rest/api/2/search', {
      query: { jql: 'project = DEMO AND issuetype = Story AND comment ~ "the"', maxResults: 1, fields: 'summary' },
    });
    const key = found.body.issues[0]?.key ?? 'DEMO-1';
    const from = server.requests.length;
    const panel = await detail.showIssue(key);
    try {
      assert.deepEqual(server.requests.slice(from).map((r) => [r.path, q(r, 'expand')]), [[`/rest/api/2/issue/${key}`, 'names,renderedFields']]);
      const html = panel.html;
      assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;/);
      assert.ok(html.includes('Story Points'), 'custom field by its display name');
      assert.ok(html.includes('id="comments"'));
      assert.doesNotMatch(html, /Comments \(0\)/);
      assert.ok(html.includes('data-action="refresh"'));
      assert.ok(panel.panel.title.startsWith(key));
      const again = await detail.showIssue(key);
      assert.equal(again, panel, 'the same panel is revealed, not a second one');
      await panel.load();
      assert.equal(server.requests.slice(from).filter((r) => r.path.includes('/issue/')).length, 2);
      const missing = await detail.showIssue('DEMO-999999');
      assert.match(missing.html, /Issue Does Not Exist/);
      missing.panel.dispose();
    } finally {
      panel.panel.dispose();
    }
  });

  test('issue tabs survive a reload: the restored tab shows its issue again for the same account and site only', async () => {
    const client = createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: PAT } });
    const sessions = new SessionManager(async () => ({ client, site: { baseUrl: server.url, deploymentType: 'Server' }, accountId: 'account-1' }));
    const detail = await import('../../src/views/detail/panel');
    const context = { extensionUri: vscode.Uri.file(ROOT) } as vscode.ExtensionContext;
    detail.initDetail(context, { session: () => sessions.session(), log: log() });
    const opened = await detail.showIssue('DEMO-1');
    // The page keeps its state (vscode.setState); after a reload VS Code creates a panel of the
    // same type and hands it to the serializer with that state, as done here.
    const attr = /<body[^>]*data-state="([^"]*)"/.exec(opened.html);
    assert.ok(attr, 'the page keeps no state');
    const state = JSON.parse(attr[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    assert.deepEqual(state, { key: 'DEMO-1', baseUrl: server.url, accountId: 'account-1' });
    const title = opened.panel.title;
    opened.panel.dispose();
    const panel = () => vscode.window.createWebviewPanel(detail.DETAIL_VIEW_TYPE, 'DEMO-1', vscode.ViewColumn.Active);

    const restored = await detail.restoreIssue(panel(), state);
    assert.ok(restored);
    try {
      assert.equal(restored.panel.title, title, 'the issue is shown again');
      assert.ok(restored.html.includes('data-action="refresh"'));
      assert.equal(detail.openPanels().get('DEMO-1'), restored, 'Open Issue reveals the restored tab');
    } finally {
      restored.panel.dispose();
    }

    const otherAccount = await detail.restoreIssue(panel(), { ...state, accountId: 'account-2' });
    const otherSite = await detail.restoreIssue(panel(), { ...state, key: 'DEMO-2', baseUrl: 'https://other.example.com' });
    try {
      assert.match(otherAccount!.html, /for another account/);
      assert.match(otherSite!.html, /DEMO-2 from https:\/\/other\.example\.com/);
    } finally {
      otherAccount?.panel.dispose();
      otherSite?.panel.dispose();
    }

    // A state that names no issue (an older version's, or damaged) closes the tab.
    for (const bad of [undefined, {}, { key: 'not a key', baseUrl: server.url }, { key: 'DEMO-1' }]) {
      const p = panel();
      let closed = false;
      p.onDidDispose(() => { closed = true; });
      assert.equal(await detail.restoreIssue(p, bad), undefined);
      assert.ok(closed, `not closed for ${JSON.stringify(bad)}`);
    }
  });

  test('a live issue tab stays with its account and site on a switch, and shows nothing of the issue once that account signs out', async () => {
    // Two sites with the same keys: switching accounts used to reload DEMO-1 from the other site into the tab.
    const other = await startEmulator({ pats: { [PAT]: 'admin' }, issueCount: 50, serverTitle: 'Other Jira' });
    const changed = new vscode.EventEmitter<void>();
    const signedIn = new Set(['account-1', 'account-2']);
    let active: 'account-1' | 'account-2' = 'account-1';
    const site = { 'account-1': server.url, 'account-2': other.url };
    const sessions = new SessionManager(async () => ({ client: createJiraClient({ baseUrl: site[active], auth: { type: 'pat', token: PAT } }), site: { baseUrl: site[active], deploymentType: 'Server' }, accountId: active }));
    const detail = await import('../../src/views/detail/panel');
    detail.initDetail({ extensionUri: vscode.Uri.file(ROOT) } as vscode.ExtensionContext, { session: () => sessions.session(), signedIn: (id) => signedIn.has(id), log: log(), onDidChangeAccount: changed.event });
    const tab = await detail.showIssue('DEMO-1');
    try {
      const title = tab.panel.title;
      const siteLabel = server.url.replace(/^http:\/\//, '');
      assert.ok(tab.html.includes(`<span class="site" title="Jira site: ${server.url}">${siteLabel}</span>`), 'the tab shows its site');
      const shown = tab.html;
      const from = other.requests.length;
      active = 'account-2';
      sessions.invalidate();
      changed.fire();
      await tab.loading;
      assert.deepEqual(other.requests.slice(from).filter((r) => r.path.includes('/issue/')), [], 'DEMO-1 is not loaded from the other site');
      assert.equal(tab.panel.title, title);
      assert.equal(tab.html, shown, 'the tab keeps its own account\'s issue');
      // Its account signs out (the other one stays active): nothing of the issue stays readable.
      signedIn.delete('account-1');
      changed.fire();
      await tab.loading;
      assert.match(tab.html, new RegExp(`You signed out of ${siteLabel.replace(/\./g, '\\.')}, so this tab no longer shows DEMO-1`));
      assert.ok(!tab.html.includes(title.slice('DEMO-1: '.length)), 'the summary is gone');
      assert.equal(tab.panel.title, 'DEMO-1');
    } finally {
      tab.panel.dispose();
      changed.dispose();
      await other.close();
    }
  });

  test('the registered views and commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    // Missing commands or fixtures are failures, not reasons to skip: the suite runs the real extension.
    const all = await vscode.commands.getCommands(true);
    for (const id of ['jira.issues.search', 'jira.issues.openByKey', 'jira.views.refresh', 'jira.issue.copyKey']) assert.ok(all.includes(id), `${id} is not registered`);
    const url = process.env.JIRA_EMULATOR_URL;
    const token = process.env.JIRA_EMULATOR_PAT;
    assert.ok(url && token, 'the integration runner sets JIRA_EMULATOR_URL and JIRA_EMULATOR_PAT');
    assert.equal(typeof api?.signIn, 'function');
    await api.signIn({ baseUrl: url, method: 'pat', token });
    await vscode.commands.executeCommand('workbench.view.extension.jira');
    await vscode.commands.executeCommand('jira.views.refresh');
    await vscode.commands.executeCommand('jira.issues.openByKey', 'DEMO-1');
    // The tab model reaches the extension host asynchronously.
    const findTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('DEMO-1:'));
    for (let i = 0; i < 100 && !findTab(); i++) await new Promise((r) => setTimeout(r, 50));
    const tab = findTab();
    assert.ok(tab, `a "DEMO-1: summary" tab among ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    await vscode.commands.executeCommand('jira.issue.copyKey', 'DEMO-7');
    assert.equal(await vscode.env.clipboard.readText(), 'DEMO-7');
    await vscode.window.tabGroups.close(tab);
  });
});
