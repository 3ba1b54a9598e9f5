/**
 * Helpers for benchmarks that talk to the Jira emulator: run it in a child process, and sign in
 * with OAuth 1.0a the way a user does (request token, the authorize page's Allow button over plain
 * HTTP, access token).
 */
import { fork } from 'child_process';
import * as path from 'path';
import { accessToken, requestToken } from '../../src/core';
import type { EmulatorOptions, RequestLogEntry } from '../../test/emulator';
import { clickInJira } from '../../test/unit/support/browser';

export interface EmulatorProcess {
  url: string;
  /** Start counting requests from now. */
  mark(): Promise<void>;
  /** Requests since the last mark. */
  requests(): Promise<RequestLogEntry[]>;
  close(): Promise<void>;
}

export async function forkEmulator(options: Omit<EmulatorOptions, 'onRequest'>): Promise<EmulatorProcess> {
  const child = fork(path.join(__dirname, '..', 'emulator-child.js'), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
    child.on('message', (m: Record<string, unknown>) => {
      if (typeof m.url === 'string') resolve(m.url);
      else if (typeof m.id === 'number') {
        waiting.get(m.id)?.(m);
        waiting.delete(m.id);
      }
    });
  });
  const call = (cmd: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ cmd, id });
    });
  return {
    url,
    mark: async () => {
      await call('mark');
    },
    requests: async () => (await call('requests')).requests as RequestLogEntry[],
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ cmd: 'close' });
        setTimeout(() => child.kill(), 5000).unref();
      }),
  };
}

/** What a browser does on Jira's authorize page: click Allow; returns the verifier (the unit tests' helper, so both follow the emulator's page). */
export async function approveInBrowser(authorizeUrl: string): Promise<string> {
  const { code } = await clickInJira(authorizeUrl, 'approve');
  if (!code) throw new Error('no verification code after Allow');
  return code;
}

/** The OAuth 1.0a dance against the emulator; returns the access token and its secret. */
export async function oauthSignIn(baseUrl: string, consumerKey: string, privateKeyPem: string): Promise<{ token: string; tokenSecret: string }> {
  const common = { baseUrl, consumerKey, privateKeyPem };
  const rt = await requestToken(common);
  const verifier = await approveInBrowser(rt.authorizeUrl);
  const at = await accessToken({ ...common, token: rt.token, tokenSecret: rt.tokenSecret, verifier });
  return { token: at.token, tokenSecret: at.tokenSecret };
}
