// One "VS Code window" for sign-in tests: stores over in-memory SecretStorage/Memento fakes, a
// scripted Prompter, the real core, and the controller.
import * as core from '../../../src/core';
import type { Core } from '../../../src/coreLoader';
import { createLogger } from '../../../src/log';
import { SignInController } from '../../../src/signin/controller';
import type { ExtensionHostKind, SignInDeps, SignInSettings, UriCallbacks } from '../../../src/signin/deps';
import { createSignInDeps, DEFAULT_SIGN_IN_SETTINGS } from '../../../src/auth/signInDeps';
import { FakeChannel, FakeMemento, FakeSecretStorage, ScriptedPrompter } from './fakes';

export interface World {
  secrets: FakeSecretStorage;
  memento: FakeMemento;
  channel: FakeChannel;
  ui: ScriptedPrompter;
  controller: SignInController;
  deps: SignInDeps;
}

export function makeWorld(
  o: { extensionHost?: ExtensionHostKind; from?: { secrets: FakeSecretStorage; memento?: FakeMemento }; settings?: Partial<SignInSettings>; uriCallbacks?: UriCallbacks } = {},
): World {
  const secrets = o.from ? new FakeSecretStorage(o.from.secrets.backend) : new FakeSecretStorage();
  const memento = o.from?.memento ?? new FakeMemento();
  const channel = new FakeChannel();
  const log = createLogger(channel);
  const ui = new ScriptedPrompter();
  // Built by the extension's own factory, so a test window has what a VS Code window has.
  const deps: SignInDeps = createSignInDeps({
    secrets,
    memento,
    uriCallbacks: o.uriCallbacks,
    prompter: ui,
    log,
    core: async () => core as unknown as Core,
    extensionHost: o.extensionHost ?? 'remote',
    settings: () => ({ ...DEFAULT_SIGN_IN_SETTINGS, ...o.settings }),
    userAgent: 'jira-auth-tests',
    proposedConsumerKey: () => 'vscode-jira-test',
  });
  return { secrets, memento, channel, ui, controller: new SignInController(deps), deps };
}

/** Every value in SecretStorage, flattened (to check none reached globalState or the log). */
export function secretValues(w: World): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (/token|secret|password|privateKey/i.test(key) && v.length >= 6) out.push(v);
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  for (const v of w.secrets.backend.data.values()) walk(JSON.parse(v), '');
  return out;
}
