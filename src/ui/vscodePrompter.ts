import vscode = require('vscode');
import { jiraPageAddress, openJiraPage } from './openPage';
import { acceptedValue, withTypedRow } from './typedRow';
import type { InputOptions, NotifyOptions, PickItem, PickOptions, Prompter, ProgressReporter, Severity } from './prompter';

type QpItem<T> = vscode.QuickPickItem & { value?: T };

/** The Prompter of the real UI: quick picks, input boxes, notifications, progress, browser, clipboard. */
export class VsCodePrompter implements Prompter {
  constructor(private readonly walkthroughId: string) {}

  pick<T>(o: PickOptions<T>): Promise<T | undefined> {
    const qp = vscode.window.createQuickPick<QpItem<T>>();
    qp.title = o.title;
    qp.placeholder = o.placeholder;
    qp.step = o.steps?.step;
    qp.totalSteps = o.steps?.totalSteps;
    qp.ignoreFocusOut = o.ignoreFocusOut ?? true;
    qp.matchOnDescription = true;
    const toItem = (i: PickItem<T>): QpItem<T> => ({ label: i.label, description: i.description, detail: i.detail, alwaysShow: i.alwaysShow, value: i.value });
    const base: QpItem<T>[] = o.items.map((i) => (i === 'separator' ? { label: '', kind: vscode.QuickPickItemKind.Separator } : toItem(i)));
    qp.items = base;
    const disposables: vscode.Disposable[] = [qp];
    return new Promise<T | undefined>((resolve) => {
      let done = false;
      const finish = (v: T | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        qp.hide();
        for (const d of disposables) d.dispose();
      };
      if (o.custom) {
        const custom = o.custom;
        disposables.push(
          qp.onDidChangeValue((typed) => {
            const c = typed.trim() ? custom(typed) : undefined;
            const item = c && { ...toItem(c), alwaysShow: true };
            qp.items = withTypedRow(base, item);
            if (item) qp.activeItems = [item];
          }),
        );
      }
      disposables.push(
        qp.onDidAccept(async () => {
          const typed = o.custom && qp.value.trim() ? o.custom(qp.value) : undefined;
          const value = acceptedValue(qp.selectedItems, qp.activeItems, typed);
          if (value === undefined) return;
          if (o.onChoose) {
            qp.busy = true;
            let keep: boolean | void;
            try {
              keep = await o.onChoose(value);
            } finally {
              qp.busy = false;
            }
            if (keep === false) {
              qp.selectedItems = [];
              const next = o.nextAfter?.(value);
              const item = next === undefined ? undefined : qp.items.find((i) => i.value === next);
              if (item) qp.activeItems = [item];
              return;
            }
          }
          finish(value);
        }),
        qp.onDidHide(() => finish(undefined)),
      );
      qp.show();
    });
  }

  input(o: InputOptions): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.title = o.title;
    box.prompt = o.prompt;
    box.placeholder = o.placeholder;
    box.value = o.value ?? '';
    box.password = !!o.password;
    box.step = o.steps?.step;
    box.totalSteps = o.steps?.totalSteps;
    box.ignoreFocusOut = o.ignoreFocusOut ?? true;
    box.validationMessage = o.validationMessage;
    const buttons = (o.buttons ?? []).map((b) => ({ id: b.id, iconPath: new vscode.ThemeIcon(b.icon), tooltip: b.tooltip }));
    box.buttons = buttons;
    const disposables: vscode.Disposable[] = [box];
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (v: string | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        box.hide();
        for (const d of disposables) d.dispose();
      };
      disposables.push(
        box.onDidChangeValue((v) => {
          box.validationMessage = v ? o.validate?.(v) : undefined;
        }),
        box.onDidAccept(() => {
          const msg = o.validate?.(box.value);
          if (msg) {
            box.validationMessage = msg;
            return;
          }
          finish(box.value);
        }),
        box.onDidTriggerButton((b) => {
          const id = (b as { id?: string }).id;
          if (id) void o.onButton?.(id);
        }),
        box.onDidHide(() => finish(undefined)),
      );
      if (o.signal?.aborted) {
        finish(undefined);
        return;
      }
      const onAbort = () => finish(undefined);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      disposables.push({ dispose: () => o.signal?.removeEventListener('abort', onAbort) });
      box.show();
    });
  }

  progress<T>(title: string, task: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (p, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        return task(ac.signal, { report: (message) => p.report({ message }) }).finally(() => sub.dispose());
      }),
    );
  }

  notify(severity: Severity, message: string, options: NotifyOptions = {}, ...actions: string[]): Promise<string | undefined> {
    const opts: vscode.MessageOptions = { modal: options.modal, detail: options.detail };
    const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return Promise.resolve(show(message, opts, ...actions));
  }

  async openExternal(url: string): Promise<boolean> {
    return (await openJiraPage(url)) !== undefined;
  }

  pageAddress(url: string): Promise<string> {
    return jiraPageAddress(url);
  }

  async copy(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async readClipboard(): Promise<string> {
    return vscode.env.clipboard.readText();
  }

  async openFile(o: { title: string; filters?: Record<string, string[]> }): Promise<{ name: string; content: string } | undefined> {
    const picked = await vscode.window.showOpenDialog({ title: o.title, canSelectMany: false, canSelectFiles: true, canSelectFolders: false, filters: o.filters, openLabel: o.title });
    const uri = picked?.[0];
    if (!uri) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { name: uri.path.split('/').pop() ?? uri.path, content: new TextDecoder().decode(bytes) };
  }

  async showWalkthrough(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', this.walkthroughId, false);
  }
}
