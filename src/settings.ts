import vscode = require('vscode');
import type { ExtensionHostKind, SignInSettings } from './signin/deps';
import { DEFAULT_SIGN_IN_SETTINGS } from './auth/signInDeps';

/** Where this extension host runs: the user's machine, or a remote one (also code-server's, in the browser). */
export function extensionHostKind(): ExtensionHostKind {
  return vscode.env.remoteName ? 'remote' : 'local';
}

/** The jira.* settings the sign-in reads, each checked (a bad value counts as the default). */
export function signInSettings(): SignInSettings {
  const c = vscode.workspace.getConfiguration('jira');
  const sites = c.get<unknown>('sites');
  const keySize = c.get<number>('oauth1.keySize');
  const cloudEndpoints = c.get<SignInSettings['cloudEndpoints']>('oauth2.cloudEndpoints');
  const redirect = c.get<string>('oauth2.redirect');
  return {
    cloudEndpoints: cloudEndpoints && typeof cloudEndpoints === 'object' ? cloudEndpoints : undefined,
    oauth2Redirect: redirect === 'loopback' || redirect === 'uri' || redirect === 'paste' ? redirect : DEFAULT_SIGN_IN_SETTINGS.oauth2Redirect,
    sites: Array.isArray(sites) ? sites.filter((s): s is string => typeof s === 'string') : [],
    callback: c.get<string>('oauth1.callback') === 'oob' ? 'oob' : DEFAULT_SIGN_IN_SETTINGS.callback,
    keySize: keySize === 3072 || keySize === 4096 ? keySize : DEFAULT_SIGN_IN_SETTINGS.keySize,
    allowInsecureHttp: c.inspect<boolean>('network.allowInsecureHttp')?.globalValue === true,
  };
}

/** "vscode-jira-alice": the consumer key proposed for a new application link. */
export function proposedConsumerKey(): string {
  let user = '';
  try {
    user = require('os').userInfo().username as string;
  } catch {
    /* no user name (containers) */
  }
  const clean = user.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean ? `vscode-jira-${clean}` : 'vscode-jira';
}
