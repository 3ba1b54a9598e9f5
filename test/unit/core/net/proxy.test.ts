// Proxy choice: explicit setting, environment (any case), NO_PROXY forms, credentials, bad URLs.
import * as assert from 'node:assert/strict';
import { bypassesProxy, JiraError, parseNoProxy, resolveProxy } from '../../../../src/core';

describe('proxy resolution', () => {
  it('uses the explicit proxy for http and https, and the environment per scheme otherwise', () => {
    assert.equal(resolveProxy('https://jira.example.com/x', { proxy: 'http://p:3128' })?.display, 'http://p:3128');
    assert.equal(resolveProxy('https://jira.example.com/x', { env: { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://h:2' } })?.display, 'http://s:1');
    assert.equal(resolveProxy('http://jira.example.com/x', { env: { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://h:2' } })?.display, 'http://h:2');
    assert.equal(resolveProxy('https://jira.example.com/x', { env: { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' } })?.display, 'http://lower:1');
    assert.equal(resolveProxy('https://jira.example.com/x', { env: { HTTP_PROXY: 'http://h:2' } }), undefined, 'HTTP_PROXY is not used for https');
    assert.equal(resolveProxy('https://jira.example.com/x', { proxy: 'http://p:3128', env: { HTTPS_PROXY: 'http://s:1' } })?.display, 'http://p:3128');
    assert.equal(resolveProxy('https://jira.example.com/x', { proxy: 'direct', env: { HTTPS_PROXY: 'http://s:1' } }), undefined);
    assert.equal(resolveProxy('https://jira.example.com/x', {}), undefined);
  });

  it('defaults the port and scheme of a proxy, and reports where it came from', () => {
    const p = resolveProxy('https://a.example/', { proxy: 'proxy.corp' })!;
    assert.deepEqual([p.protocol, p.host, p.port], ['http:', 'proxy.corp', 80]);
    assert.equal(resolveProxy('https://a.example/', { proxy: 'https://proxy.corp' })!.port, 443);
    assert.match(resolveProxy('https://a.example/', { env: { HTTPS_PROXY: 'p:1' } })!.source, /HTTPS_PROXY/);
  });

  it('turns URL credentials (percent-decoded) or http.proxyAuthorization into Proxy-Authorization; the URL wins', () => {
    const p = resolveProxy('https://a.example/', { proxy: 'http://al%40ice:p%3Ass@proxy:8080' })!;
    assert.equal(p.authorization, `Basic ${Buffer.from('al@ice:p:ss').toString('base64')}`);
    assert.equal(p.display, 'http://proxy:8080', 'credentials never appear in messages');
    assert.equal(resolveProxy('https://a.example/', { proxy: 'http://proxy:8080', proxyAuthorization: 'Negotiate xyz' })!.authorization, 'Negotiate xyz');
    assert.equal(resolveProxy('https://a.example/', { proxy: 'http://u:p@proxy:8080', proxyAuthorization: 'Basic other' })!.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('matches NO_PROXY / http.noProxy entries', () => {
    const cases: Array<[string, number, string, boolean]> = [
      ['jira.example.com', 443, 'example.com', true],
      ['example.com', 443, '.example.com', true],
      ['jira.example.com', 443, '*.example.com', true],
      ['notexample.com', 443, 'example.com', false],
      ['jira.example.com', 443, 'jira.example.com:443', true],
      ['jira.example.com', 8443, 'jira.example.com:443', false],
      ['10.1.2.3', 443, '10.1.2.3', true],
      ['::1', 443, '[::1]', true],
      ['anything', 1, '*', true],
      ['JIRA.Example.COM', 443, 'example.com', true],
    ];
    for (const [host, port, entry, expected] of cases) assert.equal(bypassesProxy(host, port, parseNoProxy(entry)), expected, `${host}:${port} vs ${entry}`);
    assert.deepEqual(parseNoProxy('a.com, b.com  c.com'), ['a.com', 'b.com', 'c.com']);
    assert.equal(resolveProxy('https://jira.example.com/', { proxy: 'http://p:1', noProxy: ['example.com'] }), undefined);
    assert.equal(resolveProxy('https://jira.example.com/', { env: { HTTPS_PROXY: 'http://p:1', no_proxy: 'localhost,.example.com' } }), undefined);
  });

  it('refuses SOCKS and unparsable proxy URLs with a config error naming the source', () => {
    assert.throws(() => resolveProxy('https://a.example/', { proxy: 'socks5://p:1080' }), (e: JiraError) => e.code === 'config' && /http\.proxy or jira\.network\.proxy/.test(e.message));
    assert.throws(() => resolveProxy('https://a.example/', { env: { HTTPS_PROXY: 'http://[bad' } }), (e: JiraError) => e.code === 'config' && /HTTPS_PROXY/.test(e.message));
  });
});
