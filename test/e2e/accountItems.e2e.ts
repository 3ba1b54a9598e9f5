// Browser journeys of issue 19 items 3, 7 and 8 in a real VS Code (code-server) against the Jira
// emulator: signing in again through an application link after Sign Out, issue tabs that belong to
// their account and site, and Jira's raw 404 texts said in the user's words. Screenshots:
// docs/screenshots/accounts-item*.png.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startEmulator, Emulator, EmulatorOptions } from '../emulator';
import { detailFrame, launch, openJira, pane, quickInputTitle, row, runExact, shot, signInThroughUi, tidy, until, withPersonalAccessToken, Workbench, writeServerSettings } from './harness';

const CONSUMER_KEY = 'vscode-jira-item3';
const PAT = 'accounts-items-pat';

const hostOf = (url: string) => url.replace(/^https?:\/\//, '');
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A journey's own window and Jira, with the server settings it needs (written before the window
 * opens, removed after it closes).
 */
function journey(name: string, emulator: EmulatorOptions, settings: Record<string, unknown> = {}): () => Workbench {
  let wb: Workbench | undefined;
  before(async () => {
    writeServerSettings(settings);
    wb = await launch({ name, emulator });
    await tidy(wb);
  });
  after(async () => {
    await wb?.close();
    writeServerSettings(Object.fromEntries(Object.keys(settings).map((k) => [k, undefined])));
  });
  return () => wb!;
}

/** Clicks a button of the notification that says `text` (its toast, else in the notification center). */
async function notificationButton(wb: Workbench, text: RegExp, button: string): Promise<void> {
  const toast = wb.page.locator('.notification-toast', { hasText: text }).first();
  try {
    await toast.waitFor({ timeout: 15_000 });
    await toast.locator('.monaco-button', { hasText: button }).first().click();
  } catch {
    await wb.runCommand('Notifications: Show Notifications');
    await wb.page.locator('.notifications-center .notification-list-item', { hasText: text }).first().locator('.monaco-button', { hasText: button }).first().click();
  }
}

/** "Jira: Sign In" on a site signed in to before (the pick of known sites), with OAuth 1.0a, up to the consumer key box. */
async function signInAgainUpToConsumerKey(wb: Workbench): Promise<void> {
  await runExact(wb, 'Jira: Sign In');
  await wb.pick(new RegExp(escaped(hostOf(wb.emulator.url))));
  await wb.pick(/OAuth 1\.0a/);
  await quickInputTitle(wb, /consumer key/).waitFor();
}

/**
 * The application-link step as the user does it: Copy Public Key, Open Application Links in Jira
 * (the page the product opens), create the link there, then Continue; returns Jira's authorize page.
 */
async function createLinkAndContinue(wb: Workbench, consumerKey: string): Promise<Page> {
  await quickInputTitle(wb, /application link/).waitFor();
  await wb.pick(/Copy Public Key/);
  await wb.notification(/Public key .* copied/);
  const publicKeyPem = await wb.clipboard();
  const admin = await wb.waitForPage(() => wb.pick(/Open Application Links in Jira/));
  await admin.waitForLoadState();
  await admin.locator('#consumer-key').fill(consumerKey);
  await admin.locator('#consumer-name').fill('Visual Studio Code');
  await admin.locator('#public-key').fill(publicKeyPem);
  await admin.locator('#create-link').click();
  await admin.locator('#applink-success').waitFor();
  await admin.close();
  await wb.page.bringToFront();
  return wb.waitForPage(() => wb.pick(/Continue: the Application Link Is Created/));
}

/** Allow on Jira's authorize page, then the code it shows typed into VS Code's box. */
async function allowAndTypeCode(wb: Workbench, authorize: Page): Promise<void> {
  await authorize.waitForLoadState();
  await authorize.locator('#approve').click();
  const code = (await authorize.locator('#verification-code').innerText()).trim();
  await authorize.close();
  await wb.page.bringToFront();
  await quickInputTitle(wb, /verification code/).waitFor();
  await wb.submit(code);
  await wb.notification(/Signed in to/);
}

// Item 3, on a site at the root and on one with a context path (/jira): the link is the site's.
for (const contextPath of ['', '/jira']) {
  const site = contextPath ? ' (context path /jira)' : '';
  const pic = (n: string) => `accounts-item3${contextPath ? '-jira' : ''}-${n}`;
  describe(`item 3: re-sign-in against an existing application link${site}`, function () {
    this.timeout(240_000);
    // The verification-code path (what jira.oauth1.callback "oob" forces), as in signin.e2e.ts.
    const wb = journey(`item3${contextPath.replace('/', '-')}`, { contextPath }, { 'jira.oauth1.callback': 'oob' });
    let linkRequests = 0;

    it('signs in with OAuth 1.0a, creating the application link, then signs out: VS Code keeps the link\'s key pair', async () => {
      await runExact(wb(), 'Jira: Sign In');
      await wb().waitForQuickInput(/Base URL/i);
      await wb().submit(wb().emulator.url);
      await wb().pick(/OAuth 1\.0a/);
      await quickInputTitle(wb(), /consumer key/).waitFor();
      await wb().submit(CONSUMER_KEY);
      await wb().pick(/Generate a New Key Pair/);
      await allowAndTypeCode(wb(), await createLinkAndContinue(wb(), CONSUMER_KEY));
      await runExact(wb(), 'Jira: Sign Out');
      const text = await wb().notification(/Signed out of Alice Admin/);
      assert.match(text, new RegExp(`application link \\(consumer key "${CONSUMER_KEY}"\\) stays in Jira, and VS Code keeps its key pair`));
      assert.match(text, /Forget Key Pair/);
      await shot(wb(), pic('01-signed-out-key-kept'));
      linkRequests = wb().emulator.requests.filter((r) => /applinks/.test(r.path)).length;
    });

    it('signing in again proposes the link and its key pair first, and signs in without touching Jira\'s link', async () => {
      await signInAgainUpToConsumerKey(wb());
      assert.equal(await wb().quickInput.inputValue(), CONSUMER_KEY, 'the link\'s consumer key is proposed');
      await wb().submit(CONSUMER_KEY);
      await quickInputTitle(wb(), /key pair/).waitFor();
      const first = wb().page.locator('.quick-input-list .monaco-list-row').first();
      assert.match(await first.innerText(), /Reuse the Key Pair of the Application Link/);
      await shot(wb(), pic('02-reuse-key-pair'));
      // No application-link step: the authorize page opens right away.
      await allowAndTypeCode(wb(), await wb().waitForPage(() => wb().pick(/Reuse the Key Pair of the Application Link/)));
      await wb().page.locator('.statusbar-item', { hasText: 'Alice Admin' }).first().waitFor();
      assert.equal(wb().emulator.requests.filter((r) => /applinks/.test(r.path)).length, linkRequests, 'nothing asked of Jira\'s application links');
    });

    it('a new key pair meeting the old link names the key mismatch first; New Consumer Key guides a new link to signed in', async () => {
      await runExact(wb(), 'Jira: Sign Out');
      await wb().notification(/Signed out of Alice Admin/);
      await signInAgainUpToConsumerKey(wb());
      await wb().submit(CONSUMER_KEY);
      await wb().pick(/Generate a New Key Pair/);
      await quickInputTitle(wb(), /application link/).waitFor();
      // The user does not change the link in Jira.
      await wb().pick(/Continue: the Application Link Is Created/);
      const mismatch = /still holds the public key of your earlier sign-in/;
      const text = await wb().notification(mismatch);
      assert.match(text, new RegExp(`^Jira rejected the signature: the application link for consumer key "${CONSUMER_KEY}"`, 'm'));
      assert.doesNotMatch(text, /base URL/, 'the key mismatch, not the base URL, comes first');
      await shot(wb(), pic('03-key-mismatch'));
      await notificationButton(wb(), mismatch, 'New Consumer Key');
      await quickInputTitle(wb(), /New Consumer Key/).waitFor();
      assert.equal(await wb().quickInput.inputValue(), `${CONSUMER_KEY}-2`);
      await wb().submit(`${CONSUMER_KEY}-2`);
      await allowAndTypeCode(wb(), await createLinkAndContinue(wb(), `${CONSUMER_KEY}-2`));
      await wb().page.locator('.statusbar-item', { hasText: 'Alice Admin' }).first().waitFor();
    });
  });
}

describe('item 7: issue tabs belong to their account and site', function () {
  this.timeout(240_000);
  const wb = journey('item7', { pats: { [PAT]: 'admin' } });
  let second: Emulator | undefined;
  before(async () => {
    // e2e-guard: fixture: a second Jira site (same keys, same user), started before the journey.
    second = await startEmulator({ port: 0, pats: { [PAT]: 'admin' }, serverTitle: 'Second Jira' });
  });
  after(async () => {
    await second?.close();
  });
  const issueGets = (em: Emulator) => em.requests.filter((r) => r.path.endsWith('/issue/DEMO-1')).length;

  it('an issue tab shows its site', async () => {
    await signInThroughUi(wb(), withPersonalAccessToken(wb(), PAT));
    await wb().runCommand('Jira: Open Issue by Key');
    await wb().waitForQuickInput(/issue key/i);
    await wb().submit('DEMO-1');
    const frame = detailFrame(wb().page);
    await frame.locator('h1').first().waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.crumbs .site').innerText(), hostOf(wb().emulator.url));
    await shot(wb(), 'accounts-item7-01-tab-with-site');
  });

  it('signing in to another site (now active) leaves the tab with its own site: DEMO-1 is not loaded from there', async () => {
    const before = issueGets(second!);
    await runExact(wb(), 'Jira: Sign In');
    await wb().pick(/Enter Another Site URL/);
    await wb().waitForQuickInput(/Base URL/i);
    await wb().submit(second!.url);
    await wb().pick(/Personal Access Token/i);
    await quickInputTitle(wb(), /: personal access token/i).waitFor();
    await wb().submit(PAT);
    await wb().notification(/Signed in to Second Jira/);
    // The views reload for the new active account; the tab stays with its own.
    await row(pane(wb().page, 'My Issues'), /DEMO-\d+/).waitFor({ timeout: 30_000 }).catch(() => openJira(wb()));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(issueGets(second!), before, 'the tab asked the other site for nothing');
    const frame = detailFrame(wb().page);
    assert.equal(await frame.locator('.crumbs .site').innerText(), hostOf(wb().emulator.url));
    assert.ok(await frame.locator('#details').isVisible(), 'its own issue is still shown');
    await shot(wb(), 'accounts-item7-02-other-account-active');
  });

  it('signing out of the tab\'s account takes the issue off the page and says so', async () => {
    await runExact(wb(), 'Jira: Sign Out');
    await wb().pick(new RegExp(escaped(hostOf(wb().emulator.url))));
    await wb().notification(/Signed out of Alice Admin/);
    const frame = detailFrame(wb().page);
    const said = frame.locator('.error', { hasText: `You signed out of ${hostOf(wb().emulator.url)}, so this tab no longer shows DEMO-1` });
    await said.waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('#details').count(), 0, 'no issue data left readable');
    await wb().page.locator('.tab', { hasText: /^DEMO-1$/ }).first().waitFor();
    await shot(wb(), 'accounts-item7-03-signed-out-tab');
  });
});

describe('item 8: raw Jira texts said in the user\'s words', function () {
  this.timeout(240_000);
  // A Jira without /rest/api/2/filter/favourite (it answers 404 "null for uri: …"), seeded before the journey.
  const wb = journey('item8', { pats: { [PAT]: 'admin' }, favouriteFilters: false }, { 'jira.filters': [{ name: 'Saved: DEMO bugs', jql: 'project = DEMO AND issuetype = Bug' }] });

  it('the Filters view says favourite filters are not offered, and the saved filter still lists issues', async () => {
    await signInThroughUi(wb(), withPersonalAccessToken(wb(), PAT));
    await openJira(wb());
    const filters = pane(wb().page, 'Filters');
    await row(filters, 'This Jira does not offer favourite filters').waitFor({ timeout: 30_000 });
    const text = await filters.innerText();
    assert.doesNotMatch(text, /null for uri|issues you may not see/);
    await row(filters, 'Saved: DEMO bugs').click();
    await row(filters, /DEMO-\d+/).waitFor({ timeout: 30_000 });
    assert.equal(wb().emulator.requests.filter((r) => r.path.endsWith('/filter/favourite') && r.status === 404).length, 1);
    await shot(wb(), 'accounts-item8-01-no-favourite-filters');
  });

  it('an issue that does not exist says so, not "check the base URL"', async () => {
    await wb().runCommand('Jira: Open Issue by Key');
    await wb().waitForQuickInput(/issue key/i);
    await wb().submit('DEMO-999999');
    const frame = detailFrame(wb().page);
    const error = frame.locator('.error');
    await error.waitFor({ timeout: 30_000 });
    const text = await error.innerText();
    assert.match(text, /The issue does not exist, or your account may not see it/);
    assert.doesNotMatch(text, /base URL|null for uri/);
    await until('the 404', () => wb().emulator.requests.some((r) => r.path.endsWith('/issue/DEMO-999999') && r.status === 404));
    await shot(wb(), 'accounts-item8-02-issue-not-found');
  });
});
