// What the user does in the browser, done over HTTP against the Jira emulator (no browser needed):
// open the authorize page and click Allow or Deny.
import { resolveInPage } from '../pageLinks';

/** Opens Jira's authorize page and clicks Allow: returns the verification code (oob) or the callback URL Jira redirects to. */
export async function clickInJira(authorizeUrl: string, button: 'approve' | 'deny'): Promise<{ code?: string; redirect?: string; html: string }> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${html.slice(0, 300)}`);
  const atl = /name="atl_token" value="([^"]+)"/.exec(html)?.[1];
  const token = /name="oauth_token" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form id="oauth-authorize-form" method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!atl || !token || !action) throw new Error(`no authorize form in: ${html.slice(0, 300)}`);
  const body = new URLSearchParams({ oauth_token: token, atl_token: atl, [button]: button === 'approve' ? 'Allow' : 'Deny' });
  const res = await fetch(resolveInPage(authorizeUrl, html, action), { method: 'POST', body, redirect: 'manual' });
  const out = await res.text();
  const location = res.headers.get('location') ?? undefined;
  const code = /id="verification-code">([^<]+)</.exec(out)?.[1];
  return { code, redirect: location, html: out };
}

/** An administrator creates an incoming application link on the emulator's Application Links page. */
export async function createApplicationLink(baseUrl: string, consumerKey: string, publicKeyPem: string, consumerName = 'Visual Studio Code'): Promise<void> {
  const url = `${baseUrl}/plugins/servlet/applinks/listApplicationLinks`;
  const html = await (await fetch(url)).text();
  const atl = /name="atl_token" value="([^"]+)"/.exec(html)?.[1];
  if (!atl) throw new Error('no form token on the Application Links page');
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ atl_token: atl, action: 'create', consumerKey, consumerName, publicKey: publicKeyPem }) });
  const out = await res.text();
  if (res.status !== 200) throw new Error(`creating the link failed (${res.status}): ${/class="error">([^<]+)/.exec(out)?.[1] ?? out.slice(0, 200)}`);
}

/**
 * Opens an OAuth 2.0 consent page (the emulator's Data Center or Cloud one) and clicks Allow or
 * Deny: returns where the browser is sent (the redirect URI with code or error, and state).
 */
export async function consentInBrowser(authorizeUrl: string, button: 'allow' | 'deny'): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = /<form id="oauth2-consent-form" method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no consent form in: ${html.slice(0, 300)}`);
  const body = new URLSearchParams();
  for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    body.append(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  body.append('decision', button);
  const res = await fetch(resolveInPage(authorizeUrl, html, form[1]), { method: 'POST', body, redirect: 'manual' });
  const location = res.headers.get('location');
  if (!location) throw new Error(`the consent page did not redirect (${res.status}): ${(await res.text()).slice(0, 300)}`);
  return location;
}
