// The extension ships in parts (esbuild.js): dist/extension.js is what activation loads; the sign-in
// (dist/signin.js), the issue detail (dist/detail.js) and the core (dist/core.js) are required on
// first use. These tests build the parts in memory and check the split holds: each lazy import became
// a require of its part, activation's file holds none of the lazy code, and no part carries its own
// copy of a core module that keeps state (that state must exist once, in dist/core.js).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';

function findRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'esbuild.js'))) dir = dirname(dir);
  return dir;
}
const ROOT = findRoot();

 
const esbuild = require(join(ROOT, 'node_modules', 'esbuild')) as typeof import('esbuild');
 
const config = require(join(ROOT, 'esbuild.js')) as { builds: BuildOptions[]; LAZY: Record<string, string> };

/** Core modules without module-level state, which the trees and the logger may bundle themselves. */
const STATELESS_CORE = new Set(['src/core/lru.ts', 'src/core/messages.ts', 'src/core/redact.ts', 'src/core/search.ts', 'src/core/work.ts']);

interface Part {
  file: string;
  text: string;
  inputs: string[];
}

async function build(options: BuildOptions): Promise<Part> {
  const result = await esbuild.build({ ...options, absWorkingDir: ROOT, write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
  const meta = result.metafile as Metafile;
  const out = result.outputFiles!.find((f) => f.path.endsWith('.js'))!;
  const [, output] = Object.entries(meta.outputs).find(([k]) => k.endsWith('.js'))!;
  return { file: String(options.outfile).replace(/^dist\//, ''), text: out.text, inputs: Object.keys(output.inputs) };
}

describe('build: the extension in parts', function () {
  this.timeout(60_000);
  let parts: Part[];

  before(async () => {
    parts = await Promise.all(config.builds.map(build));
  });

  const part = (file: string): Part => {
    const p = parts.find((x) => x.file === file);
    assert.ok(p, `no part ${file} in esbuild.js (have ${parts.map((x) => x.file).join(', ')})`);
    return p;
  };

  it('builds extension.js and one file per lazy part, and the VSIX ships them all', () => {
    const files = ['extension.js', ...Object.values(config.LAZY)];
    for (const f of files) part(f);
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const f of files) assert.ok(ignore.includes(`!dist/${f}`), `.vscodeignore does not ship dist/${f}`);
  });

  it('turns each lazy import into a require of its part, never bundling the part itself', () => {
    const ext = part('extension.js');
    for (const [source, file] of Object.entries(config.LAZY)) {
      assert.ok(ext.text.includes(`require("./${file}")`), `extension.js does not require ./${file}`);
      assert.ok(!ext.inputs.includes(source), `extension.js bundles ${source} itself`);
    }
  });

  it('activation loads no sign-in, detail-view or stateful core code', () => {
    const ext = part('extension.js');
    const lazy = ext.inputs.filter((i) => i.startsWith('src/signin/') || i.startsWith('src/views/detail/') || i === 'node_modules/oauth-1.0a/oauth-1.0a.js');
    assert.deepEqual(lazy, []);
  });

  it('keeps core state in dist/core.js only: no other part bundles a stateful core module', () => {
    for (const p of parts) {
      if (p.file === 'core.js') continue;
      const copies = p.inputs.filter((i) => i.startsWith('src/core/') && !STATELESS_CORE.has(i));
      assert.deepEqual(copies, [], `${p.file} bundles its own copy of ${copies.join(', ')}: load it through loadCore() instead`);
    }
  });

  it('requires vscode as it is: no part copies the API object into an ES namespace', () => {
    // esbuild turns `import * as vscode from 'vscode'` into __toESM(require("vscode")), which defines
    // a getter for every one of the API's hundreds of properties, once per module, at activation.
    for (const p of parts) {
      const wrapped = p.text.match(/__toESM\(require\("vscode"\)\)/g) ?? [];
      assert.equal(wrapped.length, 0, `${p.file} wraps require("vscode") ${wrapped.length} time(s): use import vscode = require('vscode')`);
    }
    assert.ok(part('extension.js').text.includes('require("vscode")'), 'extension.js uses the vscode API');
  });

  it('requires vscode once per part, however many of its modules import it', () => {
    // Each require("vscode") goes through VS Code's module interceptor (a realpath of the caller and
    // a lookup): esbuild.js resolves every import of 'vscode' to one module of the part.
    const ext = part('extension.js');
    const importers = ext.inputs.filter((i) => i.startsWith('src/') && /\bimport\s+vscode\s*=\s*require\('vscode'\)/.test(readFileSync(join(ROOT, i), 'utf8')));
    assert.ok(importers.length > 5, `extension.js bundles ${importers.length} modules that import vscode`);
    for (const p of parts) {
      const calls = p.text.match(/require\("vscode"\)/g) ?? [];
      assert.ok(calls.length <= 1, `${p.file} calls require("vscode") ${calls.length} times`);
    }
  });

  it('core.js is the public library: readable, and the whole core', () => {
    const core = part('core.js');
    assert.ok(core.inputs.includes('src/core/index.ts'));
    assert.ok(core.text.split('\n').length > 500, 'dist/core.js should not be minified');
  });
});
