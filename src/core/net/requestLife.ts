import type { IncomingMessage } from 'http';
import { JiraError, stripQuery } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import { msg } from '../messages';

/** The errors of a request's life cycle, the same from either transport (../http.ts, ./host.ts). */

export function abortedError(method: string, url: string): JiraError {
  return new JiraError('aborted', msg('{0} {1} was cancelled.', method, stripQuery(url)), { method, url });
}

export function timeoutError(method: string, url: string, timeoutMs: number): JiraError {
  return new JiraError(
    'timeout',
    msg('{0} {1} got no response within {2} s. The server may be overloaded, or a firewall/proxy/VPN is silently dropping the connection. Check the base URL and try again.', method, stripQuery(url), Math.round(timeoutMs / 1000)),
    { method, url },
  );
}

export function tooLargeError(method: string, url: string, limit: number, status: number | undefined): JiraError {
  return new JiraError(
    'response_too_large',
    msg('The response to {0} {1} is larger than {2} bytes, so it was not read. If this is a search, ask for fewer results (a smaller page size or a narrower JQL); otherwise check that the base URL points at Jira and not at a file download.', method, stripQuery(url), limit),
    { method, url, status },
  );
}

/**
 * One request's life cycle, shared by both transports: it ends once, by an answer or by a failure;
 * the caller's cancel and the timeout fail it. `onFailed` runs after a failure is reported (it
 * destroys the request, so that its socket never goes back to a pool).
 */
export interface RequestLife {
  readonly settled: boolean;
  fail(e: JiraError): void;
  succeed(r: HttpResponse): void;
  /** Starts the timeout and listens for the caller's cancel (after the first attempt was sent). */
  arm(timeoutMs: number): void;
}

export function requestLife(
  req: Pick<HttpRequest, 'method' | 'url' | 'signal'>,
  resolve: (r: HttpResponse) => void,
  reject: (e: JiraError) => void,
  onFailed: () => void,
): RequestLife {
  const { method, url, signal } = req;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const end = (): boolean => {
    if (settled) return false;
    settled = true;
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    return true;
  };
  const life: RequestLife = {
    get settled() {
      return settled;
    },
    fail(e) {
      if (!end()) return;
      reject(e);
      onFailed();
    },
    succeed(r) {
      if (end()) resolve(r);
    },
    arm(timeoutMs) {
      if (settled) return;
      if (timeoutMs > 0) timer = setTimeout(() => life.fail(timeoutError(method, url, timeoutMs)), timeoutMs);
      signal?.addEventListener('abort', onAbort);
    },
  };
  const onAbort = () => life.fail(abortedError(method, url));
  return life;
}

/**
 * Reads a response body (up to `limit` bytes) into an HttpResponse; fully read, Node hands a
 * kept-alive socket back to its pool. `networkError` maps an error of the response stream.
 */
export function readResponse(res: IncomingMessage, req: Pick<HttpRequest, 'method' | 'url'>, limit: number, life: RequestLife, networkError: (err: Error) => JiraError): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (c: Buffer) => {
    size += c.length;
    if (size > limit) {
      life.fail(tooLargeError(req.method, req.url, limit, res.statusCode));
      return;
    }
    chunks.push(c);
  });
  res.on('error', (err) => life.fail(networkError(err)));
  res.on('aborted', () => life.fail(networkError(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }))));
  res.on('end', () => {
    if (life.settled) return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    life.succeed({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks, size) });
  });
}
