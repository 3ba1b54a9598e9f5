import { moduleStart } from './startTime';
import { vscodeLoaded } from './vscodeLoaded';
import vscode = require('vscode');
import type { JiraAuthApi } from './api';
import { activationMs, createApi, logActivation, testingHooks } from './activation';
import { JiraAuthenticationProvider } from './auth/provider';
import { ClientFactory } from './auth/clients';
import { registerUriCallbacks } from './auth/uriHandler';
import { registerInspectToken } from './commands/inspectTokenView';
import { registerSignInCommands } from './commands/signIn';
import { loadCore } from './coreLoader';
import { setTranslator } from './l10n';
import { createLogger, lazyChannel } from './log';
import { installNetwork } from './netSettings';
import { extensionHostKind, signInSettings } from './settings';
import { createStores } from './auth/signInDeps';
import { windowSignIn } from './windowSignIn';
import { AccountStatusBar } from './ui/statusBar';
import { registerViews } from './views';

export type { JiraAccount, JiraAuthApi } from './api';

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
  const signIn = windowSignIn(context, { stores, log, userAgent, uriCallbacks, oauth2AccessToken: (account, auth) => clients.accessToken(account, auth) });
  const controller = () => signIn.controller();
  const clients = new ClientFactory({
    accounts, core: loadCore, userAgent, cloudEndpoints: () => signInSettings().cloudEndpoints,
    onSessionEnded: (account, err) => void controller().then((c) => c.account.sessionEnded(account, err)),
  });
  const provider = new JiraAuthenticationProvider(accounts, {
    signIn: async (baseUrl) => (await controller()).signIn(baseUrl ? { baseUrl } : {}, { rethrow: true }),
    signOut: async (id) => void (await (await controller()).account.signOut(id)),
  }, log);
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
    accounts.onDidChange(() => accountsChanged.fire()),
    vscode.commands.registerCommand('jira.showLog', () => channel.show()),
    ...registerSignInCommands(controller, context.extensionMode === vscode.ExtensionMode.Test),
    registerInspectToken({ accounts, core: loadCore, signIn: async () => (await controller()).signIn() }),
  );
  // The Jira views (My Issues, Filters, issue detail), fed by the active account's signed client.
  const views = registerViews(context, {
    getClient: async () => {
      const a = accounts.active();
      return a ? { client: await clients.client(a.id), site: a.site, accountId: a.id } : undefined;
    },
    onDidChangeAccount: accountsChanged.event,
    signedIn: (id) => accounts.get(id) !== undefined,
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
    provider.offerSignIn();
    logActivation(log, times, performance.now() - t0, extensionHostKind());
  });
  return createApi({
    version, accounts, clients, controller, onDidChangeAccounts: accountsChanged.event,
    testing: testingHooks(context, {
      setPrompter: (p) => signIn.setTestPrompter(p),
      activationMs: activationMs(times),
      provider, views,
      logChannelCreated: () => channel.created,
      statusBarCreated: () => statusBar !== undefined,
    }),
  });
}

export function deactivate(): void {
  /* disposables are released through context.subscriptions */
}

/** When the bundle finished evaluating (this is its last statement). */
const moduleEnd = performance.now();
