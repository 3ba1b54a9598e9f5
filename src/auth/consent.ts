/**
 * What other extensions may ask of commands that hand out credentials. Any extension can run
 * `jira.copyAccessToken` with arguments; only the user's answer to the modal warning lets a token
 * leave, so the argument that skips the warning (`confirm`) is honoured only in test mode
 * (`ExtensionMode.Test`, the extension's own tests). A signed curl is made only for the account's
 * own site: the signature is a credential for whatever URL it signs.
 */

export interface CopyTokenArgs {
  accountId?: string;
  /** Skips the warning: test mode only. */
  confirm?: boolean;
  curlUrl?: string;
}

/** The arguments `jira.copyAccessToken` passes on from its caller. */
export function copyTokenArgs(arg: unknown, testMode: boolean): CopyTokenArgs {
  const o = arg && typeof arg === 'object' ? (arg as Record<string, unknown>) : {};
  return {
    accountId: typeof o.accountId === 'string' ? o.accountId : undefined,
    curlUrl: typeof o.curlUrl === 'string' ? o.curlUrl : undefined,
    confirm: testMode && o.confirm === true ? true : undefined,
  };
}

/**
 * `url` as an absolute URL when it is on the site `baseUrl` (same scheme, host and port, under its
 * context path, no user name or password), else undefined. A prefix check on the text is not
 * enough: `https://jira.example.com.evil.example/` starts with `https://jira.example.com`.
 */
export function onSite(url: string, baseUrl: string): string | undefined {
  let u: URL;
  let base: URL;
  try {
    u = new URL(url.trim());
    base = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (u.origin !== base.origin || u.username || u.password) return undefined;
  const path = base.pathname.replace(/\/+$/, '');
  if (path && u.pathname !== path && !u.pathname.startsWith(`${path}/`)) return undefined;
  return u.href;
}
