// Two VS Code "windows" (worlds sharing SecretStorage and globalState) with a signed-in OAuth 2.0
// account and a client each: what the cross-window refresh tests start from.
import * as assert from 'node:assert/strict';
import type { ClientFactory } from '../../../src/auth/clients';
import type { JiraClient } from '../../../src/core';
import type { AccountMeta } from '../../../src/store/types';
import type { Emulator } from '../../emulator';
import { consentInBrowser } from './browser';
import { makeWorld, World } from './world';

export async function signInOAuth2(w: World, emulator: Emulator, cloud = false): Promise<AccountMeta> {
  w.ui.onOpen = async (url) => void (await fetch(await consentInBrowser(url, 'allow')));
  const account = await w.controller.signIn(
    { baseUrl: emulator.url, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret', ...(cloud ? { cloudId: '8b1f3c4e-0a2d-4f5b-9c6e-7d8a9b0c1d2e' } : {}) },
    { rethrow: true },
  );
  assert.ok(account);
  return account;
}

export async function twoWindows(emulator: Emulator, factory: (w: World) => ClientFactory): Promise<{ w1: World; w2: World; account: AccountMeta; c1: JiraClient; c2: JiraClient }> {
  const w1 = makeWorld({ extensionHost: 'local' });
  const account = await signInOAuth2(w1, emulator);
  const w2 = makeWorld({ from: { secrets: w1.secrets, memento: w1.memento } });
  const c1 = await factory(w1).create(account, (await w1.deps.accounts.getAuth(account.id))!);
  const c2 = await factory(w2).create(account, (await w2.deps.accounts.getAuth(account.id))!);
  return { w1, w2, account, c1, c2 };
}
