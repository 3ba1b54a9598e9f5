import * as assert from 'node:assert/strict';
import { defaultFlows } from '../../../src/signin/controller';
import { compareVersions, deploymentKind, flowFits, FlowQuery, methodsOf, orderMethods, recommendedMethods, selectFlows } from '../../../src/signin/flows';

const ids = (q: FlowQuery) => selectFlows(defaultFlows(), q).map((f) => f.id);
const q = (extensionHost: FlowQuery['extensionHost'], deployment: FlowQuery['deployment'], version?: string, hasClientSecret = true): FlowQuery => ({ extensionHost, deployment, version, hasClientSecret });

describe('sign-in flows as data (what works where)', () => {
  it('selects the flows for each window and site (table)', () => {
    const table: Array<[FlowQuery, string[]]> = [
      [q('local', 'server', '9.12.0'), ['oauth1-loopback', 'oauth1-oob', 'oauth2-dc-loopback', 'oauth2-dc-paste', 'pat', 'basic']],
      [q('remote', 'server', '9.12.0'), ['oauth1-uri', 'oauth1-oob', 'oauth2-dc-uri', 'oauth2-dc-paste', 'pat', 'basic']],
      [q('remote', 'server', '8.22.0'), ['oauth1-uri', 'oauth1-oob', 'oauth2-dc-uri', 'oauth2-dc-paste', 'pat', 'basic']],
      [q('remote', 'server', '8.21.9'), ['oauth1-uri', 'oauth1-oob', 'pat', 'basic']],
      [q('remote', 'server', '8.13.0'), ['oauth1-uri', 'oauth1-oob', 'basic']],
      [q('remote', 'server', '9.12.0', false), ['oauth1-uri', 'oauth1-oob', 'pat', 'basic']],
      [q('local', 'cloud'), ['oauth1-loopback', 'oauth1-oob', 'oauth2-cloud-loopback', 'oauth2-cloud-paste', 'apitoken']],
      [q('remote', 'cloud'), ['oauth1-uri', 'oauth1-oob', 'oauth2-cloud-uri', 'oauth2-cloud-paste', 'apitoken']],
      [q('remote', 'cloud', undefined, false), ['oauth1-uri', 'oauth1-oob', 'apitoken']],
    ];
    for (const [query, expected] of table) assert.deepEqual(ids(query), expected, JSON.stringify(query));
  });

  it('keeps the OAuth 1.0a loopback and URI-handler flows out when the code is to be pasted (jira.oauth1.callback "oob", a verifier given)', () => {
    const oob = { oauth1: 'paste' } as const;
    assert.deepEqual(ids({ ...q('local', 'server', '9.12.0'), redirects: oob }), ['oauth1-oob', 'oauth2-dc-loopback', 'oauth2-dc-paste', 'pat', 'basic']);
    assert.deepEqual(ids({ ...q('local', 'cloud'), redirects: oob }), ['oauth1-oob', 'oauth2-cloud-loopback', 'oauth2-cloud-paste', 'apitoken']);
    // ...and the URI-handler flow of remote windows too.
    assert.deepEqual(ids({ ...q('remote', 'server', '9.12.0'), redirects: oob }), ['oauth1-oob', 'oauth2-dc-uri', 'oauth2-dc-paste', 'pat', 'basic']);
  });

  it('jira.oauth2.redirect picks the OAuth 2.0 redirect in any window, with pasting as its fallback', () => {
    const oauth2 = (host: FlowQuery['extensionHost'], redirect: 'loopback' | 'uri' | 'paste') =>
      ids({ ...q(host, 'server', '9.12.0'), redirects: { oauth2: redirect } }).filter((id) => id.startsWith('oauth2'));
    for (const host of ['local', 'remote'] as const) {
      assert.deepEqual(oauth2(host, 'loopback'), ['oauth2-dc-loopback', 'oauth2-dc-paste'], host);
      assert.deepEqual(oauth2(host, 'uri'), ['oauth2-dc-uri', 'oauth2-dc-paste'], host);
      assert.deepEqual(oauth2(host, 'paste'), ['oauth2-dc-paste'], host);
    }
    // The OAuth 2.0 setting leaves OAuth 1.0a to its own.
    assert.deepEqual(ids({ ...q('local', 'server', '9.12.0'), redirects: { oauth2: 'paste' } }).slice(0, 2), ['oauth1-loopback', 'oauth1-oob']);
  });

  it('gives the OAuth 2.0 flows of one deployment the same steps and picker words whatever the redirect', () => {
    for (const deployment of ['server', 'cloud'] as const) {
      const flows = selectFlows(defaultFlows(), q('local', deployment)).filter((f) => f.method === 'oauth2');
      const remote = selectFlows(defaultFlows(), q('remote', deployment)).filter((f) => f.method === 'oauth2');
      for (const f of [...flows, ...remote]) {
        assert.deepEqual([f.steps, f.label, f.detail], [flows[0].steps, flows[0].label, flows[0].detail], f.id);
      }
    }
    assert.deepEqual(defaultFlows().find((f) => f.id === 'oauth2-cloud-uri')?.steps, ['client', 'allowAccess', 'cloudSite']);
    assert.deepEqual(defaultFlows().find((f) => f.id === 'oauth2-dc-uri')?.steps, ['client', 'allowAccess']);
  });

  it('never offers user name and password for Jira Cloud (API token instead)', () => {
    for (const host of ['local', 'remote'] as const) {
      const flows = selectFlows(defaultFlows(), q(host, 'cloud'));
      assert.ok(!flows.some((f) => f.id === 'basic'), host);
      assert.equal(flows.find((f) => f.method === 'basic')?.id, 'apitoken');
    }
  });

  it('offers personal access tokens on Server/Data Center 8.14+ only', () => {
    assert.ok(!ids(q('remote', 'server', '8.13.9')).includes('pat'));
    assert.ok(ids(q('remote', 'server', '8.14.0')).includes('pat'));
    assert.ok(!ids(q('remote', 'cloud')).includes('pat'));
  });

  it('recommends from serverInfo: Cloud, Data Center 8.22+, older', () => {
    assert.deepEqual(recommendedMethods({ deploymentType: 'Cloud' }), ['oauth2', 'basic']);
    assert.deepEqual(recommendedMethods({ deploymentType: 'DataCenter', version: '9.12.0' }), ['oauth2', 'pat', 'oauth1']);
    assert.deepEqual(recommendedMethods({ deploymentType: 'Server', version: '8.22.0' }), ['oauth2', 'pat', 'oauth1']);
    assert.deepEqual(recommendedMethods({ deploymentType: 'Server', version: '8.21.3' }), ['oauth1', 'pat']);
    assert.deepEqual(recommendedMethods({ version: '7.13.0' }), ['oauth1', 'pat']);
  });

  it('orders the picker: recommended first, then the rest, Basic last', () => {
    const flows = selectFlows(defaultFlows(), q('local', 'server', '9.0.0'));
    assert.deepEqual(methodsOf(flows), ['oauth1', 'oauth2', 'pat', 'basic']);
    assert.deepEqual(orderMethods(methodsOf(flows), recommendedMethods({ version: '9.0.0' })), ['oauth2', 'pat', 'oauth1', 'basic']);
    assert.deepEqual(orderMethods(['oauth1', 'pat', 'basic'], recommendedMethods({ version: '8.20.0' })), ['oauth1', 'pat', 'basic']);
    const cloud = selectFlows(defaultFlows(), q('remote', 'cloud'));
    assert.deepEqual(orderMethods(methodsOf(cloud), recommendedMethods({ deploymentType: 'Cloud' })), ['oauth2', 'basic', 'oauth1']);
  });

  it('filters flows that need a client secret', () => {
    const f = { method: 'oauth2', options: { extensionHosts: ['local', 'remote'], deployments: ['cloud'], needsClientSecret: true } } as const;
    assert.equal(flowFits(f, q('local', 'cloud', undefined, false)), false);
    assert.equal(flowFits(f, q('local', 'cloud', undefined, true)), true);
  });

  it('compares Jira versions numerically and maps deployment types', () => {
    assert.equal(compareVersions('8.14.0', '8.9.9'), 1);
    assert.equal(compareVersions('9', '9.0.0'), 0);
    assert.equal(compareVersions('8.13', '8.14.0'), -1);
    assert.equal(deploymentKind({ baseUrl: 'x', deploymentType: 'Cloud' }), 'cloud');
    assert.equal(deploymentKind({ baseUrl: 'x', deploymentType: 'DataCenter' }), 'server');
    assert.equal(deploymentKind({ baseUrl: 'x' }), 'server');
  });

  it('gives every flow a label and a description, and warns that Basic is the weakest', () => {
    for (const f of defaultFlows()) {
      assert.ok(f.label.length > 3, f.id);
      assert.ok(f.detail.length > 10, f.id);
    }
    assert.match(defaultFlows().find((f) => f.id === 'basic')!.detail, /weakest/i);
  });
});
