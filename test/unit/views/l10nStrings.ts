// The localisable strings of the Jira views (src/views/**/*.ts): every literal passed to t(...)
// (src/l10n, for the plain-TypeScript modules) or vscode.l10n.t(...) (the VS Code ones).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const VIEWS_DIR = join(ROOT, 'src', 'views');

/** The .ts files under src/views, recursively. */
export function viewSources(dir = VIEWS_DIR): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) out.push(...viewSources(file));
    else if (name.endsWith('.ts')) out.push(file);
  }
  return out;
}

/** The same extractor as test/unit/l10n.test.ts. */
const CALL = /(?<![\w.])(?:vscode\.)?(?:l10n\.)?t\(\s*(?:\n\s*)?(['"])((?:\\.|(?!\1)[^\\])*)\1/g;

/** Every literal passed to t(...) or l10n.t(...) in src/views, with the file it is in. */
export function viewStrings(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of viewSources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) {
      const value = m[2].replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n');
      found.set(value, relative(ROOT, file).split('\\').join('/'));
    }
  }
  return found;
}

/** Calls of t/l10n.t whose message is not a plain string literal (the extractor cannot see them). */
export function nonLiteralCalls(): string[] {
  const out: string[] = [];
  const call = /(?<![\w.])(?:vscode\.)?(?:l10n\.)?t\(\s*([^\s)])/g;
  for (const file of viewSources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(call)) {
      if (m[1] !== "'" && m[1] !== '"') out.push(`${relative(ROOT, file)}: ${text.slice(m.index, m.index + 60).split('\n')[0]}`);
    }
  }
  return out;
}
