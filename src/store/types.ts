import type { Event } from '../util/event';

/**
 * The parts of vscode.SecretStorage and vscode.Memento the stores use, so that they run in plain
 * Node with in-memory fakes (test/unit/support/fakes.ts) as well as in VS Code.
 */
export interface SecretStorageLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  readonly onDidChange: Event<{ readonly key: string }>;
}

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export type AuthMethod = 'oauth1' | 'pat' | 'basic' | 'oauth2';

/** What the sign-in learnt about the site from /rest/api/2/serverInfo (no secret). */
export interface SiteInfo {
  /** Normalised base URL, context path kept, no trailing slash. */
  baseUrl: string;
  title?: string;
  version?: string;
  /** "Server", "DataCenter" or "Cloud" as Jira reports it. */
  deploymentType?: string;
}

/** Non-secret account metadata: kept in globalState (and copied into the account's secret blob). */
export interface AccountMeta {
  /** Stable id; also the AuthenticationSession id. */
  id: string;
  method: AuthMethod;
  site: SiteInfo;
  /** Jira user name (Server/Data Center) or accountId (Cloud). */
  userName: string;
  displayName: string;
  email?: string;
  /** OAuth 1.0a: the application link's consumer key and our public key (both public). */
  consumerKey?: string;
  publicKeyPem?: string;
  keyFingerprint?: string;
  /** OAuth 2.0 on Jira Cloud: the site's cloud id and the REST base the client calls (api.atlassian.com/ex/jira/{cloudId}). */
  cloudId?: string;
  apiBaseUrl?: string;
  createdAt: number;
}

/**
 * The credentials of an account. Lives only in SecretStorage (one JSON blob per account under
 * `jira.account.<id>`), never in globalState or settings. Same shape as core's JiraAuth.
 */
export type AccountAuth =
  | { type: 'oauth1'; consumerKey: string; privateKeyPem: string; token: string; tokenSecret: string; sessionHandle?: string; expiresAt?: number }
  | { type: 'pat'; token: string }
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth2';
      accessToken: string;
      refreshToken?: string;
      /** ms epoch. */
      expiresAt?: number;
      obtainedAt?: number;
      tokenType?: string;
      scope?: string;
      /** The OAuth 2.0 client the tokens belong to (refresh needs it). */
      clientId?: string;
      clientSecret?: string;
      /** Authorize/token/accessible-resources/JWKS URLs (core's OAuth2Endpoints). */
      endpoints?: { authorize: string; token: string; accessibleResources?: string; apiBase?: string; jwks?: string };
    };

/** The secret blob of one account. */
export interface StoredAccount {
  v: 1;
  meta: AccountMeta;
  auth: AccountAuth;
}

/** Steps of a sign-in that can be resumed (after the window reloads, for example). */
export type PendingStep = 'applink' | 'authorize';

/** Non-secret state of a sign-in in progress (globalState `jira.pendingSignIn`). */
export interface PendingSignIn {
  id: string;
  method: 'oauth1';
  step: PendingStep;
  site: SiteInfo;
  consumerKey: string;
  publicKeyPem: string;
  keyFingerprint: string;
  /** 'link': the key pair of an application link, kept after Sign Out (src/signin/linkedKeys.ts). */
  keySource: 'generated' | 'imported' | 'account' | 'link';
  createdAt: number;
  updatedAt: number;
}

/** A request token obtained but not yet exchanged. */
export interface PendingRequestToken {
  token: string;
  tokenSecret: string;
  authorizeUrl: string;
  /** 'oob' or the loopback callback URL. */
  callback: string;
  createdAt: number;
}

/** Secret state of a sign-in in progress (SecretStorage `jira.pendingSignIn`). */
export interface PendingSecrets {
  /** The id of the PendingSignIn these secrets belong to. */
  id: string;
  privateKeyPem: string;
  request?: PendingRequestToken;
}
