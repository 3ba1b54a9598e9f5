/**
 * Commands of the Jira views: refresh, search (JQL), open by key, switch account, and the issue
 * items' context menu (open, open in browser, copy key, copy URL, refresh), plus the internal
 * "Load more" and "Retry" of tree items. The issue detail webview is loaded on first use.
 */
import vscode = require('vscode');
import { errorMessage } from '../l10n';
import type { Logger } from '../log';
import { openJiraPage } from '../ui/openPage';
import type { JiraViews } from './index';
import { browseUrl, DETAIL_VIEW_TYPE, IssueList, IssueNode, jqlUrl, ListHost, LoadMoreNode, MessageNode, parseIssueKey, TreeNode } from './model';

export const VIEW_COMMANDS = {
  refresh: 'jira.views.refresh',
  refreshIssues: 'jira.issues.refresh',
  refreshFilters: 'jira.filters.refresh',
  search: 'jira.issues.search',
  clearSearch: 'jira.issues.clearSearch',
  openByKey: 'jira.issues.openByKey',
  switchAccount: 'jira.views.switchAccount',
  open: 'jira.issue.open',
  openInBrowser: 'jira.issue.openInBrowser',
  copyKey: 'jira.issue.copyKey',
  copyUrl: 'jira.issue.copyUrl',
  refreshNode: 'jira.views.refreshNode',
  loadMore: 'jira.views.loadMore',
  retry: 'jira.views.retry',
  startWork: 'jira.issue.startWork',
  transition: 'jira.issue.transition',
  assignToMe: 'jira.issue.assignToMe',
  assign: 'jira.issue.assign',
  comment: 'jira.issue.comment',
} as const;

/** The work commands (detail/work.ts) and their action. */
const WORK_COMMANDS = [
  [VIEW_COMMANDS.startWork, 'startWork'],
  [VIEW_COMMANDS.transition, 'transition'],
  [VIEW_COMMANDS.assignToMe, 'assignToMe'],
  [VIEW_COMMANDS.assign, 'assign'],
  [VIEW_COMMANDS.comment, 'comment'],
] as const;

type DetailModule = typeof import('./detail/panel');

export interface CommandDeps {
  views: JiraViews;
  filtersHost: ListHost;
  log: Logger;
  onDidChangeAccount?: vscode.Event<void>;
  signedIn?(accountId: string): boolean;
}

export function registerViewCommands(context: vscode.ExtensionContext, deps: CommandDeps): vscode.Disposable[] {
  const { views, log } = deps;
  let detail: Promise<DetailModule> | undefined;
  let searchCount = 0;
  let lastJql = '';

  /** After a write: the lists that show the issue load again, so they show what Jira has. */
  const reloadTrees = (key: string): void => {
    const holds = (list: IssueList) => list.snapshot().some((n) => n instanceof IssueNode && n.key === key);
    if (holds(views.myIssues)) views.myIssues.reset();
    for (const c of views.filters.snapshot()) if (c instanceof IssueList && holds(c)) c.reset();
  };

  /** The webview code is evaluated only when a detail opens (never on activation). */
  const loadDetail = (): Promise<DetailModule> => {
    detail ??= import('./detail/panel').then((m) => {
      m.initDetail(context, { session: () => views.sessions.session(), signedIn: deps.signedIn, log, onDidChangeAccount: deps.onDidChangeAccount, reloadTrees });
      return m;
    });
    return detail;
  };

  const selected = (): TreeNode | undefined =>
    (views.issuesView.visible ? views.issuesView.selection[0] : undefined) as TreeNode | undefined ??
    (views.filtersView.visible ? views.filtersView.selection[0] : undefined) as TreeNode | undefined;

  /** The issue key a command is about: its argument (tree node or key), else the tree selection. */
  const keyOf = (arg: unknown): string | undefined => {
    if (typeof arg === 'string') return parseIssueKey(arg);
    const node = (arg ?? selected()) as TreeNode | undefined;
    return node instanceof IssueNode ? node.key : undefined;
  };

  const baseUrl = async (): Promise<string | undefined> => {
    const s = await views.sessions.session();
    if (!s) void vscode.window.showInformationMessage(vscode.l10n.t('Sign in to Jira first.'), vscode.l10n.t('Sign In')).then((a) => a && vscode.commands.executeCommand('jira.signIn'));
    return s?.baseUrl;
  };

  /** The browser URL for a node: an issue, a filter (its view URL) or a JQL list. */
  const urlOf = async (arg: unknown): Promise<string | undefined> => {
    const node = (arg ?? selected()) as TreeNode | undefined;
    const base = await baseUrl();
    if (!base) return undefined;
    if (node instanceof IssueList) return node.filter?.viewUrl ?? jqlUrl(base, node.jql);
    const key = keyOf(arg);
    return key ? browseUrl(base, key) : undefined;
  };

  const openDetail = async (key: string): Promise<void> => {
    const m = await loadDetail();
    await m.showIssue(key);
  };

  const listOf = (node: unknown): IssueList | undefined => {
    if (node instanceof IssueList) return node;
    if (node instanceof IssueNode || node instanceof LoadMoreNode) return node.list;
    if (node instanceof MessageNode && node.parent instanceof IssueList) return node.parent;
    return undefined;
  };

  const search = async (initial?: unknown): Promise<void> => {
    if (!(await baseUrl())) return;
    const box = vscode.window.createInputBox();
    box.title = vscode.l10n.t('Search Issues');
    box.prompt = vscode.l10n.t('Enter a JQL query, then press Enter');
    box.placeholder = 'project = PROJ AND status = "In Progress" ORDER BY updated DESC';
    box.value = typeof initial === 'string' ? initial : lastJql;
    box.ignoreFocusOut = true;
    let pending: IssueList | undefined;
    const subs: vscode.Disposable[] = [];
    await new Promise<void>((resolve) => {
      subs.push(
        box.onDidChangeValue(() => { box.validationMessage = undefined; }),
        box.onDidAccept(async () => {
          const jql = box.value.trim();
          if (!jql) {
            box.validationMessage = vscode.l10n.t('Enter a JQL query.');
            return;
          }
          pending?.cancel();
          const list = new IssueList(deps.filtersHost, `search:${++searchCount}`, vscode.l10n.t('Search Results'), jql, 'search');
          pending = list;
          box.busy = true;
          box.enabled = false;
          await list.load();
          if (pending !== list) return;
          box.busy = false;
          box.enabled = true;
          if (list.status === 'error') {
            // Jira's own words (errorMessages) for a bad JQL; keep the box open to fix it.
            box.validationMessage = list.error;
            return;
          }
          if (list.status !== 'ready') return;
          pending = undefined;
          lastJql = jql;
          views.filters.setSearch(list);
          box.hide();
          try {
            await views.filtersView.reveal(list, { expand: true, focus: true, select: true });
          } catch (err) {
            log.warn(`Could not reveal the search results: ${err instanceof Error ? err.message : String(err)}`);
          }
        }),
        box.onDidHide(() => {
          pending?.cancel();
          resolve();
        }),
      );
      box.show();
    });
    subs.forEach((d) => d.dispose());
    box.dispose();
  };

  /** Asks for an issue key (the palette's way into commands about one issue). */
  const askKey = async (title = vscode.l10n.t('Open Issue by Key')): Promise<string | undefined> => {
    if (!(await baseUrl())) return undefined;
    const input = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('An issue key such as PROJ-123 (or a /browse/ link)'),
      placeHolder: 'PROJ-123',
      value: keyOf(undefined) ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() || parseIssueKey(v) ? undefined : vscode.l10n.t('Not an issue key: expected letters, a dash and a number (PROJ-123).')),
    });
    return input ? parseIssueKey(input) : undefined;
  };

  const openByKey = async (arg?: unknown): Promise<void> => {
    const key = (typeof arg === 'string' ? parseIssueKey(arg) : undefined) ?? (await askKey());
    if (key) await openDetail(key);
  };

  const switchAccount = async (): Promise<void> => {
    const all = await vscode.commands.getCommands(true);
    // The sign-in side owns the accounts; use its switcher when it has one.
    for (const id of ['jira.switchAccount', 'jira.showAccounts']) {
      if (all.includes(id)) {
        await vscode.commands.executeCommand(id);
        return;
      }
    }
    await vscode.commands.executeCommand('jira.signIn');
  };

  const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        views.configure();
        return await fn(...args);
      } catch (err) {
        const msg = errorMessage(err).split('\n')[0];
        log.error(`${id} failed: ${msg}`);
        void vscode.window.showErrorMessage(msg);
        return undefined;
      }
    });

  return [
    reg(VIEW_COMMANDS.refresh, () => {
      views.myIssues.reset();
      views.filters.refresh();
    }),
    reg(VIEW_COMMANDS.refreshIssues, () => views.myIssues.reset()),
    reg(VIEW_COMMANDS.refreshFilters, () => views.filters.refresh()),
    reg(VIEW_COMMANDS.refreshNode, (node) => {
      const list = listOf(node ?? selected());
      if (list && list !== views.myIssues) list.reset();
      else if (list) views.myIssues.reset();
      else views.filters.refresh();
    }),
    reg(VIEW_COMMANDS.loadMore, (node) => listOf(node)?.loadMore()),
    reg(VIEW_COMMANDS.retry, (node) => { if (node instanceof MessageNode) node.retry?.(); }),
    reg(VIEW_COMMANDS.search, (jql) => search(jql)),
    reg(VIEW_COMMANDS.clearSearch, () => views.filters.setSearch(undefined)),
    reg(VIEW_COMMANDS.openByKey, (arg) => openByKey(arg)),
    reg(VIEW_COMMANDS.switchAccount, () => switchAccount()),
    reg(VIEW_COMMANDS.open, async (arg) => {
      const key = keyOf(arg);
      if (key) await openDetail(key);
      else await openByKey();
    }),
    reg(VIEW_COMMANDS.openInBrowser, async (arg) => {
      const url = await urlOf(arg);
      if (url) await openJiraPage(url);
    }),
    reg(VIEW_COMMANDS.copyKey, async (arg) => {
      const key = keyOf(arg);
      if (!key) return;
      await vscode.env.clipboard.writeText(key);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', key), 3000);
    }),
    reg(VIEW_COMMANDS.copyUrl, async (arg) => {
      const url = await urlOf(arg);
      if (!url) return;
      await vscode.env.clipboard.writeText(url);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', url), 3000);
    }),
    // Issue tabs survive a reload: VS Code keeps the webview's state (the issue, its site and
    // account) and hands the tab back here, which loads the detail code only when there is one.
    vscode.window.registerWebviewPanelSerializer(DETAIL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        await (await loadDetail()).restoreIssue(panel, state);
      },
    }),
    // Working on an issue: the code (detail/work.ts) is part of the detail, loaded on first use.
    ...WORK_COMMANDS.map(([id, action]) => reg(id, async (arg) => {
      const key = keyOf(arg) ?? (arg === undefined ? await askKey(vscode.l10n.t('Work on an Issue')) : undefined);
      if (key) await (await loadDetail()).runWork(action, key);
    })),
    { dispose: () => { void detail?.then((m) => m.disposeDetail()); } },
  ];
}
