// `npm run sandbox` is the product, running: this journey starts the real script and follows its
// printed instructions literally, from the printed VS Code URL: "Jira: Sign In" with the printed
// emulator URL, a generated key pair, the application link created on the admin page the
// extension opens, Allow (VS Code's URI handler takes the answer): signed in. Then Ctrl+C stops everything.
// Screenshots: docs/screenshots/sandbox-*.png.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, quickInputTitle, runExact, shot, tidy, ui } from './harness';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Starts `scripts/sandbox.mjs` and waits for its instructions; resolves with what it printed. */
async function startSandbox(args: string[] = []): Promise<{ child: ChildProcess; out: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [resolve(ROOT, 'scripts', 'sandbox.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 90_000;
  while (!/Press Ctrl\+C/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGINT');
      assert.fail(`the sandbox printed no instructions in 90 s (or exited):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, out: () => out, exited };
}

describe('sandbox: npm run sandbox, as printed', function () {
  this.timeout(240_000);

  it('signs in with OAuth 1.0a from the printed VS Code URL by clicking only what the product shows; Ctrl+C stops it', async () => {
    const sandbox = await startSandbox();
    const printed = sandbox.out();
    try {
      const emulatorUrl = /^Jira emulator\s+(\S+)/m.exec(printed)?.[1];
      const vscodeUrl = /^VS Code\s+(\S+)/m.exec(printed)?.[1];
      assert.ok(emulatorUrl && vscodeUrl, printed);
      // The instructions the journey follows, as printed.
      assert.match(printed, /press F1 and run "Jira: Sign In"\. Enter the emulator URL above as the\s+site/);
      const workspace = new URL(vscodeUrl).searchParams.get('folder') ?? '';
      assert.ok(!workspace.startsWith(ROOT), `the workspace ${workspace} lives outside the git clone (VS Code would offer the parent repository)`);

      const context = await chromium.launchPersistentContext('', { executablePath: process.env.JIRA_E2E_BROWSER!, headless: true, args: BROWSER_ARGS, viewport: { width: 1280, height: 800 } });
      try {
        const page = context.pages()[0] ?? await context.newPage();
        const vscodeOrigin = new URL(vscodeUrl).origin;
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: vscodeOrigin });
        // e2e-guard: start: the user opens the VS Code URL the sandbox printed.
        await page.goto(vscodeUrl);
        const u = ui(page, context, vscodeOrigin);
        await page.locator('.activitybar .action-item a[aria-label^="Jira"]').first().waitFor({ timeout: 60_000 });
        await page.locator('.statusbar-item', { hasText: 'Jira: Sign In' }).first().waitFor({ timeout: 30_000 });

        // "press F1 and run "Jira: Sign In". Enter the emulator URL above as the site"
        await runExact(u, 'Jira: Sign In');
        await u.waitForQuickInput('Jira: Sign In');
        await u.submit(emulatorUrl);
        // "let the extension generate a key pair"
        await u.pick(/OAuth 1\.0a/);
        await quickInputTitle(u, /consumer key/).waitFor();
        await shot(u, 'sandbox-01-consumer-key');
        await u.quickInput.press('Enter'); // the proposed consumer key
        await u.pick(/Generate a New Key Pair/);
        await quickInputTitle(u, /application link/).waitFor();
        await shot(u, 'sandbox-02-application-link-step');

        // "create the application link on the admin page": the keys from the step's own buttons, the page it opens.
        await u.pick(/Copy Consumer Key/);
        await u.notification(/Consumer key .* copied/);
        const consumerKey = await u.clipboard();
        await u.pick(/Copy Public Key/);
        await u.notification(/Public key .* copied/);
        const publicKey = await u.clipboard();
        assert.match(consumerKey, /^[\w.-]+$/);
        assert.match(publicKey, /^-----BEGIN PUBLIC KEY-----/);
        const admin = await u.waitForPage(() => u.pick(/Open Application Links in Jira/));
        await admin.waitForLoadState();
        // The emulator runs on the code-server machine's loopback: code-server's port forwarding serves it.
        assert.equal(admin.url(), `${vscodeOrigin}/proxy/${new URL(emulatorUrl).port}/plugins/servlet/applinks/listApplicationLinks`);
        await admin.locator('#consumer-key').fill(consumerKey);
        await admin.locator('#consumer-name').fill('Visual Studio Code');
        await admin.locator('#public-key').fill(publicKey);
        await u.screenshot('sandbox-03-create-application-link', admin);
        await admin.locator('#create-link').click();
        await admin.locator('#applink-success').waitFor();
        await u.screenshot('sandbox-04-application-link-created', admin);

        // "then allow access: VS Code continues by itself"
        await page.bringToFront();
        const authorize = await u.waitForPage(() => u.pick(/Continue: the Application Link Is Created/));
        await authorize.waitForLoadState();
        assert.ok(authorize.url().startsWith(`${vscodeOrigin}/proxy/${new URL(emulatorUrl).port}/plugins/servlet/oauth/authorize?oauth_token=`), authorize.url());
        await u.screenshot('sandbox-05-allow-access', authorize);
        // Allow sends the browser to the oauth_callback: code-server's address for the extension's
        // URI handler, which hands the verifier to the sign-in waiting in VS Code (no code to paste).
        await authorize.locator('#approve').click();
        await authorize.waitForURL((url) => url.origin === vscodeOrigin && url.pathname.endsWith('/callback'), { timeout: 30_000 });
        await page.bringToFront();
        assert.match(await u.notification(/Signed in to/), /as Alice Admin/);
        // The Jira view (its icon in the activity bar) lists the issues.
        await tidy(u);
        await page.locator('.pane-body .monaco-list-row', { hasText: /DEMO-\d+/ }).first().waitFor({ timeout: 30_000 });
        await shot(u, 'sandbox-06-signed-in');
      } finally {
        await context.close();
      }
    } finally {
      sandbox.child.kill('SIGINT');
    }
    assert.equal(await sandbox.exited, 0, sandbox.out());
    assert.match(sandbox.out(), /stopping/);
  });

  it('with --locale zh-cn: VS Code and the extension in Chinese from the printed URL', async () => {
    const sandbox = await startSandbox(['--locale', 'zh-cn']);
    const printed = sandbox.out();
    try {
      const vscodeUrl = /^VS Code\s+(\S+)/m.exec(printed)?.[1];
      assert.ok(vscodeUrl, printed);
      assert.match(printed, /display language: 中文\(简体\)/);
      // The user's own browser has its fonts; this headless one gets the CJK font of the run.
      const context = await chromium.launchPersistentContext('', { executablePath: process.env.JIRA_E2E_BROWSER!, headless: true, args: BROWSER_ARGS,
        viewport: { width: 1280, height: 800 }, locale: 'zh-CN', env: { ...process.env, FONTCONFIG_FILE: process.env.JIRA_E2E_FONTCONFIG_ZH_CN! } });
      try {
        const page = context.pages()[0] ?? await context.newPage();
        // e2e-guard: start: the user opens the VS Code URL the sandbox printed.
        await page.goto(vscodeUrl);
        // VS Code's own words (the language pack) and the extension's (package.nls.zh-cn.json, l10n).
        await page.locator('.activitybar .action-item a[aria-label^="资源管理器"]').first().waitFor({ timeout: 60_000 });
        await page.locator('.statusbar-item', { hasText: 'Jira: 登录' }).first().waitFor({ timeout: 30_000 });
        await page.locator('.activitybar .action-item a[aria-label^="Jira"]').first().click();
        await page.locator('.pane-header', { hasText: '我的问题' }).first().waitFor();
        await shot(ui(page, context, new URL(vscodeUrl).origin), 'sandbox-zh-cn');
      } finally {
        await context.close();
      }
    } finally {
      sandbox.child.kill('SIGINT');
    }
    assert.equal(await sandbox.exited, 0, sandbox.out());
  });
});
