// A user whose VS Code shows 中文(简体) (issues 17 and 21): the window's code-server starts with
// --locale zh-cn and the language pack that scripts/lib/zh-cn.mjs builds from npm. They meet a site
// that cannot be reached, a personal access token Jira refuses and an application link Jira does not
// know (oauth_problem=consumer_key_unknown), sign in and see their issues. Every message they read
// must be the zh-cn text of l10n/bundle.l10n.zh-cn.json, with no English sentence in it.
// The screenshots are the README's (docs/screenshots/zh-cn-*.png).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from '../unit/support/netFixtures';
import { forwarded, inputMessage, launch, pane, quickInputTitle, row, runExact, shot, tidy, Workbench } from './harness';

const bundle = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const nls = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;

/** The zh-cn text of an English message, as the extension's l10n.t shows it. */
function zh(english: string, ...args: string[]): string {
  const text = bundle[english];
  if (typeof text !== 'string') throw new Error(`l10n/bundle.l10n.zh-cn.json has no entry for "${english}"`);
  return text.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? `{${i}}`);
}

/** The zh-cn text as a pattern: the arguments not given (undefined) match anything. */
function zhPattern(english: string, ...args: Array<string | undefined>): RegExp {
  const parts = zh(english).split(/(\{\d+\})/);
  return new RegExp(parts.map((p) => {
    const m = /^\{(\d+)\}$/.exec(p);
    if (!m) return escape(p);
    const arg = args[Number(m[1])];
    return arg === undefined ? '.+?' : escape(arg);
  }).join(''));
}

function escape(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

/**
 * Fails on an English sentence: three or more English words in a row, once addresses are taken
 * out. Names such as "Jira", "Alice Admin" or a consumer key are one or two words.
 */
function assertNoEnglishSentence(text: string): void {
  const words = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ').match(/[A-Za-z][A-Za-z'-]*(?:[ \t,]+[A-Za-z][A-Za-z'-]*){2,}/);
  assert.equal(words, null, `English words where Chinese is expected: "${words?.[0]}" in:\n${text}`);
}

describe('Chinese UI (zh-cn): sign in, the issue tree, and failures in Chinese', function () {
  this.timeout(240_000);
  let wb: Workbench;
  before(async () => {
    wb = await launch({ name: 'chinese', locale: 'zh-cn' });
    await tidy(wb);
  });
  after(async () => {
    await wb?.close();
  });

  it('shows VS Code itself in Chinese (the language pack is active)', async () => {
    // The Explorer's name in the activity bar: 资源管理器, from the pack's main.i18n.json.
    await wb.page.locator('.activitybar .action-item a[aria-label^="资源管理器"]').first().waitFor({ timeout: 10_000 });
    // The extension's own contributions come from package.nls.zh-cn.json.
    await wb.page.locator('.pane-header', { hasText: nls['view.issues'] }).first().waitFor();
  });

  it('a site that cannot be reached, then a refused token, then signed in with the issue tree', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    await runExact(wb, zh('Jira: Sign In'));
    await quickInputTitle(wb, zh('Jira: Sign In')).waitFor();
    await wb.submit(unreachable);
    const refused = zh('the connection was refused: nothing listens on that host and port (check the base URL and port, and that Jira is running)');
    const network = await inputMessage(wb, zhPattern('Could not reach {0}: {1}.', undefined, refused));
    assertNoEnglishSentence(network);
    await shot(wb, 'zh-cn-01-unreachable');

    // The box stays open to correct the address.
    await wb.submit(wb.emulator.url);
    await wb.pick(zh('Personal Access Token'));
    await quickInputTitle(wb, zhPattern('{0}: personal access token')).waitFor();
    await wb.submit('pat-e2e-wrong');
    // Waits for the refusal itself: the box's prompt before it also speaks of 个人访问令牌.
    const patRefused = zh('Jira did not accept this personal access token: check that it is complete, has not expired and was not revoked.');
    const refusedPat = await inputMessage(wb, new RegExp(escape(patRefused)));
    assert.equal(refusedPat.trim(), patRefused);
    assertNoEnglishSentence(refusedPat);
    await shot(wb, 'zh-cn-02-pat-refused');

    // The box's button opens the profile's Personal Access Tokens tab; the user creates a token there and pastes it.
    const profile = await wb.waitForPage(() => wb.page.locator(`.quick-input-widget:visible .action-label[aria-label="${zh('Open Personal Access Tokens in Jira')}"]`).first().click());
    await profile.waitForLoadState();
    await profile.locator('#pat-name').fill('VS Code');
    await profile.locator('#create-pat').click();
    const token = (await profile.locator('#pat-token').innerText()).trim();
    await profile.close();
    await wb.page.bringToFront();
    await quickInputTitle(wb, zhPattern('{0}: personal access token')).waitFor();
    await wb.submit(token);
    const signedIn = await wb.notification(zhPattern('Signed in to {0} ({1}) as {2}.', 'Jira Emulator', undefined, 'Alice Admin'));
    assertNoEnglishSentence(signedIn);

    const issues = pane(wb.page, nls['view.issues']);
    await row(issues, /DEMO-\d+|OPS-\d+|WEB-\d+/).waitFor({ timeout: 30_000 });
    await shot(wb, 'zh-cn-03-signed-in');
  });

  it('an application link Jira does not know (oauth_problem=consumer_key_unknown)', async () => {
    await runExact(wb, zh('Jira: Generate Key Pair'));
    await quickInputTitle(wb, zh('Jira: Generate Key Pair')).waitFor();
    await wb.submit(wb.emulator.url);
    await quickInputTitle(wb, /127\.0\.0\.1/).waitFor();
    await wb.submit('vscode-jira-zh');
    const generated = await wb.notification(/密钥对已生成/);
    assertNoEnglishSentence(generated);
    await runExact(wb, zh('Jira: Sign In'));
    await wb.pick(zhPattern('Continue Signing In to {0}', '127.0.0.1'));
    // The row that opens Application Links shows the address the browser will open: code-server's
    // forwarding of the emulator on its loopback, not the extension host's own address (issue 17).
    const openRow = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: zh('Open Application Links in Jira') }).first();
    assert.equal((await openRow.locator('.label-description').innerText()).trim(), forwarded(wb, '/plugins/servlet/applinks/listApplicationLinks'));
    await wb.pick(zh('Continue: the Application Link Is Created'));
    const problem = await wb.notification(/应用程序链接/);
    assert.match(problem, zhPattern('Jira has no application link with consumer key {0}. Ask a Jira administrator to create one (Administration > Applications > Application links, incoming authentication) with this consumer key and your public key, or check the consumer key you entered.', undefined));
    assert.match(problem, /vscode-jira-zh/);
    assertNoEnglishSentence(problem);
    await shot(wb, 'zh-cn-04-no-application-link');
  });
});
