/**
 * An issue tab belongs to the account and site it first showed the issue for: an account switch
 * never reloads the same key from another site into it, and once that account is signed out the
 * tab no longer shows its data. Plain TypeScript (no 'vscode'): the decision is unit-tested.
 */
import { sameSite } from '../../store/accounts';

/** The account and site a tab belongs to. */
export interface TabOwner {
  baseUrl: string;
  accountId?: string;
  /** Its account signed out: the tab shows nothing until an account of this site is active. */
  signedOut?: boolean;
}

/**
 * What a tab's (re)load does:
 * - `load`: fetch the issue with the active session (the tab's own account, or a tab not bound yet);
 * - `keep`: another account is active; the tab keeps what it shows for its own account;
 * - `otherAccount`: another account is active and the tab shows nothing yet (restored after a reload);
 * - `signedOut`: the tab's account is signed out: its data is taken off the page;
 * - `signIn`: nobody is signed in and the tab was never bound.
 */
export type TabLoad = 'load' | 'keep' | 'otherAccount' | 'signedOut' | 'signIn';

export function tabLoad(
  owner: TabOwner | undefined,
  active: TabOwner | undefined,
  opts: { shown: boolean; signedIn(accountId: string): boolean },
): TabLoad {
  if (!owner) return active ? 'load' : 'signIn';
  if (owner.signedOut) return active && sameOwner({ baseUrl: owner.baseUrl }, active) ? 'load' : 'signedOut';
  if (owner.accountId !== undefined && !opts.signedIn(owner.accountId)) return 'signedOut';
  if (active && sameOwner(owner, active)) return 'load';
  if (!active) return 'signedOut';
  return opts.shown ? 'keep' : 'otherAccount';
}

function sameOwner(a: TabOwner, b: TabOwner): boolean {
  return sameSite(a.baseUrl, b.baseUrl) && (a.accountId === undefined || b.accountId === undefined || a.accountId === b.accountId);
}
