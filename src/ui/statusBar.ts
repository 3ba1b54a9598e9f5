import vscode = require('vscode');
import { siteLabel } from '../store/accounts';
import { methodLabel } from './methodLabel';
import { statusBarLabel } from './statusBarLabel';
import type { AccountStore } from '../store/accounts';
import type { PendingStore } from '../store/pending';

/**
 * The status bar item: the active account (click to switch), a pending sign-in (click to
 * continue), or "Sign In". Also keeps the context keys the menus use up to date.
 */
export class AccountStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('jira.account', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: Array<{ dispose(): void }> = [];

  constructor(private readonly accounts: AccountStore, private readonly pending: PendingStore) {
    this.item.name = vscode.l10n.t('Jira Account');
    this.subscriptions.push(accounts.onDidChange(() => this.update()), pending.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  update(): void {
    const active = this.accounts.active();
    const all = this.accounts.list();
    const p = this.pending.get();
    if (active) {
      this.item.text = `$(account) ${statusBarLabel(active, all, (a) => methodLabel(a.method, active.site))}`;
      this.item.tooltip = vscode.l10n.t('Jira: {0} on {1}. Click to switch accounts.', active.displayName, siteLabel(active.site.baseUrl));
      this.item.command = 'jira.showAccounts';
    } else if (p) {
      this.item.text = `$(key) ${vscode.l10n.t('Jira: Continue Sign-In')}`;
      this.item.tooltip = vscode.l10n.t('Continue signing in to {0} where you stopped.', siteLabel(p.site.baseUrl));
      this.item.command = 'jira.continueSignIn';
    } else {
      this.item.text = `$(sign-in) ${vscode.l10n.t('Jira: Sign In')}`;
      this.item.tooltip = vscode.l10n.t('Sign in to Jira');
      this.item.command = 'jira.signIn';
    }
    void vscode.commands.executeCommand('setContext', 'jira.signedIn', all.length > 0);
    void vscode.commands.executeCommand('setContext', 'jira.pendingSignIn', !!p);
    void vscode.commands.executeCommand('setContext', 'jira.activeAccountMethod', active?.method ?? '');
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
