import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles, scanFiles, secretsInOptions } from './scan';

describe('security: the secret scanner used after the E2E run', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jira-scan-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a planted secret in text, UTF-16 (Chromium/V8 two-byte strings) and percent-encoded form, and names only its label', () => {
    mkdirSync(join(dir, 'User', 'globalStorage'), { recursive: true });
    writeFileSync(join(dir, 'User', 'settings.json'), '{"jira.sites":["https://jira.example.com"],"x":"tok-PLANTED-1234"}');
    writeFileSync(join(dir, 'User', 'globalStorage', 'state.vscdb'), Buffer.concat([Buffer.alloc(100), Buffer.from('pw PLANTED/pass:word', 'utf16le')]));
    writeFileSync(join(dir, 'clean.log'), 'nothing here but tok-PLANTED-12 (shorter)');
    writeFileSync(join(dir, 'url.log'), 'GET /x?p=PLANTED%2Fpass%3Aword');
    const findings = scanFiles(listFiles([dir]), [
      { label: 'PAT', value: 'tok-PLANTED-1234' },
      { label: 'password', value: 'PLANTED/pass:word' },
    ], dir);
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.label}:${f.form}`).sort(),
      ['User/globalStorage/state.vscdb:password:utf16le', 'User/settings.json:PAT:utf8', 'url.log:password:percent-encoded'],
    );
  });

  it('finds private key material by its shape (PEM, PKCS#8 and PKCS#1 bodies), not public keys', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    writeFileSync(join(dir, 'public.json'), JSON.stringify({ publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) }));
    writeFileSync(join(dir, 'redacted.log'), 'key: [REDACTED PRIVATE KEY]');
    writeFileSync(join(dir, 'json.txt'), JSON.stringify({ privateKeyPem: pkcs8 }));
    writeFileSync(join(dir, 'body8.bin'), pkcs8.split('\n').slice(1, 3).join(''));
    writeFileSync(join(dir, 'body1.bin'), pkcs1.split('\n').slice(1, 3).join(''));
    const findings = scanFiles(listFiles([dir]), [], dir);
    const files = [...new Set(findings.map((f) => f.file))].sort();
    assert.deepEqual(files, ['body1.bin', 'body8.bin', 'json.txt']);
  });

  it('skips excluded paths and values too short to search', () => {
    mkdirSync(join(dir, 'Cache'));
    writeFileSync(join(dir, 'Cache', 'data'), 'secret-value-123');
    writeFileSync(join(dir, 'a.txt'), 'admin admin');
    const files = listFiles([dir], [/[/\\]Cache$/]);
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['a.txt']);
    assert.deepEqual(scanFiles(files, [{ label: 'short', value: 'admin' }, { label: 'long', value: 'secret-value-123' }], dir), []);
  });

  it('collects the secrets an emulator was configured with (PATs, passwords, client secrets)', () => {
    const needles = secretsInOptions('emu', {
      pats: { 'pat-value-123456': 'admin' },
      users: [{ name: 'admin', password: 'pw-123456789' }],
      oauth2: { clients: [{ clientId: 'id', clientSecret: 'cs-123456789' }] },
      links: [{ consumerKey: 'ck', publicKeyPem: 'PUBLIC' }],
    });
    assert.deepEqual(needles.map((n) => n.value).sort(), ['cs-123456789', 'pat-value-123456', 'pw-123456789']);
  });
});
