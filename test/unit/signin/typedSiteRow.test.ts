// The site pick offers a typed address as a row of its own. A remembered site typed another way
// must stay that site (with its scheme), or Enter would turn a local http Jira into https.
import * as assert from 'node:assert/strict';
import { format, setTranslator } from '../../../src/l10n';
import { typedSiteRow } from '../../../src/signin/site';

describe('sign-in: the site pick\'s row for a typed address', () => {
  before(() => setTranslator((m, ...a) => format(m, a)));
  const known = ['http://127.0.0.1:8080/jira', 'https://jira.example.com'];

  it('a new address gets a "Use this URL" row with the address as typed (trimmed)', () => {
    assert.deepEqual(typedSiteRow('  https://jira.other.example ', known), { label: 'https://jira.other.example', description: 'Use this URL', value: 'https://jira.other.example' });
    assert.equal(typedSiteRow('127.0.0.1:8080', known)?.value, '127.0.0.1:8080', 'the same host without /jira is another site');
  });

  it('a remembered site, typed without its scheme, in other case or with a trailing slash, is that site', () => {
    const cases: Array<[string, string]> = [
      ['127.0.0.1:8080/jira', 'http://127.0.0.1:8080/jira'],
      ['http://127.0.0.1:8080/jira/', 'http://127.0.0.1:8080/jira'],
      ['HTTPS://JIRA.EXAMPLE.COM/', 'https://jira.example.com'],
      ['jira.example.com', 'https://jira.example.com'],
    ];
    for (const [typed, site] of cases) {
      assert.deepEqual(typedSiteRow(typed, known), { label: typed.trim(), description: 'Remembered site', value: site }, typed);
    }
  });

  it('text that is no address (a filter word) gets no row', () => {
    for (const typed of ['', '   ', 'jira', 'example']) assert.equal(typedSiteRow(typed, known), undefined, typed);
  });
});
