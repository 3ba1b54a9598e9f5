// Test helpers for the emulator tests: a raw HTTP client, HTML scraping, and a SECOND, minimal
// OAuth 1.0a RSA-SHA1 signer written independently of the emulator's rfc5849.ts (different
// encoding and URL handling), so that the two implementations check each other.
import { generateKeyPair, KeyObject, randomBytes, sign } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { resolveInPage } from '../pageLinks';

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path and query are sent exactly as given. */
export function http(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const u = new URL(url);
  // Keep the path and query byte-exact (URL would re-encode some characters).
  const m = /^[a-z]+:\/\/[^/]+(\/[^#]*)?/i.exec(url);
  const path = m?.[1] ?? '/';
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, method: opts.method ?? 'GET', path,
      headers: { connection: 'close', ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** For digging into JSON answers in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export function json<T = Record<string, unknown>>(r: Res): T {
  return JSON.parse(r.body) as T;
}

export function formResponse(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

// ---------------------------------------------------------------------------------------------
// HTML

/** The hidden and named inputs of the form with the given id, as name -> value. */
export function formInputs(html: string, formId: string): Record<string, string> {
  const start = html.indexOf(`id="${formId}"`);
  if (start < 0) throw new Error(`no form #${formId} in the page`);
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end);
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? '';
    if (name) out[name] = unescapeHtml(value);
  }
  return out;
}

export function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** The text content of every element with the given class (a simple scraper for our own pages). */
export function textOfClass(html: string, cls: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<([a-z0-9]+)[^>]*class="[^"]*\\b${cls}\\b[^"]*"[^>]*>([\\s\\S]*?)</\\1>`, 'g');
  for (const m of html.matchAll(re)) out.push(unescapeHtml(m[2].replace(/<[^>]+>/g, '')).trim());
  return out;
}

// ---------------------------------------------------------------------------------------------
// The independent test signer

/** RFC 3986 unreserved-only encoding, built on encodeURIComponent (the emulator walks UTF-8 bytes instead). */
export function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignInput {
  method: string;
  /** The URL the signature is computed for (query included). */
  url: string;
  consumerKey: string;
  privateKey: KeyObject;
  token?: string;
  /** Extra protocol parameters, e.g. oauth_callback, oauth_verifier, oauth_session_handle. */
  oauth?: Record<string, string>;
  /** application/x-www-form-urlencoded body parameters (signed and sent). */
  form?: Array<[string, string]>;
  timestamp?: number;
  nonce?: string;
  signatureMethod?: string;
  /** null leaves oauth_version out. */
  version?: string | null;
  /** Protocol parameters to leave out entirely. */
  omit?: string[];
  /** Where the protocol parameters go. */
  placement?: 'header' | 'query' | 'body';
  realm?: string;
}

export interface Signed {
  /** The URL to send (protocol parameters added to the query when placement is 'query'). */
  url: string;
  headers: Record<string, string>;
  body?: string;
  baseString: string;
  signature: string;
  protocol: Array<[string, string]>;
}

export function signRequest(i: SignInput): Signed {
  const u = new URL(i.url);
  const protocol: Array<[string, string]> = [
    ['oauth_consumer_key', i.consumerKey],
    ['oauth_signature_method', i.signatureMethod ?? 'RSA-SHA1'],
    ['oauth_timestamp', String(i.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_nonce', i.nonce ?? randomBytes(12).toString('hex')],
  ];
  if (i.version !== null) protocol.push(['oauth_version', i.version ?? '1.0']);
  if (i.token !== undefined) protocol.push(['oauth_token', i.token]);
  for (const [k, v] of Object.entries(i.oauth ?? {})) protocol.push([k, v]);
  const kept = protocol.filter(([k]) => !(i.omit ?? []).includes(k));
  // Base string: WHATWG URL gives lower-case host without the default port; searchParams form-decodes.
  const baseUri = `${u.protocol}//${u.host}${u.pathname}`;
  const params: Array<[string, string]> = [...u.searchParams, ...(i.form ?? []), ...kept];
  const pairs = params.map(([k, v]) => `${enc(k)}=${enc(v)}`).sort((a, b) => {
    const [ka, va] = a.split('=');
    const [kb, vb] = b.split('=');
    return ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0;
  });
  const baseString = [i.method.toUpperCase(), enc(baseUri), enc(pairs.join('&'))].join('&');
  const signature = sign('sha1', Buffer.from(baseString, 'utf8'), i.privateKey).toString('base64');
  const all: Array<[string, string]> = [...kept, ['oauth_signature', signature]];
  const headers: Record<string, string> = {};
  let url = i.url;
  let body: string | undefined = i.form ? i.form.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&') : undefined;
  const placement = i.placement ?? 'header';
  if (placement === 'header') {
    headers.Authorization = `OAuth ${[...(i.realm !== undefined ? [['realm', i.realm]] : []), ...all].map(([k, v]) => `${enc(k)}="${enc(v)}"`).join(', ')}`;
  } else if (placement === 'query') {
    url += (url.includes('?') ? '&' : '?') + all.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  } else {
    body = [...(body ? [body] : []), ...all.map(([k, v]) => `${enc(k)}=${enc(v)}`)].join('&');
  }
  if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { url, headers, body, baseString, signature, protocol: all };
}

/** Signs and sends; `sendTo` replaces the URL's origin+path prefix when the request goes elsewhere. */
export function signedHttp(i: SignInput, extra: { headers?: Record<string, string>; body?: string; sendUrl?: string } = {}): Promise<Res> {
  const s = signRequest(i);
  return http(extra.sendUrl ?? s.url, { method: i.method, headers: { ...s.headers, ...extra.headers }, body: extra.body ?? s.body });
}

export function rsaKeyPair(bits = 2048): Promise<{ publicKey: KeyObject; privateKey: KeyObject; publicPem: string; privatePem: string }> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits }, (err, publicKey, privateKey) => {
      if (err) return reject(err);
      resolve({
        publicKey, privateKey,
        publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
        privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The three-legged dance, step by step, at the HTTP level

export interface Dance {
  base: string;
  consumerKey: string;
  privateKey: KeyObject;
  /** Seconds to add to the signer's timestamps (to follow the emulator's clock skew). */
  skew?: number;
}

function ts(d: Dance): number {
  return Math.floor(Date.now() / 1000) + (d.skew ?? 0);
}

export async function getRequestToken(d: Dance, callback = 'oob'): Promise<{ token: string; secret: string; res: Res }> {
  const res = await signedHttp({ method: 'POST', url: `${d.base}/plugins/servlet/oauth/request-token`, consumerKey: d.consumerKey, privateKey: d.privateKey, oauth: { oauth_callback: callback }, timestamp: ts(d) });
  const f = formResponse(res.body);
  return { token: f.oauth_token, secret: f.oauth_token_secret, res };
}

/** Loads the authorize page and posts its form with Allow (or Deny). */
export async function decide(d: Dance, requestToken: string, button: 'approve' | 'deny'): Promise<{ page: Res; res: Res }> {
  const page = await http(`${d.base}/plugins/servlet/oauth/authorize?oauth_token=${enc(requestToken)}`);
  const fields = formInputs(page.body, 'oauth-authorize-form');
  fields[button] = button === 'approve' ? 'Allow' : 'Deny';
  const action = /<form id="oauth-authorize-form" method="post" action="([^"]+)"/.exec(page.body)?.[1];
  const url = `${d.base}/plugins/servlet/oauth/authorize?oauth_token=${enc(requestToken)}`;
  const res = await http(resolveInPage(url, page.body, action ?? ''), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody(fields) });
  return { page, res };
}

export function verifierFrom(html: string): string {
  const m = /Your verification code is '([A-Za-z0-9]+)'/.exec(html);
  if (!m) throw new Error('no verification code in the page');
  return m[1];
}

export async function exchange(d: Dance, requestToken: string, verifier: string | undefined): Promise<{ token: string; secret: string; fields: Record<string, string>; res: Res }> {
  const res = await signedHttp({
    method: 'POST', url: `${d.base}/plugins/servlet/oauth/access-token`, consumerKey: d.consumerKey, privateKey: d.privateKey,
    token: requestToken, oauth: verifier === undefined ? {} : { oauth_verifier: verifier }, timestamp: ts(d),
  });
  const fields = formResponse(res.body);
  return { token: fields.oauth_token, secret: fields.oauth_token_secret, fields, res };
}

/** The whole dance with Allow; returns the access token. */
export async function fullDance(d: Dance): Promise<{ token: string; secret: string; fields: Record<string, string> }> {
  const rt = await getRequestToken(d);
  if (rt.res.status !== 200) throw new Error(`request-token: ${rt.res.status} ${rt.res.body}`);
  const { res } = await decide(d, rt.token, 'approve');
  const at = await exchange(d, rt.token, verifierFrom(res.body));
  if (at.res.status !== 200) throw new Error(`access-token: ${at.res.status} ${at.res.body}`);
  return at;
}

export function restGet(d: Dance, token: string, pathAndQuery: string, more: Partial<SignInput> = {}): Promise<Res> {
  return signedHttp({ method: 'GET', url: `${d.base}${pathAndQuery}`, consumerKey: d.consumerKey, privateKey: d.privateKey, token, timestamp: ts(d), ...more });
}
