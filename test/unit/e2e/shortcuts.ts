// Finds the shortcuts a browser journey must not take (issue 17): a journey clicks what the
// product shows, in the page the product opened, at the address it opened. A line that does
// something else fails the suite unless the comment line right above it (or its own end) declares
// why it is not a user's step: `e2e-guard: start:` (the user's first address, e.g. the VS Code URL
// the sandbox prints) or `e2e-guard: fixture:` (seeding or reading the emulator's data outside the
// journey, or time passing).

export interface Shortcut {
  file: string;
  line: number;
  rule: string;
  text: string;
}

/** What an emulator handle may be asked without standing in for a user: observation and teardown. */
const EMULATOR_READS = new Set(['url', 'requests', 'stats', 'issuedTokens', 'cloudEndpoints', 'close']);

const RULES: Array<{ rule: string; test: (line: string) => boolean }> = [
  { rule: 'page.goto: an address the product did not open', test: (l) => /\.goto\s*\(/.test(l) },
  { rule: 'rewrites a forwarded address (/proxy/<port>/)', test: (l) => /\(\?:abs\)\?proxy|\/(abs)?proxy\\?\/\(|proxy\\\/\(\\d/.test(l) },
  { rule: 'intercepts or fakes network traffic (route/fulfill)', test: (l) => /\.(route|routeFromHAR|unroute)\s*\(|\.fulfill\s*\(/.test(l) },
  { rule: 'navigates by script (location, window.open, setContent)', test: (l) => /location\.(href\s*=|assign|replace)|window\.open\s*\(|\.setContent\s*\(/.test(l) },
  { rule: "HTTP outside the browser's page (fetch, request API)", test: (l) => /(^|[^.\w])fetch\s*\(|\.request\.(get|post|put|patch|delete|fetch)\s*\(/.test(l) },
  {
    rule: 'calls into the emulator in place of a user',
    test: (l) => {
      for (const m of l.matchAll(/\bemulator\??\.(\w+)(?:\??\.(\w+))?/g)) {
        if (m[1] === 'oauth2' ? !['stats', 'issuedTokens'].includes(m[2] ?? '') : !EMULATOR_READS.has(m[1])) return true;
      }
      return /\bstartEmulator\s*\(/.test(l) && !/^\s*import\b/.test(l);
    },
  },
];

const DECLARED = /e2e-guard: (start|fixture):\s*\S/;

/** The shortcuts in one source file's text. */
export function findShortcuts(file: string, source: string): Shortcut[] {
  const lines = source.split('\n');
  const out: Shortcut[] = [];
  lines.forEach((text, i) => {
    const code = text.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*)/.test(text)) return; // doc comments
    const declared = DECLARED.test(text) || (i > 0 && /^\s*\/\//.test(lines[i - 1]) && DECLARED.test(lines[i - 1]));
    for (const r of RULES) if (r.test(code) && !declared) out.push({ file, line: i + 1, rule: r.rule, text: text.trim() });
  });
  return out;
}
