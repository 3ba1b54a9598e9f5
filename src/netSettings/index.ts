// The VS Code side of the network settings: installs a provider in the core (once it is loaded)
// that reads http.proxy / http.noProxy / http.proxyStrictSSL / http.proxyAuthorization /
// http.proxySupport ("off": direct) / http.systemCertificates (trust the OS store), the
// jira.ca / jira.network.* settings and HTTPS_PROXY/HTTP_PROXY/NO_PROXY for every request (so a
// changed setting applies to the next request), and keeps client certificate passphrases in
// SecretStorage. CA and certificate files are checked at every request (fs.stat) and read again
// when they changed (fileCache.ts), so an edited or replaced file applies to the next request too.
// Sites without a jira.* override go through VS Code's own http/https (patched in the extension
// host: system and PAC proxies, its proxy login, Kerberos, the OS store; config.ts hostRoute).
// The core keeps connections alive for a few seconds (net/pool.ts); deactivation closes them.
//
// Credential-routing settings (jira.sites, jira.ca, jira.network.proxy,
// jira.network.clientCertificates, jira.network.allowInsecureHttp) are machine/application scoped
// in package.json, so a workspace's .vscode/settings.json cannot redirect requests or trust; they
// are read with inspect() from user/remote settings only, as a second line of defence.
import { promises as fs } from 'fs';
import * as http from 'http';
import * as https from 'https';
import { homedir } from 'os';
import { join } from 'path';
import vscode = require('vscode');
import type { NetworkDefaults } from '../core';
import type { Core } from '../coreLoader';
import { whenCoreLoads } from '../coreLoader';
import { t } from '../l10n';
import type { Logger } from '../log';
import { ClientCertificateFiles, networkDefaultsFor, RawNetworkSettings } from './config';
import { cachedReader } from './fileCache';
import { unlockClientCertificate } from './passphrase';

const readChanged = cachedReader(fs);

/** Read a file named in a setting (again only when it changed); `~/` is the home directory. */
function readSettingFile(p: string): Promise<Buffer> {
  return readChanged(/^~[/\\]/.test(p) ? join(homedir(), p.slice(2)) : p);
}

/** A setting's value from user (or remote machine) settings only, never a workspace's. */
function userValue<T>(section: string, key: string): T | undefined {
  const i = vscode.workspace.getConfiguration(section).inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue;
}

/** A harmless setting (timeout, retries): any level. */
function anyValue<T>(section: string, key: string): T | undefined {
  return vscode.workspace.getConfiguration(section).get<T>(key);
}

export function readNetworkSettings(): RawNetworkSettings {
  return {
    httpProxy: userValue<string>('http', 'proxy'),
    noProxy: userValue<string[]>('http', 'noProxy'),
    proxyStrictSSL: userValue<boolean>('http', 'proxyStrictSSL'),
    proxyAuthorization: userValue<string | null>('http', 'proxyAuthorization'),
    proxySupport: userValue<string>('http', 'proxySupport'),
    systemCertificates: userValue<boolean>('http', 'systemCertificates'),
    siteProxies: userValue<Record<string, string>>('jira', 'network.proxy'),
    ca: userValue<RawNetworkSettings['ca']>('jira', 'ca'),
    clientCertificates: userValue<Record<string, ClientCertificateFiles>>('jira', 'network.clientCertificates'),
    timeoutSeconds: anyValue<number>('jira', 'network.timeout'),
    retries: anyValue<number>('jira', 'network.retries'),
    allowInsecureHttp: userValue<boolean>('jira', 'network.allowInsecureHttp'),
  };
}

/** Install the network settings; disposing closes the core's kept-alive connections (deactivation). */
export function installNetwork(secrets: vscode.SecretStorage, log: Logger): vscode.Disposable {
  const warned = new Set<string>();
  // The route of each host, logged when it changes (which stack a request took is what a proxy
  // or certificate problem report needs first).
  const routes = new Map<string, string>();
  const logRoute = (url: string, d: NetworkDefaults) => {
    const host = new URL(url).host;
    const route = d.network?.host ? 'VS Code\'s network stack' : 'the extension\'s own transport';
    if (routes.get(host) === route) return;
    routes.set(host, route);
    log.info(`requests to ${host} go through ${route}`);
  };
  let loaded: Core | undefined;
  whenCoreLoads((core) => {
    loaded = core;
    core.setNetworkProvider(async (url, signal) => {
      const d = await networkDefaultsFor(url, readNetworkSettings(), {
        core,
        env: process.env,
        readFile: readSettingFile,
        // Looked up per request: in the extension host these are VS Code's patched functions.
        hostStack: { http: (o, cb) => http.request(o, cb), https: (o, cb) => https.request(o, cb) },
        clientCertificate: (site, files) =>
          unlockClientCertificate(site, files, {
            core,
            secrets,
            readFile: readSettingFile,
            ask: async ({ site: s, file, retry }) =>
              vscode.window.showInputBox({
                title: t('Client certificate passphrase for {0}', s),
                prompt: retry
                  ? t('That passphrase did not open {0}. Enter the passphrase again (it is kept in VS Code\'s secret storage).', file)
                  : t('Enter the passphrase of {0} (kept in VS Code\'s secret storage).', file),
                password: true,
                ignoreFocusOut: true,
              }),
          }),
        warnInsecure: (host) => {
          if (warned.has(host)) return;
          warned.add(host);
          log.warn(`plain http to ${host} is allowed by jira.network.allowInsecureHttp`);
          void vscode.window.showWarningMessage(
            t('Requests to {0} use plain http:// (setting "jira.network.allowInsecureHttp"): credentials travel unencrypted.', host),
          );
        },
        onRetry: (i) => log.info(`retrying ${i.method} ${i.url} in ${i.delayMs} ms (${i.reason}, attempt ${i.attempt})`),
      }, signal);
      logRoute(url, d);
      return d;
    });
  });
  // The core is loaded on first use: nothing to close if no request was made.
  return { dispose: () => loaded?.closeIdleConnections() };
}
