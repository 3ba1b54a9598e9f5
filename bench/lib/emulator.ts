/**
 * Helpers for benchmarks that talk to the Jira emulator: run it in a child process, and sign in
 * with OAuth 1.0a the way a user does (request token, the authorize page's Allow button over plain
 * HTTP, access token).
 */
import { fork } from 'child_process';
import * as path from 'path';
import { accessToken, httpRequest, requestToken } from '../../src/core';
import type { EmulatorOptions, RequestLogEntry } from '../../test/emulator';

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

function htmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string);
}

/** What a browser does on Jira's authorize page: submit its form with Allow; returns the verifier. */
export async function approveInBrowser(authorizeUrl: string): Promise<string> {
  const page = await httpRequest({ method: 'GET', url: authorizeUrl, headers: { Accept: 'text/html' } });
  const html = page.body.toString('utf8');
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no authorize form (HTTP ${page.status})`);
  const fields: Array<[string, string]> = [];
  const inputs = /<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"[^>]*>/g;
  let m: RegExpExecArray | null;
  while ((m = inputs.exec(form[2])) !== null) fields.push([htmlUnescape(m[1]), htmlUnescape(m[2])]);
  const button = /<button[^>]*name="(approve)"[^>]*value="([^"]*)"/.exec(form[2]);
  if (!button) throw new Error('the authorize form has no Allow button');
  fields.push([button[1], htmlUnescape(button[2])]);
  const origin = /^https?:\/\/[^/]+/.exec(authorizeUrl)![0];
  const action = htmlUnescape(form[1]);
  const result = await httpRequest({
    method: 'POST',
    url: /^https?:/.test(action) ? action : origin + action,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: Buffer.from(fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  });
  const code = /Your verification code is '([^']+)'/.exec(htmlUnescape(result.body.toString('utf8')));
  if (!code) throw new Error('no verification code after Allow');
  return code[1];
}

/** The OAuth 1.0a dance against the emulator; returns the access token and its secret. */
export async function oauthSignIn(baseUrl: string, consumerKey: string, privateKeyPem: string): Promise<{ token: string; tokenSecret: string }> {
  const common = { baseUrl, consumerKey, privateKeyPem };
  const rt = await requestToken(common);
  const verifier = await approveInBrowser(rt.authorizeUrl);
  const at = await accessToken({ ...common, token: rt.token, tokenSecret: rt.tokenSecret, verifier });
  return { token: at.token, tokenSecret: at.tokenSecret };
}
