import type { Core } from '../coreLoader';
import type { Logger } from '../log';
import type { AccountStore } from '../store/accounts';
import type { OAuth2ClientStore } from '../store/oauth2Clients';
import type { PendingStore } from '../store/pending';
import type { AccountAuth, AccountMeta, MementoLike } from '../store/types';
import type { Prompter } from '../ui/prompter';
import type { Event } from '../util/event';

/**
 * Where the extension host runs: on the user's machine, or on another one (SSH, WSL, containers, and
 * browser-based windows such as code-server and Codespaces, whose Node host runs on the server).
 * There is no browser-worker build (package.json has no "browser" entry), so no third kind.
 */
export type ExtensionHostKind = 'local' | 'remote';

export interface SignInSettings {
  /** Sites offered in the site picker (setting jira.sites). */
  sites: string[];
  /** OAuth 1.0a callback: 'auto' (loopback where the extension host is local, else oob) or 'oob'. */
  callback: 'auto' | 'oob';
  /** RSA modulus length for generated keys. */
  keySize: number;
  /** jira.network.allowInsecureHttp (user settings only): plain http:// to non-loopback sites, with a warning. */
  allowInsecureHttp?: boolean;
  /** OAuth 2.0: Jira Cloud endpoints replacing Atlassian's (setting jira.oauth2.cloudEndpoints; the emulator). */
  cloudEndpoints?: { authorize?: string; token?: string; accessibleResources?: string; apiBase?: string; jwks?: string };
  /** OAuth 2.0 redirect: 'auto' (loopback where the host is local, else the URI handler with a paste box), or one of them. */
  oauth2Redirect?: 'auto' | 'loopback' | 'uri' | 'paste';
}

/** VS Code's URI handler as an OAuth 2.0 redirect target (vscode.window.registerUriHandler + env.asExternalUri). */
export interface UriCallbacks {
  /** The redirect URI for `path` as the user's browser reaches it (vscode://publisher.name/path, or code-server's http URL). */
  externalUri(path: string): Promise<string>;
  /** The first URI the handler receives whose query has this `state` (rejects when `signal` aborts). */
  wait(state: string, signal: AbortSignal): Promise<string>;
}

/** Everything the sign-in flows use; VS Code objects in the extension, fakes in unit tests. */
export interface SignInDeps {
  accounts: AccountStore;
  pending: PendingStore;
  /** OAuth 2.0 client ids and secrets per site (SecretStorage). */
  oauth2Clients: OAuth2ClientStore;
  /** A valid access token of an OAuth 2.0 account, refreshed first when due ("Copy Access Token"); absent: the stored one. */
  oauth2AccessToken?(account: AccountMeta, auth: Extract<AccountAuth, { type: 'oauth2' }>): Promise<string>;
  /** The extension's URI handler, where VS Code has one (absent in plain Node tests). */
  uriCallbacks?: UriCallbacks;
  prompter: Prompter;
  log: Logger;
  core(): Promise<Core>;
  extensionHost: ExtensionHostKind;
  settings(): SignInSettings;
  /** globalState, for the recently used sites (no secrets). */
  memento: MementoLike;
  userAgent: string;
  /** Proposed consumer key, e.g. "vscode-jira-alice". */
  proposedConsumerKey(): string;
  /** Fires when the VS Code window gets focus back (the user returns from the browser). */
  onDidFocusWindow?: Event<void>;
  /** Opens Jira: Inspect Token for the account (a VS Code document; absent in plain-Node worlds). */
  inspectToken?(accountId: string): Promise<void>;
}

