// A reverse proxy in front of the Jira emulator that can misbehave on chosen paths (the bad-input
// matrix): everything else is passed through unchanged to the real emulator, which is configured
// with the front's URL as its base URL, so OAuth 1.0a signatures still verify.
import { createServer, IncomingMessage, request, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackConnections } from '../../emulator/connections';

export interface Fault {
  /** Matched against the request path (with the context path, without the query). */
  path: RegExp;
  method?: string;
  /** How many requests it answers (default: every one). */
  times?: number;
  respond(req: IncomingMessage, res: ServerResponse): void;
}

export interface Front {
  /** http://127.0.0.1:port (no context path). */
  origin: string;
  port: number;
  faults: Fault[];
  /** Where requests go when no fault matches. */
  targetPort: number;
  close(): Promise<void>;
}

export async function startFront(): Promise<Front> {
  const front = { faults: [] as Fault[], targetPort: 0 } as Front;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const fault = front.faults.find((f) => f.path.test(path) && (!f.method || f.method === req.method) && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      req.resume();
      fault.respond(req, res);
      return;
    }
    const up = request({ host: '127.0.0.1', port: front.targetPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  const destroyConnections = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  front.port = (server.address() as AddressInfo).port;
  front.origin = `http://127.0.0.1:${front.port}`;
  front.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      destroyConnections();
    });
  return front;
}

/** A fault that answers with a fixed status, headers and body. */
export function answer(path: RegExp, status: number, body: string | Buffer, headers: Record<string, string> = {}, times?: number): Fault {
  return {
    path,
    times,
    respond: (_req, res) => {
      res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    },
  };
}

/** An OAuth 1.0a problem as Jira's OAuth filter reports it (401, WWW-Authenticate and form body). */
export function oauthProblem(path: RegExp, problem: string, extra = ''): Fault {
  const body = `oauth_problem=${problem}${extra}`;
  return answer(path, 401, body, {
    'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
    'WWW-Authenticate': `OAuth realm="jira", oauth_problem="${problem}"`,
  });
}
