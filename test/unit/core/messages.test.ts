// Core's messages are templates and arguments so that the VS Code side can translate them; these
// check the English rendering (JiraError.message) and the hooks the translator relies on.
import * as assert from 'node:assert/strict';
import { formatMessage, mapArgs, msg, sentences, verbatim } from '../../../src/core/messages';

describe('core/messages', () => {
  it('fills placeholders once: an argument that looks like a placeholder stays as it is', () => {
    assert.equal(formatMessage(msg('Jira says: {0} ({1})', '{1}', 7)), 'Jira says: {1} (7)');
  });

  it('translates nested messages first, then the sentence around them', () => {
    const seen: string[] = [];
    const upper = (template: string, ...args: string[]) => {
      seen.push(template);
      return template.toUpperCase().replace(/\{(\d)\}/g, (_, i) => args[Number(i)]);
    };
    const m = msg('could not reach {0}: {1}.', 'host', msg('refused'));
    assert.equal(formatMessage(m, upper), 'COULD NOT REACH host: REFUSED.');
    assert.deepEqual(seen, ['refused', 'could not reach {0}: {1}.']);
  });

  it('never hands verbatim text or the joints of sentences() to the translator', () => {
    const seen: string[] = [];
    const spy = (template: string, ...args: string[]) => (seen.push(template), template.replace(/\{(\d)\}/g, (_, i) => args[Number(i)]));
    assert.equal(formatMessage(sentences(msg('One.'), undefined, verbatim('Two {0}.')), spy), 'One. Two {0}.');
    assert.deepEqual(seen, ['One.']);
  });

  it('joins sentences with a space, but not after full-width punctuation', () => {
    const zh = (template: string) => ({ 'One.': '一。', 'Two.': '二。' })[template] ?? template;
    assert.equal(formatMessage(sentences(msg('One.'), msg('Two.'))), 'One. Two.');
    assert.equal(formatMessage(sentences(msg('One.'), msg('Two.')), zh), '一。二。');
  });

  it('maps every string argument at every depth (redaction), keeping numbers and templates', () => {
    const m = mapArgs(msg('{0} {1} {2}', 'a', 2, msg('x {0}', 'b')), (s) => s.toUpperCase());
    assert.deepEqual(m, msg('{0} {1} {2}', 'A', 2, msg('x {0}', 'B')));
  });
});
