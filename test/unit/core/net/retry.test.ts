// Retry policy with a fake clock, fake random and a recording sleep; sendRaw with a fake transport.
import * as assert from 'node:assert/strict';
import { backoffDelay, createJiraClient, HttpRequest, HttpResponse, JiraError, msg, parseRetryAfter, retryDelay, RetryOptions } from '../../../../src/core';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const err = (code: JiraError['code'], status?: number) => new JiraError(code, msg(code), { status });

describe('retry policy (fake clock)', () => {
  const o: RetryOptions = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, random: () => 1, now: () => NOW };

  it('backs off exponentially with jitter between half and all of the capped delay', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((a) => backoffDelay(a, { ...o, random: () => 1 })), [100, 200, 400, 800, 1000]);
    assert.deepEqual([0, 1, 2].map((a) => backoffDelay(a, { ...o, random: () => 0 })), [50, 100, 200]);
  });

  it('retries idempotent methods on network errors and 502/503/504, not on 500/4xx/timeouts/TLS/proxy', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'get']) assert.equal(retryDelay({ method: m, attempt: 0, error: err('network') }, o), 100, m);
    for (const s of [502, 503, 504]) assert.equal(retryDelay({ method: 'GET', attempt: 1, error: err('server_error', s) }, o), 200, String(s));
    assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err('server_error', 500) }, o), undefined);
    for (const c of ['timeout', 'tls', 'proxy', 'proxy_auth', 'config', 'aborted', 'unauthorized', 'not_found'] as const) {
      assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err(c) }, o), undefined, c);
    }
  });

  it('never retries POST/PUT/DELETE on network errors or 5xx (token calls are not idempotent)', () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      assert.equal(retryDelay({ method: m, attempt: 0, error: err('network') }, o), undefined, m);
      assert.equal(retryDelay({ method: m, attempt: 0, error: err('server_error', 503) }, o), undefined, m);
    }
  });

  it('honours 429 Retry-After in seconds and as an HTTP date, for every method, up to the cap', () => {
    assert.equal(retryDelay({ method: 'POST', attempt: 0, error: err('rate_limited', 429), retryAfter: '7' }, o), 7000);
    const date = new Date(NOW + 12_000).toUTCString();
    assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err('rate_limited', 429), retryAfter: date }, o), 12_000);
    assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err('rate_limited', 429), retryAfter: new Date(NOW - 5000).toUTCString() }, o), 0);
    assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err('rate_limited', 429), retryAfter: '3600' }, o), undefined, 'an hour is not waited for');
    assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err('rate_limited', 429), retryAfter: '3600' }, { ...o, maxRetryAfterMs: 4_000_000 }), 3_600_000);
    assert.equal(retryDelay({ method: 'POST', attempt: 0, error: err('rate_limited', 429) }, o), undefined, 'POST without Retry-After is not retried');
    assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err('rate_limited', 429), retryAfter: 'soon' }, o), 100, 'unreadable: backoff for GET');
  });

  it('stops after the configured number of retries; 0 disables', () => {
    assert.equal(retryDelay({ method: 'GET', attempt: 3, error: err('network') }, o), undefined);
    assert.equal(retryDelay({ method: 'GET', attempt: 0, error: err('network') }, { ...o, retries: 0 }), undefined);
  });

  it('parses Retry-After', () => {
    assert.equal(parseRetryAfter(' 5 ', NOW), 5000);
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
    assert.equal(parseRetryAfter('next week', NOW), undefined);
    assert.equal(parseRetryAfter(new Date(NOW + 2000).toUTCString(), NOW), 2000);
  });
});

describe('retries in the request pipeline (fake transport, recording sleep)', () => {
  const ok: HttpResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":true}') };
  const status = (s: number, headers: Record<string, string> = {}): HttpResponse => ({ status: s, headers, body: Buffer.from('') });

  function client(answers: Array<HttpResponse | JiraError>, retry: RetryOptions | false) {
    const seen: HttpRequest[] = [];
    const c = createJiraClient({
      baseUrl: 'https://jira.example.com',
      auth: { type: 'pat', token: 't' },
      retry,
      transport: async (r) => {
        seen.push(r);
        const a = answers.shift();
        if (!a) throw new Error('unexpected extra request');
        if (a instanceof JiraError) throw a;
        return a;
      },
    });
    return { c, seen };
  }

  it('GET: network error, 503, then success -> two waits with growing backoff', async () => {
    const waits: number[] = [];
    const { c, seen } = client([err('network'), status(503), ok], { retries: 2, baseDelayMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms) });
    const r = await c.request('GET', '/rest/api/2/myself');
    assert.deepEqual(r.body, { ok: true });
    assert.equal(seen.length, 3);
    assert.deepEqual(waits, [100, 200]);
  });

  it('POST: a network error is reported at once, not retried', async () => {
    const waits: number[] = [];
    const { c, seen } = client([err('network'), ok], { retries: 2, sleep: async (ms) => void waits.push(ms) });
    await assert.rejects(c.request('POST', '/rest/api/2/search', { json: {} }), (e: JiraError) => e.code === 'network');
    assert.equal(seen.length, 1);
    assert.deepEqual(waits, []);
  });

  it('POST: 429 with Retry-After is waited out and sent again', async () => {
    const waits: number[] = [];
    const { c, seen } = client([status(429, { 'retry-after': '3' }), ok], { sleep: async (ms) => void waits.push(ms) });
    await c.request('POST', '/rest/api/2/search', { json: {} });
    assert.equal(seen.length, 2);
    assert.deepEqual(waits, [3000]);
  });

  it('gives up with the last error when retries run out', async () => {
    const { c, seen } = client([status(502), status(502), status(502)], { retries: 2, sleep: async () => undefined });
    await assert.rejects(c.request('GET', '/x'), (e: JiraError) => e.code === 'server_error' && e.status === 502);
    assert.equal(seen.length, 3);
  });

  it('cancelling during the wait rejects with aborted and sends nothing more', async () => {
    const ac = new AbortController();
    const { c, seen } = client([status(503), ok], { retries: 2, baseDelayMs: 60_000 });
    const p = c.request('GET', '/x', { signal: ac.signal });
    setImmediate(() => ac.abort());
    await assert.rejects(p, (e: JiraError) => e.code === 'aborted');
    assert.equal(seen.length, 1);
  });

  it('retry: false (and the core default without a provider) does not retry', async () => {
    const { c, seen } = client([status(503), ok], false);
    await assert.rejects(c.request('GET', '/x'), (e: JiraError) => e.status === 503);
    assert.equal(seen.length, 1);
  });
});
