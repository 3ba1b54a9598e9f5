// Every secret the extension holds, in every form it can take in a log line or an error message
// (header, query, form, JSON, JSON inside a JSON string, YAML-like `name: value`, prose), with random
// values and random surroundings: the real logger must never show the value (nor its percent- or
// JSON-encoded form).
import * as assert from 'node:assert/strict';
import { JiraError, msg } from '../../../src/core';
import { createLogger } from '../../../src/log';
import { FakeChannel } from '../support/fakes';
import { seeded } from '../views/html5';

/** Where a secret lives in the extension, by the names it goes by on the wire and in code. */
const NAMED = [
  'access_token', 'refresh_token', 'id_token', 'client_secret', 'code_verifier', 'oauth_token', 'oauth_token_secret', 'oauth_verifier',
  'oauth_session_handle', 'oauth_signature', 'password', 'os_password', 'passphrase', 'personal_access_token', 'api_token', 'token', 'secret',
  'accessToken', 'refreshToken', 'clientSecret', 'tokenSecret', 'codeVerifier', 'apiToken', 'personalAccessToken', 'privateKey',
];
/** Names whose values are typed by a person and may contain spaces. */
const SPOKEN = new Set(['password', 'os_password', 'passphrase']);
const WORDS = ['correct', 'horse', 'battery', 'staple', 'Tr0ub4dor', '&3', 'hunter2!', 'x=y', 'zeta', 'Ω-pass'];

function token(rnd: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/';
  let s = String(Math.floor(rnd() * 10)); // a digit: a credential, not a word
  for (let n = 12 + Math.floor(rnd() * 30); n > 0; n--) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

function spoken(rnd: () => number): string {
  const words: string[] = [];
  for (let n = 2 + Math.floor(rnd() * 3); n > 0; n--) words.push(WORDS[Math.floor(rnd() * WORDS.length)]);
  return words.join(' ') + String(Math.floor(rnd() * 1000));
}

/** The forms a named secret takes. */
function forms(name: string, v: string): Record<string, string> {
  const json = JSON.stringify({ [name]: v, other: 'kept' });
  return {
    query: `GET https://jira.example.com/rest/api/2/x?a=1&${name}=${encodeURIComponent(v)}&b=2`,
    form: `${name}=${encodeURIComponent(v).replace(/%20/g, '+')}&grant_type=refresh_token`,
    json,
    'nested JSON': JSON.stringify({ body: json }),
    'nested twice': JSON.stringify({ outer: JSON.stringify({ body: json }) }),
    'name: value': `${name}: ${v}`,
    'name = value': `${name} = ${v}`,
    'single quotes': `{'${name}': '${v.replace(/'/g, "\\'")}'}`,
    'error text': `Error: the token endpoint refused ${name}="${v}" (HTTP 400)`,
  };
}

/** The forms of a credential sent in an Authorization header (PAT, OAuth 2.0 token, Basic). */
function headerForms(v: string): Record<string, string> {
  const basic = Buffer.from(`alice@example.com:${v}`).toString('base64');
  return {
    'Authorization: Bearer': `Authorization: Bearer ${v}`,
    'authorization: bearer': `authorization: bearer ${v}`,
    'bare bearer': `retrying with bearer ${v} after 401`,
    'bare Bearer': `retrying with Bearer ${v} after 401`,
    'Authorization: Basic': `Authorization: Basic ${basic}`,
    'bare basic': `sent basic ${basic}`,
    'header JSON': JSON.stringify({ headers: { Authorization: `Bearer ${v}` } }),
    'header nested JSON': JSON.stringify({ request: JSON.stringify({ headers: { authorization: `bearer ${v}` } }) }),
  };
}

function logged(text: string): string {
  const channel = new FakeChannel();
  const log = createLogger(channel);
  log.info(text);
  log.error('failed:', new JiraError('unauthorized', msg('Jira did not accept {0}', text)));
  return channel.text();
}

/** What must not show: the value, and its encoded forms. */
function shows(out: string, v: string): string | undefined {
  const encodings = [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1), Buffer.from(`alice@example.com:${v}`).toString('base64')];
  for (const word of v.split(' ')) if (word.length >= 8) encodings.push(word);
  return encodings.find((e) => e.length >= 6 && out.includes(e));
}

describe('security: no secret in any form reaches the log (property test)', () => {
  it('named secrets: query, form, JSON, nested JSON, name: value, error text', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = seeded(seed);
      for (const name of NAMED) {
        const v = SPOKEN.has(name) && rnd() < 0.6 ? spoken(rnd) : token(rnd);
        for (const [form, text] of Object.entries(forms(name, v))) {
          const out = logged(text);
          const leaked = shows(out, v);
          if (leaked) failures.push(`${name} as ${form}: "${leaked}" in ${out.split('\n')[0]}`);
        }
      }
    }
    assert.deepEqual([...new Set(failures.map((f) => f.replace(/: ".*/s, '')))], [], failures.slice(0, 8).join('\n'));
  });

  it('credentials in Authorization headers, any case, bare or inside JSON', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const v = token(seeded(seed));
      for (const [form, text] of Object.entries(headerForms(v))) {
        const leaked = shows(logged(text), v);
        if (leaked) failures.push(`${form}: "${leaked}"`);
      }
    }
    assert.deepEqual([...new Set(failures.map((f) => f.replace(/: ".*/s, '')))], [], failures.slice(0, 8).join('\n'));
  });

  it('what diagnoses a failure stays: names, hosts, other fields', () => {
    const out = logged(forms('refresh_token', 'rt-0123456789abc').json + ' ' + forms('password', 'correct horse 42')['name: value']);
    assert.match(out, /"other":"kept"/);
    assert.match(out, /refresh_token/);
    assert.match(out, /password: \[REDACTED\]/);
    assert.match(logged('password: hunter'), /password: \[REDACTED\]/); // a password may be a plain word
    assert.match(logged('answered without an access_token: check the URL'), /access_token: check the URL/); // prose stays
    assert.match(logged('Jira says: Basic Authentication has been disabled; use bearer tokens'), /Basic Authentication has been disabled; use bearer tokens/);
  });
});
