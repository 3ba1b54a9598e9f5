// Writes are sent exactly once: a transition, a comment or an assignment that reached Jira and
// then lost its connection may have been applied, so it is never sent again (a second comment, a
// transition from the wrong status). Reads in the same setup are retried, which shows the retries
// are switched on and that only the method decides.
import * as assert from 'node:assert/strict';
import { createJiraClient, JiraError } from '../../../src/core';
import { addComment, assignIssue, getTransitions, transitionIssue } from '../../../src/core/work';
import { transportFor } from '../../../src/views/session';
import { send, startServer, TestServer } from './helpers';

describe('core/work: writes are sent exactly once', () => {
  let server: TestServer;
  let mode: 'hang-up' | '502';
  before(async () => {
    server = await startServer((_req, res) => {
      // The request arrived whole; the answer is lost (hang-up) or a gateway error.
      if (mode === 'hang-up') res.socket?.destroy();
      else send(res, 502, { errorMessages: ['Bad gateway'] });
    });
  });
  after(() => server.close());

  const transport = () =>
    transportFor(createJiraClient({ baseUrl: server.url, auth: { type: 'pat', token: 't' }, retry: { retries: 2, baseDelayMs: 1, sleep: async () => undefined } }));

  const writes: Array<[string, (t: ReturnType<typeof transport>) => Promise<unknown>]> = [
    ['POST transition', (t) => transitionIssue(t, 'DEMO-1', '11')],
    ['POST comment', (t) => addComment(t, 'DEMO-1', 'hello')],
    ['PUT assignee', (t) => assignIssue(t, 'Server', 'DEMO-1', 'admin')],
  ];

  for (const m of ['hang-up', '502'] as const) {
    for (const [name, write] of writes) {
      it(`${name}: after a ${m === 'hang-up' ? 'connection lost after sending' : 'HTTP 502'}, one request and an error`, async () => {
        mode = m;
        server.requests.length = 0;
        const err = await write(transport()).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof JiraError, String(err));
        assert.equal(err.code, m === 'hang-up' ? 'network' : 'server_error');
        assert.equal(server.requests.length, 1);
      });
    }

    it(`GET transitions after a ${m}: retried (the same client settings)`, async () => {
      mode = m;
      server.requests.length = 0;
      await assert.rejects(getTransitions(transport(), 'DEMO-1'));
      assert.equal(server.requests.length, 3);
    });
  }
});
