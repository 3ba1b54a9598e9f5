// Helpers for the OAuth 2.0 tests: what a browser does on the emulator's consent page, and an
// in-memory token store with the same contract as SecretStorage (save persists before resolving).
import * as assert from 'node:assert/strict';
import { httpRequest, OAuth2Tokens, TokenStoreLike } from '../../../src/core';
import { resolveInPage } from '../pageLinks';

function htmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string);
}

/**
 * GET the consent page, submit its form with Allow (or Deny), and return the redirect's
 * Location (the redirect_uri with code/state or error/state). Fails when there is no redirect.
 */
export async function consent(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await httpRequest({ method: 'GET', url: authorizeUrl, headers: { Accept: 'text/html' } });
  const html = page.body.toString('utf8');
  assert.equal(page.status, 200, `the consent page should load: ${html.slice(0, 300)}`);
  const form = /<form[^>]*id="oauth2-consent-form"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the consent page has a form');
  const fields: Array<[string, string]> = [];
  const inputs = /<input type="hidden" name="([^"]*)" value="([^"]*)">/g;
  let m: RegExpExecArray | null;
  while ((m = inputs.exec(form[2])) !== null) fields.push([htmlUnescape(m[1]), htmlUnescape(m[2])]);
  fields.push(['decision', decision]);
  const res = await httpRequest({
    method: 'POST',
    url: resolveInPage(authorizeUrl, html, form[1]),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: Buffer.from(fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  });
  assert.equal(res.status, 302, `the consent form should redirect: ${res.body.toString('utf8').slice(0, 300)}`);
  return res.headers.location;
}

/** A token store in memory; `failSave` makes save() reject; counts loads and saves. */
export class MemoryTokenStore implements TokenStoreLike {
  saves = 0;
  loads = 0;
  failSave: Error | undefined;
  constructor(public tokens?: OAuth2Tokens) {}
  async load(): Promise<OAuth2Tokens | undefined> {
    this.loads++;
    await Promise.resolve();
    return this.tokens ? { ...this.tokens } : undefined;
  }
  async save(t: OAuth2Tokens): Promise<void> {
    await Promise.resolve();
    if (this.failSave) throw this.failSave;
    this.saves++;
    this.tokens = { ...t };
  }
}
