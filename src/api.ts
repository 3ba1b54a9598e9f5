import type { JiraViews } from './views';
import type * as vscode from 'vscode';
import type { JiraClient } from './core';
import type { SignInArgs } from './signin/flows';
import type { AccountMeta, AuthMethod } from './store/types';
import type { Prompter } from './ui/prompter';

/** An account as other extensions see it (no secrets). */
export interface JiraAccount {
  readonly id: string;
  /** "Ada Lovelace (jira.example.com)": also the Accounts menu label. */
  readonly label: string;
  readonly method: AuthMethod;
  readonly siteUrl: string;
  readonly siteTitle?: string;
  readonly deploymentType?: string;
  readonly version?: string;
  readonly userName: string;
  readonly displayName: string;
  readonly email?: string;
  readonly active: boolean;
}

/**
 * What `activate()` returns (`vscode.extensions.getExtension('jira-auth-project.jira-auth').exports`):
 * a signed Jira client for a session the user allowed the caller to have, the account list and
 * its changes (no secrets), and sign-in/out.
 */
export interface JiraAuthApi {
  readonly version: string;
  /** Fires when accounts are added or removed, or the active account changes. */
  readonly onDidChangeAccounts: vscode.Event<void>;
  getAccounts(): JiraAccount[];
  getActiveAccount(): JiraAccount | undefined;
  setActiveAccount(id: string): Promise<void>;
  /**
   * A client that signs every request for the session's account. Only for a session from
   * `vscode.authentication.getSession('jira', ['jira'], ...)`, which VS Code gives an extension only
   * after the user allowed it; rejects for anything else, a stale session or a signed-out account.
   */
  getClient(session: vscode.AuthenticationSession): Promise<JiraClient>;
  /** Runs the sign-in (arguments skip UI steps). Resolves with the account, or undefined if cancelled; rejects on failure. */
  signIn(args?: SignInArgs): Promise<JiraAccount | undefined>;
  /** Removes the account's secrets and metadata. */
  signOut(accountId: string): Promise<boolean>;
  /** Test hooks; only when the extension runs in test or development mode. */
  readonly testing?: JiraAuthTesting;
}

export interface JiraAuthTesting {
  /** Replaces the UI (quick picks, input boxes, messages, browser) until reset with undefined. */
  setPrompter(prompter: Prompter | undefined): void;
  readonly globalState: vscode.Memento;
  readonly secrets: vscode.SecretStorage;
  /** The activation time recorded in the log. */
  readonly activationMs: number;
  /** The registered `jira` AuthenticationProvider (VS Code asks other extensions' consent before giving them sessions). */
  readonly provider: vscode.AuthenticationProvider;
  /** The Jira views (their models and providers). */
  readonly views: JiraViews;
  /** Whether the "Jira" output channel exists yet (it is created when something is first logged). */
  readonly logChannelCreated: boolean;
  /** What existed when activate() returned: the TreeViews, the status bar item and the output channel are created after it. */
  readonly createdDuringActivation: { readonly treeViews: boolean; readonly statusBar: boolean; readonly logChannel: boolean };
  /** Whether the status bar item exists yet (it is created right after activate() returns). */
  readonly statusBarCreated: boolean;
}

export function toApiAccount(a: AccountMeta, activeId: string | undefined): JiraAccount {
  return {
    id: a.id,
    label: `${a.displayName} (${a.site.baseUrl.replace(/^[a-z]+:\/\//i, '')})`,
    method: a.method,
    siteUrl: a.site.baseUrl,
    siteTitle: a.site.title,
    deploymentType: a.site.deploymentType,
    version: a.site.version,
    userName: a.userName,
    displayName: a.displayName,
    email: a.email,
    active: a.id === activeId,
  };
}
