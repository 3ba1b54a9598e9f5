// OAuth 1.0a against the emulator as a user does it: the request token, Allow on Jira's
// authorize page (what a browser submits), the verification code, the access token.
import * as assert from 'node:assert/strict';
import { accessToken, createJiraClient, httpRequest, JiraClient, KeyPair, requestToken } from '../../../src/core';
import type { Emulator } from '../../emulator';
import { resolveInPage } from '../pageLinks';

export const CONSUMER = 'vscode-jira-test';

function htmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string);
}

/**
 * What a browser does on the authorize page: GET it, submit its form with the Allow (or Deny)
 * button, and read the verification code from the result page. Returns the code, or undefined
 * when denied.
 */
export async function browserAuthorize(authorizeUrl: string, choice: 'approve' | 'deny' = 'approve'): Promise<string | undefined> {
  const page = await httpRequest({ method: 'GET', url: authorizeUrl, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200, page.body.toString());
  const html = page.body.toString('utf8');
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the authorize page has a form');
  const fields: Array<[string, string]> = [];
  const inputs = /<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"[^>]*>/g;
  let m: RegExpExecArray | null;
  while ((m = inputs.exec(form[2])) !== null) fields.push([htmlUnescape(m[1]), htmlUnescape(m[2])]);
  const button = new RegExp(`<button[^>]*name="(${choice})"[^>]*value="([^"]*)"`).exec(form[2]);
  assert.ok(button, `the form has a ${choice} button`);
  fields.push([button[1], htmlUnescape(button[2])]);
  const body = Buffer.from(fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const result = await httpRequest({
    method: 'POST',
    url: resolveInPage(authorizeUrl, html, form[1]),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body,
  });
  const text = htmlUnescape(result.body.toString('utf8'));
  const code = /Your verification code is '([^']+)'/.exec(text);
  if (choice === 'deny') {
    assert.equal(code, null);
    return undefined;
  }
  assert.ok(code, `verification page: ${text.slice(0, 200)}`);
  return code[1];
}

export async function signIn(emu: Emulator, keys: KeyPair, baseUrl = emu.url, consumerKey = CONSUMER): Promise<JiraClient> {
  const common = { baseUrl, consumerKey, privateKeyPem: keys.privateKeyPem };
  const rt = await requestToken(common);
  const code = await browserAuthorize(rt.authorizeUrl);
  const at = await accessToken({ ...common, token: rt.token, tokenSecret: rt.tokenSecret, verifier: `Your verification code is '${code}'.` });
  return createJiraClient({ baseUrl, auth: { type: 'oauth1', consumerKey, privateKeyPem: keys.privateKeyPem, token: at.token, tokenSecret: at.tokenSecret } });
}
