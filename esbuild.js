// Bundles the extension (dist/extension.js) and the plain-Node core library (dist/core.js),
// and writes the core's type declarations (dist/core.d.ts) with the TypeScript compiler.
// Usage: node esbuild.js [--production] [--watch]
'use strict';
const esbuild = require('esbuild');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // VS Code 1.74 (our engines.vscode floor) runs extensions on Node 16.
  target: 'node16',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * What the extension loads on first use rather than on activation, each a file next to
 * dist/extension.js: `import('../signin/controller')` in the source becomes `require('./signin.js')`.
 * Activation then reads and compiles only what it runs (the trees, the stores, the commands), and
 * the core ships once, as the public dist/core.js the extension uses too. (esbuild splits code only
 * for ES modules; VS Code 1.74 loads extensions as CommonJS.) Module state the parts share must not
 * live in a module they each bundle: src/l10n.ts keeps its translator in a process-wide slot, and
 * the core's state (clock offsets, deployment caches) exists once, in dist/core.js.
 */
const LAZY = {
  'src/core/index.ts': 'core.js',
  'src/signin/controller.ts': 'signin.js',
  'src/views/detail/panel.ts': 'detail.js',
};

function resolveSource(dir, spec) {
  const base = path.resolve(dir, spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(__dirname, candidate).split(path.sep).join('/');
  }
  return undefined;
}

/** Turns a dynamic import of a LAZY module (other than the entry being built) into a require of its file. */
function lazyParts(entry) {
  return {
    name: 'lazy-parts',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const source = resolveSource(args.resolveDir, args.path);
        if (!source || !LAZY[source] || source === entry) return undefined;
        return { path: `./${LAZY[source]}`, external: true };
      });
    },
  };
}

/**
 * One require("vscode") per part instead of one per source module. In the extension host every
 * require("vscode") goes through VS Code's module interceptor, which resolves the real path of the
 * calling file (an lstat per path component) and looks the extension up: 0.1 to 0.3 ms a call,
 * measured there; the eleven modules activation loads each had one. Every import of 'vscode'
 * now resolves to one small module of the bundle that requires it once.
 */
function oneVscodeRequire() {
  const ns = 'vscode-api';
  return {
    name: 'one-vscode-require',
    setup(build) {
      build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === ns ? { path: 'vscode', external: true } : { path: 'vscode', namespace: ns }));
      build.onLoad({ filter: /^vscode$/, namespace: ns }, () => ({ contents: 'module.exports = require("vscode");', loader: 'js' }));
    },
  };
}

const part = (entry, outfile, extra = {}) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  plugins: [lazyParts(entry), oneVscodeRequire()],
  // import() of another part becomes require() (Node 16's ESM loader would bypass VS Code's module hooks).
  supported: { 'dynamic-import': false },
  ...extra,
});

const builds = [
  part('src/extension.ts', 'dist/extension.js'),
  ...Object.entries(LAZY)
    .filter(([entry]) => entry !== 'src/core/index.ts')
    .map(([entry, file]) => part(entry, `dist/${file}`)),
  // dist/core.js is a public library: keep it readable.
  { ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js', minify: false, sourcemap: false },
];

function writeDeclarations() {
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.core.json'], { stdio: 'inherit' });
  fs.writeFileSync(path.join('dist', 'core.d.ts'), "export * from './types/core/index';\n");
}

async function main() {
  if (watch) {
    for (const b of builds) {
      const ctx = await esbuild.context(b);
      await ctx.watch();
    }
    console.error('[watch] esbuild is watching src/ for changes');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  writeDeclarations();
}

module.exports = { builds, LAZY };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
