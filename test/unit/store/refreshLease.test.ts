// One OAuth 2.0 refresh per account across windows. Jira Cloud (and the emulator) revoke the whole
// grant when a rotated refresh token is used twice, so two windows refreshing at once would sign
// the user out. Windows are simulated in one process (shared fake SecretStorage) and as two real
// processes sharing a file-backed store; a crashed window's lease is taken over.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '../../../src/core';
import type { Core } from '../../../src/coreLoader';
import { ClientFactory } from '../../../src/auth/clients';
import { format, setTranslator } from '../../../src/l10n';
import { REFRESH_LEASE_PREFIX, RefreshLease } from '../../../src/store/refreshLease';
import { Emulator, startEmulator } from '../../emulator';
import { FakeChannel, FakeSecretStorage } from '../support/fakes';
import { FileSecrets } from '../support/fileSecrets';
import { signInOAuth2, twoWindows } from '../support/oauth2Windows';
import { makeWorld, World } from '../support/world';
import { createLogger } from '../../../src/log';

const factory = (w: World) =>
  new ClientFactory({ accounts: w.deps.accounts, core: async () => core as unknown as Core, userAgent: 'jira-auth-tests', onSessionEnded: () => undefined, lease: { settleMs: 30, pollMs: 10 } });

describe('OAuth 2.0 refresh across windows: one refresh per account', function () {
  this.timeout(30_000);
  let emulator: Emulator | undefined;
  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('two windows whose tokens expire at the same moment make one refresh call, and stay signed in', async () => {
    emulator = await startEmulator({ port: 0 });
    const { w1, c1, c2 } = await twoWindows(emulator, factory);
    emulator.oauth2.expireAccessTokens();
    const [r1, r2] = await Promise.all([c1, c2].map((c) => c.request<{ name: string }>('GET', '/rest/api/2/myself')));
    assert.deepEqual([r1.body.name, r2.body.name], ['admin', 'admin']);
    assert.equal(emulator.oauth2.stats.refreshCalls, 1, 'one refresh for both windows');
    assert.equal(emulator.oauth2.stats.refreshReuse, 0, 'the rotated refresh token was not used twice');
    assert.ok(![...w1.secrets.backend.data.keys()].some((k) => k.startsWith(REFRESH_LEASE_PREFIX)), 'the lease is released');
  });

  it('two processes sharing one store: one refresh call, both requests answered, the grant intact', async () => {
    emulator = await startEmulator({ port: 0 });
    const w = makeWorld({ extensionHost: 'local' });
    const account = await signInOAuth2(w, emulator);
    const dir = mkdtempSync(join(tmpdir(), 'jira-lease-'));
    try {
      const files = new FileSecrets(join(dir, 'secrets'));
      for (const [k, v] of w.secrets.backend.data) await files.store(k, v);
      emulator.oauth2.expireAccessTokens();
      const arg = JSON.stringify({ dir, accountId: account.id, memento: [...w.memento.data.entries()] });
      const runs = [1, 2].map(
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(process.execPath, [join(__dirname, '..', 'support', 'refreshWindow.js'), arg], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (d) => (out += d));
            child.on('exit', (code) => resolve({ code, out }));
          }),
      );
      // Both processes are loaded, with the expired token in hand, before either may start: a real race.
      while (readdirSync(dir).filter((f) => f.startsWith('ready-')).length < 2) await new Promise((r) => setTimeout(r, 10));
      writeFileSync(join(dir, 'go'), '');
      const results = await Promise.all(runs);
      for (const r of results) assert.deepEqual({ code: r.code, ...JSON.parse(r.out) }, { code: 0, name: 'admin', ended: [] });
      assert.equal(emulator.oauth2.stats.refreshCalls, 1, 'one refresh for both processes');
      assert.equal(emulator.oauth2.stats.refreshReuse, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a live holder keeps the lease while it works: the other window waits, never both at once', async () => {
    const secrets = new FakeSecretStorage();
    let active = 0;
    let most = 0;
    const work = async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 200)); // longer than the ttl: only the heartbeat keeps it
      active--;
    };
    const lease = () => new RefreshLease(secrets, 'k', { ttlMs: 60, settleMs: 10, pollMs: 5 });
    await Promise.all([lease().run(work), lease().run(work), lease().run(work)]);
    assert.equal(most, 1);
  });

  it('a crashed window\'s lease (no longer renewed) is taken over, and says so in the log', async () => {
    const secrets = new FakeSecretStorage();
    await secrets.store('k', JSON.stringify({ owner: 'crashed-window', beat: 7 }));
    const channel = new FakeChannel();
    let ran = false;
    await new RefreshLease(secrets, 'k', { ttlMs: 50, settleMs: 5, pollMs: 5, log: createLogger(channel) }).run(async () => {
      ran = true;
    });
    assert.ok(ran);
    assert.match(channel.text(), /taking over the OAuth 2.0 refresh lease k/);
    assert.equal(await secrets.get('k'), undefined, 'released afterwards');
  });
});
