// `npm run bench`: the performance benchmarks, side by side in one run (see docs/performance.md).
// package.json builds first (`npm run build`, `npm run compile-tests`: the TypeScript benchmarks in
// bench/*.ts are compiled to out/bench/); this script then
//   1. finds a Python with requests_oauthlib, installing Debian's python3-requests-oauthlib with
//      apt-get when it is missing and we are root (else it says what to install),
//   2. builds the production bundle and the VSIX (`npm run package`),
//   3. runs each benchmark in its own process, one after the other:
//        out/bench/sign.js     sign_vs_crypto_sign, sign_speedup_vs_requests_oauthlib
//        out/bench/keygen.js   keygen4096_max_event_loop_lag_ms
//        out/bench/paging.js   paging_heap_growth, search_first_page_ms, first-render requests
//        out/bench/tls.js      https GET: new connection + TLS context per request vs pooled (info)
//        out/bench/sanitize.js sanitize_adversarial_ms (issue-detail sanitiser, 1 MiB adversarial inputs)
//        bench/activate.mjs    activate_ms (code-server + headless Chromium), activation requests
//   4. writes bench/results/latest.json (git-ignored) and prints one `metric <name> <value> <unit>`
//      line per metric, last.
// Exit code: 0 when every goal is met (a metric that could not be measured, such as the Python
// comparison without Python, is reported as `unavailable` and is not a failure), 1 when a goal is
// missed (named on stderr), 2 when a benchmark crashed.
//
//   node bench/run.mjs [--only sign,keygen,paging,tls,sanitize,activate,bundle] [--no-install] [--no-package]
//                      [--wait-quiet SECONDS]     (or BENCH_WAIT_QUIET; for shared machines)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const OUT = join(ROOT, 'out', 'bench');
const argv = process.argv.slice(2);
const value = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const ONLY = value('--only')?.split(',').map((s) => s.trim());
const wanted = (name) => !ONLY || ONLY.includes(name);
const NO_INSTALL = argv.includes('--no-install') || !!process.env.BENCH_NO_INSTALL;
const NO_PACKAGE = argv.includes('--no-package');
// On a shared machine: before each timing-sensitive benchmark, wait (up to this many seconds) for
// the 1-minute load average to drop below the number of CPUs.
const WAIT_QUIET_S = Number(value('--wait-quiet') ?? process.env.BENCH_WAIT_QUIET ?? 0);

const log = (m) => process.stderr.write(`[bench] ${m}\n`);

// ---------------------------------------------------------------------------------------------
// Python and requests_oauthlib

const PY_MODULES = 'import requests, requests_oauthlib, oauthlib, jwt, cryptography';

function findPython() {
  // Debian's packages go to /usr/bin/python3's dist-packages; a pyenv or venv python3 on PATH does not see them.
  const candidates = [...new Set([process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean))];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', PY_MODULES], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

function ensurePython() {
  let py = findPython();
  if (py) return { python: py };
  const howTo = 'Debian/Ubuntu: `apt-get install python3-requests-oauthlib` (pulls oauthlib, PyJWT and cryptography); ' +
    'elsewhere: `pip install requests-oauthlib PyJWT cryptography`, then BENCH_PYTHON=/path/to/python3 npm run bench';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (NO_INSTALL || !isRoot || !hasApt) {
    const why = NO_INSTALL ? 'installing is disabled (--no-install)' : !hasApt ? 'apt-get is not available' : 'not root';
    log(`Python's requests_oauthlib is not installed and ${why}. To compare with it: ${howTo}`);
    return { python: undefined, reason: `requests_oauthlib not installed, ${why}: see above` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-requests-oauthlib'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  log("Python's requests_oauthlib is missing: running `apt-get install -y --no-install-recommends python3-requests-oauthlib` (Debian's requests-oauthlib with oauthlib, PyJWT, cryptography)");
  let r = install();
  if (r.status !== 0) {
    log('apt-get install failed; running `apt-get update` and trying again');
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    r = install();
  }
  py = findPython();
  if (py) {
    log(`installed; using ${py}`);
    return { python: py, installed: true };
  }
  log(`could not install python3-requests-oauthlib. To compare with it: ${howTo}`);
  return { python: undefined, reason: 'apt-get install python3-requests-oauthlib failed: see above' };
}

// ---------------------------------------------------------------------------------------------
// Running the benchmarks

/** Runs one benchmark process; its progress goes to stderr, its result is the `RESULT {json}` line. */
function runBench(name, args, { nodeArgs = [], command = process.execPath } = {}) {
  return new Promise((resolve) => {
    log(`${name}: ${[...nodeArgs, ...args].map((a) => a.replace(ROOT + '/', '')).join(' ')}`);
    const started = Date.now();
    const load = os.loadavg().map((v) => Number(v.toFixed(2)));
    const child = spawn(command, [...nodeArgs, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const line = out.split('\n').reverse().find((l) => l.startsWith('RESULT '));
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code === 0 && line) {
        log(`${name}: done in ${seconds} s`);
        resolve({ ...JSON.parse(line.slice(7)), load_average_before: load, seconds });
      } else {
        log(`${name}: FAILED (exit ${code}) after ${seconds} s`);
        resolve({ error: `exit ${code}`, output: out.slice(-2000), load_average_before: load });
      }
    });
  });
}

async function waitQuiet(what) {
  if (!WAIT_QUIET_S) return;
  const limit = os.cpus().length;
  const deadline = Date.now() + WAIT_QUIET_S * 1000;
  let said = false;
  while (os.loadavg()[0] >= limit && Date.now() < deadline) {
    if (!said) log(`${what}: waiting (up to ${WAIT_QUIET_S} s) for the load average (${os.loadavg()[0].toFixed(2)}) to drop below ${limit}`);
    said = true;
    await new Promise((r) => setTimeout(r, 5000));
  }
  if (said) log(`${what}: load average now ${os.loadavg()[0].toFixed(2)}`);
}

function npmRun(script) {
  const r = spawnSync('npm', ['run', '-s', script], { cwd: ROOT, encoding: 'utf8' });
  // eslint-disable-next-line no-control-regex
  const lines = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim() && !/^npm warn/i.test(l));
  return { ok: r.status === 0, tail: lines.slice(-3).join('\n') };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model?.trim(),
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    load_average_start: os.loadavg().map((v) => Number(v.toFixed(2))),
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const info = machine();
  log(`machine: ${info.cpus} x ${info.cpu_model}, ${info.memory_gb} GB, ${info.os}, Node ${info.node}, load average ${info.load_average_start.join(' ')}`);
  if (!existsSync(join(OUT, 'sign.js'))) {
    log('out/bench/*.js is missing: run "npm run compile-tests" (npm run bench does) first');
    process.exit(2);
  }
  const results = { machine: info };

  if (wanted('sign')) results.python = ensurePython();

  if (wanted('bundle') || wanted('activate')) {
    if (!NO_PACKAGE) {
      log('package: npm run package (production bundle dist/extension.js, jira-auth.vsix)');
      const p = npmRun('package');
      if (!p.ok) {
        log(`package FAILED:\n${p.tail}`);
        results.package = { error: p.tail };
      } else log(`package: ${p.tail.split('\n').pop()}`);
    }
    const bundle = join(ROOT, 'dist', 'extension.js');
    const vsix = join(ROOT, 'jira-auth.vsix');
    // The parts loaded on first use (esbuild.js LAZY: sign-in, issue detail, core) are reported too.
    const parts = ['signin.js', 'detail.js', 'core.js'].map((f) => join(ROOT, 'dist', f)).filter((f) => existsSync(f));
    results.bundle = {
      bundle_bytes: existsSync(bundle) ? statSync(bundle).size : undefined,
      dist_bytes: existsSync(bundle) ? statSync(bundle).size + parts.reduce((n, f) => n + statSync(f).size, 0) : undefined,
      vsix_bytes: existsSync(vsix) ? statSync(vsix).size : undefined,
    };
  }

  // One at a time, the most timing-sensitive first.
  if (wanted('sign')) await waitQuiet('sign');
  if (wanted('sign')) results.sign = await runBench('sign', [join(OUT, 'sign.js'), ...(results.python?.python ? ['--python', results.python.python] : [])]);
  if (wanted('keygen')) await waitQuiet('keygen');
  if (wanted('keygen')) results.keygen = await runBench('keygen', [join(OUT, 'keygen.js')]);
  if (wanted('paging')) results.paging = await runBench('paging', [join(OUT, 'paging.js')], { nodeArgs: ['--expose-gc'] });
  if (wanted('tls')) results.tls = await runBench('tls', [join(OUT, 'tls.js')]);
  if (wanted('sanitize')) await waitQuiet('sanitize');
  if (wanted('sanitize')) results.sanitize = await runBench('sanitize', [join(OUT, 'sanitize.js')]);
  if (wanted('activate')) await waitQuiet('activate');
  if (wanted('activate')) results.activate = await runBench('activate', [join(BENCH, 'activate.mjs'), '--vsix', join(ROOT, 'jira-auth.vsix')]);
  results.machine.load_average_end = os.loadavg().map((v) => Number(v.toFixed(2)));

  // name, value, unit, goal (undefined: informational), why unavailable
  const metrics = [];
  const add = (name, v, unit, goal, missing) => metrics.push({ name, value: v, unit, goal, missing });
  const s = results.sign;
  if (s) {
    add('sign_vs_crypto_sign', s.sign_vs_crypto_sign, 'ratio', { max: 1.05 }, s.error);
    const o = s.oauthlib;
    const pyMissing = !results.python?.python ? results.python?.reason : o?.error ? o.error : o && !o.signatures_match ? `signatures differ (${o.identical_signatures})` : s.error;
    add('sign_speedup_vs_requests_oauthlib', pyMissing ? undefined : o?.speedup, 'ratio', { min: 30 }, pyMissing ?? (o ? undefined : 'not measured'));
  }
  const k = results.keygen;
  if (k) add('keygen4096_max_event_loop_lag_ms', k.keygen4096_max_event_loop_lag_ms, 'ms', { max: 20 }, k.error);
  const a = results.activate;
  if (a) {
    add('activate_ms', a.activate_ms, 'ms', { max: 15 }, a.error);
    add('activate_vscode_ms', a.activate_vscode_ms, 'ms', undefined, a.error);
    add('activate_require_vscode_ms', a.require_vscode_ms_median, 'ms', undefined, a.error);
    add('after_activate_ms', a.after_activate_ms_median, 'ms', undefined, a.error);
    add('activation_network_requests', a.activation_requests, 'requests', { max: 0 }, a.error);
  }
  const p = results.paging;
  if (p) {
    add('paging_heap_growth', p.paging_heap_growth, 'ratio', { max: 1.5 }, p.error);
    add('search_first_page_ms', p.search_first_page_ms, 'ms', undefined, p.error);
    add('first_render_requests_issues_view', p.first_render_requests?.issues, 'requests', { max: 1, min: 1 }, p.error);
    add('first_render_requests_filters_view', p.first_render_requests?.filters, 'requests', { max: 1, min: 1 }, p.error);
  }
  const t = results.tls;
  if (t) {
    add('https_get_fresh_connection_ms', t.https_get_fresh_connection_ms, 'ms', undefined, t.error);
    add('https_post_own_connection_ms', t.https_post_own_connection_ms, 'ms', undefined, t.error);
    add('https_get_pooled_ms', t.https_get_pooled_ms, 'ms', undefined, t.error);
    add('https_get_pooled_system_ca_ms', t.https_get_pooled_system_ca_ms, 'ms', undefined, t.error);
    add('tls_context_default_ms', t.tls_context_default_ms, 'ms', undefined, t.error);
    add('tls_context_system_ms', t.tls_context_system_ms, 'ms', undefined, t.error);
    add('default_path_direct_own_ms', t.default_path_direct_own_ms, 'ms', undefined, t.error);
    add('default_path_direct_vscode_ms', t.default_path_direct_vscode_ms, 'ms', undefined, t.error);
    add('default_path_proxy_own_ms', t.default_path_proxy_own_ms, 'ms', undefined, t.error);
    add('default_path_proxy_vscode_ms', t.default_path_proxy_vscode_ms, 'ms', undefined, t.error);
  }
  const z = results.sanitize;
  if (z) add('sanitize_adversarial_ms', z.sanitize_adversarial_ms, 'ms', { max: 200 }, z.error);
  const b = results.bundle;
  if (b) {
    add('bundle_bytes', b.bundle_bytes, 'bytes', { max: 204800 }, b.bundle_bytes === undefined ? 'dist/extension.js missing' : undefined);
    add('dist_bytes', b.dist_bytes, 'bytes', undefined, b.dist_bytes === undefined ? 'dist/extension.js missing' : undefined);
    add('vsix_bytes', b.vsix_bytes, 'bytes', undefined, b.vsix_bytes === undefined ? 'jira-auth.vsix missing' : undefined);
  }

  const missed = [];
  const crashed = [];
  for (const m of metrics) {
    if (m.value === undefined || m.value === null || Number.isNaN(m.value)) {
      m.status = 'unavailable';
      if (!/requests_oauthlib/.test(m.name) || !results.python || results.python.python) crashed.push(m.name);
      continue;
    }
    if (!m.goal) { m.status = 'info'; continue; }
    const ok = (m.goal.max === undefined || m.value <= m.goal.max) && (m.goal.min === undefined || m.value >= m.goal.min);
    m.status = ok ? 'met' : 'MISSED';
    if (!ok) missed.push(m);
  }
  results.metrics = metrics;
  const dir = join(BENCH, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');

  const goalText = (g) => (!g ? '(info)' : g.min !== undefined && g.max !== undefined && g.min === g.max ? `== ${g.max}` : g.max !== undefined ? `<= ${g.max}` : `>= ${g.min}`);
  process.stdout.write('\n');
  for (const m of metrics) {
    process.stdout.write(`  ${m.name.padEnd(36)} ${String(m.value ?? 'unavailable').padStart(12)} ${m.unit.padEnd(8)} ${goalText(m.goal).padEnd(10)} ${m.status}${m.missing ? `  (${m.missing})` : ''}\n`);
  }
  process.stdout.write(`  results: bench/results/latest.json\n\n`);
  if (missed.length) process.stderr.write(`[bench] goals MISSED: ${missed.map((m) => `${m.name} ${m.value} ${m.unit} (goal ${goalText(m.goal)})`).join('; ')}\n`);
  if (crashed.length) process.stderr.write(`[bench] not measured because a benchmark failed: ${crashed.join(', ')}\n`);
  for (const m of metrics) process.stdout.write(`metric ${m.name} ${m.value ?? 'unavailable'} ${m.unit}\n`);
  process.exitCode = crashed.length ? 2 : missed.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
