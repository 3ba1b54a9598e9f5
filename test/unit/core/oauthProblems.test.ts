// Jira's oauth_problem codes are one table (src/core/oauthProblems.ts): each row's kind, message and
// advice. This walks every row in English and in Chinese, so a row added without its words, or
// with a template the zh-cn bundle does not have, fails here.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorContext, errorFromResponse } from '../../../src/core/errors';
import { formatMessage, Message } from '../../../src/core/messages';
import { NO_LONGER_ACCEPTED, OAUTH_PROBLEMS, oauthProblemRow, oauthProblemText } from '../../../src/core/oauthProblems';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const zh = JSON.parse(readFileSync(join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const ctx: ErrorContext = { method: 'POST', url: 'https://jira.example.com/plugins/servlet/oauth/access-token', baseUrl: 'https://jira.example.com', consumerKey: 'vscode' };

/** Every template of a message and of the messages inside it. */
function templates(m: Message): string[] {
  return [m.text, ...m.args.flatMap((a) => (typeof a === 'object' ? templates(a) : []))];
}

/** A message in Chinese, failing on a template the bundle lacks (placeholder-only templates are structure). */
function chinese(m: Message): string {
  return formatMessage(m, (template, ...args) => {
    assert.ok(template in zh, `no zh-cn entry for: ${template}`);
    return zh[template].replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]);
  });
}

describe('oauth_problem table (core)', () => {
  const rows = Object.entries(OAUTH_PROBLEMS);

  it('has a row for every code Jira sends that the sign-in or the user must act on', () => {
    assert.ok(rows.length >= 19, `${rows.length} rows`);
    for (const code of ['signature_invalid', 'timestamp_refused', 'nonce_used', 'token_rejected', 'token_expired', 'consumer_key_unknown', 'verifier_invalid', 'permission_unknown']) {
      assert.ok(oauthProblemRow(code), code);
    }
  });

  it('says every row in English and in Chinese, its message and its advice', () => {
    for (const [code, row] of rows) {
      const message = row.message({ problem: code, parametersAbsent: ['oauth_nonce'], parametersRejected: ['oauth_x'], acceptableTimestamps: '1-2' }, ctx);
      assert.ok(formatMessage(message).length > 40, `${code}: ${formatMessage(message)}`);
      assert.doesNotMatch(chinese(message), /[A-Za-z]+(?: [A-Za-z]+){4}/, `${code}: English left in the Chinese message`);
      if (row.advice) assert.notEqual(chinese(row.advice), formatMessage(row.advice), `${code}: advice not translated`);
      for (const t of templates(message)) assert.ok(!t.includes('oauth_problem={0}') || code === 'verifier_invalid', `${code} falls back to the generic words`);
    }
  });

  it('gives every row that lets the sign-in go on the words it then shows', () => {
    for (const [code, row] of rows) {
      const goesOn = row.kind === 'renew' || row.kind === 'codeRefused' || row.kind === 'notAllowedYet';
      assert.equal(!!row.advice, goesOn, `${code} (${row.kind})`);
      assert.equal(row.renewAfter !== undefined, code === 'token_rejected', `${code}: renewAfter`);
    }
    assert.ok(chinese(NO_LONGER_ACCEPTED).length > 10);
  });

  it('builds JiraError.text from the row, and the generic words for codes not in the table', () => {
    const err = errorFromResponse({ status: 401, headers: {}, body: Buffer.from('oauth_problem=consumer_key_unknown') }, ctx);
    assert.deepEqual(err.text, OAUTH_PROBLEMS.consumer_key_unknown.message({ problem: 'consumer_key_unknown' }, ctx));
    assert.match(formatMessage(oauthProblemText({ problem: 'something_new' }, ctx)), /oauth_problem=something_new/);
    assert.match(formatMessage(oauthProblemText({ problem: 'toString' }, ctx)), /oauth_problem=toString/);
    assert.equal(oauthProblemRow('hasOwnProperty'), undefined);
  });

  it('names the URL Jira signed when it differs from ours (signature_invalid)', () => {
    const p = { problem: 'signature_invalid', serverBaseString: 'POST&https%3A%2F%2Fother.example.com%2Fjira&x' };
    assert.match(formatMessage(oauthProblemText(p, ctx)), /Jira computed it for https:\/\/other\.example\.com\/jira instead/);
    assert.doesNotMatch(formatMessage(oauthProblemText({ ...p, serverBaseString: `POST&${encodeURIComponent(ctx.url)}&x` }, ctx)), /instead/);
  });
});
