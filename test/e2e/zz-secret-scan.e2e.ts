// "No secret anywhere but SecretStorage" (issue 8), checked after the whole E2E run. The file name
// sorts last and .mocharc.e2e.json sorts the spec files, so every journey has run (and closed its
// browser) before this scan reads what they left behind.
//
// What is scanned, as bytes (UTF-8, UTF-16LE and percent-encoded; SQLite and LevelDB store strings
// uncompressed or as literal runs, so a byte search is enough and needs no native SQLite reader):
// - the code-server user-data dir (.vscode-test/e2e-user-data): User/settings.json, globalStorage
//   and workspaceStorage (state.vscdb SQLite files), logs (the extension's "Jira" log included),
//   caches;
// - each code-server run dir (.vscode-test/e2e-run-*: HOME, TMPDIR, code-server.log);
// - each journey's Chromium profile (.vscode-test/e2e-browser-*), limited to the web workbench's
//   storage: in code-server, globalState lives in the browser's IndexedDB, and SecretStorage is the
//   `secrets.provider` entry of the workbench origin's Local Storage. code-server seals that entry
//   with AES-GCM (a key made of a browser-side half and the server's `serve-web-key-half` file in the
//   user-data dir, fetched from the server's /mint-key), so a secret kept in SecretStorage appears
//   there only encrypted and is not flagged. (code-server falls back to storing it unencrypted when the
//   page is not a secure context, i.e. plain http on a host other than localhost/127.0.0.1: this scan
//   would then flag it, which is what it should do.)
//   Browser history, caches and sessions are left out: OAuth 1.0a puts the request token in the
//   authorize URL the browser opens, and Jira's page shows the verification code, by design.
//
// What is looked for: every token, token secret, session handle and verifier the emulators issued
// during the run, every PAT, password and client secret they were configured with, the client
// certificate passphrase typed in network.e2e.ts, the PAT and
// password this file signs in with itself (so there is always something that went to SecretStorage
// in this run), and private key material by its shape (keys generated inside the extension are never
// seen by the tests). Before scanning, the test plants its own secrets in a copy of the data and
// proves that the scanner finds them there.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { launch, launched, signInThroughUi, withPassword, withPersonalAccessToken, Workbench } from './harness';
import { CLIENT_PASSPHRASE } from '../unit/support/netFixtures';
import { describeFindings, listFiles, Needle, scanFiles, secretsInOptions } from '../unit/security/scan';

/** Chromium profile parts that are not the web workbench's storage (see the comment above). */
const BROWSER_ALLOW = /[/\\]Default[/\\](IndexedDB|Local Storage|Session Storage|databases|WebStorage)([/\\]|$)/;

function runDirs(): { userData: string; cache: string } {
  const userData = process.env.JIRA_E2E_USER_DATA;
  if (!userData) throw new Error('JIRA_E2E_USER_DATA is not set: run the E2E tests with "npm run test:e2e".');
  return { userData, cache: dirname(userData) };
}

function filesToScan(root = runDirs()): string[] {
  const { userData, cache } = root;
  const entries = existsSync(cache) ? readdirSync(cache) : [];
  const runs = entries.filter((e) => e.startsWith('e2e-run-')).map((e) => join(cache, e));
  const browsers = entries.filter((e) => e.startsWith('e2e-browser-')).map((e) => join(cache, e));
  const browserFiles = listFiles(browsers).filter((f) => BROWSER_ALLOW.test(f));
  return [...listFiles([userData, ...runs]), ...browserFiles];
}

async function signInWith(wb: Workbench, method: 'pat' | 'basic', secret: string): Promise<void> {
  await signInThroughUi(wb, method === 'pat' ? withPersonalAccessToken(wb, secret) : withPassword(wb, 'admin', secret));
}

describe('secret scan after the E2E run (issue 8: no secret anywhere but SecretStorage)', function () {
  this.timeout(300_000);
  const pat = `scan-pat-${randomBytes(12).toString('hex')}`;
  const password = `scan-pw-${randomBytes(12).toString('hex')}`;

  before(async () => {
    // Two sign-ins of our own, so that known secrets certainly went into SecretStorage in this run.
    const a = await launch({ name: 'secret-scan-pat', emulator: { pats: { [pat]: 'admin' } } });
    try {
      await signInWith(a, 'pat', pat);
    } finally {
      await a.close();
    }
    const b = await launch({
      name: 'secret-scan-basic',
      emulator: { users: [{ name: 'admin', displayName: 'Alice Admin', emailAddress: 'admin@example.com', password }] },
    });
    try {
      await signInWith(b, 'basic', password);
    } finally {
      await b.close();
    }
  });

  function needles(): Needle[] {
    const out: Needle[] = [];
    for (const { name, options, emulator } of launched) {
      for (const v of emulator.issuedTokens()) out.push({ label: `issued by the emulator of "${name}" (token, token secret, session handle or verifier)`, value: v });
      out.push(...secretsInOptions(`configured for the emulator of "${name}":`, options));
    }
    // The PKCS#12 passphrase that network.e2e.ts types into the password box (kept in SecretStorage).
    out.push({ label: 'the client certificate passphrase of network.e2e.ts', value: CLIENT_PASSPHRASE });
    return out;
  }

  it('the scanner finds secrets planted in a copy of the run data (it can fail)', () => {
    const copy = mkdtempSync(join(tmpdir(), 'jira-e2e-scan-copy-'));
    try {
      const { userData, cache } = runDirs();
      const userCopy = join(copy, 'e2e-user-data');
      // Regular files and folders only (code-server keeps its IPC socket in the user-data dir).
      const copyable = (src: string) => {
        try {
          const st = lstatSync(src);
          return st.isDirectory() || st.isFile();
        } catch {
          return false;
        }
      };
      cpSync(userData, userCopy, { recursive: true, filter: copyable });
      const browser = readdirSync(cache).find((e) => e.startsWith('e2e-browser-secret-scan-pat-'));
      assert.ok(browser, 'the browser profile of this file\'s own PAT sign-in is kept');
      cpSync(join(cache, browser), join(copy, browser), { recursive: true, filter: copyable });
      const plantedText = `planted-${randomBytes(8).toString('hex')}`;
      const plantedWide = `planted-${randomBytes(8).toString('hex')}`;
      appendFileSync(join(userCopy, 'User', 'settings.json.planted'), plantedText);
      const leveldb = listFiles([join(copy, browser)]).filter((f) => BROWSER_ALLOW.test(f) && /\.log$/.test(f));
      assert.ok(leveldb.length > 0, 'the web workbench keeps LevelDB stores (IndexedDB / Local Storage) in the profile');
      appendFileSync(leveldb[0], Buffer.from(plantedWide, 'utf16le'));
      const findings = scanFiles(filesToScan({ userData: userCopy, cache: copy }), [
        { label: 'planted text', value: plantedText },
        { label: 'planted UTF-16', value: plantedWide },
        ...needles(),
      ], copy);
      const labels = findings.map((f) => `${f.label} in ${basename(f.file)}`);
      assert.ok(labels.includes('planted text in settings.json.planted'), describeFindings(findings));
      assert.ok(labels.includes(`planted UTF-16 in ${basename(leveldb[0])}`), describeFindings(findings));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('no issued or configured secret and no private key appears in plain form in what the run left on disk', () => {
    const all = needles();
    assert.ok(all.some((n) => n.value === pat) && all.some((n) => n.value === password), 'the needles include this file\'s own PAT and password');
    const files = filesToScan();
    assert.ok(files.some((f) => /User[/\\]globalStorage|state\.vscdb/.test(f) || BROWSER_ALLOW.test(f)), 'there is state to scan');
    assert.ok(files.some((f) => /Jira\.log$/.test(f)), 'the extension\'s Jira log is among the scanned files');
    const findings = scanFiles(files, all, runDirs().cache);
    assert.equal(findings.length, 0, `secrets found in plain form (only SecretStorage may hold them):\n${describeFindings(findings)}`);
  });
});
