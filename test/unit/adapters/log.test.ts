import * as assert from 'node:assert/strict';
import { createLogger, describeError } from '../../../src/log';
import { FakeChannel } from './fakes';

describe('logging to the "Jira" LogOutputChannel', () => {
  it('redacts secrets with core.redact', () => {
    const channel = new FakeChannel();
    const log = createLogger(channel);
    log.info('POST /plugins/servlet/oauth/access-token oauth_token=abc123&oauth_verifier=XyZ987');
    log.warn('Authorization: Bearer s3cr3tT0ken');
    log.error('key:', new Error('-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----'));
    const text = channel.text();
    for (const s of ['abc123', 'XyZ987', 's3cr3tT0ken', 'MIIEvQ']) assert.ok(!text.includes(s), `${s} was logged`);
    assert.match(text, /\[REDACTED/);
  });

  it('describes JiraError-like errors with their codes', () => {
    const e = Object.assign(new Error('Jira has no application link'), { name: 'JiraError', code: 'oauth_problem', status: 401, oauthProblem: 'consumer_key_unknown' });
    assert.equal(describeError(e), 'JiraError: Jira has no application link [code=oauth_problem, status=401, oauthProblem=consumer_key_unknown]');
    assert.equal(describeError('plain'), 'plain');
  });
});
