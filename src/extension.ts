import * as vscode from 'vscode';

const activatedAt = Date.now();

export interface JiraAuthApi {
  readonly version: string;
}

export function activate(context: vscode.ExtensionContext): JiraAuthApi {
  const log = vscode.window.createOutputChannel('Jira', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('jira.showLog', () => log.show()),
  );
  log.info(`activated in ${Date.now() - activatedAt} ms`);
  return { version: String(context.extension.packageJSON.version) };
}

export function deactivate(): void {
  /* disposables are released through context.subscriptions */
}
