// Browser end-to-end tests: packages the extension as a VSIX (what users install), installs it
// into a code-server (a real VS Code), and runs test/e2e/*.e2e.ts with mocha; the journeys drive
// the workbench with playwright-core in headless Chromium against the Jira emulator.
// The last run's VS Code user data stays in .vscode-test/e2e-user-data for inspection.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { ROOT, CACHE, ensureCodeServer, ensureBrowser, node24Env, pkg } from './lib/vscode-env.mjs';

const log = (m) => process.stderr.write(`[e2e] ${m}\n`);

async function main() {
  const codeServer = ensureCodeServer();
  const browser = await ensureBrowser();
  const node24Bin = dirname(execFileSync(process.execPath, ['-e', 'process.stdout.write(process.execPath)'], { env: node24Env() }).toString());

  log('packaging the VSIX...');
  execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = join(ROOT, `${pkg.name}.vsix`);

  const extensions = join(CACHE, 'e2e-extensions');
  const userData = join(CACHE, 'e2e-user-data');
  for (const d of [extensions, userData]) { rmSync(d, { recursive: true, force: true }); mkdirSync(d, { recursive: true }); }
  for (const f of existsSync(CACHE) ? (await import('node:fs')).readdirSync(CACHE) : []) {
    if (/^e2e-(run|browser)-/.test(f)) rmSync(join(CACHE, f), { recursive: true, force: true });
  }
  log('installing the VSIX into code-server...');
  execFileSync(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsix],
    { env: node24Env({ HOME: join(CACHE, 'e2e-home') }), stdio: ['ignore', 'ignore', 'inherit'] });

  const args = [join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', join(ROOT, '.mocharc.e2e.json'), ...process.argv.slice(2)];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT, stdio: 'inherit',
    env: {
      ...process.env,
      JIRA_E2E_CODE_SERVER: codeServer, JIRA_E2E_BROWSER: browser, JIRA_E2E_NODE24_BIN: node24Bin,
      JIRA_E2E_EXTENSIONS: extensions, JIRA_E2E_USER_DATA: userData,
      JIRA_E2E_SCREENSHOTS: process.env.JIRA_E2E_SCREENSHOTS ?? join(ROOT, 'docs', 'screenshots'),
    },
  });
  process.exit(r.status ?? 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
