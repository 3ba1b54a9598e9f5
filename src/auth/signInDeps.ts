// Builds what the sign-in flows depend on. Plain TypeScript (no vscode import): the extension and
// the unit-test worlds assemble a window the same way. It lives outside src/signin/ because
// activation needs the stores before the sign-in code (dist/signin.js) is loaded.
import type { Logger } from '../log';
import type { SignInDeps, SignInSettings } from '../signin/deps';
import { AccountStore } from '../store/accounts';
import { OAuth2ClientStore } from '../store/oauth2Clients';
import { PendingStore } from '../store/pending';
import type { MementoLike, SecretStorageLike } from '../store/types';

/** The settings where nobody changed them (package.json's defaults). */
export const DEFAULT_SIGN_IN_SETTINGS: Readonly<SignInSettings> = { sites: [], callback: 'auto', keySize: 2048, oauth2Redirect: 'auto' };

/** The stores of one window, over its SecretStorage and globalState. */
export type SignInStores = Pick<SignInDeps, 'accounts' | 'pending' | 'oauth2Clients'>;

export function createStores(secrets: SecretStorageLike, memento: MementoLike, log: Logger): SignInStores {
  return { accounts: new AccountStore(secrets, memento, log), pending: new PendingStore(secrets, memento), oauth2Clients: new OAuth2ClientStore(secrets) };
}

/** What a window gives the sign-in besides its stores (VS Code in the extension, fakes in the unit-test worlds). */
export type SignInWindow = Omit<SignInDeps, keyof SignInStores> & { secrets: SecretStorageLike };

/** The sign-in's dependencies: the window's stores (made here unless given) and what the window provides. */
export function createSignInDeps(window: SignInWindow, stores: SignInStores = createStores(window.secrets, window.memento, window.log)): SignInDeps {
  const { secrets: _secrets, ...rest } = window;
  return { ...stores, ...rest };
}
