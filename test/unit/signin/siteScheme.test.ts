// A site typed without a scheme ("127.0.0.1:8080/jira") is tried as https://. When that fails the
// user is told so, instead of getting a certificate error that advises jira.ca; for a loopback
// site (a local Jira, often plain http) http:// is filled in, ready to try with Enter.
import * as assert from 'node:assert/strict';
import * as core from '../../../src/core';
import { format, setTranslator } from '../../../src/l10n';
import { explainAssumedHttps, pickSite } from '../../../src/signin/site';
import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/types';
import { closedPort } from '../support/netFixtures';
import { makeWorld } from '../support/world';

describe('sign-in: a site typed without a scheme', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(async () => {
    setTranslator((m, ...a) => format(m, a));
    emulator = await startEmulator({ port: 0, contextPath: '/jira' });
  });
  after(async () => {
    core.closeIdleConnections();
    await emulator.close();
  });

  it('a local Jira on plain http: https was tried, http:// is offered, and Enter signs in to it', async () => {
    const typed = `127.0.0.1:${emulator.port}/jira`;
    const w = makeWorld();
    const asked: Array<{ message?: string; value?: string }> = [];
    w.ui.inputs.push(() => typed);
    w.ui.inputs.push((o) => (asked.push({ message: o.validationMessage, value: o.value }), o.value));
    const site = await pickSite(w.deps, { step: 1, totalSteps: 1 }, 'Jira: Sign In');
    assert.equal(site.baseUrl, `http://${typed}`);
    assert.equal(asked.length, 1);
    assert.match(asked[0].message!, new RegExp(`No scheme was typed, so https://${typed.replace(/\./g, '\\.')} was tried: nothing answers with TLS there`));
    assert.doesNotMatch(asked[0].message!, /jira\.ca|certificate/, 'no advice about certificates for a server without TLS');
    assert.equal(asked[0].value, `http://${typed}`);
  });

  it('a local address where nothing listens: the reason is given, and http:// is still offered', async () => {
    const typed = `localhost:${await closedPort()}/jira`;
    const w = makeWorld();
    const asked: Array<{ message?: string; value?: string }> = [];
    w.ui.inputs.push(() => typed);
    w.ui.inputs.push((o) => (asked.push({ message: o.validationMessage, value: o.value }), undefined));
    await assert.rejects(pickSite(w.deps, { step: 1, totalSteps: 1 }, 'Jira: Sign In'));
    assert.match(asked[0].message!, /No scheme was typed, so https:\/\/localhost:\d+\/jira was tried: Could not reach localhost:\d+: .*refused/);
    assert.equal(asked[0].value, `http://${typed}`);
  });

  it('another site keeps https:// (no plain http offered), and the message says https was assumed', () => {
    const tlsError = new core.JiraError('tls', core.msg('Secure connection to jira.corp failed: the certificate is issued by a certificate authority this computer does not trust.'), { systemCode: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    const r = explainAssumedHttps(tlsError, 'jira.corp/jira');
    assert.equal(r.value, 'https://jira.corp/jira');
    assert.match(r.message, /^No scheme was typed, so https:\/\/jira\.corp\/jira was tried\. TLS problem: Secure connection to jira\.corp failed/);
    assert.doesNotMatch(r.message, /http:\/\/jira/);
  });

  it('a loopback site whose https answers with a certificate problem gets the reason and http:// offered', () => {
    const tlsError = new core.JiraError('tls', core.msg('Secure connection to 127.0.0.1:8443 failed: the server uses a self-signed certificate.'), { systemCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const r = explainAssumedHttps(tlsError, '127.0.0.1:8443');
    assert.match(r.message, /was tried: TLS problem: Secure connection to 127\.0\.0\.1:8443 failed: the server uses a self-signed certificate/);
    assert.equal(r.value, 'http://127.0.0.1:8443');
    assert.equal(explainAssumedHttps(tlsError, '[::1]:8443').value, 'http://[::1]:8443');
  });
});
