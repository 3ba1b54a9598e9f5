// The write failures of docs/troubleshooting.md ("Working on an issue", rows W01...): the request
// the extension sends (src/core/work.ts over the views' signed transport) against the emulator,
// behind a front that can drop a connection or answer 409. Every row proves:
//   1. what the user sees (the sentence of src/views/detail/failure.ts, as the notification shows
//      it) has the doc's fragments, in order;
//   2. nothing changed or was lost: the issue is as it was, a write was sent at most once;
//   3. the next good write succeeds.
// A last test checks that the doc's table and these tests list the same ids.
import * as assert from 'node:assert/strict';
import { createJiraClient, httpRequest } from '../../../src/core';
import type { SearchTransport } from '../../../src/core/search';
import { addComment, assignIssue, transitionIssue } from '../../../src/core/work';
import { format, setTranslator } from '../../../src/l10n';
import { describeFailure, refused } from '../../../src/views/detail/failure';
import { transportFor } from '../../../src/views/session';
import { startEmulator, Emulator } from '../../emulator';
import { USERS_WITH_VIEWER } from '../../emulator/workflow';
import { docRows } from './doc';
import { answer, Front, startFront } from './front';

const ADMIN = 'matrix-writes-admin';
const VIEWER = 'matrix-writes-viewer';
const CONTEXT = '/jira';

interface Env {
  front: Front;
  emulator: Emulator;
  admin: SearchTransport;
  viewer: SearchTransport;
  /** Requests the client sent (method and path). */
  hits: string[];
  get(key: string): Promise<{ status: string; assignee: string | null; comments: number }>;
  /** An issue in To Do: assigned to admin, or unassigned. */
  todo(assigned: boolean): Promise<string>;
}

/** What the user is shown for a failed write, or the test fails when it was not refused. */
async function refusal(p: Promise<unknown>, words: (detail: string) => string): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(err, 'the write was expected to fail');
  return words(describeFailure(err, true));
}

const ROWS: Array<{ id: string; run(env: Env): Promise<string> }> = [
  {
    id: 'W01',
    async run(env) {
      const key = await env.todo(true);
      await transitionIssue(env.admin, key, '11');
      // The list the user picked from was made before this: Start Progress again.
      const seen = await refusal(transitionIssue(env.admin, key, '11'), (d) => refused.transition(key, 'In Progress', d));
      assert.equal((await env.get(key)).status, 'In Progress');
      await transitionIssue(env.admin, key, '21');
      assert.equal((await env.get(key)).status, 'To Do');
      return seen;
    },
  },
  {
    id: 'W02',
    async run(env) {
      const key = await env.todo(false);
      const seen = await refusal(transitionIssue(env.admin, key, '31', { resolution: { id: '10000' } }), (d) => refused.transition(key, 'Done', d));
      const now = await env.get(key);
      assert.deepEqual([now.status, now.assignee], ['To Do', null]);
      await assignIssue(env.admin, 'Server', key, 'admin');
      await transitionIssue(env.admin, key, '31', { resolution: { id: '10000' } });
      assert.equal((await env.get(key)).status, 'Done');
      return seen;
    },
  },
  {
    id: 'W03',
    async run(env) {
      const key = await env.todo(true);
      const before = (await env.get(key)).comments;
      const seen = await refusal(addComment(env.viewer, key, 'Seen on staging too.'), (d) => refused.comment(key, d));
      assert.equal((await env.get(key)).comments, before);
      await addComment(env.admin, key, 'Seen on staging too.');
      assert.equal((await env.get(key)).comments, before + 1);
      return seen;
    },
  },
  {
    id: 'W04',
    async run(env) {
      const seen = await refusal(assignIssue(env.admin, 'Server', 'DEMO-99999', 'admin'), (d) => refused.assign('DEMO-99999', 'Alice Admin', d));
      const key = await env.todo(false);
      await assignIssue(env.admin, 'Server', key, 'admin');
      assert.equal((await env.get(key)).assignee, 'admin');
      return seen;
    },
  },
  {
    id: 'W05',
    async run(env) {
      const key = await env.todo(true);
      env.front.faults.push({ ...answer(/\/transitions$/, 409, JSON.stringify({ errorMessages: ['The issue was changed by someone else while you edited it.'], errors: {} }), { 'Content-Type': 'application/json' }, 1), method: 'POST' });
      const seen = await refusal(transitionIssue(env.admin, key, '11'), (d) => refused.transition(key, 'In Progress', d));
      assert.equal((await env.get(key)).status, 'To Do');
      await transitionIssue(env.admin, key, '11');
      assert.equal((await env.get(key)).status, 'In Progress');
      return seen;
    },
  },
  {
    id: 'W06',
    async run(env) {
      const key = await env.todo(true);
      const before = (await env.get(key)).comments;
      // The request reaches the front whole; the connection closes before any answer.
      env.front.faults.push({ path: /\/comment$/, method: 'POST', times: 1, respond: (_req, res) => res.socket?.destroy() });
      const from = env.hits.length;
      const seen = await refusal(addComment(env.admin, key, 'Deployed to staging.'), (d) => refused.comment(key, d));
      assert.deepEqual(env.hits.slice(from).filter((h) => h.startsWith('POST')), [`POST ${CONTEXT}/rest/api/2/issue/${key}/comment`], 'sent once, not retried');
      assert.equal((await env.get(key)).comments, before);
      await addComment(env.admin, key, 'Deployed to staging.');
      assert.equal((await env.get(key)).comments, before + 1);
      return seen;
    },
  },
  {
    id: 'W07',
    async run(env) {
      const key = await env.todo(true);
      const from = env.hits.length;
      const seen = await refusal(addComment(env.admin, key, 'x'.repeat(40000)), (d) => d);
      assert.equal(env.hits.length, from, 'nothing was sent');
      await addComment(env.admin, key, 'x'.repeat(32767));
      return seen;
    },
  },
  {
    id: 'W08',
    async run(env) {
      const key = await env.todo(true);
      const seen = await refusal(assignIssue(env.admin, 'Server', key, 'carol'), (d) => refused.assign(key, 'Carol Viewer', d));
      assert.equal((await env.get(key)).assignee, 'admin');
      await assignIssue(env.admin, 'Server', key, 'bob');
      assert.equal((await env.get(key)).assignee, 'bob');
      return seen;
    },
  },
];

describe('bad-input matrix, working on issues (docs/troubleshooting.md W rows): clear message, nothing lost, keeps working', function () {
  this.timeout(30_000);
  const doc = docRows('W');
  let env: Env | undefined;
  const used = new Set<string>();

  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => {
    await env?.emulator.close();
    await env?.front.close();
    env = undefined;
  });

  async function makeEnv(): Promise<Env> {
    const front = await startFront();
    const site = `${front.origin}${CONTEXT}`;
    const emulator = await startEmulator({
      port: 0, contextPath: CONTEXT, baseUrl: site, issueCount: 60,
      users: USERS_WITH_VIEWER,
      pats: { [ADMIN]: 'admin', [VIEWER]: 'carol' },
      readOnlyUsers: ['carol'],
    });
    front.targetPort = emulator.port;
    // Every request the client sends, as it goes out (retries included): with the retries of the
    // VS Code settings' default on, a write must still be sent once.
    const hits: string[] = [];
    const client = (token: string) => transportFor(createJiraClient({
      baseUrl: site, auth: { type: 'pat', token }, retry: { retries: 2, baseDelayMs: 1 },
      transport: (req) => {
        hits.push(`${req.method} ${new URL(req.url).pathname}`);
        return httpRequest(req);
      },
    }));
    const admin = client(ADMIN);
    const get = async (key: string) => {
      const r = await admin<{ fields: { status: { name: string }; assignee: { name: string } | null; comment: { total: number } } }>({ method: 'GET', path: `/rest/api/2/issue/${key}`, query: { fields: 'status,assignee,comment' } });
      return { status: r.fields.status.name, assignee: r.fields.assignee?.name ?? null, comments: r.fields.comment.total };
    };
    const todo = async (assigned: boolean) => {
      const jql = `status = "To Do" AND assignee ${assigned ? '= admin' : 'is EMPTY'} ORDER BY key ASC`;
      const r = await admin<{ issues: Array<{ key: string }> }>({ method: 'GET', path: '/rest/api/2/search', query: { jql, fields: 'summary', maxResults: 20 } });
      const key = r.issues.map((i) => i.key).find((k) => !used.has(k));
      assert.ok(key, `no unused issue for ${jql}`);
      used.add(key);
      return key;
    };
    return { front, emulator, admin, viewer: client(VIEWER), hits, get, todo };
  }

  for (const row of ROWS) {
    it(`${row.id}: ${doc.get(row.id)?.situation ?? '(not in the doc)'}`, async () => {
      const expected = doc.get(row.id);
      assert.ok(expected, `${row.id} is not a row of docs/troubleshooting.md`);
      env = await makeEnv();
      const seen = await row.run(env);
      let from = 0;
      for (const fragment of expected.seen) {
        const at = seen.indexOf(fragment, from);
        assert.ok(at >= 0, `${row.id}: "${fragment}" is not in (or out of order in) what the user sees:\n${seen}`);
        from = at + fragment.length;
      }
    });
  }

  it('docs/troubleshooting.md and this file list the same W rows', () => {
    assert.deepEqual([...doc.keys()].sort(), ROWS.map((r) => r.id).sort());
    for (const [id, r] of doc) assert.ok(r.situation && r.todo, `${id} has a situation and what to do`);
  });
});
