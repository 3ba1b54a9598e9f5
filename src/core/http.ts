import * as http from 'http';
import * as https from 'https';
import { errorFromNetwork, JiraError } from './errors';

/**
 * The single place where the core talks HTTP (Node's http/https modules: no fetch on Node 16).
 * Proxies, custom CAs and client certificates plug in here, through `agent` and `tls`.
 */

/** TLS settings passed to https.request (ignored for http URLs). */
export interface TlsOptions {
  /** Extra trusted CA certificates (PEM). Replaces Node's default list, so include it if needed. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PEM), for servers that require mutual TLS. */
  cert?: string | Buffer | Array<string | Buffer>;
  key?: string | Buffer | Array<string | Buffer>;
  passphrase?: string;
  pfx?: string | Buffer | Array<string | Buffer>;
  /** Leave true: false accepts any certificate. */
  rejectUnauthorized?: boolean;
  servername?: string;
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

export interface HttpRequest {
  method: string;
  /** Absolute URL; its path and query are sent exactly as given (already encoded). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** http.Agent for http URLs, https.Agent for https URLs (proxy agents, keep-alive...). */
  agent?: http.Agent | https.Agent;
  tls?: TlsOptions;
  /** Whole-request timeout in ms (connect + response). Default 30000; 0 disables. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Refuse bodies larger than this (default 64 MiB). */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** Pluggable transport (tests, proxies): takes the fully built request, returns the raw response. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export const DEFAULT_TIMEOUT_MS = 30000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

function abortedError(method: string, url: string): JiraError {
  return new JiraError('aborted', `${method} ${stripQ(url)} was cancelled.`, { method, url });
}

function stripQ(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Send one request with Node's http/https. Rejects with a JiraError (network, tls, timeout, aborted). */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const { method, url } = req;
    const ctx = { method, url, baseUrl: url };
    if (req.signal?.aborted) {
      reject(abortedError(method, url));
      return;
    }
    const m = /^(https?):\/\/([^/?#]+)([^#]*)/i.exec(url);
    if (!m) {
      reject(new JiraError('invalid_request', `Not an http(s) URL: ${url}`, { method, url }));
      return;
    }
    const isHttps = m[1].toLowerCase() === 'https';
    let hostname: string;
    let port: string;
    try {
      const u = new URL(`${m[1]}://${m[2]}`);
      hostname = u.hostname.replace(/^\[|\]$/g, '');
      port = u.port;
    } catch (e) {
      reject(new JiraError('invalid_request', `Not a valid URL: ${url}`, { method, url, cause: e }));
      return;
    }
    const path = m[3] || '/';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['Content-Length'] = String(req.body.length);
    }
    const options: https.RequestOptions = {
      method,
      hostname,
      port: port || (isHttps ? 443 : 80),
      path,
      headers,
      agent: req.agent,
    };
    if (isHttps && req.tls) Object.assign(options, req.tls);

    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: JiraError) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(e);
      request.destroy();
    };
    const onAbort = () => fail(abortedError(method, url));

    let request: http.ClientRequest;
    try {
      request = (isHttps ? https : http).request(options);
    } catch (e) {
      // e.g. ERR_UNESCAPED_CHARACTERS, ERR_INVALID_CHAR in a header
      reject(new JiraError('invalid_request', `Cannot send ${method} ${stripQ(url)}: ${(e as Error).message}`, { method, url, cause: e }));
      return;
    }
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        fail(
          new JiraError(
            'timeout',
            `${method} ${stripQ(url)} got no response within ${Math.round(timeoutMs / 1000)} s. The server may be overloaded, ` +
              `or a firewall/proxy/VPN is silently dropping the connection. Check the base URL and try again.`,
            { method, url },
          ),
        );
      }, timeoutMs);
    }
    req.signal?.addEventListener('abort', onAbort);

    request.on('error', (err) => fail(errorFromNetwork(err, ctx)));
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const limit = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          fail(new JiraError('response_too_large', `The response to ${method} ${stripQ(url)} is larger than ${limit} bytes.`, { method, url, status: res.statusCode }));
          return;
        }
        chunks.push(c);
      });
      res.on('error', (err) => fail(errorFromNetwork(err, ctx)));
      res.on('aborted', () => fail(errorFromNetwork(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }), ctx)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        cleanup();
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined) continue;
          out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        }
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks, size) });
      });
    });
    request.end(req.body);
  });
}
