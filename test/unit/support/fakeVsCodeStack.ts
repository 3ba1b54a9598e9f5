// A stand-in for VS Code's patched http/https request functions (@vscode/proxy-agent in the
// extension host), for what cannot run on this machine: a proxy chosen by the operating system or
// a PAC file, VS Code's proxy login prompt, Kerberos. It behaves as the real agent does where the
// extension can see it (read in @vscode/proxy-agent 0.45 out/agent.js):
// - the "PAC" answer is resolved per request; the first entry is used ("PROXY h:p; DIRECT" -> the proxy);
// - a CONNECT answered 407 asks lookupProxyAuthorization with the Proxy-Authenticate header (the
//   login prompt for Basic, Kerberos for Negotiate) and tries once more with its answer;
// - a CONNECT that still fails hands the proxy's own answer over as the response, on a socket
//   without TLS (https-proxy-agent does that);
// - a proxy it cannot reach emits 'proxy' { proxy, error } and fails with "Failed to establish a
//   socket connection to proxies: ..." (here with the credentials left in, to prove that the
//   extension removes them itself);
// - a tunnel's TLS gets the request's options minus host/path/port, as https-proxy-agent's does;
// - every 'proxy' event names the PAC entry; direct connections trust the "OS store" given here
//   and are kept alive by one agent (Node's global agent in the extension host); tunnels are not.
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { HostStack } from '../../../src/core';
import { listenOnLoopback } from './netFixtures';

export interface FakeStackOptions {
  /** The operating system's or PAC file's answer for a URL. Default: DIRECT. */
  pac?: (url: string) => string;
  /** Certificates of the "operating system's store" (http.systemCertificates). */
  systemCa?: string[];
  /** Host names the "system resolver" maps to an address (for direct connections). */
  hosts?: Record<string, string>;
  /** VS Code's lookupProxyAuthorization: the login prompt (Basic) or Kerberos (Negotiate). */
  lookupProxyAuthorization?: (proxyUrl: string, proxyAuthenticate: string) => Promise<string | undefined>;
}

export interface FakeStack extends HostStack {
  /** "GET host:port/path" for every request the stack was asked to send. */
  calls: string[];
  /** Close kept-alive connections. */
  close(): void;
}

/** One CONNECT exchange on a new socket to the proxy: the socket and the proxy's answer head. */
function connectThrough(proxyHost: string, proxyPort: number, target: string, authorization: string | undefined): Promise<{ socket: net.Socket; status: number; head: string; raw: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxyHost, port: proxyPort });
    let buffered = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buffered = Buffer.concat([buffered, c]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.removeListener('data', onData);
      socket.removeListener('error', reject);
      const head = buffered.subarray(0, end).toString('latin1');
      resolve({ socket, status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, raw: buffered });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
    if (authorization) lines.push(`Proxy-Authorization: ${authorization}`);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
  });
}

/** A socket that only replays `raw` (the proxy's refusal) as what the server said. */
function replay(raw: Buffer): Duplex {
  const d = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
  d.push(raw);
  d.push(null);
  return d;
}

export function fakeVsCodeStack(o: FakeStackOptions = {}): FakeStack {
  const calls: string[] = [];
  const ca = [...tls.rootCertificates, ...(o.systemCa ?? [])];
  const lookup = (hostname: string, opts: unknown, cb: (err: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void) => {
    const address = o.hosts?.[hostname];
    if (!address) return void cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    if ((opts as { all?: boolean })?.all) cb(null, [{ address, family: 4 }]);
    else cb(null, address, 4);
  };
  const direct = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true, ca }) };

  const make = (isHttps: boolean) => (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void): http.ClientRequest => {
    const host = String(options.hostname);
    const port = Number(options.port);
    calls.push(`${options.method} ${host}:${port}${options.path}`);
    const url = `${isHttps ? 'https' : 'http'}://${host}:${port}${options.path}`;
    const entry = (o.pac?.(url) ?? 'DIRECT').split(';')[0].trim();
    const m = /^(PROXY|HTTPS?)\s+(?:([^\s@]+)@)?(\S+)$/.exec(entry);
    if (!m) {
      const r = (isHttps ? https : http).request({ ...options, agent: isHttps ? direct.https : direct.http, lookup } as http.RequestOptions, callback);
      process.nextTick(() => r.emit('proxy', { proxy: entry }));
      return r;
    }
    const [proxyHost, proxyPort] = m[3].split(':');
    const fromUrl = m[2] ? `Basic ${Buffer.from(decodeURIComponent(m[2])).toString('base64')}` : undefined;
    const agent = new (isHttps ? https.Agent : http.Agent)({ keepAlive: false });
    (agent as unknown as { createConnection: unknown }).createConnection = (opts: tls.ConnectionOptions, cb: (err: Error | null, s?: Duplex) => void) => {
      void (async () => {
        try {
          let answer = await connectThrough(proxyHost, Number(proxyPort), `${host}:${port}`, fromUrl);
          const challenge = /^proxy-authenticate:\s*(.+)$/im.exec(answer.head)?.[1];
          if (answer.status === 407 && challenge && o.lookupProxyAuthorization) {
            const authorization = await o.lookupProxyAuthorization(`http://${m[3]}`, challenge);
            if (authorization) {
              answer.socket.destroy();
              answer = await connectThrough(proxyHost, Number(proxyPort), `${host}:${port}`, authorization);
            }
          }
          if (answer.status !== 200) {
            answer.socket.destroy();
            const fake = replay(answer.raw);
            request.emit('proxy', { proxy: entry, socket: fake });
            return cb(null, fake);
          }
          // As https-proxy-agent: the request's options without host, path and port (so a
          // certificate is checked against "localhost" unless a servername or checkServerIdentity
          // comes with them), and a servername only for a host name.
          const { host: _h, path: _p, port: _port, ...rest } = opts as tls.ConnectionOptions & { path?: string };
          const s = isHttps ? tls.connect({ ...rest, socket: answer.socket, servername: net.isIP(host) ? undefined : host, ca }) : answer.socket;
          request.emit('proxy', { proxy: entry, socket: s });
          cb(null, s);
        } catch (e) {
          request.emit('proxy', { proxy: entry, error: e });
          cb(new Error(`Failed to establish a socket connection to proxies: ${entry}`));
        }
      })();
      return undefined;
    };
    // Declared after the agent: its createConnection reads it only after the CONNECT exchange.
    const request = (isHttps ? https : http).request({ ...options, agent }, callback);
    return request;
  };
  return {
    calls,
    http: make(false),
    https: make(true),
    close: () => {
      direct.http.destroy();
      direct.https.destroy();
    },
  };
}

export interface ChallengingProxy {
  url: string;
  port: number;
  /** "CONNECT host:port <Proxy-Authorization or ->" per CONNECT received. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A CONNECT proxy that answers 407 with `challenge` (e.g. "Basic realm=corp" or "Negotiate")
 * until a CONNECT carries Proxy-Authorization `accepted`; it resolves every host to 127.0.0.1
 * (the proxy's own name resolution, as for a site only the company network knows).
 */
export async function startChallengingProxy(challenge: string, accepted: string): Promise<ChallengingProxy> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    const auth = req.headers['proxy-authorization'];
    requests.push(`CONNECT ${req.url} ${auth ?? '-'}`);
    client.on('error', () => undefined);
    if (auth !== accepted) {
      client.end(`HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: ${challenge}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const port = Number(String(req.url).split(':').pop());
    const upstream = net.connect({ host: '127.0.0.1', port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
  });
  return listenOnLoopback(server, requests, () => {
    for (const s of sockets) s.destroy();
  });
}
