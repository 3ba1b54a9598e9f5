/**
 * Working on an issue from VS Code: Transition…, Assign to Me, Assign…, Comment and Start Work, for
 * the tree's context menu and the detail view. Part of the lazily loaded detail module (never
 * evaluated on activation).
 *
 * Reads (transitions, users, the issue) show cancellable progress; a write shows progress that
 * cannot be cancelled (once sent, Jira may have applied it) and is sent once. One action per issue
 * at a time: a second click while one runs is refused, so nothing is sent twice. After every write,
 * applied or refused, the views reload the issue so that they show what Jira has. Jira's refusals
 * are shown in its own words (errorMessages/errors) inside a sentence in the user's language.
 */
import vscode = require('vscode');
import { t } from '../../l10n';
import type { Logger } from '../../log';
import { isAbortError } from '../../core/search';
import {
  addComment,
  assignIssue,
  branchName,
  DEFAULT_BRANCH_PATTERN,
  fieldValue,
  firstInProgress,
  getTransitions,
  JiraUser,
  myself,
  searchAssignable,
  TransitionInfo,
  transitionIssue,
  userOf,
  WorkError,
} from '../../core/work';
import { browseUrl } from '../model';
import type { ViewSession } from '../session';
import { BranchResult, startBranch } from './git';
import { describeFailure, refused } from './failure';

export type WorkAction = 'transition' | 'assignToMe' | 'assign' | 'comment' | 'startWork';

export interface WorkDeps {
  session(): Promise<ViewSession | undefined>;
  log: Logger;
  /** After a write, applied or refused: reload the trees and the detail that show the issue. */
  reload(key: string): void | Promise<void>;
}

function signalOf(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}

/** Runs a read with cancellable progress; undefined when cancelled. */
async function reading<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => work(signalOf(token)));
  } catch (err) {
    if (isAbortError(err) || (err as { code?: unknown })?.code === 'aborted') return undefined;
    throw err;
  }
}

export class IssueWork {
  /** Issues with an action running: no second one until it ends (no double submit). */
  private readonly running = new Set<string>();

  constructor(private readonly deps: WorkDeps) {}

  /** Whether an action on the issue is running (the detail view disables its buttons). */
  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * Runs one action; resolves true when every write it made was applied. A comment's `applied`
   * runs once Jira took it, before the views reload (the detail then shows an empty box).
   */
  async run(action: WorkAction, key: string, text?: string, applied?: () => void): Promise<boolean> {
    if (this.running.has(key)) {
      void vscode.window.showInformationMessage(t('{0} is being updated: wait until that is done.', key));
      return false;
    }
    // Taken before anything is awaited: a double click's second message finds it taken.
    this.running.add(key);
    try {
      const session = await this.deps.session();
      if (!session) {
        void vscode.window.showInformationMessage(t('Sign in to Jira first.'), t('Sign In')).then((a) => a && vscode.commands.executeCommand('jira.signIn'));
        return false;
      }
      switch (action) {
        case 'transition': return await this.transition(session, key);
        case 'assignToMe': return await this.assignToMe(session, key);
        case 'assign': return await this.assign(session, key);
        case 'comment': return await this.comment(session, key, text ?? '', applied);
        case 'startWork': return await this.startWork(session, key);
        default: return false;
      }
    } catch (err) {
      // A read failed (listing transitions, finding users, reading the issue).
      this.deps.log.error(`${action} ${key} failed`, err);
      void vscode.window.showErrorMessage(t('Could not get {0} from Jira: {1}', key, describeFailure(err, false)));
      return false;
    } finally {
      this.running.delete(key);
    }
  }

  /** Sends one write under progress; shows a refusal; reloads the issue either way. */
  private async write(key: string, title: string, send: () => Promise<unknown>, failed: (detail: string) => string, applied?: () => void): Promise<boolean> {
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, send);
      applied?.();
      return true;
    } catch (err) {
      this.deps.log.error(`${title} failed`, err);
      const session = await this.deps.session();
      const browse = t('Open in Browser');
      void vscode.window.showErrorMessage(failed(describeFailure(err, true)), browse).then((a) => {
        if (a === browse && session) void vscode.env.openExternal(vscode.Uri.parse(browseUrl(session.baseUrl, key)));
      });
      return false;
    } finally {
      await this.deps.reload(key);
    }
  }

  private async pickTransition(session: ViewSession, key: string): Promise<TransitionInfo | undefined> {
    const list = await reading(t('Getting the transitions of {0}…', key), (signal) => getTransitions(session.transport, key, signal));
    if (!list) return undefined;
    if (!list.length) {
      void vscode.window.showInformationMessage(t('Jira offers no transition of {0} to you now (its workflow or your permissions).', key));
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      list.map((tr) => ({ label: tr.name, description: `→ ${tr.to.name}`, tr })),
      { title: t('Transition {0}', key), placeHolder: t('Move {0} to…', key) },
    );
    return pick?.tr;
  }

  /**
   * The values of the transition screen's required fields: chosen from Jira's allowed values;
   * a field without them cannot be filled in here, so the user is sent to the browser.
   * Undefined when cancelled or sent to the browser.
   */
  private async screenFields(session: ViewSession, key: string, tr: TransitionInfo): Promise<Record<string, unknown> | undefined> {
    const fields: Record<string, unknown> = {};
    const open = tr.required.filter((f) => !f.allowedValues?.length);
    if (open.length) {
      const browse = t('Open in Browser');
      const a = await vscode.window.showWarningMessage(
        t('"{0}" needs {1}, which VS Code cannot fill in. Finish it in the browser.', tr.name, open.map((f) => f.name).join(', ')), browse);
      if (a === browse) await vscode.env.openExternal(vscode.Uri.parse(browseUrl(session.baseUrl, key)));
      return undefined;
    }
    for (const f of tr.required) {
      const pick = await vscode.window.showQuickPick(
        (f.allowedValues ?? []).map((v) => ({ label: v.name, value: v })),
        { title: t('{0}: {1}', tr.name, f.name), placeHolder: t('{0} is required to move {1} to {2}', f.name, key, tr.to.name) },
      );
      if (!pick) return undefined;
      fields[f.id] = fieldValue(pick.value);
    }
    return fields;
  }

  private async moveAlong(session: ViewSession, key: string, tr: TransitionInfo): Promise<boolean> {
    const fields = await this.screenFields(session, key, tr);
    if (!fields) return false;
    const ok = await this.write(key, t('Moving {0} to {1}…', key, tr.to.name), () => transitionIssue(session.transport, key, tr.id, fields),
      (detail) => refused.transition(key, tr.to.name, detail));
    if (ok) vscode.window.setStatusBarMessage(t('{0} moved to {1}', key, tr.to.name), 4000);
    return ok;
  }

  private async transition(session: ViewSession, key: string): Promise<boolean> {
    const tr = await this.pickTransition(session, key);
    return tr ? this.moveAlong(session, key, tr) : false;
  }

  private async me(session: ViewSession, signal?: AbortSignal): Promise<{ me: JiraUser; deployment: 'Cloud' | 'Server' }> {
    const deployment = await session.deployment(signal);
    return { me: await myself(session.transport, deployment, signal), deployment };
  }

  private async assignTo(session: ViewSession, key: string, deployment: 'Cloud' | 'Server', user: JiraUser | null): Promise<boolean> {
    const who = user ? user.displayName : t('Unassigned');
    const ok = await this.write(key, t('Assigning {0} to {1}…', key, who), () => assignIssue(session.transport, deployment, key, user ? user.id : null),
      (detail) => refused.assign(key, who, detail));
    if (ok) vscode.window.setStatusBarMessage(t('{0} assigned to {1}', key, who), 4000);
    return ok;
  }

  private async assignToMe(session: ViewSession, key: string): Promise<boolean> {
    const r = await reading(t('Getting your Jira user…'), (signal) => this.me(session, signal));
    return r ? this.assignTo(session, key, r.deployment, r.me) : false;
  }

  /** A quick pick that searches the users Jira lets the issue be assigned to, as the user types. */
  private async assign(session: ViewSession, key: string): Promise<boolean> {
    const deployment = await session.deployment();
    type Item = vscode.QuickPickItem & { user: JiraUser | null };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = t('Assign {0}', key);
    qp.placeholder = t('Type a name to search the people who can be assigned {0}', key);
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const unassigned: Item = { label: t('Unassigned'), user: null, alwaysShow: true };
    let search: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const find = (text: string) => {
      search?.abort();
      const ac = new AbortController();
      search = ac;
      qp.busy = true;
      searchAssignable(session.transport, deployment, key, text, ac.signal).then((users) => {
        if (search !== ac) return;
        qp.items = [unassigned, ...users.map((u) => ({ label: u.displayName, description: u.detail, user: u }))];
        qp.busy = false;
      }, (err: unknown) => {
        if (search !== ac || isAbortError(err) || (err as { code?: unknown })?.code === 'aborted') return;
        qp.busy = false;
        qp.items = [unassigned, { label: `$(error) ${describeFailure(err, false)}`, user: null, alwaysShow: true }];
      });
    };
    const chosen = await new Promise<Item | undefined>((resolve) => {
      qp.onDidChangeValue((v) => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => find(v), 250);
      });
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0];
        if (item && (item === unassigned || item.user)) resolve(item);
      });
      qp.onDidHide(() => resolve(undefined));
      qp.items = [unassigned];
      qp.show();
      find('');
    });
    if (timer) clearTimeout(timer);
    search?.abort();
    qp.dispose();
    if (!chosen) return false;
    return this.assignTo(session, key, deployment, chosen.user);
  }

  private async comment(session: ViewSession, key: string, text: string, applied?: () => void): Promise<boolean> {
    if (!text.trim() || text.length > 32767) {
      // Refused before sending: the text stays in the box.
      const err = !text.trim() ? new WorkError('empty_comment') : new WorkError('comment_too_long', { length: text.length, max: 32767 });
      void vscode.window.showErrorMessage(describeFailure(err, true));
      return false;
    }
    const ok = await this.write(key, t('Adding your comment to {0}…', key), () => addComment(session.transport, key, text),
      (detail) => refused.comment(key, detail), applied);
    if (ok) vscode.window.setStatusBarMessage(t('Comment added to {0}', key), 4000);
    return ok;
  }

  /**
   * Start Work: the first transition into an "In Progress" category status (unless the issue is
   * in one already), the issue assigned to me (unless it is), then a git branch named from the key
   * and summary (jira.startWork.branchPattern). A refused step is reported and the others go on.
   */
  private async startWork(session: ViewSession, key: string): Promise<boolean> {
    const plan = await reading(t('Start Work on {0}: reading the issue…', key), async (signal) => {
      const issue = await session.issue(key, signal);
      const { me, deployment } = await this.me(session, signal);
      const status = issue.fields?.status as { name?: string; statusCategory?: { key?: string } } | undefined;
      const inProgress = status?.statusCategory?.key === 'indeterminate';
      const tr = inProgress ? undefined : firstInProgress(await getTransitions(session.transport, key, signal));
      const assignee = userOf(issue.fields?.assignee, deployment);
      return { issue, me, deployment, inProgress, tr, status: status?.name ?? '', mine: assignee?.id === me.id };
    });
    if (!plan) return false;
    let ok = true;
    const notes: string[] = [];
    if (plan.tr) ok = (await this.moveAlong(session, key, plan.tr)) && ok;
    else if (!plan.inProgress) notes.push(t('Jira offers no transition of {0} into an "In Progress" status, so it stays in {1}.', key, plan.status));
    if (!plan.mine) ok = (await this.assignTo(session, key, plan.deployment, plan.me)) && ok;

    const pattern = vscode.workspace.getConfiguration('jira').get<string>('startWork.branchPattern') || DEFAULT_BRANCH_PATTERN;
    const type = (plan.issue.fields?.issuetype as { name?: string } | undefined)?.name;
    const name = branchName(pattern, { key, summary: typeof plan.issue.fields?.summary === 'string' ? plan.issue.fields.summary : '', type });
    const branch: BranchResult = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('Start Work on {0}: branch {1}…', key, name) },
      () => startBranch(name),
    );
    this.deps.log.info(`Start Work ${key}: transition ${plan.tr?.id ?? 'none'}, assigned ${plan.mine ? 'already' : 'now'}, branch ${branch.kind}`);
    switch (branch.kind) {
      case 'created': notes.unshift(t('Created and checked out the branch {0} in {1}.', branch.name, branch.repository)); break;
      case 'checkedOut': notes.unshift(t('Checked out the existing branch {0} in {1}.', branch.name, branch.repository)); break;
      case 'noGit': notes.push(t('Git is not available in this window (the built-in Git extension is missing or disabled), so no branch was made.')); break;
      case 'noRepository': notes.push(t('No git repository is open in this window, so no branch was made. Open the repository folder and run Start Work again.')); break;
      case 'cancelled': notes.push(t('No branch was made.')); break;
      case 'failed': notes.push(t('Git could not check out the branch {0}: {1}', branch.name, branch.message)); break;
    }
    const summary = ok ? t('{0}: work started.', key) : t('{0}: work started, but Jira refused a step (see above).', key);
    const show = branch.kind === 'created' || branch.kind === 'checkedOut' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`${summary} ${notes.join(' ')}`);
    return ok && (branch.kind === 'created' || branch.kind === 'checkedOut');
  }
}
