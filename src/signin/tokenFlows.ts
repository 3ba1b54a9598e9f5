import { t } from '../l10n';
import type { AccountMeta } from '../store/types';
import { storeAccount } from './account';
import { answered } from './errors';
import { deploymentKind, FlowContext, FlowOptions, SignInFlow } from './flows';

const TOKEN_STEPS = 3;

/** Personal access token (Jira Server/Data Center 8.14+): sent as a Bearer token. */
export class PatFlow implements SignInFlow {
  readonly id = 'pat';
  readonly method = 'pat' as const;
  readonly options: FlowOptions = { extensionHosts: ['local', 'remote', 'web'], deployments: ['server'], minServerVersion: '8.14.0', needsClientSecret: false };
  get label(): string {
    return t('Personal Access Token');
  }
  get detail(): string {
    return t('Jira Server and Data Center 8.14 or later: create a token in your Jira profile and paste it.');
  }

  async trigger(ctx: FlowContext): Promise<AccountMeta> {
    const { deps, site } = ctx;
    const profile = `${site.baseUrl}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens`;
    const token =
      ctx.args.token ??
      answered(
        await deps.prompter.input({
          title: t('{0}: personal access token', ctx.title),
          steps: { step: 2, totalSteps: TOKEN_STEPS },
          prompt: t('Paste a personal access token (Jira: your profile > Personal Access Tokens > Create token).'),
          password: true,
          validate: (v) => (v.trim() ? undefined : t('Paste the token.')),
          buttons: [{ id: 'open', icon: 'link-external', tooltip: t('Open Personal Access Tokens in Jira') }],
          onButton: async () => {
            await deps.prompter.openExternal(profile);
          },
        }),
      );
    return storeAccount(ctx, { type: 'pat', token: token.trim() });
  }
}

/** User name and password (Server/Data Center) or e-mail and API token (Cloud): HTTP Basic. */
export class BasicFlow implements SignInFlow {
  readonly id = 'basic';
  readonly method = 'basic' as const;
  readonly options: FlowOptions = { extensionHosts: ['local', 'remote', 'web'], deployments: ['server', 'cloud'], needsClientSecret: false };
  get label(): string {
    return t('User Name and Password / API Token');
  }
  get detail(): string {
    return t('Jira Cloud: your e-mail and an API token. Jira Server: your user name and password, if the administrator allows it.');
  }

  async trigger(ctx: FlowContext): Promise<AccountMeta> {
    const { deps, site } = ctx;
    const cloud = deploymentKind(site) === 'cloud';
    const username =
      ctx.args.username ??
      answered(
        await deps.prompter.input({
          title: t('{0}: user', ctx.title),
          steps: { step: 2, totalSteps: TOKEN_STEPS + 1 },
          prompt: cloud ? t('Your Atlassian account e-mail') : t('Your Jira user name'),
          validate: (v) => (v.trim() ? undefined : t('Enter the user name.')),
        }),
      ).trim();
    const password =
      ctx.args.password ??
      answered(
        await deps.prompter.input({
          title: t('{0}: password', ctx.title),
          steps: { step: 3, totalSteps: TOKEN_STEPS + 1 },
          prompt: cloud ? t('An API token (id.atlassian.com > Security > API tokens)') : t('Your Jira password'),
          password: true,
          validate: (v) => (v ? undefined : t('Enter the password.')),
          ...(cloud
            ? {
                buttons: [{ id: 'open', icon: 'link-external', tooltip: t('Create an API Token') }],
                onButton: async () => {
                  await deps.prompter.openExternal('https://id.atlassian.com/manage-profile/security/api-tokens');
                },
              }
            : {}),
        }),
      );
    return storeAccount(ctx, { type: 'basic', username, password });
  }
}
