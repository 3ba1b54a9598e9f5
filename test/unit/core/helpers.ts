import { execFileSync } from 'child_process';
import { createPublicKey, KeyObject, verify } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as assert from 'node:assert/strict';
import { trackConnections } from '../../emulator/connections';
import { JiraError, baseStringUri, collectParameters, normalizeParameters, parseAuthorizationHeader, signatureBaseString } from '../../../src/core';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/keys');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void;

/** A tiny local HTTP server recording every request. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      handler(r, res);
    });
  });
  const destroyConnections = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        destroyConnections();
        server.close(() => resolve());
      }),
  };
}

export function send(res: http.ServerResponse, status: number, body: string | object, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json;charset=UTF-8';
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(text);
}

/**
 * Verify an OAuth 1.0a RSA-SHA1 request as a server would: rebuild the base string from the
 * request line, the Authorization header and a form body, and check the signature.
 * (Uses the library's pure RFC functions; the emulator tests use independent server code.)
 */
export function verifyOAuth(req: RecordedRequest, origin: string, publicKey: KeyObject | string): { ok: boolean; params: Record<string, string>; base: string } {
  const auth = String(req.headers.authorization ?? '');
  const pairs = parseAuthorizationHeader(auth);
  const params: Record<string, string> = {};
  for (const [k, v] of pairs) params[k] = v;
  const q = req.url.indexOf('?');
  const isForm = /application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''));
  const collected = collectParameters({ query: q === -1 ? '' : req.url.slice(q + 1), authorization: auth, formBody: isForm ? req.body : undefined });
  const base = signatureBaseString(req.method, baseStringUri(origin + req.url), normalizeParameters(collected));
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const ok = verify('sha1', Buffer.from(base), key, Buffer.from(params.oauth_signature ?? '', 'base64'));
  return { ok, params, base };
}

let opensslChecked: boolean | undefined;
/** Whether the openssl binary is available. */
export function hasOpenssl(): boolean {
  if (opensslChecked === undefined) {
    try {
      execFileSync('openssl', ['version'], { stdio: 'pipe' });
      opensslChecked = true;
    } catch {
      opensslChecked = false;
    }
  }
  return opensslChecked;
}

export function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString('utf8');
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'jira-core-test-'));
}

/** The JiraError `p` rejects with (fails the test when it resolves or rejects with something else). */
export async function jiraError(p: Promise<unknown>): Promise<JiraError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof JiraError, `expected a JiraError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the request to fail');
}
