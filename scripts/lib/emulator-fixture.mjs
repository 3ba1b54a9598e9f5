// Starts the Jira emulator (compiled to out/) with a preset application link and a PAT, for the
// integration tests, the E2E run and the sandbox. The link's private key goes to a file in runDir
// (a throwaway test key, never a real credential).
import { createRequire } from 'node:module';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './vscode-env.mjs';

const require = createRequire(import.meta.url);

export function loadEmulator() {
  const p = join(ROOT, 'out', 'test', 'emulator', 'index.js');
  if (!existsSync(p)) throw new Error(`${p} is missing: run "npm run compile-tests" first.`);
  return require(p);
}

export async function startFixtureEmulator(runDir, options = {}) {
  const { startEmulator } = loadEmulator();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyFile = join(runDir, 'preset-link-private.pem');
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const consumerKey = 'vscode-jira-preset';
  const pat = `pat-${randomBytes(12).toString('hex')}`;
  const emulator = await startEmulator({
    port: 0,
    links: options.noPresetLink ? [] : [{ consumerKey, name: 'VS Code (preset)', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) }],
    pats: { [pat]: 'admin' },
    ...options.emulator,
  });
  return {
    emulator,
    env: {
      JIRA_EMULATOR_URL: emulator.url,
      JIRA_EMULATOR_CONSUMER_KEY: consumerKey,
      JIRA_EMULATOR_PRIVATE_KEY_FILE: privateKeyFile,
      JIRA_EMULATOR_PAT: pat,
    },
  };
}
