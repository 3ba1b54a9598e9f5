// Browser journeys of the other sign-in methods in a real VS Code (code-server: a remote extension
// host with a web UI, so OAuth 2.0 comes back through VS Code's URI handler) against the Jira
// emulator: PAT, API token (Cloud), OAuth 2.0 on Data Center (consent page in the browser),
// OAuth 2.0 on Cloud with site selection, refresh after expiry with the tree open, wrong PAT,
// denied consent, CAPTCHA lock-out. Screenshots: docs/screenshots/methods-*.png (README).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { EmulatorOptions } from '../emulator';
import { accountsMenuEntry, forwarded, inputMessage, launch, openAccountsMenu, quickInputTitle, runExact, shot, storedGlobalState, tidy, Workbench, writeServerSettings } from './harness';

function journey(name: string, emulator?: EmulatorOptions): { wb: () => Workbench } {
  let wb: Workbench | undefined;
  before(async () => {
    wb = await launch({ name, emulator });
    await tidy(wb);
  });
  after(async () => {
    await wb?.close();
  });
  return { wb: () => wb! };
}

/** "Jira: Sign In", the site's URL, then the method picker (left open). */
/** The accounts the extension keeps in globalState, as stored (the workbench writes them after a short delay). */
async function storedAccounts(wb: Workbench, atLeast: number): Promise<unknown[]> {
  let accounts: unknown[] = [];
  for (let i = 0; i < 50; i++) {
    const state = await storedGlobalState(wb);
    accounts = Array.isArray(state?.['jira.accounts']) ? (state['jira.accounts'] as unknown[]) : [];
    if (accounts.length >= atLeast) break;
    await wb.page.waitForTimeout(100);
  }
  return accounts;
}

async function signInTo(wb: Workbench): Promise<void> {
  await runExact(wb, 'Jira: Sign In');
  await wb.waitForQuickInput('Jira: Sign In');
  await wb.submit(wb.emulator.url);
  // The method picker: its rows say which methods are recommended (the question is a placeholder, not text).
  await wb.page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row', { hasText: 'Recommended' }).first().waitFor();
  await wb.page.waitForTimeout(300); // the list finishes rendering
}

/** The method picker's row labels, in order. */
async function methodRows(wb: Workbench): Promise<string[]> {
  const rows = wb.page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Sets `jira.oauth2.cloudEndpoints` in the server's settings (undefined removes it). */
function setCloudEndpoints(endpoints: unknown): void {
  writeServerSettings({ 'jira.oauth2.cloudEndpoints': endpoints });
}

/** Client id and secret of the emulator's default OAuth 2.0 client; returns the consent page opened in the browser. */
async function enterClient(wb: Workbench, screenshot?: string): Promise<Page> {
  await quickInputTitle(wb, /client id/).waitFor();
  await wb.submit('vscode-jira');
  await quickInputTitle(wb, /client secret/).waitFor();
  await wb.quickInput.fill('vscode-jira-secret');
  if (screenshot) await shot(wb, screenshot);
  const consent = await wb.waitForPage(() => wb.quickInput.press('Enter'));
  await consent.waitForLoadState();
  return consent;
}

/**
 * After Allow/Deny on the consent page: VS Code's URI handler takes the redirect by itself where
 * the browser reaches it; otherwise (remote windows) the user pastes the address the browser
 * ended on into the input box that waits for it. Returns which way it went.
 */
async function backFromConsent(wb: Workbench, consent: Page, button: '#approve' | '#deny', screenshot?: string): Promise<'handler' | 'pasted'> {
  // The consent page redirects with code or error: the address the browser ends on (nothing
  // listens there, so Chromium shows its error page; the request shows the address).
  const redirected = consent.waitForRequest((r) => /[?&](code|error)=/.test(r.url()), { timeout: 15_000 }).then((r) => r.url(), () => consent.url());
  await consent.locator(button).click();
  const ended = await redirected;
  await wb.page.bringToFront();
  const box = quickInputTitle(wb, /allow access/);
  const done = wb.page.locator('.notification-toast', { hasText: /Signed in to|Access was denied|acme/ }).first();
  const dialog = wb.page.locator('.monaco-dialog-box').first();
  for (let i = 0; i < 60; i++) {
    if (await done.isVisible()) return 'handler';
    // VS Code may ask whether the extension may open the URI: allow it, as the user would.
    if (await dialog.isVisible()) {
      await shot(wb, 'methods-05c-open-uri-prompt');
      await dialog.locator('.dialog-buttons a, .dialog-buttons button', { hasText: /^(Open|Allow|Yes)$/ }).first().click().catch(() => undefined);
      continue;
    }
    if (!(await box.isVisible())) break;
    await wb.page.waitForTimeout(100);
  }
  if (!(await box.isVisible())) return 'handler';
  assert.match(ended, /[?&](code|error)=/, `the browser ended on ${ended}`);
  await wb.quickInput.fill(ended);
  if (screenshot) await shot(wb, screenshot);
  await wb.quickInput.press('Enter');
  return 'pasted';
}

describe('Other sign-in methods (journeys)', function () {
  this.timeout(240_000);

  describe('personal access token, wrong one first', () => {
    const j = journey('methods-pat');

    it('recommends OAuth 2.0, PAT and application link for Data Center 9.12, Basic last', async () => {
      const wb = j.wb();
      await signInTo(wb);
      const rows = await methodRows(wb);
      assert.match(rows[0], /OAuth 2\.0.*Recommended/);
      assert.match(rows[1], /Personal Access Token.*Also recommended/);
      assert.match(rows[2], /OAuth 1\.0a/);
      assert.match(rows[3], /User Name and Password.*Weakest/);
      await shot(wb, 'methods-01-picker');
    });

    it('says Jira refused a wrong PAT, keeps the box open, then signs in with the right one', async () => {
      const wb = j.wb();
      await wb.pick(/Personal Access Token/);
      await quickInputTitle(wb, /personal access token/).waitFor();
      await wb.submit('pat-e2e-wrong');
      assert.match(await inputMessage(wb, /did not accept this personal access token/), /expired/);
      await shot(wb, 'methods-failure-wrong-pat');
      assert.equal(wb.emulator.requests.filter((r) => r.path === '/rest/api/2/myself' && r.status === 401).length, 1);
      // The box's button opens the profile's Personal Access Tokens tab; the user creates a token there and pastes it.
      const profile = await wb.waitForPage(() => wb.page.locator('.quick-input-widget:visible .action-label[aria-label="Open Personal Access Tokens in Jira"]').first().click());
      await profile.waitForLoadState();
      assert.ok(profile.url().startsWith(forwarded(wb, '/secure/ViewProfile.jspa?')), profile.url());
      await profile.locator('#pat-name').fill('VS Code');
      await profile.locator('#create-pat').click();
      const token = (await profile.locator('#pat-token').innerText()).trim();
      await wb.screenshot('methods-02a-pat-created', profile);
      await profile.close();
      await wb.page.bringToFront();
      await quickInputTitle(wb, /personal access token/).waitFor();
      await wb.submit(token);
      assert.match(await wb.notification(/Signed in to Jira Emulator/), /as Alice Admin/);
      await shot(wb, 'methods-02-pat-signed-in');
    });
  });

  describe('API token on Jira Cloud', () => {
    const j = journey('methods-api-token', { deploymentType: 'Cloud', apiTokens: { 'atl-e2e-token': 'admin' } });

    it('signs in with the e-mail and an API token; no password method is offered', async () => {
      const wb = j.wb();
      await signInTo(wb);
      const rows = await methodRows(wb);
      assert.match(rows[0], /OAuth 2\.0 \(3LO\).*Recommended/);
      assert.ok(!rows.some((r) => /User Name and Password/.test(r)), rows.join(' | '));
      await wb.pick(/API Token/);
      await quickInputTitle(wb, /e-mail/).waitFor();
      await wb.submit('admin@example.com');
      await quickInputTitle(wb, /API token/).waitFor();
      await wb.quickInput.fill('atl-e2e-token');
      await shot(wb, 'methods-03-api-token');
      await wb.quickInput.press('Enter');
      assert.match(await wb.notification(/Signed in to/), /as Alice Admin/);
    });
  });

  describe('OAuth 2.0 on Data Center, then refresh after expiry with the tree open', () => {
    const j = journey('methods-oauth2-dc');

    it('allows access on the consent page; the address comes back to VS Code', async () => {
      const wb = j.wb();
      await signInTo(wb);
      await wb.pick(/OAuth 2\.0/);
      const consent = await enterClient(wb, 'methods-04-oauth2-client-secret');
      // Opened through code-server's port forwarding: the emulator runs on the remote machine's loopback.
      assert.ok(consent.url().startsWith(forwarded(wb, '/rest/oauth2/latest/authorize?')), consent.url());
      assert.equal(new URL(consent.url()).searchParams.get('code_challenge_method'), 'S256');
      await consent.locator('#approve').waitFor();
      await shot(wb, 'methods-05-oauth2-consent', consent);
      await backFromConsent(wb, consent, '#approve', 'methods-05b-oauth2-paste-redirect');
      assert.match(await wb.notification(/Signed in to Jira Emulator/), /as Alice Admin/);
      await shot(wb, 'methods-06-oauth2-signed-in');
      await consent.close().catch(() => undefined);
      // The store reader used after "Deny" below sees a stored account: it can tell the two apart.
      assert.equal((await storedAccounts(wb, 1)).length, 1);
    });

    it('renews the expired access token while the tree is open: one refresh, the issues stay', async () => {
      const wb = j.wb();
      const row = wb.page.locator('.pane-body .monaco-list-row', { hasText: /DEMO-\d+|OPS-\d+|WEB-\d+/ }).first();
      await row.waitFor({ timeout: 30_000 });
      // e2e-guard: fixture: the access token's lifetime runs out (a journey cannot wait for it).
      assert.equal(wb.emulator.oauth2.expireAccessTokens() >= 1, true);
      const before = wb.emulator.oauth2.stats.refreshes;
      await wb.runCommand('Jira: Refresh');
      for (let i = 0; i < 100 && wb.emulator.oauth2.stats.refreshes === before; i++) await wb.page.waitForTimeout(100);
      assert.equal(wb.emulator.oauth2.stats.refreshes, before + 1, 'one refresh');
      await row.waitFor();
      assert.equal(await wb.page.locator('.pane-body', { hasText: /did not accept|sign in again/i }).count(), 0, 'no error in the views');
      await shot(wb, 'methods-07-refreshed-tree');
    });
  });

  describe('denied consent', () => {
    const j = journey('methods-oauth2-deny');

    it('says access was denied and stores nothing', async () => {
      const wb = j.wb();
      await signInTo(wb);
      await wb.pick(/OAuth 2\.0/);
      const consent = await enterClient(wb);
      await backFromConsent(wb, consent, '#deny');
      await wb.notification(/Access was denied in the browser/);
      await shot(wb, 'methods-failure-denied');
      await wb.page.locator('.statusbar-item', { hasText: 'Jira: Sign In' }).first().waitFor();
      await consent.close().catch(() => undefined);
      // Nothing stored: no account in globalState, no sign-in left pending, none in the Accounts menu.
      await wb.page.waitForTimeout(1500); // what the workbench would write reaches IndexedDB
      const state = await storedGlobalState(wb);
      assert.deepEqual(await storedAccounts(wb, 0), [], JSON.stringify(state));
      assert.equal(state?.['jira.pendingSignIn'], undefined, 'no sign-in left pending');
      await openAccountsMenu(wb);
      await accountsMenuEntry(wb, /Sign in with Jira/).waitFor();
      assert.equal(await accountsMenuEntry(wb, /Alice Admin/).count(), 0, 'no Jira account in the Accounts menu');
      await wb.page.keyboard.press('Escape');
    });
  });

  describe('OAuth 2.0 (3LO) on Jira Cloud with site selection, then Inspect Token', () => {
    const j = journey('methods-oauth2-cloud', { deploymentType: 'Cloud' });
    after(() => setCloudEndpoints(undefined));

    it('accepts on the consent page, then picks the site', async () => {
      const wb = j.wb();
      setCloudEndpoints(wb.emulator.cloudEndpoints);
      await wb.page.waitForTimeout(1500); // the settings file change reaches the extension host
      await signInTo(wb);
      await wb.pick(/OAuth 2\.0 \(3LO\)/);
      const consent = await enterClient(wb);
      assert.ok(consent.url().startsWith(forwarded(wb, '/authorize?')), consent.url());
      const u = new URL(consent.url());
      assert.equal(u.searchParams.get('audience'), 'api.atlassian.com');
      assert.equal(u.searchParams.get('prompt'), 'consent');
      await consent.locator('#approve').waitFor();
      await shot(wb, 'methods-08-cloud-consent', consent);
      await backFromConsent(wb, consent, '#approve');
      await quickInputTitle(wb, /Jira site/).waitFor();
      await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'acme-sandbox' }).first().waitFor();
      await shot(wb, 'methods-09-cloud-site-pick');
      await wb.pick(/acme-sandbox/);
      assert.match(await wb.notification(/Signed in to acme-sandbox/), /as Alice Admin/);
      await consent.close().catch(() => undefined);
    });

    it('shows the token: method, site, scopes, JWT claims, signature verified; never the token', async () => {
      const wb = j.wb();
      await wb.runCommand('Jira: Inspect Token');
      const editor = wb.page.locator('.editor-instance .view-lines').first();
      await wb.page.locator('.editor-instance .view-lines', { hasText: 'OAuth 2.0 (Jira Cloud 3LO)' }).first().waitFor();
      const top = await editor.innerText();
      assert.match(top, /acme-sandbox\.atlassian\.net/);
      await shot(wb, 'methods-10-inspect-token');
      // The signature verdict is at the end of the document (the editor renders only visible lines).
      await editor.click();
      await wb.page.keyboard.press('Control+End');
      await wb.page.locator('.editor-instance .view-lines', { hasText: 'RS256 signature holds' }).first().waitFor();
      const text = top + (await editor.innerText());
      const tokens = wb.emulator.oauth2.issuedTokens();
      assert.ok(tokens.length > 0);
      for (const t of tokens) assert.ok(!text.includes(t.slice(0, 40)), 'no token in the document');
      await shot(wb, 'methods-11-inspect-token-signature');
    });
  });

  describe('CAPTCHA lock-out (Basic)', () => {
    const j = journey('methods-captcha', { basicMaxFailures: 1 });

    it('says to log in to Jira in the browser once, or to use a PAT', async () => {
      const wb = j.wb();
      await signInTo(wb);
      await wb.pick(/User Name and Password/);
      await quickInputTitle(wb, /: user/).waitFor();
      await wb.submit('admin');
      await quickInputTitle(wb, /: password/).waitFor();
      await wb.submit('not-the-password');
      await inputMessage(wb, /did not accept this user name and password/);
      await wb.submit('admin');
      const text = await wb.notification(/wants a CAPTCHA/);
      assert.match(text, /Log in to Jira in your browser once/);
      assert.match(text, /Use a Personal Access Token/);
      await shot(wb, 'methods-failure-captcha');
    });
  });
});
