/**
 * Issue detail webview panels (one per issue key). Loaded on first use by commands.ts, never on
 * activation. The page gets its data from the extension host (the webview never fetches anything;
 * its CSP forbids it), links open in the browser through the host.
 */
import { randomBytes } from 'crypto';
import vscode = require('vscode');
import { t } from '../../l10n';
import type { Logger } from '../../log';
import { openJiraPage } from '../../ui/openPage';
import { errorSummary, isAbortError } from '../../core/search';
import { localize } from '../../l10n';
import type { ViewSession } from '../session';
import { browseUrl, DETAIL_VIEW_TYPE, parseIssueKey } from '../model';
import { errorHtml, issueHtml, loadingHtml, RenderOptions } from './render';
import { safeLink } from './sanitize';
import { IssueWork, WorkAction } from './work';
import { TabOwner, tabLoad } from './binding';
import { siteLabel } from '../../store/accounts';

export { DETAIL_VIEW_TYPE };

/** What an issue tab keeps across reloads (the webview's state): the issue, its site and account. */
export interface DetailState {
  key: string;
  baseUrl: string;
  accountId?: string;
}

interface DetailDeps {
  session(): Promise<ViewSession | undefined>;
  /** Whether this account is still signed in (absent: every account is). */
  signedIn?(accountId: string): boolean;
  log: Logger;
  onDidChangeAccount?: vscode.Event<void>;
  /** After a write to an issue: reload the trees' lists that show it. */
  reloadTrees?(key: string): void;
}

let context: vscode.ExtensionContext | undefined;
let deps: DetailDeps | undefined;
const panels = new Map<string, DetailPanel>();
const subscriptions: vscode.Disposable[] = [];
let work: IssueWork | undefined;

export function initDetail(ctx: vscode.ExtensionContext, d: DetailDeps): void {
  context = ctx;
  deps = d;
  work = new IssueWork({
    session: d.session,
    log: d.log,
    reload: async (key) => {
      d.reloadTrees?.(key);
      await panels.get(key)?.load();
    },
  });
  if (d.onDidChangeAccount) subscriptions.push(d.onDidChangeAccount(() => { for (const p of panels.values()) void p.load(); }));
}

/** Opens (or reveals) the detail of an issue. */
export async function showIssue(key: string): Promise<DetailPanel> {
  if (!context || !deps) throw new Error(t('The issue detail is not initialised.'));
  const existing = panels.get(key);
  if (existing) {
    existing.panel.reveal(undefined, false);
    return existing;
  }
  const p = new DetailPanel(key, context, deps);
  panels.set(key, p);
  await p.load();
  return p;
}

/**
 * Shows the issue again in a tab VS Code restored after a reload (registerWebviewPanelSerializer
 * in commands.ts), for the account and site it showed; a tab whose state is unusable is closed.
 */
export async function restoreIssue(panel: vscode.WebviewPanel, state: unknown): Promise<DetailPanel | undefined> {
  const s = state as Partial<DetailState> | undefined;
  const key = typeof s?.key === 'string' ? parseIssueKey(s.key) : undefined;
  if (!context || !deps || !key || typeof s?.baseUrl !== 'string' || !s.baseUrl || panels.has(key)) {
    panel.dispose();
    return undefined;
  }
  const p = new DetailPanel(key, context, deps, { panel, baseUrl: s.baseUrl, accountId: typeof s.accountId === 'string' ? s.accountId : undefined });
  panels.set(key, p);
  await p.load();
  return p;
}

/**
 * Transition…, Assign to Me, Assign…, Start Work on an issue (tree or detail). Comment opens the
 * detail and its comment box: the text is written there, on several lines.
 */
export async function runWork(action: WorkAction, key: string): Promise<boolean> {
  if (!work) throw new Error(t('The issue detail is not initialised.'));
  if (action === 'comment') {
    const p = await showIssue(key);
    await p.loading;
    void p.panel.webview.postMessage({ type: 'focusComment' });
    return true;
  }
  const p = panels.get(key);
  p?.working(true);
  try {
    return await work.run(action, key);
  } finally {
    p?.working(false);
  }
}

/** The open panels (for tests). */
export function openPanels(): ReadonlyMap<string, DetailPanel> {
  return panels;
}

export function disposeDetail(): void {
  for (const p of [...panels.values()]) p.panel.dispose();
  subscriptions.splice(0).forEach((s) => s.dispose());
}

export class DetailPanel {
  readonly panel: vscode.WebviewPanel;
  private controller: AbortController | undefined;
  private baseUrl = '';
  private loaded = false;
  /** The last HTML set (tests read it). */
  html = '';
  /** The comment box's text, kept across reloads until Jira took it. */
  draft = '';
  /** Resolves when the current load is done. */
  loading: Promise<void> = Promise.resolve();

  /**
   * The account and site the tab belongs to: set by its first load (or by its state, restored
   * after a reload), never changed by an account switch (src/views/detail/binding.ts).
   */
  private owner: TabOwner | undefined;

  constructor(readonly key: string, ctx: vscode.ExtensionContext, private readonly d: DetailDeps, restored?: { panel: vscode.WebviewPanel } & Omit<DetailState, 'key'>) {
    const media = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'views');
    const options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    if (restored) {
      this.panel = restored.panel;
      this.panel.webview.options = options;
      this.owner = { baseUrl: restored.baseUrl, accountId: restored.accountId };
      this.baseUrl = restored.baseUrl;
    } else {
      this.panel = vscode.window.createWebviewPanel(DETAIL_VIEW_TYPE, key, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
        ...options,
        enableFindWidget: true,
        retainContextWhenHidden: false,
      });
    }
    this.panel.iconPath = { light: vscode.Uri.joinPath(media, 'issue-light.svg'), dark: vscode.Uri.joinPath(media, 'issue-dark.svg') };
    this.panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
    this.panel.onDidDispose(() => {
      this.controller?.abort();
      if (panels.get(this.key) === this) panels.delete(this.key);
    });
  }

  private options(): RenderOptions {
    const state: DetailState = { key: this.key, baseUrl: this.owner?.baseUrl ?? this.baseUrl, accountId: this.owner?.accountId };
    return { nonce: randomBytes(16).toString('base64'), cspSource: this.panel.webview.cspSource, baseUrl: this.baseUrl, locale: vscode.env.language, state, draft: this.draft };
  }

  private setHtml(html: string): void {
    this.html = html;
    this.panel.webview.html = html;
  }

  /** (Re)loads the issue; a load in flight is cancelled. */
  load(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    if (!this.loaded) this.setHtml(loadingHtml(this.key, this.options()));
    else void this.panel.webview.postMessage({ type: 'busy', busy: true });
    const run = async () => {
      try {
        const session = await this.d.session();
        if (controller.signal.aborted) return;
        const owner = this.owner;
        switch (tabLoad(owner, session, { shown: this.loaded, signedIn: (id) => this.d.signedIn?.(id) ?? true })) {
          case 'signIn':
            this.setHtml(errorHtml(this.key, vscode.l10n.t('Sign in to Jira to see this issue.'), this.options()));
            return;
          case 'signedOut':
            // Nothing of the issue stays readable; the site stays, so signing in there again shows it.
            this.owner = { baseUrl: owner?.baseUrl ?? this.baseUrl, signedOut: true };
            this.loaded = false;
            this.panel.title = this.key;
            this.setHtml(errorHtml(this.key, vscode.l10n.t('You signed out of {0}, so this tab no longer shows {1}. Sign in to that site again to see it.', siteLabel(this.owner.baseUrl), this.key), this.options()));
            return;
          case 'otherAccount':
            this.setHtml(errorHtml(this.key, vscode.l10n.t('This tab showed {0} from {1} for another account. Switch to that account (Jira: Switch Account…) to see it again.', this.key, owner?.baseUrl ?? ''), this.options()));
            return;
          case 'keep':
            // Another account is active: the tab keeps its own account's issue (never the same key from another site).
            void this.panel.webview.postMessage({ type: 'busy', busy: false });
            return;
          case 'load':
            break;
        }
        if (!session) return; // 'load' has a session
        this.owner = { baseUrl: session.baseUrl, accountId: session.accountId };
        this.baseUrl = session.baseUrl;
        const issue = await session.issue(this.key, controller.signal);
        if (controller.signal.aborted) return;
        this.panel.title = typeof issue.fields?.summary === 'string' ? `${issue.key}: ${issue.fields.summary}` : issue.key;
        this.setHtml(issueHtml(issue, this.options()));
        this.loaded = true;
      } catch (err) {
        if (controller.signal.aborted || isAbortError(err)) return;
        const message = errorSummary(err, localize);
        this.d.log.warn(`Issue ${this.key} could not be loaded: ${message}`);
        this.setHtml(errorHtml(this.key, message, this.options()));
      } finally {
        if (this.controller === controller) this.controller = undefined;
      }
    };
    this.loading = Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading {0}', this.key) }, run));
    return this.loading;
  }

  /**
   * Work goes through the active account: from a tab of another account it would change the same
   * key on another site. Says so instead (the comment's text stays in the box).
   */
  private async ownsActiveAccount(): Promise<boolean> {
    const session = await this.d.session();
    if (tabLoad(this.owner, session, { shown: true, signedIn: (id) => this.d.signedIn?.(id) ?? true }) === 'load') return true;
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} in this tab belongs to {1}, not to the active account. Switch to that account (Jira: Switch Account…) to work on it.', this.key, siteLabel(this.owner?.baseUrl ?? '')));
    return false;
  }

  /**
   * A work button or Ctrl+Enter on the page: the page disabled its work buttons at the click, and
   * gets them back when this ends, whether the action ran, was refused or failed.
   */
  private async fromPage(run: () => Promise<unknown>): Promise<void> {
    try {
      if (await this.ownsActiveAccount()) await run();
    } finally {
      this.working(false);
    }
  }

  /** Disables the page's work buttons and comment box while an action runs. */
  working(busy: boolean): void {
    void this.panel.webview.postMessage({ type: 'working', busy });
  }

  private async comment(text: string): Promise<void> {
    if (!work) return;
    this.draft = text;
    this.working(true);
    try {
      await work.run('comment', this.key, text, () => { this.draft = ''; });
    } finally {
      this.working(false);
    }
  }

  private async onMessage(m: unknown): Promise<void> {
    if (!m || typeof m !== 'object') return;
    const msg = m as { type?: unknown; href?: unknown; text?: unknown };
    switch (msg.type) {
      case 'transition':
      case 'assignToMe':
      case 'assign':
      case 'startWork': {
        const action = msg.type;
        return this.fromPage(() => runWork(action, this.key));
      }
      case 'comment': {
        const text = msg.text;
        if (typeof text === 'string') await this.fromPage(() => this.comment(text));
        return;
      }
      case 'refresh':
        await this.load();
        return;
      case 'browser':
        if (this.baseUrl) await openJiraPage(browseUrl(this.baseUrl, this.key));
        return;
      case 'copyKey':
        await vscode.env.clipboard.writeText(this.key);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', this.key), 3000);
        return;
      case 'open': {
        // Only http(s)/mailto links, made absolute against the site: never a command: or file: URI.
        const url = typeof msg.href === 'string' ? safeLink(msg.href, this.baseUrl || undefined) : undefined;
        if (url) await openJiraPage(url);
        return;
      }
      default:
    }
  }
}
