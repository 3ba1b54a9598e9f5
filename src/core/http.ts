import * as http from 'http';
import * as https from 'https';
import { errorFromNetwork, errorFromHangUpAfterHandshake, JiraError } from './errors';
import { msg } from './messages';
import { errorFromProxy, ProxyFailure } from './net/connect';
import { getNetworkProvider } from './net/defaults';
import { HostStack, sendThroughHost } from './net/host';
import { abortedError, readResponse, requestLife } from './net/requestLife';
import { GIVE_UP_OPTION, openUnpooled, PooledAgent, poolFor, PoolTarget } from './net/pool';
import { ProxySettings, ProxyTarget, resolveProxy } from './net/proxy';
import { isIdempotent } from './net/retry';
import { ClientCertificate, SecureContextInput, secureContextFor, systemCaCertificates, TrustContext, trustedCa, TrustOptions } from './net/tls';

/**
 * The single place where the core talks HTTP (Node's http/https modules: no fetch on Node 16).
 * Proxies, extra CAs and client certificates come in through `network`; a caller's own `agent`
 * replaces all of that.
 *
 * Requests are built with `new http.ClientRequest` and a socket this module opens (net/connect.ts),
 * not with `http.request`/`https.request`: VS Code patches those two in the extension host to
 * route through its own proxy agent (http.proxySupport), which would override the proxy, CA and
 * client certificate chosen here. So the extension's settings (and HTTPS_PROXY/NO_PROXY) are
 * applied by this module, explicitly and the same way in every host. A request whose network
 * options name the host's stack instead (`network.host`: VS Code's patched functions, for sites
 * without a jira.* override) is sent through it by net/host.ts.
 *
 * Repeated work is kept: one TLS context per trust configuration (net/tls.ts secureContextFor),
 * and kept-alive connections for idempotent requests (net/pool.ts), so paging through issues does
 * not pay a TCP + TLS handshake (and a CONNECT) per page.
 */

/** Proxy and trust of a request (see ProxySettings and TrustOptions). */
export interface NetworkOptions extends TrustOptions {
  proxy?: ProxySettings;
  /**
   * Send through the host's own request functions instead (net/host.ts: VS Code's patched
   * http/https in the extension host); `proxy`, `extraCa`, `systemCa` and `clientCertificate` are
   * then the host's business and ignored. Not used with a caller's `agent` or `tls` options.
   */
  host?: HostStack;
}

/** TLS settings passed to https.request (ignored for http URLs). */
export interface TlsOptions {
  /** Trusted CA certificates (PEM). Replaces Node's default list: prefer `network.extraCa`, which adds to it. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PEM), for servers that require mutual TLS. */
  cert?: string | Buffer | Array<string | Buffer>;
  key?: string | Buffer | Array<string | Buffer>;
  passphrase?: string;
  pfx?: string | Buffer | Array<string | Buffer>;
  /** Ignored: certificate verification is never switched off (trust a CA with `network.extraCa` instead). */
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
  /** http.Agent for http URLs, https.Agent for https URLs (own proxy agents, keep-alive...); `network.proxy` is then ignored. */
  agent?: http.Agent | https.Agent;
  tls?: TlsOptions;
  /** Proxy, extra CAs (added to the defaults) and client certificate. */
  network?: NetworkOptions;
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

function stripQ(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Send one request with Node's http/https. Rejects with a JiraError (network, tls, proxy,
 * proxy_auth, config, timeout, aborted). Without `network` and `agent`, the installed network
 * provider (net/defaults.ts) supplies proxy, trust and timeout, so every caller (REST, the OAuth
 * dances, OAuth 2.0 token calls) gets the same settings.
 */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  if (req.network === undefined && !req.agent) {
    const provider = getNetworkProvider();
    const d = provider ? await provider(req.url, req.signal) : undefined;
    if (d) req = { ...req, network: d.network ?? {}, timeoutMs: req.timeoutMs ?? d.timeoutMs };
  }
  const host = req.agent || req.tls ? undefined : req.network?.host;
  if (host) return sendThroughHost(req, host, { timeoutMs: DEFAULT_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });
  return send(req);
}

function send(req: HttpRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const { method, url } = req;
    const ctx = { method, url, baseUrl: url };
    if (req.signal?.aborted) {
      reject(abortedError(method, url));
      return;
    }
    const m = /^(https?):\/\/([^/?#]+)([^#]*)/i.exec(url);
    if (!m) {
      reject(new JiraError('invalid_request', msg('Not an http(s) URL: {0}', url), { method, url }));
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
      reject(new JiraError('invalid_request', msg('Not a valid URL: {0}', url), { method, url, cause: e }));
      return;
    }
    const path = m[3] || '/';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['Content-Length'] = String(req.body.length);
    }
    const portNumber = port ? Number(port) : isHttps ? 443 : 80;
    let proxy: ProxyTarget | undefined;
    try {
      proxy = req.agent ? undefined : resolveProxy(url, req.network?.proxy);
    } catch (e) {
      reject(e);
      return;
    }
    const tlsOptions: TlsOptions = { ...(req.tls ?? {}) };
    // Never turn verification off for Jira, whatever the caller passed.
    delete tlsOptions.rejectUnauthorized;
    const net = req.network;
    const cc = net?.clientCertificate;
    const giveUp = new AbortController();
    const options: https.RequestOptions = {
      method,
      hostname,
      port: portNumber,
      path,
      headers,
      agent: req.agent,
    };
    // Without a caller's agent: idempotent requests share kept-alive connections (net/pool.ts).
    // Others (POST, PUT, PATCH, DELETE: token exchanges, OAuth 2.0 refreshes with rotating refresh
    // tokens) always get a new connection of their own, closed after the response: a kept-alive
    // socket the server has just closed would fail such a request with no way to tell whether the
    // server acted on it, and replaying a refresh can revoke the whole token family.
    let pool: PooledAgent | undefined;
    if (req.agent) {
      if (isHttps) {
        const extra = [...(net?.systemCa && tlsOptions.ca === undefined ? systemCaCertificates() : []), ...(net?.extraCa ?? [])];
        if (extra.length) tlsOptions.ca = trustedCa(tlsOptions.ca, extra);
        Object.assign(options, tlsOptions, cc ? clientCertificateOptions(cc) : {});
      }
    } else {
      options.defaultPort = isHttps ? 443 : 80;
      if (proxy && !isHttps) {
        // Plain http through a proxy: absolute-form request target, credentials for the proxy.
        options.path = `http://${m[2].replace(/^[^@]*@/, '')}${path}`;
        if (proxy.authorization) headers['Proxy-Authorization'] = proxy.authorization;
      }
      let target: PoolTarget;
      try {
        target = connectionTarget({ isHttps, host: hostname, port: portNumber, proxy }, tlsOptions, net);
      } catch (e) {
        reject((e as ProxyFailure).proxy ? errorFromProxy(e as ProxyFailure, ctx) : errorFromNetwork(e, ctx));
        return;
      }
      if (isIdempotent(method)) {
        pool = poolFor(target);
        options.agent = pool;
        (options as Record<string, unknown>)[GIVE_UP_OPTION] = giveUp.signal;
      } else {
        (options as http.ClientRequestArgs).createConnection = ((_: unknown, cb: (err: Error | null, s?: unknown) => void) => {
          openUnpooled(target, giveUp.signal, cb as Parameters<typeof openUnpooled>[2]);
          return undefined;
        }) as unknown as http.ClientRequestArgs['createConnection'];
      }
    }

    let request: http.ClientRequest | undefined;
    // Timeout, cancel, too large, any error: the socket is destroyed, never returned to the pool.
    const life = requestLife(req, resolve, reject, () => {
      giveUp.abort();
      request?.destroy();
    });

    let resent = false;
    const attempt = (): void => {
      let r: http.ClientRequest;
      try {
        r = req.agent ? (isHttps ? https : http).request(options) : new http.ClientRequest(options);
      } catch (e) {
        // e.g. ERR_UNESCAPED_CHARACTERS, ERR_INVALID_CHAR in a header
        life.fail(new JiraError('invalid_request', msg('Cannot send {0} {1}: {2}', method, stripQ(url), (e as Error).message), { method, url, cause: e }));
        return;
      }
      request = r;
      let responded = false;
      r.on('error', (err) => {
        if (life.settled || request !== r) return;
        // A kept-alive socket the server closed just as it was reused: send again at once on a new
        // connection (once; idempotent requests only, the only ones on pooled sockets; not one of
        // the retries of net/retry.ts). The other idle sockets of the pool are likely closed too,
        // so they are dropped and the pool opens a new connection.
        if (pool && !resent && !responded && r.reusedSocket && isStaleSocketError(err)) {
          resent = true;
          pool.destroyIdle();
          attempt();
          return;
        }
        if (isHttps && !cc && !responded && !r.reusedSocket && isHangUpAfterHandshake(err, r.socket)) {
          life.fail(errorFromHangUpAfterHandshake(err, ctx));
          return;
        }
        life.fail((err as ProxyFailure).proxy ? errorFromProxy(err as ProxyFailure, ctx) : errorFromNetwork(err, ctx));
      });
      r.on('response', (res) => {
        if (request !== r) return;
        responded = true;
        if (proxy && !isHttps && res.statusCode === 407) {
          life.fail(errorFromProxy(Object.assign(new Error('proxy authentication required'), { proxy, proxyStatus: 407 }), ctx));
          return;
        }
        readResponse(res, req, req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, life, (err) => errorFromNetwork(err, ctx));
      });
      r.end(req.body);
    };

    attempt();
    life.arm(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  });
}

/** Errors of a kept-alive socket that the server closed before answering. */
function isStaleSocketError(err: Error & { code?: string }): boolean {
  return err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ECONNABORTED' || /socket hang up/i.test(err.message);
}

/**
 * The server closed or reset a TLS connection of its own (not a kept-alive one) after the
 * handshake had completed and its certificate was verified, before answering.
 */
function isHangUpAfterHandshake(err: Error & { code?: string }, socket: unknown): boolean {
  if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') return false;
  const s = socket as { encrypted?: boolean; authorized?: boolean } | null | undefined;
  return s?.encrypted === true && s.authorized === true;
}

function clientCertificateOptions(cc: ClientCertificate): TlsOptions {
  const o: TlsOptions = {};
  if (cc.pfx) o.pfx = cc.pfx;
  if (cc.cert) o.cert = cc.cert;
  if (cc.key) o.key = cc.key;
  if (cc.passphrase !== undefined) o.passphrase = cc.passphrase;
  return o;
}

/**
 * The connection of a request without a caller's agent, with its TLS contexts from the cache of
 * net/tls.ts: the caller's `tls` options, the extra CAs (added to the defaults) and the client
 * certificate (which wins over `tls.cert`/`key`/`pfx`). Throws what building a context throws; a
 * failure of the https:// proxy's context is marked as the proxy's.
 */
function connectionTarget(where: Pick<PoolTarget, 'isHttps' | 'host' | 'port' | 'proxy'>, o: TlsOptions, net: NetworkOptions | undefined): PoolTarget {
  const cert = { ...o, ...(net?.clientCertificate ? clientCertificateOptions(net.clientCertificate) : {}) };
  const input: SecureContextInput = {
    ca: o.ca,
    extraCa: net?.extraCa?.length ? net.extraCa : undefined,
    system: net?.systemCa === true && o.ca === undefined ? true : undefined,
    cert: cert.cert,
    key: cert.key,
    pfx: cert.pfx,
    passphrase: cert.passphrase,
    minVersion: o.minVersion,
  };
  // http targets use no TLS of their own (a client certificate is not even parsed for them).
  const site = where.isHttps ? secureContextFor(input) : undefined;
  let proxyContext: TrustContext | undefined;
  if (where.proxy?.protocol === 'https:') {
    try {
      proxyContext = secureContextFor({ ca: input.ca, extraCa: input.extraCa, system: input.system });
    } catch (e) {
      throw Object.assign(e as Error, { proxy: where.proxy });
    }
  }
  return {
    ...where,
    secureContext: site?.context,
    servername: o.servername,
    proxyContext: proxyContext?.context,
    trustId: `${site?.id ?? '-'}/${proxyContext?.id ?? '-'}`,
  };
}
