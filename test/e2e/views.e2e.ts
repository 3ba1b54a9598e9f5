// Browser journeys through the Jira views in a real VS Code (code-server), against the emulator.
// Screenshots go to docs/screenshots/ (for the README). Every "Load more" is checked on the
// emulator's request log: page N+1 is never requested before the user asks for it.
import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { contextMenu, detailFrame, forwarded, launch, openJira, pane, row, signInThroughUi, until, withApiToken, withPersonalAccessToken, Workbench } from './harness';

const PAT = 'views-e2e-pat';
const API_TOKEN = 'views-e2e-api-token';

type Req = { method: string; path: string; query: [string, string][]; user?: string; status: number };
const q = (r: Req, k: string) => r.query.find(([n]) => n === k)?.[1];
const searches = (wb: Workbench, from = 0): Req[] => (wb.emulator.requests as Req[]).slice(from).filter((r) => /\/search(\/jql)?$/.test(r.path));

/** Signs in through the UI: base URL, then the method, then its secret(s). */
async function signIn(wb: Workbench, method: 'pat' | 'api-token'): Promise<void> {
  try {
    // Jira Cloud: the e-mail and an API token (Basic), never a password.
    await signInThroughUi(wb, method === 'pat' ? withPersonalAccessToken(wb, PAT) : withApiToken(wb, 'admin@example.com', API_TOKEN));
  } catch (err) {
    // A hook failure gets no automatic screenshot: keep one for diagnosis (outside docs/).
    await wb.page.screenshot({ path: join(tmpdir(), `views-e2e-signin-${method}.png`) }).catch(() => undefined);
    throw err;
  }
}

/** The view's header, whose description counts the loaded issues ("100 of 4,158", "100+"). */
function header(p: Locator, text: string | RegExp): Locator {
  return p.locator('.pane-header', { hasText: text }).first();
}

/** Room for the screenshots: no secondary side bar (Chat), a wider primary side bar. */
async function tidyLayout(wb: Workbench): Promise<void> {
  const aux = wb.page.locator('.part.auxiliarybar');
  if (await aux.isVisible()) {
    await wb.runCommand('Hide Secondary Side Bar').catch(() => undefined);
    await aux.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  const sidebar = wb.page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (box && box.width < 450) {
    const x = box.x + box.width + 1;
    const y = box.y + box.height / 2;
    await wb.page.mouse.move(x, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(x + 460 - box.width, y, { steps: 5 });
    await wb.page.mouse.up();
  }
}

/**
 * Scrolls the tree with the mouse wheel (down, or up for a negative `dy`) until `target` is rendered
 * (the list renders only the rows in view). The mouse rather than End or Home: a key press depends
 * on where the keyboard focus is, and on a busy machine it was once elsewhere for the whole wait.
 */
async function scrollTo(p: Locator, target: Locator, dy = 1_000): Promise<void> {
  const list = p.locator('.monaco-list').first();
  for (let i = 0; i < 50 && !(await target.isVisible()); i++) {
    await list.hover();
    // The list scrolls 100 to 150 pixels per wheel event, whatever the delta.
    for (let k = 0; k < 8; k++) await p.page().mouse.wheel(0, dy);
    await new Promise((r) => setTimeout(r, 200));
  }
  await target.waitFor({ timeout: 5_000 });
}

/**
 * Scrolls to the "Load more…" row that counts `loaded` issues ("50 of", "100+") and clicks it. The
 * count matters: the view's header shows a new page before the list has replaced its rows, and the
 * previous page's "Load more…" row, still in view then, becomes an issue row under the pointer
 * (a clean-clone run once waited 30 s for it).
 */
async function loadMore(p: Locator, loaded: string): Promise<void> {
  const more = row(p, new RegExp(`Load more…\\s*${loaded.replace(/[+]/g, '\\+')}`));
  await scrollTo(p, more);
  await more.click();
}

/** An issue with comments and a custom field (Story Points), found through the REST API. */
async function issueWithCustomFields(wb: Workbench): Promise<string> {
  const jql = 'project = DEMO AND issuetype = Story AND assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC';
  // e2e-guard: fixture: reads the seeded issues to choose one, before the journey opens it.
  const res = await fetch(`${wb.emulator.url}/rest/api/2/search?jql=${encodeURIComponent(jql)}&fields=comment,customfield_10010&maxResults=200`, {
    headers: { Authorization: `Bearer ${PAT}` },
  });
  const body = (await res.json()) as { issues: Array<{ key: string; fields: { comment: { total: number }; customfield_10010: number | null } }> };
  const hit = body.issues.find((i) => i.fields.comment.total > 0 && i.fields.customfield_10010 !== null);
  assert.ok(hit, 'the emulator has a story with comments and story points');
  return hit.key;
}

describe('views: the Jira issue views (Data Center)', () => {
  let wb: Workbench;
  before(async () => {
    wb = await launch({ name: 'views-dc', emulator: { pats: { [PAT]: 'admin' }, issueCount: 10_000 } });
    await signIn(wb, 'pat');
    await tidyLayout(wb);
  });
  after(async () => { await wb?.close(); });

  it('issues tree shows my issues (one request for the first page)', async () => {
    await openJira(wb);
    const issues = pane(wb.page, 'My Issues');
    await row(issues, /DEMO-\d+|OPS-\d+|WEB-\d+/).waitFor({ timeout: 30_000 });
    await pane(wb.page, 'Filters').locator('.monaco-list-row', { hasText: 'My open issues' }).first().waitFor();
    await new Promise((r) => setTimeout(r, 500));
    // Everything since the emulator started: sign-in, then the views' first render.
    const s = searches(wb);
    assert.equal(s.length, 1, `one search: ${JSON.stringify(s)}`);
    assert.equal(q(s[0], 'jql'), 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC');
    assert.equal(q(s[0], 'startAt'), '0');
    assert.equal(q(s[0], 'maxResults'), '50');
    const after = (wb.emulator.requests as Req[]).slice((wb.emulator.requests as Req[]).indexOf(s[0]));
    assert.equal(after.filter((r) => r.path.endsWith('/serverInfo')).length, 0, 'the Cloud/DC decision came from sign-in');
    assert.equal((wb.emulator.requests as Req[]).filter((r) => r.path.endsWith('/filter/favourite')).length, 1, 'one request for the Filters view');
    await wb.screenshot('views-my-issues');
  });

  it('loads three pages, each only when the user asks', async () => {
    const issues = pane(wb.page, 'My Issues');
    const from = 0;
    assert.deepEqual(searches(wb, from).filter((r) => r.path.endsWith('/search')).map((r) => q(r, 'startAt')), ['0'], 'no page 2 before "Load more"');
    await loadMore(issues, '50 of');
    await until('page 2', () => searches(wb, from).length === 2);
    await header(issues, /100 of [\d,]+/).waitFor();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(searches(wb, from).length, 2, 'no page 3 before "Load more"');
    await loadMore(issues, '100 of');
    await until('page 3', () => searches(wb, from).length === 3);
    await header(issues, /150 of [\d,]+/).waitFor();
    await scrollTo(issues, row(issues, /Load more…\s*150 of/));
    assert.deepEqual(searches(wb, from).map((r) => q(r, 'startAt')), ['0', '50', '100']);
    await wb.screenshot('views-load-more');
  });

  it('runs a JQL search, and shows Jira\'s error for a bad one', async () => {
    const from = wb.emulator.requests.length;
    await wb.runCommand('Jira: Search Issues');
    await wb.waitForQuickInput(/JQL/);
    await wb.submit('project = = DEMO');
    const message = wb.page.locator('.quick-input-widget .quick-input-message', { hasText: 'Error in the JQL Query' });
    await message.waitFor();
    assert.match(await message.innerText(), /Error in the JQL Query/);
    await wb.screenshot('views-search-bad-jql');
    await wb.submit('project = OPS AND priority = Highest ORDER BY key ASC');
    const filters = pane(wb.page, 'Filters');
    await row(filters, 'Search Results').waitFor();
    await row(filters, /OPS-\d+/).waitFor();
    const s = searches(wb, from);
    assert.deepEqual(s.map((r) => [q(r, 'jql'), r.status]), [['project = = DEMO', 400], ['project = OPS AND priority = Highest ORDER BY key ASC', 200]]);
    await wb.screenshot('views-search-results');
  });

  it('opens an issue\'s detail with custom fields and comments', async () => {
    const key = await issueWithCustomFields(wb);
    await wb.runCommand('Jira: Open Issue by Key');
    await wb.waitForQuickInput(/issue key/i);
    await wb.submit(key);
    const frame = detailFrame(wb.page);
    await frame.locator('h1').first().waitFor({ timeout: 30_000 });
    await frame.locator('#custom-fields', { hasText: 'Story Points' }).waitFor();
    await frame.locator('#comments .comment').first().waitFor();
    assert.match(await frame.locator('#details').innerText(), /Assignee\s+Alice Admin/);
    assert.match(await frame.locator('.crumbs a').innerText(), new RegExp(key));
    await frame.locator('#description').scrollIntoViewIfNeeded();
    await wb.screenshot('views-issue-detail');
    await frame.locator('#comments').scrollIntoViewIfNeeded();
    await wb.screenshot('views-issue-detail-comments');
    // Refresh goes through the extension host: one more GET of the issue.
    const before = wb.emulator.requests.filter((r) => r.path.endsWith(`/issue/${key}`)).length;
    await frame.locator('button[data-action="refresh"]').click();
    await until('the refresh', () => wb.emulator.requests.filter((r) => r.path.endsWith(`/issue/${key}`)).length === before + 1);
  });

  it('opens an issue in the browser and copies its key from the context menu', async () => {
    const issues = pane(wb.page, 'My Issues');
    // The tree's first row by its index: the list reuses row elements as it scrolls, so "the first
    // row with an issue key" in the page can be another issue a moment later.
    const first = issues.locator('.monaco-list-row[data-index="0"]');
    await scrollTo(issues, first, -1_000);
    const key = /([A-Z]+-\d+)/.exec(await first.innerText())![1];
    await contextMenu(wb, first, 'Copy Key');
    await until('the clipboard', async () => (await wb.clipboard()) === key);
    // The row's inline action (the context menu has the same command).
    await first.hover();
    const popup = await wb.waitForPage(() => first.locator('.actions .action-label[aria-label="Open in Browser"]').click());
    await popup.waitForLoadState();
    // The emulator runs on the code-server machine's loopback: the page opens through its port forwarding.
    assert.equal(popup.url(), forwarded(wb, `/browse/${key}`));
    await popup.locator('#summary').waitFor();
    await wb.screenshot('views-open-in-browser', popup);
    await popup.close();
  });

  it('shows the open issue tab again after the window is reloaded', async () => {
    // The issue opened two steps above is still in its tab.
    const key = /([A-Z]+-\d+)/.exec(await detailFrame(wb.page).locator('.crumbs a').innerText())![1];
    const before = wb.emulator.requests.filter((r) => r.path.endsWith(`/issue/${key}`)).length;
    await wb.runCommand('Developer: Reload Window');
    await wb.page.locator('.statusbar-item', { hasText: 'Alice Admin' }).first().waitFor({ timeout: 60_000 });
    const frame = detailFrame(wb.page);
    await frame.locator('#custom-fields', { hasText: 'Story Points' }).waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.crumbs a').innerText(), new RegExp(key));
    assert.ok(wb.emulator.requests.filter((r) => r.path.endsWith(`/issue/${key}`)).length > before, 'the restored tab loaded the issue again');
    await wb.page.locator('.tab', { hasText: key }).first().waitFor();
  });
});

describe('views: Cloud mode paging', () => {
  let wb: Workbench;
  before(async () => {
    wb = await launch({ name: 'views-cloud', emulator: { issueCount: 10_000, deploymentType: 'Cloud', apiTokens: { [API_TOKEN]: 'admin' } } });
    await signIn(wb, 'api-token');
    await tidyLayout(wb);
  });
  after(async () => { await wb?.close(); });

  it('pages with nextPageToken on /rest/api/3/search/jql, never the removed /rest/api/2/search', async () => {
    const from = wb.emulator.requests.length;
    await openJira(wb);
    const issues = pane(wb.page, 'My Issues');
    await row(issues, /DEMO-\d+|OPS-\d+|WEB-\d+/).waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(searches(wb, from).length, 1, 'one request for the first page');
    await loadMore(issues, '50+');
    await until('page 2', () => searches(wb, from).length === 2);
    await header(issues, /100\+/).waitFor();
    await loadMore(issues, '100+');
    await until('page 3', () => searches(wb, from).length === 3);
    const s = searches(wb, from);
    assert.deepEqual(s.map((r) => r.path), ['/rest/api/3/search/jql', '/rest/api/3/search/jql', '/rest/api/3/search/jql']);
    assert.equal(q(s[0], 'nextPageToken'), undefined);
    assert.ok(q(s[1], 'nextPageToken') && q(s[2], 'nextPageToken') && q(s[1], 'nextPageToken') !== q(s[2], 'nextPageToken'));
    assert.equal(wb.emulator.requests.slice(from).filter((r) => r.path === '/rest/api/2/search').length, 0);
    await header(issues, /150\+/).waitFor();
    await scrollTo(issues, row(issues, /Load more…\s*150\+/));
    await wb.screenshot('views-cloud-paging');
  });
});
