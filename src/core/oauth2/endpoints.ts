import { JiraError } from '../errors';
import { msg } from '../messages';
import { normalizeBaseUrl } from '../url';
import type { Pkce } from './pkce';

/** Where an OAuth 2.0 provider lives. */
export interface OAuth2Endpoints {
  /** The consent page (browser). */
  authorize: string;
  /** The token endpoint (code exchange and refresh). */
  token: string;
  /** Cloud: the sites a token may access. */
  accessibleResources?: string;
  /** Cloud: the REST base, with `{cloudId}` to fill in (`https://api.atlassian.com/ex/jira/{cloudId}`). */
  apiBase?: string;
  /** Where the issuer publishes its JWKS (to verify JWT access tokens). */
  jwks?: string;
}

/** Jira Data Center's incoming OAuth 2.0 application link: `{base}/rest/oauth2/latest/authorize` and `/token`. */
export function dataCenterEndpoints(baseUrl: string): OAuth2Endpoints {
  const base = normalizeBaseUrl(baseUrl);
  return { authorize: `${base}/rest/oauth2/latest/authorize`, token: `${base}/rest/oauth2/latest/token` };
}

/** Atlassian Cloud's OAuth 2.0 (3LO) endpoints. */
export const CLOUD_ENDPOINTS: Readonly<OAuth2Endpoints> = Object.freeze({
  authorize: 'https://auth.atlassian.com/authorize',
  token: 'https://auth.atlassian.com/oauth/token',
  accessibleResources: 'https://api.atlassian.com/oauth/token/accessible-resources',
  apiBase: 'https://api.atlassian.com/ex/jira/{cloudId}',
});

/** CLOUD_ENDPOINTS with some replaced (an emulator, a proxy). */
export function cloudEndpoints(overrides: Partial<OAuth2Endpoints> = {}): OAuth2Endpoints {
  const out: OAuth2Endpoints = { ...CLOUD_ENDPOINTS };
  for (const [k, v] of Object.entries(overrides) as Array<[keyof OAuth2Endpoints, string | undefined]>) if (v !== undefined) out[k] = v;
  return out;
}

/** Is this a Cloud (3LO) endpoint set? (It lists accessible resources.) */
export function isCloudEndpoints(e: OAuth2Endpoints): boolean {
  return !!e.accessibleResources;
}

/** The REST base URL of one Cloud site: apiBase with `{cloudId}` filled in. */
export function cloudApiBaseUrl(endpoints: OAuth2Endpoints, cloudId: string): string {
  if (!endpoints.apiBase) throw new JiraError('invalid_request', msg('These OAuth 2.0 endpoints have no apiBase: they are not Jira Cloud endpoints.'));
  if (!/^[A-Za-z0-9-]+$/.test(cloudId)) throw new JiraError('invalid_request', msg('"{0}" is not a Jira Cloud site id (cloudId): pick a site from the accessible resources.', cloudId));
  return endpoints.apiBase.replace('{cloudId}', cloudId);
}

/** Jira Cloud's 3LO extras: `audience=api.atlassian.com` and `prompt=consent`. */
export const CLOUD_AUTHORIZE_EXTRA: Readonly<Record<string, string>> = Object.freeze({ audience: 'api.atlassian.com', prompt: 'consent' });

export interface BuildAuthorizeUrlOptions {
  endpoints: OAuth2Endpoints;
  clientId: string;
  redirectUri: string;
  /** Sent space-separated in `scope` (Data Center: READ WRITE; Cloud: read:jira-work ... offline_access). */
  scopes: string[];
  state: string;
  /** Data Center: PKCE S256. Cloud has none. */
  pkce?: Pkce;
  /** More parameters (Cloud: CLOUD_AUTHORIZE_EXTRA). */
  extra?: Record<string, string>;
}

/** The consent page URL (RFC 6749 §4.1.1): response_type=code, client_id, redirect_uri, scope, state, PKCE. */
export function buildAuthorizeUrl(o: BuildAuthorizeUrlOptions): string {
  if (!o.clientId) throw new JiraError('invalid_request', msg('The OAuth 2.0 client id is missing: copy it from the application link (or the Atlassian developer console).'));
  if (!o.redirectUri) throw new JiraError('invalid_request', msg('The OAuth 2.0 redirect URI is missing.'));
  if (!o.state) throw new JiraError('invalid_request', msg('The OAuth 2.0 state is missing: use randomState().'));
  const params: Array<[string, string]> = [];
  if (o.extra?.audience !== undefined) params.push(['audience', o.extra.audience]);
  params.push(['client_id', o.clientId]);
  if (o.scopes.length) params.push(['scope', o.scopes.join(' ')]);
  params.push(['redirect_uri', o.redirectUri], ['state', o.state], ['response_type', 'code']);
  if (o.pkce) params.push(['code_challenge', o.pkce.challenge], ['code_challenge_method', o.pkce.method]);
  for (const [k, v] of Object.entries(o.extra ?? {})) if (k !== 'audience' && v !== undefined) params.push([k, v]);
  const q = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${o.endpoints.authorize}${o.endpoints.authorize.includes('?') ? '&' : '?'}${q}`;
}
