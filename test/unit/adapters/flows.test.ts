import * as assert from 'node:assert/strict';
import { defaultFlows } from '../../../src/signin/controller';
import { compareVersions, deploymentKind, flowFits, FlowQuery, methodsOf, selectFlows } from '../../../src/signin/flows';

const ids = (q: FlowQuery) => selectFlows(defaultFlows(), q).map((f) => f.id);

describe('sign-in flows as data (what works where)', () => {
  it('offers the loopback callback only where the extension host runs on the user machine', () => {
    assert.deepEqual(ids({ extensionHost: 'local', deployment: 'server', version: '9.12.0', hasClientSecret: false }), ['oauth1-loopback', 'oauth1-oob', 'pat', 'basic']);
    assert.deepEqual(ids({ extensionHost: 'remote', deployment: 'server', version: '9.12.0', hasClientSecret: false }), ['oauth1-oob', 'pat', 'basic']);
    assert.deepEqual(ids({ extensionHost: 'web', deployment: 'server', version: '9.12.0', hasClientSecret: false }), ['oauth1-oob', 'pat', 'basic']);
  });

  it('offers personal access tokens on Server/Data Center 8.14+ only', () => {
    assert.ok(!ids({ extensionHost: 'remote', deployment: 'server', version: '8.13.9', hasClientSecret: false }).includes('pat'));
    assert.ok(ids({ extensionHost: 'remote', deployment: 'server', version: '8.14.0', hasClientSecret: false }).includes('pat'));
    assert.ok(!ids({ extensionHost: 'remote', deployment: 'cloud', hasClientSecret: false }).includes('pat'));
  });

  it('groups flows by method for the picker, keeping preference order', () => {
    const flows = selectFlows(defaultFlows(), { extensionHost: 'local', deployment: 'server', version: '9.0.0', hasClientSecret: false });
    assert.deepEqual(methodsOf(flows), ['oauth1', 'pat', 'basic']);
  });

  it('filters flows that need a client secret', () => {
    const f = { extensionHosts: ['local', 'remote'] as const, deployments: ['cloud'] as const, needsClientSecret: true };
    assert.equal(flowFits(f, { extensionHost: 'local', deployment: 'cloud', hasClientSecret: false }), false);
    assert.equal(flowFits(f, { extensionHost: 'local', deployment: 'cloud', hasClientSecret: true }), true);
  });

  it('compares Jira versions numerically and maps deployment types', () => {
    assert.equal(compareVersions('8.14.0', '8.9.9'), 1);
    assert.equal(compareVersions('9', '9.0.0'), 0);
    assert.equal(compareVersions('8.13', '8.14.0'), -1);
    assert.equal(deploymentKind({ baseUrl: 'x', deploymentType: 'Cloud' }), 'cloud');
    assert.equal(deploymentKind({ baseUrl: 'x', deploymentType: 'DataCenter' }), 'server');
    assert.equal(deploymentKind({ baseUrl: 'x' }), 'server');
  });

  it('gives every flow a label and a description', () => {
    for (const f of defaultFlows()) {
      assert.ok(f.label.length > 3, f.id);
      assert.ok(f.detail.length > 10, f.id);
    }
  });
});
