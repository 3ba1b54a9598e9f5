import { JiraError } from '../errors';
import { formatMessage, Message, msg } from '../messages';

/**
 * Which proxy a request goes through: an explicit proxy URL (VS Code's http.proxy or a per-site
 * override), else HTTPS_PROXY / HTTP_PROXY from the environment (lower or upper case), minus the
 * hosts of http.noProxy / NO_PROXY.
 */
export interface ProxySettings {
  /**
   * Proxy URL (`http://[user:password@]host:port` or `https://...`) used for every request;
   * `'direct'` forces no proxy (also ignoring the environment); empty or undefined: use `env`.
   */
  proxy?: string;
  /** Hosts that bypass the proxy: `example.com` (and its subdomains), `.example.com`, `*.example.com`, `10.1.2.3`, `host:port`, `*`. */
  noProxy?: readonly string[];
  /** Value of the Proxy-Authorization header (VS Code's http.proxyAuthorization), e.g. `Basic dXNlcjpwYXNz`. */
  proxyAuthorization?: string;
  /** Verify the certificate of an https:// proxy (http.proxyStrictSSL). Default true. */
  strictSSL?: boolean;
  /** Environment to read HTTPS_PROXY, HTTP_PROXY, NO_PROXY from (any case). Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A proxy chosen for one request. */
export interface ProxyTarget {
  protocol: 'http:' | 'https:';
  host: string;
  port: number;
  /**
   * Proxy-Authorization header value, from the URL's credentials or proxyAuthorization. A
   * non-enumerable getter: errors carry their ProxyTarget (JiraError.cause.proxy), and neither
   * JSON.stringify nor util.inspect (even with showHidden) may show the credential.
   */
  readonly authorization?: string;
  strictSSL: boolean;
  /** The proxy URL without credentials, for messages. */
  display: string;
  /** Where the proxy came from, for messages: e.g. "http.proxy" or "HTTPS_PROXY". */
  source: string;
  /** The same, as a template and arguments (for translated messages). */
  sourceText: Message;
}

function envValue(env: Readonly<Record<string, string | undefined>> | undefined, name: string): string | undefined {
  if (!env) return undefined;
  const lower = env[name.toLowerCase()];
  if (lower !== undefined && lower.trim()) return lower.trim();
  const upper = env[name.toUpperCase()];
  return upper !== undefined && upper.trim() ? upper.trim() : undefined;
}

/** Split a NO_PROXY / http.noProxy value into entries. */
export function parseNoProxy(value: string | readonly string[] | undefined): string[] {
  if (!value) return [];
  const parts = typeof value === 'string' ? value.split(/[,\s]+/) : value.flatMap((v) => String(v).split(/[,\s]+/));
  return parts.map((p) => p.trim().toLowerCase()).filter(Boolean);
}

/** Does `host[:port]` match an entry of a no-proxy list? */
export function bypassesProxy(hostname: string, port: number, noProxy: readonly string[]): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  for (const raw of noProxy) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: number | undefined;
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (m) {
      entry = m[1];
      entryPort = Number(m[2]);
    }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.').replace(/^\*/, '');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.startsWith('.')) {
      if (host.endsWith(entry) || host === entry.slice(1)) return true;
    } else if (host === entry || host.endsWith('.' + entry)) {
      return true;
    }
  }
  return false;
}

/** Parse a proxy URL; `source` names the setting or variable for the error message. */
export function parseProxyUrl(value: string, sourceText: Message, proxyAuthorization?: string, strictSSL = true): ProxyTarget {
  const source = formatMessage(sourceText);
  let v = value.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) v = `http://${v}`;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    // Without the user:password part, which may be all that makes it unparsable.
    const shown = value.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
    throw new JiraError('config', msg('The proxy "{0}" from {1} is not a valid URL. Use http://host:port (or http://user:password@host:port).', shown, sourceText));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new JiraError('config', msg('The proxy "{0}" from {1} is not supported: only http:// and https:// proxies are (no SOCKS). Fix {1}.', `${u.protocol}//${u.host}`, sourceText));
  }
  let authorization: string | undefined;
  if (u.username || u.password) {
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
  } else if (proxyAuthorization && proxyAuthorization.trim()) {
    authorization = proxyAuthorization.trim();
  }
  const protocol = u.protocol as 'http:' | 'https:';
  const port = u.port ? Number(u.port) : protocol === 'https:' ? 443 : 80;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const target: ProxyTarget = { protocol, host, port, strictSSL, display: `${protocol}//${u.host}`, source, sourceText };
  if (authorization !== undefined) {
    const value = authorization;
    Object.defineProperty(target, 'authorization', { get: () => value, enumerable: false });
  }
  return target;
}

/** The proxy for `url`, or undefined for a direct connection. Throws JiraError('config') for a bad proxy URL. */
export function resolveProxy(url: string, s: ProxySettings | undefined): ProxyTarget | undefined {
  if (!s) return undefined;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  const isHttps = target.protocol === 'https:';
  const port = target.port ? Number(target.port) : isHttps ? 443 : 80;
  const explicit = s.proxy?.trim();
  if (explicit && explicit.toLowerCase() === 'direct') return undefined;
  const noProxy = [...parseNoProxy(s.noProxy), ...parseNoProxy(envValue(s.env, 'no_proxy'))];
  if (bypassesProxy(target.hostname, port, noProxy)) return undefined;
  const strict = s.strictSSL !== false;
  if (explicit) return parseProxyUrl(explicit, msg('the proxy setting (http.proxy or jira.network.proxy)'), s.proxyAuthorization, strict);
  const fromEnv = isHttps ? envValue(s.env, 'https_proxy') : envValue(s.env, 'http_proxy');
  if (!fromEnv) return undefined;
  const name = isHttps ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  return parseProxyUrl(fromEnv, msg('the {0} environment variable', name), s.proxyAuthorization, strict);
}
