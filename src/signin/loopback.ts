import * as http from 'http';
import { randomBytes } from 'crypto';
import type { AddressInfo } from 'net';

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

/**
 * A one-shot OAuth callback listener on 127.0.0.1 with a random port and a random state in the
 * path: answers the first request that carries the state (and the expected request token), then
 * closes. Also closes on timeout, abort or close().
 */
export function startLoopback(pages: LoopbackPages, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LoopbackServer> {
  const state = randomBytes(16).toString('hex');
  const path = `/jira-callback/${state}`;
  let expected: string | undefined;
  let settle!: { resolve(r: LoopbackResult): void; reject(e: unknown): void };
  const result = new Promise<LoopbackResult>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined);
  let done = false;
  let timer: NodeJS.Timeout | undefined;

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
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      send(400, pages.invalid);
      return;
    }
    const token = url.searchParams.get('oauth_token') ?? '';
    const verifier = url.searchParams.get('oauth_verifier') ?? '';
    if (done || req.method !== 'GET' || url.pathname !== path || !token || (expected !== undefined && token !== expected)) {
      send(url.pathname === '/favicon.ico' ? 404 : 400, pages.invalid);
      return;
    }
    const denied = !verifier || verifier === 'denied';
    send(200, denied ? pages.denied : pages.success);
    finish();
    settle.resolve({ token, verifier, denied });
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

  return new Promise<LoopbackServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      timer = setTimeout(() => {
        finish();
        settle.reject(new LoopbackTimeoutError());
      }, options.timeoutMs ?? LOOPBACK_TIMEOUT_MS);
      timer.unref();
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      resolve({
        callbackUrl: `http://127.0.0.1:${port}${path}`,
        result,
        expectToken: (token) => {
          expected = token;
        },
        close: () => {
          if (done) return;
          finish();
          settle.reject(new Error('The callback listener was closed.'));
        },
      });
    });
  });
}

/** A minimal page for the browser tab. */
export function loopbackPage(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;margin:15vh auto;max-width:36em;padding:0 1em;line-height:1.5}</style>' +
    `</head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}
