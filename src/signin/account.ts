import { t } from '../l10n';
import { newId } from '../util/id';
import { siteLabel } from '../store/accounts';
import type { JiraAuth } from '../core';
import type { AccountAuth, AccountMeta } from '../store/types';
import type { FlowContext } from './flows';
import { rememberSite } from './site';

export interface Myself {
  name?: string;
  key?: string;
  accountId?: string;
  displayName?: string;
  emailAddress?: string;
}

/** GET /rest/api/2/myself with the new credentials, from the site (or the API base, e.g. Cloud's api.atlassian.com). */
export async function fetchProfile(ctx: Pick<FlowContext, 'deps' | 'site'>, auth: JiraAuth, signal?: AbortSignal, apiBase = ctx.site.baseUrl): Promise<Myself> {
  const core = await ctx.deps.core();
  const client = core.createJiraClient({ baseUrl: apiBase, auth, userAgent: ctx.deps.userAgent });
  const res = await client.request<Myself>('GET', '/rest/api/2/myself', { signal });
  return (res.body && typeof res.body === 'object' ? res.body : {}) as Myself;
}

/**
 * Step 5 of every flow: asks Jira who the credentials belong to (/rest/api/2/myself), then stores
 * the account (secret blob, then metadata) and makes it the active one. Nothing is stored if
 * this fails or is cancelled.
 */
export async function storeAccount(ctx: FlowContext, auth: AccountAuth, extra: Partial<AccountMeta> = {}, profile?: Myself): Promise<AccountMeta> {
  const { deps, site } = ctx;
  const me =
    profile ??
    (await deps.prompter.progress(t('Getting your Jira profile from {0}...', siteLabel(site.baseUrl)), (signal) => fetchProfile(ctx, auth, signal)));
  const userName = me.name ?? me.accountId ?? me.key ?? '';
  if (!userName) throw new Error(t('{0} did not say who you are (/rest/api/2/myself has no user name).', site.baseUrl));
  const meta: AccountMeta = {
    id: newId(),
    method: auth.type,
    site,
    userName,
    displayName: me.displayName || userName,
    ...(me.emailAddress ? { email: me.emailAddress } : {}),
    ...extra,
    createdAt: Date.now(),
  };
  const stored = await deps.accounts.add(meta, auth);
  await rememberSite(deps, site.baseUrl).catch(() => undefined);
  deps.log.info(`signed in to ${site.baseUrl} as ${stored.userName} (${stored.method})`);
  return stored;
}
