import vscode = require('vscode');
import type { Core } from '../coreLoader';
import type { AccountStore } from '../store/accounts';
import { inspectToken, TokenReport } from './inspectToken';

export const INSPECT_SCHEME = 'jira-token';

/**
 * "Jira: Inspect Token": the report of the active (or given) account in a read-only virtual
 * Markdown document (scheme jira-token), refreshed each time the command runs. Returns the report
 * (tests read it).
 */
export function registerInspectToken(deps: { accounts: AccountStore; core(): Promise<Core>; signIn(): Promise<unknown> }): vscode.Disposable {
  const docs = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider = vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => docs.get(uri.path) ?? '',
  });
  const command = vscode.commands.registerCommand('jira.inspectToken', async (arg?: unknown): Promise<TokenReport | undefined> => {
    const id = typeof arg === 'string' ? arg : (arg as { accountId?: string } | undefined)?.accountId;
    const account = id ? deps.accounts.get(id) : deps.accounts.active();
    if (!account) {
      const signIn = vscode.l10n.t('Sign In');
      if ((await vscode.window.showInformationMessage(vscode.l10n.t('You are not signed in to Jira.'), signIn)) === signIn) await deps.signIn();
      return undefined;
    }
    const auth = await deps.accounts.getAuth(account.id);
    if (!auth) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The credentials of {0} are no longer in VS Code\'s secret storage. Sign in again.', account.displayName));
      return undefined;
    }
    const report = await inspectToken(await deps.core(), account, auth);
    const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${account.id}.md` });
    docs.set(uri.path, report.markdown);
    changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
    return report;
  });
  return vscode.Disposable.from(provider, command, changed);
}
