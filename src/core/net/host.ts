import type * as http from 'http';
import { checkServerIdentity, TLSSocket } from 'tls';
import { errorFromNetwork, JiraError, stripQuery } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import { Message, msg } from '../messages';
import { errorFromProxy, ProxyFailure } from './connect';
import type { ProxyTarget } from './proxy';
import { abortedError, readResponse, requestLife } from './requestLife';
import { isIdempotent } from './retry';

/**
 * The host's own network stack as a transport. In VS Code's extension host, `http.request` and
 * `https.request` are patched (@vscode/proxy-agent, see docs/network.md): they resolve the proxy
 * the way VS Code does (http.proxy, *_PROXY, the operating system's or a PAC file's choice,
 * `http.useLocalProxyConfiguration`), answer a proxy's 407 with Kerberos/NTLM or VS Code's login
 * prompt, and add the operating system's certificate store. None of that is reachable otherwise,
 * so the extension hands those two functions in (src/netSettings) for sites without a jira.*
 * override; the own transport (../http.ts, ./connect.ts) serves everything else and plain Node.
 *
 * What is given to the host's function is only what a plain extension gives it: method, host,
 * port, path, headers; no agent (with http.proxySupport "on" an agent of ours would switch the
 * proxy resolution off, and "override" replaces it anyway), no `ca` (it would switch the system
 * store off). Direct connections are then kept alive by Node's global agent (keepAlive since Node
 * 19); through a proxy, VS Code opens a new tunnel per request (microsoft/vscode#228872).
 */

/** A request function with the signature of Node's `http.request(options, callback)`. */
export type HostRequestFunction = (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => http.ClientRequest;

/** The host's request functions for http: and https: URLs. */
export interface HostStack {
  http: HostRequestFunction;
  https: HostRequestFunction;
}

/** What @vscode/proxy-agent emits on a request as 'proxy' when it chose or failed a proxy. */
interface ProxyEvent {
  proxy?: string;
  error?: Error & { code?: string };
}

const HOST_SOURCE = msg('VS Code\'s proxy settings (http.proxy, the system proxy or its PAC file)');

/**
 * The proxy a PAC-style answer names ("PROXY host:port", "HTTPS host:port", "SOCKS5 host:port"),
 * without credentials: they never reach a message, a log or an error object.
 */
export function proxyFromPacEntry(entry: string | undefined): ProxyTarget | undefined {
  const m = /^\s*(PROXY|HTTPS?|SOCKS[45]?)\s+(?:[^\s@;]*@)?([^\s;]+)/i.exec(entry ?? '');
  if (!m) return undefined;
  const type = m[1].toUpperCase();
  const scheme = type === 'HTTPS' ? 'https' : type.startsWith('SOCKS') ? 'socks' : 'http';
  const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(m[2]);
  if (!hostPort) return undefined;
  const host = hostPort[1].replace(/^\[|\]$/g, '');
  const port = hostPort[2] ? Number(hostPort[2]) : scheme === 'https' ? 443 : 80;
  return { protocol: scheme === 'https' ? 'https:' : 'http:', host, port, strictSSL: true, display: `${scheme}://${m[2]}`, source: 'VS Code', sourceText: HOST_SOURCE };
}

/** Credentials in a PAC answer or a proxy URL quoted by an error message, replaced. */
function withoutCredentials(text: string): string {
  return text
    .replace(/\b((?:PROXY|HTTPS?|SOCKS[45]?)\s+)[^\s@;]+@/gi, '$1***@')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    .replace(/\b(Basic|Negotiate|NTLM|Bearer)\s+[A-Za-z0-9+/=._~-]+/gi, '$1 ***');
}

/**
 * The cause kept on a JiraError: the message (credentials removed) and code only. Errors of the
 * host's stack may carry its agent, the proxy URL or request options with a Proxy-Authorization.
 */
function safeCause(err: unknown): Error {
  const e = err as (Error & { code?: unknown }) | undefined;
  const out = new Error(withoutCredentials(e && typeof e.message === 'string' ? e.message : String(err)));
  if (e && typeof e.code === 'string') (out as Error & { code?: string }).code = e.code;
  return out;
}

/** For an answer from a proxy the host did not name (its agent always does: 'proxy' event). */
const UNKNOWN_PROXY = proxyFromPacEntry('PROXY ?') as ProxyTarget;

function hostAuthRefused(p: ProxyTarget): Message {
  return msg(
    'The proxy {0} that VS Code chose requires authentication (HTTP 407), and no accepted credentials were given (VS Code\'s proxy login, Kerberos or NTLM). Sign in to the proxy when VS Code asks, put user:password@ in "http.proxy", or set "http.proxyAuthorization".',
    p.display,
  );
}

/** Send one request through the host's stack; rejects with the same JiraError codes as the own transport. */
export function sendThroughHost(req: HttpRequest, stack: HostStack, limits: { timeoutMs: number; maxResponseBytes: number }): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const { method, url } = req;
    const ctx = { method, url };
    if (req.signal?.aborted) {
      reject(abortedError(method, url));
      return;
    }
    const m = /^(https?):\/\/([^/?#]+)([^#]*)/i.exec(url);
    let target: URL | undefined;
    try {
      target = m ? new URL(`${m[1]}://${m[2]}`) : undefined;
    } catch {
      target = undefined;
    }
    if (!m || !target) {
      reject(new JiraError('invalid_request', msg('Not a valid URL: {0}', url), { method, url }));
      return;
    }
    const isHttps = target.protocol === 'https:';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['Content-Length'] = String(req.body.length);
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    const options: http.RequestOptions & { checkServerIdentity?: typeof checkServerIdentity } = {
      method,
      hostname,
      port: target.port ? Number(target.port) : isHttps ? 443 : 80,
      path: m[3] || '/',
      headers,
    };
    // The certificate is checked against the site's host name, also through a proxy's tunnel:
    // https-proxy-agent (in VS Code's stack) gives tls.connect no host and, for an IP address, no
    // servername, so Node would check the name "localhost". Its agents pass this option through.
    if (isHttps) options.checkServerIdentity = (_name, cert) => checkServerIdentity(hostname, cert);

    let request: http.ClientRequest | undefined;
    const life = requestLife(req, resolve, reject, () => request?.destroy());

    let resent = false;
    const attempt = (): void => {
      let r: http.ClientRequest;
      try {
        r = (isHttps ? stack.https : stack.http)(options);
      } catch (e) {
        life.fail(new JiraError('invalid_request', msg('Cannot send {0} {1}: {2}', method, stripQuery(url), withoutCredentials((e as Error).message)), { method, url, cause: safeCause(e) }));
        return;
      }
      request = r;
      // The proxy the host chose (or failed to reach), for the error that names it.
      let proxy: ProxyTarget | undefined;
      let proxyError: (Error & { code?: string }) | undefined;
      r.on('proxy', (ev: ProxyEvent) => {
        proxy = proxyFromPacEntry(ev?.proxy);
        if (ev?.error) proxyError = ev.error;
      });
      let responded = false;
      r.on('error', (err: Error & { code?: string }) => {
        if (life.settled || request !== r) return;
        // A kept-alive socket the server closed as it was reused: once more on a new connection.
        if (!resent && !responded && r.reusedSocket && isIdempotent(method) && /^(ECONNRESET|EPIPE|ECONNABORTED)$/.test(err.code ?? '')) {
          resent = true;
          attempt();
          return;
        }
        if (proxy && proxyError) {
          life.fail(errorFromProxy(Object.assign(safeCause(proxyError), { proxy }) as ProxyFailure, ctx));
          return;
        }
        life.fail(errorFromNetwork(safeCause(err), { ...ctx, baseUrl: url }));
      });
      r.on('response', (res: http.IncomingMessage) => {
        if (request !== r) return;
        responded = true;
        // Jira never answers 407; for https, an answer on a socket without TLS is the proxy's
        // answer to CONNECT, which the host's agent hands over as the response.
        const fromProxy = res.statusCode === 407 || (isHttps && (res.socket as TLSSocket | null)?.encrypted !== true);
        if (fromProxy) {
          res.resume();
          const p = proxy ?? UNKNOWN_PROXY;
          if (res.statusCode === 407) {
            life.fail(new JiraError('proxy_auth', hostAuthRefused(p), { method, url, status: 407 }));
          } else {
            life.fail(errorFromProxy(Object.assign(new Error('the proxy refused CONNECT'), { proxy: p, proxyStatus: res.statusCode ?? 0 }) as ProxyFailure, ctx));
          }
          return;
        }
        readResponse(res, req, req.maxResponseBytes ?? limits.maxResponseBytes, life, (err) => errorFromNetwork(safeCause(err), { method, url, baseUrl: url }));
      });
      r.end(req.body);
    };

    attempt();
    life.arm(req.timeoutMs ?? limits.timeoutMs);
  });
}
