import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import { format, setTranslator } from '../../../src/l10n';
import { FiltersModel, IssueList, IssueNode, ListHost, MessageNode } from '../../../src/views/model';
import { SessionManager } from '../../../src/views/session';
import { startEmulator, Emulator } from '../../emulator';

// A Jira without /rest/api/2/filter/favourite answers 404 "null for uri: …" (Jersey's words for a
// path it does not know). The Filters view used to show that text as an error; it now says what is
// missing, as a plain notice, and the saved filters still work.
describe('views/missingFavourites: a Jira without favourite filters', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => emulator?.close());

  async function filtersOf(favouriteFilters: boolean | undefined): Promise<{ model: FiltersModel; log: string[] }> {
    emulator = await startEmulator({ port: 0, contextPath: '/jira', pats: { 'pat-admin': 'admin' }, favouriteFilters });
    const client = core.createJiraClient({ baseUrl: emulator.url, auth: { type: 'pat', token: 'pat-admin' } });
    const sessions = new SessionManager(async () => ({ client, site: { baseUrl: emulator.url, deploymentType: 'Server' } }));
    const log: string[] = [];
    const host: ListHost = { session: () => sessions.session(), pageSize: () => 5, changed: () => undefined, busy: (p) => p, log: (m) => log.push(m) };
    const model = new FiltersModel(host);
    model.setSaved([{ name: 'Mine', jql: 'assignee = currentUser()' }]);
    return { model, log };
  }

  it('says favourite filters are not offered (no "null for uri", no error row) and keeps the saved filters working', async () => {
    const { model, log } = await filtersOf(false);
    const roots = await model.children();
    assert.equal(model.status, 'ready');
    const notice = roots[0] as MessageNode;
    assert.ok(notice instanceof MessageNode);
    assert.equal(notice.message, 'empty', 'a notice, not an error with Retry');
    assert.equal(notice.text, 'This Jira does not offer favourite filters (/rest/api/2/filter/favourite). Your saved filters (setting jira.filters) and searches still work.');
    assert.doesNotMatch(roots.map((r) => (r instanceof MessageNode ? r.text : (r as IssueList).label)).join(' '), /null for uri|issues you may not see/);
    const saved = roots[1] as IssueList;
    assert.equal(saved.label, 'Mine');
    assert.ok((await saved.children()).some((c) => c instanceof IssueNode), 'the saved filter lists issues');
    // The log keeps what Jira answered, in words that name the resource.
    assert.match(log.join('\n'), /does not offer \/rest\/api\/2\/filter\/favourite \(HTTP 404\)/);
  });

  it('a Jira with the resource lists the favourites and no notice', async () => {
    const { model } = await filtersOf(undefined);
    const roots = await model.children();
    assert.ok(!roots.some((r) => r instanceof MessageNode));
    assert.deepEqual(roots.map((r) => (r as IssueList).origin), ['favourite', 'favourite', 'favourite', 'saved']);
  });
});
