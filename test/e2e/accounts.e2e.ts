// Issue 19's journeys ("accounts and sign-in that never surprise"), items 1, 2, 4, 5, 6, 9 and
// 10, each named after its item, in one VS Code window (code-server) with two Jira sites of the
// same user "Alice Admin": a plain one (http://127.0.0.1:<port>) and one under the context path
// /jira, as Jira with a context path serves every page. Items 1, 2 and 10 run against both sites
// (item 10 on the plain site is the sandbox journey, sandbox.e2e.ts, which takes the same steps).
// The journeys build on each other (the accounts one journey signs in stay for the next), so the
// whole file needs only a few sign-ins. Screenshots: docs/screenshots/accounts-*.png.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Emulator } from '../emulator';
import { forwarded, launch, quickInputTitle, runExact, shot, tidy, Workbench, writeServerSettings } from './harness';
import { allowReturnsToVsCode, enterSite, signInUpToAuthorize } from './applicationLinkSignIn';

// Seeded before the journeys: the personal access tokens Alice created in each site's profile.
const PAT_PLAIN = 'pat-accounts-plain';
const PAT_JIRA = 'pat-accounts-jira';

/** The verification code the oob box asks for (jira.oauth1.callback "oob"): item 2 is about that box. */
function useVerificationCode(on: boolean): Promise<void> {
  writeServerSettings({ 'jira.oauth1.callback': on ? 'oob' : undefined });
  // VS Code reads the settings file again about a second after it changes.
  return new Promise((r) => setTimeout(r, 2_000));
}

function statusBarItem(wb: Workbench, text: string | RegExp) {
  return wb.page.locator('.statusbar-item', { hasText: text }).first();
}

/** The rows of the open quick pick, as shown. */
async function rows(wb: Workbench): Promise<string[]> {
  const list = wb.page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row');
  await list.first().waitFor();
  return (await list.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
}

/** "Jira: Show Accounts" from the status bar item, as a user opens it; resolves with the account rows. */
async function showAccounts(wb: Workbench): Promise<string[]> {
  await wb.page.keyboard.press('Escape');
  await wb.page.locator('.statusbar-item', { hasText: 'Alice Admin' }).first().click();
  await quickInputTitle(wb, 'Jira: Accounts').waitFor();
  return (await rows(wb)).filter((r) => /Alice Admin/.test(r));
}

/** The requests for Jira's authorize page (the browser opening it). */
function authorizePagesOpened(site: Emulator): number {
  return site.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/plugins/servlet/oauth/authorize')).length;
}

/** Allow on Jira's authorize page in oob mode: the page shows the verification code. */
async function allowAndReadCode(authorize: Page): Promise<string> {
  await authorize.locator('#approve').click();
  const code = (await authorize.locator('#verification-code').innerText()).trim();
  assert.match(code, /^\S+$/);
  return code;
}

/** "Developer: Reload Window", as a user reloads; resolves once the extension is back (its view container). */
async function reloadWindow(wb: Workbench): Promise<void> {
  const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
  await wb.runCommand('Developer: Reload Window');
  await reloaded;
  // The extension is active again once its status bar item is back (the palette knows its commands).
  await statusBarItem(wb, /Alice Admin|Jira: (Sign In|Continue Sign-In)/).waitFor({ timeout: 60_000 });
}

/**
 * After a reload: the status bar's "Jira: Continue Sign-In" while signed out, else "Jira: Sign In"
 * and its first row, "Continue Signing In to …"; then the code box the product opens.
 */
async function continueAfterReload(wb: Workbench, signedIn: boolean): Promise<void> {
  await reloadWindow(wb);
  if (signedIn) {
    await runExact(wb, 'Jira: Sign In');
    await wb.pick(/Continue Signing In to/);
  } else {
    await statusBarItem(wb, 'Jira: Continue Sign-In').click();
  }
  await quickInputTitle(wb, /verification code/).waitFor({ timeout: 30_000 });
  // Jira said the token is allowed: the box says so, instead of "Click Allow on the Jira page that opened".
  await wb.page.locator('.quick-input-widget:visible', { hasText: 'You already clicked Allow in Jira' }).first().waitFor();
}

/**
 * "Jira: Sign In" with a personal access token on `site`, where Alice is already signed in with
 * OAuth 1.0a: the product asks before replacing that sign-in. Resolves with the question's text,
 * the dialog still open.
 */
async function patSignInAsks(wb: Workbench, site: Emulator, token: string, titles?: string[]): Promise<string> {
  await runExact(wb, 'Jira: Sign In');
  await enterSite(wb, site.url);
  await wb.pick(/Personal Access Token/);
  const title = quickInputTitle(wb, /personal access token/);
  await title.waitFor();
  titles?.push((await title.innerText()).trim());
  await wb.submit(token);
  const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'You are already signed in to' }).first();
  await dialog.waitFor({ timeout: 30_000 });
  return (await dialog.innerText()).replace(/\s+/g, ' ');
}

describe('accounts: issue 19 journeys on a plain site and a site under /jira', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let plain: Emulator;
  let jira: Emulator;
  let authorize: Page;
  // The step titles the journeys saw, for item 4.
  const titles: string[] = [];

  before(async () => {
    await useVerificationCode(true);
    wb = await launch({ name: 'accounts', emulator: { pats: { [PAT_PLAIN]: 'admin' } }, moreSites: [{ contextPath: '/jira', pats: { [PAT_JIRA]: 'admin' } }] });
    plain = wb.emulator;
    jira = wb.moreSites[0];
    assert.match(jira.url, /^http:\/\/127\.0\.0\.1:\d+\/jira$/);
    await tidy(wb);
  });
  after(async () => {
    writeServerSettings({ 'jira.oauth1.callback': undefined });
    await wb?.close();
  });

  it('item 5: the application-link step proposes the next thing to do, Continue only once the link exists; the consumer name is a row to copy', async () => {
    // Every row is taken with Enter on the row the step makes active (signInUpToAuthorize fails
    // if the step proposes anything else), each copy pasted into the page the step opened.
    const up = await signInUpToAuthorize(wb, plain.url, { applicationLinkStep: 'accounts-05-application-link-step' });
    authorize = up.authorize;
    titles.push(...up.titles);
  });

  it('item 2: Continue Sign-In after a reload goes straight to the code box when Allow was clicked (plain site)', async () => {
    const code = await allowAndReadCode(authorize);
    await wb.page.bringToFront();
    const code2Box = quickInputTitle(wb, /verification code/);
    await code2Box.waitFor();
    titles.push((await code2Box.innerText()).trim());
    // The user reloads the window before pasting the code.
    await continueAfterReload(wb, false);
    await shot(wb, 'accounts-02-continue-after-reload');
    await wb.submit(code);
    assert.match(await wb.notification(/Signed in to/), /as Alice Admin/);
    // Jira's page for an allowed token is dead (token_used): it was opened once, never again.
    assert.equal(authorizePagesOpened(plain), 1);
  });

  it('item 1: signing in with a PAT where OAuth 1.0a is signed in asks first; Keep Both keeps both (plain site)', async () => {
    const question = await patSignInAsks(wb, plain, PAT_PLAIN, titles);
    assert.match(question, /You are already signed in to 127\.0\.0\.1:\d+ as Alice Admin with OAuth 1\.0a/);
    assert.match(question, /VS Code forgets the OAuth 1\.0a access token and private key/);
    await shot(wb, 'accounts-01-replace-or-keep-both');
    await wb.modalButton(/^Keep Both$/);
    await wb.notification(/Signed in to/);
    const accounts = await showAccounts(wb);
    assert.equal(accounts.length, 2, accounts.join(' | '));
    assert.ok(accounts.some((r) => /OAuth 1\.0a/.test(r)) && accounts.some((r) => /Personal access token/i.test(r)), accounts.join(' | '));
    await wb.page.keyboard.press('Escape');
  });

  it('item 2: after a reload, the code box opens a new authorization page, never the dead one (/jira site)', async () => {
    // The application link is created through the same steps as on the plain site (item 5).
    const up = await signInUpToAuthorize(wb, jira.url);
    titles.push(...up.titles);
    const first = up.authorize;
    await allowAndReadCode(first);
    await first.close();
    // The user reloads the window and has lost the code: the box's button opens a new page.
    await continueAfterReload(wb, true);
    const opened = authorizePagesOpened(jira);
    const second = await wb.waitForPage(() => wb.page.locator('.quick-input-widget:visible .action-label[aria-label="Open a New Jira Authorization Page"]').first().click());
    await second.waitForLoadState();
    assert.notEqual(new URL(second.url()).searchParams.get('oauth_token'), new URL(first.url()).searchParams.get('oauth_token'));
    assert.equal(authorizePagesOpened(jira), opened + 1);
    const code = await allowAndReadCode(second);
    await wb.page.bringToFront();
    await wb.page.locator('.quick-input-widget:visible', { hasText: 'A new Jira authorization page opened' }).first().waitFor();
    await wb.submit(code);
    assert.match(await wb.notification(/Signed in to/), /as Alice Admin/);
  });

  it('item 10: OAuth 1.0a in a browser-based window: Allow returns to VS Code through the URI handler, nothing pasted (/jira site)', async () => {
    // Back to the default callback; the reload makes sure this window reads the changed setting.
    await useVerificationCode(false);
    await reloadWindow(wb);
    await runExact(wb, 'Jira: Sign In');
    await enterSite(wb, jira.url);
    await wb.pick(/OAuth 1\.0a/);
    await quickInputTitle(wb, /consumer key/).waitFor();
    await wb.quickInput.press('Enter');
    // The application link already holds the key of the account item 2 signed in.
    const authorize = await wb.waitForPage(() => wb.pick(/Use the Key of Alice Admin/));
    await authorize.waitForLoadState();
    assert.ok(authorize.url().startsWith(forwarded(wb, '/plugins/servlet/oauth/authorize?', jira)), authorize.url());
    const box = quickInputTitle(wb, /allow access/);
    await box.waitFor();
    titles.push((await box.innerText()).trim());
    assert.match(await allowReturnsToVsCode(wb, authorize, 'accounts-10-jira-allow'), /as Alice Admin/);
    await quickInputTitle(wb, /allow access/).waitFor({ state: 'hidden' });
  });

  it('item 4: each method counts its own steps (OAuth 1.0a 3/6 to 6/6, a PAT 3/3)', () => {
    // Seen by the journeys above: the site and the method are steps 1 and 2.
    const counted = titles.map((t) => /(\d+)\/(\d+)/.exec(t)?.slice(1).join('/') ?? `no counter in "${t}"`);
    assert.deepEqual(counted, [
      '3/6', '5/6', // item 5: consumer key, application link (the key pair pick is between them: 4/6)
      '6/6', // item 2: the verification code
      '3/3', // item 1: the personal access token
      '3/6', '5/6', // item 2 on /jira: consumer key, application link
      '6/6', // item 10: allow access
    ], titles.join(' | '));
  });

  it('item 1: signing in with a PAT where OAuth 1.0a is signed in asks first; Replace forgets the OAuth 1.0a sign-in (/jira site)', async () => {
    const question = await patSignInAsks(wb, jira, PAT_JIRA);
    assert.match(question, /You are already signed in to 127\.0\.0\.1:\d+\/jira as Alice Admin with OAuth 1\.0a/);
    await wb.modalButton(/^Replace$/);
    await wb.notification(/Signed in to/);
    const onJira = (await showAccounts(wb)).filter((r) => /\/jira/.test(r));
    assert.equal(onJira.length, 1, onJira.join(' | '));
    assert.match(onJira[0], /Personal access token/i);
    await wb.page.keyboard.press('Escape');
  });

  it('item 6: accounts with the same name on two sites: the status bar shows the site', async () => {
    // Alice Admin three times: OAuth 1.0a and PAT on the plain site, PAT on the /jira site (active).
    const item = statusBarItem(wb, 'Alice Admin');
    await statusBarShows(item, /^Alice Admin · 127\.0\.0\.1:\d+\/jira$/);
    await shot(wb, 'accounts-06-status-bar-site');
  });

  it('item 9: Show Accounts offers switch, copy token, inspect and sign out for the chosen account', async () => {
    await showAccounts(wb);
    await wb.pick(new RegExp(`Alice Admin[\\s\\S]*${plain.url.replace(/^http:\/\//, '').replace(/\./g, '\\.')}(?!\\d)[\\s\\S]*Personal access token`, 'i'));
    // The account's own list, titled with the account.
    await quickInputTitle(wb, /^Alice Admin \(/).waitFor();
    const actions = await rows(wb);
    assert.deepEqual(actions.map((a) => a.replace(/ ?method, site.*$/, '')), ['Use for the Jira Views', 'Copy Access Token...', 'Inspect Token', 'Sign Out']);
    await shot(wb, 'accounts-09-account-actions');
    await wb.pick(/Use for the Jira Views/);
    assert.match(await wb.notification(/The Jira views now show/), /Alice Admin/);
    // Item 6 too: the same name twice on this site, so the method tells them apart.
    await statusBarShows(statusBarItem(wb, 'Alice Admin'), /^Alice Admin · 127\.0\.0\.1:\d+ · Personal access token$/i);
    // Sign Out from the same list, for the OAuth 1.0a sign-in of the plain site.
    await showAccounts(wb);
    await wb.pick(/Alice Admin[\s\S]*OAuth 1\.0a/);
    await wb.pick(/Sign Out/);
    assert.match(await wb.notification(/Signed out of/), /application link/);
    const left = await showAccounts(wb);
    assert.equal(left.length, 2, left.join(' | '));
    assert.ok(!left.some((r) => /OAuth 1\.0a/.test(r)), left.join(' | '));
    await wb.page.keyboard.press('Escape');
  });
});

/** Waits until the status bar item's text (without its icon) matches. */
async function statusBarShows(item: ReturnType<typeof statusBarItem>, text: RegExp): Promise<void> {
  let seen = '';
  for (let i = 0; i < 100; i++) {
    seen = (await item.innerText().catch(() => '')).trim();
    if (text.test(seen)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the status bar shows "${seen}", not ${text}`);
}
