import * as assert from 'node:assert/strict';
import { createLogger, describeError, lazyChannel } from '../../src/log';
import { FakeChannel } from './support/fakes';

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

describe('the "Jira" output channel is created on first use', () => {
  class Disposable extends FakeChannel {
    disposed = false;
    dispose() {
      this.disposed = true;
    }
  }

  it('not before something is logged or shown; once; every message reaches it', () => {
    const made: Disposable[] = [];
    const channel = lazyChannel(() => {
      const c = new Disposable();
      made.push(c);
      return c;
    });
    const log = createLogger(channel);
    assert.equal(channel.created, false);
    assert.equal(made.length, 0);
    log.info('first');
    log.error('second', new Error('boom'));
    log.show();
    assert.equal(channel.created, true);
    assert.equal(made.length, 1);
    assert.deepEqual(made[0].lines, ['info first', 'error second Error: boom']);
    channel.dispose();
    assert.equal(made[0].disposed, true);
  });

  it('never after the extension is deactivated (disposed first)', () => {
    let made = 0;
    const channel = lazyChannel(() => {
      made++;
      return new Disposable();
    });
    channel.dispose();
    createLogger(channel).warn('too late');
    channel.show();
    assert.equal(made, 0);
    assert.equal(channel.created, false);
  });
});
