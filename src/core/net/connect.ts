import * as net from 'net';
import * as tls from 'tls';
import type { Duplex } from 'stream';
import { JiraError } from '../errors';
import { msg, verbatim } from '../messages';
import type { ProxyTarget } from './proxy';

/**
 * Opens the socket of a connection: directly, or through an http(s) proxy with CONNECT (https
 * targets) or to the proxy itself (http targets, absolute-form request line). Hand-written (about
 * 150 lines, no dependency) instead of https-proxy-agent + agent-base + debug. Used by the
 * connection pool (net/pool.ts) and for requests that get a connection of their own.
 */

/** Marks socket errors that happened on the way to (or at) the proxy. */
export interface ProxyFailure extends Error {
  proxy: ProxyTarget;
  /** HTTP status of the CONNECT answer. */
  proxyStatus?: number;
  code?: string;
}

function proxyFailure(proxy: ProxyTarget, err: Error & { code?: string }, status?: number): ProxyFailure {
  const e = err as ProxyFailure;
  e.proxy = proxy;
  if (status !== undefined) e.proxyStatus = status;
  return e;
}

function isIp(host: string): boolean {
  return net.isIP(host) !== 0;
}

/**
 * Connect to the proxy (TLS for https:// proxies, verified unless http.proxyStrictSSL is false,
 * with the same CA list as the site but never the site's client certificate).
 */
function connectProxy(proxy: ProxyTarget, proxyContext: tls.SecureContext | undefined): net.Socket {
  if (proxy.protocol === 'https:') {
    return tls.connect({
      host: proxy.host,
      port: proxy.port,
      servername: isIp(proxy.host) ? undefined : proxy.host,
      secureContext: proxyContext,
      rejectUnauthorized: proxy.strictSSL,
      ALPNProtocols: ['http/1.1'],
    });
  }
  return net.connect({ host: proxy.host, port: proxy.port });
}

/** Where and how a connection is opened (see net/pool.ts connectionKey: equal targets share connections). */
export interface ConnectTarget {
  isHttps: boolean;
  host: string;
  port: number;
  proxy?: ProxyTarget;
  /**
   * TLS context of https targets: trusted CAs, client certificate, minimum version (net/tls.ts
   * secureContextFor). Given as `secureContext`, so tls.connect does not build one per connection.
   * Verification stays on: rejectUnauthorized is never passed (its default is true).
   */
  secureContext?: tls.SecureContext;
  servername?: string;
  /** Context to verify an https:// proxy: the same CAs, no client certificate. */
  proxyContext?: tls.SecureContext;
}

export interface OpenOptions extends ConnectTarget {
  /** Fires when the request is given up (timeout, cancel): destroys a half-open tunnel. */
  signal: AbortSignal;
  /** A TLS session of an earlier connection to the same target, to resume (saves a round trip with TLS 1.2). */
  session?: Buffer;
}

/** For http.ClientRequest's / http.Agent's `createConnection`: calls back with the connected socket. */
export function openSocket(o: OpenOptions, callback: (err: Error | null, socket?: Duplex) => void): void {
  // `host` is also the name the certificate is checked against (tls.checkServerIdentity): given
  // even over a proxy's socket, where Node would otherwise check the proxy's host name, or
  // "localhost" for a proxy given by IP. SNI carries host names only, never an IP address.
  const tlsTo = (socket?: net.Socket): tls.TLSSocket =>
    tls.connect({
      secureContext: o.secureContext,
      session: o.session,
      socket,
      host: o.host,
      port: socket ? undefined : o.port,
      servername: o.servername ?? (isIp(o.host) ? undefined : o.host),
      ALPNProtocols: ['http/1.1'],
    });
  if (!o.proxy) {
    let s: Duplex;
    try {
      s = o.isHttps ? tlsTo() : net.connect({ host: o.host, port: o.port });
    } catch (e) {
      callback(e as Error);
      return;
    }
    callback(null, s);
    return;
  }
  const proxy = o.proxy;
  let socket: net.Socket;
  try {
    socket = connectProxy(proxy, o.proxyContext);
  } catch (e) {
    callback(proxyFailure(proxy, e as Error));
    return;
  }
  if (!o.isHttps) {
    // Plain http through a proxy: the request goes to the proxy with an absolute URI; errors on
    // this socket before a response are the proxy's (mapped by http.ts).
    socket.once('error', (e) => proxyFailure(proxy, e));
    callback(null, socket);
    return;
  }
  let done = false;
  const finish = (err: Error | null, s?: Duplex) => {
    if (done) return;
    done = true;
    o.signal.removeEventListener('abort', onAbort);
    socket.removeListener('data', onData);
    socket.removeListener('error', onError);
    socket.removeListener('close', onClose);
    if (err) socket.destroy();
    callback(err, s);
  };
  const onAbort = () => finish(proxyFailure(proxy, Object.assign(new Error('cancelled while connecting to the proxy'), { code: 'ECONNABORTED' })));
  const onError = (e: Error) => finish(proxyFailure(proxy, e));
  const onClose = () => finish(proxyFailure(proxy, Object.assign(new Error('the proxy closed the connection'), { code: 'ECONNRESET' })));
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (buffered.length > 16384) finish(proxyFailure(proxy, Object.assign(new Error('the proxy sent an oversized answer to CONNECT'), { code: 'EPROTO' })));
      return;
    }
    const head = buffered.subarray(0, end).toString('latin1');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    const status = m ? Number(m[1]) : 0;
    if (status < 200 || status > 299) {
      finish(proxyFailure(proxy, Object.assign(new Error(`the proxy answered CONNECT with ${head.split('\r\n')[0] || 'garbage'}`), { code: 'EPROXY' }), status));
      return;
    }
    const rest = buffered.subarray(end + 4);
    if (rest.length) socket.unshift(rest);
    socket.removeListener('data', onData);
    socket.pause();
    let tlsSocket: tls.TLSSocket;
    try {
      tlsSocket = tlsTo(socket);
    } catch (e) {
      finish(e as Error);
      return;
    }
    finish(null, tlsSocket);
  };
  o.signal.addEventListener('abort', onAbort, { once: true });
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('close', onClose);
  const target = `${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`;
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
  if (proxy.authorization) lines.push(`Proxy-Authorization: ${proxy.authorization}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
}

/** The JiraError for a failure at the proxy (connect refused, 407, other CONNECT refusals). */
export function errorFromProxy(err: ProxyFailure, target: { method: string; url: string }): JiraError {
  const p = err.proxy;
  const details = { method: target.method, url: target.url, status: err.proxyStatus, systemCode: err.code, cause: err };
  if (err.proxyStatus === 407) {
    return new JiraError(
      'proxy_auth',
      p.authorization
        ? msg('The proxy {0} requires authentication (HTTP 407) and refused the credentials. Put the user name and password in the proxy URL (user:password, then @, before the host; percent-encode special characters), or set "http.proxyAuthorization" (e.g. "Basic " + base64 of user:password).', p.display)
        : msg('The proxy {0} requires authentication (HTTP 407). Put the user name and password in the proxy URL (user:password, then @, before the host; percent-encode special characters), or set "http.proxyAuthorization" (e.g. "Basic " + base64 of user:password).', p.display),
      details,
    );
  }
  if (err.proxyStatus !== undefined) {
    return new JiraError(
      'proxy',
      msg('The proxy {0} refused to connect to {1} (HTTP {2}). The proxy may block this host: ask its administrator, or bypass it for this host with "http.noProxy" / NO_PROXY or "jira.network.proxy": {"<site>": "direct"}.', p.display, hostPort(target.url), err.proxyStatus),
      details,
    );
  }
  const why =
    err.code === 'ECONNREFUSED'
      ? msg('the connection was refused (is the proxy running, and are host and port right?)')
      : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
        ? msg('its host name could not be resolved')
        : /CERT|SSL|TLS/i.test(err.code ?? '')
          ? msg('its TLS certificate was not accepted ({0}); trust its CA with "jira.ca"', String(err.code))
          : verbatim(err.message || String(err.code));
  return new JiraError('proxy', msg('Could not connect to the proxy {0}: {1}. Check {2}.', p.display, why, p.sourceText), details);
}

function hostPort(url: string): string {
  const m = /^[a-z]+:\/\/([^/?#]*)/i.exec(url);
  return m ? m[1].replace(/^[^@]*@/, '') : url;
}
