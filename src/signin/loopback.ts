import * as http from 'http';
import { randomBytes } from 'crypto';
import type { AddressInfo } from 'net';
import { t } from '../l10n';

/** Default: stop listening after 5 minutes. */
export const LOOPBACK_TIMEOUT_MS = 5 * 60 * 1000;

export interface LoopbackResult {
  /** oauth_token from the redirect (compare with the request token). */
  token: string;
  /** oauth_verifier; Jira sends "denied" when the user clicked Deny. */
  verifier: string;
  denied: boolean;
}

export interface LoopbackPages {
  /** HTML bodies (already localised) for the browser tab. */
  success: string;
  denied: string;
  /** A request that does not belong to this sign-in. */
  invalid: string;
}

export interface LoopbackServer {
  /** http://127.0.0.1:<port>/jira-callback/<state>: pass it as oauth_callback. */
  readonly callbackUrl: string;
  /** Resolves with the first valid callback; rejects on timeout, abort or close. */
  readonly result: Promise<LoopbackResult>;
  /** Only accept callbacks for this request token (set once it is known). */
  expectToken(token: string): void;
  close(): void;
}

export class LoopbackTimeoutError extends Error {
  readonly code = 'loopback_timeout';
  constructor() {
    super('Nobody came back from the browser within 5 minutes.');
    this.name = 'LoopbackTimeoutError';
  }
}

/** What a listener makes of one request: not ours (refused, keep waiting), or the answer. */
type Verdict<T> = { accept: false } | { accept: true; denied: boolean; value: T };

interface OneShot<T> {
  readonly port: number;
  readonly result: Promise<T>;
  close(): void;
}

/**
 * The listener both callbacks share: 127.0.0.1 only, a random port, GET only; the first request
 * `judge` accepts gets the success or the denied page and ends it, any other request gets the
 * invalid page and does not (a stray local request must not be able to cancel a sign-in). Also
 * ends on timeout (5 minutes), abort or close().
 */
function startOneShot<T>(
  pages: LoopbackPages,
  judge: (url: URL) => Verdict<T>,
  options: { timeoutMs?: number; signal?: AbortSignal },
): Promise<OneShot<T>> {
  let settle!: { resolve(r: T): void; reject(e: unknown): void };
  const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined);
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let port = 0;

  const server = http.createServer((req, res) => {
    const send = (status: number, body: string) => {
      res.writeHead(status, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'Referrer-Policy': 'no-referrer',
        Connection: 'close',
      });
      res.end(body);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      send(400, pages.invalid);
      return;
    }
    const verdict: Verdict<T> = done || req.method !== 'GET' ? { accept: false } : judge(url);
    if (!verdict.accept) {
      send(url.pathname === '/favicon.ico' ? 404 : 400, pages.invalid);
      return;
    }
    send(200, verdict.denied ? pages.denied : pages.success);
    finish();
    settle.resolve(verdict.value);
  });

  const onAbort = () => {
    finish();
    const e = new Error('The sign-in was cancelled.');
    e.name = 'AbortError';
    settle.reject(e);
  };

  function finish() {
    if (done) return;
    done = true;
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    // Let the last response go out, then drop idle keep-alive connections.
    setTimeout(() => (server as http.Server & { closeAllConnections?: () => void }).closeAllConnections?.(), 1000).unref();
  }

  return new Promise<OneShot<T>>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      timer = setTimeout(() => {
        finish();
        settle.reject(new LoopbackTimeoutError());
      }, options.timeoutMs ?? LOOPBACK_TIMEOUT_MS);
      timer.unref();
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      resolve({
        port,
        result,
        close: () => {
          if (done) return;
          finish();
          settle.reject(new Error('The callback listener was closed.'));
        },
      });
    });
  });
}

/**
 * A one-shot OAuth 1.0a callback listener on 127.0.0.1 with a random port and a random state in the
 * path: answers the first request that carries the state (and the expected request token), then
 * closes. Also closes on timeout, abort or close().
 */
export async function startLoopback(pages: LoopbackPages, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LoopbackServer> {
  const state = randomBytes(16).toString('hex');
  const path = `/jira-callback/${state}`;
  let expected: string | undefined;
  const listener = await startOneShot<LoopbackResult>(
    pages,
    (url) => {
      const token = url.searchParams.get('oauth_token') ?? '';
      const verifier = url.searchParams.get('oauth_verifier') ?? '';
      if (url.pathname !== path || !token || (expected !== undefined && token !== expected)) return { accept: false };
      // Jira sends oauth_verifier=denied when the user clicked Deny.
      const denied = !verifier || verifier === 'denied';
      return { accept: true, denied, value: { token, verifier, denied } };
    },
    options,
  );
  return {
    callbackUrl: `http://127.0.0.1:${listener.port}${path}`,
    result: listener.result,
    expectToken: (token) => {
      expected = token;
    },
    close: () => listener.close(),
  };
}

/** A minimal page for the browser tab. */
export function loopbackPage(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;margin:15vh auto;max-width:36em;padding:0 1em;line-height:1.5}</style>' +
    `</head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}

/** The pages the browser tab shows after Jira (OAuth 1.0a) or the authorization server (OAuth 2.0) redirects to the listener. */
export function signInPages(): LoopbackPages {
  return {
    success: loopbackPage(t('Jira: access allowed'), t('VS Code received the authorization. You can close this tab and return to VS Code.')),
    denied: loopbackPage(t('Jira: access denied'), t('You denied access, so VS Code is not signed in. You can close this tab.')),
    invalid: loopbackPage(t('Jira sign-in'), t('This link does not belong to the sign-in in progress. Start the sign-in again from VS Code.')),
  };
}

export interface OAuth2LoopbackServer {
  /** http://127.0.0.1:<port>/callback: the redirect_uri of the authorize request and of the code exchange. */
  readonly redirectUri: string;
  /** Resolves with the whole redirect URL (code or error, and state); rejects on timeout, abort or close. */
  readonly result: Promise<string>;
  close(): void;
}

/**
 * A one-shot OAuth 2.0 redirect listener on 127.0.0.1, random port (RFC 8252 §7.3): answers the
 * first GET on `path` whose `state` is the expected one (with the success or the denied page),
 * then closes. Requests without the state are refused and do not end it. Also closes on timeout
 * (5 minutes), abort or close().
 */
export async function startOAuth2Loopback(
  pages: LoopbackPages,
  options: { state: string; path?: string; timeoutMs?: number; signal?: AbortSignal },
): Promise<OAuth2LoopbackServer> {
  const path = options.path ?? '/callback';
  const listener = await startOneShot<string>(
    pages,
    (url) =>
      url.pathname === path && url.searchParams.get('state') === options.state
        ? { accept: true, denied: !!url.searchParams.get('error'), value: url.href }
        : { accept: false },
    options,
  );
  return { redirectUri: `http://127.0.0.1:${listener.port}${path}`, result: listener.result, close: () => listener.close() };
}
