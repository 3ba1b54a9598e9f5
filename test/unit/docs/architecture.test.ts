// docs/architecture.md's flow table must stay true to the flows: every flow has its row, with the
// extension hosts it declares and as many steps as it declares.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultFlows } from '../../../src/signin/controller';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');

/** The cells of the flow table's row for `id`. */
function row(id: string): string[] | undefined {
  const line = doc.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
  return line?.split('|').slice(1, -1).map((c) => c.trim());
}

describe('docs/architecture.md', () => {
  it('lists every sign-in flow with its hosts and its number of steps', () => {
    const flows = defaultFlows();
    for (const f of flows) {
      const cells = row(f.id);
      assert.ok(cells, `no row for ${f.id}`);
      const [, file, , hosts, , , steps] = cells;
      assert.ok(readFileSync(join(ROOT, file.replace(/`/g, '')), 'utf8').includes(`'${f.id}'`), `${f.id} is not in ${file}`);
      assert.equal(hosts, f.options.extensionHosts.join(', '), `${f.id}: hosts`);
      assert.equal(steps.split(',').length, f.steps.length, `${f.id}: steps`);
    }
    const rows = doc.split('\n').filter((l) => /^\| `[a-z0-9-]+` \| `src\//.test(l));
    assert.equal(rows.length, flows.length, 'one row per flow, no more');
  });
});
