// A Jira site that requires a client certificate, in a real VS Code (code-server: the extension host
// runs on the server and reads the certificate files there) against the emulator over HTTPS with a
// test CA trusted through jira.ca. The certificate is a PKCS#12 file named in
// jira.network.clientCertificates; its passphrase is asked for in a password box during sign-in, a
// wrong one is asked again with the reason, the right one is kept in SecretStorage, so a reloaded
// window (a new extension host) loads the issues without asking. Without the setting, the sign-in
// says which setting is missing. Screenshots: docs/screenshots/network-*.png (README).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CLIENT_PASSPHRASE, emulatorTls, makePkiOrSkip, Pki } from '../unit/support/netFixtures';
import { inputMessage, launch, pane, quickInputTitle, shot, tidy, withPersonalAccessToken, Workbench, writeServerSettings } from './harness';

const PAT = 'network-e2e-pat';
const PASSPHRASE_BOX = /Client certificate passphrase for/;

function issueRows(page: Page) {
  return pane(page, 'My Issues').locator('.monaco-list-row', { hasText: /[A-Z]+-\d+/ });
}

describe('Client certificate (PKCS#12 with a passphrase) for a site that requires one', function () {
  let pki: Pki;
  let wb: Workbench;
  let p12: string;

  before(async function () {
    pki = makePkiOrSkip(this);
    p12 = pki.clientP12File;
    wb = await launch({
      name: 'network-client-certificate',
      emulator: {
        pats: { [PAT]: 'admin' },
        // The test CA checks client certificates; a connection without one is refused.
        tls: emulatorTls(pki, { requireClientCert: true }),
      },
    });
    assert.match(wb.emulator.url, /^https:/);
    writeServerSettings({ 'jira.ca': [pki.caCertFile] });
    await wb.page.waitForTimeout(1500); // the settings file change reaches the extension host
    await tidy(wb);
  });

  after(async () => {
    writeServerSettings({ 'jira.ca': undefined, 'jira.network.clientCertificates': undefined });
    await wb?.close();
    pki?.cleanup();
  });

  it('without a certificate: the site refuses the connection and the sign-in names the setting', async () => {
    await wb.runCommand('Jira: Sign In');
    await wb.waitForQuickInput(/Base URL/i);
    await wb.submit(wb.emulator.url);
    // Back in the base URL box, with the reason.
    const message = await inputMessage(wb, /jira\.network\.clientCertificates/);
    assert.match(message, /certificate/i);
    assert.equal(wb.emulator.requests.length, 0, 'no request got through the TLS handshake');
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.statusbar-item', { hasText: 'Jira: Sign In' }).first().waitFor();
  });

  it('asks for the passphrase in a password box, again with the reason when it is wrong, then signs in', async () => {
    writeServerSettings({ 'jira.network.clientCertificates': { [wb.emulator.url]: { pfx: p12 } } });
    await wb.page.waitForTimeout(1500);
    await wb.runCommand('Jira: Sign In');
    await wb.waitForQuickInput(/Base URL/i);
    await wb.submit(wb.emulator.url);

    await quickInputTitle(wb, PASSPHRASE_BOX).waitFor();
    assert.equal(await wb.quickInput.getAttribute('type'), 'password', 'the passphrase is typed into a password field');
    assert.match(await wb.page.locator('.quick-input-widget:visible').first().innerText(), /client\.p12/);
    await wb.quickInput.fill('not the passphrase');
    await wb.quickInput.press('Enter');

    // Asked again, saying why; the wrong passphrase opened nothing and reached no request.
    await wb.page.locator('.quick-input-widget:visible', { hasText: /That passphrase did not open/ }).first().waitFor();
    assert.equal(await wb.quickInput.inputValue(), '', 'the box starts empty again');
    assert.equal(wb.emulator.requests.length, 0);
    await wb.quickInput.fill(CLIENT_PASSPHRASE);
    await shot(wb, 'network-01-passphrase-again');
    await wb.quickInput.press('Enter');

    // The site check went through with the certificate; the rest is the usual PAT sign-in.
    await withPersonalAccessToken(wb, PAT)();
    await wb.page.locator('.statusbar-item', { hasText: 'Alice Admin' }).first().waitFor({ timeout: 30_000 });
    assert.ok(wb.emulator.requests.some((r) => r.path.endsWith('/rest/api/2/serverInfo') && r.status === 200));
    assert.ok(wb.emulator.requests.some((r) => r.auth === 'pat' && r.user === 'admin'), 'an authenticated request over the client certificate');
    await issueRows(wb.page).first().waitFor({ timeout: 30_000 });
    await shot(wb, 'network-02-signed-in');
  });

  it('after a reload (a new extension host) the stored passphrase opens the certificate: no box, the issues load', async () => {
    const before = wb.emulator.requests.length;
    let asked = false;
    const box = quickInputTitle(wb, PASSPHRASE_BOX);
    await wb.page.reload();
    await wb.page.locator('.statusbar-item', { hasText: 'Alice Admin' }).first().waitFor({ timeout: 60_000 });
    await tidy(wb);
    const rows = issueRows(wb.page);
    const deadline = Date.now() + 30_000;
    while (!(await rows.first().isVisible())) {
      if (await box.isVisible()) asked = true;
      assert.ok(Date.now() < deadline, 'the issues did not load after the reload');
      await wb.page.waitForTimeout(100);
    }
    assert.equal(asked || (await box.isVisible()), false, 'the passphrase box appeared again');
    const after = wb.emulator.requests.slice(before);
    assert.ok(after.some((r) => r.path.endsWith('/search') && r.status === 200 && r.user === 'admin'), JSON.stringify(after.map((r) => `${r.method} ${r.path} ${r.status}`)));
  });
});
