/**
 * User-visible sentences of core, kept as an English template and its arguments so that the
 * VS Code adapter can show them in the user's language. Core is plain Node and has no translator:
 * `JiraError.message` is the English text (for logs and scripts), `JiraError.text` the template
 * and arguments, which src/l10n.ts passes through vscode.l10n.t (the English template is the key
 * of l10n/bundle.l10n*.json). An argument may itself be a Message (a reason inside a sentence).
 *
 * Every template must be a string literal passed to msg(): test/unit/adapters/l10n.test.ts finds
 * them there and fails when one has no zh-cn translation with the same placeholders.
 */
export interface Message {
  /** English, with `{0}`-style placeholders. */
  readonly text: string;
  readonly args: ReadonlyArray<MessageArg>;
}

export type MessageArg = string | number | Message;

export function msg(text: string, ...args: MessageArg[]): Message {
  return { text, args };
}

/** A piece of text that is not translated (a server's own words, a URL, a joined list). */
export function verbatim(text: string): Message {
  return { text: '{0}', args: [text] };
}

export function isMessage(v: unknown): v is Message {
  return !!v && typeof v === 'object' && typeof (v as Message).text === 'string' && Array.isArray((v as Message).args);
}

/** Translates a template; the default keeps the English. */
export type TemplateTranslator = (template: string, ...args: string[]) => string;

/** `{0}`-style substitution in one pass (an argument that contains `{1}` stays as it is). */
export function substitute(template: string, args: ReadonlyArray<string>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? args[Number(i)] : m));
}

/** A template of placeholders only (verbatim(), sentences()): nothing to translate. */
const STRUCTURE = /^(\{\d+\} ?)*$/;

const english: TemplateTranslator = (template, ...args) => substitute(template, args);

/** The text of a message, its nested messages first; in English unless a translator is given. */
export function formatMessage(m: Message, translate: TemplateTranslator = english): string {
  const args = m.args.map((a) => (typeof a === 'object' ? formatMessage(a, translate) : String(a)));
  return STRUCTURE.test(m.text) ? joinParts(m.text, args) : translate(m.text, ...args);
}

/** Fills a template of placeholders only; no space after a full-width (CJK) punctuation mark. */
function joinParts(template: string, args: ReadonlyArray<string>): string {
  return template.replace(/\{(\d+)\}( ?)/g, (m, i: string, space: string) => {
    const arg = Number(i) < args.length ? args[Number(i)] : m.trimEnd();
    return arg + (space && !FULL_WIDTH_END.test(arg) ? ' ' : '');
  });
}

const FULL_WIDTH_END = /[\u3000-\u303f\uff00-\uffef]$/;

/** The same message with `fn` applied to every string argument, at every depth (used to redact). */
export function mapArgs(m: Message, fn: (s: string) => string): Message {
  return { text: m.text, args: m.args.map((a) => (typeof a === 'string' ? fn(a) : typeof a === 'number' ? a : mapArgs(a, fn))) };
}

/** Messages joined by a space, each translated on its own (a sentence, then a hint...). */
export function sentences(...parts: Array<Message | undefined>): Message {
  const present = parts.filter((p): p is Message => !!p);
  return { text: present.map((_, i) => `{${i}}`).join(' '), args: present };
}
