// `npm run sandbox` is the product, running: this journey starts the real script and follows its
// printed instructions literally, from the printed VS Code URL: "Jira: Sign In" with the printed
// emulator URL, a generated key pair, the application link created on the admin page the
// extension opens, Allow (VS Code's URI handler takes the answer): signed in. Then Ctrl+C stops everything.
// Screenshots: docs/screenshots/sandbox-*.png.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, shot, tidy, ui } from './harness';
import { allowReturnsToVsCode, signInUpToAuthorize } from './applicationLinkSignIn';

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

        // "press F1 and run "Jira: Sign In". Enter the emulator URL above as the site", "let the
        // extension generate a key pair", "create the application link on the admin page" (the
        // one the sign-in opens, through code-server's port forwarding), "then allow access: VS
        // Code continues by itself" (Allow comes back through VS Code's URI handler).
        const { authorize } = await signInUpToAuthorize(u, emulatorUrl, {
          consumerKey: 'sandbox-01-consumer-key', applicationLinkStep: 'sandbox-02-application-link-step',
          createLink: 'sandbox-03-create-application-link', linkCreated: 'sandbox-04-application-link-created',
        });
        assert.match(await allowReturnsToVsCode(u, authorize, 'sandbox-05-allow-access'), /as Alice Admin/);
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
