// Runs test/integration (compiled to out/test/integration) with mocha INSIDE a real VS Code
// extension host: code-server with the smoke-test driver on, opened by headless Chromium with a
// `payload` that names this project as the extension under development. Exits with the suite's code.
import { chromium } from 'playwright-core';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { format } from 'node:util';
import { ROOT, ensureCodeServer, ensureBrowser, startCodeServer, freshDir, BROWSER_ARGS } from './lib/vscode-env.mjs';
import { startFixtureEmulator } from './lib/emulator-fixture.mjs';

const TIMEOUT_MS = Number(process.env.JIRA_INTEGRATION_TIMEOUT_MS || 300_000);

async function main() {
  ensureCodeServer();
  const browserPath = await ensureBrowser();
  const runDir = freshDir('integration');
  const { emulator, env } = await startFixtureEmulator(runDir);
  const cs = await startCodeServer({ runDir, args: ['--vscode-option', 'enable-smoke-test-driver'] });
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const u = new URL(cs.url);
  const remote = (p) => `vscode-remote://${u.host}${resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(join(ROOT, 'out', 'test', 'integration', 'index.js'))],
    ['extensionEnvironment', JSON.stringify(env)],
  ];
  const ctx = await chromium.launchPersistentContext(join(runDir, 'browser'), { executablePath: browserPath, headless: true, args: BROWSER_ARGS });
  let code;
  try {
    const page = ctx.pages()[0] ?? await ctx.newPage();
    page.on('console', async (m) => {
      // Print what the extension host logs (mocha's reporter), formatted as it would be in a terminal.
      if (m.type() !== 'log' && m.type() !== 'error') return;
      const args = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '')));
      // The extension host's console arrives as ('%c INFO', 'color: ...', format, ...args).
      if (typeof args[0] !== 'string' || !/^%c\s*(INFO|ERR|WARN|DEBUG)/.test(args[0])) return;
      const text = format(...args.slice(2));
      process.stdout.write(`${text}\n`);
    });
    const exit = new Promise((res) => page.exposeFunction('codeAutomationExit', (c) => res(c)));
    const timeout = new Promise((res) => setTimeout(() => res('timeout'), TIMEOUT_MS));
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    code = await Promise.race([exit, timeout]);
    if (code === 'timeout') {
      console.error(`integration: no result from the extension host in ${TIMEOUT_MS / 1000}s (see ${cs.logFile}). ` +
        'Was code-server started with --vscode-option enable-smoke-test-driver?');
      code = 124;
    }
  } finally {
    await ctx.close().catch(() => {});
    cs.stop();
    await emulator.close();
  }
  console.log(`integration: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
  process.exit(code);
}

main().catch((e) => { console.error(e); process.exit(1); });
