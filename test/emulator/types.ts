// Public types of the Jira emulator (re-exported by index.ts).
import type { FilterInput } from './filters';
import type { CloudSite } from './cloud3lo';
import type { OAuth2ClientInput, OAuth2Stats } from './oauth2';

export type { CloudSite } from './cloud3lo';
export type { OAuth2ClientInput, OAuth2Stats } from './oauth2';

export interface LinkInput {
  consumerKey: string;
  name?: string;
  publicKeyPem: string;
}

export interface UserInput {
  name: string;
  displayName: string;
  emailAddress?: string;
  password?: string;
}

export interface EmulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** '' (default) or e.g. '/jira': everything is served under it; other paths 404. */
  contextPath?: string;
  /**
   * The base URL Jira believes it has (used for signature checks, the OAuth realm and links);
   * default http://host:port + contextPath. A value that differs from the URL clients use
   * reproduces a reverse-proxy mismatch (signature_invalid).
   */
  baseUrl?: string;
  /** Default 300; generated deterministically. 10000 works. */
  issueCount?: number;
  /** Preset incoming application links. */
  links?: LinkInput[];
  /** Default: admin / Alice Admin / admin@example.com / 'admin', and bob / Bob Builder / 'bob'. */
  users?: UserInput[];
  /** The user logged in to the browser for the authorize and admin pages; default 'admin'. */
  browserUser?: string;
  /** Personal access token -> user name (Authorization: Bearer <pat>). */
  pats?: Record<string, string>;
  /** Default true: Basic user:password is accepted for REST. */
  basicAuth?: boolean;
  /** The emulator's clock runs this many seconds ahead of the real one. */
  clockSkewSeconds?: number;
  /** Default 600 (Jira: 10 minutes). */
  requestTokenTtlSeconds?: number;
  /** Default 5 years; reported as oauth_expires_in. */
  accessTokenTtlSeconds?: number;
  /**
   * false: a Jira without /rest/api/{2,latest,3}/filter/favourite (an older or stripped-down one),
   * which answers it as any REST path it does not know: 404 {"message":"null for uri: <url>"}.
   */
  favouriteFilters?: boolean;
  /** Older servers answer 400 (not 401) for timestamp_refused and parameter_* problems. */
  legacyErrorStatus?: boolean;
  /** serverInfo fields; defaults 'Jira Emulator', '9.12.0', 'Server'. */
  serverTitle?: string;
  version?: string;
  /**
   * 'Cloud' (views): serverInfo says Cloud, /rest/api/3/search/jql pages with nextPageToken and
   * the old /rest/api/{2,3,latest}/search answers 410 Gone (see cloud.ts).
   */
  deploymentType?: 'Server' | 'DataCenter' | 'Cloud';
  /** Favourite filters (/rest/api/2/filter/favourite, see filters.ts); default DEFAULT_FILTERS. */
  filters?: FilterInput[];
  /**
   * Serve HTTPS instead of HTTP with this certificate and key (PEM). With `requestCert`, a client
   * certificate issued by `ca` is required (mutual TLS); connections without one are refused.
   */
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer; requestCert?: boolean };
  /**
   * OAuth 2.0 clients (Data Center application links / Cloud apps). Default: one client
   * `vscode-jira` / `vscode-jira-secret` allowing loopback on any port and vscode:// URIs
   * (DEFAULT_OAUTH2_CLIENT, DEFAULT_REDIRECT_PREFIXES in oauth2.ts).
   */
  oauth2Clients?: OAuth2ClientInput[];
  /** OAuth 2.0 access token lifetime; default 3600. */
  oauth2AccessTokenTtlSeconds?: number;
  /** OAuth 2.0 refresh token lifetime; default 90 days. */
  oauth2RefreshTokenTtlSeconds?: number;
  /** Default true: each refresh returns a new refresh token; reusing an old one revokes the family. */
  oauth2RotateRefreshTokens?: boolean;
  /** Cloud mode: sites listed by accessible-resources (default two, DEFAULT_CLOUD_SITES). */
  cloudSites?: CloudSite[];
  /** Cloud mode: API token -> user name, for Basic email:token. */
  apiTokens?: Record<string, string>;
  /** Basic: wrong passwords in a row before a CAPTCHA lock-out (default 3; 0 = never). */
  basicMaxFailures?: number;
  /**
   * Users who may browse issues but not transition, assign or comment on them (403; Jira lists
   * them no transitions and they cannot be assigned). Default none.
   */
  readOnlyUsers?: string[];
  /** Called after every request has been answered (the CLI logs with it). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  /** The request path as received (including the context path), without the query. */
  path: string;
  /** The decoded query parameters, in order. */
  query: Array<[string, string]>;
  auth: 'oauth1' | 'pat' | 'oauth2' | 'basic' | 'none';
  /** The authenticated user, when authentication succeeded. */
  user?: string;
  status: number;
  oauthProblem?: string;
  /** Real time (ms since the epoch) when the request arrived. */
  time: number;
}

export interface Emulator {
  /** The base URL clients use, including the context path, without a trailing slash. */
  url: string;
  port: number;
  /** Every request, in order. */
  requests: RequestLogEntry[];
  addLink(link: LinkInput): void;
  removeLink(consumerKey: string): void;
  revokeAccessTokens(consumerKey?: string): void;
  /** Every request/access token, token secret, session handle and verifier issued so far, plus OAuth 2.0 codes, access/refresh tokens and client secrets. */
  issuedTokens(): string[];
  setClockSkew(seconds: number): void;
  /** OAuth 2.0 (Data Center and Cloud 3LO) controls and counters. */
  oauth2: EmulatorOAuth2;
  /** Cloud mode: the endpoints to pass to the core's cloudEndpoints(). */
  cloudEndpoints: { authorize: string; token: string; accessibleResources: string; apiBase: string; jwks: string };
  /** Lift the Basic CAPTCHA lock-out (of one user, or everyone). */
  resetCaptcha(user?: string): void;
  close(): Promise<void>;
}

export interface EmulatorOAuth2 {
  /** Live counters: tokenCalls, codeExchanges, refreshCalls, refreshes, refreshReuse, tokenErrors, approvals, denials. */
  readonly stats: OAuth2Stats;
  /** Every access and refresh token issued so far (also in issuedTokens()). */
  issuedTokens(): string[];
  /** Expire access tokens now (all, or one): the next REST call with them gets 401. Returns how many. */
  expireAccessTokens(token?: string): number;
  /** Revoke every access and refresh token. */
  revokeAll(): void;
  addClient(client: OAuth2ClientInput): void;
  /** Change lifetimes for tokens issued from now on (seconds). */
  setTtl(o: { accessSeconds?: number; refreshSeconds?: number }): void;
}
