// http.systemCertificates: a company CA that only the operating system's trust store holds (TLS
// inspection) is trusted without jira.ca. The store is made to hold the test CA the way OpenSSL,
// curl and Node's own system-store reader find it on Linux: SSL_CERT_FILE names the bundle. Each
// check runs in a fresh Node process, as the store is read once per process.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../../../emulator/types';
import { makePkiOrSkip, Pki, startTlsEmulator } from '../../support/netFixtures';

const CORE = join(__dirname, '../../../../src/core/index.js');

interface Outcome {
  ok?: string;
  code?: string;
  systemCode?: string;
}

/** fetchServerInfo in a child process with `env`; what came back, or the error's codes. */
function serverInfoIn(env: Record<string, string | undefined>, url: string, systemCa: boolean): Promise<Outcome> {
  const script = `
    const core = require(${JSON.stringify(CORE)});
    core.fetchServerInfo(${JSON.stringify(url)}, { retry: false, network: { systemCa: ${systemCa} } })
      .then((i) => console.log(JSON.stringify({ ok: i.serverTitle })), (e) => console.log(JSON.stringify({ code: e.code, systemCode: e.systemCode })))
      .finally(() => core.closeIdleConnections());`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env: { ...process.env, ...env }, timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Outcome);
    });
  });
}

describe('transport: the operating system trust store (http.systemCertificates)', function () {
  this.timeout(60_000);
  let pki: Pki;
  let emulator: Emulator;
  let bundle: string;
  before(async function () {
    if (process.platform !== 'linux') {
      console.log('    skipped: the system store is pointed at with SSL_CERT_FILE, which only Linux reads');
      this.skip();
    }
    pki = makePkiOrSkip(this);
    emulator = await startTlsEmulator(pki);
    // A system bundle that also holds the company CA (what update-ca-certificates would write).
    bundle = join(pki.dir, 'system-bundle.crt');
    let system = '';
    try {
      system = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
    } catch {
      /* a minimal system: the test CA alone */
    }
    writeFileSync(bundle, system + '\n' + pki.read(pki.caCertFile));
  });
  after(async () => {
    await emulator?.close();
    pki?.cleanup();
  });

  it('a site signed by a CA only the system store holds: trusted with systemCa, no jira.ca needed', async () => {
    assert.deepEqual(await serverInfoIn({ SSL_CERT_FILE: bundle }, emulator.url, true), { ok: 'Jira Emulator' });
  });

  it('without systemCa (http.systemCertificates: false) the same site is refused, naming the unknown CA', async () => {
    const r = await serverInfoIn({ SSL_CERT_FILE: bundle }, emulator.url, false);
    assert.equal(r.code, 'tls');
    assert.match(r.systemCode ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
  });

  it('with systemCa, a CA the system store does not hold is still refused (the store is not "trust all")', async () => {
    const r = await serverInfoIn({ SSL_CERT_FILE: pki.otherCaCertFile }, emulator.url, true);
    assert.equal(r.code, 'tls');
  });
});
