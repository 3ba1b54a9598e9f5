// How the OAuth 1.0a sign-in goes on after each oauth_problem: it acts on the kind core's table
// gives the error (src/core/oauthProblems.ts). The journeys in signin.test.ts drive the rows through
// the emulator; this checks what the sign-in reads from real core errors.
import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import { errorFromResponse } from '../../../src/core/errors';
import { format, setTranslator } from '../../../src/l10n';
import { adviceOf, isApplinkProblem, problemKind, problemRow } from '../../../src/signin/oauthProblems';

/** The JiraError core builds when Jira answers the access-token request with this oauth_problem. */
const jiraError = (oauthProblem: string) =>
  errorFromResponse({ status: 401, headers: {}, body: Buffer.from(`oauth_problem=${oauthProblem}`) }, { method: 'POST', url: 'https://jira.example.com/plugins/servlet/oauth/access-token', baseUrl: 'https://jira.example.com' });

describe('oauth_problem kinds in the sign-in', () => {
  it('sends the user back to the application link for the codes that mean a missing or mismatched link', () => {
    const applink = Object.keys(core.OAUTH_PROBLEMS).filter((p) => isApplinkProblem(jiraError(p)));
    assert.deepEqual(applink, ['consumer_key_unknown', 'consumer_key_rejected', 'consumer_key_refused', 'signature_invalid', 'signature_method_rejected']);
    assert.ok(!isApplinkProblem(jiraError('token_expired')));
  });

  it('says what happens next for each code of the token exchange', () => {
    assert.deepEqual(
      ['permission_denied', 'user_refused', 'token_expired', 'token_used', 'token_rejected', 'parameter_rejected', 'verifier_invalid', 'permission_unknown', 'nonce_used'].map((p) => problemKind(jiraError(p))),
      ['denied', 'denied', 'renew', 'renew', 'codeRefused', 'codeRefused', 'codeRefused', 'notAllowedYet', 'fail'],
    );
    assert.equal(problemRow(core, jiraError('token_rejected'))?.renewAfter, 2, 'a code refused three times renews the request token');
  });

  it('shows the advice of a row in the user\'s language', () => {
    setTranslator((m, ...a) => format(`«${m}»`, a));
    try {
      assert.match(adviceOf(core, problemRow(core, jiraError('verifier_invalid'))), /^«Jira refused this verification code\./);
      assert.match(adviceOf(core, core.OAUTH_PROBLEMS.token_expired), /^«The authorization expired/);
      assert.match(adviceOf(core, undefined), /^«Jira no longer accepts that authorization/);
    } finally {
      setTranslator((m, ...a) => format(m, a));
    }
  });

  it('has no row for other errors or unknown codes (they end the sign-in with core\'s message)', () => {
    for (const err of [jiraError('something_new'), jiraError('toString'), new Error('network'), Object.assign(new Error('x'), { oauthProblem: 'token_expired' })]) {
      assert.equal(problemKind(err), undefined, err.message);
      assert.equal(problemRow(core, err), undefined, err.message);
    }
  });
});
