// The emulator's own RFC 5849 code against the RFC's worked example and the published RSA-SHA1
// test case. The expected strings are copied from the RFC / the test case, never computed here.
import * as assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import {
  baseStringUri, collectParameters, formDecode, normalizeParameters, parseAuthorizationHeader, percentDecode, percentEncode,
  requestBaseString, requestParameterSources, signatureBaseString, verifyRsaSha1,
} from '../../emulator/rfc5849';
import { TESTCASE, TESTCASE_PRIVATE_KEY_PEM, TESTCASE_PUBLIC_KEY_PEM } from './fixtures';

// RFC 5849 §3.4.1.1: the example request.
const RFC_HEADER = `OAuth realm="Example",
                oauth_consumer_key="9djdj82h48djs9d2",
                oauth_token="kkk9d7dh3k39sjv7",
                oauth_signature_method="HMAC-SHA1",
                oauth_timestamp="137131201",
                oauth_nonce="7d8f3e4a",
                oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`;
const RFC_SOURCES = () => requestParameterSources({
  query: 'b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  authorization: RFC_HEADER,
  contentType: 'application/x-www-form-urlencoded',
  body: 'c2&a3=2+q',
});
const RFC_BASE_STRING = 'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';

describe('emulator RFC 5849 §3.4.1 base string', () => {
  it('§3.4.1.3.1 collects the example parameters from query, header (minus realm and signature) and form body', () => {
    const got = collectParameters(RFC_SOURCES());
    const expected: Array<[string, string]> = [
      ['b5', '=%3D'], ['a3', 'a'], ['c@', ''], ['a2', 'r b'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'], ['oauth_token', 'kkk9d7dh3k39sjv7'], ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'], ['oauth_nonce', '7d8f3e4a'], ['c2', ''], ['a3', '2 q'],
    ];
    const sort = (l: Array<[string, string]>) => [...l].sort((x, y) => `${x[0]}\u0000${x[1]}`.localeCompare(`${y[0]}\u0000${y[1]}`));
    assert.deepEqual(sort(got), sort(expected));
  });

  it('§3.4.1.3.2 normalises them exactly as the RFC prints', () => {
    assert.equal(normalizeParameters(collectParameters(RFC_SOURCES())),
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7');
  });

  it('§3.4.1.1 reproduces the RFC example base string', () => {
    assert.equal(requestBaseString('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', RFC_SOURCES()), RFC_BASE_STRING);
    const uri = baseStringUri('http://example.com/request');
    assert.equal(signatureBaseString('post', uri, normalizeParameters(collectParameters(RFC_SOURCES()))), RFC_BASE_STRING);
  });

  it('leaves the body out unless it is application/x-www-form-urlencoded', () => {
    const src = requestParameterSources({ query: 'a=1', contentType: 'application/json', body: 'b=2' });
    assert.equal(src.body, null);
    assert.deepEqual(collectParameters(src), [['a', '1']]);
    const form = requestParameterSources({ query: '', contentType: 'Application/X-WWW-Form-Urlencoded; charset=UTF-8', body: 'b=2' });
    assert.deepEqual(collectParameters(form), [['b', '2']]);
  });

  it('§3.4.1.2 base string URI examples from the RFC', () => {
    assert.equal(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123'), 'http://example.com/r%20v/X');
    assert.equal(baseStringUri('https://www.example.net:8080/?q=1'), 'https://www.example.net:8080/');
    assert.equal(baseStringUri('https://Jira.Example.com:443/jira/rest/api/2/myself'), 'https://jira.example.com/jira/rest/api/2/myself');
    assert.equal(baseStringUri('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/');
    assert.equal(baseStringUri('http://h:443/x'), 'http://h:443/x');
  });

  it('§3.4.1.3.2 keeps repeated names and sorts them by value', () => {
    assert.equal(normalizeParameters([['b', '2'], ['a', 'z'], ['b', '1'], ['a', 'y']]), 'a=y&a=z&b=1&b=2');
  });
});

describe('emulator RFC 5849 §3.6 percent-encoding and decoding', () => {
  it('keeps only ALPHA, DIGIT, "-", ".", "_", "~" and encodes the rest as upper-case UTF-8 octets', () => {
    assert.equal(percentEncode('AZaz09-._~'), 'AZaz09-._~');
    assert.equal(percentEncode(' '), '%20');
    assert.equal(percentEncode('+'), '%2B');
    assert.equal(percentEncode("!*'()"), '%21%2A%27%28%29');
    assert.equal(percentEncode('=&/?#%'), '%3D%26%2F%3F%23%25');
    assert.equal(percentEncode('é'), '%C3%A9');
    assert.equal(percentEncode('☃'), '%E2%98%83');
    assert.equal(percentEncode('😀'), '%F0%9F%98%80');
  });

  it('decodes form strings: "+" is a space, a name without "=" has an empty value', () => {
    assert.deepEqual(formDecode('c2&a3=2+q&b5=%3D%253D&&x=%E2%98%83'), [['c2', ''], ['a3', '2 q'], ['b5', '=%3D'], ['x', '☃']]);
    assert.equal(percentDecode('100%'), '100%');
    assert.equal(percentDecode('%zz%41'), '%zzA');
  });

  it('parses the Authorization header, decoding values and keeping realm for the caller to drop', () => {
    const p = parseAuthorizationHeader(RFC_HEADER);
    assert.deepEqual(p?.[0], ['realm', 'Example']);
    assert.deepEqual(p?.find(([k]) => k === 'oauth_signature'), ['oauth_signature', 'bYT5CMsGcbgUdFHObYMEfcx6bsw=']);
    assert.equal(parseAuthorizationHeader('Basic YWRtaW46YWRtaW4='), null);
    assert.deepEqual(parseAuthorizationHeader('oauth oauth_nonce="a%20b",oauth_x=unquoted'), [['oauth_nonce', 'a b']]);
  });
});

describe('emulator RSA-SHA1 (§3.4.3) against the published test case', () => {
  it('builds the published base string for the photos request', () => {
    const q = new URL(TESTCASE.url);
    const header = `OAuth ${Object.entries(TESTCASE.oauth).map(([k, v]) => `${k}="${v}"`).join(', ')}`;
    const src = requestParameterSources({ query: q.search, authorization: header });
    assert.equal(requestBaseString(TESTCASE.method, TESTCASE.url, src), TESTCASE.baseString);
  });

  it('verifies the published signature with the published public key, and rejects a changed base string', () => {
    const key = createPublicKey(TESTCASE_PUBLIC_KEY_PEM);
    assert.equal(verifyRsaSha1(TESTCASE.baseString, key, TESTCASE.signature), true);
    assert.equal(verifyRsaSha1(TESTCASE.baseString.replace('original', 'originaL'), key, TESTCASE.signature), false);
    assert.equal(verifyRsaSha1(TESTCASE.baseString, key, TESTCASE.signature.replace(/\+/g, ' ')), false);
    assert.equal(verifyRsaSha1(TESTCASE.baseString, key, 'not base64!'), false);
  });

  it('the published private key signs the published base string into the published signature', () => {
    const sig = sign('sha1', Buffer.from(TESTCASE.baseString), createPrivateKey(TESTCASE_PRIVATE_KEY_PEM)).toString('base64');
    assert.equal(sig, TESTCASE.signature);
  });
});
