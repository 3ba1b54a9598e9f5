/**
 * Issue detail webview panels (one per issue key). Loaded on first use by commands.ts, never on
 * activation. The page gets its data from the extension host (the webview never fetches anything;
 * its CSP forbids it), links open in the browser through the host.
 */
import { randomBytes } from 'crypto';
import vscode = require('vscode');
import type { Logger } from '../../log';
import { openJiraPage } from '../../ui/openPage';
import { errorSummary, isAbortError } from '../../core/search';
import type { ViewSession } from '../session';
import { browseUrl } from '../model';
import { errorHtml, issueHtml, loadingHtml, RenderOptions } from './render';
import { safeLink } from './sanitize';

export const DETAIL_VIEW_TYPE = 'jira.issueDetail';

interface DetailDeps {
  session(): Promise<ViewSession | undefined>;
  log: Logger;
  onDidChangeAccount?: vscode.Event<void>;
}

let context: vscode.ExtensionContext | undefined;
let deps: DetailDeps | undefined;
const panels = new Map<string, DetailPanel>();
const subscriptions: vscode.Disposable[] = [];

export function initDetail(ctx: vscode.ExtensionContext, d: DetailDeps): void {
  context = ctx;
  deps = d;
  if (d.onDidChangeAccount) subscriptions.push(d.onDidChangeAccount(() => { for (const p of panels.values()) void p.load(); }));
}

/** Opens (or reveals) the detail of an issue. */
export async function showIssue(key: string): Promise<DetailPanel> {
  if (!context || !deps) throw new Error(vscode.l10n.t('The issue detail is not initialised.'));
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
  /** Resolves when the current load is done. */
  loading: Promise<void> = Promise.resolve();

  constructor(readonly key: string, ctx: vscode.ExtensionContext, private readonly d: DetailDeps) {
    const media = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'views');
    this.panel = vscode.window.createWebviewPanel(DETAIL_VIEW_TYPE, key, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      enableCommandUris: false,
      enableFindWidget: true,
      retainContextWhenHidden: false,
      localResourceRoots: [media],
    });
    this.panel.iconPath = { light: vscode.Uri.joinPath(media, 'issue-light.svg'), dark: vscode.Uri.joinPath(media, 'issue-dark.svg') };
    this.panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
    this.panel.onDidDispose(() => {
      this.controller?.abort();
      if (panels.get(this.key) === this) panels.delete(this.key);
    });
  }

  private options(): RenderOptions {
    return { nonce: randomBytes(16).toString('base64'), cspSource: this.panel.webview.cspSource, baseUrl: this.baseUrl, locale: vscode.env.language };
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
        if (!session) {
          this.setHtml(errorHtml(this.key, vscode.l10n.t('Sign in to Jira to see this issue.'), this.options()));
          return;
        }
        this.baseUrl = session.baseUrl;
        const issue = await session.issue(this.key, controller.signal);
        if (controller.signal.aborted) return;
        this.panel.title = typeof issue.fields?.summary === 'string' ? `${issue.key}: ${issue.fields.summary}` : issue.key;
        this.setHtml(issueHtml(issue, this.options()));
        this.loaded = true;
      } catch (err) {
        if (controller.signal.aborted || isAbortError(err)) return;
        const message = errorSummary(err);
        this.d.log.warn(`Issue ${this.key} could not be loaded: ${message}`);
        this.setHtml(errorHtml(this.key, message, this.options()));
      } finally {
        if (this.controller === controller) this.controller = undefined;
      }
    };
    this.loading = Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading {0}', this.key) }, run));
    return this.loading;
  }

  private async onMessage(m: unknown): Promise<void> {
    if (!m || typeof m !== 'object') return;
    const msg = m as { type?: unknown; href?: unknown };
    switch (msg.type) {
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
