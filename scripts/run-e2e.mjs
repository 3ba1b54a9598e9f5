// Browser end-to-end tests: packages the extension as a VSIX (what users install), installs it
// into a code-server (a real VS Code), and runs test/e2e/*.e2e.ts with mocha; the journeys drive
// the workbench with playwright-core in headless Chromium against the Jira emulator.
// The last run's VS Code user data stays in .vscode-test/e2e-user-data for inspection.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, mkdirSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, CACHE, NODE24_BIN, ensureCodeServer, ensureBrowser, node24Env, pkg } from './lib/vscode-env.mjs';
import { ensureZhCnLanguagePack, registerLanguagePack, ensureCjkFont } from './lib/zh-cn.mjs';

const log = (m) => process.stderr.write(`[e2e] ${m}\n`);

// One E2E run at a time per checkout: runs share the VSIX, the extensions dir and the kept user data.
async function lock() {
  const file = join(CACHE, 'e2e.lock');
  mkdirSync(CACHE, { recursive: true });
  for (let waited = 0; ; waited++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      process.on('exit', () => rmSync(file, { force: true }));
      for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
      return;
    } catch {
      const pid = Number(readFileSync(file, 'utf8'));
      let alive = false;
      try { process.kill(pid, 0); alive = true; } catch { /* stale */ }
      if (!alive) { rmSync(file, { force: true }); continue; }
      if (waited % 30 === 0) log(`another E2E run (pid ${pid}) is in progress; waiting...`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function main() {
  await lock();
  const codeServer = ensureCodeServer();
  const browser = await ensureBrowser();

  log('packaging the VSIX...');
  execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = join(ROOT, `${pkg.name}.vsix`);

  const extensions = join(CACHE, 'e2e-extensions');
  const userData = join(CACHE, 'e2e-user-data');
  const userDataZhCn = join(CACHE, 'e2e-user-data-zh-cn');
  for (const d of [extensions, userData, userDataZhCn]) { rmSync(d, { recursive: true, force: true }); mkdirSync(d, { recursive: true }); }
  for (const f of existsSync(CACHE) ? (await import('node:fs')).readdirSync(CACHE) : []) {
    if (/^e2e-(run|browser)-/.test(f)) rmSync(join(CACHE, f), { recursive: true, force: true });
  }
  log('installing the VSIX into code-server...');
  execFileSync(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsix],
    { env: node24Env({ HOME: join(CACHE, 'e2e-home') }), stdio: ['ignore', 'ignore', 'inherit'] });

  // The journeys in the Chinese UI (chinese.e2e.ts): their code-server's user data knows the
  // zh-cn language pack, and their Chromium a CJK font (both built or installed once from npm).
  registerLanguagePack(userDataZhCn, await ensureZhCnLanguagePack());
  const fontconfigZhCn = ensureCjkFont();

  const args = [join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', join(ROOT, '.mocharc.e2e.json'), ...process.argv.slice(2)];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT, stdio: 'inherit',
    env: {
      ...process.env,
      JIRA_E2E_CODE_SERVER: codeServer, JIRA_E2E_BROWSER: browser, JIRA_E2E_NODE24_BIN: NODE24_BIN,
      JIRA_E2E_EXTENSIONS: extensions, JIRA_E2E_USER_DATA: userData,
      JIRA_E2E_USER_DATA_ZH_CN: userDataZhCn, JIRA_E2E_FONTCONFIG_ZH_CN: fontconfigZhCn,
      JIRA_E2E_SCREENSHOTS: process.env.JIRA_E2E_SCREENSHOTS ?? join(ROOT, 'docs', 'screenshots'),
    },
  });
  process.exit(r.status ?? 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
