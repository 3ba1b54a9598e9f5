// `npm test`: build, lint, typecheck, unit tests (plain Node: this Node and Node 16), integration tests (inside a real
// VS Code extension host) and browser E2E tests (the real VS Code UI). Every step runs even if an
// earlier one failed, so one run shows everything; the exit code is non-zero if any step failed.
// The last line totals the tests: "tests: N passed, N failed".
import { spawn } from 'node:child_process';

const steps = [
  ['build', ['npm', 'run', '-s', 'build']],
  ['compile tests', ['npm', 'run', '-s', 'compile-tests']],
  ['lint', ['npx', 'eslint', '.']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  // JIRA_TEST_UNIT_SPEC replaces the unit suite by one file: test/unit/scripts uses it to prove that
  // a failing test makes `npm test` fail.
  ['unit', process.env.JIRA_TEST_UNIT_SPEC ? ['npx', 'mocha', '--no-config', process.env.JIRA_TEST_UNIT_SPEC] : ['npx', 'mocha', '--config', '.mocharc.json']],
  // The same unit tests on Node 16, the extension host of VS Code 1.74 (the engines floor) to 1.81.
  ['unit (Node 16)', ['node', 'scripts/run-unit-node16.mjs']],
  ['integration', ['node', 'scripts/run-integration.mjs']],
  ['e2e', ['node', 'scripts/run-e2e.mjs']],
];

function run(cmd) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const results = [];
let passed = 0, failed = 0;
const only = process.env.JIRA_TEST_STEPS?.split(',');
for (const [name, cmd] of steps) {
  if (only && !only.includes(name)) continue;
  const started = Date.now();
  process.stdout.write(`\n=== ${name}: ${cmd.join(' ')}\n`);
  const { code, out } = await run(cmd);
  // mocha's spec reporter: "  12 passing (3s)" / "  1 failing"
  const p = [...out.matchAll(/^\s*(\d+) passing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  const f = [...out.matchAll(/^\s*(\d+) failing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  passed += p; failed += f;
  results.push({ name, code, p, f, s: ((Date.now() - started) / 1000).toFixed(0) });
}

console.log('\n=== summary');
for (const r of results) {
  const counts = r.p || r.f ? ` (${r.p} passed, ${r.f} failed)` : '';
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name.padEnd(14)} ${r.s.padStart(4)}s${counts}`);
}
const bad = results.filter((r) => r.code !== 0);
if (bad.length) console.log(`failed steps: ${bad.map((r) => r.name).join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(bad.length ? 1 : 0);
