// Bad input to the writes is refused before anything is sent (a WorkError code the adapters put
// into words); what each deployment sends and reads; branch names from a pattern.
import * as assert from 'node:assert/strict';
import type { SearchRequest, SearchTransport } from '../../../src/core/search';
import {
  addComment,
  assigneeBody,
  assignIssue,
  branchName,
  fieldValue,
  firstInProgress,
  getTransitions,
  MAX_COMMENT_LENGTH,
  searchAssignable,
  transitionIssue,
  userOf,
  WorkError,
} from '../../../src/core/work';

/** A transport that records requests and answers with `answer`. */
function recorder(answer: unknown = undefined): { t: SearchTransport; sent: SearchRequest[] } {
  const sent: SearchRequest[] = [];
  const t = (async (req: SearchRequest) => {
    sent.push(req);
    return answer;
  }) as SearchTransport;
  return { t, sent };
}

async function workError(p: Promise<unknown>): Promise<WorkError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof WorkError, `expected a WorkError, got ${String(e)}`);
  return e;
}

describe('core/work: bad input is refused before any request', () => {
  it('an issue key that is not PROJ-123', async () => {
    const { t, sent } = recorder();
    for (const key of ['', 'DEMO', 'DEMO-', '1-2', 'DEMO-1/../x', ' DEMO-1 x']) {
      const e = await workError(transitionIssue(t, key, '11'));
      assert.deepEqual([e.code, e.args.value], ['invalid_key', key]);
      assert.equal((await workError(addComment(t, key, 'x'))).code, 'invalid_key');
      assert.equal((await workError(assignIssue(t, 'Server', key, 'bob'))).code, 'invalid_key');
      assert.equal((await workError(searchAssignable(t, 'Server', key, 'b'))).code, 'invalid_key');
    }
    assert.equal(sent.length, 0);
  });

  it('an empty or too long comment, a missing transition, an empty user', async () => {
    const { t, sent } = recorder();
    for (const text of ['', '   ', '\n\t']) assert.equal((await workError(addComment(t, 'DEMO-1', text))).code, 'empty_comment');
    const long = await workError(addComment(t, 'DEMO-1', 'x'.repeat(MAX_COMMENT_LENGTH + 1)));
    assert.deepEqual([long.code, long.args], ['comment_too_long', { length: MAX_COMMENT_LENGTH + 1, max: MAX_COMMENT_LENGTH }]);
    assert.equal((await workError(transitionIssue(t, 'DEMO-1', ' '))).code, 'invalid_transition');
    assert.equal((await workError(assignIssue(t, 'Cloud', 'DEMO-1', ''))).code, 'invalid_user');
    assert.equal(sent.length, 0);
    // The longest comment Jira takes is sent.
    await addComment(t, 'DEMO-1', 'x'.repeat(MAX_COMMENT_LENGTH));
    assert.equal(sent.length, 1);
  });
});

describe('core/work: requests per deployment', () => {
  it('assignee: { name } on Data Center, { accountId } on Cloud, null unassigns', async () => {
    assert.deepEqual(assigneeBody('Server', 'bob'), { name: 'bob' });
    assert.deepEqual(assigneeBody('Cloud', '5b10ac8d'), { accountId: '5b10ac8d' });
    const { t, sent } = recorder();
    await assignIssue(t, 'Cloud', 'demo-7', null);
    assert.deepEqual(sent[0], { method: 'PUT', path: '/rest/api/2/issue/DEMO-7/assignee', body: { accountId: null }, signal: undefined });
  });

  it('user search: username on Data Center, query on Cloud; users by name or account id', async () => {
    const raw = [{ name: 'bob', key: 'JIRAUSER1', accountId: 'acc-bob', displayName: 'Bob', emailAddress: 'bob@x' }, { displayName: 'No id' }];
    const dc = recorder(raw);
    assert.deepEqual(await searchAssignable(dc.t, 'Server', 'DEMO-1', ' bo '), [{ id: 'bob', displayName: 'Bob', detail: 'bob@x' }]);
    assert.deepEqual(dc.sent[0].query, { issueKey: 'DEMO-1', username: 'bo', maxResults: 20 });
    const cloud = recorder(raw);
    assert.deepEqual(await searchAssignable(cloud.t, 'Cloud', 'DEMO-1', 'bo'), [{ id: 'acc-bob', displayName: 'Bob', detail: 'bob@x' }]);
    assert.deepEqual(cloud.sent[0].query, { issueKey: 'DEMO-1', query: 'bo', maxResults: 20 });
    assert.equal(userOf({ name: 'x' }, 'Cloud'), undefined, 'Cloud assigns by account id only');
  });

  it('transitions: the screen\'s required fields without a default, the first In Progress one', async () => {
    const { t, sent } = recorder({
      transitions: [
        { id: '31', name: 'Done', to: { name: 'Done', statusCategory: { key: 'done' } }, hasScreen: true,
          fields: { resolution: { required: true, name: 'Resolution', allowedValues: [{ id: '1', name: 'Fixed' }] }, labels: { required: false }, fixVersions: { required: true, hasDefaultValue: true } } },
        { id: 21, name: 'Review', to: { name: 'In Review', statusCategory: { key: 'indeterminate' } } },
        { id: '11', name: 'Start', to: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } },
        { name: 'no id' },
      ],
    });
    const list = await getTransitions(t, 'DEMO-1');
    assert.deepEqual(sent[0].query, { expand: 'transitions.fields' });
    assert.deepEqual(list.map((x) => x.id), ['31', '21', '11']);
    assert.deepEqual(list[0].required, [{ id: 'resolution', name: 'Resolution', allowedValues: [{ id: '1', name: 'Fixed' }] }]);
    assert.equal(firstInProgress(list)?.name, 'Review');
    assert.equal(firstInProgress(list.slice(0, 1)), undefined);
    assert.deepEqual(fieldValue({ id: '1', name: 'Fixed' }), { id: '1' });
    assert.deepEqual(fieldValue({ name: 'Fixed' }), { name: 'Fixed' });
  });

  it('a transition sends its fields only when there are some', async () => {
    const { t, sent } = recorder();
    await transitionIssue(t, 'DEMO-1', '11');
    await transitionIssue(t, 'DEMO-1', '31', { resolution: { id: '1' } });
    assert.deepEqual(sent.map((r) => r.body), [{ transition: { id: '11' } }, { transition: { id: '31' }, fields: { resolution: { id: '1' } } }]);
  });
});

describe('core/work: branch names', () => {
  const issue = { key: 'DEMO-42', summary: 'Fix the OAuth token refresh: behind a proxy!', type: 'Bug' };

  it('key and summary, lower-case words joined by dashes', () => {
    assert.equal(branchName('${key}-${summary}', issue), 'DEMO-42-fix-the-oauth-token-refresh-behind-a-proxy');
    assert.equal(branchName('${type}/${key}', issue), 'bug/DEMO-42');
    assert.equal(branchName('feature/${key}_${summary}', { key: 'WEB-1', summary: 'Café über naïve' }), 'feature/WEB-1_cafe-uber-naive');
  });

  it('cuts long summaries at a word, within the limit', () => {
    const name = branchName('${key}-${summary}', { key: 'DEMO-1', summary: 'word '.repeat(40) }, 30);
    assert.ok(name.length <= 30, name);
    assert.match(name, /^DEMO-1-word(-word)*$/);
  });

  it('whatever the pattern and summary, a name git accepts', () => {
    const bad = ['..', '~^:?*[\\', 'tab\there\u0001', ' lead', 'x.lock', '@{1}', 'a//b', '-dash', 'trail.'];
    for (const summary of bad) {
      for (const pattern of ['${key}-${summary}', '${summary}/${key}', 'x/${summary}.lock', '../${key}/']) {
        const n = branchName(pattern, { key: 'DEMO-1', summary });
        // eslint-disable-next-line no-control-regex -- control characters are what git refuses
        assert.doesNotMatch(n, /\.\.|[\s\x00-\x1f~^:?*[\\]|@\{|\/\/|^[-./]|[./]$|\.lock$|(^|\/)\./, `${pattern} + ${summary}: ${n}`);
        assert.ok(n.includes('DEMO-1'));
      }
    }
  });

  it('a pattern without ${key} falls back to the default', () => {
    assert.equal(branchName('just-text', issue, 21), 'DEMO-42-fix-the-oauth');
    assert.equal(branchName('just-text', issue, 20), 'DEMO-42-fix-the');
  });
});
