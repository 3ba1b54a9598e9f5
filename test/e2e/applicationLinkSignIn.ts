// The OAuth 1.0a sign-in with a new key pair as a user does it in a browser-based window
// (code-server): "Jira: Sign In", the site, the proposed consumer key, a generated key pair, then
// the application-link step walked in the order it proposes (Enter on the row it makes active,
// each copy pasted into the application-links page the step opened), and Continue, which opens
// Jira's authorize page. Shared by the sandbox journey (the plain site) and the accounts journeys
// (the plain site and a site under /jira), so that both sites go through the same steps.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { forwardedAt, quickInputTitle, runExact, shot, until, Ui } from './harness';

/** README screenshots to take on the way (names under docs/screenshots), each optional. */
export interface SignInShots {
  consumerKey?: string;
  applicationLinkStep?: string;
  createLink?: string;
  linkCreated?: string;
  allow?: string;
}

export interface UpToAuthorize {
  /** Jira's authorize page, as the product opened it. */
  authorize: Page;
  /** The titles of the steps shown in VS Code, in order (the step counter is part of them). */
  titles: string[];
}

/** The row of the open quick pick that Enter would choose. */
async function activeRow(u: Ui): Promise<string> {
  const row = u.page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row.focused').first();
  await row.waitFor();
  return row.innerText();
}

/** Presses Enter once the active row is `label`: the step proposes it as the next thing to do. */
async function enterOn(u: Ui, label: RegExp): Promise<void> {
  let seen = '';
  try {
    await until(`the application-link step to propose ${label}`, async () => label.test((seen = await activeRow(u))), 10_000);
  } catch {
    assert.fail(`the application-link step proposed "${seen.replace(/\s+/g, ' ')}", not ${label}`);
  }
  await u.quickInput.press('Enter');
}

/** The step's title as VS Code shows it (with its step counter). */
async function titleOf(u: Ui, text: RegExp): Promise<string> {
  const title = quickInputTitle(u, text);
  await title.waitFor();
  return (await title.innerText()).trim();
}

/**
 * The first step of "Jira: Sign In": the site's base URL, typed into the box, or, once sites are
 * remembered, typed into their list and chosen there (the remembered row or "Use this URL").
 */
export async function enterSite(u: Ui, siteUrl: string): Promise<void> {
  await u.waitForQuickInput('Jira: Sign In');
  const placeholder = (await u.quickInput.getAttribute('placeholder')) ?? '';
  if (!/Choose a Jira site/.test(placeholder)) return u.submit(siteUrl);
  // Typed into the list, Enter takes the row it makes active: the remembered site's, or the typed
  // address's own ("Use this URL"). (A click can miss: the list renders that row again as it filters.)
  await u.quickInput.fill(siteUrl);
  const row = new RegExp(`${siteUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d/])`);
  await until(`the row of ${siteUrl} to be active`, async () => row.test(await activeRow(u)));
  // One Enter, as a user presses it: the product must take it even if the list is still settling
  // (src/ui/typedRow.ts). A second Enter could land on the next step and hide a lost first one.
  await u.quickInput.press('Enter');
  const sitePick = u.page.locator('.quick-input-widget:visible input[placeholder^="Choose a Jira site"]');
  await sitePick.waitFor({ state: 'hidden', timeout: 30_000 }).catch(() => assert.fail(`Enter on the row of ${siteUrl} did not choose it`));
}

/**
 * Signs in to the Jira site at `siteUrl` up to Jira's authorize page. Every row of the
 * application-link step is taken as proposed, so a step that proposed Continue before the link
 * exists (issue 19, item 5) fails here.
 */
export async function signInUpToAuthorize(u: Ui, siteUrl: string, shots: SignInShots = {}): Promise<UpToAuthorize> {
  const titles: string[] = [];
  const take = async (name?: string) => { if (name) await shot(u, name); };
  await runExact(u, 'Jira: Sign In');
  await enterSite(u, siteUrl);
  await u.pick(/OAuth 1\.0a/);
  titles.push(await titleOf(u, /consumer key/));
  await take(shots.consumerKey);
  await u.quickInput.press('Enter'); // the proposed consumer key
  await u.pick(/Generate a New Key Pair/);
  titles.push(await titleOf(u, /application link/));
  await take(shots.applicationLinkStep);

  // The step proposes opening the application-links page first.
  const admin = await u.waitForPage(() => enterOn(u, /Open Application Links in Jira/));
  await admin.waitForLoadState();
  assert.equal(admin.url(), forwardedAt(u.url, siteUrl, '/plugins/servlet/applinks/listApplicationLinks'));
  // Then each value Jira asks for, copied by the row the step proposes next and pasted into the page.
  // (The clipboard, not the "copied" toast: with earlier toasts still showing, VS Code queues it
  // out of sight, and opening the notification center would close the step.)
  let clipboard = await u.clipboard();
  const paste = async (row: RegExp, field: string): Promise<string> => {
    await u.page.bringToFront();
    const before = clipboard;
    await enterOn(u, row);
    await until(`${row} to copy something new`, async () => (clipboard = await u.clipboard()) !== before);
    await admin.locator(field).fill(clipboard);
    return clipboard;
  };
  const consumerKey = await paste(/Copy Consumer Key/, '#consumer-key');
  const consumerName = await paste(/Copy Consumer Name/, '#consumer-name');
  const publicKey = await paste(/Copy Public Key/, '#public-key');
  assert.match(consumerKey, /^[\w.-]+$/);
  assert.equal(consumerName, 'Visual Studio Code');
  assert.match(publicKey, /^-----BEGIN PUBLIC KEY-----/);
  if (shots.createLink) await u.screenshot(shots.createLink, admin);
  await admin.locator('#create-link').click();
  await admin.locator('#applink-success').waitFor();
  if (shots.linkCreated) await u.screenshot(shots.linkCreated, admin);
  await admin.close();

  // Only now does the step propose Continue, which opens Jira's authorize page.
  await u.page.bringToFront();
  const authorize = await u.waitForPage(() => enterOn(u, /Continue: the Application Link Is Created/));
  await authorize.waitForLoadState();
  assert.ok(authorize.url().startsWith(forwardedAt(u.url, siteUrl, '/plugins/servlet/oauth/authorize?oauth_token=')), authorize.url());
  return { authorize, titles };
}

/**
 * Allow on Jira's authorize page sends the browser to the oauth_callback, code-server's address of
 * the extension's URI handler, which hands the verifier to the waiting sign-in: nothing is pasted.
 * Resolves with the "Signed in" notification's text.
 */
export async function allowReturnsToVsCode(u: Ui, authorize: Page, shotName?: string): Promise<string> {
  await authorize.locator('#approve').waitFor();
  if (shotName) await u.screenshot(shotName, authorize);
  await authorize.locator('#approve').click();
  await authorize.waitForURL((url) => url.origin === new URL(u.url).origin && url.pathname.endsWith('/callback'), { timeout: 30_000 });
  await u.page.bringToFront();
  return u.notification(/Signed in to/);
}
