// `npm run sandbox` is the product, running: start the real script, open the VS Code URL it prints,
// check the extension is active in it and the emulator answers, then stop it with Ctrl+C (SIGINT).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS } from './harness';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('sandbox: npm run sandbox', () => {
  it('prints the emulator and VS Code URLs, serves VS Code with the extension active, and stops on Ctrl+C', async () => {
    const child = spawn(process.execPath, [resolve(ROOT, 'scripts', 'sandbox.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!/Press Ctrl\+C/.test(out)) {
        assert.ok(Date.now() < deadline, `the sandbox printed no URLs in 90 s:\n${out}`);
        assert.equal(child.exitCode, null, `the sandbox exited early:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const emulatorUrl = /^Jira emulator\s+(\S+)/m.exec(out)?.[1];
      const vscodeUrl = /^VS Code\s+(\S+)/m.exec(out)?.[1];
      assert.ok(emulatorUrl && vscodeUrl, out);
      const info = await (await fetch(`${emulatorUrl}/rest/api/2/serverInfo`)).json() as { baseUrl: string };
      assert.equal(info.baseUrl, emulatorUrl);

      const ctx = await chromium.launchPersistentContext('', { executablePath: process.env.JIRA_E2E_BROWSER!, headless: true, args: BROWSER_ARGS });
      try {
        const page = ctx.pages()[0] ?? await ctx.newPage();
        await page.goto(vscodeUrl);
        await page.locator('.activitybar .action-item a[aria-label^="Jira"]').first().waitFor({ timeout: 60_000 });
        // Signed out at first: the status bar offers "Jira: Sign In".
        await page.locator('.statusbar-item', { hasText: 'Jira' }).first().waitFor({ timeout: 30_000 });
      } finally {
        await ctx.close();
      }
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, out);
    assert.match(out, /stopping/);
  });
});
