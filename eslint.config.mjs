// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.cache/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', URLSearchParams: 'readonly',
        AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', require: 'readonly', module: 'writable',
        __dirname: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', window: 'readonly', document: 'readonly',
        performance: 'readonly', queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // Scripts, tests, the emulator and benchmarks talk to a terminal.
    files: ['scripts/**', 'test/**', 'bench/**', 'esbuild.js'],
    rules: { 'no-console': 'off' },
  },
  {
    // `import * as vscode` bundles to __toESM(require('vscode')), which copies the whole API object
    // (hundreds of properties) once per importing module at activation: use `import vscode = require('vscode')`.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='vscode'][importKind!='type']",
        message: "Use `import vscode = require('vscode')` (an ES import of vscode is copied property by property at activation).",
      }],
    },
  },
  {
    // src/core is plain Node: it must never import the vscode module.
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core is plain Node; put VS Code code in src/.' }] }] },
  },
  {
    // The sign-in, the stores and the models under the views are plain TypeScript too (unit-tested in
    // plain Node through the Prompter and store seams): VS Code stays in the thin adapters beside them.
    files: [
      'src/signin/**/*.ts', 'src/store/**/*.ts', 'src/util/**/*.ts', 'src/ui/prompter.ts',
      'src/auth/clients.ts', 'src/auth/signInDeps.ts', 'src/auth/lazySignIn.ts', 'src/commands/inspectToken.ts',
      'src/coreLoader.ts', 'src/l10n.ts', 'src/log.ts', 'src/netSettings/config.ts', 'src/netSettings/fileCache.ts', 'src/netSettings/passphrase.ts',
      'src/views/model.ts', 'src/views/present.ts', 'src/views/session.ts', 'src/views/detail/render.ts', 'src/views/detail/sanitize.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'This module is plain TypeScript (unit-tested in Node); keep VS Code calls in an adapter.' }] }] },
  },
);
