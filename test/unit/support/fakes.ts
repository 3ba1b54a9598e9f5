// In-memory fakes of the VS Code objects the adapters use (SecretStorage, Memento, the log
// channel, the Prompter), so that the sign-in logic runs in plain Node.
import type { LogChannelLike } from '../../../src/log';
import type { MementoLike, SecretStorageLike } from '../../../src/store/types';
import type { InputOptions, NotifyOptions, PickItem, PickOptions, Prompter, ProgressReporter, Severity, StepInfo } from '../../../src/ui/prompter';
import { Emitter } from '../../../src/util/event';

/** The OS keychain: shared by every "window" (FakeSecretStorage) created on it. */
export class SecretBackend {
  readonly data = new Map<string, string>();
  readonly windows = new Set<FakeSecretStorage>();
  fail = false;
}

/** One window's view of SecretStorage; changes fire onDidChange in every window, like VS Code. */
export class FakeSecretStorage implements SecretStorageLike {
  private readonly emitter = new Emitter<{ key: string }>();
  readonly onDidChange = this.emitter.event;
  constructor(readonly backend = new SecretBackend()) {
    backend.windows.add(this);
  }
  async get(key: string): Promise<string | undefined> {
    return this.backend.data.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    if (this.backend.fail) throw new Error('keychain unavailable');
    this.backend.data.set(key, value);
    this.broadcast(key);
  }
  async delete(key: string): Promise<void> {
    if (!this.backend.data.delete(key)) return;
    this.broadcast(key);
  }
  private broadcast(key: string): void {
    // VS Code delivers the event asynchronously.
    setImmediate(() => {
      for (const w of this.backend.windows) w.emitter.fire({ key });
    });
  }
  /** Every stored value, for "is this secret anywhere" assertions. */
  dump(): string {
    return JSON.stringify([...this.backend.data.entries()]);
  }
}

export class FakeMemento implements MementoLike {
  readonly data = new Map<string, string>();
  fail = false;
  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    if (this.fail) throw new Error('storage full');
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.stringify(value));
  }
  dump(): string {
    return JSON.stringify([...this.data.entries()]);
  }
}

export class FakeChannel implements LogChannelLike {
  readonly lines: string[] = [];
  trace(m: string) { this.lines.push(`trace ${m}`); }
  debug(m: string) { this.lines.push(`debug ${m}`); }
  info(m: string) { this.lines.push(`info ${m}`); }
  warn(m: string) { this.lines.push(`warn ${m}`); }
  error(m: string) { this.lines.push(`error ${m}`); }
  show() { /* nothing to show */ }
  text(): string { return this.lines.join('\n'); }
}

export type PickHandler = (o: PickOptions<unknown>) => unknown;
export type InputHandler = (o: InputOptions) => string | undefined | Promise<string | undefined>;

/** The value of the first item whose label matches (after running onChoose actions for `before`). */
export function choose(label: RegExp, before: RegExp[] = []): PickHandler {
  return async (o) => {
    const items = o.items.filter((i): i is PickItem<unknown> => i !== 'separator');
    for (const b of before) {
      const item = items.find((i) => b.test(i.label));
      if (!item) throw new Error(`no item ${b} in "${o.title}": ${items.map((i) => i.label).join(' | ')}`);
      const keep = await o.onChoose?.(item.value);
      if (keep !== false) throw new Error(`${b} closed the pick`);
    }
    const item = items.find((i) => label.test(i.label)) ?? (o.custom ? undefined : undefined);
    if (!item) throw new Error(`no item ${label} in "${o.title}": ${items.map((i) => i.label).join(' | ')}`);
    if (o.onChoose && (await o.onChoose(item.value)) === false) throw new Error(`${label} kept the pick open`);
    return item.value;
  };
}

/**
 * Types text into a pick and presses Enter: the typed row (custom, e.g. a URL) if the pick offers
 * one, else the first row VS Code's filter keeps (label or description contains the text).
 */
export function typeInPick(text: string): PickHandler {
  return (o) => {
    const c = o.custom?.(text);
    if (c) return c.value;
    const shown = o.items.find((i): i is PickItem<unknown> => i !== 'separator' && [i.label, i.description ?? ''].some((s) => s.toLowerCase().includes(text.trim().toLowerCase())));
    if (!o.custom || !shown) throw new Error(`"${o.title}" does not accept typed text`);
    return shown.value;
  };
}

/** The step counter as VS Code shows it: "3/4", or "1" while the total is not known. */
function stepsText(s: StepInfo | undefined): string | undefined {
  return s && (s.totalSteps ? `${s.step}/${s.totalSteps}` : String(s.step));
}

/**
 * A Prompter driven by queues of answers. Every call is recorded; an unexpected pick or input
 * fails the test with what was asked.
 */
export class ScriptedPrompter implements Prompter {
  readonly picks: PickHandler[] = [];
  readonly inputs: InputHandler[] = [];
  readonly asked: Array<{ kind: 'pick' | 'input'; title: string; placeholder?: string; prompt?: string; validationMessage?: string; steps?: string }> = [];
  readonly notifications: Array<{ severity: Severity; message: string; modal: boolean; detail?: string; actions: string[] }> = [];
  readonly progressTitles: string[] = [];
  readonly opened: string[] = [];
  clipboard = '';
  /** Answers modal and non-modal messages (default: dismiss). */
  answer: (message: string, actions: string[], modal: boolean) => string | undefined = () => undefined;
  /** Called for openExternal (e.g. approve in the emulator). */
  onOpen: (url: string) => void | Promise<void> = () => undefined;
  /** Cancel the progress whose title matches (aborts its signal). */
  cancelProgress?: RegExp;
  file?: { name: string; content: string };
  walkthroughShown = 0;

  async pick<T>(o: PickOptions<T>): Promise<T | undefined> {
    this.asked.push({ kind: 'pick', title: o.title, placeholder: o.placeholder, steps: stepsText(o.steps) });
    const h = this.picks.shift();
    if (!h) throw new Error(`unexpected pick "${o.title}" (${o.placeholder ?? ''})`);
    return (await h(o as PickOptions<unknown>)) as T | undefined;
  }

  async input(o: InputOptions): Promise<string | undefined> {
    this.asked.push({ kind: 'input', title: o.title, prompt: o.prompt, placeholder: o.placeholder, validationMessage: o.validationMessage, steps: stepsText(o.steps) });
    const h = this.inputs.shift();
    if (!h) throw new Error(`unexpected input "${o.title}" (${o.prompt ?? ''})`);
    const v = await h(o);
    if (v !== undefined) {
      const msg = o.validate?.(v);
      if (msg) throw new Error(`the input box would refuse "${v}": ${msg}`);
    }
    return v;
  }

  async progress<T>(title: string, task: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>): Promise<T> {
    this.progressTitles.push(title);
    const ac = new AbortController();
    const p = task(ac.signal, { report: () => undefined });
    if (this.cancelProgress?.test(title)) ac.abort();
    return p;
  }

  async notify(severity: Severity, message: string, options: NotifyOptions = {}, ...actions: string[]): Promise<string | undefined> {
    this.notifications.push({ severity, message, modal: !!options.modal, detail: options.detail, actions });
    return this.answer(message, actions, !!options.modal);
  }

  async openExternal(url: string): Promise<boolean> {
    this.opened.push(url);
    await this.onOpen(url);
    return true;
  }

  /** What the window's port forwarding makes of an address (default: nothing, a local window). */
  forward: (url: string) => string = (url) => url;

  async pageAddress(url: string): Promise<string> {
    return this.forward(url);
  }

  async copy(text: string): Promise<void> {
    this.clipboard = text;
  }

  async readClipboard(): Promise<string> {
    return this.clipboard;
  }

  async openFile(): Promise<{ name: string; content: string } | undefined> {
    return this.file;
  }

  async showWalkthrough(): Promise<void> {
    this.walkthroughShown++;
  }

  messages(): string {
    return this.notifications.map((n) => `${n.severity}: ${n.message}`).join('\n');
  }
}

/** Resolves after the fake SecretStorage's asynchronous change events were delivered. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(() => setImmediate(r)));
}
