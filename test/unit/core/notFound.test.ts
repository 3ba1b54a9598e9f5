import * as assert from 'node:assert/strict';
import { JiraError } from '../../../src/core';
import { errorFromResponse } from '../../../src/core/errors';
import { errorSummary } from '../../../src/core/search';

// Jira's 404s come in kinds a user tells apart only by what was asked: a REST path this Jira does
// not know ("null for uri: …", Jersey's words), an issue the account may not see, a wrong base URL.
// Each is said in the user's words; Jira's raw "null for uri" never reaches the UI.
describe('core/errors: what a 404 says', () => {
  const BASE = 'https://jira.example.com/jira';
  const notFound = (path: string, body: unknown) =>
    errorFromResponse(
      { status: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) },
      { method: 'GET', url: `${BASE}${path}?x=1`, baseUrl: BASE },
    ) as JiraError;

  it('a resource this Jira does not have ("null for uri" as message): names the path, not Jira\'s words', () => {
    const e = notFound('/rest/api/2/filter/favourite', { message: `null for uri: ${BASE}/rest/api/2/filter/favourite`, 'status-code': 404 });
    assert.equal(e.code, 'not_found');
    assert.equal(e.resourceMissing, true);
    assert.equal(e.message, `${BASE} does not offer /rest/api/2/filter/favourite (HTTP 404): this Jira version, or the app that would provide it, does not have it. If every request fails like this, check the base URL (including a context path such as /jira).`);
    assert.doesNotMatch(errorSummary(e), /null for uri/);
  });

  it('the same in errorMessages (some versions): still no raw text in the summary', () => {
    const e = notFound('/rest/api/2/filter/favourite', { errorMessages: ['null for uri: x'], errors: {} });
    assert.equal(e.resourceMissing, true);
    assert.match(errorSummary(e), /^https:\/\/jira\.example\.com\/jira does not offer \/rest\/api\/2\/filter\/favourite/);
  });

  it('an issue: it does not exist or the account may not see it, with Jira\'s words', () => {
    const e = notFound('/rest/api/2/issue/DEMO-9', { errorMessages: ['Issue Does Not Exist'], errors: {} });
    assert.equal(e.resourceMissing, undefined);
    assert.match(e.message, /The issue does not exist, or your account may not see it.*Jira says: Issue Does Not Exist/);
    // A tree row or an issue tab shows the whole sentence (translated), not Jira's bare English words.
    assert.match(errorSummary(e), /^Not found: GET .*\/issue\/DEMO-9 \(HTTP 404\)\. The issue does not exist.*Jira says: Issue Does Not Exist$/);
  });

  it('a refusal (403) in a tree row: the sentence that says what to do, around Jira\'s words', () => {
    const e = errorFromResponse(
      { status: 403, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ errorMessages: ['You do not have the permission to see the specified issue.'], errors: {} })) },
      { method: 'GET', url: `${BASE}/rest/api/2/issue/DEMO-1`, baseUrl: BASE },
    );
    assert.match(errorSummary(e), /^Jira refused GET .* \(HTTP 403\): your account lacks the permission for it.*Jira says: You do not have the permission/);
  });

  it('a bad query (400) still shows Jira\'s own words: they name the field', () => {
    const e = errorFromResponse(
      { status: 400, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ errorMessages: ["Field 'nope' does not exist."], errors: {} })) },
      { method: 'GET', url: `${BASE}/rest/api/2/search`, baseUrl: BASE },
    );
    assert.equal(errorSummary(e), "Field 'nope' does not exist.");
  });

  it('any other path: the base URL, and no word about issues', () => {
    const e = notFound('/rest/api/2/myself', {});
    assert.match(e.message, /^Not found: GET https:\/\/jira\.example\.com\/jira\/rest\/api\/2\/myself \(HTTP 404\)\. Check the base URL \(including a context path such as \/jira\) and that the resource exists\.$/);
    assert.doesNotMatch(e.message, /issue/i);
  });
});
