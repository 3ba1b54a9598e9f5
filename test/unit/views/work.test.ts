// Working on an issue in the detail view: its buttons and comment box (render.ts), and the words
// for a failure (failure.ts). The commands themselves run in a real VS Code (test/e2e/work.e2e.ts).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JiraError, msg } from '../../../src/core';
import { WorkError } from '../../../src/core/work';
import { format, setTranslator } from '../../../src/l10n';
import { describeFailure } from '../../../src/views/detail/failure';
import { errorHtml, issueHtml } from '../../../src/views/detail/render';
import { ROOT } from './l10nStrings';

const OPTS = { nonce: 'n0nce', cspSource: 'vscode-resource:', baseUrl: 'https://jira.example.com', locale: 'en' };
const ISSUE = { key: 'DEMO-1', fields: { summary: 'Fix it', status: { name: 'To Do', statusCategory: { key: 'new' } }, comment: { comments: [] } } };

describe('views/detail: the work buttons and the comment box', () => {
  it('an issue page has Start Work, Transition…, Assign to Me, Assign… and a comment box with Add Comment', () => {
    const html = issueHtml(ISSUE, OPTS);
    for (const action of ['startWork', 'transition', 'assignToMe', 'assign', 'comment']) assert.match(html, new RegExp(`data-action="${action}"`), action);
    assert.match(html, /<textarea id="comment-text"[^>]*><\/textarea>/);
  });

  it('an error page has none of them (there is no issue to work on)', () => {
    // The page without its script (which names the buttons it disables).
    const html = errorHtml('DEMO-1', 'Issue Does Not Exist', OPTS).split('<script')[0];
    assert.doesNotMatch(html, /data-action="(startWork|transition|assign|assignToMe|comment)"/);
    assert.doesNotMatch(html, /comment-text/);
  });

  it('keeps an unsent comment across a reload, as text (never as markup)', () => {
    const html = issueHtml(ISSUE, { ...OPTS, draft: 'line 1\n</textarea><script>alert(1)</script>' });
    assert.match(html, /<textarea id="comment-text"[^>]*>line 1\n&lt;\/textarea&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/textarea>/);
  });
});

describe('views/detail: the words for a failed action', () => {
  afterEach(() => setTranslator((m, ...a) => format(m, a)));

  it('a refusal is Jira\'s errorMessages and errors', () => {
    const e = new JiraError('bad_request', msg('HTTP 400'), { status: 400, errorMessages: ['Transition id \'41\' is not valid for this issue.'], errors: { resolution: 'Resolution is required.' } });
    assert.equal(describeFailure(e, true), 'Transition id \'41\' is not valid for this issue. Resolution is required.');
  });

  it('a write whose connection was lost may have been applied: check before trying again; a read just failed', () => {
    for (const code of ['network', 'timeout'] as const) {
      const e = new JiraError(code, msg('socket hang up'));
      assert.match(describeFailure(e, true), /may or may not have been made\. Check the issue before you try again\./);
      assert.equal(describeFailure(e, false), 'socket hang up');
    }
  });

  it('every WorkError code has its own sentence', () => {
    const codes: Array<[WorkError, RegExp]> = [
      [new WorkError('invalid_key', { value: 'x' }), /"x" is not an issue key/],
      [new WorkError('empty_comment'), /comment is empty/],
      [new WorkError('comment_too_long', { length: 40000, max: 32767 }), /40000 characters; Jira takes at most 32767/],
      [new WorkError('invalid_transition'), /Choose a transition/],
      [new WorkError('invalid_user'), /sign in again/],
    ];
    for (const [e, words] of codes) assert.match(describeFailure(e, true), words);
  });

  it('in Chinese too', () => {
    const zh = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    setTranslator((m, ...a) => format(zh[m] ?? `<untranslated ${m}>`, a));
    assert.equal(describeFailure(new WorkError('empty_comment'), true), '评论为空：请先输入内容。');
    assert.match(describeFailure(new JiraError('network', msg('x')), true), /连接已断开/);
  });
});
