import * as assert from 'node:assert/strict';
import { TabOwner, tabLoad } from '../../../src/views/detail/binding';

// An issue tab used to reload the same key from whichever account became active (another site's
// DEMO-1 in the tab of this site's DEMO-1), and kept its data after its account signed out. Each
// tab now belongs to the account and site of its first load.
describe('views/detail/binding: an issue tab belongs to its account and site', () => {
  const alice: TabOwner = { baseUrl: 'https://jira.one.example/jira', accountId: 'a1' };
  const bob: TabOwner = { baseUrl: 'https://jira.two.example', accountId: 'b1' };
  const signedIn = (...ids: string[]) => ({ signedIn: (id: string) => ids.includes(id) });

  it('loads with the active account when the tab is new, or is its own', () => {
    assert.equal(tabLoad(undefined, alice, { shown: false, ...signedIn('a1') }), 'load');
    assert.equal(tabLoad(alice, alice, { shown: true, ...signedIn('a1') }), 'load');
    // Same site written with a trailing slash or in capitals.
    assert.equal(tabLoad(alice, { baseUrl: 'HTTPS://jira.one.example/jira/', accountId: 'a1' }, { shown: true, ...signedIn('a1') }), 'load');
  });

  it('another account active: keeps what it shows, never loads the key from that account\'s site', () => {
    assert.equal(tabLoad(alice, bob, { shown: true, ...signedIn('a1', 'b1') }), 'keep');
    // Another account on the same site is another account too.
    assert.equal(tabLoad(alice, { ...alice, accountId: 'a2' }, { shown: true, ...signedIn('a1', 'a2') }), 'keep');
  });

  it('restored after a reload while another account is active: says whose it is, shows nothing', () => {
    assert.equal(tabLoad(alice, bob, { shown: false, ...signedIn('a1', 'b1') }), 'otherAccount');
  });

  it('its account signed out: signed out, whoever is active (even nobody)', () => {
    assert.equal(tabLoad(alice, bob, { shown: true, ...signedIn('b1') }), 'signedOut');
    assert.equal(tabLoad(alice, undefined, { shown: true, ...signedIn() }), 'signedOut');
  });

  it('after that, an account of the same site shows it again; another site does not', () => {
    const left: TabOwner = { baseUrl: alice.baseUrl, signedOut: true };
    assert.equal(tabLoad(left, { baseUrl: alice.baseUrl, accountId: 'a3' }, { shown: false, ...signedIn('a3') }), 'load');
    assert.equal(tabLoad(left, bob, { shown: false, ...signedIn('b1') }), 'signedOut');
  });

  it('never bound and nobody signed in: asks to sign in', () => {
    assert.equal(tabLoad(undefined, undefined, { shown: false, ...signedIn() }), 'signIn');
  });
});
