// How the OAuth 1.0a sign-in goes on after each oauth_problem: one row per code. The journeys in
// signin.test.ts drive the rows through the emulator; this checks the table itself.
import * as assert from 'node:assert/strict';
import { APPLINK_PROBLEMS, isApplinkProblem, OAUTH_PROBLEMS, problemRow } from '../../../src/signin/oauthProblems';

const jiraError = (oauthProblem: string) => Object.assign(new Error(oauthProblem), { name: 'JiraError', oauthProblem });

describe('oauth_problem table', () => {
  it('sends the user back to the application link for the codes that mean a missing or mismatched link', () => {
    assert.deepEqual(APPLINK_PROBLEMS, ['consumer_key_unknown', 'consumer_key_rejected', 'consumer_key_refused', 'signature_invalid', 'signature_method_rejected']);
    for (const p of APPLINK_PROBLEMS) assert.ok(isApplinkProblem(jiraError(p)), p);
    assert.ok(!isApplinkProblem(jiraError('token_expired')));
  });

  it('says what happens next for each code of the token exchange', () => {
    const then = (p: string) => problemRow(jiraError(p))?.then;
    assert.deepEqual(
      ['permission_denied', 'user_refused', 'token_expired', 'token_used', 'token_rejected', 'parameter_rejected', 'verifier_invalid', 'permission_unknown'].map(then),
      ['denied', 'denied', 'renew', 'renew', 'askAgain', 'askAgain', 'askAgain', 'askAgain'],
    );
    const rejected = OAUTH_PROBLEMS.token_rejected;
    assert.ok(rejected.then === 'askAgain' && rejected.renewAfter === 2, 'a code refused three times renews the request token');
    const unknown = OAUTH_PROBLEMS.permission_unknown;
    assert.ok(unknown.then === 'askAgain' && !unknown.refusal, '"not allowed yet" is not a refused code');
  });

  it('has no row for other errors or unknown codes (they end the sign-in with core\'s message)', () => {
    assert.equal(problemRow(jiraError('nonce_used')), undefined);
    assert.equal(problemRow(jiraError('toString')), undefined);
    assert.equal(problemRow(new Error('network')), undefined);
  });
});
