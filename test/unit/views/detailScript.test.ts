// The issue page's own script (render.ts), run in node:vm over a small stand-in for the page's
// DOM: a double click on a work button must post one action, whatever the extension host is doing.
// The real page in a real VS Code is test/e2e/work.e2e.ts.
import * as assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { issueHtml } from '../../../src/views/detail/render';

const OPTS = { nonce: 'n0nce', cspSource: 'vscode-resource:', baseUrl: 'https://jira.example.com', locale: 'en' };
const ISSUE = { key: 'DEMO-1', fields: { summary: 'Fix it', status: { name: 'To Do', statusCategory: { key: 'new' } }, comment: { comments: [] } } };
/** The buttons that write to Jira, and so wait for each other. */
const WORK_ACTIONS = ['startWork', 'transition', 'assignToMe', 'assign', 'comment'];

class FakeElement {
  disabled = false;
  readOnly = false;
  value = '';
  readonly classes = new Set<string>();
  readonly classList = { toggle: (c: string, on: boolean) => void (on ? this.classes.add(c) : this.classes.delete(c)) };
  constructor(readonly attrs: Record<string, string> = {}) {}
  getAttribute(name: string): string | null {
    return this.attrs[name] ?? null;
  }
  closest(selector: string): FakeElement | null {
    return selector === 'button[data-action]' && this.attrs['data-action'] ? this : null;
  }
}

/** The page's script running over the buttons and comment box that issueHtml renders. */
function openPage() {
  const html = issueHtml(ISSUE, OPTS);
  const script = /<script nonce="n0nce">([\s\S]*?)<\/script>/.exec(html)?.[1];
  assert.ok(script, 'the page has its script');
  const buttons = new Map([...html.matchAll(/<button[^>]* data-action="(\w+)"/g)].map((m) => [m[1], new FakeElement({ 'data-action': m[1] })]));
  const box = new FakeElement({ id: 'comment-text' });
  const body = new FakeElement();
  const listeners = new Map<string, (e: unknown) => void>();
  const posted: unknown[] = [];
  const document = {
    body,
    getElementById: (id: string) => (id === 'comment-text' ? box : null),
    querySelectorAll: (selector: string) => (selector === 'button[data-action]' ? [...buttons.values()] : []),
    querySelector: (selector: string) => buttons.get(/data-action="(\w+)"/.exec(selector)?.[1] ?? '') ?? null,
    addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, fn),
  };
  const window = { addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(`window:${type}`, fn) };
  // Messages are copied out of the script's realm (its objects have another Object prototype).
  const acquireVsCodeApi = () => ({ postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))), setState: () => undefined });
  runInNewContext(script, { document, window, acquireVsCodeApi, Element: FakeElement });
  const event = (more: object) => ({ preventDefault: () => undefined, stopPropagation: () => undefined, ...more });
  return {
    buttons, box, body, posted,
    click: (action: string) => listeners.get('click')!(event({ target: buttons.get(action) })),
    ctrlEnter: () => listeners.get('keydown')!(event({ target: box, key: 'Enter', ctrlKey: true })),
    fromExtension: (data: unknown) => listeners.get('window:message')!({ data }),
  };
}

describe('views/detail: the page\'s script runs one action at a time', () => {
  it('a double click on Assign to Me posts one action; the buttons come back when the extension says it is done', () => {
    const page = openPage();
    page.click('assignToMe');
    page.click('assignToMe');
    assert.deepEqual(page.posted, [{ type: 'assignToMe' }]);
    for (const action of WORK_ACTIONS) assert.equal(page.buttons.get(action)?.disabled, true, action);
    assert.equal(page.box.readOnly, true, 'the comment box waits too');
    page.fromExtension({ type: 'working', busy: false });
    page.click('transition');
    assert.deepEqual(page.posted, [{ type: 'assignToMe' }, { type: 'transition' }]);
  });

  it('Ctrl+Enter in the comment box sends the comment once, and a click on Add Comment meanwhile sends nothing', () => {
    const page = openPage();
    page.box.value = 'Looks good';
    page.ctrlEnter();
    page.ctrlEnter();
    page.click('comment');
    assert.deepEqual(page.posted, [{ type: 'comment', text: 'Looks good' }]);
  });

  it('buttons that change nothing in Jira (refresh, open in browser) are never disabled', () => {
    const page = openPage();
    const others = [...page.buttons.keys()].filter((a) => !WORK_ACTIONS.includes(a));
    assert.ok(others.length > 0, `the page has other buttons: ${[...page.buttons.keys()].join(', ')}`);
    page.click('assignToMe');
    for (const action of others) assert.equal(page.buttons.get(action)?.disabled, false, action);
  });
});
