/**
 * Localisation indirection for modules that must also run in plain Node (unit tests): they call
 * t with the English text and `{0}` placeholders; the extension replaces the translator with
 * vscode.l10n.t on activation, so strings come from l10n/bundle.l10n.<locale>.json. Every literal
 * passed to t in src/ must have an entry in l10n/bundle.l10n.zh-cn.json (test/unit/l10n.test.ts).
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** `{0}`-style formatting, as vscode.l10n.t does for the default language. */
export function format(message: string, args: ReadonlyArray<string | number | boolean>): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

const english: Translate = (message, ...args) => format(message, args);

// The extension is split into files loaded on first use (esbuild.js: dist/signin.js...), each with
// its own copy of this module: the translator lives in one process-wide slot that all copies share.
const SLOT = Symbol.for('jira-auth.l10n.translator');
const shared = globalThis as { [SLOT]?: Translate };

export function t(message: string, ...args: Array<string | number | boolean>): string {
  return (shared[SLOT] ?? english)(message, ...args);
}

export function setTranslator(fn: Translate): void {
  shared[SLOT] = fn;
}
