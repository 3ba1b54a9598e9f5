// Working on issues in a real VS Code (code-server) against the emulator (Data Center, PAT): a
// transition from the tree's context menu, a comment from the detail view, a transition Jira
// refuses and then Assign to Me, and Start Work creating a branch in the workspace's git
// repository. Every write is checked on the emulator's request log: sent once, answered as shown.
// Screenshots go to docs/screenshots/ (for the README).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { branchName, DEFAULT_BRANCH_PATTERN } from '../../src/core/work';
import { MESSAGES } from '../emulator/workflow';
import {
  contextMenu, detailFrame, launch, openJira, pane, quickInputTitle, row, shot, signInThroughUi, tidy, until, withPersonalAccessToken, workspaceFolder, Workbench,
} from './harness';

const PAT = 'work-e2e-pat';

type Req = { method: string; path: string; status: number };
const writes = (wb: Workbench, key: string): Req[] =>
  (wb.emulator.requests as Req[]).filter((r) => r.method !== 'GET' && r.path.includes(`/issue/${key}/`));

interface Found { key: string; summary: string; status: string }

/** Issues in a given state, through the REST API: fixtures looked up before the journeys. */
async function find(wb: Workbench, jql: string, ...more: string[]): Promise<Found[]> {
  // e2e-guard: fixture: finds issues in a given state before a journey (a read, no user action).
  const res = await fetch(`${wb.emulator.url}/rest/api/2/search?jql=${encodeURIComponent(jql)}&fields=${['summary', 'status', ...more].join(',')}&maxResults=10`, {
    headers: { Authorization: `Bearer ${PAT}` },
  });
  const body = (await res.json()) as { issues: Array<{ key: string; fields: { summary: string; status: { name: string } } }> };
  return body.issues.map((i) => ({ key: i.key, summary: i.fields.summary, status: i.fields.status.name }));
}

/** The tree row of an issue (DEMO-2, never DEMO-28). */
const issueRow = (wb: Workbench, key: string, more = '') => row(pane(wb.page, 'My Issues'), new RegExp(`\\b${key}(?!\\d)${more}`));

async function status(wb: Workbench, key: string): Promise<{ status: string; assignee: string | null }> {
  // e2e-guard: fixture: reads what Jira now has, to check the journey's outcome (a read, no user action).
  const res = await fetch(`${wb.emulator.url}/rest/api/2/issue/${key}?fields=status,assignee`, { headers: { Authorization: `Bearer ${PAT}` } });
  const f = ((await res.json()) as { fields: { status: { name: string }; assignee: { name: string } | null } }).fields;
  return { status: f.status.name, assignee: f.assignee?.name ?? null };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.invalid', ...args], { cwd, encoding: 'utf8' }).trim();
}

describe('work: transition, comment, assign and Start Work (Data Center)', () => {
  let wb: Workbench;
  let workspace: string;
  let mine: Found[];
  let unassigned: Found;

  before(async () => {
    // Seeding before the journeys: the workspace is a git repository with one commit on main.
    workspace = await workspaceFolder();
    git(workspace, 'init', '-q', '-b', 'main');
    writeFileSync(join(workspace, 'README.md'), '# A project\n');
    git(workspace, 'add', 'README.md');
    git(workspace, 'commit', '-q', '-m', 'First commit');

    wb = await launch({ name: 'work-dc', emulator: { pats: { [PAT]: 'admin' }, issueCount: 60 } });
    // Near the top of My Issues (same order), so that their rows are rendered without scrolling.
    mine = (await find(wb, 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC')).filter((i) => i.status === 'To Do');
    [unassigned] = await find(wb, 'assignee is EMPTY AND status = "To Do" ORDER BY key ASC');
    assert.ok(mine.length >= 2 && unassigned, 'the emulator has To Do issues assigned to admin and one unassigned');
    await signInThroughUi(wb, withPersonalAccessToken(wb, PAT));
    await tidy(wb);
    await openJira(wb);
  });
  after(async () => { await wb?.close(); });

  it('moves an issue to In Progress from the tree\'s context menu', async () => {
    const { key } = mine[0];
    const item = issueRow(wb, key);
    await item.waitFor({ timeout: 30_000 });
    await contextMenu(wb, item, 'Transition…');
    await quickInputTitle(wb, `Transition ${key}`).waitFor();
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Progress' }).first().waitFor();
    await shot(wb, 'work-transition-pick');
    await wb.pick('Start Progress');
    await until('the transition', async () => (await status(wb, key)).status === 'In Progress');
    // The tree loads the issue again: its row shows the new status.
    await issueRow(wb, key, '.*In Progress').waitFor();
    assert.deepEqual(writes(wb, key).map((r) => [r.method, r.status]), [['POST', 204]]);
  });

  it('adds a multi-line comment from the detail view', async () => {
    const { key } = mine[0];
    await contextMenu(wb, issueRow(wb, key), 'Open Issue');
    const frame = detailFrame(wb.page);
    const box = frame.locator('#comment-text');
    await box.waitFor({ timeout: 30_000 });
    await box.fill('Looked into it.\nThe *proxy* settings are the cause.');
    await shot(wb, 'work-comment-typed');
    const before = writes(wb, key).length;
    await frame.locator('button[data-action="comment"]').click();
    await frame.locator('#comments .comment', { hasText: 'Looked into it.' }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('#comment-text').inputValue(), '', 'the box is empty once Jira took the comment');
    assert.deepEqual(writes(wb, key).slice(before).map((r) => [r.method, r.path.replace(/^.*\/issue\//, ''), r.status]), [['POST', `${key}/comment`, 201]]);
    await frame.locator('#comments .comment', { hasText: 'Looked into it.' }).scrollIntoViewIfNeeded();
    await shot(wb, 'work-comment-added');
  });

  it('shows Jira\'s refusal of a transition in its words, then Assign to Me', async () => {
    const { key } = unassigned;
    await wb.runCommand('Jira: Open Issue by Key');
    await wb.waitForQuickInput(/issue key/i);
    await wb.submit(key);
    const frame = detailFrame(wb.page);
    await frame.locator('button[data-action="transition"]').click({ timeout: 30_000 });
    await quickInputTitle(wb, `Transition ${key}`).waitFor();
    await wb.pick(/^Done/);
    // The Done screen requires a resolution: asked for with Jira's allowed values.
    await quickInputTitle(wb, /Resolution/).waitFor();
    await wb.pick("Won't Do");
    const toast = await wb.notification(/Jira did not move/);
    assert.match(toast, new RegExp(`Jira did not move ${key} to Done: ${MESSAGES.mustBeAssigned.replace('.', '\\.')}`));
    await shot(wb, 'work-transition-refused');
    assert.deepEqual(writes(wb, key).map((r) => [r.method, r.status]), [['POST', 400]], 'sent once, refused');
    assert.equal((await status(wb, key)).status, 'To Do');

    // A double click: the page disables its work buttons at the first click, so one PUT.
    await frame.locator('button[data-action="assignToMe"]').dblclick();
    await until('the assignment', async () => (await status(wb, key)).assignee === 'admin');
    await frame.locator('#details', { hasText: 'Alice Admin' }).waitFor();
    assert.deepEqual(writes(wb, key).map((r) => [r.method, r.status]), [['POST', 400], ['PUT', 204]]);
  });

  it('Start Work: In Progress, assigned, and a new branch checked out in the workspace repository', async () => {
    const { key, summary } = mine[1];
    await wb.runCommand('View: Close All Editors');
    await contextMenu(wb, issueRow(wb, key), 'Start Work');
    const expected = branchName(DEFAULT_BRANCH_PATTERN, { key, summary });
    const toast = await wb.notification(/work started/);
    assert.match(toast, new RegExp(`Created and checked out the branch ${expected}`));
    await shot(wb, 'work-start-work');
    assert.equal(git(workspace, 'rev-parse', '--abbrev-ref', 'HEAD'), expected);
    assert.deepEqual(await status(wb, key), { status: 'In Progress', assignee: 'admin' });
    // Already assigned to me: only the transition is written.
    assert.deepEqual(writes(wb, key).map((r) => [r.method, r.status]), [['POST', 204]]);
  });
});
