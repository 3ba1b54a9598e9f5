// Where a Jira page opens: as is, or through VS Code's port forwarding. Only a Jira on the loopback
// of a REMOTE extension host's machine needs forwarding; the user's browser reaches every other one
// at its own address (an ordinary host name; the user's own loopback in a local window).
import * as assert from 'node:assert/strict';
import { atForwardedRoot, isLoopbackHost, pageRoute, PageRoute } from '../../../src/ui/pageRoute';
import type { ExtensionHostKind } from '../../../src/signin/deps';

describe('pageRoute: open a Jira page as is or forwarded', () => {
  const sites: Array<[kind: string, url: string]> = [
    ['ordinary host name', 'https://jira.example.com/plugins/servlet/applinks/listApplicationLinks'],
    ['ordinary host name, context path and port', 'http://devbox:8080/jira/plugins/servlet/oauth/authorize?oauth_token=t'],
    ['LAN address', 'http://192.168.1.20:8080/browse/DEMO-1'],
    ['127.0.0.1', 'http://127.0.0.1:8080/plugins/servlet/oauth/authorize?oauth_token=t'],
    ['localhost', 'http://localhost:2990/jira/browse/DEMO-1'],
    ['[::1]', 'http://[::1]:8080/rest/oauth2/latest/authorize?client_id=c'],
    ['*.localhost', 'http://jira.localhost:8080/'],
  ];
  const expected: Record<string, Record<ExtensionHostKind, PageRoute>> = {
    'ordinary host name': { local: 'as-is', remote: 'as-is' },
    'ordinary host name, context path and port': { local: 'as-is', remote: 'as-is' },
    'LAN address': { local: 'as-is', remote: 'as-is' },
    '127.0.0.1': { local: 'as-is', remote: 'forward' },
    localhost: { local: 'as-is', remote: 'forward' },
    '[::1]': { local: 'as-is', remote: 'forward' },
    '*.localhost': { local: 'as-is', remote: 'forward' },
  };
  for (const [kind, url] of sites) {
    for (const host of ['local', 'remote'] as const) {
      it(`${kind} in a ${host} window: ${expected[kind][host]}`, () => {
        assert.equal(pageRoute(url, host), expected[kind][host]);
      });
    }
  }

  it('an address it cannot parse opens as is (VS Code then says what is wrong with it)', () => {
    assert.equal(pageRoute('not a url', 'remote'), 'as-is');
  });

  it('knows loopback names, and names that only look like them', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.', 'a.b.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['localhost.example.com', 'mylocalhost', '128.0.0.1', '127.0.0.1.nip.io', '10.0.0.1', '[::2]', 'jira']) assert.equal(isLoopbackHost(h), false, h);
  });
});

describe('atForwardedRoot: the page at the address port forwarding gave its origin', () => {
  it("keeps the path and the query byte for byte (a redirect_uri's own query stays encoded)", () => {
    const url = 'http://127.0.0.1:8080/rest/oauth2/latest/authorize?client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb%3Fa%3D1%26b%3D2&state=s';
    assert.equal(atForwardedRoot(url, 'http://127.0.0.1:3000/proxy/8080/'),
      'http://127.0.0.1:3000/proxy/8080/rest/oauth2/latest/authorize?client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb%3Fa%3D1%26b%3D2&state=s');
  });

  it('works with or without the trailing slash of the forwarded root, and for the bare origin', () => {
    assert.equal(atForwardedRoot('http://localhost:2990/jira/browse/DEMO-1', 'https://cs.example/proxy/2990'), 'https://cs.example/proxy/2990/jira/browse/DEMO-1');
    assert.equal(atForwardedRoot('http://localhost:2990', 'http://localhost:2990/'), 'http://localhost:2990/');
    assert.equal(atForwardedRoot('http://[::1]:8080/?x=1', 'http://localhost:49152/'), 'http://localhost:49152/?x=1');
  });
});
