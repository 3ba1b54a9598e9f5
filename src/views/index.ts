/**
 * The Jira views: "My Issues" (`jira.issues`) and "Filters" (`jira.filters`) trees, their commands
 * and the issue detail webview (loaded on first use).
 *
 * Wiring (src/extension.ts):
 *   registerViews(context, { getClient, onDidChangeAccount, log });
 * `getClient()` returns the active account's signed client (any auth method) and its site, or
 * undefined when signed out; `site.deploymentType` (from sign-in's serverInfo) saves a request.
 */
import vscode = require('vscode');
import type { Logger } from '../log';
import type { DeploymentStore } from '../core/search';
import { registerViewCommands } from './commands';
import { FiltersModel, IssueList, parseSavedFilters, TreeNode } from './model';
import { ClientInfo, SessionManager } from './session';
import { createHost, JiraTreeProvider } from './tree';

export interface ViewsDeps {
  getClient(): Promise<ClientInfo | undefined>;
  onDidChangeAccount: vscode.Event<void>;
  /** Whether an account is still signed in (an issue tab of a signed-out account shows nothing). */
  signedIn?(accountId: string): boolean;
  log: Logger;
}

export const DEFAULT_JQL = 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC';
export const DEFAULT_PAGE_SIZE = 50;

/** What registerViews built (tests and other features may use it). */
export interface JiraViews extends vscode.Disposable {
  readonly sessions: SessionManager;
  readonly myIssues: IssueList;
  readonly filters: FiltersModel;
  readonly issuesProvider: JiraTreeProvider;
  readonly filtersProvider: JiraTreeProvider;
  /** The TreeViews; created on first access if createTreeViews() has not run yet. */
  readonly issuesView: vscode.TreeView<unknown>;
  readonly filtersView: vscode.TreeView<unknown>;
  /** Creates the two TreeViews (once): right after activate() returns (src/extension.ts). */
  createTreeViews(): void;
  /** Whether the TreeViews exist (not yet during activate()). */
  readonly treeViewsCreated: boolean;
  /** Cancels everything and reloads both views (what an account switch does). */
  reload(): void;
  /** Reads the views' settings (once; the trees and the commands call it before first use). */
  configure(): void;
  /** Whether the settings were read (not on activation: when a view or a command first needs them). */
  readonly configured: boolean;
}

export function config(): { jql: string; pageSize: number; filters: unknown } {
  const c = vscode.workspace.getConfiguration('jira');
  const jql = c.get<string>('issues.jql');
  const size = c.get<number>('issues.pageSize');
  return {
    jql: typeof jql === 'string' && jql.trim() ? jql.trim() : DEFAULT_JQL,
    pageSize: typeof size === 'number' && Number.isFinite(size) ? Math.min(1000, Math.max(1, Math.floor(size))) : DEFAULT_PAGE_SIZE,
    filters: c.get<unknown>('filters'),
  };
}

export function registerViews(context: vscode.ExtensionContext, deps: ViewsDeps): JiraViews {
  const store: DeploymentStore = {
    get: (k) => context.globalState.get<string>(k),
    set: (k, v) => context.globalState.update(k, v),
  };
  const sessions = new SessionManager(() => deps.getClient(), store);
  const session = () => sessions.session();
  const pageSize = () => config().pageSize;

  const issuesProvider = new JiraTreeProvider('jira.issues');
  const filtersProvider = new JiraTreeProvider('jira.filters');
  const issuesHost = createHost(issuesProvider, session, pageSize, deps.log);
  const filtersHost = createHost(filtersProvider, session, pageSize, deps.log);
  const myIssues = new IssueList(issuesHost, 'my', vscode.l10n.t('My Issues'), DEFAULT_JQL, 'my');
  const filters = new FiltersModel(filtersHost);
  // The settings are read when a view or a command first needs them, not on activation (the views
  // are usually not visible then); a change after that applies at once (below).
  let configured = false;
  const configure = () => {
    if (configured) return;
    configured = true;
    const initial = config();
    myIssues.jql = initial.jql;
    filters.setSaved(parseSavedFilters(initial.filters));
  };
  issuesProvider.setRoot({ kind: 'list', list: myIssues }, configure);
  filtersProvider.setRoot({ kind: 'filters', model: filters }, configure);

  // The TreeViews (what registers the data providers with VS Code) are created right after
  // activate() returns, or earlier when something asks for them: VS Code asks a view's provider for
  // data only after the activation it triggered has finished, and waits two seconds before it says
  // that a view has no data provider.
  let treeViews: { issues: vscode.TreeView<TreeNode>; filters: vscode.TreeView<TreeNode> } | undefined;
  let disposed = false;
  const createTreeViews = () => {
    if (treeViews || disposed) return treeViews;
    treeViews = {
      issues: vscode.window.createTreeView('jira.issues', { treeDataProvider: issuesProvider, showCollapseAll: false }),
      filters: vscode.window.createTreeView('jira.filters', { treeDataProvider: filtersProvider, showCollapseAll: true }),
    };
    issuesProvider.view = treeViews.issues;
    filtersProvider.view = treeViews.filters;
    return treeViews;
  };
  const treeView = (which: 'issues' | 'filters'): vscode.TreeView<unknown> => {
    const v = createTreeViews();
    if (!v) throw new Error('The Jira views were disposed.');
    return v[which] as vscode.TreeView<unknown>;
  };

  const reload = () => {
    sessions.invalidate();
    myIssues.reset();
    filters.clear();
  };

  const views: JiraViews = {
    sessions, myIssues, filters, issuesProvider, filtersProvider,
    get issuesView() {
      return treeView('issues');
    },
    get filtersView() {
      return treeView('filters');
    },
    createTreeViews: () => {
      createTreeViews();
    },
    get treeViewsCreated() {
      return treeViews !== undefined;
    },
    reload,
    configure,
    get configured() {
      return configured;
    },
    dispose: () => {
      disposed = true;
      treeViews?.issues.dispose();
      treeViews?.filters.dispose();
      myIssues.cancel();
      filters.clear();
    },
  };

  context.subscriptions.push(
    issuesProvider, filtersProvider, views,
    deps.onDidChangeAccount(() => {
      deps.log.info('Jira views: the account changed; reloading');
      reload();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!configured) return;
      if (e.affectsConfiguration('jira.issues.jql')) {
        myIssues.jql = config().jql;
        myIssues.reset();
      }
      if (e.affectsConfiguration('jira.filters')) {
        filters.setSaved(parseSavedFilters(config().filters));
        filtersProvider.changed(undefined);
      }
    }),
    ...registerViewCommands(context, { views, filtersHost, log: deps.log, onDidChangeAccount: deps.onDidChangeAccount, signedIn: deps.signedIn }),
  );
  return views;
}
