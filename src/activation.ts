import vscode = require('vscode');
import type { JiraAuthApi, JiraAuthTesting } from './api';
import { toApiAccount } from './api';
import type { ClientFactory } from './auth/clients';
import { accountOfSession } from './auth/sessionClient';
import { signInCommand } from './commands/signIn';
import type { SignInController } from './signin/controller';
import { sessionToken } from './store/accounts';
import type { AccountStore } from './store/accounts';
import type { Logger } from './log';
import type { Prompter } from './ui/prompter';
import type { JiraViews } from './views';

/** When evaluating the bundle and activate() started and ended (performance.now()). */
export interface ActivationTimes {
  moduleStart: number;
  vscodeLoaded: number;
  moduleEnd: number;
  activateStart: number;
  activateEnd: number;
}

const ms = (n: number) => n.toFixed(1);

/** Our cost: evaluating the bundle plus activate() (not the time VS Code takes in between). */
export function activationMs(t: ActivationTimes): number {
  return t.moduleEnd - t.moduleStart + (t.activateEnd - t.activateStart);
}

/** The activation line of the log, written once the deferred work is done. */
export function logActivation(log: Logger, t: ActivationTimes, deferredMs: number, hostKind: string): void {
  const moduleMs = t.moduleEnd - t.moduleStart;
  log.info(
    `activated in ${ms(activationMs(t))} ms (module ${ms(moduleMs)} ms of which require('vscode') ${ms(t.vscodeLoaded - t.moduleStart)} ms, ` +
      `activate() ${ms(t.activateEnd - t.activateStart)} ms; then the tree views and the status bar ${ms(deferredMs)} ms; ` +
      `${hostKind} extension host, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`,
  );
}

/** What the tests reach through api.testing; absent in production. */
export function testingHooks(
  context: vscode.ExtensionContext,
  o: {
    setPrompter(p: Prompter | undefined): void;
    activationMs: number;
    provider: vscode.AuthenticationProvider;
    views: JiraViews;
    logChannelCreated(): boolean;
    statusBarCreated(): boolean;
  },
): JiraAuthTesting | undefined {
  if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
  // What activate() left out, as VS Code saw it when activate() returned (the tests check it).
  const createdDuringActivation = { treeViews: o.views.treeViewsCreated, statusBar: o.statusBarCreated(), logChannel: o.logChannelCreated() };
  return {
    setPrompter: o.setPrompter,
    globalState: context.globalState,
    secrets: context.secrets,
    activationMs: o.activationMs,
    provider: o.provider,
    views: o.views,
    get logChannelCreated() {
      return o.logChannelCreated();
    },
    createdDuringActivation,
    get statusBarCreated() {
      return o.statusBarCreated();
    },
  };
}

/** The API other extensions get from activate(). */
export function createApi(o: {
  version: string;
  accounts: AccountStore;
  clients: ClientFactory;
  controller(): Promise<SignInController>;
  onDidChangeAccounts: vscode.Event<void>;
  testing: JiraAuthTesting | undefined;
}): JiraAuthApi {
  const { accounts } = o;
  const apiAccount = (a = accounts.active()) => (a ? toApiAccount(a, accounts.active()?.id) : undefined);
  return {
    version: o.version,
    onDidChangeAccounts: o.onDidChangeAccounts,
    getAccounts: () => accounts.list().map((a) => toApiAccount(a, accounts.active()?.id)),
    getActiveAccount: () => apiAccount(),
    setActiveAccount: (id) => accounts.setActive(id),
    // Only for a session VS Code gave the caller (its consent): see auth/sessionClient.ts.
    getClient: async (session) => o.clients.client((await accountOfSession(session, accounts, sessionToken)).id),
    signIn: async (args) => signInCommand(await o.controller(), args),
    signOut: async (id) => !!(await (await o.controller()).account.signOut(id, { quiet: true })),
    testing: o.testing,
  };
}
