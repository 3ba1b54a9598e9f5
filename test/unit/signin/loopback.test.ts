import * as assert from 'node:assert/strict';
import { LoopbackTimeoutError, loopbackPage, startLoopback } from '../../../src/signin/loopback';

const PAGES = { success: 'OK-PAGE', denied: 'DENIED-PAGE', invalid: 'INVALID-PAGE' };

describe('loopback callback listener', () => {
  it('listens on 127.0.0.1 with a random port and state, answers once, then closes', async () => {
    const server = await startLoopback(PAGES);
    assert.match(server.callbackUrl, /^http:\/\/127\.0\.0\.1:\d+\/jira-callback\/[0-9a-f]{32}$/);
    server.expectToken('RT');
    const res = await fetch(`${server.callbackUrl}?oauth_token=RT&oauth_verifier=V123`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'OK-PAGE');
    assert.deepEqual(await server.result, { token: 'RT', verifier: 'V123', denied: false });
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(fetch(`${server.callbackUrl}?oauth_token=RT&oauth_verifier=V123`), 'closed after use');
  });

  it('refuses requests without the state or with another request token, and keeps waiting', async () => {
    const server = await startLoopback(PAGES);
    server.expectToken('RT');
    const origin = new URL(server.callbackUrl).origin;
    const wrongState = await fetch(`${origin}/jira-callback/0000?oauth_token=RT&oauth_verifier=V`);
    assert.equal(wrongState.status, 400);
    assert.equal(await wrongState.text(), 'INVALID-PAGE');
    const wrongToken = await fetch(`${server.callbackUrl}?oauth_token=OTHER&oauth_verifier=V`);
    assert.equal(wrongToken.status, 400);
    const ok = await fetch(`${server.callbackUrl}?oauth_token=RT&oauth_verifier=V`);
    assert.equal(ok.status, 200);
    assert.equal((await server.result).verifier, 'V');
  });

  it('reports a denial (oauth_verifier=denied)', async () => {
    const server = await startLoopback(PAGES);
    const res = await fetch(`${server.callbackUrl}?oauth_token=RT&oauth_verifier=denied`);
    assert.equal(await res.text(), 'DENIED-PAGE');
    assert.equal((await server.result).denied, true);
  });

  it('gives up after the timeout and on abort', async () => {
    const slow = await startLoopback(PAGES, { timeoutMs: 30 });
    await assert.rejects(slow.result, LoopbackTimeoutError);
    const ac = new AbortController();
    const aborted = await startLoopback(PAGES, { signal: ac.signal });
    ac.abort();
    await assert.rejects(aborted.result, { name: 'AbortError' });
    await assert.rejects(fetch(aborted.callbackUrl));
  });

  it('escapes the text of its pages', () => {
    assert.match(loopbackPage('<b>', 'a & "b"'), /&#60;b&#62;.*a &#38; &#34;b&#34;/s);
  });
});
