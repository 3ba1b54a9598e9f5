import { siteLabel } from '../store/accounts';
import type { AccountMeta } from '../store/types';

type Labelled = Pick<AccountMeta, 'id' | 'displayName' | 'method'> & { site: { baseUrl: string } };

/**
 * The status bar's words for the active account. One account: its name. Several: the name and
 * its site, since "Administrator" alone cannot tell two sites apart (both are often the admin);
 * and the sign-in method too when another account has the same name on the same site.
 */
export function statusBarLabel(active: Labelled, all: readonly Labelled[], methodLabel: (a: Labelled) => string): string {
  if (all.length < 2) return active.displayName;
  const site = siteLabel(active.site.baseUrl);
  const twin = all.some((a) => a.id !== active.id && a.displayName === active.displayName && siteLabel(a.site.baseUrl).toLowerCase() === site.toLowerCase());
  return twin ? `${active.displayName} · ${site} · ${methodLabel(active)}` : `${active.displayName} · ${site}`;
}
