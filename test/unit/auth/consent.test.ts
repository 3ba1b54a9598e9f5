// Consent: another extension that runs jira.copyAccessToken cannot skip the user's warning outside
// test mode, and a signed curl is only made for the account's own site.
import * as assert from 'node:assert/strict';
import { copyTokenArgs, onSite } from '../../../src/auth/consent';

describe('consent: what callers of jira.copyAccessToken may ask', () => {
  it('confirm (skip the warning) is dropped unless the extension runs in test mode', () => {
    const asked = { accountId: 'a1', confirm: true, curlUrl: 'https://jira.example.com/rest/api/2/myself' };
    assert.deepEqual(copyTokenArgs(asked, false), { accountId: 'a1', confirm: undefined, curlUrl: asked.curlUrl });
    assert.equal(copyTokenArgs(asked, true).confirm, true);
    assert.equal(copyTokenArgs({ confirm: 'yes' }, true).confirm, undefined, 'only the boolean true');
  });

  it('arguments of the wrong type are ignored', () => {
    assert.deepEqual(copyTokenArgs({ accountId: 7, curlUrl: {} }, true), { accountId: undefined, confirm: undefined, curlUrl: undefined });
    assert.deepEqual(copyTokenArgs(undefined, true), { accountId: undefined, confirm: undefined, curlUrl: undefined });
  });
});

describe('consent: a signed curl only for the account\'s site', () => {
  const base = 'https://jira.example.com/jira';

  it('accepts URLs under the site and its context path', () => {
    assert.equal(onSite('https://jira.example.com/jira/rest/api/2/myself', base), 'https://jira.example.com/jira/rest/api/2/myself');
    assert.equal(onSite('  HTTPS://JIRA.example.com/jira/rest/api/2/search?jql=x ', base), 'https://jira.example.com/jira/rest/api/2/search?jql=x');
    assert.equal(onSite('https://jira.example.com:443/jira', base), 'https://jira.example.com/jira');
    assert.equal(onSite('https://jira.example.com/anything', 'https://jira.example.com'), 'https://jira.example.com/anything');
  });

  it('refuses look-alike hosts, other ports and schemes, sibling paths, credentials in the URL, garbage', () => {
    for (const url of [
      'https://jira.example.com.evil.example/jira/rest/api/2/myself', // passes a text prefix check
      'https://jira.example.com@evil.example/jira/',
      'https://evil.example/jira/rest',
      'https://jira.example.com:8443/jira/rest',
      'http://jira.example.com/jira/rest',
      'https://jira.example.com/jira-evil/rest',
      'https://jira.example.com/rest/api/2/myself',
      'https://user:pw@jira.example.com/jira/rest',
      'not a url',
      '',
    ]) assert.equal(onSite(url, base), undefined, url);
  });
});
