/**
 * OAuth 1.0a RSA-SHA1 signing benchmarks (run by bench/run.mjs; compiled to out/bench/sign.js):
 *
 *  - sign_vs_crypto_sign: producing a complete Authorization header for a realistic Jira search URL
 *    (the client's own per-request path: oauth1Authenticator.authorize, i.e. OAuth1Signer.sign with
 *    a fresh nonce and timestamp), divided by one raw crypto.sign('RSA-SHA1') of a base string of
 *    the same size with the same prepared KeyObject. Interleaved A, B, B, A, A, B... after a
 *    warm-up; the metric is the median of the per-pair ratios (each pair runs back to back, so a
 *    busy machine slows both alike); the ratio of the two medians is reported next to it.
 *  - sign_speedup_vs_requests_oauthlib: Python's requests_oauthlib (bench/oauthlib_sign.py, served
 *    over a pipe) signing the same URLs with the same key, in batches interleaved with ours, median
 *    divided by our median. Both sides first sign every URL with a fixed nonce and timestamp and
 *    must produce the same oauth_signature (RSA PKCS#1 v1.5 is deterministic).
 *
 *   node out/bench/sign.js [--python /usr/bin/python3] [--iterations 1000]
 */
import { spawn } from 'child_process';
import { sign as cryptoSign } from 'crypto';
import * as path from 'path';
import { createInterface } from 'readline';
import { createJiraClient, generateKeyPair, HttpRequest, HttpResponse, loadPrivateKey, parseAuthorizationHeader } from '../src/core';
import { oauth1Authenticator } from '../src/core/jira';
import type { AuthorizeResult } from '../src/core/requester';
import { OAuth1Signer } from '../src/core/oauth1/signer';
import { SUMMARY_FIELDS } from '../src/core/search';
import { buildRequestTarget } from '../src/core/url';
import { emitResult, median, msSince, note, round, summary } from './lib/stats';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const ITERATIONS = Number(arg('--iterations') ?? process.env.BENCH_SIGN_ITERATIONS ?? 1000);
const WARMUP = 100;
const PY_ROUNDS = Number(process.env.BENCH_PY_ROUNDS ?? 12);
const PY_BATCH = 8;
const OURS_PER_PY = 4;

const BASE_URL = 'https://jira.example.com';
const CONSUMER_KEY = 'vscode-jira-bench';
// What the issue views send: the default JQL, 50 per page, only the fields a tree item needs.
const JQL = 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC';

function searchUrls(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(buildRequestTarget(BASE_URL, '/rest/api/2/search', { jql: JQL, startAt: i * 50, maxResults: 50, fields: SUMMARY_FIELDS.join(',') }).url);
  }
  return out;
}

function randomToken(n: number): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += abc[Math.floor(Math.random() * abc.length)];
  return s;
}

/** A line-oriented JSON RPC over the Python script's stdin/stdout. */
class PythonSigner {
  private readonly answers: Array<(v: unknown) => void> = [];
  private readonly child;
  private exited: string | undefined;
  private stderr = '';

  constructor(python: string) {
    const script = path.join(__dirname, '..', '..', 'bench', 'oauthlib_sign.py');
    this.child = spawn(python, [script, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.on('exit', (code) => {
      this.exited = `python exited (${code}): ${this.stderr.trim().split('\n').slice(-3).join(' / ')}`;
      for (const a of this.answers.splice(0)) a({ error: this.exited });
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answers.shift()?.(JSON.parse(line)));
  }

  async call<T>(cmd: Record<string, unknown>): Promise<T> {
    if (this.exited) throw new Error(this.exited);
    const answer = new Promise<unknown>((resolve) => this.answers.push(resolve));
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    const a = (await answer) as T & { error?: string };
    if (a.error) throw new Error(a.error);
    return a;
  }

  quit(): void {
    try {
      this.child.stdin.end(JSON.stringify({ cmd: 'quit' }) + '\n');
    } catch {
      /* gone */
    }
  }
}

async function main(): Promise<void> {
  note(`sign: generating a 2048-bit RSA key, ${ITERATIONS} interleaved iterations after ${WARMUP} warm-up`);
  const { privateKeyPem } = await generateKeyPair({ modulusLength: 2048 });
  const key = loadPrivateKey(privateKeyPem);
  const token = randomToken(32);
  const urls = searchUrls(20);

  // A: what every request of the client does (jira.ts), exactly.
  const authenticator = oauth1Authenticator(BASE_URL, CONSUMER_KEY, key, token);
  // OAuth 1.0a signs synchronously (only an OAuth 2.0 token manager may have to wait for a refresh).
  const header = (url: string): string => (authenticator.authorize('GET', url, undefined) as AuthorizeResult).header!;
  // B: one raw RSA-SHA1 signature of a base string of the same size (the real base strings; a
  // fresh nonce and timestamp only change characters, not the length).
  const signer = new OAuth1Signer(CONSUMER_KEY, key);
  const bases = urls.map((u) => Buffer.from(signer.sign({ method: 'GET', url: u }, { token }).baseString, 'utf8'));
  const raw = (i: number): Buffer => cryptoSign('RSA-SHA1', bases[i], key);
  // C (informational): a whole client.request() with a transport that answers at once: URL
  // building, headers, signing and JSON parsing, everything but the network.
  const canned: HttpResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"total":0,"issues":[]}') } as HttpResponse;
  const client = createJiraClient({
    baseUrl: BASE_URL,
    auth: { type: 'oauth1', consumerKey: CONSUMER_KEY, privateKeyPem, token, tokenSecret: 'unused-by-rsa-sha1' },
    transport: async (_req: HttpRequest) => canned,
  });
  const query = (i: number) => ({ jql: JQL, startAt: i * 50, maxResults: 50, fields: SUMMARY_FIELDS.join(',') });

  for (let i = 0; i < WARMUP; i++) {
    header(urls[i % urls.length]);
    raw(i % urls.length);
    await client.request('GET', '/rest/api/2/search', { query: query(i % urls.length) });
  }

  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  const ab: number[] = [];
  const cb: number[] = [];
  const timeA = (i: number) => { const t = process.hrtime.bigint(); header(urls[i]); return msSince(t); };
  const timeB = (i: number) => { const t = process.hrtime.bigint(); raw(i); return msSince(t); };
  const timeC = async (i: number) => { const t = process.hrtime.bigint(); await client.request('GET', '/rest/api/2/search', { query: query(i) }); return msSince(t); };
  const started = process.hrtime.bigint();
  for (let n = 0; n < ITERATIONS; n++) {
    const i = n % urls.length;
    // A and B back to back (alternating which goes first), so that each pair sees the same machine
    // load; C (informational) next to its own B.
    let ta: number, tb: number;
    if (n % 2) { tb = timeB(i); ta = timeA(i); } else { ta = timeA(i); tb = timeB(i); }
    a.push(ta); b.push(tb); ab.push(ta / tb);
    let tc: number, tb2: number;
    if (n % 2) { tc = await timeC(i); tb2 = timeB(i); } else { tb2 = timeB(i); tc = await timeC(i); }
    c.push(tc); cb.push(tc / tb2);
  }
  // The metric: the median of the paired ratios (robust to load changing during the run); the
  // ratio of the two medians is reported next to it.
  const signVsCrypto = median(ab);
  const ratioOfMedians = median(a) / median(b);
  note(`sign: header ${median(a).toFixed(4)} ms, raw crypto.sign ${median(b).toFixed(4)} ms; paired ratio ${signVsCrypto.toFixed(4)}, ratio of medians ${ratioOfMedians.toFixed(4)} (${msSince(started).toFixed(0)} ms)`);

  // The comparison with Python's requests_oauthlib.
  const python = arg('--python');
  let oauthlib: Record<string, unknown> | undefined;
  if (python) {
    const py = new PythonSigner(python);
    try {
      const init = await py.call<{ versions: Record<string, string> }>({ cmd: 'init', key_pem: privateKeyPem, consumer_key: CONSUMER_KEY, token, urls });
      // Same requests, same key: with a fixed nonce and timestamp both must sign identically.
      const nonce = 'benchnonce0123456789abcdef';
      const timestamp = Math.floor(Date.now() / 1000);
      const fixed = await py.call<{ headers: string[] }>({ cmd: 'fixed', nonce, timestamp });
      let same = 0;
      urls.forEach((u, i) => {
        const ours = signer.sign({ method: 'GET', url: u }, { token, nonce, timestamp }).authorization;
        const sig = (h: string) => parseAuthorizationHeader(h).find((p) => p[0] === 'oauth_signature')?.[1];
        if (sig(ours) && sig(ours) === sig(fixed.headers[i])) same++;
      });
      note(`sign: requests_oauthlib ${init.versions.requests_oauthlib} / oauthlib ${init.versions.oauthlib} (Python ${init.versions.python}); identical signatures for ${same}/${urls.length} URLs`);
      await py.call({ cmd: 'sign', indexes: [0, 1, 2] }); // warm-up (imports, first key load)
      const pyMs: number[] = [];
      const oursMs: number[] = [];
      const pyStarted = process.hrtime.bigint();
      for (let r = 0; r < PY_ROUNDS; r++) {
        const indexes = Array.from({ length: PY_BATCH }, (_, k) => (r * PY_BATCH + k) % urls.length);
        const runOurs = () => {
          for (let rep = 0; rep < OURS_PER_PY; rep++) for (const i of indexes) { const t = process.hrtime.bigint(); header(urls[i]); oursMs.push(msSince(t)); }
        };
        if (r % 2) runOurs();
        const got = await py.call<{ ns: number[] }>({ cmd: 'sign', indexes });
        for (const ns of got.ns) pyMs.push(ns / 1e6);
        if (!(r % 2)) runOurs();
      }
      const speedup = median(pyMs) / median(oursMs);
      note(`sign: requests_oauthlib ${median(pyMs).toFixed(2)} ms per signature, ours ${median(oursMs).toFixed(4)} ms: ${speedup.toFixed(1)}x (${msSince(pyStarted).toFixed(0)} ms)`);
      oauthlib = {
        python,
        versions: init.versions,
        identical_signatures: `${same}/${urls.length}`,
        signatures_match: same === urls.length,
        oauthlib_ms: summary(pyMs),
        ours_ms: summary(oursMs),
        speedup: round(speedup, 2),
      };
    } catch (e) {
      note(`sign: the requests_oauthlib comparison failed: ${(e as Error).message}`);
      oauthlib = { python, error: (e as Error).message };
    } finally {
      py.quit();
    }
  }

  emitResult({
    key_bits: 2048,
    url_example: urls[1],
    base_string_bytes: bases[1].length,
    iterations: ITERATIONS,
    header_ms: summary(a),
    crypto_sign_ms: summary(b),
    client_request_ms: summary(c),
    sign_vs_crypto_sign: round(signVsCrypto, 4),
    sign_vs_crypto_sign_ratio_of_medians: round(ratioOfMedians, 4),
    sign_overhead_us: round((median(a) - median(b)) * 1000, 1),
    client_request_vs_crypto_sign: round(median(cb), 4),
    oauthlib,
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
