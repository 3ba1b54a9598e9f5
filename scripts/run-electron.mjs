// `npm run test:electron`: the integration suite in desktop VS Code via @vscode/test-electron, for
// machines that can download VS Code (it fetches a build from Microsoft on first use). The default
// test path (`npm test`) uses code-server instead, which installs from npm and works offline.
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT } from './lib/vscode-env.mjs';
import { startFixtureEmulator } from './lib/emulator-fixture.mjs';

const runDir = mkdtempSync(join(tmpdir(), 'jira-electron-'));
mkdirSync(join(runDir, 'workspace'));
const { emulator, env } = await startFixtureEmulator(runDir);
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [join(runDir, 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: env,
  });
} catch (e) {
  console.error(`test:electron failed: ${e.message ?? e}\n(It needs to download VS Code; offline, use "npm run test:integration".)`);
  process.exitCode = 1;
} finally {
  await emulator.close();
}
