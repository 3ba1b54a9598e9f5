/**
 * Localisation indirection for modules that must also run in plain Node (unit tests): they call
 * t with the English text and `{0}` placeholders; the extension replaces the translator with
 * vscode.l10n.t on activation, so strings come from l10n/bundle.l10n.<locale>.json. Every literal
 * passed to t in src/ must have an entry in l10n/bundle.l10n.zh-cn.json (test/unit/l10n.test.ts).
 * Core's errors carry their message as a template and arguments (src/core/messages.ts): localize
 * and errorMessage put them into the user's language with the same bundles.
 */
import { formatMessage, isMessage, Message } from './core/messages';
import { redact } from './core/redact';

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

/** A core message (template and arguments, see src/core/messages.ts) in the user's language. */
export function localize(m: Message): string {
  return formatMessage(m, t);
}

/**
 * What an error says, in the user's language: core's JiraError and KeyError carry their message
 * as a template and arguments (`text`); other errors (SignInError...) are already localised.
 * Redacted again, as the translation puts the arguments into other words.
 */
export function errorMessage(err: unknown): string {
  const text = (err as { text?: unknown } | undefined)?.text;
  if (isMessage(text)) return redact(localize(text));
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(err);
}
