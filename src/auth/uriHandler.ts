import vscode = require('vscode');
import type { UriCallbacks } from '../signin/deps';

/**
 * The extension's URI handler as an OAuth 2.0 redirect target: `vscode://<extension id>/path`
 * (desktop, also remote over SSH), or the http URL VS Code's asExternalUri gives in the browser
 * (code-server, Codespaces). A redirect is matched to the sign-in waiting for it by `state`.
 */
export function registerUriCallbacks(extensionId: string, log: { info(m: string): void; warn(m: string): void }): UriCallbacks & vscode.Disposable {
  const waiters = new Map<string, (uri: string) => void>();
  const registration = vscode.window.registerUriHandler({
    handleUri(uri: vscode.Uri) {
      const state = new URLSearchParams(uri.query).get('state') ?? '';
      const waiter = waiters.get(state);
      if (waiter) {
        log.info(`sign-in redirect received on ${uri.path}`);
        waiter(uri.toString(true));
      } else {
        log.warn(`ignored a URI for ${uri.path} that belongs to no sign-in in progress`);
        void vscode.window.showWarningMessage(vscode.l10n.t('This link does not belong to the sign-in in progress. Start the sign-in again from VS Code.'));
      }
    },
  });
  return {
    async externalUri(path: string): Promise<string> {
      const uri = vscode.Uri.parse(`${vscode.env.uriScheme}://${extensionId}${path}`);
      return (await vscode.env.asExternalUri(uri)).toString(true);
    },
    wait(state: string, signal: AbortSignal): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        const done = () => {
          waiters.delete(state);
          signal.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          done();
          const e = new Error('The sign-in was cancelled.');
          e.name = 'AbortError';
          reject(e);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        waiters.set(state, (uri) => {
          done();
          resolve(uri);
        });
      });
    },
    dispose: () => {
      waiters.clear();
      registration.dispose();
    },
  };
}
