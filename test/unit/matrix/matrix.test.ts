// The bad-input matrix of issue 8: one test per row of the table in docs/troubleshooting.md.
//
// Every row drives the real sign-in controller (scripted UI, fake SecretStorage/Memento from
// test/unit/support/fakes.ts) against the real Jira emulator, behind a front that misbehaves on
// chosen paths (test/unit/matrix/front.ts), or against real network parts (a TLS emulator with a
// test CA, a real proxy, a silent server: test/unit/support/netFixtures.ts). Each row proves:
//   1. what the user sees is the doc's "What you see" text (its fragments, in order) and says
//      what to do;
//   2. no stored secret was lost or overwritten by the failed attempt (an account signed in before
//      keeps its secret byte for byte; nothing half-done is stored);
//   3. the extension keeps working: a following good request succeeds (the same sign-in goes on
//      once the input is corrected, or a new sign-in and a REST call with the old account work).
// A last test checks that the doc's table and these tests list the same ids.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '../../../src/core';
import type { Core } from '../../../src/coreLoader';
import { format, setTranslator } from '../../../src/l10n';
import { createLogger } from '../../../src/log';
import { SignInController } from '../../../src/signin/controller';
import type { SignInDeps } from '../../../src/signin/deps';
import { createSignInDeps, DEFAULT_SIGN_IN_SETTINGS } from '../../../src/auth/signInDeps';
import { startEmulator, Emulator, EmulatorOptions } from '../../emulator';
import { ClientFactory } from '../../../src/auth/clients';
import type { AccountMeta } from '../../../src/store/types';
import { clickInJira, consentInBrowser } from '../support/browser';
import { choose, FakeChannel, FakeMemento, FakeSecretStorage, InputHandler, ScriptedPrompter, typeInPick } from '../support/fakes';
import { fakeVsCodeStack, startChallengingProxy } from '../support/fakeVsCodeStack';
import { closedPort, makePkiOrSkip, Pki, startProxy, startRefusingProxy, startSilentServer, startTlsEmulator } from '../support/netFixtures';
import { docRows } from './doc';
import { answer, Fault, Front, oauthProblem, startFront } from './front';

const ROOT = join(__dirname, '..', '..', '..', '..');
const PAT = 'matrix-pat-0123456789';
const CONTEXT = '/jira';

function keyPair(options: { modulusLength?: number } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 });
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
const PRESET = keyPair();

interface Env {
  front: Front;
  emulator: Emulator;
  /** The site through the front: http://127.0.0.1:<front>/jira. */
  site: string;
  secrets: FakeSecretStorage;
  memento: FakeMemento;
  channel: FakeChannel;
  ui: ScriptedPrompter;
  deps: SignInDeps;
  controller: SignInController;
  /** Remembers the stored secrets (done after the seed account; again by rows that sign in first). */
  snapshot(): void;
  /** The account signed in before the row. */
  seededId: string;
  /** Asserts that the secrets stored before the row are all still there, unchanged. */
  checkSecretsKept(): void;
  checked: boolean;
  /** The last error or warning notification. */
  shown(): string;
  /** Signs in again with a PAT and calls /myself with the account stored before the row. */
  goodRequest(): Promise<void>;
}

interface Row {
  id: string;
  /** Where the extension host runs (default 'remote': the verification code box). */
  host?: 'local' | 'remote';
  emulator?: EmulatorOptions;
  /** A success row (the input is accepted): what the user sees need not say what to do. */
  accepted?: boolean;
  /** Runs the situation; returns what the user saw. Must call env.checkSecretsKept() right after the failure. */
  run(this: Mocha.Context, env: Env): Promise<string>;
  /**
   * A known gap, reported rather than hidden: the product's message does not say what to do yet
   * (the row still checks the message, the secrets and that the extension keeps working).
   */
  gap?: string;
  /** The following good request (default env.goodRequest). */
  after?: 'continued' | 'default';
}

const WHAT_TO_DO = /\b(check|sign in|try again|use|ask|configure|set|paste|click|open|start|wait|retry|create|log in|enter|tell|report|import|copy|put|trust|remove|approve|choose|bypass|generate|install|fix|make sure|select|update|add|must be configured)\b/i;

/** The sign-in step 1 (site) with a bad URL: returns the input box's message, then goes on with the good site and a PAT. */
async function siteStep(env: Env, badUrl: string | undefined, fix?: () => void | Promise<void>): Promise<string> {
  let seen = '';
  // undefined: the row has already queued how the bad address is given.
  if (badUrl !== undefined) env.ui.picks.push(typeInPick(badUrl));
  env.ui.inputs.push(async (o) => {
    seen = o.validationMessage ?? '';
    env.checkSecretsKept();
    await fix?.();
    return env.site;
  });
  env.ui.picks.push(choose(/Personal Access Token/));
  env.ui.inputs.push(() => PAT);
  const account = await env.controller.signIn({ fresh: true }, { rethrow: true });
  assert.equal(account?.userName, 'admin', 'the corrected sign-in succeeds');
  return seen;
}

/** A PAT sign-in whose credential check (/myself) meets a fault; returns the notification. */
async function patSignIn(env: Env, fault?: Fault, token = PAT): Promise<string> {
  if (fault) env.front.faults.push(fault);
  const account = await env.controller.signIn({ baseUrl: env.site, method: 'pat', token });
  assert.equal(account, undefined, 'the sign-in failed');
  env.checkSecretsKept();
  env.front.faults.length = 0;
  return env.shown();
}

/** An OAuth 1.0a sign-in with the preset application link; returns the notification. */
async function oauth1SignIn(env: Env, args: { site?: string; consumerKey?: string; privateKeyPem?: string; passphrase?: string } = {}): Promise<string> {
  const account = await env.controller.signIn({
    baseUrl: args.site ?? env.site,
    method: 'oauth1',
    consumerKey: args.consumerKey ?? 'preset',
    privateKeyPem: args.privateKeyPem ?? PRESET.privateKeyPem,
    passphrase: args.passphrase,
  });
  assert.equal(account, undefined, 'the sign-in failed');
  env.checkSecretsKept();
  env.front.faults.length = 0;
  return env.shown();
}

/** Approves in "Jira" when the authorize page opens; the code goes to `codes`. */
function approveOnOpen(env: Env, codes: string[]): void {
  env.ui.onOpen = async (url) => {
    const { code } = await clickInJira(url, 'approve');
    if (code) codes.push(code);
  };
}

let provider: (() => void) | undefined;
function network(d: core.NetworkDefaults): void {
  provider?.();
  provider = core.setNetworkProvider(() => d);
}

let pki: Pki | undefined;
function needPki(ctx: Mocha.Context): Pki {
  pki ??= makePkiOrSkip(ctx);
  return pki;
}

const ROWS: Row[] = [
  // --- the site ---
  { id: 'M01', run: (env) => siteStep(env, 'https://jira.example.com/secure/Dashboard.jspa?selectPageId=10000') },
  { id: 'M02', run: (env) => siteStep(env, 'http://jira.example.com') },
  {
    id: 'M03',
    run: (env) => {
      env.front.faults.push(answer(/^\/other\/rest\/api\/2\/serverInfo$/, 200, '{"name":"some other service","status":"ok"}', { 'Content-Type': 'application/json' }));
      return siteStep(env, `${env.front.origin}/other`);
    },
  },
  {
    id: 'M04',
    run: (env) => {
      env.front.faults.push(answer(/^\/sso\/rest\/api\/2\/serverInfo$/, 200, '<!doctype html><html><head><title>Sign in - Corporate SSO</title></head><body><form></form></body></html>', { 'Content-Type': 'text/html' }));
      return siteStep(env, `${env.front.origin}/sso`);
    },
  },
  {
    id: 'M05',
    run: (env) => {
      env.front.faults.push(answer(/^\/saml\/rest\/api\/2\/serverInfo$/, 302, '', { Location: 'https://sso.example.com/idp/saml/login?SAMLRequest=abc' }));
      return siteStep(env, `${env.front.origin}/saml`);
    },
  },
  {
    id: 'M06',
    run: async function (this: Mocha.Context, env) {
      const p = needPki(this);
      const tls = await startTlsEmulator(p, { certFile: p.expiredCertFile });
      try {
        network({ retry: false, network: { extraCa: [p.read(p.caCertFile)] } });
        return await siteStep(env, tls.url);
      } finally {
        await tls.close();
      }
    },
  },
  {
    id: 'M07',
    run: async function (this: Mocha.Context, env) {
      const p = needPki(this);
      const tls = await startTlsEmulator(p);
      try {
        return await siteStep(env, tls.url);
      } finally {
        await tls.close();
      }
    },
  },
  {
    id: 'M08',
    run: async function (this: Mocha.Context, env) {
      const p = needPki(this);
      const tls = await startTlsEmulator(p, { certFile: p.wrongHostCertFile });
      try {
        network({ retry: false, network: { extraCa: [p.read(p.caCertFile)] } });
        return await siteStep(env, tls.url);
      } finally {
        await tls.close();
      }
    },
  },
  {
    id: 'M09',
    run: async (env) => {
      network({ retry: false, network: { proxy: { proxy: `http://127.0.0.1:${await closedPort()}` } } });
      return siteStep(env, 'https://jira.example.com', () => network({ retry: false }));
    },
  },
  {
    id: 'M10',
    run: async (env) => {
      const proxy = await startProxy({ auth: { user: 'proxyuser', password: 'proxy-secret-pw' } });
      try {
        network({ retry: false, network: { proxy: { proxy: proxy.url } } });
        return await siteStep(env, 'https://jira.example.com', () => network({ retry: false }));
      } finally {
        await proxy.close();
      }
    },
  },
  {
    id: 'M11',
    run: async (env) => {
      const silent = await startSilentServer();
      try {
        network({ retry: false, timeoutMs: 1000 });
        return await siteStep(env, silent.url, () => network({ retry: false }));
      } finally {
        await silent.close();
      }
    },
  },
  {
    id: 'M46',
    run: async (env) => {
      const proxy = await startRefusingProxy();
      try {
        network({ retry: false, network: { proxy: { proxy: proxy.url } } });
        return await siteStep(env, 'https://jira.example.com', () => network({ retry: false }));
      } finally {
        await proxy.close();
      }
    },
  },
  {
    id: 'M47',
    run: async (env) => {
      const proxy = await startProxy({ auth: { user: 'proxyuser', password: 'proxy-secret-pw' } });
      try {
        network({ retry: false, network: { proxy: { proxy: proxy.url.replace('http://', 'http://proxyuser:wrong-password@') } } });
        const seen = await siteStep(env, 'https://jira.example.com', () => network({ retry: false }));
        assert.doesNotMatch(seen, /wrong-password/);
        return seen;
      } finally {
        await proxy.close();
      }
    },
  },
  {
    id: 'M48',
    run: async function (this: Mocha.Context, env) {
      // http.systemCertificates on: Node's and the system's CAs were both consulted.
      const p = needPki(this);
      const tls = await startTlsEmulator(p);
      try {
        network({ retry: false, network: { systemCa: true } });
        return await siteStep(env, tls.url, () => network({ retry: false }));
      } finally {
        await tls.close();
      }
    },
  },
  // Typed into the box behind "Enter Another Site URL...": in the pick itself the text would
  // find the seeded account's remembered site, whose row is then the one Enter takes.
  {
    id: 'M49',
    run: async (env) => {
      env.ui.picks.push(choose(/Enter Another Site URL/));
      env.ui.inputs.push(() => env.site.replace(/^http:\/\//, ''));
      return siteStep(env, undefined);
    },
  },
  // On the default path through VS Code's network stack (a fake of its patched https.request:
  // support/fakeVsCodeStack.ts) with the proxy its "PAC file" names.
  {
    id: 'M50',
    run: async (env) => {
      const proxy = await startChallengingProxy('Basic realm="corp"', 'Basic never-given');
      const stack = fakeVsCodeStack({ pac: () => `PROXY 127.0.0.1:${proxy.port}`, lookupProxyAuthorization: async () => undefined });
      try {
        network({ retry: false, network: { host: stack } });
        return await siteStep(env, 'https://jira.example.com', () => network({ retry: false }));
      } finally {
        stack.close();
        await proxy.close();
      }
    },
  },
  {
    id: 'M51',
    run: async (env) => {
      const port = await closedPort();
      const pac = fakeVsCodeStack({ pac: () => `PROXY 127.0.0.1:${port}; DIRECT` });
      try {
        network({ retry: false, network: { host: pac } });
        return await siteStep(env, 'https://jira.example.com', () => network({ retry: false }));
      } finally {
        pac.close();
      }
    },
  },
  { id: 'M12', run: (env) => siteStep(env, 'https://jira.invalid') },
  { id: 'M13', run: async (env) => siteStep(env, `http://127.0.0.1:${await closedPort()}/jira`) },
  {
    id: 'M44',
    run: async (env) => {
      const seen = await siteStep(env, 'https://alice:url-secret-42@jira.example.com');
      assert.ok(!seen.includes('url-secret-42'), 'the password in the URL is not shown');
      return seen;
    },
  },
  // --- oauth_problem ---
  { id: 'M14', run: (env) => oauth1SignIn(env, { site: env.site.replace('127.0.0.1', 'localhost') }) },
  {
    id: 'M15',
    run: (env) => {
      const now = Math.floor(Date.now() / 1000) + 3600;
      env.front.faults.push(oauthProblem(/request-token$/, 'timestamp_refused', `&oauth_acceptable_timestamps=${now - 300}-${now + 300}`));
      return oauth1SignIn(env);
    },
  },
  { id: 'M16', run: (env) => (env.front.faults.push(oauthProblem(/request-token$/, 'nonce_used')), oauth1SignIn(env)) },
  {
    id: 'M17',
    after: 'continued',
    run: async (env) => {
      const codes: string[] = [];
      approveOnOpen(env, codes);
      let seen = '';
      env.ui.inputs.push(() => 'WRONG1');
      env.ui.inputs.push((o) => {
        seen = o.validationMessage ?? '';
        env.checkSecretsKept();
        return codes[codes.length - 1];
      });
      const account = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: PRESET.privateKeyPem }, { rethrow: true });
      assert.equal(account?.userName, 'admin', 'the corrected code signs in');
      return seen;
    },
  },
  {
    id: 'M18',
    emulator: { requestTokenTtlSeconds: 1 },
    after: 'continued',
    run: async (env) => {
      const codes: string[] = [];
      approveOnOpen(env, codes);
      let seen = '';
      env.ui.inputs.push(async () => {
        await new Promise((r) => setTimeout(r, 1500));
        return codes[0];
      });
      env.ui.inputs.push((o) => {
        seen = o.validationMessage ?? '';
        env.checkSecretsKept();
        return codes[codes.length - 1];
      });
      const account = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: PRESET.privateKeyPem }, { rethrow: true });
      assert.equal(account?.userName, 'admin', 'the renewed authorization signs in');
      return seen;
    },
  },
  {
    id: 'M19',
    after: 'continued',
    run: async (env) => {
      let seen = '';
      env.ui.inputs.push(() => 'ABC123'); // pasted before clicking Allow
      env.ui.inputs.push(async (o) => {
        seen = o.validationMessage ?? '';
        env.checkSecretsKept();
        const { code } = await clickInJira(env.ui.opened[0], 'approve');
        return code;
      });
      const account = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: PRESET.privateKeyPem }, { rethrow: true });
      assert.equal(account?.userName, 'admin');
      return seen;
    },
  },
  {
    id: 'M20',
    run: async (env) => {
      env.ui.onOpen = async (url) => {
        await clickInJira(url, 'deny');
      };
      env.ui.inputs.push(() => undefined);
      return oauth1SignIn(env);
    },
  },
  { id: 'M21', run: (env) => oauth1SignIn(env, { consumerKey: 'no-such-link' }) },
  { id: 'M22', run: (env) => (env.front.faults.push(oauthProblem(/request-token$/, 'parameter_absent', '&oauth_parameters_absent=oauth_signature')), oauth1SignIn(env)) },
  { id: 'M23', run: (env) => (env.front.faults.push(oauthProblem(/request-token$/, 'parameter_rejected', '&oauth_parameters_rejected=oauth_callback')), oauth1SignIn(env)) },
  { id: 'M24', run: (env) => (env.front.faults.push(oauthProblem(/request-token$/, 'signature_method_rejected', '&oauth_acceptable_signature_methods=HMAC-SHA1')), oauth1SignIn(env)) },
  { id: 'M25', run: (env) => (env.front.faults.push(oauthProblem(/request-token$/, 'token_expired')), oauth1SignIn(env)) },
  {
    id: 'M26',
    after: 'continued',
    run: async (env) => {
      // An OAuth 1.0a account whose access token an administrator revoked: REST calls (the views) fail.
      const codes: string[] = [];
      approveOnOpen(env, codes);
      env.ui.inputs.push(() => codes[0]);
      const account = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: PRESET.privateKeyPem }, { rethrow: true });
      env.snapshot();
      env.emulator.revokeAccessTokens();
      const auth = await env.deps.accounts.getAuth(account!.id);
      const err = await core.createJiraClient({ baseUrl: env.site, auth: auth! }).request('GET', '/rest/api/2/myself').then(() => undefined, (e: unknown) => e as Error);
      assert.ok(err, 'the revoked token is refused');
      env.checkSecretsKept();
      // Signing in again (as the message says) gives a working account.
      env.ui.inputs.push(() => codes[codes.length - 1]);
      const again = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: PRESET.privateKeyPem }, { rethrow: true });
      const fresh = await env.deps.accounts.getAuth(again!.id);
      const me = await core.createJiraClient({ baseUrl: env.site, auth: fresh! }).request('GET', '/rest/api/2/myself');
      assert.equal((me.body as { name: string }).name, 'admin');
      return err.message;
    },
  },
  { id: 'M27', run: (env) => (env.front.faults.push(oauthProblem(/request-token$/, 'version_rejected', '&oauth_acceptable_versions=1.0-1.0')), oauth1SignIn(env)) },
  // --- HTTP answers ---
  { id: 'M28', run: (env) => patSignIn(env, undefined, 'not-the-right-pat') },
  { id: 'M29', run: (env) => patSignIn(env, answer(/\/rest\/api\/2\/myself$/, 403, '{"errorMessages":["You do not have the permission to see the specified user."],"errors":{}}', { 'Content-Type': 'application/json' })) },
  { id: 'M30', run: (env) => patSignIn(env, answer(/\/rest\/api\/2\/myself$/, 404, '{"errorMessages":["null for uri"],"errors":{}}', { 'Content-Type': 'application/json' })) },
  { id: 'M31', run: (env) => patSignIn(env, answer(/\/rest\/api\/2\/myself$/, 410, '{"errorMessages":["This API has been removed."],"errors":{}}', { 'Content-Type': 'application/json' })) },
  { id: 'M32', run: (env) => patSignIn(env, answer(/\/rest\/api\/2\/myself$/, 429, '{"message":"Too many requests"}', { 'Content-Type': 'application/json', 'Retry-After': '120' })) },
  { id: 'M33', run: (env) => patSignIn(env, answer(/\/rest\/api\/2\/myself$/, 500, '{"errorMessages":["Internal server error"],"errors":{}}', { 'Content-Type': 'application/json' })) },
  { id: 'M34', run: (env) => patSignIn(env, answer(/\/rest\/api\/2\/myself$/, 503, '<html><head><title>503 Service Unavailable</title></head><body>maintenance</body></html>', { 'Content-Type': 'text/html' })) },
  { id: 'M35', run: (env) => patSignIn(env, answer(/\/rest\/api\/2\/myself$/, 200, '{"name":"admin","displayName":', { 'Content-Type': 'application/json' })) },
  {
    id: 'M36',
    run: (env) =>
      patSignIn(env, {
        path: /\/rest\/api\/2\/myself$/,
        respond: (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '4000' });
          res.write('{"name":"admin","displayName":"Alice');
          setTimeout(() => res.destroy(), 20);
        },
      }),
  },
  {
    id: 'M37',
    run: (env) =>
      patSignIn(env, {
        path: /\/rest\/api\/2\/myself$/,
        respond: (_req, res) => {
          const chunk = Buffer.alloc(1024 * 1024, 0x20);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"name":"admin","pad":"');
          let sent = 0;
          const more = () => {
            while (sent < 80 && !res.destroyed) {
              sent++;
              if (!res.write(chunk)) return void res.once('drain', more);
            }
            res.end('"}');
          };
          more();
        },
      }),
  },
  // --- keys, codes, clipboard ---
  { id: 'M38', run: (env) => oauth1SignIn(env, { privateKeyPem: '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n' }) },
  {
    id: 'M39',
    after: 'continued',
    run: async (env) => {
      const encrypted = PRESET.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right-passphrase' }).toString();
      const codes: string[] = [];
      approveOnOpen(env, codes);
      let seen = '';
      env.ui.inputs.push((o) => {
        seen = o.validationMessage ?? '';
        env.checkSecretsKept();
        return 'right-passphrase';
      });
      env.ui.inputs.push(() => codes[0]);
      const account = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: encrypted, passphrase: 'wrong-passphrase' }, { rethrow: true });
      assert.equal(account?.userName, 'admin');
      return seen;
    },
  },
  {
    id: 'M40',
    after: 'continued',
    run: async (env) => {
      const codes: string[] = [];
      approveOnOpen(env, codes);
      let seen = '';
      const paste: InputHandler = (o) => {
        seen = o.validate?.('') ?? '';
        env.checkSecretsKept();
        return codes[0];
      };
      env.ui.inputs.push(paste);
      const account = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: PRESET.privateKeyPem }, { rethrow: true });
      assert.equal(account?.userName, 'admin');
      return seen;
    },
  },
  {
    id: 'M41',
    after: 'continued',
    run: async (env) => {
      let seen = '';
      env.ui.picks.push(typeInPick(env.site));
      env.ui.picks.push(choose(/Personal Access Token/));
      env.ui.inputs.push((o) => {
        seen = o.validate?.('') ?? '';
        env.checkSecretsKept();
        return PAT;
      });
      const account = await env.controller.signIn({ fresh: true }, { rethrow: true });
      assert.equal(account?.userName, 'admin');
      return seen;
    },
  },
  {
    id: 'M42',
    accepted: true,
    after: 'continued',
    run: async (env) => {
      const codes: string[] = [];
      approveOnOpen(env, codes);
      env.ui.inputs.push(() => {
        env.checkSecretsKept();
        return `  Your verification code is '${codes[0]}'.  `;
      });
      const account = await env.controller.signIn({ baseUrl: env.site, method: 'oauth1', consumerKey: 'preset', privateKeyPem: PRESET.privateKeyPem }, { rethrow: true });
      assert.equal(account?.userName, 'admin');
      return env.ui.notifications.filter((n) => n.severity === 'info').map((n) => n.message).join('\n');
    },
  },
  {
    id: 'M45',
    host: 'local',
    after: 'continued',
    run: async (env) => {
      // OAuth 2.0 with rotating refresh tokens: the stored refresh token was already used elsewhere
      // (another machine with a copy of it), so Jira revokes the whole grant when we use it again.
      env.ui.onOpen = async (url) => void (await fetch(await consentInBrowser(url, 'allow')));
      const signIn = () => env.controller.signIn({ baseUrl: env.site, method: 'oauth2', clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret' }, { rethrow: true });
      const account = (await signIn())!;
      env.snapshot();
      const auth = (await env.deps.accounts.getAuth(account.id))!;
      assert.ok(auth.type === 'oauth2' && auth.refreshToken);
      await core.refreshAccessToken({ endpoints: core.dataCenterEndpoints(env.site), clientId: 'vscode-jira', clientSecret: 'vscode-jira-secret', refreshToken: auth.refreshToken });
      env.emulator.oauth2.expireAccessTokens();
      const ended: Array<{ account: AccountMeta; err: Error }> = [];
      const factory = new ClientFactory({ accounts: env.deps.accounts, core: async () => core as unknown as Core, userAgent: 'matrix', onSessionEnded: (a, err) => ended.push({ account: a, err }) });
      const client = await factory.create(account, auth);
      const err = await client.request('GET', '/rest/api/2/myself').then(() => undefined, (e: unknown) => e as Error);
      assert.ok(err, 'the reused refresh token is refused');
      assert.equal(env.emulator.oauth2.stats.refreshReuse, 1, 'Jira saw the rotated refresh token reused');
      env.checkSecretsKept();
      assert.equal(ended.length, 1);
      await env.controller.account.sessionEnded(ended[0].account, ended[0].err);
      // What the user is told now (signing in again below asks about the seeded PAT account).
      const told = env.shown();
      // Sign in again, as the message says: it works.
      const again = (await signIn())!;
      const fresh = await factory.create(again, (await env.deps.accounts.getAuth(again.id))!);
      assert.equal((await fresh.request<{ name: string }>('GET', '/rest/api/2/myself')).body.name, 'admin');
      env.seededId = again.id;
      return `${err.message}\n${told}`;
    },
  },
  {
    id: 'M43',
    run: (env) => oauth1SignIn(env, { privateKeyPem: readFileSync(join(ROOT, 'test', 'fixtures', 'keys', 'oauth-wiki-rsa1024.pem'), 'utf8') }),
  },
];

describe('bad-input matrix (docs/troubleshooting.md): clear message, keeps working, no secret lost', function () {
  this.timeout(30_000);
  const doc = docRows();
  let env: Env | undefined;

  before(() => setTranslator((m, ...a) => format(m, a)));
  after(() => pki?.cleanup());

  async function makeEnv(options: EmulatorOptions = {}, host: 'local' | 'remote' = 'remote'): Promise<Env> {
    const front = await startFront();
    const site = `${front.origin}${CONTEXT}`;
    const emulator = await startEmulator({ port: 0, contextPath: CONTEXT, baseUrl: site, pats: { [PAT]: 'admin' }, links: [{ consumerKey: 'preset', name: 'Preset', publicKeyPem: PRESET.publicKeyPem }], ...options });
    front.targetPort = emulator.port;
    const secrets = new FakeSecretStorage();
    const memento = new FakeMemento();
    const channel = new FakeChannel();
    const log = createLogger(channel);
    const ui = new ScriptedPrompter();
    // The seeded PAT account and a row's OAuth 1.0a sign-in are the same user: keep both, so that
    // the row can check the seeded account survived.
    ui.answer = (_message, actions, modal) => (modal && actions.includes('Keep Both') ? 'Keep Both' : undefined);
    const deps = createSignInDeps({
      secrets,
      memento,
      prompter: ui,
      log,
      core: async () => core as unknown as Core,
      extensionHost: host,
      settings: () => DEFAULT_SIGN_IN_SETTINGS,
      userAgent: 'jira-auth-matrix-tests',
      proposedConsumerKey: () => 'vscode-jira-matrix',
    });
    const controller = new SignInController(deps);
    let before = new Map<string, string>();
    const e: Env = {
      front, emulator, site, secrets, memento, channel, ui, deps, controller, checked: false, seededId: '',
      snapshot() {
        before = new Map(secrets.backend.data);
      },
      checkSecretsKept() {
        for (const [k, v] of before) {
          assert.ok(secrets.backend.data.has(k), `the failed attempt deleted the stored secret ${k}`);
          assert.equal(secrets.backend.data.get(k), v, `the failed attempt overwrote the stored secret ${k}`);
        }
        const accounts = [...secrets.backend.data.keys()].filter((k) => !before.has(k) && /account/i.test(k));
        assert.deepEqual(accounts, [], 'the failed attempt stored no account secret');
        e.checked = true;
      },
      shown() {
        const n = ui.notifications.filter((x) => x.severity === 'error' || x.severity === 'warning');
        assert.ok(n.length, `an error or warning was shown (got: ${ui.messages()})`);
        return n[n.length - 1].message;
      },
      async goodRequest() {
        // The account stored before the row still works...
        const first = deps.accounts.get(e.seededId)!;
        const auth = await deps.accounts.getAuth(first.id);
        const me = await core.createJiraClient({ baseUrl: first.site.baseUrl, auth: auth! }).request('GET', '/rest/api/2/myself');
        assert.equal((me.body as { name: string }).name, 'admin');
        // ...and the controller signs in again.
        ui.onOpen = () => undefined;
        const again = await controller.signIn({ baseUrl: site, method: 'pat', token: PAT }, { rethrow: true });
        assert.equal(again?.userName, 'admin');
      },
    };
    // An account signed in before the row: its secret must survive the failed attempt.
    const seeded = await controller.signIn({ baseUrl: site, method: 'pat', token: PAT }, { rethrow: true });
    assert.ok(seeded);
    e.seededId = seeded.id;
    ui.notifications.length = 0;
    e.snapshot();
    return e;
  }

  afterEach(async () => {
    provider?.();
    provider = undefined;
    await env?.emulator.close();
    await env?.front.close();
    env = undefined;
  });

  for (const row of ROWS) {
    const d = doc.get(row.id);
    it(`${row.id} ${d?.situation ?? '(missing from docs/troubleshooting.md)'}`, async function () {
      assert.ok(d, `${row.id} has no row in docs/troubleshooting.md`);
      const e = (env = await makeEnv(row.emulator, row.host));
      const seen = await row.run.call(this, e);
      assert.ok(e.checked, 'the row checked the stored secrets right after the failure');
      if (process.env.MATRIX_DISCOVER) return void console.log(`${row.id}\t${JSON.stringify(seen)}`);
      // 1. the doc's message is what the product says (fragments in order), and it says what to do.
      let from = 0;
      for (const fragment of d.seen) {
        const at = seen.indexOf(fragment, from);
        assert.ok(at !== -1, `${row.id}: the doc says "${fragment}" but the user sees:\n${seen}`);
        from = at + fragment.length;
      }
      assert.ok(d.seen.length > 0, `${row.id}: the doc shows what the user sees`);
      if (!row.accepted && !(row.gap && !WHAT_TO_DO.test(seen))) assert.match(seen, WHAT_TO_DO, `${row.id}: the message says what to do:\n${seen}`);
      assert.ok(!seen.includes(PAT) && !seen.includes(PRESET.privateKeyPem.split('\n')[1]), 'no secret in the message');
      // 2 and 3: secrets kept (checked in run), and the extension keeps working.
      if (row.after !== 'continued') await e.goodRequest();
      else assert.ok(e.deps.accounts.get(e.seededId), 'the account signed in before is still there');
    });
  }

  it('docs/troubleshooting.md and this file list the same rows (at least 30)', () => {
    const ids = ROWS.map((r) => r.id);
    assert.deepEqual([...doc.keys()].sort(), [...ids].sort());
    assert.equal(new Set(ids).size, ids.length, 'no duplicate test ids');
    assert.ok(ids.length >= 30);
    for (const [id, r] of doc) {
      assert.ok(r.situation && r.todo, `${id} has a situation and what to do`);
    }
  });

  it('the README links the matrix', () => {
    assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /\]\(docs\/troubleshooting\.md\)/);
  });
});
