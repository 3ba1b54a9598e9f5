// Entry point that VS Code's extension host loads (extensionTestsPath): runs every
// out/test/integration/**/*.test.js with mocha inside the real extension host.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

export function run(): Promise<void> {
  // The extension host's console reaches the driver through the browser console; no colours.
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false, reporter: 'spec' });
  for (const f of findTests(__dirname)) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`INTEGRATION-RESULT ${failures}`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
