// Every error core can raise, shown in the Chinese UI: core keeps a template and arguments
// (JiraError.text, KeyError.text) and the adapter translates them with the l10n bundles. This
// walks every JiraErrorCode and KeyErrorCode (read from their types, so a new code without a case
// here fails) through the functions that build them, and fails when a template has no zh-cn entry
// or English is left in what the user reads.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair, JiraError, KeyError, loadPrivateKey, normalizeBaseUrl, parseVerifier } from '../../src/core';
import { ErrorContext, errorFromHangUpAfterHandshake, errorFromNetwork, errorFromResponse, htmlError, NETWORK_CODES, TLS_CODES } from '../../src/core/errors';
import { msg } from '../../src/core/messages';
import { OAUTH_PROBLEMS } from '../../src/core/oauthProblems';
import { errorFromProxy, ProxyFailure } from '../../src/core/net/connect';
import { parseProxyUrl } from '../../src/core/net/proxy';
import { checkClientCertificate, pemCertificates } from '../../src/core/net/tls';
import { oauth2Error } from '../../src/core/oauth2/tokens';
import { errorSummary } from '../../src/core/search';
import { errorMessage, format, localize, setTranslator } from '../../src/l10n';
import { explainSiteError } from '../../src/signin/site';

const ROOT = resolve(__dirname, '..', '..', '..');
const zh = JSON.parse(readFileSync(join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

/** The members of a string-literal union type in a core source file. */
function codesOf(file: string, type: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const body = new RegExp(`export type ${type} =([\\s\\S]*?);`).exec(text)![1];
  return [...body.matchAll(/\|\s*'([a-z0-9_]+)'/g)].map((m) => m[1]);
}

const BASE = 'https://jira.example.com';
const URL_ = `${BASE}/rest/api/2/myself`;
const ctx = (extra: Partial<ErrorContext> = {}): ErrorContext => ({ method: 'GET', url: URL_, baseUrl: BASE, ...extra });
const res = (status: number, headers: Record<string, string> = {}, body = '') => ({ status, headers, body: Buffer.from(body) });
const netErr = (code?: string) => Object.assign(new Error('socket hang up'), code ? { code } : {});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

/** Every code of core's oauth_problem table, and one it does not know. */
const OAUTH_PROBLEM_CODES = [...Object.keys(OAUTH_PROBLEMS), 'something_new'];
const OAUTH2_ERRORS = [
  'invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_scope', 'unsupported_grant_type', 'access_denied', 'invalid_request',
  'server_error', 'temporarily_unavailable', 'state_mismatch', 'missing_code', 'no_refresh_token', 'not_signed_in', 'store_failed', 'something_new',
];

/** One error (or more) of every kind core builds. */
async function everyCoreError(): Promise<Array<JiraError | KeyError>> {
  const out: Array<JiraError | KeyError> = [];
  // HTTP statuses, with and without the extras that change the sentence.
  for (const authType of ['pat', 'basic', 'oauth2', 'oauth1', 'none'] as const) out.push(errorFromResponse(res(401), ctx({ authType })));
  out.push(
    errorFromResponse(res(302, { location: `${BASE}/login.jsp?os_destination=x` }), ctx()),
    errorFromResponse(res(301, { location: 'https://jira.example.com/x' }), ctx({ url: 'http://jira.example.com/x' })),
    errorFromResponse(res(307, { location: `${BASE}/elsewhere` }), ctx()),
    errorFromResponse(res(303), ctx()),
    errorFromResponse(res(401, { 'x-authentication-denied-reason': 'CAPTCHA_CHALLENGE; login-url=x' }), ctx()),
    errorFromResponse(res(403, { 'x-authentication-denied-reason': 'CAPTCHA_CHALLENGE' }), ctx()),
    errorFromResponse(res(403), ctx()),
    errorFromResponse(res(404, { 'content-type': 'text/html' }, '<html><title>Page</title></html>'), ctx()),
    errorFromResponse(res(404, { 'content-type': 'text/html' }, '<html><body>x</body></html>'), ctx()),
    errorFromResponse(res(410), ctx()),
    errorFromResponse(res(429, { 'retry-after': '30' }), ctx()),
    errorFromResponse(res(429), ctx()),
    errorFromResponse(res(500), ctx()),
    errorFromResponse(res(503), ctx()),
    errorFromResponse(res(400, { 'content-type': 'text/plain' }, 'x=1'), ctx()),
    errorFromResponse(res(418), ctx()),
    htmlError(res(200), '<html><title>SSO</title></html>', ctx()),
    htmlError(res(200), '<html></html>', ctx()),
    htmlError(res(200), '<html><title>SSO</title></html>', ctx({ phase: 'request-token' })),
    htmlError(res(200), '<html></html>', ctx({ phase: 'access-token' })),
  );
  // Every oauth_problem, with the details that add sentences.
  for (const p of OAUTH_PROBLEM_CODES) {
    const body = `oauth_problem=${p}&oauth_parameters_absent=oauth_nonce&oauth_parameters_rejected=oauth_x&oauth_acceptable_timestamps=1-2` +
      `&oauth_signature_base_string=POST%26https%253A%252F%252Fother.example.com%26x`;
    out.push(errorFromResponse(res(401, {}, body), ctx({ consumerKey: 'vscode', clockOffsetSeconds: 90 })));
    out.push(errorFromResponse(res(401, {}, `oauth_problem=${p}`), ctx()));
  }
  // Every network and TLS code, an unknown one, none, and the hang-up after a handshake.
  for (const code of [...NETWORK_CODES, ...TLS_CODES, 'ERR_SSL_SOMETHING_NEW']) out.push(errorFromNetwork(netErr(code), ctx()));
  out.push(errorFromHangUpAfterHandshake(netErr('ECONNRESET'), ctx()));
  // Proxies.
  const proxy = parseProxyUrl('http://proxy.example.com:3128', msg('the proxy setting (http.proxy or jira.network.proxy)'));
  const authed = parseProxyUrl('http://u:p@proxy.example.com:3128', msg('the {0} environment variable', 'HTTPS_PROXY'));
  const fail = (p = proxy, code?: string, proxyStatus?: number) => Object.assign(new Error('x'), { proxy: p, code, proxyStatus }) as ProxyFailure;
  out.push(
    errorFromProxy(fail(proxy, undefined, 407), { method: 'GET', url: URL_ }),
    errorFromProxy(fail(authed, undefined, 407), { method: 'GET', url: URL_ }),
    errorFromProxy(fail(proxy, undefined, 403), { method: 'GET', url: URL_ }),
    errorFromProxy(fail(proxy, 'ECONNREFUSED'), { method: 'GET', url: URL_ }),
    errorFromProxy(fail(authed, 'ENOTFOUND'), { method: 'GET', url: URL_ }),
    errorFromProxy(fail(proxy, 'ERR_TLS_CERT_ALTNAME_INVALID'), { method: 'GET', url: URL_ }),
    caught(() => parseProxyUrl('http://[bad', msg('the proxy setting (http.proxy or jira.network.proxy)'))) as JiraError,
    caught(() => parseProxyUrl('socks5://p:1', msg('the {0} environment variable', 'HTTP_PROXY'))) as JiraError,
    caught(() => pemCertificates('nothing', '/etc/ca.pem')) as JiraError,
    caught(() => checkClientCertificate({ cert: 'x' })) as JiraError,
    caught(() => checkClientCertificate({ cert: 'x', key: 'y', source: 'https://jira.example.com' })) as JiraError,
  );
  // OAuth 2.0, in every phase.
  for (const e of OAUTH2_ERRORS) for (const phase of ['exchange', 'refresh', 'redirect'] as const) out.push(oauth2Error(e, undefined, phase));
  out.push(oauth2Error('invalid_client', msg('Jira Cloud (3LO) requires the client secret: copy it from the app\'s Settings in the Atlassian developer console.'), 'exchange'));
  // Base URLs, verification codes, keys.
  for (const bad of ['', 'jira.example.com', 'ftp://x', 'https://', 'https://a b', 'https://u:p@x', 'https://x/?a', 'https://x/#a']) {
    out.push(caught(() => normalizeBaseUrl(bad)) as JiraError);
  }
  out.push(caught(() => parseVerifier('  ')) as JiraError, caught(() => parseVerifier('two words')) as JiraError);
  out.push(await generateKeyPair({ modulusLength: 1000 }).then(() => assert.fail('no error'), (e: KeyError) => e));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const keyPems = [
    '',
    '-----BEGIN PRIVATE KEY-----\nAAAA',
    'PuTTY-User-Key-File-2: ssh-rsa',
    'hello',
    rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----',
    '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----',
    '-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
    rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  ];
  for (const pem of keyPems) out.push(caught(() => loadPrivateKey(pem)) as KeyError);
  const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }).toString();
  out.push(caught(() => loadPrivateKey(encrypted, { passphrase: 'wrong' })) as KeyError);
  return out;
}

/** Five or more English words in a row (outside `commands`): a sentence left untranslated. */
const ENGLISH = /[A-Za-z]+(?:[ ,;'-]+[A-Za-z]+){4,}/;

describe('core errors in the Chinese UI', () => {
  let errors: Array<JiraError | KeyError>;
  let missing: Set<string>;

  before(async () => {
    errors = await everyCoreError();
    missing = new Set();
    setTranslator((message, ...args) => {
      if (!(message in zh)) missing.add(message);
      return format(zh[message] ?? message, args);
    });
  });
  after(() => setTranslator((message, ...args) => format(message, args)));

  it('walks every JiraErrorCode and KeyErrorCode', () => {
    const seen = new Set<string>(errors.map((e) => e.code));
    // 'aborted', 'invalid_request', 'bad_json', 'bad_response', 'response_too_large' and 'timeout'
    // come from requests (test/unit/core); their templates are checked by the bundle test.
    const fromRequests = new Set(['aborted', 'invalid_request', 'bad_json', 'bad_response', 'response_too_large', 'timeout', 'html_instead_of_json']);
    const codes = [...codesOf('src/core/errors.ts', 'JiraErrorCode'), ...codesOf('src/core/keys.ts', 'KeyErrorCode')];
    assert.ok(codes.length > 30, `only ${codes.length} codes read from the types`);
    assert.deepEqual(codes.filter((c) => !seen.has(c) && !fromRequests.has(c)), []);
    assert.ok(errors.every((e) => e instanceof JiraError || e instanceof KeyError), 'every case ends in a core error');
  });

  it('translates every template of every error and leaves no English sentence', () => {
    const english: string[] = [];
    for (const e of errors) {
      const text = errorMessage(e);
      assert.notEqual(text, e.message, `not translated: ${e.message}`);
      if (ENGLISH.test(text.replace(/`[^`]*`/g, ''))) english.push(`${e.code}: ${text}`);
    }
    assert.deepEqual([...missing], [], 'templates without a zh-cn entry');
    assert.deepEqual(english, []);
  });

  it('says the sign-in errors of the issue in Chinese: a network failure, not Jira, a refused token, an oauth_problem', () => {
    const refused = explainSiteError(errorFromNetwork(netErr('ECONNREFUSED'), ctx({ url: 'http://127.0.0.1:9/rest/api/2/serverInfo' })), 'http://127.0.0.1:9');
    assert.equal(refused, '无法访问 127.0.0.1:9：连接被拒绝：该主机和端口上没有服务在监听（请检查基础 URL 和端口，以及 Jira 是否正在运行）。');
    const notJira = explainSiteError(errorFromResponse(res(404), ctx({ url: `${BASE}/rest/api/2/serverInfo` })), BASE);
    assert.match(notJira, /^https:\/\/jira\.example\.com 看起来不是 Jira：未找到：GET https:\/\/jira\.example\.com\/rest\/api\/2\/serverInfo（HTTP 404）。/);
    const pat = errorMessage(errorFromResponse(res(401), ctx({ authType: 'pat' })));
    assert.equal(pat, 'Jira 不接受 GET https://jira.example.com/rest/api/2/myself 的凭据（HTTP 401）。请检查个人访问令牌是否正确、未过期且未被撤销（个人资料 > 个人访问令牌）。');
    const problem = errorMessage(errorFromResponse(res(401, {}, 'oauth_problem=consumer_key_unknown'), ctx({ consumerKey: 'vscode' })));
    assert.match(problem, /^Jira 中没有消费者密钥为 "vscode" 的应用程序链接。/);
  });

  it('shows tree and detail error rows in Chinese, keeping what Jira itself said', () => {
    assert.match(errorSummary(errorFromNetwork(netErr('ENOTFOUND'), ctx()), localize), /^无法访问 jira\.example\.com：无法解析主机名/);
    const jql = errorFromResponse(res(400, { 'content-type': 'application/json' }, '{"errorMessages":["Field \'x\' does not exist."]}'), ctx());
    assert.equal(errorSummary(jql, localize), "Field 'x' does not exist.");
    assert.equal(errorSummary({}, localize), '请求失败');
  });

  it('keeps the English message for logs and scripts, and redacts arguments in every language', () => {
    const e = errorFromResponse(res(401, {}, 'oauth_problem=consumer_key_unknown'), ctx({ consumerKey: 'vscode' }));
    assert.match(e.message, /^Jira has no application link with consumer key "vscode"\./);
    const secret = new JiraError('network', msg('Could not reach {0}: {1}.', 'jira.example.com', 'Authorization: Bearer SECRETVALUE123'));
    assert.doesNotMatch(secret.message, /SECRETVALUE123/);
    assert.doesNotMatch(errorMessage(secret), /SECRETVALUE123/);
    assert.match(errorMessage(secret), /^无法访问 jira\.example\.com：/);
  });
});
