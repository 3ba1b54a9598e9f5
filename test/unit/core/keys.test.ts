import * as assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { derivePublicKeyPem, generateKeyPair, KeyError, KeyErrorCode, keyFingerprint, loadPrivateKey } from '../../../src/core';
import { fixture, hasOpenssl, openssl, tmpDir } from './helpers';

function rejectsWith(code: KeyErrorCode, f: () => unknown, message?: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof KeyError, `expected KeyError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

function signsAndVerifies(privatePem: string, publicPem: string, passphrase?: string): void {
  const key = loadPrivateKey(privatePem, { passphrase });
  const sig = sign('sha1', Buffer.from('base'), key);
  assert.ok(verify('sha1', Buffer.from('base'), createPublicKey(publicPem), sig));
}

describe('core/keys: generateKeyPair', () => {
  it('generates 2048-bit keys by default: SPKI public PEM and PKCS#8 private PEM', async () => {
    const kp = await generateKeyPair();
    assert.match(kp.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
    assert.match(kp.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const key = loadPrivateKey(kp.privateKeyPem);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(key.asymmetricKeyDetails?.publicExponent, 65537n);
    signsAndVerifies(kp.privateKeyPem, kp.publicKeyPem);
  });

  it('4096 bits runs off the event loop (timers fire while it works)', async function () {
    // Not a timing test (the lag budget is measured in bench/): a synchronous generator would let
    // no timer run before it returns; an asynchronous one lets many run during its ~1 s of work.
    this.timeout(120000);
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    let ticksWhenDone = -1;
    try {
      const kp = await generateKeyPair({ modulusLength: 4096 }).finally(() => { ticksWhenDone = ticks; });
      assert.equal(loadPrivateKey(kp.privateKeyPem).asymmetricKeyDetails?.modulusLength, 4096);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticksWhenDone > 0, 'no timer ran while the key pair was generated: generation blocked the event loop');
  });

  it('3072 bits is allowed', async function () {
    this.timeout(60000);
    const kp = await generateKeyPair({ modulusLength: 3072 });
    assert.equal(loadPrivateKey(kp.privateKeyPem).asymmetricKeyDetails?.modulusLength, 3072);
  });

  it('refuses sizes other than 2048, 3072 and 4096', async () => {
    for (const n of [512, 1024, 2047, 2500, 8192]) {
      await assert.rejects(generateKeyPair({ modulusLength: n }), (e: unknown) => e instanceof KeyError && e.code === 'invalid_modulus_length');
    }
  });

  it('can encrypt the private key with a passphrase', async () => {
    const kp = await generateKeyPair({ passphrase: 'pw' });
    assert.match(kp.privateKeyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    signsAndVerifies(kp.privateKeyPem, kp.publicKeyPem, 'pw');
  });
});

describe('core/keys: loading private keys (node crypto fixtures)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();

  it('PKCS#1 (BEGIN RSA PRIVATE KEY)', () => signsAndVerifies(pkcs1, spki));
  it('PKCS#8 (BEGIN PRIVATE KEY)', () => signsAndVerifies(pkcs8, spki));
  it('encrypted PKCS#8 with the passphrase', () => signsAndVerifies(encrypted, spki, 'correct horse'));

  it('pasted with CRLF, surrounding whitespace/quotes or literal \\n escapes', () => {
    signsAndVerifies(`  ${pkcs8.replace(/\n/g, '\r\n')}  `, spki);
    signsAndVerifies(JSON.stringify(pkcs1), spki);
    signsAndVerifies(JSON.stringify(pkcs1).slice(1, -1), spki);
  });

  it('finds the private key in a bundle that also holds a certificate-like block', () => {
    signsAndVerifies(`${spki}\n${pkcs8}`, spki);
  });

  it('a missing passphrase is passphrase_required', () => rejectsWith('passphrase_required', () => loadPrivateKey(encrypted), /passphrase/));
  it('a wrong passphrase is wrong_passphrase', () => rejectsWith('wrong_passphrase', () => loadPrivateKey(encrypted, { passphrase: 'nope' }), /passphrase/));
  it('a public key given as private key is not_private_key', () => rejectsWith('not_private_key', () => loadPrivateKey(spki), /public key/));
  it('a PKCS#1 public key is not_private_key', () =>
    rejectsWith('not_private_key', () => loadPrivateKey(rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString())));

  it('an EC key is not_rsa (PKCS#8 and SEC1)', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    rejectsWith('not_rsa', () => loadPrivateKey(ec.export({ type: 'pkcs8', format: 'pem' }).toString()), /EC/);
    rejectsWith('not_rsa', () => loadPrivateKey(ec.export({ type: 'sec1', format: 'pem' }).toString()), /EC/);
  });

  it('an Ed25519 key is not_rsa', () => {
    const ed = generateKeyPairSync('ed25519').privateKey;
    rejectsWith('not_rsa', () => loadPrivateKey(ed.export({ type: 'pkcs8', format: 'pem' }).toString()), /Ed25519/);
  });

  it('a key under 2048 bits is key_too_small; the minimum is a parameter', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    rejectsWith('key_too_small', () => loadPrivateKey(small), /1024 bits.*2048/);
    assert.equal(loadPrivateKey(small, { minModulusLength: 1024 }).asymmetricKeyDetails?.modulusLength, 1024);
    rejectsWith('key_too_small', () => loadPrivateKey(pkcs8, { minModulusLength: 3072 }));
  });

  it('not PEM, empty, truncated and damaged PEM are invalid_pem', () => {
    rejectsWith('invalid_pem', () => loadPrivateKey('hello'), /not a PEM/);
    rejectsWith('invalid_pem', () => loadPrivateKey(''), /No private key/);
    rejectsWith('invalid_pem', () => loadPrivateKey(pkcs8.slice(0, 200)), /incomplete/);
    const lines = pkcs8.trim().split('\n');
    lines.splice(5, 1); // a line lost in copy-paste: the DER length no longer matches
    rejectsWith('invalid_pem', () => loadPrivateKey(lines.join('\n')), /damaged/);
  });

  it('OpenSSH and PuTTY keys are unsupported_format with a conversion hint', () => {
    rejectsWith('unsupported_format', () => loadPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----'), /ssh-keygen/);
    rejectsWith('unsupported_format', () => loadPrivateKey('PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n'), /PuTTY/);
  });

  it('error messages never contain key material', () => {
    for (const bad of [spki, encrypted, pkcs8.slice(0, 300)]) {
      try {
        loadPrivateKey(bad);
        assert.fail('should throw');
      } catch (e) {
        assert.ok(!(e as Error).message.includes('MII'), (e as Error).message);
      }
    }
  });
});

describe('core/keys: public key and fingerprint', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  it('derives the SPKI public key PEM from a PKCS#1 private key', () => {
    assert.equal(derivePublicKeyPem(pkcs1), spki);
    assert.equal(derivePublicKeyPem(rsa.privateKey), spki);
  });

  it('fingerprint is SHA256:<unpadded base64 of SHA-256(SPKI DER)>, the same from public, private and KeyObject', () => {
    const der = rsa.publicKey.export({ type: 'spki', format: 'der' });
    const expected = 'SHA256:' + createHash('sha256').update(der).digest('base64').replace(/=+$/, '');
    assert.equal(keyFingerprint(spki), expected);
    assert.equal(keyFingerprint(pkcs1), expected);
    assert.equal(keyFingerprint(rsa.privateKey), expected);
    assert.equal(keyFingerprint(rsa.publicKey), expected);
    assert.match(expected, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('fingerprint works for the 1024-bit test vector key too (display only)', () => {
    assert.match(keyFingerprint(fixture('oauth-wiki-rsa1024.pem')), /^SHA256:/);
  });
});

const OPENSSL = hasOpenssl();
const withOpenssl = OPENSSL ? describe : describe.skip;

withOpenssl(`core/keys: keys made by the openssl binary${OPENSSL ? '' : ' (SKIPPED: openssl not installed)'}`, () => {
  let dir: string;
  before(() => {
    dir = tmpDir();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function pubOf(file: string, pass?: string): string {
    return openssl(['pkey', '-in', file, '-pubout', ...(pass ? ['-passin', `pass:${pass}`] : [])]);
  }

  it('openssl genrsa 2048 (PKCS#1 with OpenSSL 1.x, PKCS#8 with 3.x)', () => {
    const f = path.join(dir, 'genrsa.pem');
    // -traditional forces PKCS#1 on OpenSSL 3; OpenSSL 1.1 writes PKCS#1 anyway and has no such flag.
    try {
      openssl(['genrsa', '-traditional', '-out', f, '2048']);
    } catch {
      openssl(['genrsa', '-out', f, '2048']);
    }
    const pem = fs.readFileSync(f, 'utf8');
    assert.match(pem, /-----BEGIN (RSA )?PRIVATE KEY-----/);
    signsAndVerifies(pem, pubOf(f));
    assert.equal(derivePublicKeyPem(pem), pubOf(f));
  });

  it('openssl genpkey -algorithm RSA (PKCS#8)', () => {
    const f = path.join(dir, 'genpkey.pem');
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f]);
    const pem = fs.readFileSync(f, 'utf8');
    assert.match(pem, /-----BEGIN PRIVATE KEY-----/);
    signsAndVerifies(pem, pubOf(f));
  });

  it('openssl pkcs8 -topk8 -v2 aes-256-cbc (encrypted PKCS#8), right and wrong passphrase', () => {
    const plain = path.join(dir, 'p.pem');
    const enc = path.join(dir, 'enc.pem');
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', plain]);
    openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', plain, '-out', enc, '-passout', 'pass:s3cret pass']);
    const pem = fs.readFileSync(enc, 'utf8');
    assert.match(pem, /-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    signsAndVerifies(pem, pubOf(plain), 's3cret pass');
    rejectsWith('passphrase_required', () => loadPrivateKey(pem));
    rejectsWith('wrong_passphrase', () => loadPrivateKey(pem, { passphrase: 'wrong' }));
  });

  it('legacy encrypted PKCS#1 (Proc-Type: 4,ENCRYPTED) needs the passphrase', () => {
    const plain = path.join(dir, 'l.pem');
    const enc = path.join(dir, 'lenc.pem');
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', plain]);
    try {
      openssl(['rsa', '-traditional', '-aes256', '-in', plain, '-out', enc, '-passout', 'pass:pw']);
    } catch {
      openssl(['rsa', '-aes256', '-in', plain, '-out', enc, '-passout', 'pass:pw']);
    }
    const pem = fs.readFileSync(enc, 'utf8');
    if (!/Proc-Type: 4,ENCRYPTED/.test(pem)) return; // this openssl wrote PKCS#8 instead: covered above
    rejectsWith('passphrase_required', () => loadPrivateKey(pem));
    rejectsWith('wrong_passphrase', () => loadPrivateKey(pem, { passphrase: 'bad' }));
    signsAndVerifies(pem, pubOf(plain), 'pw');
  });

  it('openssl genrsa 1024 is refused as key_too_small; an openssl EC key as not_rsa', () => {
    const f = path.join(dir, 'small.pem');
    openssl(['genrsa', '-out', f, '1024']);
    rejectsWith('key_too_small', () => loadPrivateKey(fs.readFileSync(f, 'utf8')));
    const ec = path.join(dir, 'ec.pem');
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', ec]);
    rejectsWith('not_rsa', () => loadPrivateKey(fs.readFileSync(ec, 'utf8')));
  });
});
