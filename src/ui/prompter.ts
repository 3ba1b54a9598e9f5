/**
 * Every interactive step of sign-in goes through this interface: VsCodePrompter implements it
 * with quick picks, input boxes, notifications and progress; unit and integration tests replace
 * it with scripted fakes. Plain types only (no vscode import), so the flows run in plain Node.
 */

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  /** Show even when the typed filter does not match. */
  alwaysShow?: boolean;
}

export interface StepInfo {
  step: number;
  /** Absent while the rest of the way is not known yet (the site and method picks): VS Code then shows the step alone. */
  totalSteps?: number;
}

export interface PickOptions<T> {
  title: string;
  placeholder?: string;
  steps?: StepInfo;
  items: ReadonlyArray<PickItem<T> | 'separator'>;
  /** Offers the typed text as the first row, active while typed (e.g. a URL that is not in the list). */
  custom?: (typed: string) => PickItem<T> | undefined;
  /**
   * Runs when an item is chosen. Return false to keep the pick open (copy/open actions),
   * anything else closes it and resolves with the item's value.
   */
  onChoose?: (value: T) => Promise<boolean | void> | boolean | void;
  /** After onChoose kept the pick open: the item to make active next (the next thing to do). */
  nextAfter?: (value: T) => T | undefined;
  /** Keep the pick open when focus moves to another window (the browser). Default true. */
  ignoreFocusOut?: boolean;
}

export interface InputButton {
  id: string;
  /** A codicon id (e.g. 'link-external'). */
  icon: string;
  tooltip: string;
}

export interface InputOptions {
  title: string;
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  steps?: StepInfo;
  /** Shown when the box opens (e.g. "Jira refused this code"). */
  validationMessage?: string;
  /** Checked as the user types; a message blocks Enter. */
  validate?: (value: string) => string | undefined;
  buttons?: ReadonlyArray<InputButton>;
  onButton?: (id: string) => Promise<void> | void;
  /** Keep the box open when focus moves to another window (the browser). Default true. */
  ignoreFocusOut?: boolean;
  /** Closes the box (resolving undefined) when aborted. */
  signal?: AbortSignal;
}

export type Severity = 'info' | 'warning' | 'error';

export interface NotifyOptions {
  modal?: boolean;
  detail?: string;
}

export interface ProgressReporter {
  report(message: string): void;
}

export interface Prompter {
  /** undefined when the user dismissed the pick. */
  pick<T>(options: PickOptions<T>): Promise<T | undefined>;
  /** undefined when the user dismissed the box. */
  input(options: InputOptions): Promise<string | undefined>;
  /**
   * Runs a network step with a cancellable progress notification. Cancelling aborts `signal`;
   * the task's rejection (an abort error) is passed on.
   */
  progress<T>(title: string, task: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>): Promise<T>;
  /** A message with buttons; resolves with the chosen button or undefined. */
  notify(severity: Severity, message: string, options?: NotifyOptions, ...actions: string[]): Promise<string | undefined>;
  /** Opens a URL in the user's browser (on the user's machine, also in remote windows). */
  openExternal(url: string): Promise<boolean>;
  /** The address openExternal(url) opens, to show it beforehand (a Jira on the remote machine's loopback is forwarded). */
  pageAddress(url: string): Promise<string>;
  copy(text: string): Promise<void>;
  readClipboard(): Promise<string>;
  /** Lets the user choose a file; its content is read where it lives (also in remote windows). */
  openFile(options: { title: string; filters?: Record<string, string[]> }): Promise<{ name: string; content: string } | undefined>;
  /** Shows the application-link walkthrough. */
  showWalkthrough(): Promise<void>;
}
