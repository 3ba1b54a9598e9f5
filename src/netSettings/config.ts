// Turns the extension's network settings into the core's per-request NetworkDefaults. No vscode
// import: src/netSettings/index.ts reads the settings and SecretStorage, unit tests pass plain objects.
// The core is passed in (the loaded dist/core.js), never imported here: the extension ships it once.
import type { ClientCertificate, HostStack, NetworkDefaults, NetworkOptions, ProxySettings, RetryOptions } from '../core';
import type { Core } from '../coreLoader';
import { verbatim } from '../core/messages';
import { t } from '../l10n';

/** The parts of the core this module uses. */
export type NetCore = Pick<Core, 'JiraError' | 'pemCertificates' | 'checkClientCertificate'>;

/** Client certificate files of a site (setting jira.network.clientCertificates). Paths only. */
export interface ClientCertificateFiles {
  cert?: string;
  key?: string;
  pfx?: string;
}

/** The settings as read (VS Code's http.* and the extension's jira.*). */
export interface RawNetworkSettings {
  /** http.proxy */
  httpProxy?: string;
  /** http.noProxy */
  noProxy?: string[];
  /** http.proxyStrictSSL */
  proxyStrictSSL?: boolean;
  /** http.proxyAuthorization */
  proxyAuthorization?: string | null;
  /** http.proxySupport: 'off' makes extensions' requests go direct in VS Code, so ours do too. */
  proxySupport?: string;
  /** http.systemCertificates (VS Code's default: true): also trust the operating system's CA store. */
  systemCertificates?: boolean;
  /** jira.network.proxy: site -> proxy URL or "direct". */
  siteProxies?: Record<string, string>;
  /** jira.ca: paths for every site, or site -> paths. */
  ca?: string[] | Record<string, string[] | string>;
  /** jira.network.clientCertificates: site -> files. */
  clientCertificates?: Record<string, ClientCertificateFiles>;
  /** jira.network.timeout, seconds. */
  timeoutSeconds?: number;
  /** jira.network.retries */
  retries?: number;
  /** jira.network.allowInsecureHttp */
  allowInsecureHttp?: boolean;
}

export interface NetworkIo {
  core: NetCore;
  /** Read a file named in a setting; may return the same (unmodified) Buffer while the file is unchanged. */
  readFile(path: string): Promise<Buffer>;
  env: Readonly<Record<string, string | undefined>>;
  /** Unlock a client certificate (passphrase from SecretStorage or asked); see passphrase.ts. */
  clientCertificate(site: string, files: ClientCertificateFiles, signal?: AbortSignal): Promise<ClientCertificate>;
  /** Plain http to a non-loopback host that the setting allows: warn (once per host). */
  warnInsecure?(host: string): void;
  onRetry?: RetryOptions['onRetry'];
  /**
   * The host's request functions (VS Code's patched http/https in the extension host): the
   * default path for sites without a jira.* override; see hostRoute.
   */
  hostStack?: HostStack;
}

function normalise(u: string): string {
  return u.trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * The entry of a site-keyed map that applies to `url`: keys are base URLs (the longest one that
 * prefixes the URL wins, at a path boundary) or bare host names.
 */
export function siteEntry<T>(map: Record<string, T> | undefined, url: string): { site: string; value: T } | undefined {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return undefined;
  const target = normalise(url);
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    /* not a URL */
  }
  let best: { site: string; value: T } | undefined;
  for (const [key, value] of Object.entries(map)) {
    const k = normalise(key);
    if (!k) continue;
    const matches = /^[a-z][a-z0-9+.-]*:\/\//.test(k)
      ? target === k || target.startsWith(k + '/') || target.startsWith(k + '?')
      : host === k.replace(/^\[|\]$/g, '');
    if (matches && (!best || k.length > normalise(best.site).length)) best = { site: key, value };
  }
  return best;
}

/** localhost, *.localhost, 127.0.0.0/8, ::1 */
export function isLoopbackUrl(url: string): boolean {
  let h: string;
  try {
    h = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1';
}

/**
 * Proxy settings for `url`: the per-site override wins over http.proxy and the environment. A
 * loopback site (a local Jira) goes direct unless its own jira.network.proxy entry names a proxy:
 * a proxy elsewhere cannot reach this machine's loopback, and would read the Authorization
 * header of a plain http:// request.
 */
export function proxySettingsFor(url: string, s: RawNetworkSettings, env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const override = siteEntry(s.siteProxies, url);
  const proxyAuthorization = typeof s.proxyAuthorization === 'string' ? s.proxyAuthorization : undefined;
  if (override && typeof override.value === 'string' && override.value.trim()) {
    return { proxy: override.value.trim(), proxyAuthorization, strictSSL: s.proxyStrictSSL !== false };
  }
  if (isLoopbackUrl(url)) return { proxy: 'direct' };
  // VS Code leaves extensions' requests alone with http.proxySupport "off": they go direct.
  if (s.proxySupport === 'off') return { proxy: 'direct' };
  return { proxy: s.httpProxy?.trim() || undefined, noProxy: s.noProxy ?? [], proxyAuthorization, strictSSL: s.proxyStrictSSL !== false, env };
}

/**
 * Does a request to `url` go through the host's network stack (VS Code's: system and PAC proxies,
 * its proxy login, Kerberos/NTLM, the OS certificate store)? Yes, unless something VS Code's stack
 * for extensions would not honour applies, which the own transport does:
 * - a jira.network.proxy entry, jira.ca or a client certificate for the site (explicit overrides win);
 * - a loopback site (never proxied, and VS Code sends those direct too);
 * - http.proxySupport "off" (VS Code then resolves no proxy for extensions: direct);
 * - http.proxyAuthorization (VS Code's stack for extensions does not send it; the user set it for a reason);
 * - http.proxyStrictSSL false (VS Code's stack for extensions verifies an https:// proxy regardless).
 * An explicit http.proxy alone takes the host's stack: VS Code resolves it the same way and adds
 * its login prompt and Kerberos on a 407, at the price of a new tunnel per request (docs/network.md).
 */
export function hostRoute(url: string, s: RawNetworkSettings, site: { extraCa: boolean; clientCertificate: boolean }): boolean {
  if (site.extraCa || site.clientCertificate) return false;
  const override = siteEntry(s.siteProxies, url);
  if (override && typeof override.value === 'string' && override.value.trim()) return false;
  if (isLoopbackUrl(url) || s.proxySupport === 'off') return false;
  if (s.proxyStrictSSL === false) return false;
  return !(typeof s.proxyAuthorization === 'string' && s.proxyAuthorization.trim());
}

/** CA files for `url`: every path of an array jira.ca, or the site's entry of a map. */
export function caFilesFor(url: string, ca: RawNetworkSettings['ca']): string[] {
  if (!ca) return [];
  if (Array.isArray(ca)) return ca.filter((p): p is string => typeof p === 'string' && !!p.trim());
  const e = siteEntry(ca, url);
  if (!e) return [];
  const v = e.value;
  return (Array.isArray(v) ? v : [v]).filter((p): p is string => typeof p === 'string' && !!p.trim());
}

/**
 * The certificates of a CA file's content. io.readFile returns the same Buffer while a file is
 * unchanged (fileCache.ts), so an unchanged file is not parsed again; a changed one is a new Buffer.
 * Only successes are kept: a file without certificates fails every request.
 */
const parsedCa = new WeakMap<Buffer, string[]>();

async function readSettingFile(io: NetworkIo, path: string, setting: string): Promise<Buffer> {
  try {
    return await io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    throw new io.core.JiraError('config', verbatim(t('Cannot read {0} from the setting "{1}" ({2}). Fix the path (on the machine where the extension runs) or remove it.', path, setting, code ?? String(e))), {
      systemCode: code,
    });
  }
}

/** Everything the core needs for one request to `url`; rejects with a JiraError('config') that names the setting. */
export async function networkDefaultsFor(url: string, s: RawNetworkSettings, io: NetworkIo, signal?: AbortSignal): Promise<NetworkDefaults> {
  if (/^http:/i.test(url) && !isLoopbackUrl(url)) {
    if (!s.allowInsecureHttp) {
      throw new io.core.JiraError(
        'config',
        verbatim(t('{0} uses plain http://: credentials would travel unencrypted. Use the https:// address, or (not recommended) turn on the setting "jira.network.allowInsecureHttp".', url.replace(/[?#].*$/, ''))),
      );
    }
    io.warnInsecure?.(new URL(url).host);
  }
  const extraCa: string[] = [];
  for (const path of caFilesFor(url, s.ca)) {
    const data = await readSettingFile(io, path, 'jira.ca');
    let certs = parsedCa.get(data);
    if (!certs) {
      certs = io.core.pemCertificates(data.toString('utf8'), t('The file {0} (setting "jira.ca")', path));
      parsedCa.set(data, certs);
    }
    extraCa.push(...certs);
  }
  const cc = siteEntry(s.clientCertificates, url);
  const clientCertificate = cc && cc.value && typeof cc.value === 'object' ? await io.clientCertificate(cc.site, cc.value, signal) : undefined;
  const own: NetworkOptions = { proxy: proxySettingsFor(url, s, io.env), extraCa: extraCa.length ? extraCa : undefined, systemCa: s.systemCertificates !== false, clientCertificate };
  const host = io.hostStack && hostRoute(url, s, { extraCa: extraCa.length > 0, clientCertificate: !!clientCertificate });
  const retries = Number.isInteger(s.retries) && (s.retries as number) >= 0 ? Math.min(s.retries as number, 10) : 2;
  const seconds = typeof s.timeoutSeconds === 'number' && s.timeoutSeconds > 0 ? s.timeoutSeconds : 30;
  return {
    network: host ? { host: io.hostStack } : own,
    timeoutMs: Math.round(seconds * 1000),
    retry: retries > 0 ? { retries, onRetry: io.onRetry } : false,
  };
}
