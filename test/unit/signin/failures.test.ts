// The failure table: each kind of error gets the buttons that help with it. The notification's
// words are the error's own message (tested with each flow); this checks the table's rows.
import * as assert from 'node:assert/strict';
import { errorFromResponse } from '../../../src/core/errors';
import { SignInError, SignInErrorCode } from '../../../src/signin/errors';
import { ACTION_LABELS, describeFailure } from '../../../src/signin/failures';

const signInError = (code: SignInErrorCode) => new SignInError(code, `message of ${code}`);
const named = (name: string) => Object.assign(new Error(`a ${name}`), { name });
/** The JiraError core builds for a refusal with this oauth_problem (it carries the code's kind). */
const oauthProblem = (code: string) => errorFromResponse({ status: 401, headers: {}, body: Buffer.from(`oauth_problem=${code}`) }, { method: 'GET', url: 'https://jira.example.com/x', baseUrl: 'https://jira.example.com' });

describe('sign-in failures: message and buttons (table)', () => {
  it('gives each error its severity and buttons', () => {
    const table: Array<[unknown, 'warning' | 'error', string[]]> = [
      [signInError('denied'), 'warning', ['tryAgain']],
      [signInError('pending_lost'), 'warning', ['signIn']],
      [signInError('captcha'), 'error', ['openSite', 'usePat', 'tryAgain']],
      [signInError('basic_disabled'), 'error', ['otherMethod']],
      [signInError('bad_credentials'), 'error', ['tryAgain', 'showLog']],
      [signInError('no_flow'), 'error', ['tryAgain', 'showLog']],
      [oauthProblem('consumer_key_unknown'), 'error', ['openApplicationLinks', 'tryAgain', 'showLog']],
      [oauthProblem('timestamp_refused'), 'error', ['tryAgain', 'showLog']],
      [named('KeyError'), 'error', ['tryAgain']],
      [named('JiraError'), 'error', ['tryAgain', 'showLog']],
    ];
    for (const [err, severity, actions] of table) {
      const f = describeFailure(err);
      assert.deepEqual(f && { severity: f.severity, actions: f.actions, message: f.message }, { severity, actions, message: (err as Error).message }, String(err));
    }
  });

  it('says an unknown error is unexpected and offers only the log', () => {
    assert.deepEqual(describeFailure(new TypeError('x is undefined')), { severity: 'error', message: 'Unexpected error: x is undefined', actions: ['showLog'] });
  });

  it('shows nothing when the user cancelled', () => {
    assert.equal(describeFailure(signInError('cancelled')), undefined);
    assert.equal(describeFailure(Object.assign(new Error('aborted'), { name: 'AbortError' })), undefined);
  });

  it('has words for every button', () => {
    for (const [action, label] of Object.entries(ACTION_LABELS)) assert.ok(label().trim(), action);
  });
});
