// The README must stay true to the product: the two set-up commands first, every command and
// setting the extension contributes documented, every picture it shows present.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));
const text = (s: string): string => (/^%.+%$/.test(s) ? nls[s.slice(1, -1)] ?? s : s);

describe('README', () => {
  it('opens with exactly the two set-up commands', () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme);
    assert.ok(firstBlock, 'no bash block');
    assert.ok(readme.indexOf(firstBlock[0]) < readme.indexOf('\n## '), 'the commands come before the first section');
    const commands = firstBlock[1].split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, '').trim());
    assert.deepEqual(commands, ['npm ci && npm run sandbox', 'npm ci && npm test']);
  });

  it('documents every contributed command', () => {
    const missing = (pkg.contributes.commands as Array<{ command: string; title: string; category?: string }>)
      .map((c) => text(c.title))
      .filter((title) => !readme.includes(title));
    assert.deepEqual(missing, []);
  });

  it('documents every setting', () => {
    const keys = Object.keys(pkg.contributes.configuration.properties);
    assert.ok(keys.length > 0);
    assert.deepEqual(keys.filter((k) => !readme.includes(`\`${k}\``)), []);
  });

  it('shows only pictures that exist', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length > 0);
    assert.deepEqual(images.filter((p) => !existsSync(join(ROOT, p))), []);
  });

  it('has a troubleshooting row for every oauth_problem the emulator can send', () => {
    const problems = ['signature_invalid', 'timestamp_refused', 'nonce_used', 'token_rejected', 'token_expired',
      'permission_unknown', 'permission_denied', 'consumer_key_unknown', 'parameter_absent', 'parameter_rejected',
      'signature_method_rejected', 'version_rejected'];
    const emulator = readFileSync(join(ROOT, 'test', 'emulator', 'oauth1.ts'), 'utf8');
    for (const p of problems) {
      assert.ok(emulator.includes(`'${p}'`), `the emulator no longer sends ${p}: update this list`);
      assert.match(readme, new RegExp(`^\\| \`${p}\` \\|`, 'm'), `README has no troubleshooting row for ${p}`);
    }
  });
});
