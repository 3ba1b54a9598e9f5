// The emulator's mutable state: users, application links, OAuth tokens, nonces and the clock.
import { KeyObject, randomBytes, randomInt } from 'node:crypto';
import { parsePublicKeyPem } from './keys';
import { IssueData } from './data';
import { EmulatorOptions, LinkInput, RequestLogEntry, UserInput } from './types';
import { OAuth2Server } from './oauth2';
import { accountId, CloudSite, DEFAULT_CLOUD_SITES, JwtSigner } from './cloud3lo';

export interface User {
  name: string;
  key: string;
  displayName: string;
  emailAddress: string;
  password?: string;
  timeZone: string;
}

export interface Link {
  consumerKey: string;
  name: string;
  publicKeyPem: string;
  publicKey: KeyObject;
  keyBits: number;
  created: number;
}

export interface Token {
  kind: 'request' | 'access';
  token: string;
  secret: string;
  consumerKey: string;
  /** Emulator-clock ms. */
  created: number;
  ttlMs: number;
  /** Request tokens: 'oob' or an absolute http(s) URL; undefined when the consumer sent none. */
  callback?: string;
  authorization: 'none' | 'authorized' | 'denied';
  /** Who approved (request token) / who the token acts as (access token). */
  user?: string;
  verifier?: string;
  /** Access tokens: the session that can renew them. */
  sessionHandle?: string;
  sessionCreated?: number;
  sessionTtlMs?: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string (Jira's tokens are 32 of these, its verifiers 6). */
export function randomAlnum(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

export const DEFAULT_USERS: UserInput[] = [
  { name: 'admin', displayName: 'Alice Admin', emailAddress: 'admin@example.com', password: 'admin' },
  { name: 'bob', displayName: 'Bob Builder', emailAddress: 'bob@example.com', password: 'bob' },
];

export const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 3600;
/** The OAuth session (renewable with oauth_session_handle) outlives the token by 30 days. */
export const SESSION_EXTRA_SECONDS = 30 * 24 * 3600;

export class EmulatorState {
  readonly users = new Map<string, User>();
  readonly links = new Map<string, Link>();
  readonly tokens = new Map<string, Token>();
  /** consumer \n timestamp \n nonce -> timestamp (s), for nonce_used. */
  readonly nonces = new Map<string, number>();
  readonly requests: RequestLogEntry[] = [];
  readonly issued: string[] = [];
  /** The XSRF token of the (single, always logged-in) browser session, checked on form posts. */
  readonly xsrfToken = randomBytes(16).toString('hex');
  readonly requestTokenTtlMs: number;
  readonly accessTokenTtlMs: number;
  readonly legacyErrorStatus: boolean;
  readonly basicAuth: boolean;
  readonly pats: Map<string, string>;
  /** Names of the PATs created on the profile page (Jira lists them by name only). */
  readonly patNames: Array<{ user: string; name: string }> = [];
  readonly browserUser: string;
  readonly serverTitle: string;
  readonly version: string;
  readonly deploymentType: 'Server' | 'DataCenter' | 'Cloud';
  readonly data: IssueData;
  /** OAuth 2.0 clients, codes and tokens (Data Center and Cloud 3LO). */
  readonly oauth2: OAuth2Server;
  /** Cloud mode: the sites of accessible-resources and /ex/jira/{cloudId}. */
  readonly cloudSites: CloudSite[];
  /** Cloud mode: signs the JWT access tokens. */
  readonly jwt = new JwtSigner();
  /** Cloud API tokens (Basic email:token) -> user name. */
  readonly apiTokens: Map<string, string>;
  /** Basic: wrong passwords in a row before the CAPTCHA lock-out (0 = never). */
  readonly basicMaxFailures: number;
  /** Basic: user name -> wrong passwords in a row. */
  readonly basicFailures = new Map<string, number>();
  /** Users who may browse but not transition, assign or comment (workflow.ts). */
  readonly readOnlyUsers: Set<string>;
  /** Set once the server listens. */
  url = '';
  baseUrl = '';
  readonly contextPath: string;
  private skewMs: number;

  constructor(readonly options: EmulatorOptions) {
    const users = options.users?.length ? options.users : DEFAULT_USERS;
    users.forEach((u, i) => {
      this.users.set(u.name, {
        name: u.name,
        key: `JIRAUSER${10000 + i * 100}`,
        displayName: u.displayName,
        emailAddress: u.emailAddress ?? `${u.name}@example.com`,
        password: u.password,
        timeZone: i % 2 === 0 ? 'Etc/UTC' : 'Europe/Berlin',
      });
    });
    this.contextPath = normalizeContextPath(options.contextPath ?? '');
    this.browserUser = options.browserUser ?? [...this.users.keys()][0];
    if (!this.users.has(this.browserUser)) throw new Error(`browserUser '${this.browserUser}' is not one of the users`);
    this.pats = new Map(Object.entries(options.pats ?? {}));
    for (const [, u] of this.pats) if (!this.users.has(u)) throw new Error(`PAT user '${u}' is not one of the users`);
    this.basicAuth = options.basicAuth ?? true;
    this.skewMs = (options.clockSkewSeconds ?? 0) * 1000;
    this.requestTokenTtlMs = (options.requestTokenTtlSeconds ?? 600) * 1000;
    this.accessTokenTtlMs = (options.accessTokenTtlSeconds ?? FIVE_YEARS_SECONDS) * 1000;
    this.legacyErrorStatus = options.legacyErrorStatus ?? false;
    this.serverTitle = options.serverTitle ?? 'Jira Emulator';
    this.version = options.version ?? '9.12.0';
    this.deploymentType = options.deploymentType ?? 'Server';
    this.data = new IssueData(options.issueCount ?? 300, [...this.users.values()], () => this.baseUrl, this.deploymentType === 'Cloud' ? accountId : undefined);
    this.readOnlyUsers = new Set(options.readOnlyUsers ?? []);
    for (const u of this.readOnlyUsers) if (!this.users.has(u)) throw new Error(`read-only user '${u}' is not one of the users`);
    for (const l of options.links ?? []) this.addLink(l);
    this.oauth2 = new OAuth2Server(this, {
      clients: options.oauth2Clients,
      accessTokenTtlSeconds: options.oauth2AccessTokenTtlSeconds,
      refreshTokenTtlSeconds: options.oauth2RefreshTokenTtlSeconds,
      rotateRefreshTokens: options.oauth2RotateRefreshTokens,
    });
    this.cloudSites = options.cloudSites?.length ? options.cloudSites.map((x) => ({ ...x })) : DEFAULT_CLOUD_SITES.map((x) => ({ ...x }));
    this.apiTokens = new Map(Object.entries(options.apiTokens ?? {}));
    for (const [, u] of this.apiTokens) if (!this.users.has(u)) throw new Error(`API token user '${u}' is not one of the users`);
    this.basicMaxFailures = options.basicMaxFailures ?? 3;
  }

  /** Is Basic locked behind a CAPTCHA for this user? */
  captchaRequired(name: string): boolean {
    return this.basicMaxFailures > 0 && (this.basicFailures.get(name) ?? 0) >= this.basicMaxFailures;
  }

  /** The emulator's clock (ms): the real clock plus the configured skew. */
  now(): number {
    return Date.now() + this.skewMs;
  }

  setClockSkew(seconds: number): void {
    this.skewMs = seconds * 1000;
  }

  user(name: string | undefined): User | undefined {
    return name === undefined ? undefined : this.users.get(name);
  }

  /** Adds an incoming link; throws (with the admin page's message) when the key or PEM is bad. */
  addLink(input: LinkInput): Link {
    const consumerKey = input.consumerKey.trim();
    if (!consumerKey) throw new Error('The consumer key is required.');
    if (this.links.has(consumerKey)) throw new Error(`An application link with the consumer key '${consumerKey}' already exists.`);
    const parsed = parsePublicKeyPem(input.publicKeyPem);
    const link: Link = {
      consumerKey,
      name: input.name?.trim() || consumerKey,
      publicKeyPem: input.publicKeyPem.trim(),
      publicKey: parsed.key,
      keyBits: parsed.bits,
      created: this.now(),
    };
    this.links.set(consumerKey, link);
    return link;
  }

  /** Removes a link and, like Jira, every token issued to its consumer. */
  removeLink(consumerKey: string): boolean {
    const had = this.links.delete(consumerKey);
    for (const [k, t] of this.tokens) if (t.consumerKey === consumerKey) this.tokens.delete(k);
    return had;
  }

  revokeAccessTokens(consumerKey?: string): void {
    for (const [k, t] of this.tokens) {
      if (t.kind === 'access' && (consumerKey === undefined || t.consumerKey === consumerKey)) this.tokens.delete(k);
    }
  }

  /** Registers a new token and remembers every secret value in `issued`. */
  storeToken(t: Token): Token {
    this.tokens.set(t.token, t);
    for (const v of [t.token, t.secret, t.verifier, t.sessionHandle]) if (v) this.issued.push(v);
    return t;
  }

  noteIssued(value: string): void {
    this.issued.push(value);
  }
}

export function normalizeContextPath(p: string): string {
  let s = p.trim();
  if (s === '' || s === '/') return '';
  if (!s.startsWith('/')) s = `/${s}`;
  return s.replace(/\/+$/, '');
}
