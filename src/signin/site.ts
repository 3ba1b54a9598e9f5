import { errorMessage, t } from '../l10n';
import { sameSite, siteLabel } from '../store/accounts';
import type { SiteInfo } from '../store/types';
import type { StepInfo } from '../ui/prompter';
import type { SignInDeps } from './deps';
import { answered, isCancellation, SignInError } from './errors';

export const RECENT_SITES_KEY = 'jira.recentSites';
const MAX_RECENT = 10;

/** localhost, 127.0.0.0/8 and ::1 may use http://; everything else needs https://. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1';
}

/**
 * Refuses plain http except for loopback addresses, or when the user setting
 * jira.network.allowInsecureHttp allows it (the transport then warns). `baseUrl` is already normalised.
 */
export function checkHttps(baseUrl: string, allowInsecureHttp = false): void {
  const m = /^(https?):\/\/(\[[^\]]+\]|[^/:]+)/i.exec(baseUrl);
  if (m && m[1].toLowerCase() === 'http' && !isLoopbackHost(m[2]) && !allowInsecureHttp) {
    throw new SignInError(
      'https_required',
      t('{0} uses http://. Use the https:// address of Jira: credentials must not travel unencrypted (only localhost may use http://). To allow it anyway (not recommended), turn on the setting "jira.network.allowInsecureHttp".', baseUrl),
    );
  }
}

/** The Application Links admin page of a site. */
export function applicationLinksUrl(baseUrl: string): string {
  return `${baseUrl}/plugins/servlet/applinks/listApplicationLinks`;
}

/** "Jira Data Center 9.12.0" style summary of a site. */
export function describeSite(site: SiteInfo): string {
  const kind = site.deploymentType === 'Cloud' ? 'Jira Cloud' : site.deploymentType ? `Jira ${site.deploymentType}` : 'Jira';
  return [site.title, `${kind}${site.version ? ` ${site.version}` : ''}`].filter(Boolean).join(' · ');
}

/** Sites to offer: accounts' sites, the jira.sites setting, then recently used ones (no duplicates). */
export function knownSites(deps: Pick<SignInDeps, 'accounts' | 'memento' | 'settings'>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (u: unknown) => {
    if (typeof u !== 'string' || !u.trim()) return;
    const v = u.trim().replace(/\/+$/, '');
    const k = v.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    out.push(v);
  };
  for (const a of deps.accounts.list()) add(a.site.baseUrl);
  for (const s of deps.settings().sites) add(s);
  const recent = deps.memento.get<unknown>(RECENT_SITES_KEY);
  if (Array.isArray(recent)) for (const s of recent) add(s);
  return out;
}

export async function rememberSite(deps: Pick<SignInDeps, 'memento'>, baseUrl: string): Promise<void> {
  const recent = deps.memento.get<unknown>(RECENT_SITES_KEY);
  const list = Array.isArray(recent) ? recent.filter((s): s is string => typeof s === 'string') : [];
  const next = [baseUrl, ...list.filter((s) => s.toLowerCase() !== baseUrl.toLowerCase())].slice(0, MAX_RECENT);
  await deps.memento.update(RECENT_SITES_KEY, next);
}

/**
 * Explains why a site could not be used, for the input box: which of not reachable, TLS, proxy,
 * not Jira, and what to do (core's JiraError messages already say what to do).
 */
export function explainSiteError(err: unknown, baseUrl: string): string {
  const e = err as { code?: string; status?: number; message?: string };
  if (err instanceof SignInError) return err.message;
  switch (e?.code) {
    case 'network':
    case 'timeout':
      // Core's message already names the address and says what to do; a prefix only repeated it.
      return errorMessage(err);
    case 'tls':
      return t('TLS problem: {0}', errorMessage(err));
    case 'html_instead_of_json':
    case 'bad_json':
    case 'bad_response':
    case 'not_found':
    case 'redirect':
      return t('{0} does not look like Jira: {1}', baseUrl, errorMessage(err));
    case 'http_error':
      if (e.status === 407) {
        return t('A proxy between you and Jira requires authentication (HTTP 407). Put its user name and password in the setting "http.proxy" (http://user:password@host:port) or "http.proxyAuthorization", and try again.');
      }
      return errorMessage(err);
    case 'server_error':
      if (e.status === 502 || e.status === 503 || e.status === 504) return t('Proxy or gateway problem: {0}', errorMessage(err));
      return errorMessage(err);
    default:
      return errorMessage(err);
  }
}

/**
 * Normalises and checks a base URL and fetches /rest/api/2/serverInfo to confirm it is Jira.
 * Throws SignInError (https_required, not_jira) or core's JiraError.
 */
export async function validateSite(deps: Pick<SignInDeps, 'core' | 'log' | 'userAgent'> & Partial<Pick<SignInDeps, 'settings'>>, input: string, signal?: AbortSignal): Promise<SiteInfo> {
  const core = await deps.core();
  const baseUrl = core.normalizeBaseUrl(input);
  checkHttps(baseUrl, deps.settings?.().allowInsecureHttp === true);
  deps.log.info(`checking ${baseUrl}/rest/api/2/serverInfo`);
  let info: Awaited<ReturnType<typeof core.fetchServerInfo>>;
  try {
    info = await core.fetchServerInfo(baseUrl, { signal, userAgent: deps.userAgent });
  } catch (err) {
    if (isCancellation(err)) throw err;
    deps.log.warn(`${baseUrl} failed the Jira check`);
    deps.log.error('serverInfo failed:', err);
    throw err;
  }
  if (typeof info.version !== 'string' && !Array.isArray(info.versionNumbers)) {
    throw new SignInError('not_jira', t('{0} answered, but not like Jira: /rest/api/2/serverInfo has no Jira version. Check the address, including a context path such as /jira.', baseUrl));
  }
  const site: SiteInfo = {
    baseUrl,
    title: typeof info.serverTitle === 'string' ? info.serverTitle : undefined,
    version: typeof info.version === 'string' ? info.version : info.versionNumbers?.join('.'),
    deploymentType: typeof info.deploymentType === 'string' ? info.deploymentType : undefined,
  };
  deps.log.info(`${baseUrl} is ${describeSite(site)}`);
  if (typeof info.baseUrl === 'string') {
    let reported: string | undefined;
    try {
      reported = core.normalizeBaseUrl(info.baseUrl);
    } catch {
      reported = undefined;
    }
    if (reported && reported.toLowerCase() !== baseUrl.toLowerCase()) {
      deps.log.warn(`Jira reports its base URL as ${reported}, not ${baseUrl}; if signatures are refused (signature_invalid), sign in with ${reported}`);
    }
  }
  return site;
}

/**
 * The site pick's row for a typed address, when the text looks like one. A remembered site typed
 * another way (no scheme, other case, a trailing slash) is that site, with its scheme: Enter must
 * not turn `127.0.0.1:8080/jira` into https when the list knows it as http.
 */
export function typedSiteRow(typed: string, known: readonly string[]): { label: string; description: string; value: string } | undefined {
  const url = typed.trim();
  if (!/^(https?:\/\/)?[\w.-]+\.[\w.-]+|^https?:\/\//i.test(url)) return undefined;
  const remembered = known.find((u) => sameSite(u, url) || sameSite(siteLabel(u), url));
  return remembered ? { label: url, description: t('Remembered site'), value: remembered } : { label: url, description: t('Use this URL'), value: url };
}

/**
 * Step 1: choose a known site or type a base URL, then check it (progress, cancellable). A URL
 * that fails the check comes back in the input box with the reason, so it can be corrected.
 */
export async function pickSite(deps: SignInDeps, steps: StepInfo, title: string): Promise<SiteInfo> {
  const known = knownSites(deps);
  let value: string | undefined;
  if (known.length) {
    const other = '\u0000other';
    const chosen = answered(
      await deps.prompter.pick<string>({
        title,
        steps,
        placeholder: t('Choose a Jira site, or type its base URL (e.g. https://jira.example.com/jira)'),
        items: [
          ...known.map((u) => ({ label: siteLabel(u), description: u, value: u })),
          'separator' as const,
          { label: `$(add) ${t('Enter Another Site URL...')}`, value: other, alwaysShow: true },
        ],
        custom: (typed) => typedSiteRow(typed, known),
      }),
    );
    if (chosen !== other) value = chosen;
  }
  let message: string | undefined;
  for (;;) {
    if (value === undefined || message !== undefined) {
      value = answered(
        await deps.prompter.input({
          title,
          steps,
          prompt: t('Base URL of your Jira site, as in your browser (with the context path, e.g. /jira, if any)'),
          placeholder: 'https://jira.example.com',
          value,
          validationMessage: message,
          validate: (v) => (v.trim() ? undefined : t('Enter the address of your Jira site.')),
        }),
      );
    }
    const typed = value.trim();
    const assumed = !/^[a-z][a-z0-9+.-]*:\/\//i.test(typed);
    const url = assumed ? `https://${typed}` : typed;
    try {
      return await deps.prompter.progress(t('Connecting to {0}...', siteLabel(url)), (signal) => validateSite(deps, url, signal));
    } catch (err) {
      if (isCancellation(err)) throw err;
      ({ message, value } = assumed ? explainAssumedHttps(err, typed) : { message: explainSiteError(err, url), value: url });
    }
  }
}

/**
 * A site typed without a scheme was tried as https:// and failed: say so. A loopback site (a local
 * Jira, often plain http) gets http:// filled in instead of advice about certificates that do not
 * apply to it; another site keeps https://, as credentials must not travel unencrypted.
 */
export function explainAssumedHttps(err: unknown, typed: string): { message: string; value: string } {
  const httpsUrl = `https://${typed}`;
  const host = /^(\[[^\]]*\]|[^/:?#]*)/.exec(typed)?.[1] ?? '';
  const e = err as { code?: string; systemCode?: string };
  if (!(err instanceof SignInError) && isLoopbackHost(host)) {
    const noTls = e?.code === 'tls' && /EPROTO|WRONG_VERSION_NUMBER|HTTP_REQUEST/.test(e.systemCode ?? '');
    const why = noTls ? t('nothing answers with TLS there') : explainSiteError(err, httpsUrl);
    return {
      message: t('No scheme was typed, so {0} was tried: {1}. A local Jira often runs without TLS: press Enter to try http://{2}, or type https:// yourself.', httpsUrl, why.replace(/\.$/, ''), typed),
      value: `http://${typed}`,
    };
  }
  return { message: t('No scheme was typed, so {0} was tried. {1}', httpsUrl, explainSiteError(err, httpsUrl)), value: httpsUrl };
}
