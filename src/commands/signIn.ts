import vscode = require('vscode');
import type { JiraAccount } from '../api';
import { toApiAccount } from '../api';
import { copyTokenArgs } from '../auth/consent';
import type { SignInController } from '../signin/controller';
import type { SignInArgs } from '../signin/flows';

/** Commands called with an options object (tests, other extensions) get errors as rejections. */
function isProgrammatic(args: unknown): args is SignInArgs {
  return !!args && typeof args === 'object' && !Array.isArray(args) && !(args instanceof vscode.Uri);
}

/** The account a command is about: its id, or a tree item / session carrying one. */
function accountIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { accountId?: unknown; id?: unknown };
    if (typeof o.accountId === 'string') return o.accountId;
    if (typeof o.id === 'string') return o.id;
  }
  return undefined;
}

/** "Jira: Sign In" and api.signIn: the new account as other extensions see it. */
export async function signInCommand(c: SignInController, args?: unknown): Promise<JiraAccount | undefined> {
  const programmatic = isProgrammatic(args);
  const a = await c.signIn(programmatic ? args : {}, { rethrow: programmatic });
  const stored = a && c.deps.accounts.get(a.id);
  return stored ? toApiAccount(stored, c.deps.accounts.active()?.id) : undefined;
}

/** The sign-in commands of package.json, each run on the controller (loaded on first use). */
export const SIGN_IN_COMMANDS: Readonly<Record<string, (c: SignInController, arg: unknown, testMode: boolean) => Promise<unknown>>> = {
  'jira.signIn': signInCommand,
  'jira.continueSignIn': (c) => c.continueSignIn(),
  'jira.signOut': async (c, arg) => !!(await c.account.signOut(accountIdOf(arg))),
  'jira.generateKeyPair': (c) => c.applicationLink.generateKeyPair(),
  'jira.setUpApplicationLink': (c) => c.applicationLink.setUpApplicationLink(),
  'jira.copyPublicKey': (c) => c.applicationLink.copyPublicKey(),
  'jira.copyConsumerKey': (c) => c.applicationLink.copyConsumerKey(),
  'jira.openApplicationLinks': (c) => c.applicationLink.openApplicationLinks(),
  'jira.cancelPendingSignIn': (c) => c.applicationLink.discardPending(true),
  'jira.forgetLinkKey': (c) => c.account.forgetKeptLinkKey(),
  // Any extension can run this command: the argument that skips the warning counts only in test mode.
  'jira.copyAccessToken': (c, arg, testMode) => c.account.copyAccessToken(copyTokenArgs(isProgrammatic(arg) ? arg : { accountId: accountIdOf(arg) }, testMode)),
  'jira.showAccounts': (c) => c.account.showAccounts(),
};

export function registerSignInCommands(controller: () => Promise<SignInController>, testMode: boolean): vscode.Disposable[] {
  return Object.entries(SIGN_IN_COMMANDS).map(([id, run]) => vscode.commands.registerCommand(id, async (arg?: unknown) => run(await controller(), arg, testMode)));
}
