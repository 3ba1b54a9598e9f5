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

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
