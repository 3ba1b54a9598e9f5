import { t } from '../l10n';
import { newId } from '../util/id';
import { siteLabel } from '../store/accounts';
import type { JiraAuth } from '../core';
import type { AccountAuth, AccountMeta, AuthMethod } from '../store/types';
import { methodLabel } from '../ui/methodLabel';
import { cancelled } from './errors';
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
  const others = deps.accounts.findBySiteAndUser(site.baseUrl, userName).filter((a) => a.method !== meta.method);
  const replaces = others.length ? await askReplace(ctx, meta, others) : [];
  const stored = await deps.accounts.add(meta, auth, { replaces });
  await rememberSite(deps, site.baseUrl).catch(() => undefined);
  deps.log.info(`signed in to ${site.baseUrl} as ${stored.userName} (${stored.method})`);
  return stored;
}

/** What VS Code forgets when an account of this method is signed out, in the user's words. */
function credentialsOf(method: AuthMethod): string {
  switch (method) {
    case 'oauth1':
      return t('the OAuth 1.0a access token and private key');
    case 'pat':
      return t('the personal access token');
    case 'basic':
      return t('the password or API token');
    case 'oauth2':
      return t('the OAuth 2.0 tokens');
  }
}

/**
 * The same user on the same site is already signed in with another method: never replace it
 * without a word. Replace (returns the ids to remove), Keep Both (none), or cancel (nothing stored).
 */
async function askReplace(ctx: FlowContext, meta: AccountMeta, others: AccountMeta[]): Promise<string[]> {
  const replace = t('Replace');
  const keepBoth = t('Keep Both');
  const answer = await ctx.deps.prompter.notify(
    'warning',
    t('You are already signed in to {0} as {1} with {2}.', siteLabel(ctx.site.baseUrl), meta.displayName, others.map((o) => methodLabel(o.method, o.site)).join(', ')),
    {
      modal: true,
      detail: t(
        'Replace signs that out: VS Code forgets {0}. Keep Both keeps it beside the new {1} sign-in; the status bar and Jira: Show Accounts tell them apart.',
        others.map((o) => credentialsOf(o.method)).join(', '),
        methodLabel(meta.method, meta.site),
      ),
    },
    replace,
    keepBoth,
  );
  if (answer === replace) return others.map((o) => o.id);
  if (answer === keepBoth) return [];
  throw cancelled();
}
