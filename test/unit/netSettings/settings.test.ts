// The extension's network settings: scopes in package.json (a workspace cannot redirect
// credentials), settings -> NetworkDefaults, and the client certificate passphrase in SecretStorage.
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tls from 'node:tls';
import * as core from '../../../src/core';
import { caFilesFor, ClientCertificateFiles, networkDefaultsFor, NetworkIo, proxySettingsFor, RawNetworkSettings, siteEntry } from '../../../src/netSettings/config';
import { passphraseKey, unlockClientCertificate } from '../../../src/netSettings/passphrase';
import { FakeSecretStorage } from '../support/fakes';
import { CLIENT_PASSPHRASE, makePkiOrSkip, Pki } from '../support/netFixtures';

const ROOT = join(__dirname, '../../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};

describe('network settings: scopes (package.json)', () => {
  const props = pkg.contributes.configuration.properties;
  // Settings that decide where requests (and so credentials) go or what is trusted.
  const ROUTING = ['jira.sites', 'jira.ca', 'jira.network.proxy', 'jira.network.clientCertificates', 'jira.network.allowInsecureHttp'];

  it('every credential-routing setting is machine or application scoped and restricted in untrusted workspaces', () => {
    for (const name of ROUTING) {
      assert.ok(props[name], `${name} is contributed`);
      assert.ok(['machine', 'application', 'machine-overridable'].includes(props[name].scope ?? '') && props[name].scope !== 'machine-overridable',
        `${name} has scope "${props[name].scope}": use "machine" or "application" so workspace settings cannot set it`);
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(name), `${name} is not in capabilities.untrustedWorkspaces.restrictedConfigurations`);
    }
  });

  it('any setting that looks credential-routing (site, CA, proxy, certificate, insecure, endpoint) has such a scope', () => {
    const looks = /(^jira\.sites$)|(\.ca$)|proxy|certificate|insecure|endpoint|baseurl/i;
    const bad = Object.entries(props)
      .filter(([name, p]) => looks.test(name) && p.scope !== 'machine' && p.scope !== 'application')
      .map(([name, p]) => `${name} (scope ${p.scope ?? 'window (default)'})`);
    assert.deepEqual(bad, [], 'give these "scope": "machine" or "application"');
  });
});

describe('network settings -> core options', () => {
  const io = (files: Record<string, string> = {}, extra: Partial<NetworkIo> = {}): NetworkIo => ({
    core,
    env: {},
    readFile: async (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return Buffer.from(files[p]);
    },
    clientCertificate: async () => {
      throw new Error('not expected');
    },
    ...extra,
  });

  it('matches site-keyed entries by base URL prefix (longest wins, at a path boundary) or host name', () => {
    const map = { 'https://jira.example.com': 'a', 'https://jira.example.com/jira': 'b', 'other.example.com': 'c' };
    assert.equal(siteEntry(map, 'https://jira.example.com/jira/rest/api/2/myself')?.value, 'b');
    assert.equal(siteEntry(map, 'https://jira.example.com/rest/api/2/myself')?.value, 'a');
    assert.equal(siteEntry(map, 'https://jira.example.com.evil.test/rest')?.value, undefined);
    assert.equal(siteEntry(map, 'https://jira.example.com/jirax/rest')?.value, 'a');
    assert.equal(siteEntry(map, 'https://OTHER.example.com/x')?.value, 'c');
  });

  it('jira.ca: an array for every site or a map per site', () => {
    assert.deepEqual(caFilesFor('https://a.example/x', ['/ca.pem', '']), ['/ca.pem']);
    assert.deepEqual(caFilesFor('https://a.example/x', { 'https://a.example': '/a.pem', 'b.example': ['/b.pem'] }), ['/a.pem']);
    assert.deepEqual(caFilesFor('https://c.example/x', { 'https://a.example': '/a.pem' }), []);
  });

  it('proxy: the per-site override wins over http.proxy and the environment; otherwise http.proxy + noProxy + env', () => {
    const s: RawNetworkSettings = { httpProxy: 'http://global:1', noProxy: ['x.example'], siteProxies: { 'https://a.example': 'direct' }, proxyStrictSSL: false };
    assert.deepEqual(proxySettingsFor('https://a.example/rest', s, { HTTPS_PROXY: 'http://env:2' }), { proxy: 'direct', proxyAuthorization: undefined, strictSSL: false });
    const other = proxySettingsFor('https://b.example/rest', s, { HTTPS_PROXY: 'http://env:2' });
    assert.equal(other.proxy, 'http://global:1');
    assert.deepEqual(other.noProxy, ['x.example']);
  });

  it('reads CA files at request time, and a missing or non-PEM file is an error naming jira.ca', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const files: Record<string, string> = { '/ca.pem': pem };
    const d = await networkDefaultsFor('https://a.example/x', { ca: ['/ca.pem'] }, io(files));
    assert.deepEqual(d.network?.extraCa, [pem.trim()]);
    files['/ca.pem'] = pem + pem;
    assert.equal((await networkDefaultsFor('https://a.example/x', { ca: ['/ca.pem'] }, io(files))).network?.extraCa?.length, 2, 'read again, not cached');
    await assert.rejects(networkDefaultsFor('https://a.example/x', { ca: ['/missing.pem'] }, io(files)), (e: core.JiraError) =>
      e.code === 'config' && /Cannot read \/missing\.pem from the setting "jira\.ca" \(ENOENT\)/.test(e.message));
    files['/der.cer'] = 'binary';
    await assert.rejects(networkDefaultsFor('https://a.example/x', { ca: ['/der.cer'] }, io(files)), (e: core.JiraError) =>
      e.code === 'config' && /contains no PEM certificate/.test(e.message) && /openssl x509 -inform der/.test(e.message));
  });

  it('timeout in seconds and retries from the settings, with sane defaults', async () => {
    const d = await networkDefaultsFor('https://a.example/x', { timeoutSeconds: 5, retries: 4 }, io());
    assert.equal(d.timeoutMs, 5000);
    assert.equal(d.retry && d.retry.retries, 4);
    const def = await networkDefaultsFor('https://a.example/x', {}, io());
    assert.equal(def.timeoutMs, 30000);
    assert.equal(def.retry && def.retry.retries, 2);
    assert.equal((await networkDefaultsFor('https://a.example/x', { retries: 0 }, io())).retry, false);
  });

  it('plain http to a non-loopback site is refused unless jira.network.allowInsecureHttp is on, then warned once per call', async () => {
    await assert.rejects(networkDefaultsFor('http://jira.example.com/rest', {}, io()), (e: core.JiraError) =>
      e.code === 'config' && /jira\.network\.allowInsecureHttp/.test(e.message));
    const warned: string[] = [];
    await networkDefaultsFor('http://jira.example.com/rest', { allowInsecureHttp: true }, io({}, { warnInsecure: (h) => warned.push(h) }));
    assert.deepEqual(warned, ['jira.example.com']);
    await networkDefaultsFor('http://127.0.0.1:8080/rest', {}, io());
    await networkDefaultsFor('http://localhost:8080/rest', {}, io());
  });

  it('asks for the client certificate of the matching site only', async () => {
    const asked: string[] = [];
    const files: ClientCertificateFiles = { pfx: '/c.p12' };
    const o = io({}, { clientCertificate: async (site) => (asked.push(site), { pfx: Buffer.from('x') }) });
    const d = await networkDefaultsFor('https://a.example/jira/rest', { clientCertificates: { 'https://a.example/jira': files } }, o);
    assert.ok(d.network?.clientCertificate?.pfx);
    await networkDefaultsFor('https://b.example/rest', { clientCertificates: { 'https://a.example/jira': files } }, o);
    assert.deepEqual(asked, ['https://a.example/jira']);
  });
});

describe('client certificate passphrase (SecretStorage, asked once, re-asked when wrong)', function () {
  let pki: Pki;
  before(function () {
    pki = makePkiOrSkip(this);
  });
  after(() => pki?.cleanup());

  const site = 'https://jira.example.com';
  const deps = (secrets: FakeSecretStorage, answers: Array<string | undefined>, asks: Array<{ retry: boolean }>) => ({
    core,
    secrets,
    readFile: (p: string) => fs.readFile(p),
    ask: async (r: { site: string; file: string; retry: boolean }) => {
      asks.push({ retry: r.retry });
      return answers.shift();
    },
  });

  it('PEM without a passphrase: nothing asked, nothing stored', async () => {
    const secrets = new FakeSecretStorage();
    const asks: Array<{ retry: boolean }> = [];
    const c = await unlockClientCertificate(site, { cert: pki.clientCertFile, key: pki.clientKeyFile }, deps(secrets, [], asks));
    assert.ok(c.cert && c.key);
    assert.equal(c.passphrase, undefined);
    assert.deepEqual(asks, []);
    assert.equal(secrets.dump(), '[]');
  });

  it('PKCS#12: asks once, stores after it worked, then uses the stored one without asking', async () => {
    const secrets = new FakeSecretStorage();
    const asks: Array<{ retry: boolean }> = [];
    const files = { pfx: pki.clientP12File };
    const c = await unlockClientCertificate(site, files, deps(secrets, [CLIENT_PASSPHRASE], asks));
    assert.equal(c.passphrase, CLIENT_PASSPHRASE);
    assert.deepEqual(asks, [{ retry: false }]);
    assert.equal(await secrets.get(passphraseKey(site, files)), CLIENT_PASSPHRASE);
    const again = await unlockClientCertificate(site, files, deps(secrets, [], asks));
    assert.equal(again.passphrase, CLIENT_PASSPHRASE);
    assert.equal(asks.length, 1, 'not asked a second time');
  });

  it('a wrong passphrase is re-asked with the reason and never stored', async () => {
    const secrets = new FakeSecretStorage();
    const asks: Array<{ retry: boolean }> = [];
    const files = { cert: pki.clientCertFile, key: pki.clientEncryptedKeyFile };
    const c = await unlockClientCertificate(site, files, deps(secrets, ['wrong', CLIENT_PASSPHRASE], asks));
    assert.equal(c.passphrase, CLIENT_PASSPHRASE);
    assert.deepEqual(asks, [{ retry: false }, { retry: true }]);
    assert.doesNotMatch(secrets.dump(), /wrong/);
  });

  it('a wrong passphrase that happens to pass the padding check (about 1 in 256) is still a wrong passphrase, not a broken file', function () {
    // A clean-clone run on Node 16 once answered "cannot be used: ... header too long" to a wrong
    // passphrase: the noise it decrypts the key into had valid padding and failed as ASN.1 instead.
    this.timeout(60_000);
    const cert = pki.read(pki.clientCertFile);
    const key = pki.read(pki.clientEncryptedKeyFile);
    const named = /bad decrypt|mac verify failure|bad password|passphrase|decryption failed|wrong password/i;
    let noisy: string | undefined;
    let message = '';
    for (let i = 0; i < 5000 && noisy === undefined; i++) {
      try {
        tls.createSecureContext({ cert, key, passphrase: `not-it-${i}` });
      } catch (e) {
        message = (e as Error).message;
        if (!named.test(message)) noisy = `not-it-${i}`;
      }
    }
    assert.ok(noisy !== undefined, 'no wrong passphrase in 5000 got past the padding check');
    assert.doesNotMatch(message, named, 'what Node says names no passphrase problem');
    assert.equal(core.checkClientCertificate({ cert, key, passphrase: noisy }), 'wrong_passphrase', message);
    assert.equal(core.checkClientCertificate({ cert, key, passphrase: CLIENT_PASSPHRASE }), 'ok');
    // A key that does decrypt but does not belong to the certificate is still a broken configuration.
    const other = pki.issueClient('someone-else');
    assert.throws(() => core.checkClientCertificate({ cert, key: pki.read(other.keyFile) }), (e: core.JiraError) => e.code === 'config' && /cannot be used/.test(e.message));
  });

  it('cancelling the box stores nothing and fails with aborted; a stale stored passphrase is dropped and re-asked', async () => {
    const secrets = new FakeSecretStorage();
    const asks: Array<{ retry: boolean }> = [];
    const files = { pfx: pki.clientP12File };
    await assert.rejects(unlockClientCertificate(site, files, deps(secrets, [undefined], asks)), (e: core.JiraError) => e.code === 'aborted' && /passphrase/.test(e.message));
    assert.equal(secrets.dump(), '[]');
    await secrets.store(passphraseKey(site, files), 'stale');
    const c = await unlockClientCertificate(site, files, deps(secrets, [CLIENT_PASSPHRASE], asks));
    assert.equal(c.passphrase, CLIENT_PASSPHRASE);
    assert.deepEqual(asks.slice(1), [{ retry: true }], 'asked again, saying the stored one was wrong');
    assert.equal(await secrets.get(passphraseKey(site, files)), CLIENT_PASSPHRASE);
  });

  it('parallel requests share one password box', async () => {
    const secrets = new FakeSecretStorage();
    const asks: Array<{ retry: boolean }> = [];
    const files = { pfx: pki.clientP12File };
    const d = deps(secrets, [CLIENT_PASSPHRASE, CLIENT_PASSPHRASE], asks);
    const all = await Promise.all([unlockClientCertificate(site, files, d), unlockClientCertificate(site, files, d)]);
    assert.deepEqual(all.map((c) => c.passphrase), [CLIENT_PASSPHRASE, CLIENT_PASSPHRASE]);
    assert.equal(asks.length, 1);
  });

  it('a missing file or a cert without key is a config error naming the setting', async () => {
    const secrets = new FakeSecretStorage();
    await assert.rejects(unlockClientCertificate(site, { pfx: '/nope.p12' }, deps(secrets, [], [])), (e: core.JiraError) =>
      e.code === 'config' && /jira\.network\.clientCertificates/.test(e.message));
    await assert.rejects(unlockClientCertificate(site, { cert: pki.clientCertFile }, deps(secrets, [], [])), (e: core.JiraError) =>
      e.code === 'config' && /"cert" and "key"/.test(e.message));
  });

  it('the passphrase works end to end against an emulator that requires the certificate', async () => {
    const { startTlsEmulator } = await import('../support/netFixtures');
    const server = await startTlsEmulator(pki, { requireClientCert: true });
    try {
      const secrets = new FakeSecretStorage();
      const files = { pfx: pki.clientP12File };
      const remove = core.setNetworkProvider((url, signal) =>
        networkDefaultsFor(url, { ca: [pki.caCertFile], clientCertificates: { [server.url]: files } }, {
          core,
          env: {},
          readFile: (p) => fs.readFile(p),
          clientCertificate: (s, f) => unlockClientCertificate(s, f, deps(secrets, [CLIENT_PASSPHRASE], [])),
        }, signal),
      );
      try {
        const info = await core.fetchServerInfo(server.url);
        assert.equal(info.serverTitle, 'Jira Emulator');
      } finally {
        remove();
      }
    } finally {
      await server.close();
    }
  });
});
