// Browser journeys of "Jira: Sign In" with OAuth 1.0a, in a real VS Code (code-server, a remote
// extension host with a web UI: the verification code is typed into the input box) against the
// Jira emulator. The screenshots illustrate the README (docs/screenshots/signin-*.png).
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { EmulatorOptions } from '../emulator';
import { accountsMenuEntry, forwarded, inputMessage, launch, openAccountsMenu, quickInputTitle, runExact, shot, tidy, Workbench, writeServerSettings } from './harness';

const CONSUMER_KEY = 'vscode-jira-e2e';

/** A journey's own workbench (fresh browser profile: signed out) and emulator. */
function journey(name: string, emulator?: EmulatorOptions): { wb: () => Workbench } {
  let wb: Workbench | undefined;
  before(async () => {
    wb = await launch({ name, emulator });
    await tidy(wb);
  });
  afterEach(async function () {
    // For diagnosis, next to the kept user data (not among the README screenshots).
    if (this.currentTest?.state !== 'failed' || !wb || !process.env.JIRA_E2E_USER_DATA) return;
    const dir = join(process.env.JIRA_E2E_USER_DATA, '..', 'e2e-failures');
    mkdirSync(dir, { recursive: true });
    await wb.page.screenshot({ path: join(dir, `${name}-${this.currentTest.title.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });
  after(async () => {
    await wb?.close();
  });
  return { wb: () => wb! };
}

/** "Jira: Generate Key Pair": the site, the consumer key, then a key pair. */
async function generateKeyPair(wb: Workbench, screenshots = false): Promise<void> {
  await wb.runCommand('Jira: Generate Key Pair');
  await wb.waitForQuickInput('Jira: Generate Key Pair');
  await wb.submit(wb.emulator.url);
  await quickInputTitle(wb, /Generate Key Pair \(127\.0\.0\.1/).waitFor();
  if (screenshots) await shot(wb, 'signin-02-consumer-key');
  await wb.submit(CONSUMER_KEY);
  await wb.notification(/Key pair generated/);
  if (screenshots) await shot(wb, 'signin-03-key-pair-generated');
}

/** "Jira: Copy Public Key" and what the clipboard then holds. */
async function copyPublicKey(wb: Workbench): Promise<string> {
  await wb.runCommand('Jira: Copy Public Key');
  await wb.notification(/Public key .* copied/);
  const pem = await wb.clipboard();
  assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n?$/);
  return pem;
}

/**
 * "Jira: Open Application Links": the page the extension opens, at the address it opened it
 * (code-server's port forwarding of the emulator on its loopback).
 */
async function openApplicationLinks(wb: Workbench): Promise<Page> {
  const admin = await wb.waitForPage(() => wb.runCommand('Jira: Open Application Links'));
  await admin.waitForLoadState();
  assert.equal(admin.url(), forwarded(wb, '/plugins/servlet/applinks/listApplicationLinks'));
  return admin;
}

/** An administrator creates the incoming link on the emulator's Application Links page. */
async function createLinkInJira(admin: Page, publicKeyPem: string, screenshot?: (p: Page) => Promise<void>): Promise<void> {
  await admin.locator('#consumer-key').fill(CONSUMER_KEY);
  await admin.locator('#consumer-name').fill('Visual Studio Code');
  await admin.locator('#public-key').fill(publicKeyPem);
  if (screenshot) await screenshot(admin);
  await admin.locator('#create-link').click();
  await admin.locator('#applink-success').waitFor();
}

/** The administrator's part, through the page the extension opens: a link with this public key (the copied one by default). */
async function createLink(wb: Workbench, publicKeyPem?: string): Promise<void> {
  const pem = publicKeyPem ?? await copyPublicKey(wb);
  const admin = await openApplicationLinks(wb);
  await createLinkInJira(admin, pem);
  await admin.close();
  await wb.page.bringToFront();
}

/** "Jira: Sign In" for the pending sign-in, up to the opened authorize page. */
async function signInUpToAuthorize(wb: Workbench, screenshots = false): Promise<Page> {
  await runExact(wb, 'Jira: Sign In');
  await wb.pick(/Continue Signing In to 127\.0\.0\.1/);
  await quickInputTitle(wb, /application link/).waitFor();
  if (screenshots) await shot(wb, 'signin-05-application-link-step');
  const authorize = await wb.waitForPage(() => wb.pick(/Continue: the Application Link Is Created/));
  await authorize.waitForLoadState();
  return authorize;
}

/** Clicks Allow on Jira's authorize page; returns the verification code it shows. */
async function allow(authorize: Page, screenshot?: () => Promise<void>): Promise<string> {
  await authorize.locator('#approve').waitFor();
  if (screenshot) await screenshot();
  await authorize.locator('#approve').click();
  const code = (await authorize.locator('#verification-code').innerText()).trim();
  assert.match(code, /^\S+$/);
  return code;
}

async function backToVsCode(wb: Workbench): Promise<void> {
  await wb.page.bringToFront();
  await quickInputTitle(wb, /verification code/).waitFor();
}

function statusBarItem(wb: Workbench, text: string | RegExp) {
  return wb.page.locator('.statusbar-item', { hasText: text }).first();
}

describe('Jira sign-in journeys (OAuth 1.0a)', function () {
  this.timeout(240_000);
  // These journeys show the verification-code path: the fallback everywhere, and what
  // jira.oauth1.callback "oob" forces. In code-server the default is the automatic callback
  // through VS Code's URI handler, which the sandbox journey follows (sandbox.e2e.ts).
  before(() => writeServerSettings({ 'jira.oauth1.callback': 'oob' }));
  after(() => writeServerSettings({ 'jira.oauth1.callback': undefined }));

  describe('sign in with OAuth 1.0a oob verifier', () => {
    const j = journey('oauth1-oob');
    let code = '';

    it('generates a key pair and copies the public key', async () => {
      const wb = j.wb();
      await statusBarItem(wb, 'Jira: Sign In').waitFor();
      await tidy(wb);
      // The Jira view's welcome content offers to sign in.
      await wb.page.locator('.welcome-view-content', { hasText: 'Sign in to Jira to see your issues' }).first().waitFor();
      await shot(wb, 'signin-01-signed-out');
      // Signed out, the Accounts menu offers to sign in with Jira.
      await openAccountsMenu(wb);
      await accountsMenuEntry(wb, /Sign in with Jira/).waitFor();
      await wb.page.keyboard.press('Escape');
      await generateKeyPair(wb, true);
      await copyPublicKey(wb);
      // The walkthrough shows the steps in Jira, with buttons to copy the keys and open Jira.
      await wb.runCommand('Jira: Set Up Application Link');
      await wb.page.locator('.gettingStartedContainer, .getting-started', { hasText: 'Connect VS Code to Jira with an Application Link' }).first().waitFor();
      await shot(wb, 'signin-03b-walkthrough');
      await wb.runCommand('View: Close All Editors').catch(() => undefined);
    });

    it("creates the application link on Jira's admin page with it", async () => {
      const wb = j.wb();
      const pem = await wb.clipboard();
      const admin = await openApplicationLinks(wb);
      await createLinkInJira(admin, pem, (p) => wb.screenshot('signin-04-create-application-link', p));
      await admin.close();
    });

    it('signs in with the oob code typed into the input box', async () => {
      const wb = j.wb();
      const authorize = await signInUpToAuthorize(wb, true);
      assert.ok(authorize.url().startsWith(forwarded(wb, '/plugins/servlet/oauth/authorize?oauth_token=')), authorize.url());
      code = await allow(authorize, () => wb.screenshot('signin-06-jira-authorize', authorize));
      await wb.screenshot('signin-07-jira-verification-code', authorize);
      await backToVsCode(wb);
      await shot(wb, 'signin-08-verification-code-input');
      await wb.submit(`Your verification code is '${code}'.`);
      const text = await wb.notification(/Signed in to Jira Emulator/);
      assert.match(text, /as Alice Admin/);
      await shot(wb, 'signin-09-signed-in');
    });

    it('shows the account in the Accounts menu and the status bar', async () => {
      const wb = j.wb();
      await statusBarItem(wb, 'Alice Admin').waitFor();
      await openAccountsMenu(wb);
      await accountsMenuEntry(wb, /Alice Admin \(127\.0\.0\.1:\d+\)/).waitFor();
      assert.equal(await accountsMenuEntry(wb, /Sign in with Jira/).count(), 0, 'the sign-in request is gone once signed in');
      await shot(wb, 'signin-10-accounts-menu');
      await wb.page.keyboard.press('Escape');
      await statusBarItem(wb, 'Alice Admin').click();
      await quickInputTitle(wb, 'Jira: Accounts').waitFor();
      await shot(wb, 'signin-11-status-bar-accounts');
      await wb.page.keyboard.press('Escape');
    });

    it('copies the access token after a warning', async () => {
      const wb = j.wb();
      await wb.runCommand('Jira: Copy Access Token');
      await wb.page.locator('.monaco-dialog-box', { hasText: /credential/ }).waitFor();
      await shot(wb, 'signin-12-copy-access-token-warning');
      await wb.modalButton(/^Copy Token$/);
      const text = await wb.notification(/Access token of Alice Admin/);
      assert.match(text, /Clear Clipboard/);
      const token = await wb.clipboard();
      assert.match(token, /^[A-Za-z0-9]{16,}$/);
      assert.notEqual(token, code);
    });

    it('signs out', async () => {
      const wb = j.wb();
      await runExact(wb, 'Jira: Sign Out');
      const text = await wb.notification(/Signed out of Alice Admin/);
      assert.match(text, /application link \(consumer key "vscode-jira-e2e"\) stays in Jira/);
      await shot(wb, 'signin-13-signed-out-reminder');
      await statusBarItem(wb, /Jira: (Sign In|Continue Sign-In)/).waitFor();
    });
  });

  describe('wrong verification code', () => {
    const j = journey('oauth1-wrong-code');

    it('says Jira refused the code and lets the user try again', async () => {
      const wb = j.wb();
      await generateKeyPair(wb);
      await createLink(wb);
      const authorize = await signInUpToAuthorize(wb);
      const code = await allow(authorize);
      await backToVsCode(wb);
      await wb.submit('WRONG1');
      assert.match(await inputMessage(wb, /refused this verification code/), /Jira refused this verification code/);
      await shot(wb, 'signin-failure-wrong-code');
      await wb.submit(code);
      await wb.notification(/Signed in to Jira Emulator/);
    });
  });

  describe('user clicks Deny', () => {
    const j = journey('oauth1-deny');

    it('tells the user that access was denied', async () => {
      const wb = j.wb();
      await generateKeyPair(wb);
      await createLink(wb);
      const authorize = await signInUpToAuthorize(wb);
      await authorize.locator('#deny').click();
      await authorize.locator('#access-denied').waitFor();
      await wb.page.bringToFront();
      // Coming back closes the box by itself when VS Code sees the focus; else the user dismisses it.
      const denied = wb.page.locator('.notification-toast', { hasText: /Access was denied in Jira/ }).first();
      if (!(await denied.waitFor({ timeout: 3000 }).then(() => true, () => false))) await wb.page.keyboard.press('Escape');
      await wb.notification(/Access was denied in Jira/);
      await shot(wb, 'signin-failure-denied');
      await statusBarItem(wb, 'Jira: Continue Sign-In').waitFor();
    });
  });

  describe('request token expired', () => {
    const j = journey('oauth1-expired', { requestTokenTtlSeconds: 3 });

    it('renews the request token and opens the authorize page again', async () => {
      const wb = j.wb();
      await generateKeyPair(wb);
      await createLink(wb);
      const first = await signInUpToAuthorize(wb);
      const staleCode = await allow(first);
      await backToVsCode(wb);
      await wb.page.waitForTimeout(3500);
      const second = await wb.waitForPage(() => wb.submit(staleCode));
      await wb.page.bringToFront();
      assert.match(await inputMessage(wb, /expired/), /authorization expired/);
      await shot(wb, 'signin-failure-request-token-expired');
      const code = await allow(second);
      await backToVsCode(wb);
      await wb.submit(code);
      await wb.notification(/Signed in to Jira Emulator/);
    });
  });

  describe('application link missing (consumer_key_unknown)', () => {
    const j = journey('oauth1-no-link');

    it('says Jira has no link for the consumer key and offers to open Application Links', async () => {
      const wb = j.wb();
      await generateKeyPair(wb);
      await runExact(wb, 'Jira: Sign In');
      await wb.pick(/Continue Signing In to 127\.0\.0\.1/);
      await wb.pick(/Continue: the Application Link Is Created/);
      const text = await wb.notification(/no application link with consumer key "vscode-jira-e2e"/);
      assert.match(text, /Open Application Links/);
      await shot(wb, 'signin-failure-consumer-key-unknown');
    });
  });

  describe('wrong key (signature_invalid)', () => {
    const j = journey('oauth1-wrong-key');

    it('says Jira rejected the signature', async () => {
      const wb = j.wb();
      await generateKeyPair(wb);
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      // The administrator pastes another public key than the one VS Code made.
      await createLink(wb, other);
      await runExact(wb, 'Jira: Sign In');
      await wb.pick(/Continue Signing In to 127\.0\.0\.1/);
      await wb.pick(/Continue: the Application Link Is Created/);
      const text = await wb.notification(/rejected the signature/);
      assert.match(text, /public key in the application link/);
      await shot(wb, 'signin-failure-signature-invalid');
    });
  });

  describe('site not Jira', () => {
    const j = journey('site-not-jira');

    it('says the address is not Jira and keeps the input box open to correct it', async () => {
      const wb = j.wb();
      const intranet = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><head><title>Intranet</title></head><body>Welcome</body></html>'));
      await new Promise<void>((r) => intranet.listen(0, '127.0.0.1', r));
      try {
        await runExact(wb, 'Jira: Sign In');
        await wb.waitForQuickInput('Jira: Sign In');
        await wb.submit(`http://127.0.0.1:${(intranet.address() as AddressInfo).port}`);
        assert.match(await inputMessage(wb, /does not look like Jira/), /Intranet/);
        await shot(wb, 'signin-failure-not-jira');
        await wb.page.keyboard.press('Escape');
      } finally {
        intranet.close();
      }
    });
  });
});
