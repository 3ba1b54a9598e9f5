// decodeJwt / verifyJwt / fetchJwks: tokens signed here with node:crypto, and the emulator's
// Cloud 3LO access tokens verified against its published JWKS.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, JsonWebKey, KeyObject, sign } from 'node:crypto';
import {
  buildAuthorizeUrl,
  CLOUD_AUTHORIZE_EXTRA,
  cloudEndpoints,
  decodeJwt,
  exchangeCode,
  fetchJwks,
  JiraError,
  parseRedirect,
  randomState,
  verifyJwt,
} from '../../../src/core';
import { Emulator, startEmulator } from '../../emulator';
import { consent } from './oauth2.helpers';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

function makeJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key?: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const sig = key ? sign('RSA-SHA256', Buffer.from(input), key).toString('base64url') : '';
  return `${input}.${sig}`;
}

function rsa(kid: string): { key: KeyObject; jwk: JsonWebKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { key: privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } as JsonWebKey };
}

describe('jwt: decode and verify', () => {
  const k1 = rsa('k1');
  const k2 = rsa('k2');
  const jwks = { keys: [k1.jwk, k2.jwk] };
  const now = Date.UTC(2026, 0, 1);
  const nowS = now / 1000;
  const claims = { iss: 'https://auth.atlassian.com', aud: 'api.atlassian.com', sub: 'acc', iat: nowS - 10, exp: nowS + 3600, scope: 'read:jira-work' };

  it('decodes header and claims, and says undefined for opaque tokens', () => {
    const t = makeJwt({ alg: 'RS256', kid: 'k1', typ: 'JWT' }, claims, k1.key);
    assert.deepEqual(decodeJwt(t), { header: { alg: 'RS256', kid: 'k1', typ: 'JWT' }, payload: claims });
    assert.equal(decodeJwt('opaque-token-1234'), undefined);
    assert.equal(decodeJwt('a.b.c'), undefined);
    assert.equal(decodeJwt(`${b64([1])}.${b64({})}.x`), undefined, 'a header must be an object');
  });

  it('a good RS256 token verifies with the key named by kid, and with issuer/audience', () => {
    const t = makeJwt({ alg: 'RS256', kid: 'k2' }, claims, k2.key);
    assert.deepEqual(verifyJwt(t, jwks, { now }), { valid: true, kid: 'k2' });
    assert.equal(verifyJwt(t, jwks, { now, issuer: 'https://auth.atlassian.com', audience: 'api.atlassian.com' }).valid, true);
    const r = verifyJwt(t, jwks, { now, audience: 'other' });
    assert.equal(r.valid, false);
    assert.match(r.reason!, /audience/);
    assert.match(verifyJwt(t, jwks, { now, issuer: 'https://evil' }).reason!, /issuer is "https:\/\/auth.atlassian.com", expected "https:\/\/evil"/);
  });

  it('signed by another key => invalid signature', () => {
    const t = makeJwt({ alg: 'RS256', kid: 'k1' }, claims, k2.key);
    const r = verifyJwt(t, jwks, { now });
    assert.equal(r.valid, false);
    assert.equal(r.kid, 'k1');
    assert.match(r.reason!, /signature does not match/);
  });

  it('a changed claim => invalid signature', () => {
    const t = makeJwt({ alg: 'RS256', kid: 'k1' }, claims, k1.key);
    const parts = t.split('.');
    const forged = `${parts[0]}.${b64({ ...claims, sub: 'admin' })}.${parts[2]}`;
    assert.equal(verifyJwt(forged, jwks, { now }).valid, false);
  });

  it('expired and not-yet-valid tokens are refused with the time', () => {
    const t = makeJwt({ alg: 'RS256', kid: 'k1' }, { ...claims, exp: nowS - 1 }, k1.key);
    const r = verifyJwt(t, jwks, { now });
    assert.equal(r.valid, false);
    assert.match(r.reason!, /expired at 2025-12-31T23:59:59.000Z/);
    const early = makeJwt({ alg: 'RS256', kid: 'k1' }, { ...claims, nbf: nowS + 60 }, k1.key);
    assert.match(verifyJwt(early, jwks, { now }).reason!, /not valid before/);
  });

  it('alg none (and alg confusion such as HS256) is refused', () => {
    const none = makeJwt({ alg: 'none', kid: 'k1' }, claims);
    const r = verifyJwt(none, jwks, { now });
    assert.equal(r.valid, false);
    assert.match(r.reason!, /unsigned \(alg "none"\): refused/);
    assert.match(verifyJwt(makeJwt({ alg: 'NONE' }, claims), jwks, { now }).reason!, /refused/);
    const hs = makeJwt({ alg: 'HS256', kid: 'k1' }, claims, k1.key);
    assert.match(verifyJwt(hs, jwks, { now }).reason!, /only RS256/);
  });

  it('an unknown kid => says the key is not in the JWKS', () => {
    const t = makeJwt({ alg: 'RS256', kid: 'rotated' }, claims, k1.key);
    const r = verifyJwt(t, jwks, { now });
    assert.equal(r.valid, false);
    assert.equal(r.kid, 'rotated');
    assert.match(r.reason!, /no key with kid "rotated"/);
  });

  it('no kid: the only RSA key is used; with several keys it is refused', () => {
    const t = makeJwt({ alg: 'RS256' }, claims, k1.key);
    assert.equal(verifyJwt(t, { keys: [k1.jwk] }, { now }).valid, true);
    assert.match(verifyJwt(t, jwks, { now }).reason!, /names no key/);
  });

  it('garbage => not a JWT, never throws', () => {
    for (const x of ['', 'x', 'a.b', '...', `${b64({ alg: 'RS256' })}.!!!.x`]) {
      const r = verifyJwt(x, jwks, { now });
      assert.equal(r.valid, false, x);
      assert.ok(r.reason);
    }
  });
});

describe('jwt: the emulator\'s Cloud access tokens and JWKS', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ issueCount: 5, deploymentType: 'Cloud' });
  });
  after(() => emu.close());

  it('fetches the JWKS and verifies a 3LO access token (RS256, kid)', async () => {
    const endpoints = cloudEndpoints(emu.cloudEndpoints);
    const state = randomState();
    const url = buildAuthorizeUrl({ endpoints, clientId: 'vscode-jira', redirectUri: 'http://127.0.0.1:9/cb', scopes: ['read:jira-work'], state, extra: { ...CLOUD_AUTHORIZE_EXTRA } });
    const { code } = parseRedirect(await consent(url), state);
    const t = await exchangeCode({ endpoints, clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret', code, redirectUri: 'http://127.0.0.1:9/cb' });
    const d = decodeJwt(t.accessToken)!;
    assert.equal(d.header.alg, 'RS256');
    assert.equal(typeof d.header.kid, 'string');
    assert.equal(d.payload.aud, 'api.atlassian.com');
    assert.equal(d.payload.scope, 'read:jira-work');
    const jwks = await fetchJwks(endpoints.jwks!);
    assert.equal(jwks.keys.length, 1);
    const r = verifyJwt(t.accessToken, jwks, { issuer: 'https://auth.atlassian.com', audience: 'api.atlassian.com' });
    assert.deepEqual(r, { valid: true, kid: d.header.kid });
    assert.equal(verifyJwt(t.accessToken, jwks, { now: (d.payload.exp as number) * 1000 + 1 }).valid, false);
  });

  it('fetchJwks: not a JWKS => a clear error', async () => {
    await assert.rejects(fetchJwks(`${emu.url}/rest/api/2/serverInfo`), (e: JiraError) => e.code === 'bad_response' && /not a JWKS/.test(e.message));
    await assert.rejects(fetchJwks(`${emu.url}/nope.json`), (e: JiraError) => e.code === 'bad_response' && /HTTP 404/.test(e.message));
  });
});

describe('jwt: honest verdicts for what a lenient check lets through', () => {
  const k1 = rsa('k1');
  const jwks = { keys: [k1.jwk] };
  const now = Date.UTC(2026, 0, 1);
  const claims = { iss: 'https://auth.atlassian.com', exp: now / 1000 + 3600 };
  const good = makeJwt({ alg: 'RS256', kid: 'k1' }, claims, k1.key);
  const reason = (t: string, keys = jwks) => {
    const r = verifyJwt(t, keys, { now });
    assert.equal(r.valid, false, `${t.slice(-12)} was accepted`);
    return r.reason!;
  };

  it('the unaltered token verifies (so each refusal below is about its one change)', () => {
    assert.equal(verifyJwt(good, jwks, { now }).valid, true);
  });

  it('a signature that is not canonical base64url is refused', () => {
    assert.match(reason(`${good}!!`), /not canonical base64url/);
    assert.match(reason(`${good}==`), /not canonical base64url/);
    // 256 bytes take 342 characters whose last holds 2 bits and 4 zero bits (A, Q, g or w): the next
    // letter has the same 2 bits, so it decodes to the same bytes.
    const last = good.slice(-1);
    assert.ok('AQgw'.includes(last));
    const twin = good.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1);
    assert.deepEqual(Buffer.from(twin.split('.')[2], 'base64url'), Buffer.from(good.split('.')[2], 'base64url'));
    assert.match(reason(twin), /not canonical base64url/);
  });

  it('a token without a numeric expiry is not called valid', () => {
    const { exp: _exp, ...noExp } = claims;
    assert.match(reason(makeJwt({ alg: 'RS256', kid: 'k1' }, noExp, k1.key)), /no expiry/);
    assert.match(reason(makeJwt({ alg: 'RS256', kid: 'k1' }, { ...claims, exp: '9999999999' }, k1.key)), /expiry \(exp\) is not a number/);
    assert.match(reason(makeJwt({ alg: 'RS256', kid: 'k1' }, { ...claims, nbf: 'soon' }, k1.key)), /nbf\) is not a number/);
  });

  it('a key under 2048 bits, or meant for encryption or another algorithm, does not verify', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const small = { ...publicKey.export({ format: 'jwk' }), kid: 's' } as JsonWebKey;
    assert.match(reason(makeJwt({ alg: 'RS256', kid: 's' }, claims, privateKey), { keys: [small] }), /1024 bits; at least 2048/);
    assert.match(reason(good, { keys: [{ ...k1.jwk, use: 'enc' } as JsonWebKey] }), /"enc", not for signatures/);
    assert.match(reason(good, { keys: [{ ...k1.jwk, alg: 'RS512' } as JsonWebKey] }), /"RS512", not RS256/);
    assert.match(reason(good, { keys: [{ ...k1.jwk, key_ops: ['encrypt'] } as JsonWebKey] }), /does not allow "verify"/);
  });
});
