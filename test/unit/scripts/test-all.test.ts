// `npm test` must fail when a test fails: run the real scripts/test-all.mjs on a passing and on a
// failing spec and check its exit code and closing line.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

function runUnitStep(specBody: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'jira-test-all-'));
  const spec = join(dir, 'probe.test.js');
  writeFileSync(spec, `const assert = require('node:assert/strict');\n${specBody}\n`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-all.mjs')], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, JIRA_TEST_STEPS: 'unit', JIRA_TEST_UNIT_SPEC: spec },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('npm test (scripts/test-all.mjs)', () => {
  it('exits 0 and counts the tests when they pass', () => {
    const r = runUnitStep("it('adds', () => assert.equal(1 + 1, 2));");
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^tests: 1 passed, 0 failed$/m);
  });

  it('exits non-zero and names the step when a test fails', () => {
    const r = runUnitStep("it('adds wrongly', () => assert.equal(1 + 1, 3));");
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /^tests: 0 passed, 1 failed$/m);
    assert.match(r.out, /^failed steps: unit$/m);
  });
});
