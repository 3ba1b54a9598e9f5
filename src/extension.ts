import { moduleStart } from './startTime';
import { vscodeLoaded } from './vscodeLoaded';
import vscode = require('vscode');
import type { JiraAccount, JiraAuthApi, JiraAuthTesting } from './api';
import { toApiAccount } from './api';
import { JiraAuthenticationProvider, PROVIDER_ID, SESSION_SCOPES } from './auth/provider';
import { ClientFactory } from './auth/clients';
import { registerUriCallbacks } from './auth/uriHandler';
import { registerInspectToken } from './commands/inspectTokenView';
import { loadCore } from './coreLoader';
import type { JiraClient } from './core';
import { setTranslator } from './l10n';
import { createLogger, lazyChannel, Logger } from './log';
import { installNetwork } from './net';
import type { SignInController } from './signin/controller';
import type { SignInDeps, SignInSettings } from './signin/deps';
import type { SignInArgs } from './signin/flows';
import { AccountStore } from './store/accounts';
import { PendingStore } from './store/pending';
import { OAuth2ClientStore } from './store/oauth2Clients';
import { extensionHostKind } from './ui/openPage';
import type { Prompter } from './ui/prompter';
import { AccountStatusBar } from './ui/statusBar';
import { registerViews } from './views';

export type { JiraAccount, JiraAuthApi } from './api';

const WALKTHROUGH = 'jira.applicationLink';

function settings(): SignInSettings {
  const c = vscode.workspace.getConfiguration('jira');
  const sites = c.get<unknown>('sites');
  const keySize = c.get<number>('oauth1.keySize');
  const cloudEndpoints = c.get<SignInSettings['cloudEndpoints']>('oauth2.cloudEndpoints');
  const redirect = c.get<string>('oauth2.redirect');
  return {
    cloudEndpoints: cloudEndpoints && typeof cloudEndpoints === 'object' ? cloudEndpoints : undefined,
    oauth2Redirect: redirect === 'loopback' || redirect === 'uri' || redirect === 'paste' ? redirect : 'auto',
    sites: Array.isArray(sites) ? sites.filter((s): s is string => typeof s === 'string') : [],
    callback: c.get<string>('oauth1.callback') === 'oob' ? 'oob' : 'auto',
    keySize: keySize === 3072 || keySize === 4096 ? keySize : 2048,
    allowInsecureHttp: c.inspect<boolean>('network.allowInsecureHttp')?.globalValue === true,
  };
}

function proposedConsumerKey(): string {
  let user = '';
  try {
    user = require('os').userInfo().username as string;
  } catch {
    /* no user name (containers) */
  }
  const clean = user.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean ? `vscode-jira-${clean}` : 'vscode-jira';
}

/** Commands called with an options object (tests, other extensions) get errors as rejections. */
function isProgrammatic(args: unknown): args is SignInArgs {
  return !!args && typeof args === 'object' && !Array.isArray(args) && !(args instanceof vscode.Uri);
}

function accountIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { accountId?: unknown; id?: unknown };
    if (typeof o.accountId === 'string') return o.accountId;
    if (typeof o.id === 'string') return o.id;
  }
  return undefined;
}

export function activate(context: vscode.ExtensionContext): JiraAuthApi {
  const activateStart = performance.now();
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  // activate() registers what VS Code needs before it can use the extension (commands, the
  // authentication provider, the URI handler); the output channel is created when something is
  // first logged, the tree views and the status bar right after activate() returns.
  const channel = lazyChannel(() => vscode.window.createOutputChannel('Jira', { log: true }));
  const log: Logger = createLogger(channel);
  const network = installNetwork(context.secrets, log);
  const version = String(context.extension.packageJSON.version);
  const userAgent = `jira-auth-vscode/${version} (VS Code ${vscode.version})`;

  const accounts = new AccountStore(context.secrets, context.globalState, log);
  const pending = new PendingStore(context.secrets, context.globalState);
  const oauth2Clients = new OAuth2ClientStore(context.secrets);
  const uriCallbacks = registerUriCallbacks(context.extension.id, log);
  let statusBar: AccountStatusBar | undefined;
  let deactivated = false;
  const accountsChanged = new vscode.EventEmitter<void>();

  // The UI; tests swap it (api.testing.setPrompter) to drive the flows without clicking.
  let testPrompter: Prompter | undefined;
  let uiPrompter: Prompter | undefined;
  const prompter = async (): Promise<Prompter> => {
    if (testPrompter) return testPrompter;
    if (!uiPrompter) {
      const { VsCodePrompter } = await import('./ui/vscodePrompter');
      uiPrompter = new VsCodePrompter(`${context.extension.id}#${WALKTHROUGH}`);
    }
    return uiPrompter;
  };

  let controller: Promise<SignInController> | undefined;
  const getController = (): Promise<SignInController> => {
    controller ??= Promise.all([import('./signin/controller'), prompter()]).then(([m, ui]) => {
      const deps: SignInDeps = {
        accounts,
        pending,
        oauth2Clients,
        oauth2AccessToken: (account, auth) => clientFactory.accessToken(account, auth),
        uriCallbacks,
        prompter: ui,
        log,
        core: loadCore,
        extensionHost: extensionHostKind(),
        settings,
        memento: context.globalState,
        userAgent,
        proposedConsumerKey,
        onDidFocusWindow: (listener) =>
          vscode.window.onDidChangeWindowState((w) => {
            if (w.focused) listener(undefined);
          }),
      };
      return new m.SignInController(deps);
    });
    return controller.then(async (c) => {
      c.deps.prompter = await prompter();
      return c;
    });
  };

  const apiAccount = (id: string | undefined): JiraAccount | undefined => {
    const a = id ? accounts.get(id) : accounts.active();
    return a ? toApiAccount(a, accounts.active()?.id) : undefined;
  };

  const clientFactory = new ClientFactory({
    accounts,
    core: loadCore,
    userAgent,
    cloudEndpoints: () => settings().cloudEndpoints,
    onSessionEnded: (account, err) => {
      void getController().then((c) => c.sessionEnded(account, err));
    },
  });
  const clients = new Map<string, Promise<JiraClient>>();
  const getClient = (accountId?: string): Promise<JiraClient> => {
    const a = accountId ? accounts.get(accountId) : accounts.active();
    if (!a) return Promise.reject(new Error(vscode.l10n.t('Not signed in to Jira: run "Jira: Sign In" first.')));
    let c = clients.get(a.id);
    if (!c) {
      c = (async () => {
        const auth = await accounts.getAuth(a.id);
        if (!auth) throw new Error(vscode.l10n.t('The credentials of {0} are no longer in VS Code\'s secret storage. Sign in again.', a.displayName));
        return clientFactory.create(a, auth);
      })();
      c.catch(() => clients.delete(a.id));
      clients.set(a.id, c);
    }
    return c;
  };

  const signIn = async (args?: SignInArgs): Promise<JiraAccount | undefined> => {
    const c = await getController();
    const programmatic = isProgrammatic(args);
    const a = await c.signIn(programmatic ? args : {}, { rethrow: programmatic });
    return a ? apiAccount(a.id) : undefined;
  };

  const provider = new JiraAuthenticationProvider(
    accounts,
    {
      signIn: async (baseUrl) => (await getController()).signIn(baseUrl ? { baseUrl } : {}, { rethrow: true }),
      signOut: async (id) => {
        await (await getController()).signOut(id);
      },
    },
    log,
  );

  // Offer "Sign in with Jira" in the Accounts menu while there is no account.
  const requestSignInEntry = () => {
    if (!accounts.list().length) {
      vscode.authentication.getSession(PROVIDER_ID, SESSION_SCOPES, { createIfNone: false }).then(undefined, () => undefined);
    }
  };

  const run = <A extends unknown[]>(id: string, fn: (c: SignInController, ...args: A) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: A) => fn(await getController(), ...args));

  context.subscriptions.push(
    channel,
    // Closes the kept-alive connections of the core (if it was loaded).
    network,
    {
      dispose: () => {
        deactivated = true;
        statusBar?.dispose();
      },
    },
    accountsChanged,
    provider,
    { dispose: () => accounts.dispose() },
    { dispose: () => pending.dispose() },
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, 'Jira', provider, { supportsMultipleAccounts: true }),
    accounts.onDidChange((e) => {
      for (const a of [...e.removed, ...e.changed]) clients.delete(a.id);
      for (const a of e.removed) clientFactory.forget(a.id);
      accountsChanged.fire();
      if (e.removed.length) requestSignInEntry();
    }),
    vscode.commands.registerCommand('jira.showLog', () => channel.show()),
    vscode.commands.registerCommand('jira.signIn', async (args?: unknown) => {
      const c = await getController();
      const programmatic = isProgrammatic(args);
      const a = await c.signIn(programmatic ? args : {}, { rethrow: programmatic });
      return a ? apiAccount(a.id) : undefined;
    }),
    run('jira.continueSignIn', (c) => c.continueSignIn()),
    run('jira.signOut', async (c, arg?: unknown) => !!(await c.signOut(accountIdOf(arg)))),
    run('jira.generateKeyPair', (c) => c.generateKeyPair()),
    run('jira.setUpApplicationLink', (c) => c.setUpApplicationLink()),
    run('jira.copyPublicKey', (c) => c.copyPublicKey()),
    run('jira.copyConsumerKey', (c) => c.copyConsumerKey()),
    run('jira.openApplicationLinks', (c) => c.openApplicationLinks()),
    run('jira.cancelPendingSignIn', (c) => c.discardPending(true)),
    run('jira.copyAccessToken', (c, arg?: unknown) =>
      c.copyAccessToken(isProgrammatic(arg) ? (arg as { accountId?: string; confirm?: boolean; curlUrl?: string }) : { accountId: accountIdOf(arg) }),
    ),
    run('jira.showAccounts', (c) => c.showAccounts()),
    uriCallbacks,
    registerInspectToken({ accounts, core: loadCore, signIn: async () => (await getController()).signIn() }),
  );

  // The Jira views (My Issues, Filters, issue detail), fed by the active account's signed client.
  const views = registerViews(context, {
    getClient: async () => {
      const a = accounts.active();
      return a ? { client: await getClient(a.id), site: a.site } : undefined;
    },
    onDidChangeAccount: accountsChanged.event,
    log,
  });

  // Our cost: evaluating the bundle plus activate() (not the time VS Code takes in between).
  const activateMs = performance.now() - activateStart;
  const moduleMs = moduleEnd - moduleStart;
  const activationMs = moduleMs + activateMs;
  const ms = (n: number) => n.toFixed(1);
  // What activate() left out, as VS Code saw it when activate() returned (the tests check it).
  const createdDuringActivation = { treeViews: views.treeViewsCreated, statusBar: statusBar !== undefined, logChannel: channel.created };
  // Right after activation: the two TreeViews (VS Code asks a view for data only after the
  // activation has finished), the status bar item and the context keys its menus use (VS Code
  // shows both asynchronously anyway), the Accounts menu entry, the activation line in the log.
  setImmediate(() => {
    if (deactivated) return;
    const t0 = performance.now();
    views.createTreeViews();
    statusBar = new AccountStatusBar(accounts, pending);
    requestSignInEntry();
    log.info(
      `activated in ${ms(activationMs)} ms (module ${ms(moduleMs)} ms of which require('vscode') ${ms(vscodeLoaded - moduleStart)} ms, ` +
        `activate() ${ms(activateMs)} ms; then the tree views and the status bar ${ms(performance.now() - t0)} ms; ` +
        `${extensionHostKind()} extension host, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`,
    );
  });

  const testing: JiraAuthTesting | undefined =
    context.extensionMode === vscode.ExtensionMode.Production
      ? undefined
      : {
          setPrompter: (p) => {
            testPrompter = p;
          },
          globalState: context.globalState,
          secrets: context.secrets,
          activationMs,
          provider,
          views,
          get logChannelCreated() {
            return channel.created;
          },
          createdDuringActivation,
          get statusBarCreated() {
            return statusBar !== undefined;
          },
        };

  return {
    version,
    onDidChangeAccounts: accountsChanged.event,
    getAccounts: () => accounts.list().map((a) => toApiAccount(a, accounts.active()?.id)),
    getActiveAccount: () => apiAccount(undefined),
    setActiveAccount: (id) => accounts.setActive(id),
    getClient,
    signIn,
    signOut: async (id) => !!(await (await getController()).signOut(id, { quiet: true })),
    testing,
  };
}

export function deactivate(): void {
  /* disposables are released through context.subscriptions */
}

/** When the bundle finished evaluating (this is its last statement). */
const moduleEnd = performance.now();
