import type { Core } from '../coreLoader';
import type { Logger } from '../log';
import type { AccountStore } from '../store/accounts';
import type { PendingStore } from '../store/pending';
import type { MementoLike } from '../store/types';
import type { Prompter } from '../ui/prompter';
import type { Event } from '../util/event';

/** Where the extension host runs: on the user's machine, on a remote machine, or in a browser worker. */
export type ExtensionHostKind = 'local' | 'remote' | 'web';

export interface SignInSettings {
  /** Sites offered in the site picker (setting jira.sites). */
  sites: string[];
  /** OAuth 1.0a callback: 'auto' (loopback where the extension host is local, else oob) or 'oob'. */
  callback: 'auto' | 'oob';
  /** RSA modulus length for generated keys. */
  keySize: number;
}

/** Everything the sign-in flows use; VS Code objects in the extension, fakes in unit tests. */
export interface SignInDeps {
  accounts: AccountStore;
  pending: PendingStore;
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
}
