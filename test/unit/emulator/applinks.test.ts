// The Application Links admin page: creating, refusing bad keys, deleting; then using the link.
import * as assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { startEmulator, Emulator } from '../../emulator';
import { formBody, formInputs, formResponse, fullDance, getRequestToken, http, restGet, rsaKeyPair, textOfClass } from './helpers';
import { TESTCASE_PUBLIC_KEY_PEM } from './fixtures';

describe('emulator application links admin page', () => {
  let emu: Emulator;
  let privateKey: KeyObject;
  let publicPem: string;
  let privatePem: string;
  let page: string;

  before(async () => { ({ privateKey, publicPem, privatePem } = await rsaKeyPair()); });
  beforeEach(async () => {
    emu = await startEmulator();
    page = `${emu.url}/plugins/servlet/applinks/listApplicationLinks`;
  });
  afterEach(async () => { await emu.close(); });

  async function create(consumerKey: string, consumerName: string, publicKey: string) {
    const get = await http(page);
    const fields = formInputs(get.body, 'create-link-form');
    return http(page, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ ...fields, consumerKey, consumerName, publicKey }),
    });
  }

  it('shows the form with stable ids and no links yet', async () => {
    const res = await http(page);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    for (const id of ['consumer-key', 'consumer-name', 'public-key', 'create-link']) assert.match(res.body, new RegExp(`id="${id}"`));
    assert.doesNotMatch(res.body, /class="applink-row"/);
    assert.match(res.body, /logged in as/);
  });

  it('creates an incoming link from a pasted PEM; the new link works for the whole dance', async () => {
    const res = await create('pasted-key', 'My VS Code', publicPem);
    assert.equal(res.status, 200);
    assert.deepEqual(textOfClass(res.body, 'error'), []);
    assert.match(res.body, /class="applink-row" data-consumer-key="pasted-key"/);
    assert.deepEqual(textOfClass(res.body, 'applink-name'), ['My VS Code']);
    assert.match(res.body, /RSA 2048-bit/);
    const d = { base: emu.url, consumerKey: 'pasted-key', privateKey };
    const at = await fullDance(d);
    assert.equal((await restGet(d, at.token, '/rest/api/2/myself')).status, 200);
    // The authorize page named the link.
    const rt = await getRequestToken(d);
    assert.match((await http(`${emu.url}/plugins/servlet/oauth/authorize?oauth_token=${rt.token}`)).body, /My VS Code<\/strong> would like to access/);
  });

  it('refuses a private key, a certificate-less garbage text, a PKCS#1 key, an EC key, and an empty key', async () => {
    const pkcs1 = createPublicKey(publicPem).export({ type: 'pkcs1', format: 'pem' }) as string;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const cases: Array<[string, RegExp]> = [
      [privatePem, /PRIVATE key/],
      ['hello world', /not valid/],
      ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', /not valid/],
      [pkcs1, /PKCS#1/],
      [ec, /RSA/],
      ['', /required/],
    ];
    for (const [pem, message] of cases) {
      const res = await create('k', 'n', pem);
      assert.equal(res.status, 400, pem.slice(0, 30));
      const errors = textOfClass(res.body, 'error');
      assert.equal(errors.length, 1, pem.slice(0, 30));
      assert.match(errors[0], message);
      // The form keeps what was typed.
      assert.match(res.body, /id="consumer-key" name="consumerKey" value="k"/);
    }
    assert.doesNotMatch((await http(page)).body, /applink-row/);
    assert.throws(() => emu.addLink({ consumerKey: 'x', publicKeyPem: privatePem }), /PRIVATE key/);
  });

  it('accepts a 1024-bit key with a warning, and the bare base64 body of a PEM', async () => {
    const weak = await create('weak', 'Weak', TESTCASE_PUBLIC_KEY_PEM);
    assert.equal(weak.status, 200);
    assert.deepEqual(textOfClass(weak.body, 'error'), []);
    assert.match(textOfClass(weak.body, 'warning')[0], /1024 bits/);
    const bare = publicPem.replace(/-----[A-Z ]+-----/g, '').trim();
    const res = await create('bare', 'Bare', bare);
    assert.equal(res.status, 200);
    assert.match(res.body, /data-consumer-key="bare"/);
  });

  it('a duplicate consumer key is an error', async () => {
    assert.equal((await create('dup', 'One', publicPem)).status, 200);
    const again = await create('dup', 'Two', publicPem);
    assert.equal(again.status, 400);
    assert.match(textOfClass(again.body, 'error')[0], /already exists/);
    assert.throws(() => emu.addLink({ consumerKey: 'dup', publicKeyPem: publicPem }), /already exists/);
  });

  it('deletes a link, which also kills its tokens', async () => {
    emu.addLink({ consumerKey: 'gone', name: 'Gone', publicKeyPem: publicPem });
    const d = { base: emu.url, consumerKey: 'gone', privateKey };
    const at = await fullDance(d);
    const listing = await http(page);
    const rowStart = listing.body.indexOf('data-consumer-key="gone"');
    const formHtml = listing.body.slice(rowStart, listing.body.indexOf('</form>', rowStart) + 7).replace('<form', '<form id="del"');
    const fields = formInputs(formHtml, 'del');
    assert.equal(fields.action, 'delete');
    const res = await http(page, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody(fields) });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.body, /applink-row/);
    assert.equal(formResponse((await restGet(d, at.token, '/rest/api/2/myself')).body).oauth_problem, 'token_rejected');
  });

  it('refuses a post without the XSRF token', async () => {
    const res = await http(page, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody({ consumerKey: 'x', consumerName: 'y', publicKey: publicPem }) });
    assert.equal(res.status, 403);
    assert.doesNotMatch((await http(page)).body, /applink-row/);
  });
});
