// One "VS Code window" in its own process (spawned by refreshLease.test.ts): its own AccountStore
// and ClientFactory over the shared FileSecrets, as a second window has. It waits for the `go`
// file, makes one request with the expired access token, and prints what Jira answered.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '../../../src/core';
import { ClientFactory } from '../../../src/auth/clients';
import type { Core } from '../../../src/coreLoader';
import { AccountStore } from '../../../src/store/accounts';
import { FakeMemento } from './fakes';
import { FileSecrets } from './fileSecrets';

async function main(): Promise<void> {
  const { dir, accountId, memento } = JSON.parse(process.argv[2]) as { dir: string; accountId: string; memento: Array<[string, string]> };
  const m = new FakeMemento();
  for (const [k, v] of memento) m.data.set(k, v);
  const accounts = new AccountStore(new FileSecrets(join(dir, 'secrets')), m);
  const ended: string[] = [];
  const factory = new ClientFactory({ accounts, core: async () => core as unknown as Core, userAgent: 'jira-auth-tests', onSessionEnded: (_a, e) => ended.push(e.message) });
  const account = accounts.get(accountId)!;
  const client = await factory.create(account, (await accounts.getAuth(accountId))!);
  writeFileSync(join(dir, `ready-${process.pid}`), '');
  while (!existsSync(join(dir, 'go'))) await new Promise((r) => setTimeout(r, 5));
  const me = await client.request<{ name: string }>('GET', '/rest/api/2/myself');
  process.stdout.write(JSON.stringify({ name: me.body.name, ended }));
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String((e as Error)?.message ?? e) }));
  process.exitCode = 1;
});
