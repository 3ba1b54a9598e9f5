import vscode = require('vscode');
import { LazySignIn } from './auth/lazySignIn';
import { createSignInDeps, SignInStores } from './auth/signInDeps';
import { loadCore } from './coreLoader';
import type { Logger } from './log';
import { extensionHostKind, proposedConsumerKey, signInSettings } from './settings';
import type { SignInDeps, UriCallbacks } from './signin/deps';

const WALKTHROUGH = 'jira.applicationLink';

/** The sign-in with what this VS Code window provides: its settings, URI handler, focus events and quick picks. */
export function windowSignIn(
  context: vscode.ExtensionContext,
  o: { stores: SignInStores; log: Logger; userAgent: string; uriCallbacks: UriCallbacks; oauth2AccessToken: SignInDeps['oauth2AccessToken'] },
): LazySignIn {
  return new LazySignIn(
    (prompter) =>
      createSignInDeps(
        {
          secrets: context.secrets,
          memento: context.globalState,
          log: o.log,
          prompter,
          core: loadCore,
          userAgent: o.userAgent,
          uriCallbacks: o.uriCallbacks,
          extensionHost: extensionHostKind(),
          settings: signInSettings,
          proposedConsumerKey,
          oauth2AccessToken: o.oauth2AccessToken,
          onDidFocusWindow: (listener) => vscode.window.onDidChangeWindowState((w) => w.focused && listener(undefined)),
          inspectToken: async (id) => void (await vscode.commands.executeCommand('jira.inspectToken', id)),
        },
        o.stores,
      ),
    async () => new (await import('./ui/vscodePrompter')).VsCodePrompter(`${context.extension.id}#${WALKTHROUGH}`),
  );
}
