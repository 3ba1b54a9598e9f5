import assert = require('node:assert/strict');
import { statusBarLabel } from '../../../src/ui/statusBarLabel';

// The status bar must tell accounts apart: two sites' "Administrator" used to read "Administrator (2)".
const account = (id: string, displayName: string, baseUrl: string, method: 'oauth1' | 'pat' = 'oauth1') =>
  ({ id, displayName, method, site: { baseUrl } });
const method = (a: { method: string }) => a.method.toUpperCase();

describe('ui/statusBarLabel: the status bar names the active account so that it cannot be confused', () => {
  it('one account: only its name', () => {
    const a = account('1', 'Administrator', 'https://jira.example.com');
    assert.equal(statusBarLabel(a, [a], method), 'Administrator');
  });

  it('two accounts with the same name on two sites: the site is shown', () => {
    const a = account('1', 'Administrator', 'https://jira.example.com/');
    const b = account('2', 'Administrator', 'http://127.0.0.1:8080/jira');
    assert.equal(statusBarLabel(a, [a, b], method), 'Administrator · jira.example.com');
    assert.equal(statusBarLabel(b, [a, b], method), 'Administrator · 127.0.0.1:8080/jira');
  });

  it('two accounts with the same name on the same site: the sign-in method is shown too', () => {
    const a = account('1', 'Administrator', 'https://jira.example.com');
    const b = account('2', 'Administrator', 'https://JIRA.example.com/', 'pat');
    assert.equal(statusBarLabel(a, [a, b], method), 'Administrator · jira.example.com · OAUTH1');
    assert.equal(statusBarLabel(b, [a, b], method), 'Administrator · JIRA.example.com · PAT');
  });

  it('different names on one site: name and site, no method', () => {
    const a = account('1', 'Ada', 'https://jira.example.com');
    const b = account('2', 'Bob', 'https://jira.example.com', 'pat');
    assert.equal(statusBarLabel(a, [a, b], method), 'Ada · jira.example.com');
  });
});
