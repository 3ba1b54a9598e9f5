// Drives the real VS Code UI (code-server) in headless Chromium with playwright-core, against the
// Jira emulator. One code-server serves the whole E2E run (a second one, with --locale zh-cn, the
// journeys in the Chinese UI; each started lazily, stopped by the root
// hook below); every `launch()` opens a fresh browser profile (SecretStorage and globalState live
// in the browser in a web workbench, so a fresh profile starts signed out) and its own emulator.
//
// Environment (set by scripts/run-e2e.mjs, which installs code-server and Chromium):
//   JIRA_E2E_CODE_SERVER  code-server launcher        JIRA_E2E_BROWSER  Chromium executable
//   JIRA_E2E_NODE24_BIN   Node 24 bin directory        JIRA_E2E_EXTENSIONS  extensions dir with the VSIX installed
//   JIRA_E2E_USER_DATA    code-server user-data dir    JIRA_E2E_SCREENSHOTS  where screenshots go
//   JIRA_E2E_USER_DATA_ZH_CN  the Chinese server's, with the zh-cn language pack registered
//   JIRA_E2E_FONTCONFIG_ZH_CN  a fontconfig file with a CJK font, for Chromium in the Chinese UI
import { spawn, ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, BrowserContext, Locator, Page } from 'playwright-core';
import { startEmulator, Emulator, EmulatorOptions } from '../emulator';
import { makePki, opensslMissing, Pki } from '../unit/support/netFixtures';

export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the E2E tests with "npm run test:e2e", which installs and locates VS Code (code-server) and Chromium.`);
  return v;
}

interface Server { url: string; child: ChildProcess; logFile: string; workspace: string }
/** The VS Code display languages a journey can ask for: English, or Chinese (Simplified). */
export type Locale = 'en' | 'zh-cn';
const servers = new Map<Locale, Promise<Server>>();
function serverFor(locale: Locale): Promise<Server> {
  let s = servers.get(locale);
  if (!s) servers.set(locale, s = startServer(locale));
  return s;
}

/**
 * A company CA that only the operating system's trust store of this VS Code holds (seeded before
 * any journey): code-server starts with SSL_CERT_FILE naming the system's CA bundle plus this CA,
 * which is where OpenSSL, and Node's reader of the system store (tls.getCACertificates('system')),
 * find the store on Linux. Node's own CA list does not have it. Undefined without openssl.
 */
let companyCa: Pki | null | undefined;
export function osTrustedCa(): Pki | undefined {
  if (companyCa === undefined) companyCa = opensslMissing() ? null : makePki();
  return companyCa ?? undefined;
}

/** The system's CA bundle plus the company CA, for SSL_CERT_FILE; {} without openssl. */
function osTrustStore(runDir: string): Record<string, string> {
  const ca = osTrustedCa();
  if (!ca) return {};
  const bundle = join(runDir, 'system-ca-bundle.crt');
  const system = existsSync('/etc/ssl/certs/ca-certificates.crt') ? readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8') : '';
  writeFileSync(bundle, `${system}\n${ca.read(ca.caCertFile)}`);
  return { SSL_CERT_FILE: bundle };
}

/**
 * code-server for `locale`. The Chinese one has its own user data, where run-e2e.mjs registered the
 * zh-cn language pack (scripts/lib/zh-cn.mjs), and starts with --locale zh-cn, as
 * `npm run sandbox -- --locale zh-cn` does.
 */
async function startServer(locale: Locale): Promise<Server> {
  const userData = locale === 'zh-cn' ? env('JIRA_E2E_USER_DATA_ZH_CN') : env('JIRA_E2E_USER_DATA');
  const runDir = mkdtempSync(join(userData, '..', 'e2e-run-'));
  for (const d of ['home', 'tmp']) mkdirSync(join(runDir, d), { recursive: true });
  // The workspace folder lives outside this git checkout, or VS Code offers to open the parent repository.
  const workspace = mkdtempSync(join(tmpdir(), 'jira-e2e-workspace-'));
  const logFile = join(runDir, 'code-server.log');
  const out = openSync(logFile, 'w');
  const child = spawn(env('JIRA_E2E_CODE_SERVER'), ['--bind-addr', '127.0.0.1:0', '--auth', 'none',
    '--user-data-dir', userData, '--extensions-dir', env('JIRA_E2E_EXTENSIONS'), '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--reconnection-grace-time', '10', ...(locale === 'en' ? [] : ['--locale', locale])], {
    env: { ...process.env, PATH: `${env('JIRA_E2E_NODE24_BIN')}:${process.env.PATH}`, HOME: join(runDir, 'home'), TMPDIR: join(runDir, 'tmp'), ...osTrustStore(runDir) },
    detached: true, stdio: ['ignore', out, out],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(readFileSync(logFile, 'utf8'));
    if (m) {
      const url = m[0];
      for (;;) {
        // e2e-guard: start: waits until code-server is up, before any journey.
        try { if ((await fetch(`${url}/healthz`)).ok) return { url, child, logFile, workspace }; } catch { /* starting */ }
        if (Date.now() > deadline) throw new Error(`code-server not healthy in 60 s; see ${logFile}`);
        await sleep(100);
      }
    }
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s; see ${logFile}`);
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> { return new Promise((r) => setTimeout(r, ms)); }

const openPages = new Set<Page>();

async function screenshotTo(name: string, target: Page): Promise<void> {
  const dir = process.env.JIRA_E2E_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await target.screenshot({ path: join(dir, `${name}.png`) });
}

/** What a user does in a VS Code page: the palette, quick inputs, notifications, dialogs, the browser tabs it opens. */
export interface Ui {
  page: Page;
  context: BrowserContext;
  /** code-server's address. */
  url: string;
  quickInput: Locator;
  runCommand(title: string): Promise<void>;
  waitForQuickInput(text: string | RegExp): Promise<void>;
  pick(label: string | RegExp): Promise<void>;
  submit(text: string): Promise<void>;
  /** A toast that appeared since the last command was run (an older one may still be showing). */
  notification(text: string | RegExp): Promise<string>;
  modalButton(label: string | RegExp): Promise<void>;
  clipboard(): Promise<string>;
  waitForPage(trigger?: () => Promise<unknown>): Promise<Page>;
  screenshot(name: string, page?: Page): Promise<void>;
}

/** A journey's workbench: its own browser profile and its own emulator. */
export interface Workbench extends Ui {
  emulator: Emulator;
  /** Further Jira sites of the journey (launch's `moreSites`), e.g. one with the context path /jira. */
  moreSites: Emulator[];
  close(): Promise<void>;
}

/**
 * Every emulator of this E2E run with its options, in launch order: zz-secret-scan.e2e.ts reads
 * what they issued (tokens, secrets, PATs, passwords) and scans what the run left on disk.
 */
export const launched: Array<{ name: string; options: EmulatorOptions; emulator: Emulator }> = [];

export async function launch(opts: { emulator?: EmulatorOptions; name?: string; locale?: Locale; moreSites?: EmulatorOptions[] } = {}): Promise<Workbench> {
  const locale = opts.locale ?? 'en';
  const srv = await serverFor(locale);
  const name = opts.name ?? 'journey';
  const emulator = await startSite(name, opts.emulator);
  const moreSites: Emulator[] = [];
  for (const [i, site] of (opts.moreSites ?? []).entries()) moreSites.push(await startSite(`${name}-site${i + 2}`, site));
  const closeSites = async () => {
    for (const e of [emulator, ...moreSites]) await e.close();
  };
  const profile = mkdtempSync(join(env('JIRA_E2E_USER_DATA'), '..', `e2e-browser-${(opts.name ?? 'journey').replace(/\W+/g, '-')}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env('JIRA_E2E_BROWSER'), headless: true, args: BROWSER_ARGS, viewport: { width: 1280, height: 800 },
    // The browser's own language follows the window's; Chinese text needs a CJK font, which a
    // fresh machine lacks: run-e2e.mjs installs one from npm and names it in a fontconfig file.
    locale: locale === 'zh-cn' ? 'zh-CN' : 'en-US',
    ...(locale === 'zh-cn' ? { env: { ...process.env, FONTCONFIG_FILE: env('JIRA_E2E_FONTCONFIG_ZH_CN') } } : {}),
  });
  const page = context.pages()[0] ?? await context.newPage();
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    // e2e-guard: start: the user opens VS Code at the address code-server serves.
    await page.goto(`${srv.url}/?folder=${encodeURIComponent(srv.workspace)}`);
    // The palette only knows the extension's commands once the extension host registered them:
    // wait for the Jira view container that the extension contributes.
    await page.locator('.activitybar .action-item a[aria-label^="Jira"]').first().waitFor({ timeout: 60_000 });
  } catch (e) {
    await screenshotTo(`launch-failed-${opts.name ?? 'journey'}`, page).catch(() => undefined);
    await context.close().catch(() => undefined);
    await closeSites();
    throw new Error(`VS Code did not show the Jira view container (is the extension installed and activating? see ${srv.logFile}): ${(e as Error).message}`);
  }
  openPages.add(page);
  return {
    ...ui(page, context, srv.url),
    emulator,
    moreSites,
    async close() {
      openPages.delete(page);
      await context.close().catch(() => undefined);
      await closeSites();
      // The profile (globalState and SecretStorage of the web workbench live in its IndexedDB and
      // Local Storage) is kept for zz-secret-scan.e2e.ts; run-e2e.mjs removes e2e-browser-* at the next run.
    },
  };
}

/**
 * A Jira site of a journey (the emulator on the code-server machine's loopback), seeded with its
 * options before the journey starts, e.g. `{ contextPath: '/jira' }` for a Jira served under /jira.
 */
async function startSite(name: string, options: EmulatorOptions = {}): Promise<Emulator> {
  // e2e-guard: fixture: each journey's Jira, seeded with its options before the journey starts.
  const emulator = await startEmulator({ port: 0, ...options });
  launched.push({ name, options: { ...options }, emulator });
  return emulator;
}

/**
 * Marks the toasts showing now as seen before a command runs: an info toast stays for about 15 s,
 * so "Signed in to …" from the last sign-in would otherwise answer for the one the command makes.
 */
async function markToastsSeen(page: Page): Promise<void> {
  await page.evaluate(`document.querySelectorAll('.notification-toast').forEach((t) => t.setAttribute('data-e2e-seen', ''))`);
}

/** The user's hands on a VS Code page that is open in `context` (code-server at `url`). */
export function ui(page: Page, context: BrowserContext, url: string): Ui {
  const quickInput = page.locator('.quick-input-widget .quick-input-box input');
  const wb: Ui = {
    page, context, url, quickInput,
    async runCommand(title) {
      await markToastsSeen(page);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        try {
          await quickInput.waitFor({ timeout: 10_000 });
          await quickInput.fill(`>${title}`);
          await row.waitFor({ timeout: 10_000 });
          break;
        } catch (err) {
          // A webview (the issue detail) that still held the keyboard focus can take it back and
          // close the palette as it opens; the user opens it again.
          if (attempt === 3) throw err;
        }
      }
      await quickInput.press('Enter');
    },
    async waitForQuickInput(text) {
      await page.locator('.quick-input-widget:visible', { hasText: text }).first().waitFor();
    },
    async pick(label) {
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor();
      await row.click();
    },
    async submit(text) {
      await quickInput.waitFor();
      await quickInput.fill(text);
      await quickInput.press('Enter');
    },
    async notification(text) {
      const toast = page.locator('.notification-toast:not([data-e2e-seen])', { hasText: text }).first();
      try {
        await toast.waitFor({ timeout: 15_000 });
        return await toast.innerText();
      } catch {
        await wb.runCommand('Notifications: Show Notifications');
        const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
        await item.waitFor({ timeout: 5_000 });
        return item.innerText();
      }
    },
    async modalButton(label) {
      const button = page.locator('.monaco-dialog-box .dialog-buttons a, .monaco-dialog-box .dialog-buttons button', { hasText: label }).first();
      await button.waitFor();
      await button.click();
    },
    async clipboard() {
      return page.evaluate('navigator.clipboard.readText()') as Promise<string>;
    },
    async waitForPage(trigger) {
      const next = context.waitForEvent('page');
      if (trigger) await trigger();
      // code-server asks before opening an external site; answer as a user would.
      const open = page.locator('.monaco-dialog-box .dialog-buttons', { hasText: 'Open' });
      const opened = await Promise.race([next.then((p) => ({ p })), open.waitFor({ timeout: 15_000 }).then(() => undefined, () => undefined)]);
      if (opened) return opened.p;
      await wb.modalButton(/^Open$/);
      const p = await next;
      await p.waitForLoadState();
      return p;
    },
    async screenshot(name, target = page) {
      await screenshotTo(name, target);
    },
  };
  return wb;
}

/**
 * Where code-server's port forwarding serves the emulator: the extension host runs on the
 * code-server machine, so a Jira on its loopback opens at http://<code-server>/proxy/<port>/...
 * (src/ui/pageRoute.ts). Journeys assert that the pages they click were opened there.
 */
export function forwarded(wb: Workbench, path = '', site: Emulator = wb.emulator): string {
  return forwardedAt(wb.url, site.url, path);
}

/** forwarded() for code-server at `codeServerUrl` and the Jira site at `siteUrl` (its context path kept). */
export function forwardedAt(codeServerUrl: string, siteUrl: string, path = ''): string {
  const site = new URL(siteUrl);
  return `${codeServerUrl}/proxy/${site.port}${site.pathname.replace(/\/$/, '')}${path}`;
}

/**
 * Runs the command whose palette label is exactly `title` (the harness presses Enter on the first
 * row, which may be another match such as "Jira: Continue Sign-In" for "Jira: Sign In").
 */
export async function runExact(wb: Ui, title: string): Promise<void> {
  await markToastsSeen(wb.page);
  await wb.page.keyboard.press('Escape');
  await wb.page.keyboard.press('F1');
  await wb.quickInput.waitFor();
  await wb.quickInput.fill(`>${title}`);
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = wb.page.locator('.quick-input-list .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: exact }) }).first();
  await row.waitFor();
  await row.click();
}

/**
 * Sets (or, with undefined, removes) settings in the server's user and machine settings files;
 * VS Code picks the change up within a second or so. Machine-scoped settings (client
 * certificates) only count in the machine file of a remote window, so both are written.
 */
export function writeServerSettings(patch: Record<string, unknown>): void {
  const userData = env('JIRA_E2E_USER_DATA');
  for (const dir of ['User', 'Machine']) {
    const file = join(userData, dir, 'settings.json');
    mkdirSync(join(userData, dir), { recursive: true });
    let current: Record<string, unknown> = {};
    if (existsSync(file)) {
      try {
        current = JSON.parse(readFileSync(file, 'utf8') || '{}');
      } catch {
        current = {};
      }
    }
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete current[key];
      else current[key] = value;
    }
    writeFileSync(file, JSON.stringify(current, null, 2));
  }
}

/** A view pane of the side bar by its title ("My Issues", "Filters"). */
export function pane(page: Page, title: string): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) }).first();
}

/**
 * A README screenshot: of the workbench once the extension's progress notifications are gone, or
 * of another page (a browser tab) as it is; quick inputs and toasts finish their animations first.
 */
export async function shot(wb: Ui, name: string, page?: Page): Promise<void> {
  if (!page) await progressDone(wb);
  await (page ?? wb.page).waitForTimeout(400);
  await wb.screenshot(name, page);
}

/** Waits until no progress notification of the extension is showing (for clean screenshots). */
export async function progressDone(wb: Ui): Promise<void> {
  // In English and in the Chinese UI (来源 = Source, 取消 = Cancel: VS Code's own words).
  const busy = wb.page.locator('.notification-toast', { hasText: /(Source|来源): Jira Auth/ }).filter({ has: wb.page.locator('.monaco-button', { hasText: /^(Cancel|取消)$/ }) });
  for (let i = 0; i < 50 && (await busy.count()) > 0; i++) await wb.page.waitForTimeout(100);
}

/** A tidy window for the screenshots: no editors, no secondary side bar, the Jira view open. */
export async function tidy(wb: Ui): Promise<void> {
  await wb.runCommand('View: Close All Editors');
  if (await wb.page.locator('.part.auxiliarybar').isVisible()) await wb.page.keyboard.press('Control+Alt+B');
  // Clicking the view container's icon toggles it: open it only when it is not showing.
  const jiraView = wb.page.locator('.part.sidebar .composite.title', { hasText: /^Jira/ }).first();
  if (!(await jiraView.isVisible())) await wb.page.locator('.activitybar .action-item a[aria-label^="Jira"]').first().click();
  await jiraView.waitFor();
}

export function quickInputTitle(wb: Ui, text: string | RegExp) {
  return wb.page.locator('.quick-input-widget:visible .quick-input-title', { hasText: text }).first();
}

/** The validation message under the input box. */
export async function inputMessage(wb: Ui, text: RegExp): Promise<string> {
  const msg = wb.page.locator('.quick-input-widget:visible .quick-input-message', { hasText: text }).first();
  await msg.waitFor();
  return msg.innerText();
}

/**
 * "Jira: Sign In" from the command palette with the emulator as the base URL; `answer` goes through
 * the chosen method's own steps. Resolves once signed in as the emulator's admin: the "Signed in"
 * toast, or the account in the status bar (toasts can be missed under load).
 */
export async function signInThroughUi(wb: Workbench, answer: () => Promise<void>): Promise<void> {
  await wb.runCommand('Jira: Sign In');
  await wb.waitForQuickInput(/Base URL/i);
  await wb.submit(wb.emulator.url);
  await answer();
  await Promise.any([
    wb.notification(/Signed in to/),
    wb.page.locator('.statusbar-item', { hasText: 'Alice Admin' }).first().waitFor({ timeout: 30_000 }),
  ]);
}

/**
 * The steps of a method that asks for secrets in input boxes, for signInThroughUi: picks `method`,
 * then answers each box, found by its title ("…: e-mail"). By title, not by any text: the method
 * picker, still closing, has the same words in its rows ("Personal Access Token", "your Atlassian
 * account e-mail"), and what is typed into it is lost (seen on a busy machine, twice).
 */
function withInputs(wb: Workbench, method: RegExp, answers: Array<[title: RegExp, value: string]>): () => Promise<void> {
  return async () => {
    await wb.pick(method);
    for (const [title, value] of answers) {
      await quickInputTitle(wb, title).waitFor();
      await wb.submit(value);
    }
  };
}

/** The personal access token steps of signInThroughUi. */
export function withPersonalAccessToken(wb: Workbench, token: string): () => Promise<void> {
  return withInputs(wb, /Personal Access Token/i, [[/: personal access token/i, token]]);
}

/** Jira Cloud's e-mail and API token steps of signInThroughUi. */
export function withApiToken(wb: Workbench, email: string, token: string): () => Promise<void> {
  return withInputs(wb, /API Token/i, [[/: e-mail/i, email], [/: API token/i, token]]);
}

/** The user name and password steps of signInThroughUi (Data Center). */
export function withPassword(wb: Workbench, user: string, password: string): () => Promise<void> {
  return withInputs(wb, /User Name and Password/i, [[/: user/i, user], [/: password/i, password]]);
}

/**
 * The folder every window of this run opens, for seeding before a journey's launch() (e.g. making
 * it a git repository). Starts the one code-server of the run if it is not running yet.
 */
export async function workspaceFolder(): Promise<string> {
  return (await serverFor('en')).workspace;
}

/** Waits until `check` holds (polling every 100 ms). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first row of a tree or list pane with `text`. */
export function row(p: Locator, text: string | RegExp): Locator {
  return p.locator('.monaco-list-row', { hasText: text }).first();
}

/** Shows the Jira view container (the My Issues pane). */
export async function openJira(wb: Workbench): Promise<void> {
  const issues = pane(wb.page, 'My Issues');
  if (!(await issues.isVisible())) await wb.page.locator('.activitybar .action-item a[aria-label^="Jira"]').first().click();
  await issues.waitFor();
}

/** Runs a context menu item of `target` (the menu ignores clicks for a moment after it opens). */
export async function contextMenu(wb: Workbench, target: Locator, label: string): Promise<void> {
  await target.click({ button: 'right' });
  const menu = wb.page.locator('.monaco-menu').first();
  const item = menu.locator('.action-item', { hasText: label }).first();
  await item.waitFor();
  await new Promise((r) => setTimeout(r, 300));
  await item.hover();
  await item.click();
  // Still open: the hovered item has the focus, so Enter runs it.
  if (await menu.isVisible()) await wb.page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout: 5_000 });
}

/** The webview of the active issue detail editor. */
export function detailFrame(page: Page) {
  return page.locator('iframe.webview').last().contentFrame().locator('iframe#active-frame').contentFrame();
}

export const mochaHooks = {
  async afterEach(this: Mocha.Context): Promise<void> {
    if (this.currentTest?.state !== 'failed') return;
    const name = `failed-${this.currentTest.fullTitle().replace(/\W+/g, '-').slice(0, 80)}`;
    for (const p of openPages) await screenshotTo(name, p).catch(() => undefined);
  },
  async afterAll(): Promise<void> {
    for (const server of servers.values()) {
      const s = await server.catch(() => undefined);
      if (s?.child.pid) { try { process.kill(-s.child.pid, 'SIGTERM'); } catch { /* gone */ } }
    }
    companyCa?.cleanup();
  },
};

/** Opens VS Code's Accounts menu (activity bar), as the user does. */
export async function openAccountsMenu(wb: Workbench): Promise<void> {
  await wb.page.locator('.activitybar [aria-label^="Accounts"], .activitybar .action-item a[aria-label*="Accounts"]').first().click();
  await wb.page.locator('.monaco-menu').first().waitFor();
}

export function accountsMenuEntry(wb: Workbench, text: RegExp) {
  return wb.page.locator('.monaco-menu .action-label', { hasText: text }).first();
}

/**
 * The extension's globalState as the web workbench stored it (IndexedDB of the workbench page):
 * read after a journey, to check what it left behind. Undefined when the extension stored nothing.
 */
/** The extension's id (publisher.name), from the manifest: VS Code keys its globalState by it. */
const EXTENSION_ID = (() => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${pkg.publisher}.${pkg.name}`;
})();

export async function storedGlobalState(wb: Workbench, extensionId = EXTENSION_ID): Promise<Record<string, unknown> | undefined> {
  // Runs in the page (a string: the tests are compiled without the DOM's types).
  const raw = (await wb.page.evaluate(`(async (id) => {
    const get = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await get(indexedDB.open(info.name));
      try {
        for (const store of Array.from(db.objectStoreNames)) {
          const value = await get(db.transaction(store, 'readonly').objectStore(store).get(id));
          if (value !== undefined) return typeof value === 'string' ? value : new TextDecoder().decode(value);
        }
      } finally {
        db.close();
      }
    }
    return undefined;
  })(${JSON.stringify(extensionId)})`)) as string | undefined;
  return raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
}

