/**
 * The TreeDataProviders of the "My Issues" (`jira.issues`) and "Filters" (`jira.filters`) views.
 * State lives in model.ts; this file only turns it into TreeItems.
 */
import vscode = require('vscode');
import type { Logger } from '../log';
import { browseUrl, FiltersModel, IssueList, IssueNode, ListHost, LoadMoreNode, MessageNode, Session, TreeNode } from './model';
import { countText, escapeMarkdown, iconColor, issueLabel, issueTooltip, typeIcon } from './present';

export const COMMANDS = {
  openIssue: 'jira.issue.open',
  loadMore: 'jira.views.loadMore',
  retry: 'jira.views.retry',
} as const;

type Root = { kind: 'list'; list: IssueList } | { kind: 'filters'; model: FiltersModel };

/** One view's provider; `root` is either a single list (My Issues) or the filters model. */
export class JiraTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  root!: Root;
  view: vscode.TreeView<TreeNode> | undefined;
  private baseUrl = '';
  private beforeFirstUse: (() => void) | undefined;

  constructor(readonly viewId: string) {}

  /** `beforeFirstUse` runs before the root's children are first asked for (reads the settings). */
  setRoot(root: Root, beforeFirstUse?: () => void): void {
    this.root = root;
    this.beforeFirstUse = beforeFirstUse;
  }

  /** Called by the model when a node (undefined: the root) must be asked again. */
  changed(node: IssueList | undefined): void {
    if (!node || (this.root.kind === 'list' && node === this.root.list)) this.emitter.fire(undefined);
    else this.emitter.fire(node);
    this.updateDescription();
  }

  setBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    if (!element) {
      this.beforeFirstUse?.();
      const children = this.root.kind === 'list' ? await this.root.list.children() : await this.root.model.children();
      this.updateDescription();
      return children;
    }
    if (element instanceof IssueList) return element.children();
    return [];
  }

  getParent(element: TreeNode): TreeNode | undefined {
    if (element instanceof IssueNode || element instanceof LoadMoreNode) return this.parentList(element.list);
    if (element instanceof MessageNode) return element.parent instanceof IssueList ? this.parentList(element.parent) : undefined;
    return undefined;
  }

  private parentList(list: IssueList): IssueList | undefined {
    return this.root.kind === 'list' && this.root.list === list ? undefined : list;
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    if (element instanceof IssueNode) return this.issueItem(element);
    if (element instanceof LoadMoreNode) return this.moreItem(element);
    if (element instanceof MessageNode) return this.messageItem(element);
    return this.listItem(element);
  }

  /** Tooltips are built on hover only: 10 000 items would otherwise keep 10 000 Markdown strings. */
  resolveTreeItem(item: vscode.TreeItem, element: TreeNode): vscode.TreeItem {
    if (element instanceof IssueNode) {
      const md = new vscode.MarkdownString(issueTooltip(element, { url: this.baseUrl ? browseUrl(this.baseUrl, element.key) : undefined, locale: vscode.env.language }), true);
      item.tooltip = md;
    } else if (element instanceof IssueList) {
      const md = new vscode.MarkdownString(undefined, true);
      md.appendMarkdown(`**${escapeMarkdown(element.label)}**\n\n`);
      if (element.filter?.description) md.appendMarkdown(`${escapeMarkdown(element.filter.description)}\n\n`);
      if (element.filter?.owner) md.appendMarkdown(`$(person) ${escapeMarkdown(element.filter.owner)}\n\n`);
      md.appendCodeblock(element.jql, 'jql');
      item.tooltip = md;
    }
    return item;
  }

  private issueItem(node: IssueNode): vscode.TreeItem {
    const item = new vscode.TreeItem(issueLabel(node), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.status;
    const color = iconColor(node);
    item.iconPath = new vscode.ThemeIcon(typeIcon(node.type), color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = 'jira.issue';
    item.command = { command: COMMANDS.openIssue, title: vscode.l10n.t('Open Issue'), arguments: [node] };
    return item;
  }

  private moreItem(node: LoadMoreNode): vscode.TreeItem {
    const list = node.list;
    const item = new vscode.TreeItem(list.loadingMore ? vscode.l10n.t('Loading more…') : vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = countText(list.issues.length, list.total, true);
    item.iconPath = new vscode.ThemeIcon(list.loadingMore ? 'loading~spin' : 'more');
    item.contextValue = 'jira.loadMore';
    item.tooltip = vscode.l10n.t('Load the next page of issues ({0} loaded)', countText(list.issues.length, list.total, true));
    if (!list.loadingMore) item.command = { command: COMMANDS.loadMore, title: vscode.l10n.t('Load More'), arguments: [node] };
    return item;
  }

  private messageItem(node: MessageNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.tooltip = node.text;
    if (node.message === 'error') {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.contextValue = 'jira.error';
      item.description = vscode.l10n.t('Retry');
      item.command = { command: COMMANDS.retry, title: vscode.l10n.t('Retry'), arguments: [node] };
    } else {
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'jira.empty';
    }
    return item;
  }

  private listItem(list: IssueList): vscode.TreeItem {
    const state = list.origin === 'search' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const label = list.origin === 'search' ? vscode.l10n.t('Search Results') : list.label;
    const item = new vscode.TreeItem(label, state);
    item.id = list.id;
    item.iconPath = new vscode.ThemeIcon(list.origin === 'favourite' ? 'star-full' : list.origin === 'search' ? 'search' : 'filter');
    item.contextValue = `jira.list.${list.origin}`;
    if (list.origin === 'search') item.description = list.jql;
    else if (list.status === 'ready') item.description = countText(list.issues.length, list.total, list.next !== undefined);
    return item;
  }

  /** "50 of 10,000" next to the My Issues title. */
  private updateDescription(): void {
    if (!this.view || this.root.kind !== 'list') return;
    const list = this.root.list;
    this.view.description = list.status === 'ready' && list.issues.length ? countText(list.issues.length, list.total, list.next !== undefined) : undefined;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A ListHost for one view: progress on that view, changes to its provider. */
export function createHost(
  provider: JiraTreeProvider,
  session: () => Promise<Session | undefined>,
  pageSize: () => number,
  log: Logger,
): ListHost {
  return {
    session: async () => {
      const s = await session();
      provider.setBaseUrl(s?.baseUrl ?? '');
      return s;
    },
    pageSize,
    changed: (node) => provider.changed(node),
    busy: <T>(work: Promise<T>): Promise<T> => {
      // Progress is cosmetic: a view that is not there (yet) must not turn into an error.
      vscode.window.withProgress({ location: { viewId: provider.viewId } }, () => work.then(() => undefined, () => undefined)).then(undefined, () => undefined);
      return work;
    },
    log: (m) => log.warn(m),
  };
}
