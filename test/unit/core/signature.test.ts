import * as assert from 'node:assert/strict';
import {
  baseStringUri,
  collectParameters,
  formDecode,
  formEncode,
  normalizeParameters,
  parseAuthorizationHeader,
  PercentDecodeError,
  percentEncode,
  requestBaseString,
  signatureBaseString,
} from '../../../src/core';
import { baseStringWithProtocolRun } from '../../../src/core/oauth1/signature';
import { buildRequestTarget, encodeLooseTarget } from '../../../src/core/url';
import * as emu from '../../emulator/rfc5849';

// RFC 5849 §3.4.1.1, the example request and its signature base string (printed in the RFC on
// several lines "for display purposes only"; it is one string).
const RFC_URL = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
const RFC_BODY = 'c2&a3=2+q';
const RFC_HEADER =
  'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
  'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
  'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"';
const RFC_BASE_STRING =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q' +
  '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_' +
  'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m' +
  'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk' +
  '9d7dh3k39sjv7';

describe('core/oauth1 signature: RFC 5849 published vector', () => {
  it('§3.4.1.1 reproduces the RFC base string character for character', () => {
    assert.equal(requestBaseString('POST', RFC_URL, RFC_HEADER, RFC_BODY), RFC_BASE_STRING);
  });

  it('§3.4.1.3.1 collects the 11 decoded parameters of the RFC table (realm and oauth_signature excluded)', () => {
    const params = collectParameters({ query: RFC_URL.split('?')[1], authorization: RFC_HEADER, formBody: RFC_BODY });
    const sorted = [...params].sort((a, b) => (a[0] + '\0' + a[1] < b[0] + '\0' + b[1] ? -1 : 1));
    assert.deepEqual(sorted, [
      ['a2', 'r b'],
      ['a3', '2 q'],
      ['a3', 'a'],
      ['b5', '=%3D'],
      ['c2', ''],
      ['c@', ''],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ]);
  });

  it('§3.4.1.3.2 normalizes to the RFC parameter string', () => {
    const params = collectParameters({ query: RFC_URL.split('?')[1], authorization: RFC_HEADER, formBody: RFC_BODY });
    assert.equal(
      normalizeParameters(params),
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&' +
        'oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  it('§3.4.1.2 base string URI examples of the RFC', () => {
    assert.equal(baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123'), 'http://example.com/r%20v/X');
    assert.equal(baseStringUri('https://www.example.net:8080/?q=1'), 'https://www.example.net:8080/');
  });

  it('§3.4.1.1 signatureBaseString upper-cases and encodes the method', () => {
    assert.equal(signatureBaseString('post', 'http://a.example/', 'a=b'), 'POST&http%3A%2F%2Fa.example%2F&a%3Db');
  });
});

describe('core/oauth1 signature: §3.6 percent encoding', () => {
  it('leaves exactly the unreserved set alone', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
    assert.equal(percentEncode(unreserved), unreserved);
  });

  it('encodes every other ASCII character as upper-case %XX', () => {
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      if (/[A-Za-z0-9\-._~]/.test(ch)) continue;
      assert.equal(percentEncode(ch), '%' + c.toString(16).toUpperCase().padStart(2, '0'), `char ${c}`);
    }
  });

  it('encodes the characters encodeURIComponent leaves: * ! \' ( )', () => {
    assert.equal(percentEncode("*!'()"), '%2A%21%27%28%29');
  });

  it('space is %20 (never +), + is %2B, ~ stays', () => {
    assert.equal(percentEncode('a b+c~d'), 'a%20b%2Bc~d');
  });

  it('UTF-8 multi-byte characters (2, 3 and 4 bytes)', () => {
    assert.equal(percentEncode('é'), '%C3%A9');
    assert.equal(percentEncode('€'), '%E2%82%AC');
    assert.equal(percentEncode('日本'), '%E6%97%A5%E6%9C%AC');
    assert.equal(percentEncode('😀'), '%F0%9F%98%80');
  });

  it('OAuth wiki test cases for parameter encoding', () => {
    assert.equal(percentEncode('abcABC123'), 'abcABC123');
    assert.equal(percentEncode('-._~'), '-._~');
    assert.equal(percentEncode('%'), '%25');
    assert.equal(percentEncode('+'), '%2B');
    assert.equal(percentEncode('&=*'), '%26%3D%2A');
    assert.equal(percentEncode('\u000A'), '%0A');
    assert.equal(percentEncode('\u0020'), '%20');
    assert.equal(percentEncode('\u007F'), '%7F');
    assert.equal(percentEncode('\u0080'), '%C2%80');
    assert.equal(percentEncode('\u3001'), '%E3%80%81');
  });
});

describe('core/oauth1 signature: form decoding (how the server reads a query)', () => {
  it('a + is a space, %2B is a plus, names without = have empty values, empty segments are skipped', () => {
    assert.deepEqual(formDecode('a=1+2&b=1%2B2&c&&d='), [
      ['a', '1 2'],
      ['b', '1+2'],
      ['c', ''],
      ['d', ''],
    ]);
  });

  it('splits at the first = only, and keeps repeated names in order', () => {
    assert.deepEqual(formDecode('jql=a%3Db=c&x=2&x=1'), [
      ['jql', 'a=b=c'],
      ['x', '2'],
      ['x', '1'],
    ]);
  });

  it('decodes UTF-8 and refuses malformed escapes', () => {
    assert.deepEqual(formDecode('q=%C3%A9t%C3%A9'), [['q', 'été']]);
    assert.throws(() => formDecode('q=%E9'), PercentDecodeError);
  });

  it('formEncode is the inverse, with §3.6 encoding', () => {
    const pairs: Array<[string, string]> = [['a b', 'c+d'], ['e', '']];
    assert.equal(formEncode(pairs), 'a%20b=c%2Bd&e=');
    assert.deepEqual(formDecode(formEncode(pairs)), pairs);
  });
});

describe('core/oauth1 signature: base string URI', () => {
  it('lower-cases scheme and host, keeps path case', () => {
    assert.equal(baseStringUri('HTTPS://Jira.Example.COM/Jira/rest'), 'https://jira.example.com/Jira/rest');
  });
  it('drops default ports only', () => {
    assert.equal(baseStringUri('http://h:80/a'), 'http://h/a');
    assert.equal(baseStringUri('https://h:443/a'), 'https://h/a');
    assert.equal(baseStringUri('http://h:443/a'), 'http://h:443/a');
    assert.equal(baseStringUri('https://h:80/a'), 'https://h:80/a');
    assert.equal(baseStringUri('https://h:8443/a'), 'https://h:8443/a');
  });
  it('keeps a context path and the path exactly as sent (no decoding, no dot-segment resolution)', () => {
    assert.equal(baseStringUri('https://host/jira/rest/api/2/issue/ABC-1'), 'https://host/jira/rest/api/2/issue/ABC-1');
    assert.equal(baseStringUri('https://host/a%2Fb/./c'), 'https://host/a%2Fb/./c');
  });
  it('an empty path is /, and query, fragment and user info are removed', () => {
    assert.equal(baseStringUri('https://u:p@host?x=1#f'), 'https://host/');
  });
  it('IPv6 literals', () => {
    assert.equal(baseStringUri('http://[::1]:80/x'), 'http://[::1]/x');
    assert.equal(baseStringUri('http://[::1]:8080/x'), 'http://[::1]:8080/x');
  });
});

describe('core/oauth1 signature: Authorization header parsing', () => {
  it('parses quoted, percent-encoded values including realm', () => {
    assert.deepEqual(parseAuthorizationHeader('OAuth realm="Example", oauth_callback="http%3A%2F%2Fx%2Fcb", oauth_token=""'), [
      ['realm', 'Example'],
      ['oauth_callback', 'http://x/cb'],
      ['oauth_token', ''],
    ]);
    assert.deepEqual(parseAuthorizationHeader('Bearer abc'), []);
  });
  it('realm is excluded only when it comes from the header', () => {
    const p = collectParameters({ query: 'realm=q', authorization: [['realm', 'h'], ['oauth_nonce', 'n']] });
    assert.deepEqual(p, [
      ['realm', 'q'],
      ['oauth_nonce', 'n'],
    ]);
  });
});

/** The parameter string a request target yields (what the server will sign). */
function signedParams(base: string, path: string, query?: Record<string, string | number | Array<string | number>>): { url: string; params: string } {
  const t = buildRequestTarget(base, path, query);
  const q = t.url.indexOf('?');
  const fromWire = formDecode(q === -1 ? '' : t.url.slice(q + 1));
  // What we sign must be what the server decodes from the wire.
  assert.deepEqual(t.query, fromWire);
  return { url: t.url, params: normalizeParameters(fromWire) };
}

describe('core/oauth1 signature: awkward queries', () => {
  const base = 'https://jira.example.com/jira';

  it('spaces, quotes, = and & inside a query option value', () => {
    const r = signedParams(base, '/rest/api/2/search', { jql: 'summary ~ "a=b & c"' });
    assert.equal(r.url, `${base}/rest/api/2/search?jql=summary%20~%20%22a%3Db%20%26%20c%22`);
    assert.equal(r.params, 'jql=summary%20~%20%22a%3Db%20%26%20c%22');
  });

  it('+ in the path query string is a space; + in the query option is a literal plus sent as %2B', () => {
    const a = signedParams(base, '/rest/api/2/search?jql=a+b');
    assert.equal(a.url, `${base}/rest/api/2/search?jql=a+b`);
    assert.equal(a.params, 'jql=a%20b');
    const b = signedParams(base, '/rest/api/2/search', { jql: 'a+b' });
    assert.equal(b.url, `${base}/rest/api/2/search?jql=a%2Bb`);
    assert.equal(b.params, 'jql=a%2Bb');
  });

  it('% and unicode values', () => {
    const r = signedParams(base, '/x', { q: '100% 日本 😀' });
    assert.equal(r.url, `${base}/x?q=100%25%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80`);
    assert.equal(r.params, 'q=100%25%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80');
  });

  it('empty values and names without a value', () => {
    const r = signedParams(base, '/x?a&b=', { c: '' });
    assert.equal(r.url, `${base}/x?a&b=&c=`);
    assert.equal(r.params, 'a=&b=&c=');
  });

  it('repeated keys from the path query and query option arrays are combined, sorted by name then value', () => {
    const r = signedParams(base, '/x?fields=summary&expand=b', { fields: ['status', 'assignee'], expand: 'a', n: 3 });
    assert.equal(r.url, `${base}/x?fields=summary&expand=b&fields=status&fields=assignee&expand=a&n=3`);
    assert.equal(r.params, 'expand=a&expand=b&fields=assignee&fields=status&fields=summary&n=3');
  });

  it('a path with a pre-encoded query is sent as given and signed decoded', () => {
    const r = signedParams(base, '/rest/api/2/search?jql=project%20%3D%20%22AB%20C%22%20ORDER%20BY%20key&startAt=0');
    assert.equal(r.url, `${base}/rest/api/2/search?jql=project%20%3D%20%22AB%20C%22%20ORDER%20BY%20key&startAt=0`);
    assert.equal(r.params, 'jql=project%20%3D%20%22AB%20C%22%20ORDER%20BY%20key&startAt=0');
  });

  it('characters that may not appear raw on the wire are encoded without changing the meaning', () => {
    assert.equal(encodeLooseTarget('/x?jql=a b"[1]|{x}^`é#'), '/x?jql=a%20b%22%5B1%5D%7C%7Bx%7D%5E%60%C3%A9%23');
    assert.equal(encodeLooseTarget('/x?q=100%&r=%zz&s=%41'), '/x?q=100%25&r=%25zz&s=%41');
    const r = signedParams(base, '/x?jql=summary ~ "a b"');
    assert.equal(r.params, 'jql=summary%20~%20%22a%20b%22');
  });

  it('pre-encoded non-UTF-8 escapes are refused with a clear error', () => {
    assert.throws(() => buildRequestTarget(base, '/x?q=%E9'), (e: Error & { code?: string }) => e.code === 'invalid_request' && /%25/.test(e.message));
  });

  it('the full base string for an awkward request against an upper-case, default-port, context-path base URL', () => {
    const t = buildRequestTarget('https://jira.example.com/jira', 'rest/api/2/search?jql=a+b', { q: 'x+y' });
    const s = requestBaseString('GET', t.url.replace('https://jira.example.com', 'HTTPS://JIRA.Example.com:443'), [['oauth_nonce', 'n']]);
    assert.equal(s, 'GET&https%3A%2F%2Fjira.example.com%2Fjira%2Frest%2Fapi%2F2%2Fsearch&jql%3Da%2520b%26oauth_nonce%3Dn%26q%3Dx%252By');
  });

  it('absolute URLs under the base URL are accepted, others refused', () => {
    assert.equal(buildRequestTarget(base, `${base}/rest/api/2/issue/1`).url, `${base}/rest/api/2/issue/1`);
    assert.throws(() => buildRequestTarget(base, 'https://evil.example.com/jira/rest'), /not under the base URL/);
    assert.throws(() => buildRequestTarget(base, 'https://jira.example.com/jira2/rest'), /not under the base URL/);
  });
});

/**
 * requestBaseString (the signer's per-request path) takes pairs that are already in §3.6 form as
 * they are instead of decoding and re-encoding them. These tests hold it equal to the composition of
 * the section functions and to the emulator's independent implementation, on awkward and random
 * queries, form bodies and protocol parameters; malformed input must fail the same way.
 */
/** A base string, or the name of the error computing it threw. */
type Outcome = { base: string } | { error: string };

function outcome(f: () => string): Outcome {
  try {
    return { base: f() };
  } catch (e) {
    return { error: (e as Error).name };
  }
}

describe('core/oauth1 signature: requestBaseString equals the §3.4.1 composition', () => {
  const OAUTH: Array<[string, string]> = [
    ['oauth_consumer_key', 'ck'],
    ['oauth_nonce', '0123456789abcdef'],
    ['oauth_signature_method', 'RSA-SHA1'],
    ['oauth_timestamp', '1700000000'],
    ['oauth_token', 'to ken+/='],
    ['oauth_version', '1.0'],
  ];

  function reference(method: string, url: string, oauth: Array<[string, string]> | string, form?: string | Array<[string, string]>): Outcome {
    return outcome(() => {
      const q = url.indexOf('?');
      let query = q === -1 ? '' : url.slice(q + 1);
      if (query.includes('#')) query = query.slice(0, query.indexOf('#'));
      return signatureBaseString(method, baseStringUri(url), normalizeParameters(collectParameters({ query, authorization: oauth, formBody: form })));
    });
  }

  function emulator(method: string, url: string, oauth: Array<[string, string]>, form?: string): Outcome {
    return outcome(() => {
      const q = url.indexOf('?');
      const query = q === -1 ? '' : url.slice(q + 1).replace(/#.*$/, '');
      const src = emu.requestParameterSources({ query, contentType: form !== undefined ? 'application/x-www-form-urlencoded' : undefined, body: form });
      return emu.requestBaseString(method, url.replace(/#.*$/, ''), { ...src, header: oauth });
    });
  }

  function same(method: string, url: string, oauth: Array<[string, string]>, form?: string): void {
    const got = outcome(() => requestBaseString(method, url, oauth, form));
    assert.deepEqual(got, reference(method, url, oauth, form), `${method} ${url} form=${form}`);
    if ('base' in got) assert.deepEqual(got, emulator(method, url, oauth, form), `emulator: ${method} ${url} form=${form}`);
  }

  const AWKWARD = [
    'jql=assignee%20%3D%20currentUser%28%29%20ORDER%20BY%20updated%20DESC&startAt=50&maxResults=50&fields=summary%2Cstatus',
    'a=1+2&a=%2B&b',
    'jql=a%3Db=c&x=2&x=1',
    'q=%C3%A9t%C3%A9&r=%E2%82%AC',
    'q=%c3%a9',
    's=%41%7e%7E%5F%2D',
    'a&&b=&=v&c=%20',
    'sort=a&sort=A&sort=%61&Sort=b',
    'x=%2A%21%27%28%29&y=*!\'()',
    'oauth_signature=dropped&oauth_nonce=from-query&z=1',
    'realm=kept',
    'p=%25&p=%2525&p=100%25',
    'e=%E9',
    'e=%zz',
    'e=%',
    'e=%4',
    'e=%G1',
    'u=é&v=日本',
    'h=1#fragment&not=signed',
    'k=%3d%3D',
  ];

  it('on awkward queries, against the composition and the emulator (or the same error)', () => {
    for (const q of AWKWARD) {
      same('GET', `https://Jira.Example.com:443/jira/rest/api/2/search?${q}`, OAUTH);
      same('post', `http://h:8080/x?${q}`, OAUTH, q.replace(/#.*$/, ''));
    }
    same('GET', 'https://h/x', OAUTH);
    same('GET', 'https://h/x?', OAUTH);
    same('GET', 'https://h', OAUTH);
  });

  it('protocol parameters as an Authorization header, realm and oauth_signature left out', () => {
    const header = 'OAuth realm="r", oauth_consumer_key="c%20k", oauth_nonce="n", oauth_signature="s%3D", oauth_token="t"';
    const url = 'https://h/x?realm=q&b=2';
    assert.deepEqual(outcome(() => requestBaseString('GET', url, header)), reference('GET', url, header));
    assert.ok(requestBaseString('GET', url, header).includes('realm%3Dq'));
    assert.ok(!requestBaseString('GET', url, header).includes('oauth_signature'));
  });

  it('form bodies given as decoded pairs', () => {
    const form: Array<[string, string]> = [['b o', 'd+y'], ['a', '='], ['oauth_signature', 'x']];
    const url = 'https://h/x?a=%3D&c';
    assert.deepEqual(outcome(() => requestBaseString('POST', url, OAUTH, form)), reference('POST', url, OAUTH, form));
  });

  it('on 3000 random queries built from awkward pieces', () => {
    const pieces = ['a', 'Z9', '-._~', '%20', '+', '%2B', '=', '&', '%3D', '%26', '%41', '%7e', '%7E', '%c3%a9', '%C3%A9', '%E9', '%zz', '%', '%2', 'é', '😀', '*', '!', "'", '(', ')', '%2A', '%21', 'oauth_signature', 'oauth_nonce', 'realm', '#', '%25', '%00', '%7F', '%80', ' '];
    // A small deterministic generator, so that a failure can be reproduced.
    let seed = 20261123;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      let q = '';
      for (let k = rnd(12); k >= 0; k--) q += pieces[rnd(pieces.length)];
      const url = `https://h/p?${q}`;
      const got = outcome(() => requestBaseString('GET', url, OAUTH));
      assert.deepEqual(got, reference('GET', url, OAUTH), url);
      if ('error' in got) errors++;
    }
    // Both kinds of input were exercised: most queries sign, some are malformed.
    assert.ok(errors > 100 && errors < 2900, `malformed: ${errors} of 3000`);
  });
});

/**
 * baseStringWithProtocolRun (the signer's fast path) must give exactly the general path's base
 * string or decline (undefined); it must take what the client sends, and decline every query that
 * needs decoding, holds a raw "=" in a value or a name among the protocol parameters'.
 */
describe('core/oauth1 signature: the fast path equals the general path or declines', () => {
  type Pairs = Array<[string, string]>;
  const ACCESS: Pairs = [['oauth_consumer_key', 'c k'], ['oauth_nonce', '0123abcd'], ['oauth_signature_method', 'RSA-SHA1'], ['oauth_timestamp', '1700000000'], ['oauth_token', 'to ken+/='], ['oauth_version', '1.0']];
  const REQUEST: Pairs = [['oauth_callback', 'oob'], ['oauth_consumer_key', 'ck'], ['oauth_nonce', 'n'], ['oauth_signature_method', 'RSA-SHA1'], ['oauth_timestamp', '1']];
  const VERIFIER: Pairs = [['oauth_consumer_key', 'ck'], ['oauth_nonce', 'n'], ['oauth_signature_method', 'RSA-SHA1'], ['oauth_timestamp', '1'], ['oauth_token', 'req'], ['oauth_verifier', 'v&1'], ['oauth_version', '1.0']];

  /** The run as the signer prepares it: pairs §3.6-encoded, sorted by name, `name=value` encoded again, joined by %26. */
  function fast(method: string, url: string, oauth: Pairs): string | undefined {
    const enc = oauth.map(([n, v]) => [percentEncode(n), percentEncode(v)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const run = enc.map(([n, v]) => encodeURIComponent(`${n}=${v}`)).join('%26');
    return baseStringWithProtocolRun(percentEncode(method.toUpperCase()), percentEncode(baseStringUri(url)), url, enc[0][0], enc[enc.length - 1][0], run);
  }

  const general = (method: string, url: string, oauth: Pairs): Outcome => outcome(() => requestBaseString(method, url, oauth));

  const TAKEN = [
    'https://jira.example.com/rest/api/2/search?jql=assignee%20%3D%20currentUser%28%29%20ORDER%20BY%20updated%20DESC&startAt=50&maxResults=50&fields=summary%2Cstatus',
    'https://Jira.Example.com:443/jira/rest/api/2/issue/ABC-1?expand=renderedFields%2Cnames',
    'https://h/x',
    'https://h/x?',
    'https://h/x?a&&b=&=v&c=%20',
    'https://h/x?x=2&x=1&x=10&X=0',
    'https://h/x?p=%25&p=%2525&p=100%25&p=~',
    'https://h/x?oauth=1&oauth_zzz=2&OAUTH_TOKEN=3&oauth_a=4',
    'https://h/x?b=1#fragment&oauth_token=not-signed',
  ];
  const DECLINED = [
    'https://h/x?oauth_signature=dropped',
    'https://h/x?oauth_nonce=from-query',
    'https://h/x?oauth_token=x',
    'https://h/x?jql=a%3Db=c',
    'https://h/x?a=1+2',
    'https://h/x?q=%c3%a9',
    // Non-ASCII text (valid UTF-8 or not) is left to the general path, which checks the UTF-8.
    'https://h/x?q=%C3%A9',
    'https://h/x?q=%E9',
    'https://h/x?s=%41',
    'https://h/x?u=é',
    'https://h/x?x=*',
    'https://h/x?expand=renderedFields,names',
    'https://h/x?e=%zz',
    'https://h/x?e=%4',
  ];

  it('takes what the client sends and gives the general path\'s base string', () => {
    for (const oauth of [ACCESS, REQUEST, VERIFIER]) {
      for (const url of TAKEN) {
        const got = fast('get', url, oauth);
        assert.notEqual(got, undefined, `declined ${url}`);
        assert.deepEqual({ base: got }, general('get', url, oauth), url);
      }
    }
    // The search the issue views send, as buildRequestTarget writes it.
    const { url } = buildRequestTarget('https://jira.example.com/jira', '/rest/api/2/search', { jql: 'project = "A B" AND text ~ "x+y*"', startAt: 0, fields: 'summary,status' });
    assert.deepEqual({ base: fast('GET', url, ACCESS) }, general('GET', url, ACCESS));
  });

  it('declines what needs decoding, a raw "=" in a value and the protocol parameters\' names', () => {
    // oauth_verifier sorts after oauth_token: with VERIFIER the run ends later, not earlier.
    for (const oauth of [ACCESS, VERIFIER]) {
      for (const url of DECLINED) assert.equal(fast('GET', url, oauth), undefined, url);
    }
    // With REQUEST the run ends at oauth_timestamp: a query oauth_token sorts after it and is taken.
    assert.deepEqual({ base: fast('GET', 'https://h/x?oauth_token=x', REQUEST) }, general('GET', 'https://h/x?oauth_token=x', REQUEST));
  });

  it('on 3000 random queries built from awkward pieces: the same base string or declined, never a different one', () => {
    const pieces = ['a', 'Z9', '-._~', '%20', '+', '%2B', '=', '&', '%3D', '%26', '%41', '%7e', '%7E', '%c3%a9', '%C3%A9', '%E9', '%zz', '%', '%2', 'é', '*', '%2A', 'oauth_signature', 'oauth_nonce', 'oauth_', 'realm', '#', '%25', '%00', '%7F', '%80', 'x'];
    // A small deterministic generator (its high bits: the low bits of this one repeat quickly).
    let seed = 5849;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 12) % n;
    };
    let taken = 0;
    let declined = 0;
    for (let i = 0; i < 3000; i++) {
      let q = '';
      for (let k = rnd(10); k >= 0; k--) q += pieces[rnd(pieces.length)];
      const url = `https://h/p?${q}`;
      const got = fast('GET', url, ACCESS);
      const want = general('GET', url, ACCESS);
      if (got === undefined) {
        declined++;
      } else {
        taken++;
        assert.deepEqual({ base: got }, want, url);
      }
    }
    // Both branches were exercised.
    assert.ok(taken > 300 && declined > 300, `taken ${taken}, declined ${declined}`);
  });
});
