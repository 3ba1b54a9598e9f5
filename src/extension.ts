import { moduleStart } from './startTime';
import { vscodeLoaded } from './vscodeLoaded';
import vscode = require('vscode');
import type { JiraAuthApi } from './api';
import { toApiAccount } from './api';
import { activationMs, logActivation, testingHooks } from './activation';
import { JiraAuthenticationProvider, PROVIDER_ID, SESSION_SCOPES } from './auth/provider';
import { ClientFactory } from './auth/clients';
import { registerUriCallbacks } from './auth/uriHandler';
import { registerInspectToken } from './commands/inspectTokenView';
import { registerSignInCommands, signInCommand } from './commands/signIn';
import { loadCore } from './coreLoader';
import { setTranslator } from './l10n';
import { createLogger, lazyChannel } from './log';
import { installNetwork } from './netSettings';
import { extensionHostKind, proposedConsumerKey, signInSettings } from './settings';
import { createSignInDeps, createStores } from './auth/signInDeps';
import { LazySignIn } from './auth/lazySignIn';
import { AccountStatusBar } from './ui/statusBar';
import { registerViews } from './views';

export type { JiraAccount, JiraAuthApi } from './api';

const WALKTHROUGH = 'jira.applicationLink';

export function activate(context: vscode.ExtensionContext): JiraAuthApi {
  const activateStart = performance.now();
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  // activate() registers what VS Code needs before it can use the extension (commands, the
  // authentication provider, the URI handler); the output channel is created when something is
  // first logged, the tree views and the status bar right after activate() returns.
  const channel = lazyChannel(() => vscode.window.createOutputChannel('Jira', { log: true }));
  const log = createLogger(channel);
  const version = String(context.extension.packageJSON.version);
  const userAgent = `jira-auth-vscode/${version} (VS Code ${vscode.version})`;
  const stores = createStores(context.secrets, context.globalState, log);
  const { accounts, pending } = stores;
  const uriCallbacks = registerUriCallbacks(context.extension.id, log);
  const signIn = new LazySignIn(
    (prompter) =>
      createSignInDeps({
        secrets: context.secrets, memento: context.globalState, log, prompter, core: loadCore, userAgent, uriCallbacks,
        extensionHost: extensionHostKind(), settings: signInSettings, proposedConsumerKey,
        oauth2AccessToken: (account, auth) => clients.accessToken(account, auth),
        onDidFocusWindow: (listener) => vscode.window.onDidChangeWindowState((w) => w.focused && listener(undefined)),
        inspectToken: async (id) => void (await vscode.commands.executeCommand('jira.inspectToken', id)),
      }, stores),
    async () => new (await import('./ui/vscodePrompter')).VsCodePrompter(`${context.extension.id}#${WALKTHROUGH}`),
  );
  const controller = () => signIn.controller();
  const clients = new ClientFactory({
    accounts, core: loadCore, userAgent, cloudEndpoints: () => signInSettings().cloudEndpoints,
    onSessionEnded: (account, err) => void controller().then((c) => c.account.sessionEnded(account, err)),
  });
  const provider = new JiraAuthenticationProvider(accounts, {
    signIn: async (baseUrl) => (await controller()).signIn(baseUrl ? { baseUrl } : {}, { rethrow: true }),
    signOut: async (id) => void (await (await controller()).account.signOut(id)),
  }, log);
  // Offer "Sign in with Jira" in the Accounts menu while there is no account.
  const requestSignInEntry = () => {
    if (!accounts.list().length) vscode.authentication.getSession(PROVIDER_ID, SESSION_SCOPES, { createIfNone: false }).then(undefined, () => undefined);
  };
  const accountsChanged = new vscode.EventEmitter<void>();
  let statusBar: AccountStatusBar | undefined;
  let deactivated = false;
  context.subscriptions.push(
    channel,
    installNetwork(context.secrets, log), // closes the kept-alive connections of the core (if it was loaded)
    {
      dispose: () => {
        deactivated = true;
        statusBar?.dispose();
      },
    },
    accountsChanged, provider, clients, accounts, pending, uriCallbacks,
    accounts.onDidChange((e) => {
      accountsChanged.fire();
      if (e.removed.length) requestSignInEntry();
    }),
    vscode.commands.registerCommand('jira.showLog', () => channel.show()),
    ...registerSignInCommands(controller),
    registerInspectToken({ accounts, core: loadCore, signIn: async () => (await controller()).signIn() }),
  );
  // The Jira views (My Issues, Filters, issue detail), fed by the active account's signed client.
  const views = registerViews(context, {
    getClient: async () => {
      const a = accounts.active();
      return a ? { client: await clients.client(a.id), site: a.site } : undefined;
    },
    onDidChangeAccount: accountsChanged.event,
    log,
  });
  const times = { moduleStart, vscodeLoaded, moduleEnd, activateStart, activateEnd: performance.now() };
  // Right after activation: the two TreeViews (VS Code asks a view for data only after the
  // activation has finished), the status bar item and the context keys its menus use (VS Code
  // shows both asynchronously anyway), the Accounts menu entry, the activation line in the log.
  setImmediate(() => {
    if (deactivated) return;
    const t0 = performance.now();
    views.createTreeViews();
    statusBar = new AccountStatusBar(accounts, pending);
    requestSignInEntry();
    logActivation(log, times, performance.now() - t0, extensionHostKind());
  });
  const apiAccount = (a = accounts.active()) => (a ? toApiAccount(a, accounts.active()?.id) : undefined);
  return {
    version,
    onDidChangeAccounts: accountsChanged.event,
    getAccounts: () => accounts.list().map((a) => toApiAccount(a, accounts.active()?.id)),
    getActiveAccount: () => apiAccount(),
    setActiveAccount: (id) => accounts.setActive(id),
    getClient: (id) => clients.client(id),
    signIn: async (args) => signInCommand(await controller(), args),
    signOut: async (id) => !!(await (await controller()).account.signOut(id, { quiet: true })),
    testing: testingHooks(context, {
      setPrompter: (p) => signIn.setTestPrompter(p),
      activationMs: activationMs(times),
      provider, views,
      logChannelCreated: () => channel.created,
      statusBarCreated: () => statusBar !== undefined,
    }),
  };
}

export function deactivate(): void {
  /* disposables are released through context.subscriptions */
}

/** When the bundle finished evaluating (this is its last statement). */
const moduleEnd = performance.now();
