import { t } from '../l10n';
import { siteLabel } from '../store/accounts';
import type { AccountAuth, AccountMeta } from '../store/types';
import { fetchProfile, Myself, storeAccount } from './account';
import { answered, isCancellation, SignInError } from './errors';
import type { FlowContext, FlowOptions, FlowStep, SignInFlow } from './flows';

/** Where Jira Server/Data Center users create personal access tokens. */
export function patProfileUrl(baseUrl: string): string {
  return `${baseUrl}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens`;
}

/** Where Atlassian account users create API tokens (Jira Cloud). */
export const API_TOKENS_URL = 'https://id.atlassian.com/manage-profile/security/api-tokens';

/** Basic authentication refused because the site disabled it (Jira 11 default, SSO-only sites). */
export function isBasicDisabled(err: unknown): boolean {
  const e = err as { code?: string; errorMessages?: string[]; message?: string; headers?: Record<string, string> };
  if (e?.code !== 'unauthorized' && e?.code !== 'forbidden') return false;
  const text = [...(e.errorMessages ?? []), e.message ?? ''].join(' ');
  // "Basic Authentication has been disabled on this instance." (core's redaction may mask the word after "Basic").
  return /\bbasic\b.*\bdisabled\b|\bdisabled\b.*\bbasic auth/i.test(text);
}

/**
 * Turns what Jira answered to /myself with new credentials into an error that says what to do:
 * a CAPTCHA lock-out, Basic disabled, or credentials refused. Other errors pass unchanged.
 */
export function credentialError(err: unknown, kind: 'pat' | 'apitoken' | 'basic', baseUrl: string): unknown {
  if (isCancellation(err)) return err;
  const out = credentialErrorOf(err, kind, baseUrl);
  if (out instanceof SignInError) out.baseUrl = baseUrl;
  return out;
}

function credentialErrorOf(err: unknown, kind: 'pat' | 'apitoken' | 'basic', baseUrl: string): unknown {
  const code = (err as { code?: string })?.code;
  const site = siteLabel(baseUrl);
  if (code === 'captcha_required') {
    return new SignInError(
      'captcha',
      t('{0} locked the login after failed attempts and wants a CAPTCHA. Log in to Jira in your browser once (solving the CAPTCHA), then try again, or sign in with a personal access token instead.', site),
      err,
    );
  }
  if (kind === 'basic' && isBasicDisabled(err)) {
    return new SignInError('basic_disabled', t('{0} does not accept user names and passwords for the API (Basic authentication is disabled). Sign in with a personal access token, OAuth 2.0 or an application link instead.', site), err);
  }
  if (code === 'unauthorized') {
    switch (kind) {
      case 'pat':
        return new SignInError('bad_credentials', t('Jira did not accept this personal access token: check that it is complete, has not expired and was not revoked.'), err);
      case 'apitoken':
        return new SignInError('bad_credentials', t('Jira did not accept this e-mail and API token: use the e-mail of your Atlassian account and a token from id.atlassian.com (not your password).'), err);
      case 'basic':
        return new SignInError('bad_credentials', t('Jira did not accept this user name and password. After several failed attempts Jira asks for a CAPTCHA in the browser.'), err);
    }
  }
  return err;
}

/**
 * Validates credentials with /rest/api/2/myself (progress, cancellable) before anything is
 * stored. Typed-in credentials that Jira refuses come back in the box with the reason.
 */
async function validate(ctx: FlowContext, auth: AccountAuth, kind: 'pat' | 'apitoken' | 'basic'): Promise<Myself> {
  try {
    return await ctx.deps.prompter.progress(t('Checking the credentials with {0}...', siteLabel(ctx.site.baseUrl)), (signal) => fetchProfile(ctx, auth, signal));
  } catch (err) {
    throw credentialError(err, kind, ctx.site.baseUrl);
  }
}

/** Asks again with the reason when a typed-in credential is refused; arguments fail at once. */
async function untilAccepted(ctx: FlowContext, fromArgs: boolean, ask: (message: string | undefined) => Promise<AccountAuth>, kind: 'pat' | 'apitoken' | 'basic'): Promise<AccountMeta> {
  let message: string | undefined;
  for (;;) {
    const auth = await ask(message);
    try {
      const me = await validate(ctx, auth, kind);
      return await storeAccount(ctx, auth, {}, me);
    } catch (err) {
      if (fromArgs || !(err instanceof SignInError) || err.code !== 'bad_credentials') throw err;
      ctx.deps.log.warn(`${siteLabel(ctx.site.baseUrl)} refused the ${kind} credentials; asking again`);
      message = err.message;
    }
  }
}

/** Personal access token (Jira Server/Data Center 8.14+): sent as a Bearer token. */
export class PatFlow implements SignInFlow {
  readonly id = 'pat';
  readonly method = 'pat' as const;
  readonly steps = ['token'] as const;
  readonly options: FlowOptions = { extensionHosts: ['local', 'remote'], deployments: ['server'], minServerVersion: '8.14.0', needsClientSecret: false };
  get label(): string {
    return t('Personal Access Token');
  }
  get detail(): string {
    return t('Jira Server and Data Center 8.14 or later: create a token in your Jira profile and paste it.');
  }

  async trigger(ctx: FlowContext): Promise<AccountMeta> {
    const { deps, site } = ctx;
    const profile = patProfileUrl(site.baseUrl);
    let last = '';
    return untilAccepted(
      ctx,
      ctx.args.token !== undefined,
      async (message) => {
        const token =
          ctx.args.token ??
          answered(
            await deps.prompter.input({
              title: t('{0}: personal access token', ctx.title),
              steps: ctx.step('token'),
              prompt: t('Paste a personal access token (Jira: your profile > Personal Access Tokens > Create token).'),
              password: true,
              value: message ? last : undefined,
              validationMessage: message,
              validate: (v) => (v.trim() ? undefined : t('Paste the token.')),
              buttons: [{ id: 'open', icon: 'link-external', tooltip: t('Open Personal Access Tokens in Jira') }],
              onButton: async () => {
                await deps.prompter.openExternal(profile);
              },
            }),
          );
        last = token;
        return { type: 'pat', token: token.trim() };
      },
      'pat',
    );
  }
}

/** What differs between the API-token and the user-name-and-password flows: the words, the checks, the button. */
interface BasicFlowData {
  readonly id: 'apitoken' | 'basic';
  readonly steps: readonly [FlowStep, FlowStep];
  readonly options: FlowOptions;
  label(): string;
  detail(): string;
  user: { title(prefix: string): string; prompt(): string; placeholder?: string; validate(v: string): string | undefined };
  secret: { title(prefix: string): string; prompt(): string; validate(v: string): string | undefined; trim: boolean; button?: { tooltip(): string; url: string } };
}

/** HTTP Basic sign-in: a user (or e-mail) and a secret, checked with /myself, the secret asked again when refused. */
class BasicAuthFlow implements SignInFlow {
  readonly method = 'basic' as const;
  constructor(private readonly data: BasicFlowData) {}
  get id(): string {
    return this.data.id;
  }
  get steps(): readonly FlowStep[] {
    return this.data.steps;
  }
  get options(): FlowOptions {
    return this.data.options;
  }
  get label(): string {
    return this.data.label();
  }
  get detail(): string {
    return this.data.detail();
  }

  async trigger(ctx: FlowContext): Promise<AccountMeta> {
    const { deps } = ctx;
    const { user, secret } = this.data;
    const [userStep, secretStep] = this.data.steps;
    let username = ctx.args.username;
    return untilAccepted(
      ctx,
      ctx.args.password !== undefined,
      async (message) => {
        username ??= answered(
          await deps.prompter.input({ title: user.title(ctx.title), steps: ctx.step(userStep), prompt: user.prompt(), placeholder: user.placeholder, validate: user.validate }),
        ).trim();
        const typed =
          ctx.args.password ??
          answered(
            await deps.prompter.input({
              title: secret.title(ctx.title),
              steps: ctx.step(secretStep),
              prompt: secret.prompt(),
              password: true,
              validationMessage: message,
              validate: secret.validate,
              ...(secret.button
                ? {
                    buttons: [{ id: 'open', icon: 'link-external', tooltip: secret.button.tooltip() }],
                    onButton: async () => {
                      await deps.prompter.openExternal(secret.button!.url);
                    },
                  }
                : {}),
            }),
          );
        return { type: 'basic', username, password: secret.trim ? typed.trim() : typed };
      },
      this.data.id,
    );
  }
}

/** Jira Cloud: the Atlassian account's e-mail and an API token, sent as HTTP Basic. */
export class ApiTokenFlow extends BasicAuthFlow {
  constructor() {
    super({
      id: 'apitoken',
      steps: ['email', 'apiToken'],
      options: { extensionHosts: ['local', 'remote'], deployments: ['cloud'], needsClientSecret: false },
      label: () => t('API Token'),
      detail: () => t('Jira Cloud: your Atlassian account e-mail and an API token from id.atlassian.com.'),
      user: {
        title: (p) => t('{0}: e-mail', p),
        prompt: () => t('Your Atlassian account e-mail'),
        placeholder: 'name@example.com',
        validate: (v) => (/^[^\s@]+@[^\s@]+$/.test(v.trim()) ? undefined : t('Enter the e-mail address of your Atlassian account.')),
      },
      secret: {
        title: (p) => t('{0}: API token', p),
        prompt: () => t('An API token (id.atlassian.com > Security > API tokens)'),
        validate: (v) => (v.trim() ? undefined : t('Paste the token.')),
        trim: true,
        button: { tooltip: () => t('Create an API Token'), url: API_TOKENS_URL },
      },
    });
  }
}

/** User name and password (Server/Data Center only): HTTP Basic, the weakest choice. */
export class BasicFlow extends BasicAuthFlow {
  constructor() {
    super({
      id: 'basic',
      steps: ['user', 'password'],
      options: { extensionHosts: ['local', 'remote'], deployments: ['server'], needsClientSecret: false },
      label: () => t('User Name and Password'),
      detail: () => t('The weakest choice: your Jira password is stored and sent with every request. Only if the administrator allows it; prefer a personal access token.'),
      user: { title: (p) => t('{0}: user', p), prompt: () => t('Your Jira user name'), validate: (v) => (v.trim() ? undefined : t('Enter the user name.')) },
      secret: { title: (p) => t('{0}: password', p), prompt: () => t('Your Jira password (a personal access token is safer)'), validate: (v) => (v ? undefined : t('Enter the password.')), trim: false },
    });
  }
}
