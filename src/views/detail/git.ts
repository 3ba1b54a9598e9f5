/**
 * Start Work's branch, through the built-in Git extension's API (`vscode.git`, API version 1),
 * loaded only when Start Work runs. Without Git (not installed, disabled with `git.enabled`) or
 * without a repository the caller goes on without a branch and tells the user why.
 */
import vscode = require('vscode');
import { t } from '../../l10n';

/** The part of the Git extension's API (extensions/git/src/api/git.d.ts) this uses. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  getBranch(name: string): Promise<unknown>;
  createBranch(name: string, checkout: boolean): Promise<void>;
  checkout(treeish: string): Promise<void>;
}
interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

export type BranchResult =
  | { kind: 'created' | 'checkedOut'; name: string; repository: string }
  | { kind: 'noGit' }
  | { kind: 'noRepository' }
  | { kind: 'cancelled' }
  | { kind: 'failed'; name: string; message: string };

/** Waits (a little) for the Git extension to discover the workspace's repositories. */
async function initialized(api: GitApi, ms = 10_000): Promise<void> {
  if (api.state === 'initialized') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => { sub.dispose(); resolve(); }, ms);
    const sub = api.onDidChangeState((s) => {
      if (s !== 'initialized') return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** The repository of the active editor, the only one, or the one the user picks. */
async function chooseRepository(api: GitApi): Promise<GitRepository | undefined | 'cancelled'> {
  const repos = api.repositories;
  if (repos.length <= 1) return repos[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const mine = active ? api.getRepository(active) : null;
  if (mine) return mine;
  const pick = await vscode.window.showQuickPick(
    repos.map((r) => ({ label: vscode.workspace.asRelativePath(r.rootUri, false) || r.rootUri.fsPath, description: r.rootUri.fsPath, repo: r })),
    { title: t('Start Work'), placeHolder: t('The repository for the branch') },
  );
  return pick ? pick.repo : 'cancelled';
}

/** Checks out the branch `name`, creating it from the current HEAD when it does not exist. */
export async function startBranch(name: string): Promise<BranchResult> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return { kind: 'noGit' };
  let git: GitExtension;
  try {
    git = ext.isActive ? ext.exports : await ext.activate();
  } catch {
    return { kind: 'noGit' };
  }
  if (!git?.enabled) return { kind: 'noGit' };
  const api = git.getAPI(1);
  await initialized(api);
  const repo = await chooseRepository(api);
  if (repo === 'cancelled') return { kind: 'cancelled' };
  if (!repo) return { kind: 'noRepository' };
  const repository = vscode.workspace.asRelativePath(repo.rootUri, false) || repo.rootUri.fsPath;
  let exists = true;
  try {
    await repo.getBranch(name);
  } catch {
    exists = false;
  }
  try {
    if (exists) await repo.checkout(name);
    else await repo.createBranch(name, true);
    return { kind: exists ? 'checkedOut' : 'created', name, repository };
  } catch (err) {
    const e = err as { stderr?: unknown; message?: unknown };
    const message = (typeof e?.stderr === 'string' && e.stderr.trim()) || (typeof e?.message === 'string' ? e.message : String(err));
    return { kind: 'failed', name, message: message.split('\n')[0] };
  }
}
