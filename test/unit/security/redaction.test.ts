// Issue 8: "Logs redact Authorization headers, oauth_signature, tokens, verifiers, codes, client
// secrets and PEM blocks; a test feeds each through the logger and checks." Every case goes
// through the REAL logger (src/log.ts, with a fake output channel: message, warning and error with
// a JiraError) and through JiraError's message and details, and checks that no secret survives
// while the parts needed to diagnose (host, path, oauth_problem, user name) do.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { JiraError, msg } from '../../../src/core';
import { createLogger, describeError } from '../../../src/log';
import { FakeChannel } from '../support/fakes';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PKCS8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PKCS1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const ENCRYPTED = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass-phrase-1' }).toString();
/** The first body line of a PEM block: what must not survive. */
const body = (pem: string) => pem.split('\n')[1];
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTk5OTk5OTk5OX0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';

interface Case {
  name: string;
  text: string;
  secrets: string[];
  /** Useful parts that must still be there. */
  keep: string[];
}

const CASES: Case[] = [
  { name: 'Authorization: Bearer (OAuth 2.0 access token, PAT)', text: 'GET https://jira.example.com/rest/api/2/myself Authorization: Bearer at-9f8e7d6c5b4a', secrets: ['at-9f8e7d6c5b4a'], keep: ['jira.example.com', '/rest/api/2/myself'] },
  { name: 'Authorization: Basic', text: 'user alice, Authorization: Basic YWxpY2U6czNjcjN0LXBhc3M=', secrets: ['YWxpY2U6czNjcjN0LXBhc3M='], keep: ['alice'] },
  {
    name: 'Authorization: OAuth header (token, signature)',
    text: 'Authorization: OAuth realm="https://jira.example.com/jira", oauth_consumer_key="vscode-jira", oauth_token="AT-tok-123456", oauth_signature_method="RSA-SHA1", oauth_signature="c2lnLXZhbHVlLTEyMw%3D%3D"',
    secrets: ['AT-tok-123456', 'c2lnLXZhbHVlLTEyMw'],
    keep: ['Authorization: OAuth'],
  },
  { name: 'headers object as JSON', text: JSON.stringify({ headers: { authorization: 'Bearer hdr-secret-7788', accept: 'application/json' } }), secrets: ['hdr-secret-7788'], keep: ['application/json'] },
  { name: 'Proxy-Authorization', text: 'Proxy-Authorization: Basic cHJveHk6cHJveHktcHc=', secrets: ['cHJveHk6cHJveHktcHc='], keep: ['Proxy-Authorization'] },
  { name: 'bare Bearer credential in prose', text: 'retrying with Bearer Zm9vYmFyYmF6MTIz after 401', secrets: ['Zm9vYmFyYmF6MTIz'], keep: ['after 401'] },
  {
    name: 'Jira prose about Basic authentication is kept, a Basic credential next to it is not',
    text: 'Jira says: Basic Authentication has been disabled on this instance (basic authentication, Bearer tokens). Sent Basic YWRtaW46YWRtaW4=',
    secrets: ['YWRtaW46YWRtaW4='],
    keep: ['Basic Authentication has been disabled', 'basic authentication, Bearer tokens'],
  },
  {
    name: 'oauth_signature, oauth_token, oauth_verifier in a query',
    text: 'POST https://jira.example.com/plugins/servlet/oauth/access-token?oauth_token=rt-abc123&oauth_verifier=Vx9Q2z&oauth_signature=AbCd%2BEf%3D&oauth_consumer_key=vscode-jira',
    secrets: ['rt-abc123', 'Vx9Q2z', 'AbCd%2BEf'],
    keep: ['jira.example.com', '/plugins/servlet/oauth/access-token', 'oauth_consumer_key=vscode-jira'],
  },
  {
    name: 'token endpoint form response (oauth_token_secret, session handle)',
    text: 'oauth_token=at-5566&oauth_token_secret=ts-7788&oauth_expires_in=157680000&oauth_session_handle=sh-9900',
    secrets: ['at-5566', 'ts-7788', 'sh-9900'],
    keep: ['oauth_expires_in=157680000'],
  },
  {
    name: 'signature base string (percent-encoded twice)',
    text: 'base string: POST&https%3A%2F%2Fjira.example.com%2Fjira%2Fplugins%2Fservlet%2Foauth%2Faccess-token&oauth_token%3Drt-b64tok%26oauth_verifier%3Dver-9988%26oauth_version%3D1.0',
    secrets: ['rt-b64tok', 'ver-9988'],
    keep: ['jira.example.com', 'oauth_version%3D1.0'],
  },
  { name: 'oauth_problem with the token Jira echoes', text: 'HTTP 401 oauth_problem=token_rejected&oauth_token=revoked-tok-42', secrets: ['revoked-tok-42'], keep: ['oauth_problem=token_rejected'] },
  {
    name: 'OAuth 2.0 token response (access, refresh, id token)',
    text: '{"access_token":"o2-access-1122","refresh_token":"o2-refresh-3344","id_token":"o2-id-5566","token_type":"Bearer","expires_in":3600}',
    secrets: ['o2-access-1122', 'o2-refresh-3344', 'o2-id-5566'],
    keep: ['"expires_in":3600'],
  },
  { name: 'JWT-looking token anywhere', text: `cloud token ${JWT} for site 1234`, secrets: [JWT.split('.')[1], JWT.split('.')[2]], keep: ['for site 1234'] },
  { name: 'Atlassian API token', text: 'api token ATATT3xFfGF0T2hpcyBpcyBhIHRlc3QgdG9rZW4gdmFsdWU=5A2B3C4D in use', secrets: ['ATATT3xFfGF0T2hpcyBpcyBhIHRlc3QgdG9rZW4gdmFsdWU'], keep: ['in use'] },
  {
    name: 'OAuth 2.0 authorization code and PKCE verifier',
    text: 'callback http://127.0.0.1:53211/callback?code=authz-code-7766&state=st-1 then POST /oauth/token grant_type=authorization_code&code=authz-code-7766&code_verifier=pkce-verifier-5544&redirect_uri=http%3A%2F%2F127.0.0.1',
    secrets: ['authz-code-7766', 'pkce-verifier-5544'],
    keep: ['127.0.0.1:53211/callback', 'grant_type=authorization_code'],
  },
  { name: 'client secret (form and JSON)', text: 'client_id=cid-1&client_secret=cs-secret-9911 {"clientSecret":"cs-secret-2233"}', secrets: ['cs-secret-9911', 'cs-secret-2233'], keep: ['client_id=cid-1'] },
  { name: 'password (form and JSON)', text: 'os_username=alice&password=pw-Secret!42 {"password": "pw-json-77"}', secrets: ['pw-Secret!42', 'pw-json-77'], keep: ['os_username=alice'] },
  { name: 'passphrase', text: '{"passphrase":"cert-pass-8080"} passphrase=cert-pass-9090', secrets: ['cert-pass-8080', 'cert-pass-9090'], keep: [] },
  { name: 'PAT in a JSON field', text: '{"type":"pat","token":"pat-NjQ2MzY5ODc1"}', secrets: ['pat-NjQ2MzY5ODc1'], keep: ['"type":"pat"'] },
  {
    name: 'proxy credentials in URLs',
    text: 'proxy http://proxyuser:pr0xy-pa55@proxy.corp.example:3128 and HTTPS_PROXY=https://u2:p%40ss-w0rd@10.0.0.1:8443/',
    secrets: ['pr0xy-pa55', 'p%40ss-w0rd'],
    keep: ['proxyuser', 'proxy.corp.example:3128', '10.0.0.1:8443'],
  },
  { name: 'PEM private key (PKCS#8)', text: `key:\n${PKCS8}done`, secrets: [body(PKCS8)], keep: ['done'] },
  { name: 'PEM RSA private key (PKCS#1)', text: `key:\n${PKCS1}`, secrets: [body(PKCS1)], keep: ['key:'] },
  { name: 'PEM encrypted private key', text: ENCRYPTED, secrets: [body(ENCRYPTED)], keep: [] },
  { name: 'PEM key in JSON (escaped newlines)', text: JSON.stringify({ privateKeyPem: PKCS8 }), secrets: [body(PKCS8)], keep: [] },
  { name: 'truncated PEM paste', text: `-----BEGIN PRIVATE KEY-----\n${body(PKCS8)}\n${PKCS8.split('\n')[2]}`, secrets: [body(PKCS8), PKCS8.split('\n')[2]], keep: [] },
  {
    name: 'client certificate bundle (certificate and its private key)',
    text: `-----BEGIN CERTIFICATE-----\nMIIC+zCCAeOgAwIBAgIUcertbody\n-----END CERTIFICATE-----\n${PKCS8}`,
    secrets: [body(PKCS8)],
    keep: [],
  },
];

describe('security: redaction of every kind of secret (real logger, JiraError)', () => {
  for (const c of CASES) {
    it(`${c.name}`, () => {
      const channel = new FakeChannel();
      const log = createLogger(channel);
      log.info(c.text);
      log.warn(`warning: ${c.text}`);
      const err = new JiraError('unauthorized', msg('Jira did not accept {0}', c.text), { url: `https://jira.example.com/rest/api/2/myself?x=${encodeURIComponent(c.text)}`, method: 'GET' });
      log.error('request failed:', err);
      log.error('plain error:', new Error(c.text));
      log.error('cause:', new JiraError('network', msg('Could not reach jira.example.com'), { cause: new Error(c.text) }));
      const outputs = {
        log: channel.text(),
        'JiraError.message': err.message,
        'JiraError.url': err.url ?? '',
        describeError: describeError(err),
      };
      for (const [where, out] of Object.entries(outputs)) {
        for (const s of c.secrets) assert.ok(!out.includes(s), `${where} still contains "${s}":\n${out}`);
        assert.ok(!/[A-Za-z0-9+/]{40,}/.test(out.replace(/https?:\/\/\S+/g, '')), `${where} keeps a long base64 run:\n${out}`);
      }
      for (const k of c.keep) {
        assert.ok(channel.text().includes(k), `the log lost "${k}":\n${channel.text()}`);
        assert.ok(err.message.includes(k), `the error message lost "${k}":\n${err.message}`);
      }
      assert.match(channel.text(), /\[REDACTED/);
    });
  }

  it('keeps what diagnoses a failure: host, path, status, oauth_problem, advice, consumer key', () => {
    const channel = new FakeChannel();
    const text = 'POST https://jira.example.com:8443/jira/plugins/servlet/oauth/request-token -> HTTP 401 oauth_problem=signature_invalid&oauth_problem_advice=check%20the%20key&oauth_consumer_key=vscode-jira-alice';
    createLogger(channel).info(text);
    assert.equal(channel.text(), `info ${text}`);
  });
});
