import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from '../../src/l10n';
import { viewStrings } from './views/l10nStrings';

const ROOT = resolve(__dirname, '..', '..', '..');
/** The VS Code side of the sign-in (src/core has no UI strings; src/views has its own). */
const DIRS = ['src', 'src/auth', 'src/commands', 'src/netSettings', 'src/signin', 'src/store', 'src/ui', 'src/util'];

/** Every literal passed to t(...) or l10n.t(...) in the given files. */
export function localizedStrings(): Map<string, string> {
  const found = new Map<string, string>();
  const re = /(?<![\w.])(?:vscode\.)?(?:l10n\.)?t\(\s*(?:\n\s*)?(['"])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const dir of DIRS) {
    for (const name of readdirSync(join(ROOT, dir))) {
      const file = join(ROOT, dir, name);
      if (!name.endsWith('.ts') || statSync(file).isDirectory()) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(re)) {
        const value = m[2].replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n');
        found.set(value, `${dir}/${name}`);
      }
    }
  }
  return found;
}

/** The .ts files under a directory of src, recursively. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return name.endsWith('.ts') ? [rel] : [];
  });
}

/**
 * Every template passed to msg(...) (src/core/messages.ts): core's error messages, which the
 * adapter translates with the same bundles (src/l10n.ts localize/errorMessage).
 */
export function coreMessages(): Map<string, string> {
  const found = new Map<string, string>();
  const re = /(?<![\w.])msg\(\s*(?:\n\s*)?(['"])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const file of sources('src')) {
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(re)) {
      found.set(m[2].replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n'), file);
    }
  }
  return found;
}

/** Calls of msg(...) whose template is not a plain string literal (the extractor cannot see them). */
function nonLiteralMessages(): string[] {
  return sources('src').flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?<!function )(?<![\w.])msg\(\s*([^\s'")])/g)].map((m) => `${file}: msg(${m[1]}...`),
  );
}

function json(path: string): Record<string, string> {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
}

describe('localisation (zh-cn)', () => {
  it('translates every t()/l10n.t() string of the extension in l10n/bundle.l10n.zh-cn.json', () => {
    const strings = localizedStrings();
    assert.ok(strings.size > 100, `only ${strings.size} strings found: is the extractor broken?`);
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    const missing = [...strings.keys()].filter((s) => !(s in zh));
    assert.deepEqual(missing, [], `untranslated: ${missing.map((s) => `${JSON.stringify(s)} (${strings.get(s)})`).join('\n')}`);
  });

  it('translates every message template of src/core (msg()) in both bundles', () => {
    const strings = coreMessages();
    assert.ok(strings.size > 150, `only ${strings.size} core messages found: is the extractor broken?`);
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    const en = json('l10n/bundle.l10n.json');
    const missing = [...strings.keys()].filter((s) => !(s in zh) || en[s] !== s);
    assert.deepEqual(missing, [], `untranslated: ${missing.map((s) => `${JSON.stringify(s)} (${strings.get(s)})`).join('\n')}`);
    assert.deepEqual(nonLiteralMessages(), [], 'a msg() template must be a string literal, or its translation cannot be checked');
  });

  it('keeps the placeholders of every translation', () => {
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    for (const [en, cn] of Object.entries(zh)) {
      const ph = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(ph(cn), ph(en), `placeholders differ for ${JSON.stringify(en)}`);
      assert.ok(cn.trim(), `empty translation for ${JSON.stringify(en)}`);
    }
  });

  it('has no stale entries in the bundles', () => {
    const strings = localizedStrings();
    const core = coreMessages();
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    const en = json('l10n/bundle.l10n.json');
    const views = viewStrings(); // src/views: test/unit/views/l10n.test.ts
    assert.deepEqual(Object.keys(zh).filter((k) => !strings.has(k) && !views.has(k) && !core.has(k)), []);
    const code = [...new Set([...strings.keys(), ...core.keys()])].sort();
    assert.deepEqual(Object.keys(en).sort(), code, 'l10n/bundle.l10n.json lists exactly the strings in the code');
  });

  it('localises every %key% of package.json in package.nls.json and package.nls.zh-cn.json', () => {
    const pkg = readFileSync(join(ROOT, 'package.json'), 'utf8');
    const keys = [...new Set([...pkg.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]))];
    const nls = json('package.nls.json');
    const zh = json('package.nls.zh-cn.json');
    assert.deepEqual(keys.filter((k) => !(k in nls)), [], 'missing in package.nls.json');
    assert.deepEqual(keys.filter((k) => !(k in zh)), [], 'missing in package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).filter((k) => !(k in nls)), [], 'stale keys in package.nls.zh-cn.json');
    for (const k of Object.keys(zh)) {
      const links = (s: string) => (s.match(/\(command:[\w.]+\)/g) ?? []).join();
      assert.equal(links(zh[k]), links(nls[k]), `command links differ in ${k}`);
    }
  });

  it('formats placeholders like vscode.l10n.t', () => {
    assert.equal(format('Signed in to {0} as {1}.', ['A', 'B']), 'Signed in to A as B.');
    assert.equal(format('{1}{0}{2}', ['a', 'b']), 'ba{2}');
  });
});
